"""AHP: criterion weights from pairwise judgements, complete or not (docs/method.md §2).

A complete set of judgements keeps Saaty's principal eigenvector. An incomplete one is
completed by the logarithmic least squares method (LLSM; Bozóki, Fülöp & Rónyai 2010): the
log-weights solve a Laplacian system on the graph whose edges are the judged pairs, which has
one solution exactly when that graph is connected. A graph that is not is refused, naming the
criteria that no chain of judgements links to the first one.
"""

from dataclasses import dataclass

import numpy as np

from .inputs import ScoringError

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

# Saaty's 1-9 scale in words; the even values lie between their neighbours.
SCALE_WORDS = {
    1: "equal",
    2: "equal to moderately",
    3: "moderately",
    4: "moderately to strongly",
    5: "strongly",
    6: "strongly to very strongly",
    7: "very strongly",
    8: "very strongly to extremely",
    9: "extremely",
}
SCALE = tuple(sorted({float(v) for v in SCALE_WORDS} | {1 / v for v in SCALE_WORDS}))

ON_SCALE = 0.01  # as |log ratio|
# A judgement this close to the weights' ratio (in log terms) already agrees with them.
AGREES = 1e-9
MOST_INCONSISTENT = 3


def consistency_limit(n: int) -> float:
    """Saaty's acceptable consistency ratio for n criteria: 0.05 for 3, 0.08 for 4, 0.10 above
    (Saaty 1994, "Fundamentals of Decision Making and Priority Theory", RWS Publications).
    CR is 0 below 3, so the value there does not matter."""
    return 0.05 if n <= 3 else 0.08 if n == 4 else 0.10


def nearest_on_scale(ratio: float) -> float:
    """The value of Saaty's scale (1/9 ... 1/2, 1, 2 ... 9) nearest to `ratio`, measured as
    ratios are (|log|), so 1/3 is as far from 1 as 3 is; beyond 9 (or 1/9) the scale's end."""
    return min(SCALE, key=lambda value: abs(np.log(value / ratio)))


def scale_label(value: float) -> str:
    """A judgement as a person writes it: "3", "1/3"; a value within 1% of the scale as that
    value (case files may carry 0.111 for 1/9); others as "2.5" or "1/2.5"."""
    for on_scale in SCALE:
        if abs(np.log(value / on_scale)) < ON_SCALE:
            value = on_scale
    return f"{value:.4g}" if value >= 1 else f"1/{1 / value:.4g}"


def scale_value(label: str) -> float:
    """The number a label stands for (the inverse of scale_label)."""
    return 1 / float(label[2:]) if label.startswith("1/") else float(label)


def verbal(first: str, second: str, value: float) -> str:
    """A judgement in words: "C1 strongly more important" for {"C1|C2": 5}. A value off the
    integer scale (2.5 from a case file) is given as its number."""
    if abs(value - 1) < 1e-9:
        return "equal importance"
    name, size = (first, value) if value > 1 else (second, 1 / value)
    words = SCALE_WORDS.get(round(size)) if abs(size - round(size)) < 1e-6 else None
    return f"{name} {words or f'{size:.3g} times'} more important"


class AhpUnlinkedError(ScoringError):
    """The judged pairs do not link every criterion, so the weights are not determined."""

    def __init__(self, first: str, unlinked: list[str]):
        self.unlinked = unlinked
        super().__init__(
            f"The AHP comparisons do not link every criterion: {', '.join(unlinked)} "
            f"{'is' if len(unlinked) == 1 else 'are'} not compared with {first}, directly or "
            "through other criteria, so no weights follow. Compare each with a criterion "
            "that is linked (the weights page offers those pairs first)."
        )


@dataclass(frozen=True)
class Judgement:
    """One judged pair set against the weights: `given` is a_ij as judged, `implied` the
    weights' ratio w_i / w_j (the value that would agree with them), `nearest` the value of
    Saaty's scale nearest to it."""

    first: str
    second: str
    given: float
    implied: float
    nearest: float

    @property
    def deviation(self) -> float:
        """How far the judgement is from the weights, as a factor's log: |ln(given/implied)|."""
        return abs(float(np.log(self.given / self.implied)))


