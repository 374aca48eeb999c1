"""AHP with incomplete judgements: LLSM against the worked example of docs/method.md §2,
its properties, the spanning design, Saaty's thresholds and the most inconsistent judgements."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.scoring import (
    AhpUnlinkedError,
    ahp_weights,
    criterion_weights,
    spanning_pairs,
    unlinked,
)
from policy.scoring.ahp import (
    ahp_matrix,
    consistency_limit,
    eigenvector,
    llsm,
    nearest_on_scale,
    verbal,
)
from tests.scoring.test_weights import criteria

# docs/method.md §2, the worked example: a cycle A-B-C-D-A, each "2x" around it but D only
# 4x below A (a consistent A|D would be 2 * 2 * 2 = 8). A|C and B|D are not judged.
CYCLE = {"A|B": 2, "B|C": 2, "C|D": 2, "A|D": 4}


def test_llsm_worked_example():
    result = ahp_weights(list("ABCD"), CYCLE)
    # The cycle's error, ln 8 - ln 4 = ln 2, spreads evenly over its four pairs, so in units
    # of ln 2 the log-weights are 9/4, 6/4, 3/4, 0.
    expected = np.array([2 ** 2.25, 2 ** 1.5, 2 ** 0.75, 1])
    assert result.weights == pytest.approx(expected / expected.sum())
    assert result.weights == pytest.approx([0.4633, 0.2755, 0.1638, 0.0974], abs=5e-5)
    assert (result.method, result.judged, result.missing_pairs) == ("llsm", 4, ["A|C", "B|D"])
    # The completed matrix, its lambda_max and CR, as docs/method.md gives them.
    assert result.lambda_max == pytest.approx(4.0301, abs=5e-5)
    assert result.consistency_ratio == pytest.approx(0.0113, abs=5e-5)
    assert (result.limit, result.consistent) == (0.08, True)


def test_llsm_worked_example_solves_the_laplacian_system():
    matrix = ahp_matrix(list("ABCD"), CYCLE)[0]
    y = np.log(llsm(matrix))
    laplacian = np.array([[2, -1, 0, -1], [-1, 2, -1, 0], [0, -1, 2, -1], [-1, 0, -1, 2]])
    ln2 = math.log(2)
    assert laplacian @ y == pytest.approx([3 * ln2, 0, 0, -3 * ln2])


def test_worked_example_most_inconsistent_and_their_suggestions():
    found = ahp_weights(list("ABCD"), CYCLE).inconsistent
    # Every judged pair is off by the same factor 2^(1/4): ties keep the pairs' order.
    assert [(j.first, j.second) for j in found] == [("A", "B"), ("A", "D"), ("B", "C")]
    assert [j.deviation for j in found] == pytest.approx([math.log(2) / 4] * 3)
    assert [j.implied for j in found] == pytest.approx([2 ** 0.75, 2 ** 2.25, 2 ** 0.75])
    assert [j.nearest for j in found] == [2, 5, 2]


def test_one_wrong_judgement_is_named_first_with_the_value_that_fits():
    # 8 : 4 : 2 : 1, consistent, but A|D said equal instead of 8.
    judgements = {"A|B": 2, "A|C": 4, "A|D": 1, "B|C": 2, "B|D": 4, "C|D": 2}
    result = ahp_weights(list("ABCD"), judgements)
    assert result.method == "eigenvector"
    worst = result.inconsistent[0]
    assert (worst.first, worst.second, worst.given) == ("A", "D", 1)
    assert worst.implied > 2 and worst.nearest == nearest_on_scale(worst.implied)
    assert len(result.inconsistent) == 3 and not result.consistent


def criteria_codes(n):
    return [f"C{i}" for i in range(1, n + 1)]


@st.composite
def connected_judgements(draw):
    """Weights, and the pairs judged: a random spanning tree plus some other pairs."""
    n = draw(st.integers(2, 9))
    weights = np.array(draw(st.lists(st.floats(0.05, 20), min_size=n, max_size=n)))
    pairs = {(draw(st.integers(0, k - 1)), k) for k in range(1, n)}
    others = [(i, j) for i in range(n) for j in range(i + 1, n) if (i, j) not in pairs]
    if others:
        pairs |= set(draw(st.lists(st.sampled_from(others), unique=True)))
    return weights, pairs


@settings(max_examples=150, deadline=None)
@given(connected_judgements())
def test_consistent_incomplete_judgements_recover_the_exact_weights(case):
    weights, pairs = case
    codes = criteria_codes(len(weights))
    judgements = {f"{codes[i]}|{codes[j]}": weights[i] / weights[j] for i, j in pairs}
    result = ahp_weights(codes, judgements)
    assert result.weights == pytest.approx(weights / weights.sum(), rel=1e-9)
    assert result.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert result.inconsistent == []


@settings(max_examples=150, deadline=None)
@given(connected_judgements(), st.data())
def test_llsm_minimises_the_squared_log_residuals(case, data):
    """An independent route to the same weights: least squares on the judged pairs'
    incidence matrix (numpy's lstsq), not the Laplacian's normal equations."""
    weights, pairs = case
    n = len(weights)
    codes = criteria_codes(n)
    values = data.draw(st.lists(st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1, 2, 3, 5, 9]),
                                min_size=len(pairs), max_size=len(pairs)))
    judgements = {f"{codes[i]}|{codes[j]}": v for (i, j), v in zip(sorted(pairs), values)}
    incidence = np.zeros((len(pairs), n))
    for row, (i, j) in enumerate(sorted(pairs)):
        incidence[row, i], incidence[row, j] = 1, -1
    y = np.linalg.lstsq(incidence, np.log(values), rcond=None)[0]
    expected = np.exp(y) / np.exp(y).sum()
    assert llsm(ahp_matrix(codes, judgements)[0]) == pytest.approx(expected, rel=1e-8)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 12), st.data())
def test_complete_matrix_llsm_is_the_row_geometric_mean(n, data):
    codes = criteria_codes(n)
    judgements = {
        f"{codes[i]}|{codes[j]}": data.draw(st.sampled_from([1 / 9, 1 / 4, 1 / 3, 1, 2, 7, 9]))
        for i in range(n) for j in range(i + 1, n)
    }
    matrix = ahp_matrix(codes, judgements)[0]
    geometric = np.exp(np.log(matrix).mean(axis=1))
    assert llsm(matrix) == pytest.approx(geometric / geometric.sum(), rel=1e-9)


def test_complete_matrices_keep_the_eigenvector():
    # Inconsistent and of four criteria, so the eigenvector and the row geometric mean (LLSM)
    # differ (for three criteria they coincide).
    judgements = {"A|B": 2, "A|C": 4, "A|D": 1, "B|C": 2, "B|D": 4, "C|D": 2}
    matrix = ahp_matrix(list("ABCD"), judgements)[0]
    result = ahp_weights(list("ABCD"), judgements)
    weights, lambda_max = eigenvector(matrix)
    assert result.method == "eigenvector"
    assert result.weights == pytest.approx(weights) and result.lambda_max == lambda_max
    assert not np.allclose(result.weights, llsm(matrix), atol=1e-3)


def test_unlinked_criteria_are_refused_by_name():
    codes = list("ABCDE")
    judgements = {"A|B": 2, "C|D": 3, "D|E": 1, "A|Z": 5}  # A|Z names no criterion: no link
    assert unlinked(codes, judgements) == ["C", "D", "E"]
    with pytest.raises(AhpUnlinkedError) as refused:
        ahp_weights(codes, judgements)
    assert refused.value.unlinked == ["C", "D", "E"]
    assert str(refused.value).startswith(
        "The AHP comparisons do not link every criterion: C, D, E are not compared with A,")
    with pytest.raises(AhpUnlinkedError, match="B is not compared with A"):
        ahp_weights(["A", "B"], {"A|A": 2})  # a pair of one criterion links nothing


def test_an_unlinked_workshop_is_a_scoring_error_in_the_engine():
    with pytest.raises(AhpUnlinkedError, match="C3 is not compared with C1"):
        criterion_weights(criteria([None, None, None]), "ahp", {"C1|C2": 3})


def test_spanning_design_is_a_star_on_the_first_criterion():
    codes = criteria_codes(5)
    pairs = spanning_pairs(codes)
    assert pairs == [("C1", "C2"), ("C1", "C3"), ("C1", "C4"), ("C1", "C5")]
    judgements = {f"{a}|{b}": 3 for a, b in pairs}
    assert unlinked(codes, judgements) == []
    result = ahp_weights(codes, judgements)
    assert result.weights == pytest.approx(np.array([3, 1, 1, 1, 1]) / 7)
    assert result.consistency_ratio == pytest.approx(0, abs=1e-12) and result.inconsistent == []
    assert spanning_pairs(["C1"]) == []


def test_saaty_thresholds_by_size():
    assert [consistency_limit(n) for n in (3, 4, 5, 9, 18)] == [0.05, 0.08, 0.10, 0.10, 0.10]
    # 2, 2 but 2 (a consistent A|C is 4): CR 0.052, within 0.1 but above 0.05 for three.
    result = ahp_weights(list("ABC"), {"A|B": 2, "B|C": 2, "A|C": 2})
    assert result.consistency_ratio == pytest.approx(0.0516, abs=1e-4)
    assert (result.limit, result.consistent) == (0.05, False)


def test_nearest_on_scale_measures_ratios():
    assert [nearest_on_scale(x) for x in (1.68, 4.76, 1.2, 12, 1 / 12, 1 / 2.9)] == pytest.approx(
        [2, 5, 1, 9, 1 / 9, 1 / 3])


def test_verbal_scale():
    assert verbal("C1", "C2", 5) == "C1 strongly more important"
    assert verbal("C1", "C2", 1 / 3) == "C2 moderately more important"
    assert verbal("C1", "C2", 0.3333333333) == "C2 moderately more important"
    assert verbal("C1", "C2", 1) == "equal importance"
    assert verbal("C1", "C2", 2) == "C1 equal to moderately more important"
    assert verbal("C1", "C2", 1 / 8) == "C2 very strongly to extremely more important"
    assert verbal("C1", "C2", 2.5) == "C1 2.5 times more important"


def test_judgements_in_either_order_are_reported_in_the_criteria_order():
    result = ahp_weights(list("ABC"), {"B|A": 4, "C|A": 1, "B|C": 1})
    assert {(j.first, j.second, j.given) for j in result.inconsistent} >= {("A", "B", 0.25)}
