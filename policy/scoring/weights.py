"""Criterion weights from the facilitator's inputs: direct points, swing, rank order, AHP."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .inputs import ZeroWeightsError

# Saaty's random consistency index by matrix size (Saaty, "Theory and Applications of the
# Analytic Network Process", RWS Publications, 2005, p. 31). Beyond 15 the table stops; we keep
# 1.59, which slightly overstates CR (the index still rises slowly), so errs towards warning.
SAATY_RANDOM_INDEX = (
    0.0,
    0.0,
    0.0,
    0.52,
    0.89,
    1.11,
    1.25,
    1.35,
    1.40,
    1.45,
    1.49,
    1.52,
    1.54,
    1.56,
    1.58,
    1.59,
)
CONSISTENCY_LIMIT = 0.1


@dataclass(frozen=True)
class Ahp:
    weights: np.ndarray
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    missing_pairs: list[str]  # pairs nobody judged, taken as equal importance
    ignored: list[str]  # judgements that name an unknown criterion or are not a positive number

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= CONSISTENCY_LIMIT


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


def ahp_matrix(codes: list[str], judgements: dict) -> tuple[np.ndarray, list[str], list[str]]:
    """The reciprocal matrix from {"C1|C2": 3} (C1 is 3 times as important as C2).

    Pairs nobody judged stay 1 (equal importance) and are named; judgements on unknown criteria
    or with a value that is not a positive finite number are named and left out.
    """
    index = {code: i for i, code in enumerate(codes)}
    matrix = np.ones((len(codes), len(codes)))
    judged, ignored = set(), []
    for key, value in judgements.items():
        first, _, second = str(key).partition("|")
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = float("nan")
        if first not in index or second not in index or first == second or not 0 < value < np.inf:
            ignored.append(str(key))
            continue
        i, j = index[first], index[second]
        matrix[i, j], matrix[j, i] = value, 1 / value
        judged.add(frozenset((i, j)))
    missing = [
        f"{codes[i]}|{codes[j]}"
        for i in range(len(codes))
        for j in range(i + 1, len(codes))
        if frozenset((i, j)) not in judged
    ]
    return matrix, missing, ignored


def ahp_weights(codes: list[str], judgements: dict) -> Ahp:
    """Principal right eigenvector of the judgement matrix, and Saaty's consistency ratio
    CR = CI / RI with CI = (lambda_max - n) / (n - 1)."""
    matrix, missing, ignored = ahp_matrix(codes, judgements)
    return ahp_of_matrix(matrix, missing, ignored)


def ahp_of_matrix(matrix: np.ndarray, missing: list[str], ignored: list[str]) -> Ahp:
    """The weights and consistency of a reciprocal judgement matrix."""
    n = len(matrix)
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RANDOM_INDEX[min(n, len(SAATY_RANDOM_INDEX) - 1)]
    return Ahp(
        weights=vector / vector.sum(),
        lambda_max=lambda_max,
        consistency_index=ci,
        random_index=ri,
        consistency_ratio=ci / ri if ri else 0.0,
        missing_pairs=missing,
        ignored=ignored,
    )


POWER_TOLERANCE = 1e-14
POWER_STEPS = 1000


def principal_vectors(matrices: np.ndarray) -> np.ndarray:
    """The principal eigenvector of each positive matrix of a stack (..., n, n), scaled to
    sum 1: AHP weights for many matrices at once (the analysts', or the Monte Carlo's draws).

    Power iteration from the rows' geometric means (exact for a consistent matrix): a positive
    matrix's Perron vector attracts every positive start. For 2,000 matrices of 18 criteria it
    takes about 25 steps and 50 ms, against 0.5 s for numpy's eig, and agrees with eig to
    1e-15; a matrix still moving after POWER_STEPS is left to eig."""
    vectors = np.exp(np.log(matrices).mean(axis=-1))
    vectors /= vectors.sum(axis=-1, keepdims=True)
    moving = np.ones(vectors.shape[:-1], dtype=bool)
    for _ in range(POWER_STEPS):
        step = np.einsum("...ij,...j->...i", matrices, vectors)
        step /= step.sum(axis=-1, keepdims=True)
        moving = np.max(np.abs(step - vectors), axis=-1) > POWER_TOLERANCE
        vectors = step
        if not moving.any():
            return vectors
    eigenvalues, eigenvectors = np.linalg.eig(matrices[moving])
    principal = np.argmax(eigenvalues.real, axis=-1)
    exact = np.abs(np.take_along_axis(
        eigenvectors.real, principal[:, np.newaxis, np.newaxis], axis=-1
    )[..., 0])
    vectors[moving] = exact / exact.sum(axis=-1, keepdims=True)
    return vectors


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

    AHP uses the judgements; the other methods use each criterion's input. A workshop with no
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
