"""Indicator normalisation (无量纲化): raw panel values to comparable scores.

Written here rather than taken from a library because panel conventions matter and no maintained
library offers them together: global (pooled) anchors, frozen anchors for scenarios, moderate
(target) indicators, a documented shift before entropy, and a warning instead of NaN for a constant
column. Rows are region-years pooled over a panel; by default anchors are global over all rows
given, so indices stay comparable over time (``by=`` gives the year-by-year variant on request).
Min–max, z-score and rank normalisation are those of OECD/JRC (2008), Handbook on Constructing
Composite Indicators.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy.stats import rankdata

from ronghe.methods._checks import (
    as_labels,
    as_matrix,
    as_vector,
    column_list,
    fail,
    row_blocks,
    warn,
)

__all__ = [
    "NORMALIZE_METHODS",
    "SHIFT_MODES",
    "Bounds",
    "Direction",
    "minmax_bounds",
    "normalize",
]

Direction = str | float
"""One column's direction: "+" (higher is better), "-" (lower is better) or a target value."""

NORMALIZE_METHODS = ("minmax", "zscore", "rank", "target")
SHIFT_MODES = ("affine", "add")


class Bounds(NamedTuple):
    """Frozen min–max anchors: per column the minimum ``lo`` and maximum ``hi``; unpacks as
    ``lo, hi = minmax_bounds(X)`` and is accepted as ``normalize(..., bounds=)``."""

    lo: np.ndarray
    hi: np.ndarray


