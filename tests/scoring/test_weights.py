"""Criterion weights: hand-computed values and Saaty's published AHP example."""

import numpy as np
import pandas as pd
import pytest

from policy.scoring import ZeroWeightsError, ahp_weights, criterion_weights, rank_order_centroid
from policy.scoring.ahp import ahp_matrix

# Saaty, T. L. (2008) "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1), 83-98, Table 2: "Which drink is consumed more in the U.S.?" Published
# priorities (3 places): coffee .177, wine .019, tea .042, beer .116, sodas .190, milk .129,
# water .327; CR = 0.022. The 4-place eigenvector (0.1775, 0.0191, 0.0418, 0.1164, 0.1896,
# 0.1288, 0.3268) is as reproduced by AHPy's tests (PhilipGriffith/AHPy, tests/test_ahp.py).
DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINK_JUDGEMENTS = {
    "coffee|wine": 9,
    "coffee|tea": 5,
    "coffee|beer": 2,
    "coffee|soda": 1,
    "coffee|milk": 1,
    "water|coffee": 2,
    "water|wine": 9,
    "water|tea": 9,
    "water|beer": 3,
    "water|soda": 2,
    "water|milk": 3,
    "tea|wine": 3,
    "beer|wine": 9,
    "beer|tea": 3,
    "beer|milk": 1,
    "soda|wine": 9,
    "soda|tea": 4,
    "soda|beer": 2,
    "soda|milk": 2,
    "milk|wine": 9,
    "milk|tea": 3,
}


def criteria(weights, defaults=None):
    n = len(weights)
    return pd.DataFrame(
        {
            "code": [f"C{i}" for i in range(1, n + 1)],
            "weight": [np.nan if w is None else w for w in weights],
            "default_weight": defaults or [1.0] * n,
        }
    )


def test_ahp_drinks_matches_saaty():
    result = ahp_weights(DRINKS, DRINK_JUDGEMENTS)
    assert result.weights == pytest.approx(
        [0.1775, 0.0191, 0.0418, 0.1164, 0.1896, 0.1288, 0.3268], abs=1e-4
    )
    assert result.weights == pytest.approx(
        [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], abs=1e-3
    )
    assert result.consistency_ratio == pytest.approx(0.022, abs=5e-4)
    assert result.random_index == 1.35
    assert result.consistency_index == pytest.approx((result.lambda_max - 7) / 6)
    assert result.consistent and result.missing_pairs == [] and result.ignored == []


def test_ahp_consistent_matrix_has_exact_weights_and_zero_cr():
    # A is 2x B, B is 3x C, so A is 6x C: weights 6:3:1.
    result = ahp_weights(["A", "B", "C"], {"A|B": 2, "B|C": 3, "A|C": 6})
    assert result.weights == pytest.approx([0.6, 0.3, 0.1])
    assert result.lambda_max == pytest.approx(3)
    assert result.consistency_ratio == pytest.approx(0, abs=1e-12)


def test_ahp_reciprocal_missing_and_ignored_judgements():
    matrix, missing, ignored = ahp_matrix(["A", "B", "C"], {"B|A": 4, "A|Z": 3, "A|C": 0})
    nan = float("nan")
    np.testing.assert_array_equal(matrix, [[1, 0.25, nan], [4, 1, nan], [nan, nan, 1]])
    assert missing == ["A|C", "B|C"]
    assert ignored == ["A|Z", "A|C"]


def test_ahp_inconsistent_cycle_is_flagged():
    # A > B > C > A, each strongly: no consistent reading exists.
    result = ahp_weights(["A", "B", "C"], {"A|B": 5, "B|C": 5, "C|A": 5})
    assert result.weights == pytest.approx([1 / 3] * 3)
    # Circulant matrix with rows (1, 5, 1/5): its principal eigenvalue is the row sum.
    assert result.lambda_max == pytest.approx(6.2)
    assert result.consistency_ratio == pytest.approx((6.2 - 3) / 2 / 0.52)
    assert not result.consistent


def test_random_index_beyond_the_table_keeps_its_last_value():
    codes = [f"C{i}" for i in range(20)]
    equal = {f"C0|{code}": 1 for code in codes[1:]}
    assert ahp_weights(codes, equal).random_index == 1.59
    assert ahp_weights(codes, equal).weights == pytest.approx([0.05] * 20)


def test_rank_order_centroid_hand_values():
    # n = 3: (1 + 1/2 + 1/3)/3, (1/2 + 1/3)/3, (1/3)/3
    assert rank_order_centroid([1, 2, 3]) == pytest.approx([11 / 18, 5 / 18, 2 / 18])
    assert rank_order_centroid([3, 1, 2]) == pytest.approx([2 / 18, 11 / 18, 5 / 18])


def test_rank_order_centroid_ties_share_their_positions():
    weights = rank_order_centroid([1, 2, 2])
    assert weights == pytest.approx([11 / 18, 3.5 / 18, 3.5 / 18])
    assert weights.sum() == pytest.approx(1)


def test_direct_points_and_swing_normalise():
    direct = criterion_weights(criteria([6, 3, 1]), "direct", {})
    assert direct.values == pytest.approx([0.6, 0.3, 0.1])
    assert (direct.method, direct.source) == ("direct", "inputs")
    swing = criterion_weights(criteria([100, 40, 60]), "swing", {})
    assert swing.values == pytest.approx([0.5, 0.2, 0.3])


def test_rank_weighting_uses_roc():
    result = criterion_weights(criteria([2, 1, 3]), "rank", {})
    assert result.values == pytest.approx([5 / 18, 11 / 18, 2 / 18])


def test_criterion_without_input_weighs_zero_and_is_named():
    result = criterion_weights(criteria([4, None, 4]), "direct", {})
    assert result.values == pytest.approx([0.5, 0, 0.5])
    assert result.unweighted == ["C2"]


def test_no_inputs_fall_back_to_default_weights():
    for weighting in ("direct", "swing", "rank", "ahp"):
        result = criterion_weights(criteria([None, None], defaults=[3.0, 1.0]), weighting, {})
        assert result.values == pytest.approx([0.75, 0.25])
        assert (result.method, result.source) == ("direct", "defaults")


def test_ahp_weighting_uses_judgements_not_weight_rows():
    result = criterion_weights(criteria([1, 1]), "ahp", {"C1|C2": 3})
    assert result.values == pytest.approx([0.75, 0.25])
    assert result.source == "judgements"


def test_all_zero_weights_is_a_clear_error():
    with pytest.raises(ZeroWeightsError, match="zero weight"):
        criterion_weights(criteria([0, 0]), "direct", {})
    with pytest.raises(ZeroWeightsError):
        criterion_weights(criteria([None, None], defaults=[0.0, 0.0]), "direct", {})
