"""What the engine takes in: a workshop's rows as DataFrames, and the arrays computed from them.

No Django here: `policy.workshops.frames` builds a `Frames` from the database, tests build one by hand.
"""

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import names

METHODS = tuple(names.METHODS)
AGGREGATIONS = tuple(names.AGGREGATIONS)
WEIGHTINGS = tuple(names.WEIGHTINGS)


class ScoringError(ValueError):
    """Inputs that cannot give a comparison; the message is fit to show a facilitator."""


class ZeroWeightsError(ScoringError):
    """Every criterion weighs zero, so no option can score."""


@dataclass(frozen=True)
class Frames:
    """A workshop's inputs, one table per kind of row.

    scores:   analyst (label), option (code), criterion (code), value: one row per score given.
    criteria: code, title, kind, origin, direction ("benefit"/"cost"), scale_min, scale_max,
              weight (the facilitator's input: points, swing value or rank; NaN if none),
              default_weight, red_line_threshold (NaN if none); in the case's order.
    options:  code, title; in the case's order.
    analysts: label; every analyst of the workshop, scorer or not.
    analyst_weights: analyst (label), criterion (code), value: each analyst's own inputs in
              the workshop's weighting (direct, swing, rank), read only when analysts_weigh.
    analyst_judgements: {label: {"C1|C2": 3, ...}}: each analyst's own AHP judgements.
    """

    scores: pd.DataFrame
    criteria: pd.DataFrame
    options: pd.DataFrame
    analysts: pd.DataFrame
    weighting: str = "direct"
    ahp_judgements: dict = field(default_factory=dict)
    method: str = "weighted_sum"
    aggregation: str = "median"
    round: int = 1
    analysts_weigh: bool = False  # the group's weights are the aggregate of the analysts'
    analyst_weights: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["analyst", "criterion", "value"])
    )
    analyst_judgements: dict = field(default_factory=dict)


def natural_key(label: str) -> list:
    """Sort A2 before A10 and analyst-2 before analyst-10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", label)]


@dataclass(frozen=True)
class Problem:
    """The inputs as aligned arrays: axis order is always (analyst, option, criterion)."""

    analysts: list[str]
    options: list[str]
    option_titles: list[str]
    criteria: list[str]
    criterion_titles: list[str]
    cube: np.ndarray  # raw scores on each criterion's scale, NaN where none was given
    scale_min: np.ndarray
    scale_max: np.ndarray
    cost: np.ndarray  # True where lower is better
    red_line: np.ndarray  # threshold on the criterion's scale, NaN where none

    @property
    def scorers(self) -> np.ndarray:
        """Which analysts gave at least one score."""
        return ~np.isnan(self.cube).all(axis=(1, 2))


def positions(column: pd.Series, names: list[str]) -> np.ndarray:
    """Where each row's name sits in `names` (-1 if absent), hashing each distinct name once."""
    values = column.astype("category") if column.dtype != "category" else column
    lookup = pd.Index(names).get_indexer(values.cat.categories.astype(str))
    codes = values.cat.codes.to_numpy()
    return np.where(codes >= 0, lookup[codes], -1)


def check_inputs(frames: Frames) -> None:
    """Refuse what no comparison can be made of, with a message a facilitator can act on
    (rather than a NaN that spreads, or numpy failing on an empty array)."""
    if not len(frames.options):
        raise ScoringError("The case has no options, so there is nothing to compare.")
    table = frames.criteria
    if not len(table):
        raise ScoringError("The case has no criteria, so the options cannot be compared.")
    low = pd.to_numeric(table["scale_min"]).to_numpy(dtype=float)
    high = pd.to_numeric(table["scale_max"]).to_numpy(dtype=float)
    codes = table["code"].astype(str).to_numpy()
    bad = ~(np.isfinite(low) & np.isfinite(high) & (low < high))
    if bad.any():
        raise ScoringError(
            f"The scale of {', '.join(codes[bad])} has no range: its minimum must be below "
            "its maximum."
        )
    for column, name in (("weight", "weight"), ("default_weight", "default weight")):
        values = pd.to_numeric(table[column]).to_numpy(dtype=float)
        # NaN is a weight nobody entered; infinity or a negative number is an error.
        wrong = np.isinf(values) | (values < 0)
        if wrong.any():
            raise ScoringError(
                f"The {name} of {', '.join(codes[wrong])} must be a finite number of 0 or more."
            )
    values = pd.to_numeric(frames.scores["value"]).to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ScoringError(f"{int((~np.isfinite(values)).sum())} score(s) are not finite numbers.")


def problem_from_frames(frames: Frames) -> Problem:
    """Align the long score table into a dense cube.

    Analysts are sorted by label so that the order in which rows arrive changes nothing,
    including the Monte Carlo draws. Scores for options or criteria not in the case are
    dropped; a scorer missing from the analysts table is still counted. Raises ScoringError
    for inputs that cannot be compared (check_inputs).
    """
    check_inputs(frames)
    options = frames.options["code"].astype(str).tolist()
    criteria = frames.criteria["code"].astype(str).tolist()
    scores = frames.scores
    labels = set(frames.analysts["label"].astype(str)) | set(
        map(str, pd.unique(scores["analyst"].dropna()))
    )
    analysts = sorted(labels, key=natural_key)

    cube = np.full((len(analysts), len(options), len(criteria)), np.nan)
    if len(scores):
        a = positions(scores["analyst"], analysts)
        o = positions(scores["option"], options)
        c = positions(scores["criterion"], criteria)
        known = (a >= 0) & (o >= 0) & (c >= 0)
        cube[a[known], o[known], c[known]] = scores["value"].to_numpy(dtype=float)[known]

    table = frames.criteria
    return Problem(
        analysts=analysts,
        options=options,
        option_titles=frames.options["title"].astype(str).tolist(),
        criteria=criteria,
        criterion_titles=table["title"].astype(str).tolist(),
        cube=cube,
        scale_min=table["scale_min"].to_numpy(dtype=float),
        scale_max=table["scale_max"].to_numpy(dtype=float),
        cost=(table["direction"] == "cost").to_numpy(),
        red_line=pd.to_numeric(table["red_line_threshold"]).to_numpy(dtype=float),
    )


CRITERION_DEFAULTS = {
    "title": "",
    "kind": "other",
    "origin": "",
    "direction": "benefit",
    "scale_min": 0,
    "scale_max": 10,
    "weight": np.nan,
    "default_weight": 1.0,
    "red_line_threshold": np.nan,
}


def make_frames(scores, options, criteria, analysts=None, **settings) -> Frames:
    """Frames from plain Python data, for tests, benchmarks and scripts.

    scores: (analyst, option, criterion, value) tuples; options: codes or (code, title) pairs;
    criteria: codes or dicts with "code" and any CRITERION_DEFAULTS key to override.
    """
    option_rows = [(o, o) if isinstance(o, str) else tuple(o) for o in options]
    criterion_rows = [
        {**CRITERION_DEFAULTS, "title": c, "code": c}
        if isinstance(c, str)
        else {**CRITERION_DEFAULTS, "title": c["code"], **c}
        for c in criteria
    ]
    score_table = pd.DataFrame(list(scores), columns=["analyst", "option", "criterion", "value"])
    labels = (
        analysts if analysts is not None else sorted(set(score_table["analyst"]), key=natural_key)
    )
    return Frames(
        scores=score_table,
        criteria=pd.DataFrame(criterion_rows, columns=["code", *CRITERION_DEFAULTS]),
        options=pd.DataFrame(option_rows, columns=["code", "title"]),
        analysts=pd.DataFrame({"label": list(labels)}, dtype=object),
        **settings,
    )
