"""Indicator weights: objective (entropy, CRITIC, coefficient of variation), subjective (AHP) and
their combinations.

Hand-written because the panel conventions are not those of the single-decision libraries: pymcdm
(the test oracle) normalises internally, treats a column holding a zero as having entropy 0 and
returns NaN for a constant column; here the kernels take the already-normalised matrix, use the
convention 0·ln 0 = 0, give a constant indicator weight 0 with a warning, and validate AHP matrices
cell by cell. Every function returns a non-negative float vector summing to 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ronghe.methods._checks import (
    as_matrix,
    as_vector,
    as_weights,
    column_list,
    fail,
    row_blocks,
    warn,
)

__all__ = [
    "CV_MAX",
    "SAATY_RI",
    "AhpParts",
    "AhpResult",
    "CriticParts",
    "CvParts",
    "EntropyParts",
    "ahp_parts",
    "ahp_weights",
    "cap_weights",
    "combine_weights",
    "critic_parts",
    "critic_weights",
    "cv_parts",
    "cv_weights",
    "entropy_parts",
    "entropy_weights",
    "equal_weights",
]

# Saaty's random consistency index RI for matrix orders n = 1..15, as tabulated in Saaty, T. L.
# (1980), The Analytic Hierarchy Process, McGraw-Hill (the table most AHP textbooks reproduce).
SAATY_RI = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)


def equal_weights(k: int) -> np.ndarray:
    """Equal weights 1/k for k indicators."""
    if int(k) != k or k < 1:
        raise fail(f"指标数 {k} 无效", f"k must be a positive integer, got {k!r}")
    return np.full(int(k), 1.0 / int(k))


def _constant_columns(Z: np.ndarray) -> np.ndarray:
    return Z.max(axis=0) == Z.min(axis=0)


def _zero_constant(constant: np.ndarray, scores: np.ndarray, method: str) -> np.ndarray:
    """Turn per-column scores into weights; constant columns get 0, all-constant gives equal."""
    k = constant.shape[0]
    if constant.any():
        cols = column_list(np.flatnonzero(constant))
        warn(
            f"第 {cols} 列为常数，{method} 权重取 0",
            f"column(s) {cols} are constant; {method} weight 0",
        )
    scores = np.where(constant, 0.0, np.clip(scores, 0.0, None))
    total = scores.sum()
    if total <= 0:
        warn(
            f"{method} 无法区分任何指标，改用等权",
            f"{method} separates no indicator; equal weights used",
        )
        return equal_weights(k)
    return scores / total


@dataclass(frozen=True)
class EntropyParts:
    """The entropy method's table as SPSSAU prints it (熵值法): per indicator the information
    entropy e_j, the utility (divergence) d_j = 1 - e_j and the weight w_j."""

    entropy: np.ndarray
    utility: np.ndarray
    weight: np.ndarray


def entropy_parts(Z: object) -> EntropyParts:
    """:func:`entropy_weights` with its intermediate quantities e_j and d_j (same conventions).

    A constant column has e_j = 1, d_j = 0 (an all-zero column: e_j = 1 as well, 0·ln 0 = 0)."""
    arr = as_matrix(Z, "Z", copy=False)
    n, k = arr.shape
    if n < 2:
        raise fail("熵权法至少需要 2 行", "entropy weights need at least 2 rows")
    least = arr.min()
    if least < 0:
        i, j = np.argwhere(arr < 0)[0]
        raise fail(
            f"第 {j} 列第 {i} 行为负值，熵权法要求非负",
            f"column {j} row {i} is negative; entropy needs Z >= 0 (normalise first)",
        )
    constant = _constant_columns(arr)
    colsum = arr.sum(axis=0)
    safe = np.where(colsum > 0, colsum, 1.0)
    total = np.zeros(k)
    for rows in row_blocks(n, k):  # Σ_i p ln p block by block (no (n, k) temporary)
        p = arr[rows] / safe
        if least > 0:  # no zero (shifted scores): p ln p as it stands, in place
            total += np.multiply(p, np.log(p), out=p).sum(axis=0)
            continue
        positive = p > 0
        total += np.where(positive, p * np.log(np.where(positive, p, 1.0)), 0.0).sum(axis=0)
    e = np.where(constant, 1.0, -total / np.log(n))
    d = 1.0 - e
    return EntropyParts(e, d, _zero_constant(constant, d, "熵权/entropy"))


def entropy_weights(Z: object) -> np.ndarray:
    """Entropy weights of a normalised, non-negative (n, k) matrix (global entropy over all rows):
    Shannon's entropy as a measure of an attribute's information, as in the entropy method of
    Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer.

    p_ij = z_ij / Σ_i z_ij;  e_j = -(1/ln n) Σ_i p_ij ln p_ij with 0·ln 0 = 0 (natural log; the
    1/ln n factor makes the base irrelevant);  d_j = 1 - e_j;  w_j = d_j / Σ_j d_j.

    A constant column (e_j = 1) gets weight 0 with a RongheWarning; if every column is constant,
    equal weights are returned with a warning. Negative entries raise MethodError (normalise first).
    Unlike pymcdm, which sets e_j = 0 when a column holds any zero, zeros here simply add nothing
    to the entropy sum; on strictly positive input both agree. :func:`entropy_parts` also returns
    e_j and d_j.
    """
    return entropy_parts(Z).weight


@dataclass(frozen=True)
class CriticParts:
    """CRITIC's table: per indicator the contrast σ_j, the conflict Σ_k (1 - r_jk), the
    information C_j = σ_j · conflict_j and the weight. Constant columns have σ = 0, NaN conflict
    (their correlations are undefined), information 0 and weight 0."""

    sd: np.ndarray
    conflict: np.ndarray
    information: np.ndarray
    weight: np.ndarray


def critic_parts(Z: object, conflict: str = "1-r") -> CriticParts:
    """:func:`critic_weights` with its intermediate quantities (same conventions and warnings)."""
    if conflict not in ("1-r", "1-|r|"):
        raise fail(
            f"未知冲突项 {conflict!r}", f"conflict must be '1-r' or '1-|r|', got {conflict!r}"
        )
    arr = as_matrix(Z, "Z", copy=False)
    n, k = arr.shape
    if n < 2:
        raise fail("CRITIC 至少需要 2 行", "CRITIC needs at least 2 rows")
    constant = _constant_columns(arr)
    if constant.any():
        cols = column_list(np.flatnonzero(constant))
        warn(
            f"第 {cols} 列为常数，CRITIC 权重取 0",
            f"column(s) {cols} are constant; CRITIC weight 0",
        )
    live = np.flatnonzero(~constant)
    sd_all = arr.std(axis=0, ddof=1)
    conflict_all = np.full(k, np.nan)  # undefined for a constant column (no correlation)
    info_all = np.zeros(k)  # C_j = sigma_j * conflict_j = 0 where sigma_j = 0
    w = np.zeros(k)
    if live.size == 0:
        warn("所有列均为常数，改用等权", "every column is constant; equal weights used")
        return CriticParts(sd_all, conflict_all, info_all, equal_weights(k))
    sub = arr[:, live]
    sd = sd_all[live]
    r = np.corrcoef(sub, rowvar=False) if live.size > 1 else np.ones((1, 1))
    r = np.atleast_2d(r)
    dissimilarity = 1.0 - (np.abs(r) if conflict == "1-|r|" else r)
    conflict_all[live] = dissimilarity.sum(axis=0)
    c = sd * conflict_all[live]
    info_all[live] = c
    if c.sum() <= 0:
        warn(
            "CRITIC 无法区分非常数指标，改用等权",
            "CRITIC separates no indicator; equal weights used",
        )
        w[live] = 1.0 / live.size
    else:
        w[live] = np.clip(c, 0.0, None) / c.sum()
    return CriticParts(sd_all, conflict_all, info_all, w)


def critic_weights(Z: object, conflict: str = "1-r") -> np.ndarray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995) of a normalised (n, k) matrix.

    C_j = σ_j · Σ_k (1 - r_jk), w_j = C_j / Σ C_j, with σ the sample standard deviation (ddof=1,
    as pymcdm) and r the Pearson correlation. ``conflict="1-|r|"`` uses 1 - |r_jk| instead, a
    variant found in some applied papers (strong negative correlation then counts as redundancy).

    pymcdm's ``critic_weights(X)`` min–max normalises X internally; it equals
    ``critic_weights(normalize(X, ["+"] * k, shift=0))`` here. Any affine shift applied to all
    columns alike leaves the weights unchanged.

    Constant columns have undefined correlations: they get weight 0 (RongheWarning) and the others
    are computed among the non-constant columns only. If no weight can be formed (all columns
    constant, a single varying column, or all varying columns perfectly correlated), equal weights
    over the varying columns (or over all, if none varies) are returned with a warning.
    :func:`critic_parts` also returns σ_j, the conflict and C_j.
    """
    return critic_parts(Z, conflict).weight


