"""The parts of a comparison's result, each built from arrays into plain Python data
(lists, dicts, floats and None) that templates and json.dumps take as they are."""

import math

import numpy as np

from .aggregate import aggregate, completeness
from .disagreement import cell_spread, kendall_w
from .inputs import Problem
from .rank import TIE_DECIMALS, competition_ranks, ordinal_ranks
from .names import word_for
from .sensitivity import flip_points, rank_acceptability
from .ahp import ahp_section
from .team_weights import weight_spread
from .weights import AnalystWeights, Weights

DECIMALS = 6  # to_dict rounds every float to this many places; the object keeps full precision


def number(value) -> float | None:
    """A plain float, or None where there is no value."""
    value = float(value)
    return value if math.isfinite(value) else None


def rounded(value):
    if isinstance(value, float):
        return round(value, DECIMALS) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def warning(code: str, message: str) -> dict:
    return {"code": code, "message": message}


def leader(totals: np.ndarray) -> int:
    """Index of the first-ranked option (the earlier one on a tie), -1 if none has a total."""
    first = np.flatnonzero(ordinal_ranks(totals) == 1)
    return int(first[0]) if len(first) else -1


def by_code(codes: list[str], values) -> dict:
    return {code: number(value) for code, value in zip(codes, values)}


def grid(problem: Problem, values: np.ndarray) -> dict:
    return {o: by_code(problem.criteria, row) for o, row in zip(problem.options, values)}


def criteria_section(problem: Problem, table, weights: Weights) -> list[dict]:
    return [
        {
            "code": code,
            "title": title,
            "kind": str(kind),
            "origin": origin or None,
            "direction": "cost" if cost else "benefit",
            "scale_min": number(low),
            "scale_max": number(high),
            "red_line_threshold": number(threshold),
            "weight": number(weight),
        }
        for code, title, kind, origin, cost, low, high, threshold, weight in zip(
            problem.criteria,
            problem.criterion_titles,
            table["kind"],
            table["origin"],
            problem.cost,
            problem.scale_min,
            problem.scale_max,
            problem.red_line,
            weights.values,
        )
    ]


def weights_section(problem: Problem, weights: Weights) -> dict:
    ahp = weights.ahp
    return {
        "method": weights.method,
        "source": weights.source,
        "values": by_code(problem.criteria, weights.values),
        "inputs": by_code(problem.criteria, weights.inputs),
        "unweighted": weights.unweighted,
        "analysts": analysts_section(problem, weights.analysts),
        "ahp": None if ahp is None else ahp_section(ahp),
    }


def analysts_section(problem: Problem, analysts: AnalystWeights | None) -> dict | None:
    """The analysts' own weights and how far apart they are, per criterion (None when the
    facilitator weights the criteria alone)."""
    if analysts is None:
        return None
    spread = weight_spread(analysts)
    return {
        "given": len(analysts.labels),
        "left_out": analysts.left_out,
        "fallback": analysts.fallback,
        "aggregation": analysts.aggregation,
        "values": {
            label: by_code(problem.criteria, row)
            for label, row in zip(analysts.labels, analysts.vectors)
        },
        "spread": [
            {"criterion": code, "title": title, "n": int(spread["n"][c]),
             **{key: number(spread[key][c])
                for key in ("min", "q1", "median", "q3", "max", "iqr", "sd")}}
            for c, (code, title) in enumerate(zip(problem.criteria, problem.criterion_titles))
        ],
    }


def flip_against_analysts(
    analysts: AnalystWeights | None, c: int, lower: float, upper: float
) -> dict | None:
    """Where a criterion's flip interval lies against the weights analysts gave it: their
    range, how many gave a weight outside the interval, and whether a flip point falls inside
    the range (one criterion at a time, the others scaled: an indication, not a verdict)."""
    if analysts is None or analysts.fallback:
        return None
    given = analysts.vectors[:, c]
    low, high = float(given.min()), float(given.max())
    return {
        "min": number(low),
        "max": number(high),
        "outside": int(((given < lower) | (given > upper)).sum()),
        "flips_within": bool(low < lower or high > upper),
    }


def ranking_section(problem, totals, covered, raw, breaches) -> list[dict]:
    """Ranked options best first, then those screened out, then those with no scores."""
    ranks = competition_ranks(totals)
    rows = []
    for i, code in enumerate(problem.options):
        crossed = [
            {
                "criterion": problem.criteria[c],
                "title": problem.criterion_titles[c],
                "threshold": number(problem.red_line[c]),
                "score": number(raw[i, c]),
                "direction": "cost" if problem.cost[c] else "benefit",
            }
            for c in np.flatnonzero(breaches[i])
        ]
        status = "ranked" if ranks[i] else "screened_out" if crossed else "no_scores"
        rows.append(
            {
                "option": code,
                "title": problem.option_titles[i],
                "rank": int(ranks[i]) or None,
                "total": number(totals[i]),
                "weight_covered": number(covered[i]),
                "status": status,
                "screened_out": crossed,
            }
        )
    order = {"ranked": 0, "screened_out": 1, "no_scores": 2}
    return sorted(rows, key=lambda row: (order[row["status"]], row["rank"] or 0))