@dataclass(frozen=True)
class Ahp:
    weights: np.ndarray
    lambda_max: float  # of the completed matrix
    consistency_index: float
    random_index: float
    consistency_ratio: float
    limit: float  # Saaty's threshold for this many criteria
    method: str  # "eigenvector" (every pair judged) or "llsm"
    judged: int  # pairs judged
    missing_pairs: list[str]  # pairs nobody judged, completed from the others
    ignored: list[str]  # judgements that name an unknown criterion or are not a positive number
    inconsistent: list[Judgement]  # the judgements furthest from the weights, at most three

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= self.limit


def ahp_section(ahp: Ahp) -> dict:
    """The weights' consistency as the result gives it to pages and the memo (docs/method.md
    §12): plain data, the judgements furthest from the weights in words too."""
    return {
        "lambda_max": ahp.lambda_max,
        "consistency_index": ahp.consistency_index,
        "random_index": ahp.random_index,
        "consistency_ratio": ahp.consistency_ratio,
        "limit": ahp.limit,
        "consistent": ahp.consistent,
        "method": ahp.method,
        "judged": ahp.judged,
        "missing_pairs": ahp.missing_pairs,
        "ignored": ahp.ignored,
        "inconsistent": [
            {
                "pair": f"{j.first}|{j.second}",
                "first": j.first,
                "second": j.second,
                "given": j.given,
                "given_words": verbal(j.first, j.second, j.given),
                "implied": j.implied,
                "nearest": j.nearest,
                "nearest_words": verbal(j.first, j.second, j.nearest),
            }
            for j in ahp.inconsistent
        ],
    }


def spanning_pairs(codes: list[str]) -> list[tuple[str, str]]:
    """The fewest pairs that determine weights: each criterion against the first (n - 1).

    A star rather than a chain (C1-C2, C2-C3, ...): every criterion's weight rests on one
    judgement against a common reference, so an error in one judgement moves one weight, where
    along a chain it would carry into every criterion after it (and ratios compound: eight
    "strongly" steps put 5^8 between the ends)."""
    return [(codes[0], code) for code in codes[1:]]


def ahp_matrix(codes: list[str], judgements: dict) -> tuple[np.ndarray, list[str], list[str]]:
    """The reciprocal matrix from {"C1|C2": 3} (C1 is 3 times as important as C2), NaN where
    a pair is not judged; the pairs not judged, and the judgements left out (an unknown
    criterion, a pair of one criterion, or a value that is not a positive finite number)."""
    index = {code: i for i, code in enumerate(codes)}
    matrix = np.full((len(codes), len(codes)), np.nan)
    np.fill_diagonal(matrix, 1.0)
    ignored = []
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
    missing = [
        f"{codes[i]}|{codes[j]}"
        for i in range(len(codes))
        for j in range(i + 1, len(codes))
        if np.isnan(matrix[i, j])
    ]
    return matrix, missing, ignored


def unlinked(codes: list[str], judgements: dict) -> list[str]:
    """The criteria that no chain of judged pairs links to the first one (none: weights
    follow). Judgements that `ahp_matrix` leaves out link nothing."""
    matrix = ahp_matrix(codes, judgements)[0]
    reached, frontier = {0}, [0]
    while frontier:
        i = frontier.pop()
        for j in np.flatnonzero(~np.isnan(matrix[i])):
            if int(j) not in reached:
                reached.add(int(j))
                frontier.append(int(j))
    return [code for i, code in enumerate(codes) if i not in reached]