# A column whose standard deviation exceeds CV_MAX times its mean is refused by cv_weights: its
# weight would be set by how near the mean sits to zero, not by the spread of the indicator.
CV_MAX = 10.0


def cv_weights(X: object, names: Sequence[str] | None = None) -> np.ndarray:
    """Coefficient-of-variation weights: CV_j = σ_j / mean_j (ddof=1), w = CV / Σ CV.

    Only for ratio-scale indicators in their own unit (a true zero, no negative values), where
    the CV does not depend on where the zero of the scale lies. A column is refused with
    MethodError naming it (``names[j]`` if given, else its column index) when

    - any value is negative (an interval-scale quantity such as a growth rate, a balance or a
      gap, whose CV changes with the origin), or
    - its standard deviation exceeds ``CV_MAX`` = 10 times its mean (nearly every value is 0, so
      the mean is small against the spread and the column would take almost the whole index).

    On non-negative data CV ≤ sqrt(n) in any case. A constant column (including all zeros) gets
    weight 0 with a warning (equal weights if all are constant).
    """
    arr = as_matrix(X)
    n, k = arr.shape
    if n < 2:
        raise fail("变异系数法至少需要 2 行", "CV weights need at least 2 rows")
    label = (
        [f"indicator {v!r}" for v in names] if names is not None else [f"column {j}" for j in range(k)]
    )
    label_zh = [f"指标 {v!r}" for v in names] if names is not None else [f"第 {j} 列" for j in range(k)]
    if len(label) != k:
        raise fail(f"names 须有 {k} 个", f"names must hold {k} entries")
    if (arr < 0).any():
        i, j = np.argwhere(arr < 0)[0]
        raise fail(
            f"{label_zh[j]} 第 {i} 行为负值 {arr[i, j]:g}，不是比率尺度，变异系数无意义",
            f"{label[j]} is not ratio-scale (row {i} is negative, {arr[i, j]:g}); "
            "the CV depends on the origin of such a scale",
        )
    mean = arr.mean(axis=0)
    sd = arr.std(axis=0, ddof=1)
    constant = _constant_columns(arr)
    sparse = ~constant & (sd > CV_MAX * mean)
    if sparse.any():
        j = int(np.flatnonzero(sparse)[0])
        raise fail(
            f"{label_zh[j]} 的标准差超过均值的 {CV_MAX:g} 倍（均值接近 0），变异系数会让它独占权重",
            f"{label[j]} has a standard deviation above {CV_MAX:g} times its mean "
            "(mean near 0); its CV weight would take almost the whole index",
        )
    cv = sd / np.where(constant, 1.0, mean)
    return _zero_constant(constant, cv, "变异系数/CV")


