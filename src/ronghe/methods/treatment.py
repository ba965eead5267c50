"""Data treatment before normalisation: panel imputation and outlier treatment. Both accept NaN.

Imputation is written here because the panel rule (interpolate within a region over years, then
borrow from the parent region in the same year, then from the year) is not offered by NumPy/SciPy
and pandas is kept out of the kernels; it sorts once by (region, year) and works on contiguous
region segments, looping over columns only. Outlier treatment follows the JRC/COINr rule
(Becker et al., COINr ``Treat()`` defaults): the same skewness/kurtosis test, one-at-a-time
Winsorisation and the COINr log transform, so results can be checked against that package. The
Winsorisation is hand-written for scale (no library does it): each step finds its cells among the
column's most extreme values and updates the moments from the changed cells, where the plain loop
reads the whole column several times per step (a village panel has millions of rows per column);
the tests compare it with that plain loop and scipy's statistics.

Both return a log as a NumPy structured array, one record per changed cell.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ronghe.methods._checks import (
    as_labels,
    as_matrix,
    as_vector,
    column_list,
    fail,
    panel_order,
)

__all__ = [
    "IMPUTE_LOG_DTYPE",
    "OUTLIER_LOG_DTYPE",
    "ColumnTreatment",
    "ImputeResult",
    "OutlierResult",
    "impute_panel",
    "impute_parts",
    "outlier_columns",
    "treat_outliers",
]

IMPUTE_LOG_DTYPE = np.dtype(
    [("row", np.int64), ("col", np.int64), ("method", "U11"), ("value", "f8")]
)
OUTLIER_LOG_DTYPE = np.dtype(
    [("row", np.int64), ("col", np.int64), ("action", "U10"), ("old", "f8"), ("new", "f8")]
)


class ImputeResult(NamedTuple):
    """The filled matrix and one log record per filled cell (``IMPUTE_LOG_DTYPE``); unpacks as
    ``X, log = impute_panel(...)``."""

    values: np.ndarray
    log: np.ndarray


class OutlierResult(NamedTuple):
    """The treated matrix and one log record per changed cell (``OUTLIER_LOG_DTYPE``); unpacks
    as ``X, log = treat_outliers(X)``."""

    values: np.ndarray
    log: np.ndarray


_Part = tuple[Any, ...]


def _build_log(dtype: np.dtype, parts: list[_Part]) -> np.ndarray:
    """Assemble log parts (one tuple per step: a row array, then per-field arrays or scalars) into
    one structured array, concatenating field by field (much faster than concatenating records)."""
    sizes = [np.size(p[0]) for p in parts]
    out = np.empty(sum(sizes), dtype=dtype)
    for f, name in enumerate(dtype.names or ()):
        if parts:
            out[name] = np.concatenate(
                [np.broadcast_to(np.asarray(p[f]), (s,)) for p, s in zip(parts, sizes, strict=True)]
            )
    return out


def _group_fill(
    x: np.ndarray, left: np.ndarray, gid: np.ndarray, n_groups: int, rows: np.ndarray, col: int,
    label: str, log: list
) -> np.ndarray:
    """Fill the missing positions ``left`` of x (in place) with the mean of the non-NaN values of
    the same group; returns the positions still missing."""
    if not left.size:
        return left
    have = ~np.isnan(x)
    sums = np.bincount(gid[have], weights=x[have], minlength=n_groups)
    counts = np.bincount(gid[have], minlength=n_groups)
    can = counts[gid[left]] > 0
    if can.any():
        at = left[can]
        x[at] = sums[gid[at]] / counts[gid[at]]
        log.append((rows[at], col, label, x[at]))
    return left[~can]


def impute_panel(
    X: object,
    region: object,
    year: object,
    parent: object = None,
    method: str = "linear",
) -> ImputeResult:
    """Fill NaN in a pooled (n, k) panel; rows are region-years given by ``region`` and ``year``.

    Steps, per column:

    1. ``method="linear"`` only: within each region, interior gaps are interpolated linearly in the
       year; leading and trailing gaps take the nearest observed value of that region (constant
       extrapolation, logged as ``"carry"``; interior fills are logged as ``"linear"``).
    2. If ``parent`` (parent-region label per row) is given: what is still missing takes the
       mean of the same parent's rows in the same year (``"parent_mean"``), using the values
       available after step 1.
    3. What is still missing takes the mean over all rows of the same year (``"year_mean"``).
    4. What is still missing lies in a year with no value at all in that column (the first year of
       a growth rate, say): it takes the region's nearest observed year (``"carry"``; the earlier
       one on a tie).

    Region and parent labels are compared as strings (integer labels as integers, the same
    grouping without a string per row). ``method="parent_mean"`` skips step 1.
    A column with no value at all raises MethodError; so do duplicate (region, year) rows.

    Returns :class:`ImputeResult` (X_filled, log); log is a structured array with fields row
    (index into X), col, method and value, one record per filled cell.
    """
    out, parts = impute_parts(X, region, year, parent, method)
    return ImputeResult(out, _build_log(IMPUTE_LOG_DTYPE, parts))


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, the 0-based code of each value): ``np.unique`` with
    ``return_inverse``, or a table of the range for integer values of a small range (years, a
    caller's own codes), which needs no sort of millions of rows."""
    if values.size and values.dtype.kind in "iuf":
        lo, hi = values.min(), values.max()
        if hi - lo < 4 * values.size:
            offset = values - lo
            whole = offset.astype(np.int64)
            if values.dtype.kind != "f" or np.array_equal(whole, offset):
                seen = np.zeros(int(hi - lo) + 1, dtype=bool)
                seen[whole] = True
                return np.flatnonzero(seen) + lo, (np.cumsum(seen) - 1)[whole]
    distinct, codes = np.unique(values, return_inverse=True)
    return distinct, codes


