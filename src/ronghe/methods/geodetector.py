"""Geographical detector (Wang et al. 2010; Wang, Zhang & Fu 2016) and optimal discretisation
(Song et al. 2020, optimal parameters-based geographical detector).

Notation: N units, a factor x splits them into L strata h with N_h units, mean Ȳ_h and population
variance σ_h²; σ² is the population variance of y. SST = N σ², SSW = Σ_h N_h σ_h².

- factor detector: q = 1 - SSW/SST (Wang et al. 2010, Int. J. Geogr. Inf. Sci. 24: 107-127).
  Test (Wang, Zhang & Fu 2016, Ecol. Indic. 67: 250-256): F = (N-L)/(L-1) · q/(1-q) follows a
  non-central F(L-1, N-L, λ) with λ = [Σ_h Ȳ_h² - (Σ_h √N_h Ȳ_h)² / N] / v, where v is the
  variance of y. Reference packages disagree on v: R ``GD``/``gdverse`` and PyPI ``geodetector``
  use the population variance SST/N, CRAN ``geodetector`` the sample variance SST/(N-1).
  Default here: ``variance="population"``, the variance that also defines q in the 2016 paper, and
  the convention of the maintained packages. λ is taken exactly as published: it uses raw stratum
  means, so it (unlike q) changes when a constant is added to y.
- interaction detector: q of the crossed strata x1∩x2 compared with q(x1), q(x2). Strata of one unit
  are either kept with zero variance (CRAN ``geodetector``, our default: the population variance of
  one value is 0, and q stays a statistic of the whole sample) or dropped before computing q
  (``gdverse``, PyPI ``geodetector``), which also removes those units from SST.
- risk detector: stratum means and pairwise Welch t-tests.
- ecological detector: F = SSW(x1) / SSW(x2) with (N-1, N-1) degrees of freedom, one-sided
  (CRAN ``geodetector``, ``gdverse``).

Why hand-written: PyPI ``geodetector`` (used as a test and benchmark oracle) loops over strata and
factor pairs with pandas; ``factor_detector_many`` computes every factor and every pairwise
interaction from one ``np.bincount`` over offset stratum codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from ronghe.errors import MethodError
from ronghe.methods._checks import as_codes, as_vector, fail, warn

__all__ = [
    "INTERACTION_TYPES",
    "DetectorTable",
    "DiscretizationResult",
    "EcologicalResult",
    "FactorResult",
    "InteractionResult",
    "RiskResult",
    "Singletons",
    "Variance",
    "ecological_detector",
    "factor_detector",
    "factor_detector_many",
    "interaction_detector",
    "optimal_discretization",
    "risk_detector",
]

Variance = Literal["population", "sample"]
Singletons = Literal["keep", "drop"]

#: Interaction types, indexed by the integer codes used in ``DetectorTable.interaction_type``:
#: (code, zh-CN label, en label). Rules, with q1, q2 the single-factor q values and q12 = q(x1∩x2):
#: 0 q12 < min(q1, q2); 1 min ≤ q12 ≤ max; 2 max < q12 < q1 + q2; 3 q12 = q1 + q2 (to 1e-10);
#: 4 q12 > q1 + q2.
INTERACTION_TYPES: tuple[tuple[str, str, str], ...] = (
    ("nonlinear-weaken", "非线性减弱", "nonlinear weaken"),
    ("uni-weaken", "单因子非线性减弱", "uni-variable weaken"),
    ("bi-enhance", "双因子增强", "bi-variable enhance"),
    ("independent", "独立", "independent"),
    ("nonlinear-enhance", "非线性增强", "nonlinear enhance"),
)
_INDEPENDENCE_TOL = 1e-10


# ---------------------------------------------------------------------------------------------
# input handling and the shared q kernel


_Name = tuple[str, str]  # a column of stratum codes in messages: ("X 第 0 列", "X column 0")

_STRATUM = ("分层标签", "stratum label per unit")


def _response(y: ArrayLike) -> NDArray[np.float64]:
    arr = as_vector(y, "y", min_length=2)
    if np.ptp(arr) == 0:
        raise fail("y 为常数，q 无定义（SST = 0）", "y is constant: q is undefined (SST = 0)")
    return arr


def _located(name: _Name | None, zh: str, en: str) -> MethodError:
    """A MethodError whose two halves start with the name of the column it is about."""
    if name is None:
        return fail(zh, en)
    return fail(f"{name[0]}：{zh}", f"{name[1]}: {en}")


@dataclass(frozen=True)
class _Strata:
    """Per-column results of the bincount kernel (columns = factors or crossed factors)."""

    q: NDArray[np.float64]
    n: NDArray[np.float64]  # units kept
    n_strata: NDArray[np.int64]  # occupied strata kept
    sst: NDArray[np.float64]
    lam_numerator: NDArray[np.float64]  # Σ Ȳ_h² - (Σ √N_h Ȳ_h)² / N


def _q_kernel(y: NDArray[np.float64], codes: NDArray[np.intp], n_levels: NDArray[np.intp],
              singletons: Singletons, names: Sequence[_Name]) -> _Strata:
    """q and the λ numerator for every column of ``codes`` (N x m, column j in [0, n_levels[j]))
    from three ``np.bincount`` calls over column-offset codes; y is centred first so that the
    between-strata sum Σ_h (Σ_{i∈h} y_i)² / N_h has no cancellation. ``names`` label the
    columns in error messages."""
    if singletons not in ("keep", "drop"):
        raise fail(f"singletons 须为 'keep' 或 'drop'（{singletons!r}）",
                   f"singletons must be 'keep' or 'drop', got {singletons!r}")
    starts = np.concatenate(([0], np.cumsum(n_levels)[:-1]))
    flat = (codes + starts[None, :]).ravel()
    n_bins = int(n_levels.sum())
    m = codes.shape[1]
    shift = y.mean()
    yc = y - shift
    counts = np.bincount(flat, minlength=n_bins).astype(np.float64)
    s1 = np.bincount(flat, weights=np.repeat(yc, m), minlength=n_bins)
    s2 = np.bincount(flat, weights=np.repeat(yc * yc, m), minlength=n_bins)
    kept = counts >= (2 if singletons == "drop" else 1)
    safe = np.where(kept, counts, 1.0)
    n_kept = np.add.reduceat(np.where(kept, counts, 0.0), starts)
    if (n_kept < 2).any():
        raise _located(names[int(np.flatnonzero(n_kept < 2)[0])],
                       "去掉单单元分层后不足 2 个单元",
                       "fewer than 2 units remain after dropping single-unit strata")
    sum1 = np.add.reduceat(np.where(kept, s1, 0.0), starts)
    sst = np.add.reduceat(np.where(kept, s2, 0.0), starts) - sum1 * sum1 / n_kept
    ssb = np.add.reduceat(np.where(kept, s1 * s1 / safe, 0.0), starts) - sum1 * sum1 / n_kept
    if (sst <= 0).any():
        raise _located(names[int(np.flatnonzero(sst <= 0)[0])],
                       "y 在保留的单元上为常数，q 无定义（SST = 0）",
                       "y is constant on the units kept, q is undefined (SST = 0)")
    means = np.where(kept, shift + s1 / safe, 0.0)
    m1 = np.add.reduceat(means * means, starts)
    m2 = np.add.reduceat(np.sqrt(np.where(kept, counts, 0.0)) * means, starts)
    return _Strata(
        q=np.clip(ssb / sst, 0.0, 1.0),
        n=n_kept,
        n_strata=np.add.reduceat(kept.astype(np.int64), starts),
        sst=sst,
        lam_numerator=m1 - m2 * m2 / n_kept,
    )


def _cross(a: NDArray[np.intp], la: int, b: NDArray[np.intp], lb: int) -> tuple[NDArray[np.intp],
                                                                                  int]:
    """Codes of the crossed strata a∩b; re-coded densely when the product grid is much larger
    than the sample."""
    if la * lb <= 4 * a.size:
        return a * lb + b, la * lb
    _, inv = np.unique(a.astype(np.int64) * lb + b, return_inverse=True)
    inv = inv.reshape(-1).astype(np.intp)
    return inv, int(inv.max()) + 1


# ---------------------------------------------------------------------------------------------
# factor detector


@dataclass(frozen=True)
class FactorResult:
    """Factor detector: q of one factor and its non-central F test (module docstring)."""

    q: float
    p_value: float
    f_stat: float  #: (N-L)/(L-1) · q/(1-q)
    noncentrality: float  #: λ
    df1: int  #: L - 1
    df2: int  #: N - L
    n_strata: int  #: L (occupied strata used)
    n: int  #: units used
    variance: Variance
    singletons: Singletons


def _test(q: float, n: int, n_strata: int, sst: float, lam_num: float,
          variance: Variance, name: _Name | None = None) -> tuple[float, float, float]:
    """(F, λ, p) of the factor detector's test; errors start with ``name`` when given."""
    if variance not in ("population", "sample"):
        raise fail(f"variance 须为 'population' 或 'sample'（{variance!r}）",
                   f"variance must be 'population' or 'sample', got {variance!r}")
    if n_strata < 2:
        raise _located(name, "该因子只有一个分层：q = 0，无法检验",
                       "the factor has a single stratum: q = 0 and no test is possible")
    if n_strata >= n:
        raise _located(name, "每个分层只有一个单元：没有层内自由度",
                       "every stratum holds one unit: no within-strata degrees of freedom")
    v = sst / (n if variance == "population" else n - 1)
    lam = lam_num / v
    df1, df2 = n_strata - 1, n - n_strata
    if q >= 1.0:
        return float("inf"), lam, 0.0
    f_stat = df2 / df1 * q / (1.0 - q)
    return f_stat, lam, float(stats.ncf.sf(f_stat, df1, df2, max(lam, 0.0)))