def eigenvector(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Saaty's weights of a complete matrix: the principal right eigenvector, summing to 1,
    and its eigenvalue lambda_max."""
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, principal].real)
    return vector / vector.sum(), float(eigenvalues[principal].real)


def llsm(matrix: np.ndarray) -> np.ndarray:
    """Weights that minimise sum over judged pairs of (ln a_ij - ln w_i + ln w_j)^2.

    Setting the gradient to zero gives L y = r with y = ln w, L the Laplacian of the judged
    pairs' graph (L_ii = pairs judged with i, L_ij = -1 where judged) and r_i = sum_j ln a_ij
    over i's judged pairs. L has rank n - 1 on a connected graph, so y_1 = 0 fixes the
    solution (weights are ratios). On a complete matrix y_i is the mean of row i's logs:
    the row geometric mean."""
    judged = ~np.isnan(matrix)
    np.fill_diagonal(judged, False)
    laplacian = np.diag(judged.sum(axis=1)) - judged.astype(float)
    logs = np.where(judged, np.log(np.where(judged, matrix, 1.0)), 0.0).sum(axis=1)
    y = np.zeros(len(matrix))
    y[1:] = np.linalg.solve(laplacian[1:, 1:], logs[1:])
    w = np.exp(y - y.max())
    return w / w.sum()


def most_inconsistent(codes: list[str], matrix: np.ndarray, weights: np.ndarray) -> list[Judgement]:
    """The judged pairs furthest from the weights' ratios, worst first, at most three; pairs
    in the codes' order (i before j); none that already agree."""
    found = []
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            if np.isnan(matrix[i, j]):
                continue
            implied = float(weights[i] / weights[j])
            found.append(Judgement(codes[i], codes[j], float(matrix[i, j]), implied,
                                   nearest_on_scale(implied)))
    found = [j for j in found if j.deviation > AGREES]
    # Rounded, so that ties (a cycle spreads its error evenly) keep the pairs' order.
    found.sort(key=lambda j: -round(j.deviation, 9))
    return found[:MOST_INCONSISTENT]


def ahp_weights(codes: list[str], judgements: dict) -> Ahp:
    """Weights from pairwise judgements ({"C1|C2": 3}; either order of a pair), and Saaty's
    consistency. Raises AhpUnlinkedError when the judged pairs do not link every criterion."""
    matrix, missing, ignored = ahp_matrix(codes, judgements)
    apart = unlinked(codes, judgements) if missing else []
    if apart:
        raise AhpUnlinkedError(codes[0], apart)
    return ahp_of_matrix(codes, matrix, missing, ignored)


def ahp_of_matrix(codes: list[str], matrix: np.ndarray, missing: list[str],
                  ignored: list[str]) -> Ahp:
    """The weights and consistency of a reciprocal judgement matrix whose judged pairs (NaN
    where none) link every criterion: the eigenvector if every pair is judged, else LLSM; and
    Saaty's CR = CI / RI, CI = (lambda_max - n) / (n - 1), of the matrix completed with the
    weights' own ratios where a pair is not judged."""
    n = len(codes)
    if np.isnan(matrix).any():
        weights = llsm(matrix)
        lambda_max = eigenvector(completed(matrix, weights))[1]
    else:
        weights, lambda_max = eigenvector(matrix)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RANDOM_INDEX[min(n, len(SAATY_RANDOM_INDEX) - 1)]
    return Ahp(
        weights=weights,
        lambda_max=lambda_max,
        consistency_index=ci,
        random_index=ri,
        consistency_ratio=ci / ri if ri else 0.0,
        limit=consistency_limit(n),
        method="llsm" if np.isnan(matrix).any() else "eigenvector",
        judged=n * (n - 1) // 2 - len(missing),
        missing_pairs=missing,
        ignored=ignored,
        inconsistent=most_inconsistent(codes, matrix, weights),
    )


def completed(matrix: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The matrix with each pair not judged (NaN) filled by the weights' ratio w_i / w_j,
    the LLSM weights unless given: the completion that adds no inconsistency."""
    if not np.isnan(matrix).any():
        return matrix
    weights = llsm(matrix) if weights is None else weights
    return np.where(np.isnan(matrix), np.outer(weights, 1 / weights), matrix)


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