def _codes(labels: object, n: int, name: str) -> np.ndarray:
    """0-based group codes of ``n`` labels in the order of the sorted distinct labels: integers
    as they are, anything else as strings."""
    arr = as_labels(labels, n, name)
    return _distinct(arr if arr.dtype.kind in "iu" else arr.astype(str))[1]


def impute_parts(
    X: object, region: object, year: object, parent: object = None, method: str = "linear",
    *, inplace: bool = False,
) -> tuple[np.ndarray, list[_Part]]:
    """:func:`impute_panel` with its log as parts, one per column and step: (rows, column, step,
    values), which a caller can keep without one record per cell. ``inplace``: fill ``X``
    itself when it is a writable float64 array (a copy otherwise)."""
    arr = as_matrix(X, allow_nan=True, copy=not inplace)
    if not arr.flags.writeable:
        arr = arr.copy()
    n, k = arr.shape
    if method not in ("linear", "parent_mean"):
        raise fail(
            f"未知插补方法 {method!r}", f"method must be 'linear' or 'parent_mean', got {method!r}"
        )
    missing = np.empty(n, dtype=bool)  # one column's NaN mask, reused column by column
    empty = [j for j in range(k) if np.isnan(arr[:, j], out=missing).all()]
    if empty:
        cols = column_list(empty)
        raise fail(
            f"第 {cols} 列全部缺失，无法插补", f"column(s) {cols} have no values to impute from"
        )
    years = as_vector(year, "year", n)
    r_code = _codes(region, n, "region")
    y_values, y_code = _distinct(years)
    order = panel_order(r_code, years)
    rs, ys = r_code[order], years[order]
    dup = (rs[1:] == rs[:-1]) & (ys[1:] == ys[:-1])
    if dup.any():
        i = int(order[np.flatnonzero(dup)[0] + 1])
        raise fail(f"第 {i} 行的地区-年份重复", f"row {i} repeats a (region, year) pair")
    idx = np.arange(n)
    new_region = np.r_[True, rs[1:] != rs[:-1]]
    seg_start = np.maximum.accumulate(np.where(new_region, idx, 0))
    last = np.r_[rs[1:] != rs[:-1], True]
    seg_end = np.minimum.accumulate(np.where(last, idx, n)[::-1])[::-1]
    yc = y_code[order]
    if parent is not None:
        p_code = _codes(parent, n, "parent")
        py = p_code[order] * y_values.size + yc
        n_py = (int(p_code.max()) + 1) * y_values.size
    out = arr  # filled in place
    log: list[_Part] = []

    def within_region(x: np.ndarray, gap: np.ndarray, interpolate: bool) -> tuple[np.ndarray, ...]:
        """Values for the missing sorted positions ``gap`` from the same region's observed years:
        linear between the neighbours (if ``interpolate``), else the nearest one; returns
        (filled mask, values, inner mask) over ``gap`` (sorted, and every missing position of
        x): its neighbours come from the gaps alone, without a pass over the column."""
        # a run of consecutive gaps shares its neighbours: the positions just before and after
        starts = np.r_[0, np.flatnonzero(np.diff(gap) != 1) + 1]
        run = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, gap.size]))
        prev = gap[starts][run] - 1  # -1: none before the column's first row
        nxt = gap[np.r_[starts[1:], gap.size] - 1][run] + 1  # n: none after its last row
        has_prev, has_next = prev >= seg_start[gap], nxt <= seg_end[gap]
        pc, qc = np.clip(prev, 0, n - 1), np.clip(nxt, 0, n - 1)
        inner = has_prev & has_next
        if interpolate:
            span = ys[qc] - ys[pc]
            step = (ys[gap] - ys[pc]) / np.where(span != 0, span, 1.0)
            value = np.where(inner, x[pc] + (x[qc] - x[pc]) * step, np.where(has_prev, x[pc], x[qc]))
            return inner | (has_prev ^ has_next), value, inner
        nearest = np.where(
            has_prev & (~has_next | (ys[gap] - ys[pc] <= ys[qc] - ys[gap])), x[pc], x[qc]
        )
        return has_prev | has_next, nearest, np.zeros(gap.size, dtype=bool)

    sorted_already = bool((order == idx).all())  # a panel sorted by (region, year): no gathers
    for j in range(k):
        np.isnan(arr[:, j], out=missing)
        if not missing.any():
            continue
        # sorted: the column itself, filled where it lies; else a sorted copy, scattered back
        x = arr[:, j] if sorted_already else arr[order, j]
        left = np.flatnonzero(missing if sorted_already else missing[order])  # sorted positions
        if method == "linear":
            filled, value, inner = within_region(x, left, interpolate=True)
            x[left[filled]] = value[filled]
            if inner.any():
                log.append((order[left[inner]], j, "linear", value[inner]))
            carry = filled & ~inner
            if carry.any():
                log.append((order[left[carry]], j, "carry", value[carry]))
            left = left[~filled]
        if parent is not None:
            left = _group_fill(x, left, py, n_py, order, j, "parent_mean", log)
        left = _group_fill(x, left, yc, y_values.size, order, j, "year_mean", log)
        if left.size:
            # a year with no value at all in this column (e.g. the first year of a growth rate):
            # the region's nearest observed year
            filled, value, _ = within_region(x, left, interpolate=False)
            x[left[filled]] = value[filled]
            if filled.any():
                log.append((order[left[filled]], j, "carry", value[filled]))
        if not sorted_already:
            out[order, j] = x
    return out, log