def factor_detector(y: ArrayLike, x: ArrayLike, *, variance: Variance = "population",
                    singletons: Singletons = "keep") -> FactorResult:
    """Factor detector: q = 1 - SSW/SST of y stratified by the labels x, with the non-central F
    test of Wang, Zhang & Fu (2016). See the module docstring for ``variance`` and ``singletons``.
    """
    arr = _response(y)
    _, codes = as_codes(x, arr.size, "x", _STRATUM)
    res = _q_kernel(arr, codes[:, None], np.array([codes.max() + 1]), singletons, [("x", "x")])
    q, n, n_strata = float(res.q[0]), int(res.n[0]), int(res.n_strata[0])
    f_stat, lam, p = _test(q, n, n_strata, float(res.sst[0]), float(res.lam_numerator[0]),
                           variance)
    return FactorResult(q=q, p_value=p, f_stat=f_stat, noncentrality=lam, df1=n_strata - 1,
                        df2=n - n_strata, n_strata=n_strata, n=n, variance=variance,
                        singletons=singletons)


# ---------------------------------------------------------------------------------------------
# interaction detector


def _interaction_code(q1: float, q2: float, q12: float) -> int:
    lo, hi = min(q1, q2), max(q1, q2)
    if q12 < lo:
        return 0
    if q12 <= hi:
        return 1
    if abs(q12 - (q1 + q2)) <= _INDEPENDENCE_TOL:
        return 3
    return 2 if q12 < q1 + q2 else 4


