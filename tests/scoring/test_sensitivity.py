"""Flip points (exact, by hand and at the bound itself) and Monte Carlo rank acceptability."""

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from policy.scoring import flip_points, make_frames, problem_from_frames, rank_acceptability
from policy.scoring.rank import method_totals
from policy.scoring.sensitivity import dirichlet_weights, weight_paths

nan = np.nan
ALL = np.ones(3, dtype=bool)
# O1 wins at equal weights: totals 0.5, 0.3, 0.4.
MATRIX = np.array([[1.0, 0.0], [0.0, 0.6], [0.3, 0.5]])


def test_weight_paths_keep_the_others_in_proportion():
    a, b = weight_paths(np.array([0.5, 0.3, 0.2]))
    t = 0.8
    assert a[0] + b[0] * t == pytest.approx([0.8, 0.12, 0.08])
    assert a[2] + b[2] * t == pytest.approx([0.125, 0.075, 0.8])


def test_flip_points_by_hand():
    flips = flip_points(MATRIX, np.array([0.5, 0.5]), ALL, 0, "weighted_sum")
    # C1 share t: O1 = t, O3 = 0.3 t + 0.5 (1 - t) -> t = 5/12 (O2 would need t = 3/8).
    # C2 share t: O1 = 1 - t, O3 = 0.3 (1 - t) + 0.5 t -> t = 7/12 (O2 would need 5/8).
    assert flips.lower == pytest.approx([5 / 12, 0])
    assert flips.upper == pytest.approx([1, 7 / 12])
    assert flips.below.tolist() == [2, -1] and flips.above.tolist() == [-1, 2]


def test_no_rival_means_the_whole_interval():
    flips = flip_points(MATRIX[:1], np.array([0.5, 0.5]), np.ones(1, bool), 0, "weighted_sum")
    assert flips.lower.tolist() == [0, 0] and flips.upper.tolist() == [1, 1]
    assert flips.below.tolist() == [-1, -1] == flips.above.tolist()


def test_zero_weight_criterion_starts_at_zero():
    flips = flip_points(MATRIX, np.array([0.0, 1.0]), ALL, 1, "weighted_sum")
    # C1 weighs nothing, so O2 leads on C2 alone (0.6). As C1's share t grows, O3
    # (0.5 - 0.2 t) passes O2 (0.6 - 0.6 t) at t = 0.25, before O1 (t) does at 0.375.
    assert flips.weight[0] == 0 and flips.lower[0] == 0
    assert flips.upper[0] == pytest.approx(0.25) and flips.above[0] == 2


matrices = arrays(
    float,
    st.tuples(st.integers(2, 5), st.integers(2, 4)),
    elements=st.one_of(st.just(nan), st.floats(0, 1)),
)


@settings(max_examples=150, deadline=None)
@given(
    matrix=matrices,
    raw_weights=st.lists(st.floats(0.05, 1), min_size=4, max_size=4),
    method=st.sampled_from(["weighted_sum", "topsis"]),
)
# Found by hypothesis: TOPSIS closeness rises ~1,000 times faster than the weight near w = 1.
@example(matrix=np.array([[0.7598, 0, 0.7590, 0.7590], [0.7590] * 4]),
         raw_weights=[0.25] * 4, method="topsis")
def test_flip_points_are_exact(matrix, raw_weights, method):
    """At each flip point the taker-over ties the winner; just past it, it leads."""
    weights = np.array(raw_weights[: matrix.shape[1]])
    weights /= weights.sum()
    eligible = ~np.isnan(matrix).all(axis=1)
    assume(eligible.sum() >= 2)
    totals = method_totals(method, matrix, weights, eligible)
    winner = int(np.nanargmax(totals))
    flips = flip_points(matrix, weights, eligible, winner, method)
    a_all, b_all = weight_paths(weights)
    for k in range(len(weights)):
        assert flips.lower[k] <= weights[k] + 1e-9 <= flips.upper[k] + 2e-9
        for bound, rival, step in (
            (flips.lower[k], flips.below[k], -1e-6),
            (flips.upper[k], flips.above[k], 1e-6),
        ):
            if rival < 0:
                continue
            def lead(t, k=k, rival=rival):
                totals = method_totals(method, matrix, a_all[k] + b_all[k] * t, eligible)
                return totals[rival] - totals[winner]

            # A tie at the flip point, or, where the totals are steep in the weight (TOPSIS
            # near a weight of 1: the roots of its polynomial are found to ~1e-8), the crossing
            # within 1e-7 of it; weights are shown to a tenth of a percent.
            assert abs(lead(bound)) <= 1e-7 or lead(bound - 1e-7) * lead(bound + 1e-7) <= 0
            past = method_totals(method, matrix, a_all[k] + b_all[k] * (bound + step), eligible)
            assert past[rival] > past[winner] - 1e-9
        # Strictly inside the interval the winner is never beaten.
        middle = (flips.lower[k] + flips.upper[k]) / 2
        inside = method_totals(method, matrix, a_all[k] + b_all[k] * middle, eligible)
        assert np.nanmax(inside) <= inside[winner] + 1e-9


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_tie_at_a_zero_or_full_weight_flips_at_once(method):
    # C2 is constant, so with C1 at zero weight every option ties; O2 and O3 lead on C1, so
    # any weight on C1 hands them first place (a fourfold root of the TOPSIS polynomial).
    matrix = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    flips = flip_points(matrix, np.array([0.0, 1.0]), ALL, 0, method)
    assert flips.upper.tolist() == [0, 1] and flips.lower.tolist() == [0, 1]
    assert flips.above.tolist() == [1, -1] and flips.below.tolist() == [-1, 1]