class _Moments:
    """Power sums of a column about a fixed centre c (its first mean), s_p = Σ (x - c)^p for
    p = 1..4, from which the bias-corrected sample skewness G1 and excess kurtosis G2 follow;
    a Winsorisation step updates them from the cells it changes instead of a pass over the
    column.

    With δ = s1/n: m2 = s2/n - δ², m3 = s3/n - 3δ·s2/n + 2δ³, m4 = s4/n - 4δ·s3/n + 6δ²·s2/n - 3δ⁴;
    g1 = m3/m2^1.5, g2 = m4/m2² - 3, G1 = g1·sqrt(n(n-1))/(n-2),
    G2 = ((n+1)·g2 + 6)(n-1)/((n-2)(n-3)): the values of ``scipy.stats.skew(v, bias=False)`` and
    ``scipy.stats.kurtosis(v, bias=False)`` (the tests check this). At the first mean δ is taken
    as 0 (the sums are then those of the central moments, the arithmetic of the plain formulas);
    s1 is summed when a first update needs it. An update that removes most of s2 or s4 (the
    changed cells carried it) would leave the differences to cancellation, so the sums are then
    taken again over the column, about its mean then. Only the outlier test reads G1 and G2,
    so a difference in their last bits could change a result only for a column within that
    distance of a threshold.
    """

    def __init__(self, v: np.ndarray, scratch: np.ndarray | None = None) -> None:
        self.n, self.c = v.size, v.mean()
        self._sums(v, scratch)

    def _sums(self, v: np.ndarray, scratch: np.ndarray | None) -> None:
        """s2, s3, s4 by a pass over ``v`` (s1 when an update first needs it)."""
        if scratch is None:
            d = v - self.c
            d2 = d * d
        else:  # (2, ≥ n) float64: deviations and squares without two fresh columns per test
            d = np.subtract(v, self.c, out=scratch[0, :self.n])
            d2 = np.multiply(d, d, out=scratch[1, :self.n])
        self._d = d
        self.s1: float | None = None
        # the third and fourth moments as dot products: no temporary column per moment
        self.s2, self.s3, self.s4 = d2.sum(), float(np.dot(d2, d)), float(np.dot(d2, d2))
        self.exact = (self.s2, self.s4)

    def shape(self) -> tuple[float, float]:
        """(G1, G2); (0, 0) for a column without spread."""
        n = self.n
        if self.s1 is None:
            m2, m3, m4 = self.s2 / n, self.s3 / n, self.s4 / n
        else:
            dl, e2, e3 = self.s1 / n, self.s2 / n, self.s3 / n
            m2 = e2 - dl * dl
            m3 = e3 - 3.0 * dl * e2 + 2.0 * dl**3
            m4 = self.s4 / n - 4.0 * dl * e3 + 6.0 * dl * dl * e2 - 3.0 * dl**4
        if m2 <= 0:  # no spread left (Winsorisation can flatten a column): nothing is outlying
            return 0.0, 0.0
        g1 = m3 / m2**1.5
        g2 = m4 / m2**2 - 3.0
        return (
            g1 * np.sqrt(n * (n - 1.0)) / (n - 2.0),
            ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)),
        )

    def replace(self, column: _Winsorised, count: int, old: float, new: float,
                scratch: np.ndarray | None) -> None:
        """``count`` cells of ``column`` went from ``old`` to ``new``."""
        if self.s1 is None:
            self.s1 = float(self._d.sum())
        a, b = old - self.c, new - self.c
        self.s1 += count * (b - a)
        self.s2 += count * (b**2 - a**2)
        self.s3 += count * (b**3 - a**3)
        self.s4 += count * (b**4 - a**4)
        if self.s2 < 0.5 * self.exact[0] or self.s4 < 0.01 * self.exact[1]:
            w = column.values()  # the sums again, exactly, about the column's mean now
            self.c = w.mean()
            self._sums(w, scratch)