@dataclass(frozen=True)
class InteractionResult:
    """Interaction detector: q(x1), q(x2), q(x1∩x2) and the interaction type."""

    q1: float
    q2: float
    q12: float  #: q(x1∩x2)
    code: int  #: index into INTERACTION_TYPES
    type: str  #: e.g. "bi-enhance"
    label_zh: str
    label_en: str


def interaction_detector(y: ArrayLike, x1: ArrayLike, x2: ArrayLike, *,
                         singletons: Singletons = "keep") -> InteractionResult:
    """Interaction detector: q of the crossed strata x1∩x2, classified against q(x1) and q(x2)
    (types in ``INTERACTION_TYPES``). q(x1), q(x2) use the same ``singletons`` convention."""
    arr = _response(y)
    _, a = as_codes(x1, arr.size, "x1", _STRATUM)
    _, b = as_codes(x2, arr.size, "x2", _STRATUM)
    la, lb = int(a.max()) + 1, int(b.max()) + 1
    ab, lab = _cross(a, la, b, lb)
    res = _q_kernel(arr, np.column_stack([a, b, ab]), np.array([la, lb, lab]), singletons,
                    [("x1", "x1"), ("x2", "x2"), ("x1∩x2", "x1∩x2")])
    q1, q2, q12 = (float(v) for v in res.q)
    code = _interaction_code(q1, q2, q12)
    kind, zh, en = INTERACTION_TYPES[code]
    return InteractionResult(q1=q1, q2=q2, q12=q12, code=code, type=kind, label_zh=zh,
                             label_en=en)