@dataclass(frozen=True)
class AhpParts:
    """AHP's table: the pairwise matrix, the weights, λmax, CI = (λmax - n)/(n - 1), Saaty's RI
    for the order n and CR = CI / RI (CI, RI and CR are 0 for n <= 2, where any reciprocal matrix
    is consistent)."""

    matrix: np.ndarray
    weight: np.ndarray
    lambda_max: float
    ci: float
    ri: float
    cr: float


def ahp_parts(A: object) -> AhpParts:
    """:func:`ahp_weights` with λmax, CI and RI (same validation and CR warning).

    CI and CR are clipped at 0 (λmax of a consistent matrix equals n up to rounding)."""
    arr = as_matrix(A, "A")
    n = arr.shape[0]
    if arr.shape[1] != n:
        raise fail(
            f"判断矩阵须为方阵，实为 {arr.shape}", f"AHP matrix must be square, got {arr.shape}"
        )
    if n > len(SAATY_RI):
        raise fail(
            f"判断矩阵阶数 {n} 超过 15，无随机一致性指标",
            f"AHP matrix order {n} exceeds 15; no random index",
        )
    if (arr <= 0).any():
        i, j = np.argwhere(arr <= 0)[0]
        raise fail(
            f"判断矩阵第 {i} 行第 {j} 列须为正", f"AHP cell (row {i}, column {j}) must be > 0"
        )
    recip = np.abs(arr * arr.T - 1.0) > 1e-6
    if recip.any():
        i, j = np.argwhere(recip)[0]
        raise fail(
            f"判断矩阵第 {i} 行第 {j} 列不满足互反性 a_ij·a_ji = 1",
            f"AHP cell (row {i}, column {j}) is not reciprocal: {arr[i, j]} x {arr[j, i]} != 1",
        )
    values, vectors = np.linalg.eig(arr)
    top = int(np.argmax(values.real))
    lam = float(values[top].real)
    v = np.abs(vectors[:, top].real)
    w = v / v.sum()
    if n <= 2:
        return AhpParts(arr, w, lam, 0.0, 0.0, 0.0)
    ci = max((lam - n) / (n - 1), 0.0)
    ri = SAATY_RI[n - 1]
    cr = ci / ri
    if cr > 0.1:
        warn(
            f"判断矩阵一致性比率 CR = {cr:.3f} > 0.1", f"AHP consistency ratio CR = {cr:.3f} > 0.1"
        )
    return AhpParts(arr, w, lam, float(ci), float(ri), float(cr))


