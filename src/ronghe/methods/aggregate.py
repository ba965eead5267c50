"""Aggregation of normalised indicators into composite scores (综合指数).

Weighted arithmetic and geometric means are one line each but need input checks and stated
conventions; TOPSIS is written here (not called from pymcdm, which is the test oracle) because the
panel chain feeds it an already-normalised matrix, pools region-years, and must return a defined
value when every row is identical.

Linear and geometric aggregation follow OECD/JRC (2008), Handbook on Constructing Composite
Indicators: Methodology and User Guide (the geometric mean lets a low score be compensated
less than the arithmetic mean does); TOPSIS follows Hwang & Yoon (1981), Multiple Attribute
Decision Making, Springer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple, overload

import numpy as np

from ronghe.methods._checks import as_matrix, as_weights, fail, row_blocks, warn

__all__ = [
    "TopsisDistances",
    "TopsisParts",
    "topsis",
    "topsis_parts",
    "weighted_arithmetic",
    "weighted_geometric",
]


def _within_rows(S: np.ndarray, arr: np.ndarray) -> np.ndarray:
    """Clip each weighted mean to the range of its row: a mean with weights summing to 1 cannot
    leave it, but rounding can (the mean of ones is 1.0000000000000002 with some weights)."""
    return np.clip(S, arr.min(axis=1), arr.max(axis=1))


def weighted_arithmetic(Z: object, w: object) -> np.ndarray:
    """Weighted arithmetic mean per row: S_i = Σ_j w_j z_ij with w scaled to sum 1. Shape (n,).

    S_i is clipped to [min_j z_ij, max_j z_ij] against rounding, so scores in [0, 1] give a mean
    in [0, 1] exactly."""
    arr = as_matrix(Z, "Z", copy=False)
    return _within_rows(arr @ as_weights(w, arr.shape[1]), arr)


def weighted_geometric(Z: object, w: object) -> np.ndarray:
    """Weighted geometric mean per row: S_i = Π_j z_ij^w_j with w scaled to sum 1. Shape (n,).

    Every z must be > 0 (use the normalisation shift); otherwise MethodError names the first
    offending row and column. S_i is clipped to [min_j z_ij, max_j z_ij] against rounding.
    """
    arr = as_matrix(Z, "Z", copy=False)
    wn = as_weights(w, arr.shape[1])
    if arr.min() <= 0:
        i, j = np.argwhere(arr <= 0)[0]
        raise fail(
            f"第 {i} 行第 {j} 列不为正，几何平均要求 z > 0",
            f"row {i}, column {j} is {arr[i, j]}; the geometric mean needs z > 0",
        )
    return _within_rows(np.exp(np.log(arr) @ wn), arr)


class TopsisDistances(NamedTuple):
    """TOPSIS closeness with the distances it comes from (per row); unpacks as
    ``closeness, d_plus, d_minus = topsis(Z, w, return_distances=True)``."""

    closeness: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray


@overload
def topsis(
    Z: object, w: object, return_distances: Literal[False] = False, reference: object = None
) -> np.ndarray: ...


@overload
def topsis(
    Z: object, w: object, return_distances: Literal[True], reference: object = None
) -> TopsisDistances: ...


def topsis(
    Z: object, w: object, return_distances: bool = False, reference: object = None
) -> np.ndarray | TopsisDistances:
    """TOPSIS closeness (Hwang & Yoon 1981) of already-normalised, benefit-type scores.

    V = Z · diag(w) with w scaled to sum 1; ideal v+_j = max_i v_ij, anti-ideal v-_j = min_i v_ij
    (taken over all rows given, i.e. pooled over the panel); Euclidean distances D+_i, D-_i;
    closeness = D- / (D+ + D-). With Z = normalize(X, dirs, shift=0) this equals pymcdm's
    ``TOPSIS(minmax_normalization)`` on X (pymcdm also maps a constant column to 1).

    If D+ + D- = 0 (every row identical on the weighted columns, so ideal = anti-ideal), no row is
    closer to either; closeness is set to 0.5 for those rows with a RongheWarning.

    ``reference``: optional rows (m, k) whose weighted column max and min are the ideals instead of
    those of Z — a scenario scores changed rows against the baseline's ideals this way.

    Returns closeness (n,), or :class:`TopsisDistances` (closeness, D+, D-) if
    ``return_distances``.
    """
    arr = as_matrix(Z, "Z", copy=False)
    n, k = arr.shape
    wn = as_weights(w, k)
    # ideals of V = Z·diag(w) from the columns' extremes (w ≥ 0 and rounding is monotone, so
    # max_i(z_ij w_j) = (max_i z_ij) w_j exactly); distances block by block
    R = arr if reference is None else as_matrix(reference, "reference", copy=False)
    ideal, anti = R.max(axis=0) * wn, R.min(axis=0) * wn
    d_plus, d_minus = np.empty(n), np.empty(n)
    V, D = np.empty((0, k)), np.empty((0, k))  # two block buffers, reused
    for rows in row_blocks(n, k):
        b = rows.stop - rows.start
        if V.shape[0] != b:
            V, D = np.empty((b, k)), np.empty((b, k))
        np.multiply(arr[rows], wn, out=V)
        np.square(np.subtract(V, ideal, out=D), out=D)
        d_plus[rows] = D.sum(axis=1)
        np.square(np.subtract(V, anti, out=D), out=D)
        d_minus[rows] = D.sum(axis=1)
    np.sqrt(d_plus, out=d_plus)
    np.sqrt(d_minus, out=d_minus)
    total = d_plus + d_minus
    tie = total <= 0
    if tie.any():
        warn(
            "所有行在加权指标上相同，TOPSIS 贴近度取 0.5",
            "all rows are identical on the weighted indicators; TOPSIS closeness set to 0.5",
        )
    closeness = np.where(tie, 0.5, d_minus / np.where(tie, 1.0, total))
    if return_distances:
        return TopsisDistances(closeness, d_plus, d_minus)
    return closeness


@dataclass(frozen=True)
class TopsisParts:
    """TOPSIS's tables: per row the distances D+ (to the ideal) and D- (to the anti-ideal) and
    the closeness C = D- / (D+ + D-); per indicator the positive ideal v+_j and the negative ideal
    v-_j of the weighted matrix V = Z · diag(w)."""

    d_plus: np.ndarray
    d_minus: np.ndarray
    closeness: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray


def topsis_parts(Z: object, w: object, reference: object = None) -> TopsisParts:
    """:func:`topsis` with its distances and ideals (same conventions and warnings)."""
    closeness, d_plus, d_minus = topsis(Z, w, return_distances=True, reference=reference)
    arr = as_matrix(Z if reference is None else reference, "Z", copy=False)
    wn = as_weights(w, arr.shape[1])
    return TopsisParts(d_plus, d_minus, closeness, arr.max(axis=0) * wn, arr.min(axis=0) * wn)