# ---------------------------------------------------------------------------------------------
# many factors at once


@dataclass(frozen=True)
class DetectorTable:
    """Factor and interaction detector for m factors (columns of X, in order)."""

    q: NDArray[np.float64]  #: (m,) q of each factor
    p_value: NDArray[np.float64]  #: (m,)
    f_stat: NDArray[np.float64]  #: (m,)
    noncentrality: NDArray[np.float64]  #: (m,)
    n_strata: NDArray[np.int64]  #: (m,)
    interaction_q: NDArray[np.float64]  #: (m, m), q(x_i∩x_j) off the diagonal, q(x_i) on it
    interaction_type: NDArray[np.int64]  #: (m, m) codes into INTERACTION_TYPES, -1 on diagonal
    variance: Variance
    singletons: Singletons


def factor_detector_many(y: ArrayLike, X: ArrayLike, *, variance: Variance = "population",
                         singletons: Singletons = "keep") -> DetectorTable:
    """Factor detector for every column of X (N x m stratum labels) and interaction detector for
    every pair of columns, from a single ``np.bincount`` pass over all m + m(m-1)/2 stratifications.
    Same conventions as ``factor_detector`` and ``interaction_detector``."""
    arr = _response(y)
    labels = np.asarray(X)
    if labels.ndim != 2 or labels.shape[0] != arr.size or labels.shape[1] < 1:
        raise fail(f"X 须为（单元, 因子）= ({arr.size}, m) 矩阵，实为 {labels.shape}",
                   f"X must be (units, factors) = ({arr.size}, m), got {labels.shape}")
    m = labels.shape[1]
    cols = [as_codes(labels[:, j], arr.size, f"X[:, {j}]", _STRATUM)[1] for j in range(m)]
    levels = [int(c.max()) + 1 for c in cols]
    pairs = list(combinations(range(m), 2))
    all_codes, all_levels = list(cols), list(levels)
    for i, j in pairs:
        codes, n_lev = _cross(cols[i], levels[i], cols[j], levels[j])
        all_codes.append(codes)
        all_levels.append(n_lev)
    names = [(f"X 第 {j} 列", f"X column {j}") for j in range(m)]
    names += [(f"X 第 {i}、{j} 列交互", f"X columns {i}∩{j}") for i, j in pairs]
    res = _q_kernel(arr, np.column_stack(all_codes), np.array(all_levels), singletons, names)
    tests = [_test(float(res.q[j]), int(res.n[j]), int(res.n_strata[j]), float(res.sst[j]),
                   float(res.lam_numerator[j]), variance, names[j]) for j in range(m)]
    q = res.q[:m].copy()
    iq = np.diag(q)
    itype = np.full((m, m), -1, dtype=np.int64)
    for (i, j), q12 in zip(pairs, res.q[m:], strict=True):
        iq[i, j] = iq[j, i] = q12
        itype[i, j] = itype[j, i] = _interaction_code(q[i], q[j], float(q12))
    return DetectorTable(
        q=q,
        p_value=np.array([t[2] for t in tests]),
        f_stat=np.array([t[0] for t in tests]),
        noncentrality=np.array([t[1] for t in tests]),
        n_strata=res.n_strata[:m].astype(np.int64),
        interaction_q=iq,
        interaction_type=itype,
        variance=variance,
        singletons=singletons,
    )