class AhpResult(NamedTuple):
    """AHP weights and consistency ratio; unpacks as ``w, cr = ahp_weights(A)``."""

    weight: np.ndarray
    cr: float


def ahp_weights(A: object) -> AhpResult:
    """AHP weights and consistency ratio of a pairwise comparison matrix (Saaty 1980).

    w is the principal (Perron) eigenvector scaled to sum 1; CI = (λmax - n)/(n - 1);
    CR = CI / RI with Saaty's random index ``SAATY_RI`` for n = 3..15; CR = 0 for n ≤ 2.
    The matrix must be square with positive entries and reciprocal (|a_ij·a_ji - 1| ≤ 1e-6);
    otherwise MethodError names the cell (0-based row i, column j). CR > 0.1 still returns, with a
    RongheWarning that the judgements are inconsistent.
    :func:`ahp_parts` also returns λmax, CI and RI.
    """
    parts = ahp_parts(A)
    return AhpResult(parts.weight, parts.cr)


def combine_weights(
    ws: Sequence[object], method: str = "multiplicative", alpha: object = None
) -> np.ndarray:
    """Combine m weight vectors of length k into one.

    ``"multiplicative"``: w_j ∝ Π_m w_mj.
    ``"linear"``: w = Σ_m α_m w_m, α defaulting to 1/m each (non-negative, must sum to 1).
    ``"game"``: game-theoretic combination. The α minimising the deviation of w = Σ α_m w_m from
    every w_i solves the linear system Σ_m α_m (w_i · w_m) = w_i · w_i (i = 1..m); then
    α* = |α| / Σ|α| and w = Σ α*_m w_m. The system is solved by least squares, so identical input
    vectors (a singular system) still return that vector.

    Each input is validated (length k, non-negative, positive sum) and scaled to sum 1 first.
    """
    if len(ws) < 1:
        raise fail("至少需要一组权重", "need at least one weight vector")
    k = len(np.asarray(ws[0]))
    W = np.vstack([as_weights(w, k, f"ws[{i}]") for i, w in enumerate(ws)])
    m = W.shape[0]
    if method != "linear" and alpha is not None:
        raise fail("仅线性组合可指定 alpha", "alpha applies to method='linear' only")
    if method == "multiplicative":
        prod = W.prod(axis=0)
        if prod.sum() <= 0:
            raise fail(
                "乘法组合后所有权重为 0（没有指标在各方法下均为正权重）",
                "multiplicative combination is all zero: no indicator is positive in every vector",
            )
        return prod / prod.sum()
    if method == "linear":
        a = np.full(m, 1.0 / m) if alpha is None else as_vector(alpha, "alpha", m)
        if (a < 0).any() or abs(a.sum() - 1.0) > 1e-9:
            raise fail("alpha 须非负且和为 1", "alpha must be non-negative and sum to 1")
        return a @ W
    if method == "game":
        gram = W @ W.T
        a = np.linalg.lstsq(gram, np.diag(gram), rcond=None)[0]
        a = np.abs(a) / np.abs(a).sum()
        w = a @ W
        return w / w.sum()
    raise fail(
        f"未知组合方法 {method!r}", f"unknown method {method!r}; use multiplicative, linear or game"
    )


