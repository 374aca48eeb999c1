"""From many analysts' scores to one group score per cell, on each criterion's own scale.

Every function ignores missing scores (NaN) and gives NaN where a cell has none: a missing
score is never a zero.
"""

import numpy as np

TRIM = 0.2  # trimmed mean: drop floor(0.2 n) scores from each end of a cell's n scores
# The bootstrap's work is (resamples x cells x distinct score levels); this caps it.
RESAMPLE_BUDGET = 4_000_000
MIN_RESAMPLES = 100


def normalise(
    raw: np.ndarray, scale_min: np.ndarray, scale_max: np.ndarray, cost: np.ndarray
) -> np.ndarray:
    """Scores to 0-1 along the last (criterion) axis: 0 the scale's worst, 1 its best.

    Cost criteria are inverted after normalising, so 1 is always better.
    """
    share = (raw - scale_min) / (scale_max - scale_min)
    return np.where(cost, 1 - share, share)


def sorted_with_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values sorted along axis 0 (NaN last) and how many are present in each column."""
    return np.sort(values, axis=0), np.sum(~np.isnan(values), axis=0)


def order_statistic(sorted_values: np.ndarray, count: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The index-th smallest present value of each column (NaN where the column is empty)."""
    if sorted_values.shape[0] == 0:
        return np.full(sorted_values.shape[1:], np.nan)
    safe = np.clip(index, 0, sorted_values.shape[0] - 1).astype(int)
    picked = np.take_along_axis(sorted_values, safe[np.newaxis], axis=0)[0]
    return np.where(count > 0, picked, np.nan)


def quantile(sorted_values: np.ndarray, count: np.ndarray, p: float) -> np.ndarray:
    """The p-quantile with linear interpolation between order statistics (Hyndman & Fan
    type 7, numpy's default): h = (n - 1) p, x[floor h] + (h - floor h)(x[ceil h] - x[floor h])."""
    h = (count - 1) * p
    low = np.floor(h)
    below = order_statistic(sorted_values, count, low)
    above = order_statistic(sorted_values, count, np.minimum(low + 1, count - 1))
    return below + (h - low) * (above - below)


def aggregate(values: np.ndarray, how: str) -> np.ndarray:
    """The group score over axis 0: median, mean or 20% trimmed mean of the present values."""
    sorted_values, count = sorted_with_counts(values)
    if how == "median":
        return quantile(sorted_values, count, 0.5)
    cut = np.floor(TRIM * count) if how == "trimmed_mean" else np.zeros_like(count)
    position = np.arange(sorted_values.shape[0]).reshape((-1,) + (1,) * (values.ndim - 1))
    kept = (position >= cut) & (position < count - cut)
    total = np.where(kept, sorted_values, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / (count - 2 * cut), np.nan)


def resample_count(draws: int, cells: int, levels: int) -> int:
    """How many distinct analyst resamples to compute: one per draw, unless that would pass
    the work budget (then at least MIN_RESAMPLES, reused in turn by the draws)."""
    affordable = RESAMPLE_BUDGET // max(cells * levels, 1)
    return int(max(1, min(draws, max(MIN_RESAMPLES, affordable))))


def score_levels(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's distinct present values in ascending order, padded by repeating the last.

    Returns levels (columns, L) and steps (columns, L - 1), the rise from one level to the next
    (zero in the padding).
    """
    sorted_values, count = sorted_with_counts(values)
    new = np.ones(sorted_values.shape, dtype=bool)
    new[1:] = sorted_values[1:] != sorted_values[:-1]
    new &= ~np.isnan(sorted_values)
    distinct = new.sum(axis=0)
    width = max(int(distinct.max(initial=0)), 1)
    first_distinct = np.argsort(~new, axis=0, kind="stable")[:width]
    levels = np.take_along_axis(sorted_values, first_distinct, axis=0).T
    last = order_statistic(sorted_values, count, count - 1)
    padding = np.arange(width)[np.newaxis] >= distinct[:, np.newaxis]
    levels = np.where(padding, last[:, np.newaxis], levels)
    levels = np.nan_to_num(levels)  # empty columns; their count is zero and they come out NaN
    return levels, np.diff(levels, axis=1)


def resampled_aggregates(
    values: np.ndarray, counts: np.ndarray, how: str, chunk: int = 64
) -> np.ndarray:
    """The group score of every column for many resamples of the rows, without copying them.

    values (analysts, columns); counts (resamples, analysts): how many times each analyst is
    drawn. A resample's score is read off cumulative counts at each distinct level v_0 < v_1 <
    ...: cum_l = counts . [x <= v_l], one matrix product for all resamples. With n present
    draws in a cell and steps d_l = v_{l+1} - v_l:
      median        = (v_0 + v_last)/2 - 1/2 sum_l d_l sign(2 cum_l - n)
      trimmed mean  = (v_last (n - g) - v_0 g - sum_l d_l clip(cum_l, g, n - g)) / (n - 2g),
                      g = floor(0.2 n) (g = 0 gives the mean).
    Exact: tests check it against `aggregate` on the repeated rows. The products are taken in
    float32, which holds these small whole numbers exactly at half the memory traffic.
    """
    levels, steps = score_levels(values)
    present = ~np.isnan(values)
    at_or_below = (values[:, :, np.newaxis] <= levels[np.newaxis, :, :-1]) & present[:, :, None]
    columns, width = steps.shape
    counts = counts.astype(np.float32)
    n_drawn = counts @ present.astype(np.float32)
    out = np.empty((counts.shape[0], columns))
    if how == "median":
        # 2 cum - n in one product: counts . (2 [x <= v] - present)
        signed = (2 * at_or_below.astype(np.float32) - present[:, :, None]).reshape(
            values.shape[0], -1
        )
        for start in range(0, counts.shape[0], chunk):
            part = counts[start : start + chunk]
            block = np.sign(part @ signed).reshape(len(part), columns, width)
            out[start : start + chunk] = np.einsum("bml,ml->bm", block, steps)
        result = (levels[:, 0] + levels[:, -1]) / 2 - out / 2
    else:
        below = at_or_below.reshape(values.shape[0], -1).astype(np.float32)
        n = n_drawn.astype(float)
        cut = np.floor(TRIM * n) if how == "trimmed_mean" else np.zeros_like(n)
        for start in range(0, counts.shape[0], chunk):
            part = slice(start, start + chunk)
            cum = (counts[part] @ below).reshape(len(counts[part]), columns, width)
            clipped = np.clip(cum, cut[part, :, None], (n[part] - cut[part])[:, :, None])
            out[part] = np.einsum("bml,ml->bm", clipped, steps)
        with np.errstate(invalid="ignore", divide="ignore"):
            result = (levels[:, -1] * (n - cut) - levels[:, 0] * cut - out) / (n - 2 * cut)
    return np.where(n_drawn > 0, result, np.nan)


def completeness(cube: np.ndarray) -> dict[str, np.ndarray | float]:
    """Share of expected scores present: overall, per analyst, option and criterion."""
    present = ~np.isnan(cube)
    return {
        "overall": float(present.mean()) if present.size else 0.0,
        "present": int(present.sum()),
        "expected": int(present.size),
        "analysts": present.mean(axis=(1, 2)) if present.size else np.zeros(cube.shape[0]),
        "options": present.mean(axis=(0, 2)) if present.size else np.zeros(cube.shape[1]),
        "criteria": present.mean(axis=(0, 1)) if present.size else np.zeros(cube.shape[2]),
    }