def _skew_kurt(v: np.ndarray, scratch: np.ndarray | None = None) -> tuple[float, float]:
    """Bias-corrected sample skewness G1 and excess kurtosis G2 of ``v`` (n ≥ 4; 0, 0 for a
    constant v), in one pass (:class:`_Moments`)."""
    return _Moments(v, scratch).shape()


def _outlying(sk: float, ku: float, skew_max: float, kurt_max: float) -> bool:
    """COINr's test: outlying iff |skew| ≥ skew_max and kurtosis ≥ kurt_max."""
    return bool(abs(sk) >= skew_max and ku >= kurt_max)


def treat_outliers(
    X: object, skew_max: float = 2.0, kurt_max: float = 3.5, max_winsor: int = 5
) -> OutlierResult:
    """Treat outlying indicators column by column with the JRC/COINr rule (NaN ignored and kept).

    Skewness and kurtosis are the bias-corrected sample statistics (the values of
    ``scipy.stats.skew``/``kurtosis`` with ``bias=False``; kurtosis is *excess*, Fisher), identical
    to COINr's ``skew()`` and ``kurt()`` (e1071 type 2, as in Excel). A column is outlying when
    |skew| ≥ ``skew_max`` and kurtosis ≥ ``kurt_max`` (COINr ``check_SkewKurt``: it passes if
    either is below its threshold).

    An outlying column is Winsorised one step at a time on the side of the skew (skew ≥ 0: the
    largest value, and any ties, take the next-largest value; skew < 0: the same at the bottom),
    re-testing after each step, while fewer than ``max_winsor`` cells have been changed. If it is
    still outlying, the Winsorisation is undone and the COINr log transform applied to the whole
    column instead, with a = 0.01·(max - min): log(x - min + a) for positive skew (``log_CT``), and
    -log(max + a - x) for negative skew (``log_CT_plus``), which keeps the order of values.
    Columns with fewer than 4 values or no spread are left alone.

    Returns :class:`OutlierResult` (X_treated, log); log has fields row, col, action
    ("winsorised" or "log"), old, new, one record per changed cell.
    """
    arr = as_matrix(X, allow_nan=True)
    out = arr.copy()
    done = outlier_columns(arr, out, skew_max=skew_max, kurt_max=kurt_max, max_winsor=max_winsor)
    log: list[_Part] = [(c.rows, c.col, c.action, c.old, c.new) for c in done]
    return OutlierResult(out, _build_log(OUTLIER_LOG_DTYPE, log))


