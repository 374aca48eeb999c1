"""The group's weights when each analyst weights the criteria: the aggregate of theirs.

Direct points, swing and rank: each analyst's inputs are normalised as the facilitator's are
(`weights.input_weights`), then averaged per criterion (the arithmetic mean of shares that
each sum to 1 sums to 1). AHP: the element-wise geometric mean of the analysts' judgement
matrices, each completed from its analyst's own judgements where a pair is not judged
(Aczél & Saaty 1983: the one aggregate of judgements that keeps the matrix reciprocal,
a_ji = 1 / a_ij), then its principal eigenvector. Analysts who gave no weights
are left out and counted; when none gave any, the facilitator's weights stand and the result
says so. docs/method.md §2.
"""

from dataclasses import replace

import numpy as np
import pandas as pd

from .ahp import (
    Ahp,
    AhpUnlinkedError,
    ahp_matrix,
    ahp_of_matrix,
    ahp_weights,
    completed,
    most_inconsistent,
)
from .disagreement import cell_spread
from .inputs import Frames, ZeroWeightsError, natural_key
from .weights import AnalystWeights, Weights, criterion_weights, input_weights


def workshop_weights(frames: Frames) -> Weights:
    """The weights the comparison uses: the facilitator's, or, when the workshop lets analysts
    weight the criteria and at least one has, the aggregate of the analysts'."""
    if not frames.analysts_weigh:
        return criterion_weights(frames.criteria, frames.weighting, frames.ahp_judgements)
    codes = frames.criteria["code"].astype(str).tolist()
    inputs = pd.to_numeric(frames.criteria["weight"]).to_numpy(dtype=float)
    everyone = set(frames.analysts["label"].astype(str))
    if frames.weighting == "ahp":
        analysts, group = ahp_analysts(codes, frames.analyst_judgements, everyone)
    else:
        analysts = input_analysts(codes, frames.weighting, frames.analyst_weights, everyone)
        group = None
    if analysts.fallback:
        own = criterion_weights(frames.criteria, frames.weighting, frames.ahp_judgements)
        return replace(own, analysts=analysts)
    if group is not None:
        return Weights(group.weights, "ahp", "analysts", inputs, ahp=group, analysts=analysts)
    values = analysts.vectors.mean(axis=0)
    return Weights(values, frames.weighting, "analysts", inputs, analysts=analysts)


def own_weights(
    codes: list[str], weighting: str, inputs: np.ndarray, judgements: dict
) -> tuple[np.ndarray | None, Ahp | None]:
    """One analyst's normalised weights from their inputs (NaN where none) or, for AHP, their
    judgements, with the AHP consistency; None if they gave no weights (nothing, or zeros)."""
    if weighting == "ahp":
        try:
            ahp = ahp_weights(codes, judgements) if judgements else None
        except AhpUnlinkedError:
            ahp = None  # judgements that do not link every criterion (one added since) give none
        return (None, None) if ahp is None else (ahp.weights, ahp)
    if np.isnan(inputs).all():
        return None, None
    try:
        return input_weights(weighting, inputs)[0], None
    except ZeroWeightsError:
        return None, None


def input_analysts(
    codes: list[str], weighting: str, table: pd.DataFrame, everyone: set[str]
) -> AnalystWeights:
    """Each analyst's normalised weights from their points, swing values or ranks. An analyst
    with no input, or only zeros, gave no weights."""
    given = table.dropna(subset=["value"]).astype({"analyst": str, "criterion": str})
    grid = given.pivot_table(index="analyst", columns="criterion", values="value", aggfunc="last")
    grid = grid.reindex(columns=codes)
    labels, vectors = [], []
    for label in sorted(grid.index, key=natural_key):
        values, _ = own_weights(codes, weighting, grid.loc[label].to_numpy(dtype=float), {})
        if values is not None:
            labels.append(label)
            vectors.append(values)
    return AnalystWeights(
        labels=labels,
        vectors=np.array(vectors).reshape(len(labels), len(codes)),
        left_out=len(everyone - set(labels)),
        aggregation="mean",
    )


def ahp_analysts(codes: list[str], judgements: dict, everyone: set[str]):
    """Each analyst's AHP weights, and the group's from the geometric mean of their matrices.

    A pair an analyst did not judge is completed from their own judgements (LLSM, as for the
    facilitator: `ahp.completed`), so that each matrix is whole; an analyst whose judgements do
    not link every criterion gave no weights. The group's `missing_pairs` are those no analyst
    judged, its `ignored` the judgements left out, each after its analyst's label, and its
    judgements furthest from the weights are among the pairs some analyst judged."""
    labels, vectors, matrices, missing, ignored = [], [], [], None, []
    for label in sorted((str(label) for label, given in judgements.items() if given),
                        key=natural_key):
        values, own = own_weights(codes, "ahp", np.array([]), judgements[label])
        if values is None:
            continue
        matrix, unjudged, left_out = ahp_matrix(codes, judgements[label])
        labels.append(label)
        vectors.append(values)
        matrices.append(completed(matrix, values))
        missing = set(unjudged) if missing is None else missing & set(unjudged)
        ignored += [f"{label}: {pair}" for pair in left_out]
    n = len(codes)
    if not labels:
        empty = AnalystWeights([], np.zeros((0, n)), len(everyone), "geometric_mean")
        return empty, None
    logs = np.log(np.array(matrices))
    group = np.exp(logs.mean(axis=0))
    ordered_missing = [pair for pair in ahp_matrix(codes, {})[1] if pair in missing]
    analysts = AnalystWeights(
        labels=labels,
        vectors=np.array(vectors),
        left_out=len(everyone - set(labels)),
        aggregation="geometric_mean",
        log_matrices=logs,
    )
    ahp = ahp_of_matrix(codes, group, ordered_missing, ignored)
    judged = group.copy()
    for pair in ordered_missing:
        i, j = (codes.index(code) for code in pair.split("|"))
        judged[i, j] = judged[j, i] = np.nan
    return analysts, replace(ahp, inconsistent=most_inconsistent(codes, judged, ahp.weights))


def weight_spread(analysts: AnalystWeights) -> dict[str, np.ndarray]:
    """Per criterion over the analysts' normalised weights: n, min, quartiles (type 7, as
    for scores), median, max, IQR and sample SD, as shares of the total weight."""
    vectors = analysts.vectors[:, np.newaxis, :]  # the cube's shape: one "option"
    spread = {key: value[0] for key, value in cell_spread(vectors).items() if key != "contested"}
    present = len(analysts.labels) > 0
    spread["min"] = vectors.min(axis=0)[0] if present else np.full(vectors.shape[-1], np.nan)
    spread["max"] = vectors.max(axis=0)[0] if present else np.full(vectors.shape[-1], np.nan)
    return spread
