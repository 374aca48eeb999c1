"""Criterion weights from the facilitator's inputs: direct points, swing, rank order, AHP."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .ahp import Ahp, ahp_weights
from .inputs import ZeroWeightsError


@dataclass(frozen=True)
class AnalystWeights:
    """Each analyst's own weights, when the workshop lets analysts weight the criteria
    (policy/scoring/team_weights.py). Empty (no labels) when none has given any: the
    facilitator's weights are then used, and `fallback` says so."""

    labels: list[str]  # the analysts who gave weights, sorted
    vectors: np.ndarray  # (analysts, criteria): each analyst's normalised weights
    left_out: int  # analysts of the workshop who gave none
    aggregation: str  # "mean" (direct, swing, rank) or "geometric_mean" (AHP matrices)
    # AHP only: log of each analyst's judgement matrix (analysts, criteria, criteria), which
    # the Monte Carlo averages over resampled analysts.
    log_matrices: np.ndarray | None = None

    @property
    def fallback(self) -> bool:
        return not self.labels


@dataclass(frozen=True)
class Weights:
    values: np.ndarray  # normalised, sum 1
    method: str  # direct, swing, rank, ahp
    source: str  # "inputs", "judgements", "defaults", or "analysts" (their aggregate)
    inputs: np.ndarray  # what the facilitator entered, NaN where nothing
    ahp: Ahp | None = None
    unweighted: list[str] = field(default_factory=list)  # criteria left without an input
    # When analysts weight the criteria themselves (policy/scoring/team_weights.py): theirs.
    analysts: AnalystWeights | None = None


def normalised(points: np.ndarray) -> np.ndarray:
    """Points (or swing values) as shares of their sum."""
    total = float(np.sum(points))
    if not total > 0:
        raise ZeroWeightsError(
            "Every criterion has zero weight, so no option can score. "
            "Give at least one criterion a weight above zero."
        )
    return np.asarray(points, dtype=float) / total


def rank_order_centroid(ranks: np.ndarray) -> np.ndarray:
    """ROC weights from ranks (1 = most important): w_k = (1/n) * sum_{j=k..n} 1/j.

    Tied ranks share the mean of the centroid weights of the positions they occupy, so the
    weights still sum to 1.
    """
    ranks = pd.Series(np.asarray(ranks, dtype=float))
    n = len(ranks)
    centroid = np.cumsum(1 / np.arange(n, 0, -1))[::-1] / n
    positions = ranks.rank(method="first").astype(int).to_numpy() - 1
    return pd.Series(centroid[positions]).groupby(ranks.to_numpy()).transform("mean").to_numpy()


def input_weights(weighting: str, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalised weights from one set of inputs by criterion (points, swing values or ranks;
    NaN where none), and which criteria had an input. A criterion without one weighs zero.
    Raises ZeroWeightsError when every input is zero."""
    given = ~np.isnan(inputs)
    if weighting == "rank":
        values = np.zeros(len(inputs))
        values[given] = rank_order_centroid(inputs[given])
        return values, given
    return normalised(np.where(given, inputs, 0.0)), given


def criterion_weights(criteria: pd.DataFrame, weighting: str, judgements: dict) -> Weights:
    """The workshop's normalised weights from the facilitator's inputs.

    AHP uses the judgements (policy/scoring/ahp.py, which refuses a set that does not link
    every criterion); the other methods use each criterion's input. A workshop with no
    input at all (no weight rows, or AHP with no judgement) uses the case's default weights as
    direct points. A criterion left without an input when others have one weighs zero, and is
    named, rather than borrowing a default on another scale.
    """
    codes = criteria["code"].astype(str).tolist()
    inputs = pd.to_numeric(criteria["weight"]).to_numpy(dtype=float)
    if weighting == "ahp" and judgements:
        ahp = ahp_weights(codes, judgements)
        return Weights(ahp.weights, "ahp", "judgements", inputs, ahp=ahp)
    if weighting != "ahp" and (~np.isnan(inputs)).any():
        values, given = input_weights(weighting, inputs)
        unweighted = [code for code, has in zip(codes, given) if not has]
        return Weights(values, weighting, "inputs", inputs, unweighted=unweighted)
    defaults = criteria["default_weight"].to_numpy(dtype=float)
    return Weights(normalised(defaults), "direct", "defaults", inputs)