class ColumnTreatment(NamedTuple):
    """What the outlier rule did to column ``col``: ``action`` ("winsorised" or "log"), the rows
    it changed and their values before (``old``) and after (``new``)."""

    col: int
    action: str
    rows: np.ndarray
    old: np.ndarray
    new: np.ndarray


def _most_extreme(v: np.ndarray, k: int, top: bool, block: int = 4096) -> np.ndarray:
    """Positions of ``k`` largest (``top``) or smallest values of ``v``, most extreme first.

    The column is cut into blocks; the k blocks with the most extreme block maxima (minima)
    hold k values at least as extreme as the k-th most extreme value (a block holding a more
    extreme value has a more extreme maximum), so only they are partitioned: two passes over the
    column (the block ends) instead of a partition of it."""
    n = v.size
    m = n // block
    if m > k:
        body = v[: m * block].reshape(m, block)
        ends = body.max(axis=1) if top else body.min(axis=1)
        best = np.argpartition(-ends if top else ends, k - 1)[:k]
        cand = np.concatenate([(best[:, None] * block + np.arange(block)).ravel(),
                               np.arange(m * block, n)])
    else:
        cand = np.arange(n)
    key = -v[cand] if top else v[cand]
    pos = cand[np.argpartition(key, k - 1)[:k]]
    return pos[np.argsort(-v[pos] if top else v[pos], kind="stable")]


class _Winsorised:
    """A column ``v`` under the one-at-a-time Winsorisation: the values of the cells changed so
    far (``changed``, sorted positions; ``now``, their values), over the unchanged column, with
    the positions of its ``k`` largest and ``k`` smallest values (k < n/2) so that a step finds
    the cells at the current extreme and the value they take without a pass over the column.

    A step on the top side looks at the window's current values: the cells at its largest value
    M are every cell of the column at M, and the largest value below M is the new one, as long
    as the window still holds a value below M (every value outside the window is at most the
    window's smallest, and a step moves cells inwards to a value of the window). Otherwise (ties
    as wide as the window) the step takes a full pass. The bottom side mirrors this."""

    def __init__(self, v: np.ndarray, k: int) -> None:
        self.v = v
        self.changed = np.empty(0, dtype=np.int64)
        self.now = np.empty(0)
        small = v.size <= 2 * k
        self.high = None if small else _most_extreme(v, k, top=True)
        self.low = None if small else _most_extreme(v, k, top=False)

    def values(self, positions: np.ndarray | None = None) -> np.ndarray:
        """The column's values now, at ``positions`` (all of it: a copy)."""
        out = self.v.copy() if positions is None else self.v[positions]
        if self.changed.size:
            if positions is None:
                out[self.changed] = self.now
            else:
                at = np.minimum(np.searchsorted(self.changed, positions), self.changed.size - 1)
                hit = self.changed[at] == positions
                out[hit] = self.now[at[hit]]
        return out

    def _at_window(self, top: bool) -> tuple[np.ndarray, float, float] | None:
        """(cells at the extreme, the extreme, the next value inwards) from the window, or None
        when it cannot tell."""
        window = self.high if top else self.low
        if window is None:
            return None
        now = self.values(window)
        extreme = now.max() if top else now.min()
        inner = now < extreme if top else now > extreme
        if not inner.any():
            return None
        return window[~inner], float(extreme), float(now[inner].max() if top else now[inner].min())

    def step(self, top: bool) -> tuple[int, float, float]:
        """Move the cells at the top (bottom) extreme to the next value inwards; returns (how
        many cells, their value before, their value now)."""
        found = self._at_window(top)
        if found is None:  # a full pass
            w = self.values()
            extreme = w.max() if top else w.min()
            at = w == extreme
            found = np.flatnonzero(at), float(extreme), float(w[~at].max() if top else w[~at].min())
        cells, extreme, value = found
        merged = np.union1d(self.changed, cells)
        kept = np.isin(merged, cells, invert=True)
        now = np.full(merged.size, value)
        now[kept] = self.now[np.searchsorted(self.changed, merged[kept])]
        self.changed, self.now = merged, now
        return cells.size, extreme, value


