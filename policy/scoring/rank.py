"""Totals and rankings: weighted sum, TOPSIS, red-line screening.

Every function works on normalised scores (0 worst to 1 best on every criterion) shaped
(..., options, criteria), so one call serves the group matrix, each analyst and each
Monte Carlo draw alike. A missing cell (NaN) is left out, never counted as zero.
"""

import numpy as np

# Totals equal to this many decimals are ties: sums in another order differ in the 16th digit.
TIE_DECIMALS = 12


def weighted_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum_c values_oc w_c as a matrix product; leading axes broadcast, so (R, 1, O, C) values
    with (R, k, C) weights give (R, k, O) without building an (R, k, O, C) array."""
    return np.matmul(values, weights[..., :, np.newaxis])[..., 0]


def weighted_sum(matrix: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Total = sum_c w_c s_oc / sum_c w_c over the criteria option o has a score on.

    Dividing by the weight present renormalises the weights over those criteria, so a gap is
    neither a zero nor a free pass; the share of weight present is returned beside the totals.
    An option with no score on any weighted criterion has no total (NaN).
    """
    present = ~np.isnan(matrix)
    covered = weighted_sums(present.astype(float), weights)
    weighted = weighted_sums(np.where(present, matrix, 0.0), weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(covered > 0, weighted / covered, np.nan), covered


def contributions(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each criterion's part of an option's weighted-sum total (the parts add up to it)."""
    present = ~np.isnan(matrix)
    covered = np.sum(np.where(present, weights, 0.0), axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(present & (covered > 0), matrix * weights / covered, np.nan)


def vector_normalised(matrix: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """r_oc = x_oc / sqrt(sum_o x_oc^2), the sum over eligible options with a score; 0 where
    a cell is missing or its column is all zeros."""
    counted = ~np.isnan(matrix) & eligible[..., np.newaxis]
    x = np.where(np.isnan(matrix), 0.0, matrix)
    norm = np.sqrt(np.sum(np.where(counted, x * x, 0.0), axis=-2, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 0, x / norm, 0.0)


def ideal_points(values: np.ndarray, counted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst value of each column over the counted cells (all benefit columns)."""
    high = np.max(np.where(counted, values, -np.inf), axis=-2, keepdims=True)
    low = np.min(np.where(counted, values, np.inf), axis=-2, keepdims=True)
    return high, low


def topsis(
    matrix: np.ndarray,
    weights: np.ndarray,
    eligible: np.ndarray | None = None,
    benefit: np.ndarray | None = None,
) -> np.ndarray:
    """Closeness to the ideal, C = d- / (d+ + d-), with vector normalisation and weighted
    values v_oc = w_c r_oc; d+ and d- are Euclidean distances to the ideal and anti-ideal.

    Weights are never negative, so the ideal of v is w times the ideal of r and
    d+^2 = sum_c w_c^2 (r_oc - r+_c)^2: one matrix product per distance, for any number of
    weight vectors at once. Ideal and anti-ideal are taken over the eligible options
    (red-line screening happens before ranking). A column of zeros normalises to zeros; a
    constant column puts every option at both the ideal and the anti-ideal, so it adds nothing
    to either distance. An option equally far from both (d+ = d- = 0) gets 0.5. Missing cells
    add to neither distance. `benefit` marks higher-is-better columns (all, for the app's
    normalised scores).
    """
    present = ~np.isnan(matrix)
    if eligible is None:
        eligible = np.ones(matrix.shape[:-1], dtype=bool)
    if benefit is None:
        benefit = np.ones(matrix.shape[-1], dtype=bool)
    r = vector_normalised(matrix, eligible)
    high, low = ideal_points(r, present & eligible[..., np.newaxis])
    ideal, anti = np.where(benefit, high, low), np.where(benefit, low, high)
    squared = weights * weights
    d_plus = np.sqrt(weighted_sums(np.where(present, (r - ideal) ** 2, 0.0), squared))
    d_minus = np.sqrt(weighted_sums(np.where(present, (r - anti) ** 2, 0.0), squared))
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(d_plus + d_minus > 0, d_minus / (d_plus + d_minus), 0.5)
    return np.where(present.any(axis=-1), closeness, np.nan)


def method_totals(
    method: str, matrix: np.ndarray, weights: np.ndarray, eligible: np.ndarray
) -> np.ndarray:
    """Totals by the chosen method (screened options get none)."""
    totals, covered = weighted_sum(matrix, weights)
    if method == "topsis":
        # An option whose only scores are on zero-weight criteria has nothing to rank on.
        totals = np.where(covered > 0, topsis(matrix, weights, eligible), np.nan)
    return np.where(eligible, totals, np.nan)


def red_line_breaches(raw: np.ndarray, threshold: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Where a group score on a red-line criterion is worse than its threshold: below it, or
    above it where lower is better. A missing score breaches nothing (it is warned about)."""
    with np.errstate(invalid="ignore"):
        worse = np.where(cost, raw > threshold, raw < threshold)
    return worse & ~np.isnan(threshold) & ~np.isnan(raw)


def competition_ranks(totals: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = highest; ties share the best rank (1, 2, 2, 4); no total
    gives rank 0."""
    rounded = np.round(totals, TIE_DECIMALS)
    valid = ~np.isnan(rounded)
    keyed = np.where(valid, rounded, -np.inf)
    # An option's rank is 1 + the number of valid options strictly above it.
    above = (keyed[..., np.newaxis, :] > keyed[..., :, np.newaxis]) & valid[..., np.newaxis, :]
    return np.where(valid, 1 + above.sum(axis=-1), 0)


def ordinal_ranks(totals: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = highest, ties broken by option order; no total gives 0."""
    keyed = np.where(np.isnan(totals), -np.inf, np.round(totals, TIE_DECIMALS))
    order = np.argsort(-keyed, axis=-1, kind="stable")
    ranks = np.argsort(order, axis=-1, kind="stable") + 1
    return np.where(np.isnan(totals), 0, ranks)