def winner_section(problem, totals) -> dict | None:
    ranks = ordinal_ranks(totals)
    if not (ranks == 1).any():
        return None
    first = int(np.flatnonzero(ranks == 1)[0])
    second = np.flatnonzero(ranks == 2)
    runner_up = int(second[0]) if len(second) else None
    margin = None if runner_up is None else totals[first] - totals[runner_up]
    return {
        "option": problem.options[first],
        "title": problem.option_titles[first],
        "total": number(totals[first]),
        "runner_up": None if runner_up is None else problem.options[runner_up],
        "margin": None if margin is None else number(margin),
        "tied": margin is not None and round(float(margin), TIE_DECIMALS) == 0,
    }


def disagreement_section(problem: Problem, analyst_totals: np.ndarray, ranked: np.ndarray) -> dict:
    spread = cell_spread(problem.cube)
    columns = {name: values.ravel().tolist() for name, values in spread.items()}
    # Explicit cell count: with no analysts the cube is empty and -1 cannot be inferred.
    cell_count = len(problem.options) * len(problem.criteria)
    by_cell = problem.cube.reshape(len(problem.analysts), cell_count).T.tolist()
    n_criteria = len(problem.criteria)
    cells = [
        {
            "option": problem.options[m // n_criteria],
            "criterion": problem.criteria[m % n_criteria],
            "n": int(columns["n"][m]),
            "median": number(columns["median"][m]),
            "sd": number(columns["sd"][m]),
            "q1": number(columns["q1"][m]),
            "q3": number(columns["q3"][m]),
            "iqr": number(columns["iqr"][m]),
            "contested": columns["contested"][m],
            # v == v is False only for NaN: the analysts who scored this cell.
            "values": {label: v for label, v in zip(problem.analysts, by_cell[m]) if v == v},
        }
        for m in range(len(by_cell))
        if columns["n"][m]
    ]
    cells.sort(key=lambda cell: (not cell["contested"], -cell["iqr"], -(cell["sd"] or 0.0)))
    # Kendall's W over the analysts who gave a total to every ranked option.
    totals = analyst_totals[:, ranked]
    raters = ~np.isnan(totals).any(axis=1) if ranked.any() else np.zeros(len(totals), bool)
    w = kendall_w(np.round(totals[raters], TIE_DECIMALS))
    return {
        "cells": cells,
        "contested": sum(cell["contested"] for cell in cells),
        "kendall_w": {
            "w": None if w is None else number(w),
            "raters": int(raters.sum()),
            "options": int(ranked.sum()),
        },
    }


def orders_section(problem, totals, analyst_totals, aggregation) -> dict:
    """The team as one (aggregate the scores, then weight: the headline) beside the team as
    individuals (weight each analyst's scores, then aggregate the totals)."""
    individual = aggregate(analyst_totals, aggregation)
    first, second = leader(totals), leader(individual)
    firsts = ordinal_ranks(analyst_totals) == 1
    return {
        "aggregate_then_weight": {
            "totals": by_code(problem.options, totals),
            "winner": problem.options[first] if first >= 0 else None,
        },
        "weight_then_aggregate": {
            "totals": by_code(problem.options, individual),
            "winner": problem.options[second] if second >= 0 else None,
        },
        "winners_differ": first != second,
        "analyst_winners": {
            label: problem.options[choice]
            for label, choice, has_one in zip(
                problem.analysts, np.argmax(firsts, axis=1), firsts.any(axis=1)
            )
            if has_one
        },
    }


def sensitivity_section(
    problem, matrix, eligible, weights, totals, method, aggregation, draws, seed, analysts=None
) -> dict:
    first = leader(totals)
    if first < 0:
        return {"flip_points": [], "rank_acceptability": None}
    flips = flip_points(matrix, weights, eligible, first, method)
    name = [*problem.options, None]  # index -1 names no option
    flip_rows = [
        {
            "criterion": code,
            "title": problem.criterion_titles[c],
            "weight": number(flips.weight[c]),
            "lower": number(flips.lower[c]),
            "upper": number(flips.upper[c]),
            "below_takes_over": name[flips.below[c]],
            "above_takes_over": name[flips.above[c]],
            "analysts": flip_against_analysts(analysts, c, flips.lower[c], flips.upper[c]),
        }
        for c, code in enumerate(problem.criteria)
    ]
    if draws < 1:
        return {"flip_points": flip_rows, "rank_acceptability": None}
    mc = rank_acceptability(
        problem, matrix, eligible, weights, method, aggregation, draws, seed, analysts
    )
    return {
        "flip_points": flip_rows,
        "rank_acceptability": {
            "draws": mc.draws,
            "resamples": mc.resamples,
            "seed": seed,
            "concentration": mc.concentration,
            "weights_drawn": mc.weights_drawn,
            "options": [
                {
                    "option": code,
                    "p_first": number(mc.p_first[i]),
                    "p_first_weights": number(mc.p_first_weights[i]),
                    "p_first_analysts": number(mc.p_first_analysts[i]),
                    "p_screened": number(mc.p_screened[i]),
                    "p_no_total": number(mc.p_no_total[i]),
                    "ranks": [number(share) for share in mc.rank_shares[i]],
                }
                for i, code in enumerate(problem.options)
            ],
        },
    }


def completeness_section(problem: Problem) -> dict:
    shares = completeness(problem.cube)
    return {
        "overall": shares["overall"],
        "present": shares["present"],
        "expected": shares["expected"],
        "options": by_code(problem.options, shares["options"]),
        "criteria": by_code(problem.criteria, shares["criteria"]),
        "analysts": by_code(problem.analysts, shares["analysts"]),
    }


def collect_warnings(problem, weights, raw, eligible, orders, ranking) -> list:
    found = []
    present = ~np.isnan(problem.cube)
    if not present.any():
        found.append(warning("no_scores", "No scores have been given in this round yet."))
    elif not present.all():
        found.append(
            warning(
                "missing_scores",
                f"{int((~present).sum())} of {present.size} expected scores are missing. Each "
                "option's total uses the weights of the criteria it has scores on "
                "(weight_covered).",
            )
        )
    if present.any() and problem.scorers.sum() == 1:
        found.append(
            warning(
                "one_analyst",
                "Only one analyst has scored, so there is no "
                "disagreement to measure and no resampling of analysts.",
            )
        )
    if weights.source == "defaults":
        found.append(
            warning(
                "default_weights",
                "No weights are set for this workshop; the case's default weights are used.",
            )
        )
    if weights.analysts is not None:
        found += analyst_weight_warnings(weights.analysts)
    if weights.unweighted:
        found.append(
            warning(
                "unweighted_criteria",
                f"No weight was entered for {', '.join(weights.unweighted)}; they weigh zero.",
            )
        )
    if weights.ahp is not None:
        ahp = weights.ahp
        if not ahp.consistent:
            found.append(
                warning(
                    "ahp_inconsistent",
                    f"The AHP judgements are inconsistent: CR {ahp.consistency_ratio:.3f} is "
                    f"above {ahp.limit:.2f}, Saaty's limit for {len(problem.criteria)} criteria.",
                )
            )
        if ahp.missing_pairs:
            pairs = ahp.judged + len(ahp.missing_pairs)
            found.append(
                warning(
                    "ahp_missing_pairs",
                    f"{ahp.judged} of {pairs} pairs were compared; the weights are completed "
                    "from them by logarithmic least squares.",
                )
            )
        if ahp.ignored:
            found.append(
                warning(
                    "ahp_ignored",
                    "Judgements left out (unknown criterion or not "
                    f"a positive number): {', '.join(ahp.ignored)}.",
                )
            )
    red_lines = ~np.isnan(problem.red_line)
    for c in np.flatnonzero(red_lines):
        unscored = [
            problem.options[o]
            for o in np.flatnonzero(np.isnan(raw[:, c]) & eligible)
            if present[:, o].any()
        ]
        if unscored:
            found.append(
                warning(
                    "red_line_unscored",
                    f"No score on red-line criterion "
                    f"{problem.criteria[c]} for {', '.join(unscored)}: not screened.",
                )
            )
    if present.any() and not eligible.any():
        found.append(warning("all_screened_out", "Every option crosses a red line."))
    if orders["winners_differ"]:
        found.append(
            warning(
                "winners_differ",
                "The team as one and the team as individuals pick different winners.",
            )
        )
    ranked = [row for row in ranking if row["rank"] == 1]
    if len(ranked) > 1:
        found.append(
            warning(
                "tie_for_first",
                f"Tie for first place: {', '.join(row['option'] for row in ranked)}.",
            )
        )
    return found


def analyst_weight_warnings(analysts: AnalystWeights) -> list:
    if analysts.fallback:
        return [warning(
            "analysts_no_weights",
            "Analysts weight the criteria themselves, but none has yet: the facilitator's "
            "weights are used.",
        )]
    if analysts.left_out:
        return [warning(
            "analysts_left_out",
            f"{analysts.left_out} {word_for(analysts.left_out, 'analyst')} gave no weights and "
            f"{word_for(analysts.left_out, 'is', 'are')} left out of the group's weights.",
        )]
    return []
