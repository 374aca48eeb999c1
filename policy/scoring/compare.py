"""compare(): a workshop's whole comparison, the one structure the results page,
`results --json` and the memo share. Its keys are documented in docs/method.md."""

from dataclasses import dataclass, fields

import numpy as np

from .aggregate import aggregate, normalise
from .inputs import AGGREGATIONS, METHODS, Frames, ScoringError, problem_from_frames
from .rank import contributions, method_totals, red_line_breaches, weighted_sum
from .sections import (
    collect_warnings,
    completeness_section,
    criteria_section,
    disagreement_section,
    grid,
    orders_section,
    ranking_section,
    rounded,
    sensitivity_section,
    weights_section,
    winner_section,
)
from .team_weights import workshop_weights

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Comparison:
    settings: dict
    options: list
    criteria: list
    analysts: list
    weights: dict
    ranking: list
    winner: dict | None
    contributions: dict
    matrix: dict
    completeness: dict
    disagreement: dict
    orders: dict
    sensitivity: dict
    warnings: list

    def to_dict(self) -> dict:
        """JSON-ready: stable keys, floats rounded to 6 places, missing values as None."""
        return rounded({field.name: getattr(self, field.name) for field in fields(self)})


def compare(
    frames: Frames,
    *,
    method: str | None = None,
    aggregation: str | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Comparison:
    """The weighted comparison of a workshop's options.

    method and aggregation default to the workshop's settings. Raises ZeroWeightsError when
    every criterion weighs zero, ScoringError for an unknown method or aggregation.
    """
    method = method or frames.method
    aggregation = aggregation or frames.aggregation
    if method not in METHODS:
        raise ScoringError(f"Unknown method {method!r}: use one of {', '.join(METHODS)}.")
    if aggregation not in AGGREGATIONS:
        raise ScoringError(
            f"Unknown aggregation {aggregation!r}: use one of {', '.join(AGGREGATIONS)}."
        )
    problem = problem_from_frames(frames)
    weights = workshop_weights(frames)

    raw = aggregate(problem.cube, aggregation)
    matrix = normalise(raw, problem.scale_min, problem.scale_max, problem.cost)
    breaches = red_line_breaches(raw, problem.red_line, problem.cost)
    eligible = ~breaches.any(axis=1)
    totals = method_totals(method, matrix, weights.values, eligible)
    covered = weighted_sum(matrix, weights.values)[1]
    analyst_totals = method_totals(
        method,
        normalise(problem.cube, problem.scale_min, problem.scale_max, problem.cost),
        weights.values,
        eligible,
    )

    ranking = ranking_section(problem, totals, covered, raw, breaches)
    orders = orders_section(problem, totals, analyst_totals, aggregation)
    return Comparison(
        settings={
            "method": method,
            "aggregation": aggregation,
            "weighting": weights.method,
            "round": int(frames.round),
            "draws": int(draws),
            "seed": int(seed),
        },
        options=[
            {"code": code, "title": title}
            for code, title in zip(problem.options, problem.option_titles)
        ],
        criteria=criteria_section(problem, frames.criteria, weights),
        analysts=list(problem.analysts),
        weights=weights_section(problem, weights),
        ranking=ranking,
        winner=winner_section(problem, totals),
        contributions=grid(problem, contributions(matrix, weights.values)),
        matrix={"scores": grid(problem, raw), "normalised": grid(problem, matrix)},
        completeness=completeness_section(problem),
        disagreement=disagreement_section(problem, analyst_totals, ~np.isnan(totals)),
        orders=orders,
        sensitivity=sensitivity_section(
            problem, matrix, eligible, weights.values, totals, method, aggregation, draws, seed,
            weights.analysts,
        ),
        warnings=collect_warnings(problem, weights, raw, eligible, orders, ranking),
    )
