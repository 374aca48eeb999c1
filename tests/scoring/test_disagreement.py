"""Spread per cell and Kendall's W, by hand."""

import numpy as np
import pytest

from policy.scoring import cell_spread, kendall_w
from policy.scoring.disagreement import average_ranks

nan = np.nan


def test_cell_spread_by_hand():
    cube = np.array([2, 4, 4, 5, 9, nan], dtype=float).reshape(6, 1, 1)
    spread = cell_spread(cube)
    assert spread["n"][0, 0] == 5 and spread["median"][0, 0] == 4
    assert spread["sd"][0, 0] == pytest.approx(np.std([2, 4, 4, 5, 9], ddof=1))
    # type 7: Q1 at h = 1 -> 4, Q3 at h = 3 -> 5
    assert (spread["q1"][0, 0], spread["q3"][0, 0], spread["iqr"][0, 0]) == (4, 5, 1)
    assert not spread["contested"][0, 0]  # IQR of exactly 1 is consensus


def test_bimodal_cell_is_contested():
    cube = np.array([1, 1, 2, 8, 9, 9], dtype=float).reshape(6, 1, 1)
    spread = cell_spread(cube)
    assert spread["iqr"][0, 0] == pytest.approx(
        np.subtract(*np.percentile([1, 1, 2, 8, 9, 9], [75, 25]))
    )
    assert spread["contested"][0, 0]


def test_single_score_has_no_sd():
    spread = cell_spread(np.array([[[7.0]]]))
    assert spread["n"][0, 0] == 1 and np.isnan(spread["sd"][0, 0]) and spread["iqr"][0, 0] == 0


def test_average_ranks_share_ties():
    assert average_ranks(np.array([[10.0, 20, 20, 5]])).tolist() == [[2, 3.5, 3.5, 1]]


def test_kendall_w_perfect_and_opposite():
    assert kendall_w(np.array([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4.0]])) == pytest.approx(1)
    assert kendall_w(np.array([[1, 2, 3.0], [3, 2, 1.0]])) == pytest.approx(0)


def test_kendall_w_with_ties_by_hand():
    # Rank sums 3.5, 5.5, 9, 12 around 7.5: S = 42.5; one tie of 2: T = 6.
    # W = 12 x 42.5 / (3^2 (4^3 - 4) - 3 x 6) = 510 / 522
    values = np.array([[1, 2, 3, 4], [1, 2, 3, 4], [1, 1, 3, 4.0]])
    assert kendall_w(values) == pytest.approx(510 / 522)


def test_kendall_w_undefined_cases():
    assert kendall_w(np.array([[1.0, 2.0]])) is None  # one rater
    assert kendall_w(np.array([[1.0], [2.0]])) is None  # one item
    assert kendall_w(np.array([[1.0, 1.0], [2.0, 2.0]])) is None  # every rater ties everything