@dataclass(frozen=True)
class CvParts:
    """The coefficient-of-variation method's table: per indicator the mean, the sample standard
    deviation (ddof=1), CV = sd / |mean| and the weight of :func:`cv_weights`."""

    mean: np.ndarray
    sd: np.ndarray
    cv: np.ndarray
    weight: np.ndarray


def cv_parts(X: object) -> CvParts:
    """:func:`cv_weights` with the mean, sd and CV of each column (the weight, its validation and
    warnings are those of :func:`cv_weights`)."""
    weight = cv_weights(X)
    arr = as_matrix(X)
    mean = arr.mean(axis=0)
    sd = arr.std(axis=0, ddof=1)
    return CvParts(mean, sd, sd / np.abs(mean), weight)


def cap_weights(w: object, cap: float) -> np.ndarray:
    """Weights with none above ``cap``: every weight above it is set to the cap and the excess
    is shared among the other positive weights in proportion to them, repeated until none exceeds
    it (at most k rounds, each capping at least one more weight).

    The usual remedy when a data-driven method (entropy above all) lets one indicator dominate a
    composite: the order of the uncapped weights is kept, the capped ones tie at the cap, and a
    zero weight (a constant indicator) stays 0. A cap that the positive weights cannot meet
    (cap × their number < 1) raises MethodError; weights already within the cap are returned
    unchanged (scaled to sum 1).
    """
    arr = as_weights(w, len(np.asarray(w)))
    positive = int((arr > 0).sum())
    if not np.isfinite(cap) or cap * positive < 1.0 - 1e-12:
        raise fail(
            f"权重上限 {cap} 低于 {positive} 个正权重的等权份额，无法满足",
            f"weight cap {cap} is below the equal share of the {positive} positive weights "
            "and cannot be met",
        )
    out = arr.copy()
    for _ in range(out.size):
        over = out > cap + 1e-15
        if not over.any():
            break
        excess = float((out[over] - cap).sum())
        out[over] = cap
        free = (out < cap) & (out > 0)
        out[free] += excess * out[free] / out[free].sum()
    return out
