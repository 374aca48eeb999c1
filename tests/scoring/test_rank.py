"""Weighted sum, TOPSIS (against a published example), red lines and ranks."""

import numpy as np
import pytest

from policy.scoring import competition_ranks, red_line_breaches, topsis, weighted_sum
from policy.scoring.rank import contributions, method_totals, ordinal_ranks

nan = np.nan


def test_weighted_sum_by_hand():
    matrix = np.array([[1.0, 0.5], [0.2, 0.9]])
    totals, covered = weighted_sum(matrix, np.array([0.25, 0.75]))
    assert totals == pytest.approx([0.625, 0.725])
    assert covered == pytest.approx([1, 1])


def test_missing_cell_renormalises_weights_over_the_criteria_present():
    matrix = np.array([[nan, 0.5, 1.0], [nan, nan, nan]])
    totals, covered = weighted_sum(matrix, np.array([0.5, 0.3, 0.2]))
    # (0.3 x 0.5 + 0.2 x 1) / (0.3 + 0.2)
    assert totals[0] == pytest.approx(0.7) and covered[0] == pytest.approx(0.5)
    assert np.isnan(totals[1]) and covered[1] == 0


def test_contributions_add_up_to_the_total():
    matrix = np.array([[nan, 0.5, 1.0], [0.1, 0.2, 0.3]])
    weights = np.array([0.5, 0.3, 0.2])
    parts = contributions(matrix, weights)
    assert np.nansum(parts, axis=1) == pytest.approx(weighted_sum(matrix, weights)[0])
    assert parts[0] == pytest.approx([nan, 0.3, 0.4], nan_ok=True)


def test_topsis_matches_roszkowska_example():
    # Roszkowska, E. (2011) "Multi-criteria decision making models by applying the TOPSIS
    # method to crisp and interval data", Multiple Criteria Decision Making 6, 200-230,
    # Example 1, decision maker 1: C2 is a cost criterion. Closeness as published (4 places):
    # 0.5355, 0.4349, 0.5575, 0.5170, 0.3706; to 6 places as in gscoppino/topsis's tests.
    matrix = np.array(
        [[7, 21, 4, 7], [7, 24, 6, 4], [14, 25, 3, 8], [14, 26, 9, 3], [21, 35, 4, 4]], dtype=float
    )
    closeness = topsis(
        matrix, np.array([0.175, 0.425, 0.175, 0.225]), benefit=np.array([True, False, True, True])
    )
    assert closeness == pytest.approx([0.535497, 0.434945, 0.557491, 0.516961, 0.370633], abs=1e-4)
    assert competition_ranks(closeness).tolist() == [2, 4, 1, 3, 5]


def test_topsis_by_hand_two_options():
    # r = x / |x|: column 1 (3, 4)/5, column 2 (1, 0)/1; equal weights.
    closeness = topsis(np.array([[3.0, 1.0], [4.0, 0.0]]), np.array([0.5, 0.5]))
    d_plus = np.array([0.5 * 0.2, 0.5 * 1.0])
    d_minus = np.array([0.5 * 1.0, 0.5 * 0.2])
    assert closeness == pytest.approx(d_minus / (d_plus + d_minus))


def test_topsis_constant_and_zero_columns_add_nothing():
    base = topsis(np.array([[0.2], [0.8], [0.5]]), np.array([1.0]))
    with_constant = topsis(
        np.array([[0.2, 0.7, 0.0], [0.8, 0.7, 0.0], [0.5, 0.7, 0.0]]), np.array([0.5, 0.3, 0.2])
    )
    assert base == pytest.approx([0, 1, 0.5])
    assert with_constant == pytest.approx(base)


def test_topsis_all_columns_constant_is_a_tie_at_one_half():
    assert topsis(np.full((3, 2), 0.4), np.array([0.5, 0.5])) == pytest.approx([0.5] * 3)


def test_topsis_ideal_is_taken_over_eligible_options_only():
    matrix = np.array([[0.2], [0.4], [1.0]])
    closeness = topsis(matrix, np.array([1.0]), eligible=np.array([True, True, False]))
    assert closeness[:2] == pytest.approx([0, 1])


def test_method_totals_screen_out_ineligible_and_unweighted_options():
    matrix = np.array([[0.5, nan], [0.4, 0.9], [nan, 1.0]])
    weights = np.array([1.0, 0.0])
    for method in ("weighted_sum", "topsis"):
        totals = method_totals(method, matrix, weights, np.array([True, False, True]))
        assert not np.isnan(totals[0]) and np.isnan(totals[1:]).all()


def test_red_lines_below_threshold_or_above_for_cost():
    raw = np.array([[2.0, 8.0, 5.0], [3.0, 6.0, nan]])
    breaches = red_line_breaches(raw, np.array([3.0, 7.0, 4.0]), np.array([False, True, False]))
    assert breaches.tolist() == [[True, True, False], [False, False, False]]


def test_ranks():
    totals = np.array([0.5, nan, 0.7, 0.5, 0.1])
    assert competition_ranks(totals).tolist() == [2, 0, 1, 2, 4]
    assert ordinal_ranks(totals).tolist() == [2, 0, 1, 3, 4]
    # Sums equal but for rounding noise are ties.
    assert competition_ranks(np.array([0.1 + 0.2, 0.3])).tolist() == [1, 1]