def _parse_directions(directions: Sequence[Direction], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Split directions into a sign per column (+1, -1, 0 = target) and the target values."""
    if isinstance(directions, str) or len(directions) != k:
        raise fail(
            f"方向须为长度 {k} 的序列",
            f"directions must be a sequence of length {k} (one per column)",
        )
    sign = np.zeros(k)
    target = np.full(k, np.nan)
    for j, d in enumerate(directions):
        if isinstance(d, str):
            if d not in ("+", "-"):
                raise fail(
                    f"第 {j} 列方向 {d!r} 无效（应为 '+'、'-' 或目标值）",
                    f"column {j}: direction {d!r} is not '+', '-' or a numeric target",
                )
            sign[j] = 1.0 if d == "+" else -1.0
        elif isinstance(d, int | float | np.integer | np.floating) and np.isfinite(d):
            target[j] = float(d)
        else:
            raise fail(
                f"第 {j} 列方向 {d!r} 无效",
                f"column {j}: direction {d!r} is not '+', '-' or a target",
            )
    return sign, target


def minmax_bounds(X: object) -> Bounds:
    """Column minimum and maximum, ignoring NaN: the anchors to freeze for scenario runs.

    Returns :class:`Bounds` ``(lo, hi)``, each of length k. A column with no value at all raises MethodError.
    """
    arr = as_matrix(X, allow_nan=True, copy=False)
    # fmin/fmax skip NaN and give NaN only for a column without a value: no (n, k) mask
    lo, hi = np.fmin.reduce(arr, axis=0), np.fmax.reduce(arr, axis=0)
    empty = np.isnan(lo)
    if empty.any():
        raise fail(
            f"第 {column_list(np.flatnonzero(empty))} 列全部缺失",
            f"column(s) {column_list(np.flatnonzero(empty))} have no values",
        )
    return Bounds(lo, hi)


def _oriented(X: np.ndarray, sign: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Values oriented so that larger is better: x, -x, or -|x - t| for a target column."""
    is_target = ~np.isnan(target)
    return np.where(is_target, -np.abs(X - np.where(is_target, target, 0.0)), X * sign)


def _minmax(
    X: np.ndarray,
    sign: np.ndarray,
    target: np.ndarray,
    bounds: tuple[np.ndarray, np.ndarray] | None,
    shifted: tuple[float, float] = (1.0, 0.0),
) -> tuple[np.ndarray, np.ndarray]:
    """Min–max scores in [0, 1], then ``shifted`` = (factor, offset) applied as Z·factor + offset
    (the shift of :func:`normalize`), and a mask of constant (degenerate) columns."""
    lo, hi = (X.min(axis=0), X.max(axis=0)) if bounds is None else bounds
    is_target = ~np.isnan(target)
    t = np.where(is_target, target, 0.0)
    # Directed columns: span hi - lo. Target columns: the largest distance to the target.
    dist_max = np.maximum(np.abs(lo - t), np.abs(hi - t))
    tc = np.flatnonzero(is_target)
    if bounds is None and tc.size:
        dist_max[tc] = np.abs(X[:, tc] - t[tc]).max(axis=0)
    span = np.where(is_target, dist_max, hi - lo)
    constant = span <= 0
    safe = np.where(constant, 1.0, span)
    # directed columns in place, no (n, k) temporary: (x - lo)/span for "+", and for "-"
    # (x - hi)/(-span), which is (hi - x)/span to the bit (rounding is symmetric in sign); in
    # row blocks, so that a column-major X turns into rows-contiguous Z inside the cache, and
    # every later step (targets, constant columns, clipping, the shift) runs on the block there
    up = sign > 0
    anchor, scale = np.where(up, lo, hi), np.where(up, safe, -safe)
    cc = np.flatnonzero(constant)
    factor, offset = shifted
    Z = np.empty(X.shape)
    for rows in row_blocks(*X.shape):
        z = Z[rows]
        np.subtract(X[rows], anchor, out=z)
        z /= scale
        if tc.size:
            z[:, tc] = 1.0 - np.abs(X[rows, tc] - t[tc]) / safe[tc]
        if cc.size:
            z[:, cc] = 1.0
        if bounds is not None:
            np.clip(z, 0.0, 1.0, out=z)
        if factor != 1.0:
            z *= factor
        if offset:
            z += offset
    return Z, constant


def _zscore(X: np.ndarray, sign: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if X.shape[0] < 2:
        raise fail("z-score 至少需要 2 行", "zscore needs at least 2 rows (ddof=1)")
    V = _oriented(X, sign, target)
    sd = V.std(axis=0, ddof=1)
    constant = sd <= 0
    Z = (V - V.mean(axis=0)) / np.where(constant, 1.0, sd)
    Z[:, constant] = 0.0
    return Z, constant


def _rank(X: np.ndarray, sign: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    V = _oriented(X, sign, target)
    constant = V.max(axis=0) == V.min(axis=0)
    Z = rankdata(V, method="average", axis=0) / V.shape[0]
    Z[:, constant] = 1.0
    return Z, constant


def _block(
    X: np.ndarray,
    sign: np.ndarray,
    target: np.ndarray,
    method: str,
    bounds: tuple[np.ndarray, np.ndarray] | None,
    group: object = None,
    shifted: tuple[float, float] = (1.0, 0.0),
) -> np.ndarray:
    """Scores of one block of rows; ``shifted`` (factor, offset) is applied by min–max only."""
    if method in ("minmax", "target"):
        Z, constant = _minmax(X, sign, target, bounds, shifted)
        fill = "1.0"
    elif method == "zscore":
        Z, constant = _zscore(X, sign, target)
        fill = "0.0"
    else:
        Z, constant = _rank(X, sign, target)
        fill = "1.0"
    if constant.any():
        cols = column_list(np.flatnonzero(constant))
        where_zh = "" if group is None else f"（分组 {group}）"
        where_en = "" if group is None else f" in group {group!r}"
        warn(
            f"第 {cols} 列为常数{where_zh}，标准化值取 {fill}",
            f"column(s) {cols} are constant{where_en}; normalised value set to {fill}",
        )
    return Z


def normalize(
    X: object,
    directions: Sequence[Direction],
    method: str = "minmax",
    shift: float = 1e-4,
    shift_mode: str = "affine",
    bounds: tuple[object, object] | None = None,
    by: object = None,
    common_range: bool = False,
) -> np.ndarray:
    """Normalise an (n, k) indicator matrix column by column; larger output is always better.

    Parameters
    ----------
    X : (n, k) array without NaN (impute first; a NaN raises MethodError naming the column).
    directions : one entry per column: ``"+"`` (higher is better), ``"-"`` (lower is better) or a
        number t (moderate indicator, best at t).
    method :
        ``"minmax"`` (default), anchors pooled over all rows given:
        ``+``: (x - min)/(max - min); ``-``: (max - x)/(max - min);
        target t: 1 - |x - t| / max|x - t|.
        ``"target"``: the distance-to-target reading of the same formulas (min–max for ``+``/``-``,
        1 - |x - t| / max|x - t| for a target); it is accepted as a synonym and gives identical
        output, so settings written either way reproduce.
        ``"zscore"``: (v - mean)/sd with sd of ddof=1, where v = x, -x or -|x - t|. No shift
        unless ``common_range`` (below).
        ``"rank"``: percentile rank of v in (0, 1], rank/n with average ranks for ties.
    shift, shift_mode : applied to ``minmax``/``target``/``rank`` only, so that entropy never meets
        ln 0. ``"affine"`` (default): Z' = shift + (1 - shift)·Z, so Z' lies in [shift, 1] and the
        obstacle deviation 1 - Z' stays ≥ 0. ``"add"``: Z' = Z + shift (the "+0.0001" convention
        of many published entropy–TOPSIS studies; Z' may exceed 1). ``shift=0`` disables it.
    bounds : optional (lo, hi), each of length k, freezing the min–max anchors (for scenarios; see
        :func:`minmax_bounds`). For a target column the scale is max(|lo - t|, |hi - t|). Values
        beyond the anchors are clipped to [0, 1] before the shift. Only for min–max.
    by : optional 1-D group labels of length n (e.g. the year): normalise within each group
        (year-by-year normalisation, offered as an explicit option only). Not with ``bounds``.
    common_range : ``zscore`` only. Map every column by one affine transform common to the whole
        matrix, z' = (z - min Z)/(max Z - min Z), onto [0, 1] (every score 1 if Z is constant),
        then apply the shift as for the other methods. Columns keep the relative scale of their
        z-scores (arithmetic ranks are those of the raw z-scores) and the scores become
        non-negative, as entropy weights, the geometric mean, coupling and obstacle degrees
        need. The study chain and the uncertainty audit use this form.

    Constant columns: a column whose scale is zero (max = min, or every value at its target) cannot
    be told apart and is set to 1.0 before the shift for minmax/rank (every row counts as at the
    best value, so it contributes no obstacle) and 0.0 for zscore, with a RongheWarning naming the
    column. Entropy and CRITIC then give it weight 0.
    """
    arr = as_matrix(X, copy=False)
    n, k = arr.shape
    sign, target = _parse_directions(directions, k)
    if method not in NORMALIZE_METHODS:
        raise fail(
            f"未知标准化方法 {method!r}",
            f"unknown method {method!r}; use one of {NORMALIZE_METHODS}",
        )
    if shift_mode not in SHIFT_MODES:
        raise fail(
            f"未知平移方式 {shift_mode!r}", f"unknown shift_mode {shift_mode!r}; use {SHIFT_MODES}"
        )
    if not (np.isfinite(shift) and shift >= 0 and (shift < 1 or shift_mode == "add")):
        raise fail(f"平移量 {shift} 无效", f"shift {shift} must be >= 0 (and < 1 for affine)")
    frozen = None
    if bounds is not None:
        if method not in ("minmax", "target"):
            raise fail("固定锚点仅适用于极差法", "bounds apply to min–max normalisation only")
        if by is not None:
            raise fail("bounds 与 by 不能同时使用", "bounds and by cannot be combined")
        lo = as_vector(bounds[0], "bounds lo", k)
        hi = as_vector(bounds[1], "bounds hi", k)
        if (lo > hi).any():
            j = int(np.flatnonzero(lo > hi)[0])
            raise fail(f"第 {j} 列下界大于上界", f"column {j}: lower bound exceeds upper bound")
        frozen = (lo, hi)
    if common_range and method != "zscore":
        raise fail("common_range 仅适用于 z-score", "common_range applies to zscore only")
    # the shift: (1 - shift)·Z + shift, or Z + shift; min–max applies it block by block
    shifted = (1.0, 0.0)
    if (method != "zscore" or common_range) and shift > 0:
        shifted = (1.0 - shift if shift_mode == "affine" else 1.0, shift)
    inside = shifted if method in ("minmax", "target") else (1.0, 0.0)
    if by is None:
        Z = _block(arr, sign, target, method, frozen, shifted=inside)
    else:
        groups = as_labels(by, n, "by")
        Z = np.empty_like(arr)
        for g in np.unique(groups):
            rows = groups == g
            Z[rows] = _block(arr[rows], sign, target, method, None, group=g, shifted=inside)
    if common_range:
        lo, hi = Z.min(), Z.max()
        Z = (Z - lo) / (hi - lo) if hi > lo else np.ones_like(Z)
    if inside != shifted:  # in place (Z is this function's own array)
        if shifted[0] != 1.0:
            Z *= shifted[0]
        Z += shifted[1]
    return Z