def _winsorise(v: np.ndarray, moments: _Moments, skew_max: float, kurt_max: float,
               max_winsor: int, scratch: np.ndarray) -> tuple[_Winsorised, float, float]:
    """COINr's one-at-a-time Winsorisation of ``v`` (see :func:`treat_outliers`), whose
    :class:`_Moments` are ``moments``: the changed cells and the skewness and kurtosis it ends
    with."""
    col = _Winsorised(v, max_winsor + 1)
    sk, ku = moments.shape()
    while col.changed.size < max_winsor and _outlying(sk, ku, skew_max, kurt_max):
        count, old, new = col.step(top=sk >= 0)
        moments.replace(col, count, old, new, scratch)
        sk, ku = moments.shape()
    return col, sk, ku


def outlier_columns(
    arr: np.ndarray, out: np.ndarray, skew_max: float = 2.0, kurt_max: float = 3.5,
    max_winsor: int = 5,
) -> list[ColumnTreatment]:
    """The rule of :func:`treat_outliers` on the float64 (n, k) array ``arr``, written into
    ``out`` (``arr`` itself, or a copy of it: only the cells the rule changes are written),
    returning what changed, column by column, without a record per cell: a caller that logs a
    log-transformed column as a whole (the study chain) keeps its memory to the changed columns.

    A column without missing values is read where it lies (no copy), and the Winsorisation
    finds each step's cells among the column's most extreme values (:class:`_Extremes`) rather
    than by a pass over the column; the values are those of the plain loop to the bit."""
    if int(max_winsor) != max_winsor or max_winsor < 0:
        raise fail(
            f"max_winsor {max_winsor} 无效", f"max_winsor must be an integer >= 0, got {max_winsor}"
        )
    n = arr.shape[0]
    scratch = np.empty((2, n))  # deviations and their squares, reused by every test
    missing = np.empty(n, dtype=bool)
    every = np.arange(n)  # the rows of a log-transformed column without gaps, shared
    every.flags.writeable = False
    done: list[ColumnTreatment] = []
    for j in range(arr.shape[1]):
        column = arr[:, j]
        np.isnan(column, out=missing)
        present = np.flatnonzero(~missing) if missing.any() else None
        v = column if present is None else column[present]
        if v.size < 4 or v.max() == v.min():
            continue
        moments = _Moments(v, scratch)
        skew0, kurt0 = moments.shape()
        if not _outlying(skew0, kurt0, skew_max, kurt_max):
            continue
        col, sk, ku = _winsorise(v, moments, skew_max, kurt_max, int(max_winsor), scratch)
        if _outlying(sk, ku, skew_max, kurt_max):
            lo, hi = v.min(), v.max()
            a = 0.01 * (hi - lo)
            old = v.copy() if present is None else v  # ``v`` may be a view of ``out``
            rows = every if present is None else present
            if present is None:
                new = out[:, j]
                if skew0 > 0:  # log(x - lo + a), in place
                    np.add(np.subtract(old, lo, out=new), a, out=new)
                    np.log(new, out=new)
                else:  # -log((hi + a) - x), in place
                    np.negative(np.log(np.subtract(hi + a, old, out=new), out=new), out=new)
            else:
                new = np.log(v - lo + a) if skew0 > 0 else -np.log(hi + a - v)
                out[present, j] = new
            done.append(ColumnTreatment(j, "log", rows, old, new))
        else:
            rows = col.changed if present is None else present[col.changed]
            done.append(ColumnTreatment(j, "winsorised", rows, v[col.changed], col.now))
            out[rows, j] = col.now  # after reading the old values: ``v`` may be ``out``'s
    return done