# ---------------------------------------------------------------------------------------------
# risk and ecological detectors


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise fail(f"显著性水平 alpha 须在 (0, 1) 内（{alpha!r}）",
                   f"alpha must be in (0, 1), got {alpha!r}")


@dataclass(frozen=True)
class RiskResult:
    """Pairwise comparison of stratum means; matrices are indexed like ``strata``.

    Entries not tested (the diagonal, and pairs where a stratum has fewer than 2 units or both
    strata have zero variance) are NaN in ``t``, ``df``, ``p_value`` and False in ``tested``.
    """

    strata: tuple[object, ...]
    means: NDArray[np.float64]
    sizes: NDArray[np.int64]
    t: NDArray[np.float64]  #: t[i, j] = (Ȳ_i - Ȳ_j) / sqrt(s_i²/n_i + s_j²/n_j)
    df: NDArray[np.float64]  #: Welch-Satterthwaite degrees of freedom
    p_value: NDArray[np.float64]  #: two-sided
    significant: NDArray[np.bool_]  #: p < alpha
    tested: NDArray[np.bool_]
    alpha: float


def risk_detector(y: ArrayLike, x: ArrayLike, *, alpha: float = 0.05) -> RiskResult:
    """Risk detector (Wang et al. 2010): is the mean of y different between two strata?

    Two-sided Welch t-test for every pair: t = (Ȳ_i - Ȳ_j)/sqrt(s_i²/n_i + s_j²/n_j) with s² the
    sample variance (ddof=1) and df = (s_i²/n_i + s_j²/n_j)² / [(s_i²/n_i)²/(n_i-1) +
    (s_j²/n_j)²/(n_j-1)]. Untestable pairs are reported with a RongheWarning (see RiskResult).
    """
    _check_alpha(alpha)
    arr = _response(y)
    labels, codes = as_codes(x, arr.size, "x", _STRATUM)
    k = labels.size
    sizes = np.bincount(codes, minlength=k)
    means = np.bincount(codes, weights=arr, minlength=k) / sizes
    dev = arr - means[codes]
    ss = np.bincount(codes, weights=dev * dev, minlength=k)
    multi = sizes >= 2
    var_n = np.where(multi, ss / np.where(multi, sizes - 1, 1) / sizes, np.nan)  # s²/n
    se2 = var_n[:, None] + var_n[None, :]
    tested = multi[:, None] & multi[None, :] & ~np.eye(k, dtype=bool)
    tested &= np.where(tested, se2, 0.0) > 0
    se2_t = np.where(tested, se2, 1.0)
    dfree = np.where(multi, sizes - 1, 1).astype(np.float64)
    vn_t = np.where(multi, var_n, 0.0)
    denom = vn_t[:, None] ** 2 / dfree[:, None] + vn_t[None, :] ** 2 / dfree[None, :]
    t = np.where(tested, (means[:, None] - means[None, :]) / np.sqrt(se2_t), np.nan)
    df = np.where(tested, se2_t**2 / np.where(tested, denom, 1.0), np.nan)
    p = np.full((k, k), np.nan)
    p[tested] = 2.0 * stats.t.sf(np.abs(t[tested]), df[tested])
    untested = int((~tested).sum() - k) // 2
    if untested:
        warn(f"风险探测：{untested} 对分层无法检验（单元数 < 2 或方差为 0）",
             f"risk detector: {untested} pair(s) of strata not tested (fewer than 2 units or "
             "zero variance)")
    significant = tested & (np.nan_to_num(p, nan=1.0) < alpha)
    return RiskResult(strata=tuple(labels.tolist()), means=means, sizes=sizes.astype(np.int64),
                      t=t, df=df, p_value=p, significant=significant, tested=tested, alpha=alpha)


