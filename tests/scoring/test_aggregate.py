"""Normalisation and group aggregation; the fast bootstrap path against the plain definitions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from policy.scoring import aggregate, completeness, normalise, resampled_aggregates

nan = np.nan


def test_normalise_by_scale_and_invert_cost():
    raw = np.array([[0, 1, 4, nan], [10, 5, 1, 3]], dtype=float)
    result = normalise(
        raw,
        np.array([0, 1, 1, 1.0]),
        np.array([10, 5, 5, 5.0]),
        np.array([False, False, True, True]),
    )
    assert np.allclose(result, [[0, 0, 0.25, nan], [1, 1, 1, 0.5]], equal_nan=True)


def test_median_mean_trimmed_mean_by_hand():
    column = np.array([[1], [2], [3], [4], [100], [nan]], dtype=float)
    assert aggregate(column, "median")[0] == 3
    assert aggregate(column, "mean")[0] == pytest.approx(22)
    # n = 5: floor(0.2 x 5) = 1 dropped from each end -> mean(2, 3, 4)
    assert aggregate(column, "trimmed_mean")[0] == pytest.approx(3)
    even = np.array([[1], [2], [7], [9]], dtype=float)
    assert aggregate(even, "median")[0] == 4.5
    # n = 4: floor(0.8) = 0, nothing trimmed
    assert aggregate(even, "trimmed_mean")[0] == pytest.approx(4.75)
    ten = np.arange(10, dtype=float).reshape(10, 1)
    # n = 10: 2 dropped from each end -> mean(2..7)
    assert aggregate(ten, "trimmed_mean")[0] == pytest.approx(4.5)


def test_missing_is_never_zero():
    cube = np.array([[[nan, 8]], [[nan, nan]]], dtype=float)
    for how in ("median", "mean", "trimmed_mean"):
        result = aggregate(cube, how)
        assert np.isnan(result[0, 0]) and result[0, 1] == 8


def test_no_analysts_gives_nan():
    assert np.isnan(aggregate(np.empty((0, 2, 3)), "median")).all()


def test_completeness_per_axis():
    cube = np.full((2, 2, 2), 1.0)
    cube[0, 0, 0] = cube[0, 1, 0] = nan
    shares = completeness(cube)
    assert shares["overall"] == 0.75 and (shares["present"], shares["expected"]) == (6, 8)
    assert shares["analysts"].tolist() == [0.5, 1.0]
    assert shares["options"].tolist() == [0.75, 0.75]
    assert shares["criteria"].tolist() == [0.5, 1.0]


scores = arrays(
    float,
    st.tuples(st.integers(1, 7), st.integers(1, 4)),
    elements=st.one_of(
        st.just(nan), st.integers(0, 10).map(float), st.floats(0, 10, allow_subnormal=False)
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    values=scores,
    how=st.sampled_from(["median", "mean", "trimmed_mean"]),
    seed=st.integers(0, 2**16),
)
def test_resampled_aggregates_equal_aggregating_the_repeated_rows(values, how, seed):
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(values), np.full(len(values), 1 / len(values)), size=4)
    fast = resampled_aggregates(values, counts, how)
    for b in range(4):
        plain = aggregate(np.repeat(values, counts[b], axis=0), how)
        assert np.allclose(fast[b], plain, equal_nan=True, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(values=scores)
def test_median_agrees_with_numpy(values):
    expected = np.array(
        [np.median(col[~np.isnan(col)]) if (~np.isnan(col)).any() else nan for col in values.T]
    )
    assert np.allclose(aggregate(values, "median"), expected, equal_nan=True)
