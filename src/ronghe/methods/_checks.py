"""Input checks shared by the numeric kernels.

Every kernel validates its arrays here so that bad input ends in one bilingual ``MethodError`` line
naming the offending row or column index (0-based), never in a NumPy traceback or a silent NaN.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np

from ronghe.errors import MethodError, RongheWarning


def fail(zh: str, en: str) -> MethodError:
    """Build a bilingual MethodError (zh-CN first, then en, as every message: ``zh / en``, so a
    one-language output can take its half, :mod:`ronghe.words.bilingual`)."""
    return MethodError(f"{zh} / {en}")


def warn(zh: str, en: str) -> None:
    """Emit a bilingual RongheWarning attributed to the caller of the public kernel."""
    warnings.warn(f"{zh} / {en}", RongheWarning, stacklevel=3)


def as_array(v: object, name: str) -> np.ndarray:
    """Return ``v`` as a float64 array of any shape (NaN and inf kept), or a MethodError naming
    ``name`` when it holds something that is not a number."""
    try:
        return np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise fail(f"{name} 含非数值元素", f"{name} contains non-numeric values") from exc


def as_matrix(X: object, name: str = "X", *, allow_nan: bool = False, copy: bool = True
              ) -> np.ndarray:
    """Return ``X`` as a 2-D float64 array, rejecting infinities and (unless allowed) NaN.

    ``copy=False`` (for a kernel that never writes into it) returns ``X`` itself when it already
    is a float64 array, so a kernel on an (n, k) panel does not double its memory. The check is
    two reductions (min and max, which NaN and ±inf reach), without an (n, k) mask."""
    try:
        arr = np.array(X, dtype=np.float64, copy=True if copy else None)
    except (TypeError, ValueError) as exc:
        raise fail(f"{name} 含非数值元素", f"{name} contains non-numeric values") from exc
    if arr.ndim != 2:
        raise fail(
            f"{name} 须为二维数组（行×列）",
            f"{name} must be 2-D (rows x columns), got {arr.ndim}-D",
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise fail(f"{name} 为空", f"{name} is empty (shape {arr.shape})")
    lo, hi = (np.fmin.reduce(arr, axis=None), np.fmax.reduce(arr, axis=None)) if allow_nan \
        else (arr.min(), arr.max())
    if (np.isfinite(lo) and np.isfinite(hi)) or (allow_nan and np.isnan(lo)):
        return arr  # (an all-NaN matrix has no infinity either)
    bad = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    i, j = np.argwhere(bad)[0]
    what = "NaN" if np.isnan(arr[i, j]) else "inf"
    raise fail(
        f"{name} 第 {j} 列第 {i} 行为 {what}，请先插补",
        f"{name} column {j} has {what} at row {i}; impute it first",
    )


def panel_order(region: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The row order that sorts a panel by (region code, year): ``np.lexsort((year, region))``,
    or ``arange(n)`` without a sort when the rows are in that order already (one pass to check;
    panels are stored sorted, and a village panel's sort costs seconds)."""
    ahead = np.diff(region)
    if ((ahead > 0) | ((ahead == 0) & (np.diff(year) > 0))).all():
        return np.arange(region.size)
    return np.lexsort((year, region))


def row_blocks(n: int, k: int, cells: int = 1 << 18) -> Iterator[slice]:
    """Slices of about ``cells`` cells (whole rows) covering ``n`` rows of ``k`` columns: a
    kernel that works block by block keeps its temporaries in the cache and off the page-fault
    path (an (n, k) temporary of a village panel is gigabytes)."""
    step = max(1, cells // max(k, 1))
    for start in range(0, n, step):
        yield slice(start, min(start + step, n))


def as_vector(
    v: object, name: str, length: int | None = None, *, min_length: int = 0
) -> np.ndarray:
    """Return ``v`` as a finite 1-D float64 array, of exactly ``length`` values if given and of at
    least ``min_length``."""
    try:
        arr = np.array(v, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise fail(f"{name} 含非数值元素", f"{name} contains non-numeric values") from exc
    if arr.ndim != 1:
        raise fail(f"{name} 须为一维数组", f"{name} must be 1-D, got {arr.ndim}-D")
    if length is not None and arr.shape[0] != length:
        raise fail(
            f"{name} 长度为 {arr.shape[0]}，应为 {length}",
            f"{name} has length {arr.shape[0]}, expected {length}",
        )
    if arr.shape[0] < min_length:
        raise fail(
            f"{name} 至少需要 {min_length} 个值，实有 {arr.shape[0]} 个",
            f"{name} needs at least {min_length} value(s), got {arr.shape[0]}",
        )
    # the extremes are finite only when every value is (NaN propagates): no mask unless one is not
    if arr.size and not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        bad = ~np.isfinite(arr)
        i, count = int(np.flatnonzero(bad)[0]), int(bad.sum())
        raise fail(
            f"{name} 有 {count} 个缺失或无穷值，第 {i} 个元素非有限值",
            f"{name} has {count} missing or infinite value(s); element {i} is not finite",
        )
    return arr


def as_weights(w: object, k: int, name: str = "w") -> np.ndarray:
    """Validate a length-``k`` weight vector (non-negative, positive sum); return it scaled to 1."""
    arr = as_vector(w, name, k)
    if (arr < 0).any():
        j = int(np.flatnonzero(arr < 0)[0])
        raise fail(f"{name} 第 {j} 个权重为负", f"{name} element {j} is negative ({arr[j]})")
    total = arr.sum()
    if total <= 0:
        raise fail(f"{name} 权重之和须为正", f"{name} must have a positive sum")
    return arr / total


def as_labels(labels: object, n: int, name: str) -> np.ndarray:
    """Return a 1-D label array of length ``n`` (any dtype)."""
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise fail(
            f"{name} 须为长度 {n} 的一维数组",
            f"{name} must be 1-D of length {n}, got shape {arr.shape}",
        )
    return arr


def as_codes(
    labels: object, n: int, name: str, what: tuple[str, str] = ("标签", "label per value")
) -> tuple[np.ndarray, np.ndarray]:
    """Group labels of ``n`` units as (distinct labels sorted, 0-based code of every unit).

    ``what`` names one label in messages (zh, en), e.g. ("分层标签", "stratum label per unit").
    A missing label (None or NaN) or a non-finite float label raises MethodError."""
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise fail(
            f"{name} 须为每个单元一个{what[0]}（共 {n} 个），实为形状 {arr.shape}",
            f"{name} must hold one {what[1]} ({n}), got shape {arr.shape}",
        )
    if arr.dtype.kind == "f":
        missing = ~np.isfinite(arr)
    elif arr.dtype == object:
        missing = np.array([v is None or v != v for v in arr], dtype=bool)
    else:
        missing = np.zeros(n, dtype=bool)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise fail(
            f"{name} 有缺失标签（第 {i} 个）", f"{name} has missing labels (first at position {i})"
        )
    uniq, codes = np.unique(arr, return_inverse=True)
    return uniq, codes.reshape(-1).astype(np.intp)


def column_list(cols: Sequence[int] | np.ndarray) -> str:
    """Format column indices for a message."""
    return ", ".join(str(int(c)) for c in cols)
