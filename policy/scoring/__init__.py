"""The weighted-comparison engine: pure functions on pandas and numpy, no Django.

`compare(frames)` is the entry point; `policy.workshops.frames.workshop_frames` builds its input.
"""

from .ahp import AhpUnlinkedError, spanning_pairs, unlinked
from .aggregate import aggregate, completeness, normalise, resampled_aggregates
from .compare import DEFAULT_DRAWS, DEFAULT_SEED, Comparison, compare
from .disagreement import cell_spread, kendall_w, value_spreads
from .inputs import (
    AGGREGATIONS,
    METHODS,
    WEIGHTINGS,
    Frames,
    ScoringError,
    ZeroWeightsError,
    make_frames,
    problem_from_frames,
)
from .rank import competition_ranks, red_line_breaches, topsis, weighted_sum
from .sensitivity import flip_points, rank_acceptability
from .weights import ahp_weights, criterion_weights, normalised, rank_order_centroid

__all__ = [
    "AGGREGATIONS",
    "AhpUnlinkedError",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "METHODS",
    "WEIGHTINGS",
    "Comparison",
    "Frames",
    "ScoringError",
    "ZeroWeightsError",
    "aggregate",
    "ahp_weights",
    "cell_spread",
    "compare",
    "competition_ranks",
    "completeness",
    "criterion_weights",
    "flip_points",
    "kendall_w",
    "value_spreads",
    "make_frames",
    "normalise",
    "normalised",
    "problem_from_frames",
    "rank_acceptability",
    "rank_order_centroid",
    "red_line_breaches",
    "spanning_pairs",
    "resampled_aggregates",
    "topsis",
    "unlinked",
    "weighted_sum",
]
