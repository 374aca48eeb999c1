"""How robust the winner is: exact flip points per criterion, and Monte Carlo rank
acceptability over weights and analysts."""

import math
from dataclasses import dataclass

import numpy as np

from .aggregate import normalise, resample_count, resampled_aggregates, score_levels
from .inputs import Problem
from .ahp import principal_vectors
from .weights import AnalystWeights
from .rank import (
    ideal_points,
    method_totals,
    ordinal_ranks,
    red_line_breaches,
    vector_normalised,
)

# Dirichlet concentration per criterion with weight: kappa = 10 x (criteria weighted). For
# equal weights 1/n a weight then varies with SD sqrt((1 - 1/n) / (10 n + 1)) ~ 0.3 x 1/n.
CONCENTRATION_PER_CRITERION = 10.0
ROOT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FlipPoints:
    """Per criterion: the interval of its weight share in which the winner stays first, the
    others' weights scaled to keep their proportions; the option that takes over at each end
    (-1: none, the interval reaches 0 or 1)."""

    weight: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    below: np.ndarray
    above: np.ndarray


def weight_paths(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """w(t) = a + b t for each criterion k's share t (rows k): w_k = t, and every other
    criterion keeps its proportion of the rest, w_c = (1 - t) w_c / (1 - w_k). If the others all
    weigh zero they share the rest equally."""
    n = len(weights)
    rest = np.tile(weights, (n, 1))
    np.fill_diagonal(rest, 0.0)
    totals = rest.sum(axis=1, keepdims=True)
    equal = np.where(np.eye(n, dtype=bool), 0.0, 1.0 / max(n - 1, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, rest / totals, equal)
    a, b = share.copy(), -share
    np.fill_diagonal(a, 0.0)
    np.fill_diagonal(b, 1.0)
    return a, b


def polynomial_product(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Product of polynomials stored low-to-high along the last axis."""
    leading = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
    out = np.zeros(leading + (p.shape[-1] + q.shape[-1] - 1,))
    for i in range(p.shape[-1]):
        out[..., i : i + q.shape[-1]] += p[..., i : i + 1] * q
    return out


def evaluate(coefficients: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Horner's rule; t broadcasts against coefficients[..., 0]."""
    result = np.zeros(np.broadcast_shapes(coefficients.shape[:-1], np.shape(t)))
    for i in range(coefficients.shape[-1] - 1, -1, -1):
        result = result * t + coefficients[..., i]
    return result


def unit_interval_roots(coefficients: np.ndarray) -> np.ndarray:
    """Real roots in [0, 1] of each polynomial (rows; low-to-high), sorted, NaN-padded.

    Eigenvalues of the companion matrix, batched by degree, then one Newton step to polish.
    A polynomial that is zero throughout has no roots (a tie everywhere is no flip).
    """
    rows, width = coefficients.shape
    scale = np.max(np.abs(coefficients), axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = np.where(scale > 0, coefficients / scale, 0.0)
    significant = np.abs(unit) > 1e-12
    degree = np.where(
        significant.any(axis=1), width - 1 - np.argmax(significant[:, ::-1], axis=1), 0
    )
    roots = np.full((rows, width - 1), np.nan)
    for d in range(1, width):
        which = np.flatnonzero(degree == d)
        if not len(which):
            continue
        monic = unit[which, :d] / unit[which, d : d + 1]
        companion = np.zeros((len(which), d, d))
        companion[:, np.arange(1, d), np.arange(d - 1)] = 1.0
        companion[:, :, -1] = -monic
        eigenvalues = np.linalg.eigvals(companion)
        real = np.abs(eigenvalues.imag) <= 1e-7 * (1 + np.abs(eigenvalues.real))
        roots[which, :d] = np.where(real, eigenvalues.real, np.nan)
    derivative = unit[:, 1:] * np.arange(1, width)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = evaluate(unit[:, None, :], roots) / evaluate(derivative[:, None, :], roots)
    roots = np.where(np.isfinite(step) & (np.abs(step) < 1e-6), roots - step, roots)
    roots = np.where(
        (roots >= -ROOT_TOLERANCE) & (roots <= 1 + ROOT_TOLERANCE), np.clip(roots, 0.0, 1.0), np.nan
    )
    return np.sort(roots, axis=1)


def shifted(coefficients: np.ndarray, t0: np.ndarray) -> np.ndarray:
    """Coefficients of g(u) = f(t0 + u), by Taylor's formula: g_j = sum_i C(i, j) f_i t0^(i-j)."""
    width = coefficients.shape[1]
    i, j = np.meshgrid(np.arange(width), np.arange(width), indexing="ij")
    binomial = np.vectorize(math.comb)(i, j) * (i >= j)
    powers = t0[:, None, None] ** np.clip(i - j, 0, None)
    return np.einsum("ri,ij,rij->rj", coefficients, binomial, powers)


def crossings(coefficients: np.ndarray, t0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For polynomials f (rows) with f(t0) >= 0: the nearest t above and below t0 where f turns
    negative (inf and -inf if it never does in [0, 1]).

    Right at t0 the sign of f is read exactly from its first non-zero Taylor coefficient
    there: a tie at t0 (a root, often multiple, which eigenvalues find to a few digits only)
    can turn negative at once. Further out, the sign is read at the midpoint between
    consecutive roots, so a root where f only touches zero is no crossing.
    """
    scale = np.max(np.abs(coefficients), axis=1, keepdims=True)
    local = shifted(coefficients, t0)
    significant = np.abs(local) > 1e-10 * scale
    order = np.argmax(significant, axis=1)
    leading = np.where(significant.any(axis=1), local[np.arange(len(local)), order], 0.0)
    falls_above = (leading < 0) & (t0 < 1)
    falls_below = (leading * (-1.0) ** order < 0) & (t0 > 0)

    roots = unit_interval_roots(coefficients)
    padded_next = np.concatenate([roots[:, 1:], np.full((len(roots), 1), np.nan)], axis=1)
    following = np.where(np.isnan(padded_next), 1.0, padded_next)
    padded_prev = np.concatenate([np.full((len(roots), 1), np.nan), roots[:, :-1]], axis=1)
    preceding = np.where(np.isnan(padded_prev), 0.0, padded_prev)
    start = t0[:, np.newaxis]

    def negative_between(low, high):
        value = evaluate(coefficients[:, None, :], (low + high) / 2)
        return (high > low) & (value < -1e-12 * scale)

    up = (roots > start + ROOT_TOLERANCE) & negative_between(roots, following)
    down = (roots < start - ROOT_TOLERANCE) & negative_between(preceding, roots)
    upper = np.where(falls_above, t0, np.min(np.where(up, roots, np.inf), axis=1))
    lower = np.where(falls_below, t0, np.max(np.where(down, roots, -np.inf), axis=1))
    return upper, lower


def lead_polynomials(
    matrix: np.ndarray, weights: np.ndarray, eligible: np.ndarray, winner: int, method: str
) -> np.ndarray:
    """For each criterion k (axis 0) and option o (axis 1), a polynomial in k's share t that
    is >= 0 exactly where the winner is at least as good as o.

    Weighted sum: total_o(t) = N_o(t) / D_o(t), N and D linear in t (D is the weight present,
    so missing cells are handled exactly); f = N_w D_o - N_o D_w, degree 2.
    TOPSIS: with w >= 0 the ideal stays at each column's best r, so d+^2 and d-^2 are
    quadratics in t; C_w >= C_o iff d-_w^2 d+_o^2 - d-_o^2 d+_w^2 >= 0, degree 4.
    """
    a, b = weight_paths(weights)
    present = ~np.isnan(matrix) & eligible[:, np.newaxis]
    if method == "topsis":
        r = vector_normalised(matrix, eligible)
        high, low = ideal_points(r, present)
        terms = np.stack([a * a, 2 * a * b, b * b], axis=-1)  # (k, c, power)

        def squared_distance(gap):
            return np.einsum("oc,kcp->kop", np.where(present, gap**2, 0.0), terms)

        return cross_difference(squared_distance(r - low), squared_distance(r - high), winner)
    paths = np.stack([a, b], axis=-1)  # (k, c, power)
    numerator = np.einsum("oc,kcp->kop", np.where(present, matrix, 0.0), paths)
    denominator = np.einsum("oc,kcp->kop", present.astype(float), paths)
    return cross_difference(numerator, denominator, winner)


def cross_difference(p: np.ndarray, q: np.ndarray, winner: int) -> np.ndarray:
    """p_W q_o - p_o q_W for every option o (axis 1), as polynomials."""
    return polynomial_product(p[:, winner : winner + 1], q) - polynomial_product(
        p, q[:, winner : winner + 1]
    )


def flip_points(
    matrix: np.ndarray, weights: np.ndarray, eligible: np.ndarray, winner: int, method: str
) -> FlipPoints:
    """The exact interval of each criterion's weight share in which `winner` stays first."""
    n_criteria, n_options = len(weights), matrix.shape[0]
    rivals = eligible & ~np.isnan(matrix).all(axis=1)
    rivals[winner] = False
    polynomials = lead_polynomials(matrix, weights, eligible, winner, method)
    t0 = np.repeat(weights, n_options)
    upper, lower = crossings(polynomials.reshape(n_criteria * n_options, -1), t0)
    upper = np.where(rivals, upper.reshape(n_criteria, n_options), np.inf)
    lower = np.where(rivals, lower.reshape(n_criteria, n_options), -np.inf)
    above, below = np.argmin(upper, axis=1), np.argmax(lower, axis=1)
    rows = np.arange(n_criteria)
    upper, lower = upper[rows, above], lower[rows, below]
    return FlipPoints(
        weight=weights,
        lower=np.where(np.isfinite(lower), lower, 0.0),
        upper=np.where(np.isfinite(upper), upper, 1.0),
        below=np.where(np.isfinite(lower), below, -1),
        above=np.where(np.isfinite(upper), above, -1),
    )


@dataclass(frozen=True)
class Acceptability:
    """Monte Carlo rank acceptability (shares of draws)."""

    draws: int
    resamples: int
    concentration: float | None  # the Dirichlet's; None when the analysts' weights are drawn
    weights_drawn: str  # "dirichlet" (around the team's weights) or "analysts" (bootstrap)
    p_first: np.ndarray  # weights and analysts varied together
    p_first_weights: np.ndarray  # weights varied, the team's scores as they are
    p_first_analysts: np.ndarray  # analysts resampled, the team's weights as they are
    rank_shares: np.ndarray  # (option, rank - 1): share of draws at each rank
    p_no_total: np.ndarray  # share of draws with no total (screened out, or nothing scored)
    p_screened: np.ndarray  # the part of p_no_total in which a red line screens the option out

    # Each option's rank_shares and p_no_total add to 1: every draw ranks it or gives it none.


def dirichlet_weights(rng: np.random.Generator, weights: np.ndarray, draws: int) -> np.ndarray:
    """Draws from Dirichlet(kappa w) over the weighted criteria (mean w, concentration kappa);
    a criterion the team weighted zero stays zero."""
    positive = weights > 0
    alpha = CONCENTRATION_PER_CRITERION * positive.sum() * weights[positive]
    gammas = rng.standard_gamma(alpha, size=(draws, int(positive.sum())))
    out = np.zeros((draws, len(weights)))
    out[:, positive] = gammas / gammas.sum(axis=1, keepdims=True)
    return out


def analyst_weight_draws(
    rng: np.random.Generator, analysts: AnalystWeights, draws: int
) -> np.ndarray:
    """Weights drawn from the analysts' own: each draw resamples the analysts who gave
    weights (with replacement, as many as there are) and aggregates their weights as the
    group's are (mean of normalised weights; AHP: eigenvector of the geometric mean of their
    matrices). Identical analysts give the group's weights in every draw."""
    # Rows in an order set by the weights themselves, so that labels change no draw.
    order = np.lexsort(analysts.vectors.T[::-1])
    count = len(order)
    picks = rng.multinomial(count, np.full(count, 1 / count), size=draws) / count
    if analysts.log_matrices is None:
        return picks @ analysts.vectors[order]
    logs = analysts.log_matrices[order].reshape(count, -1)
    n = analysts.vectors.shape[1]
    return principal_vectors(np.exp(picks @ logs).reshape(draws, n, n))


def first_shares(totals: np.ndarray) -> np.ndarray:
    ranks = ordinal_ranks(totals)
    return (ranks == 1).mean(axis=0)


def rank_acceptability(
    problem: Problem,
    matrix: np.ndarray,
    eligible: np.ndarray,
    weights: np.ndarray,
    method: str,
    aggregation: str,
    draws: int,
    seed: int,
    analyst_weights: AnalystWeights | None = None,
) -> Acceptability:
    """Seeded Monte Carlo: each draw takes weights from a Dirichlet around the team's (or,
    when analysts gave their own, from a bootstrap of the analysts' weights) and a bootstrap
    resample of the analysts' scores (drawn with replacement), re-aggregates, re-screens and
    ranks. Resample i mod R serves draw i when only R resamples are affordable."""
    rng = np.random.default_rng(seed)
    from_analysts = analyst_weights is not None and not analyst_weights.fallback
    if from_analysts:
        sampled_weights = analyst_weight_draws(rng, analyst_weights, draws)
    else:
        sampled_weights = dirichlet_weights(rng, weights, draws)
    cube = problem.cube[problem.scorers]
    analysts, n_options, n_criteria = cube.shape
    values = cube.reshape(analysts, -1)
    # Resample rows in an order set by the scores themselves, so that neither the analysts'
    # labels nor the order they arrive in changes a draw.
    values = values[np.lexsort(np.nan_to_num(values, nan=-np.inf).T[::-1])]
    resamples = resample_count(draws, values.shape[1], score_levels(values)[1].shape[1])
    counts = rng.multinomial(analysts, np.full(analysts, 1 / analysts), size=resamples)
    raw = resampled_aggregates(values, counts, aggregation).reshape(
        resamples, n_options, n_criteria
    )
    resampled = normalise(raw, problem.scale_min, problem.scale_max, problem.cost)
    resampled_eligible = ~red_line_breaches(raw, problem.red_line, problem.cost).any(axis=-1)
    # Draw i = j R + r takes resample r: weights grouped (R, k, C) meet resamples (R, 1, O, C).
    per_resample = -(-draws // resamples)
    padded = np.resize(sampled_weights, (per_resample * resamples, n_criteria))
    grouped = padded.reshape(per_resample, resamples, n_criteria).transpose(1, 0, 2)
    joint = method_totals(
        method, resampled[:, np.newaxis], grouped, resampled_eligible[:, np.newaxis]
    )
    joint = joint.transpose(1, 0, 2).reshape(-1, n_options)[:draws]
    which = np.arange(draws) % resamples
    ranks = ordinal_ranks(joint)
    return Acceptability(
        draws=draws,
        resamples=resamples,
        concentration=None if from_analysts
        else CONCENTRATION_PER_CRITERION * int((weights > 0).sum()),
        weights_drawn="analysts" if from_analysts else "dirichlet",
        p_first=(ranks == 1).mean(axis=0),
        p_first_weights=first_shares(method_totals(method, matrix, sampled_weights, eligible)),
        p_first_analysts=first_shares(
            method_totals(method, resampled, weights, resampled_eligible)
        ),
        rank_shares=np.stack([(ranks == r).mean(axis=0) for r in range(1, n_options + 1)], axis=1),
        p_no_total=(ranks == 0).mean(axis=0),
        p_screened=(~resampled_eligible[which]).mean(axis=0),
    )