@dataclass(frozen=True)
class EcologicalResult:
    """Ecological detector: F = SSW(x1)/SSW(x2) and its one-sided test."""

    f_stat: float  #: SSW(x1) / SSW(x2)
    df1: int  #: N - 1
    df2: int  #: N - 1
    p_value: float  #: P(F > f_stat)
    significant: bool  #: x2 explains significantly more of y than x1 (p < alpha)
    alpha: float


def ecological_detector(y: ArrayLike, x1: ArrayLike, x2: ArrayLike, *,
                        alpha: float = 0.05) -> EcologicalResult:
    """Ecological detector: do x1 and x2 differ significantly in their effect on y?

    F = SSW(x1) / SSW(x2), SSW = Σ_h N_h σ_h² the within-strata sum of squares, compared with
    F(N-1, N-1) one-sided (upper tail), as in CRAN ``geodetector``; with a common sample this equals
    (1 - q1)/(1 - q2). Significant means x2's strata leave significantly less variance than x1's.
    """
    _check_alpha(alpha)
    arr = _response(y)
    _, a = as_codes(x1, arr.size, "x1", _STRATUM)
    _, b = as_codes(x2, arr.size, "x2", _STRATUM)
    res = _q_kernel(arr, np.column_stack([a, b]), np.array([a.max() + 1, b.max() + 1]), "keep",
                    [("x1", "x1"), ("x2", "x2")])
    ssw = res.sst * (1.0 - res.q)
    n = arr.size
    if ssw[1] <= 0:
        raise fail("x2 完全解释 y（SSW = 0）：F 比无定义",
                   "x2 explains y completely (SSW = 0): the F ratio is undefined")
    f_stat = float(ssw[0] / ssw[1])
    p = float(stats.f.sf(f_stat, n - 1, n - 1))
    return EcologicalResult(f_stat=f_stat, df1=n - 1, df2=n - 1, p_value=p,
                            significant=p < alpha, alpha=alpha)


# ---------------------------------------------------------------------------------------------
# optimal discretisation

_METHODS = ("equal", "natural", "quantile", "geometric", "sd")


@dataclass(frozen=True)
class DiscretizationResult:
    """Best classification of x by q, with q of every (method, k) tried in ``table``."""

    method: str  #: the winning method
    k: int  #: the winning number of classes (requested; empty classes are not counted in q)
    q: float
    breaks: NDArray[np.float64]  #: upper bounds of the classes; the last is max(x)
    strata: NDArray[np.intp]  #: class index of every unit (x ≤ breaks[c], x > breaks[c-1])
    methods: tuple[str, ...]
    k_values: tuple[int, ...]
    table: NDArray[np.float64]  #: q for methods x k_values; NaN where the method is undefined