def frames_for(rows, **criteria):
    return make_frames(rows, ["O1", "O2", "O3"], [{"code": "C1", **criteria}, "C2"])


ROWS = [
    (a, o, c, v)
    for a, scores in {
        "A1": {"O1": (9, 2), "O2": (3, 8), "O3": (5, 5)},
        "A2": {"O1": (8, 3), "O2": (4, 7), "O3": (6, 4)},
        "A3": {"O1": (2, 2), "O2": (9, 9), "O3": (5, 6)},
    }.items()
    for o, (c1, c2) in scores.items()
    for c, v in (("C1", c1), ("C2", c2))
]


def acceptability(frames, draws=500, seed=7, method="weighted_sum"):
    problem = problem_from_frames(frames)
    from policy.scoring import aggregate, normalise

    raw = aggregate(problem.cube, "median")
    matrix = normalise(raw, problem.scale_min, problem.scale_max, problem.cost)
    return rank_acceptability(
        problem, matrix, np.ones(3, bool), np.array([0.5, 0.5]), method, "median", draws, seed
    )


def test_monte_carlo_is_seeded_and_shares_add_up():
    first, again = acceptability(frames_for(ROWS)), acceptability(frames_for(ROWS))
    assert first.p_first.tolist() == again.p_first.tolist()
    assert first.rank_shares.tolist() == again.rank_shares.tolist()
    assert first.p_first.sum() == pytest.approx(1)
    assert first.rank_shares.sum(axis=1) == pytest.approx([1, 1, 1])
    assert first.rank_shares[:, 0] == pytest.approx(first.p_first)
    assert (first.draws, first.resamples, first.concentration) == (500, 500, 20.0)
    other = acceptability(frames_for(ROWS), seed=8)
    assert other.p_first.tolist() != first.p_first.tolist()


def test_monte_carlo_never_ranks_a_dominated_option_first():
    rows = ROWS + [(a, "O3", c, 0) for a in ("A1", "A2", "A3") for c in ("C1", "C2")]
    rows = [r for r in rows if not (r[1] == "O3" and r[3] != 0)]
    for method in ("weighted_sum", "topsis"):
        result = acceptability(frames_for(rows), method=method)
        assert result.p_first[2] == 0 and result.p_first_weights[2] == 0


def test_monte_carlo_with_one_analyst_only_varies_weights():
    rows = [r for r in ROWS if r[0] == "A1"]
    result = acceptability(frames_for(rows))
    # Every resample of one analyst is that analyst: the team's weights pick O1 every time.
    assert result.p_first_analysts.tolist() == [1, 0, 0]


def test_red_line_screening_is_redone_per_draw():
    result = acceptability(frames_for(ROWS, red_line_threshold=5))
    # O2's C1 median is 4 (below 5): screened in most resamples, never first when screened.
    assert result.p_screened[1] > 0.5
    assert result.p_first[1] <= 1 - result.p_screened[1] + 1e-12


def test_dirichlet_draws_centre_on_the_weights_and_keep_zeros():
    rng = np.random.default_rng(0)
    draws = dirichlet_weights(rng, np.array([0.6, 0.0, 0.4]), 20000)
    assert draws.sum(axis=1) == pytest.approx(np.ones(20000))
    assert (draws[:, 1] == 0).all()
    assert draws.mean(axis=0) == pytest.approx([0.6, 0, 0.4], abs=0.005)
    # kappa = 10 x 2 weighted criteria: Var = w (1 - w) / (kappa + 1)
    assert draws[:, 0].std() == pytest.approx(np.sqrt(0.24 / 21), rel=0.05)


def test_each_options_shares_add_to_one_with_the_no_total_share():
    """A red line screens O2 out in some draws and O3 is never scored: the draws in which an
    option has no total are counted, so every option's shares add to 1."""
    rows = [r for r in ROWS if r[1] != "O3"]
    result = acceptability(frames_for(rows, red_line_threshold=5))
    totals = result.rank_shares.sum(axis=1) + result.p_no_total
    assert totals == pytest.approx([1, 1, 1], abs=1e-12)
    assert result.p_no_total[2] == 1 and result.rank_shares[2].sum() == 0
    assert 0 < result.p_screened[1] <= result.p_no_total[1] < 1
    assert result.p_screened[2] == 0  # not scored is not screened out