def _breaks(x: NDArray[np.float64], method: str, k: int,
            jenks: NDArray[np.int32] | None = None) -> NDArray[np.float64] | None:
    """Upper class bounds of ``x`` by ``method`` with ``k`` classes, None where undefined.

    "equal", "quantile" and "natural" give the bins of mapclassify's ``EqualInterval``,
    ``Quantiles`` and ``FisherJenks`` (the peer the tests compare with, bit for bit), computed here
    so that the detector does not import mapclassify, whose import compiles its numba kernels
    (seconds). ``jenks``: the table of :func:`_jenks_table` of sorted ``x``, shared by every k.
    """
    lo, hi = float(x.min()), float(x.max())
    if method == "geometric":
        if lo <= 0:
            return None
        return lo * (hi / lo) ** (np.arange(1, k + 1) / k)
    if method == "sd":
        inner = x.mean() + x.std(ddof=1) * (np.arange(k - 1) - (k - 2) / 2.0)
        return np.append(inner[inner < hi], hi)
    if method == "equal":
        width = (x.max() - x.min()) * 1.0 / k
        if width == 0:  # a spread of a few subnormals divides to nothing: no steps (the peer fails)
            return None
        cuts = np.arange(x.min() + width, x.max() + width, width)[:k]
        cuts[-1] = x.max()
        return cuts.astype(np.float64)
    if method == "quantile":
        # percentiles 100/k, 200/k, ... 100 as scipy's scoreatpercentile; repeated values collapse
        w = 100.0 / k
        p = np.arange(w, 100 + w, w)
        if p[-1] > 100.0:
            p[-1] = 100.0
        return np.unique([stats.scoreatpercentile(x, pct) for pct in p]).astype(np.float64)
    if np.unique(x).size < k:  # mapclassify refuses too few distinct values for k classes
        return None
    xs = np.sort(x)
    table = _jenks_table(xs, k) if jenks is None else jenks
    return _jenks_bins(xs, table, k)


def _jenks_table(xs: NDArray[np.float64], classes: int) -> NDArray[np.int32]:
    """Fisher-Jenks optimal partition of sorted ``xs`` (Fisher 1958; Jenks 1977), as mapclassify
    computes it: float32 sums of squared deviations, a segment's sums accumulated from its last
    value down, ties to the segment that starts earliest. Returns ``first[l, j]``, the 1-based first
    value of the last class of the best j-class partition of the first l values (j ≤ ``classes``;
    column j does not depend on ``classes``, so one table serves every smaller k).

    The recurrence cost[l, j] = min over i of ssd(i..l) + cost[i-1, j-1] runs column by column,
    vectorised over l and i in blocks of rows (O(n² k) operations, O(block · n) memory).
    """
    n = xs.size
    vals = xs.astype(np.float32)
    first = np.zeros((n + 1, classes + 1), dtype=np.int32)
    cost = np.zeros((n + 1, classes + 1), dtype=np.float32)
    first[1, 1:] = 1
    cost[2:, 1:] = np.inf
    if n < 2:
        return first
    first[2:, 1] = 1
    block = max(1, 2_000_000 // n)
    m = np.arange(1, n + 1)  # segment length of column m - 1
    for start in range(2, n + 1, block):
        ls = np.arange(start, min(start + block, n + 1))  # rows l (1-based)
        mm = m[:ls[-1]]  # segments no longer than the block's last row
        idx = ls[:, None] - mm[None, :]  # 0-based index of the m-th value counted down from l
        valid = idx >= 0
        seg = np.where(valid, vals[np.clip(idx, 0, None)], np.float32(0))
        s1 = np.cumsum(seg, axis=1, dtype=np.float32)
        s2 = np.cumsum(seg * seg, axis=1, dtype=np.float32)
        ssd = s2 - (s1 * s1) / mm.astype(np.float32)[None, :]
        cost[ls, 1] = ssd[np.arange(ls.size), ls - 1]
        # a segment starting at the first value leaves no room for an earlier class (i4 = 0)
        ssd[idx < 1] = np.inf
        rows = np.arange(ls.size)
        for j in range(2, classes + 1):
            # cost[l - m, j - 1] for m = 1, 2, ...: a window of the column read backwards
            back = np.concatenate([cost[::-1, j - 1], np.zeros(mm.size, np.float32)])
            before = sliding_window_view(back, mm.size)[n + 1 - ls]
            cand = (ssd + before)[:, ::-1]
            # the longest segment reaching the minimum (mapclassify updates on ties, m ascending)
            at = np.argmin(cand, axis=1)
            first[ls, j] = (ls - (mm.size - 1 - at)).astype(np.int32)
            cost[ls, j] = cand[rows, at]
    return first


def _jenks_bins(xs: NDArray[np.float64], first: NDArray[np.int32], k: int) -> NDArray[np.float64]:
    bins = np.zeros(k + 1, dtype=np.float64)
    bins[k] = xs[-1]
    bins[0] = xs[0]
    row = xs.size
    for count in range(k, 1, -1):
        pivot = int(first[row, count])
        bins[count - 1] = xs[pivot - 2]
        row = pivot - 1
    return bins[1:]


def optimal_discretization(y: ArrayLike, x: ArrayLike,
                           methods: Sequence[str] = _METHODS,
                           k_range: Sequence[int] = range(3, 9), *,
                           singletons: Singletons = "keep") -> DiscretizationResult:
    """Choose the classification of a continuous factor x that maximises q (Song, Wang, Ge & Xu
    2020, GIScience & Remote Sensing 57: 593-610).

    Methods: "equal" (equal intervals), "natural" (Fisher-Jenks optimal natural breaks),
    "quantile" (equal counts) with the breaks mapclassify gives (computed here, see ``_breaks``;
    natural breaks with k above the number of distinct values are skipped); "geometric" (breaks
    min·r^i with r = (max/min)^(1/k), needs x > 0, as in R ``GD``) and "sd" (k - 1 breaks one
    sample standard deviation apart, centred on the mean; breaks at or beyond max(x) are dropped)
    computed here. Every (method, k) is scored by q; the first maximum in the order
    methods x k_range wins (ties go to the earlier method, then the smaller k).
    """
    arr = _response(y)
    xv = as_vector(x, "x", arr.size)
    if np.ptp(xv) == 0:
        raise fail("x 为常数，无法离散化", "x is constant: it cannot be discretised")
    unknown = [m for m in methods if m not in _METHODS]
    if unknown or not methods:
        raise fail(f"未知离散化方法 {unknown}；可选 {_METHODS}",
                   f"unknown discretisation method(s) {unknown}; choose from {_METHODS}")
    ks = tuple(int(k) for k in k_range)
    if not ks or min(ks) < 2:
        raise fail(f"k_range 的分类数须 ≥ 2（{ks}）", f"k_range must hold class counts ≥ 2, got {ks}")
    table = np.full((len(methods), len(ks)), np.nan)
    jenks = _jenks_table(np.sort(xv), max(ks)) if "natural" in methods else None
    best: tuple[float, int, int, NDArray[np.float64], NDArray[np.intp]] | None = None
    for i, method in enumerate(methods):
        for j, k in enumerate(ks):
            bins = _breaks(xv, method, k, jenks)
            if bins is None:
                continue
            strata = np.minimum(np.searchsorted(bins, xv, side="left"), bins.size - 1)
            res = _q_kernel(arr, strata[:, None], np.array([bins.size]), singletons,
                            [(f"x（{method}, k={k}）", f"x ({method}, k={k})")])
            q = float(res.q[0])
            table[i, j] = q
            if best is None or q > best[0]:
                best = (q, i, j, bins, strata)
    if best is None:
        raise fail("没有适用于 x 的离散化方法（几何间隔需要 x > 0）",
                   "no discretisation method applies to x (geometric needs x > 0)")
    skipped = [m for i, m in enumerate(methods) if np.isnan(table[i]).all()]
    if skipped:
        warn(f"最优离散化：方法 {skipped} 不适用（几何间隔需要 x > 0）",
             f"optimal discretisation: method(s) {skipped} skipped (geometric needs x > 0)")
    q, i, j, bins, strata = best
    return DiscretizationResult(method=methods[i], k=ks[j], q=q, breaks=bins, strata=strata,
                                methods=tuple(methods), k_values=ks, table=table)
