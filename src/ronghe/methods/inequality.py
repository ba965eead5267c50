"""Inequality measures: Gini, Dagum's Gini decomposition, Theil T/L, coefficient of variation.

All functions take plain arrays (one value per unit, e.g. per county) and return floats or frozen
dataclasses of NumPy arrays. Inputs must be finite; the Gini family needs non-negative values with a
positive mean, the Theil family strictly positive values.

Why hand-written: PyPI ``inequality`` has Gini and Theil-T (used as test oracles) but no Theil-L
decomposition and no Dagum (1997) decomposition; no maintained Python package implements Dagum's
subgroup decomposition, and its naive form needs O(n²) memory and time, too slow for 2,850
counties x many years or for bootstrap. Here every pairwise sum Σ_iΣ_r |y_i - y_r| comes from one
sort plus cumulative sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ronghe.methods._checks import as_codes, as_vector, fail

__all__ = [
    "DagumResult",
    "TheilResult",
    "coefficient_of_variation",
    "dagum_gini",
    "gini",
    "theil",
]


def _nonnegative(arr: NDArray[np.float64], *, measure: str) -> None:
    if (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise fail(
            f"{measure} 要求 y 非负；第 {i} 个值为 {arr[i]!r}",
            f"{measure} needs non-negative y; position {i} is {arr[i]!r}",
        )
    if arr.sum() <= 0:
        raise fail(
            f"y 全为 0 时 {measure} 无定义", f"{measure} is undefined when every value of y is zero"
        )


def gini(y: ArrayLike) -> float:
    """Gini coefficient in the mean-difference form.

    G = Σ_i Σ_j |y_i - y_j| / (2 n² μ), computed in O(n log n) from the sorted values as
    G = Σ_i (2i - n - 1) y_(i) / (n Σ y), i = 1..n (the n² denominator, no small-sample
    n/(n-1) correction; the same convention as PyPI ``inequality.gini.Gini``).
    Values must be non-negative with a positive sum.
    """
    arr = as_vector(y, "y", min_length=1)
    _nonnegative(arr, measure="Gini")
    n = arr.size
    ranks = 2.0 * np.arange(1, n + 1) - n - 1.0
    # equal values give Σ (2i - n - 1) y = 0 up to rounding, which can be -1e-17: clipped to 0
    return max(float(ranks @ np.sort(arr) / (n * arr.sum())), 0.0)


def coefficient_of_variation(y: ArrayLike, *, ddof: int = 0) -> float:
    """Coefficient of variation CV = s / μ.

    s is the standard deviation with ``ddof`` delta degrees of freedom: the default ``ddof=0`` is
    the population form sqrt(Σ (y_i - μ)² / n), appropriate when the units are all regions rather
    than a sample of them; pass ``ddof=1`` for the sample form with divisor n - 1.
    The mean must be positive.
    """
    arr = as_vector(y, "y", min_length=1)
    if arr.size <= ddof:
        raise fail(
            f"变异系数需要多于 ddof={ddof} 个值",
            f"coefficient of variation needs more than ddof={ddof} values",
        )
    mean = arr.mean()
    if mean <= 0:
        raise fail(
            f"变异系数要求均值为正，实为 {mean!r}",
            f"coefficient of variation needs a positive mean, got {mean!r}",
        )
    return float(arr.std(ddof=ddof) / mean)


@dataclass(frozen=True)
class DagumResult:
    """Dagum (1997) decomposition of the Gini coefficient G = Gw + Gnb + Gt.

    Groups are ordered by ascending mean (ties keep label order); every per-group array and both
    matrices follow ``groups``. For j > h (group j has the higher mean) ``D[j, h]`` is the relative
    economic affluence of j over h and ``D[h, j] = -D[j, h]``.
    """

    gini: float  #: overall Gini G of the pooled sample
    within: float  #: Gw, within-group contribution
    net_between: float  #: Gnb, net between-group contribution
    transvariation: float  #: Gt, intensity of transvariation (overlap) contribution
    groups: tuple[object, ...]  #: group labels, ascending by mean
    means: NDArray[np.float64]  #: group means Ȳ_j
    sizes: NDArray[np.int64]  #: group sizes n_j
    population_shares: NDArray[np.float64]  #: p_j = n_j / n
    income_shares: NDArray[np.float64]  #: s_j = n_j Ȳ_j / (n Ȳ)
    G: NDArray[np.float64]  #: G[j, j] within-group Gini G_jj, G[j, h] between-group Gini G_jh
    D: NDArray[np.float64]  #: D[j, h] = (d_jh - p_jh) / (d_jh + p_jh)
    d: NDArray[np.float64]  #: d[j, h] = E[max(Y_j - Y_h, 0)] (gross economic affluence)

    @property
    def between(self) -> float:
        """Gb = Gnb + Gt, total between-group contribution."""
        return self.net_between + self.transvariation

    @property
    def contributions(self) -> dict[str, float]:
        """Shares of G: {"within": Gw/G, "net_between": Gnb/G, "transvariation": Gt/G}."""
        if self.gini == 0:
            return {"within": 0.0, "net_between": 0.0, "transvariation": 0.0}
        return {
            "within": self.within / self.gini,
            "net_between": self.net_between / self.gini,
            "transvariation": self.transvariation / self.gini,
        }


def dagum_gini(y: ArrayLike, groups: ArrayLike) -> DagumResult:
    """Dagum's (1997, Empirical Economics 22: 515-531) subgroup decomposition of the Gini.

    With k groups ordered by ascending mean, n_j units in group j, p_j = n_j/n, s_j = n_j Ȳ_j/(nȲ),
    and S_jh = Σ_i Σ_r |y_ji - y_hr|:

    - G = Σ_j Σ_h S_jh / (2 n² Ȳ)                  (plain Gini of the pooled sample)
    - G_jj = S_jj / (2 n_j² Ȳ_j)                    (within-group Gini)
    - G_jh = S_jh / (n_j n_h (Ȳ_j + Ȳ_h))            (between-group Gini)
    - d_jh = E[max(Y_j - Y_h, 0)], p_jh = E[max(Y_h - Y_j, 0)] = d_hj,
      D_jh = (d_jh - p_jh) / (d_jh + p_jh)           (relative economic affluence)
    - Gw = Σ_j G_jj p_j s_j
    - Gnb = Σ_{j>h} G_jh (p_j s_h + p_h s_j) D_jh
    - Gt = Σ_{j>h} G_jh (p_j s_h + p_h s_j) (1 - D_jh)

    so G = Gw + Gnb + Gt exactly. Two groups with identical distributions have D_jh = 0 (d = p);
    if d_jh + p_jh = 0 (all values of both groups equal) D_jh is set to 0.

    Complexity: one O(n log n) sort, then for each group h a cumulative count of h's units along
    the sorted order and the partial sums of h's sorted values give, for every unit i,
    Σ_r max(y_i - y_hr, 0) (ties contribute zero either way); summing by the unit's group gives
    column h of the gross-affluence matrix A, and S = A + A', d = A / (n_j n_h).
    Total O(n log n + k n) time and O(n) extra memory. Values must be non-negative and every group
    mean positive.
    """
    arr = as_vector(y, "y", min_length=1)
    _nonnegative(arr, measure="Dagum Gini")
    labels, codes = as_codes(groups, arr.size, "groups")
    k = labels.size
    sizes = np.bincount(codes, minlength=k)
    means = np.bincount(codes, weights=arr, minlength=k) / sizes
    if (means <= 0).any():
        bad = labels[int(np.flatnonzero(means <= 0)[0])].item()
        raise fail(
            f"Dagum 基尼系数要求各组均值为正；组 {bad!r} 均值为 0",
            f"Dagum Gini needs a positive mean in every group; group {bad!r} is 0",
        )

    order_groups = np.argsort(means, kind="stable")
    rank = np.empty(k, dtype=np.intp)
    rank[order_groups] = np.arange(k)
    codes = rank[codes]
    labels, sizes, means = labels[order_groups], sizes[order_groups], means[order_groups]

    # gross affluence sums A[j, h] = Σ_{i∈j} Σ_{r∈h} max(y_i - y_r, 0); for unit i at sorted
    # position t, c = #{r ∈ h at positions ≤ t} and the sum of those values is the c-th partial
    # sum of h's sorted values (an integer cumsum and a gather instead of a float cumsum over n)
    order = np.argsort(arr)
    ys, gs = arr[order], codes[order]
    affluence = np.empty((k, k))
    count_dtype = np.int32 if arr.size < 2**31 else np.int64
    for h in range(k):
        in_h = gs == h
        count_below = np.cumsum(in_h.view(np.int8), dtype=count_dtype)
        partial = np.concatenate(([0.0], np.cumsum(ys[in_h])))
        contrib = count_below * ys - partial[count_below]
        affluence[:, h] = np.bincount(gs, weights=contrib, minlength=k)
    np.maximum(affluence, 0.0, out=affluence)  # rounding can leave -1e-16 where the sum is zero

    pair_sizes = np.outer(sizes, sizes).astype(np.float64)
    S = affluence + affluence.T  # S_jh = Σ_i Σ_r |y_ji - y_hr| = A_jh + A_hj
    d = affluence / pair_sizes
    n = arr.size
    mean = arr.mean()
    total = float(S.sum() / (2.0 * n * n * mean))

    G = S / (pair_sizes * (means[:, None] + means[None, :]))
    denom = affluence + affluence.T
    D = np.divide(affluence - affluence.T, denom, out=np.zeros((k, k)), where=denom > 0)

    p = sizes / n
    s = sizes * means / (n * mean)
    within = float(np.sum(np.diag(G) * p * s))
    lower = np.tril(np.ones((k, k), dtype=bool), k=-1)
    weight = np.outer(p, s) + np.outer(s, p)
    between_terms = (G * weight)[lower]
    net_between = float(np.sum(between_terms * D[lower]))
    transvariation = float(np.sum(between_terms * (1.0 - D[lower])))
    return DagumResult(
        gini=total,
        within=within,
        net_between=net_between,
        transvariation=transvariation,
        groups=tuple(labels.tolist()),
        means=means,
        sizes=sizes.astype(np.int64),
        population_shares=p,
        income_shares=s,
        G=G,
        D=D,
        d=d,
    )


@dataclass(frozen=True)
class TheilResult:
    """Theil index with its within/between decomposition over groups (labels in sorted order)."""

    kind: Literal["T", "L"]
    total: float
    within: float  #: Σ_g w_g I_g
    between: float  #: between-group term
    groups: tuple[object, ...]
    group_index: NDArray[np.float64]  #: I_g, the Theil index inside each group
    weights: NDArray[np.float64]  #: w_g: income shares (T) or population shares (L)
    population_shares: NDArray[np.float64]
    income_shares: NDArray[np.float64]


def theil(y: ArrayLike, groups: ArrayLike | None = None,
          kind: Literal["T", "L"] = "T") -> TheilResult:
    """Theil's T (GE(1)) or L (GE(0), mean log deviation) with the additive group decomposition.

    With μ the overall mean, p_g = n_g/n the population share and s_g = Σ_{i∈g} y_i / Σ y_i the
    income share of group g (natural logarithms throughout):

    - T = (1/n) Σ_i (y_i/μ) ln(y_i/μ) = Σ_g s_g T_g + Σ_g s_g ln(s_g/p_g)
      (within weights: income shares)
    - L = (1/n) Σ_i ln(μ/y_i) = Σ_g p_g L_g + Σ_g p_g ln(p_g/s_g)
      (within weights: population shares)

    Theil (1967), Economics and Information Theory; Shorrocks (1980), Econometrica 48: 613-625.
    ``groups=None`` treats all units as one group (within = total, between = 0). Values must be
    strictly positive: no shift or epsilon is added (PyPI ``inequality`` adds a tiny value to zeros;
    we refuse them instead).
    """
    if kind not in ("T", "L"):
        raise fail(f"泰尔指数类型须为 T 或 L（{kind!r}）", f"Theil kind must be 'T' or 'L', got {kind!r}")
    arr = as_vector(y, "y", min_length=1)
    if (arr <= 0).any():
        i = int(np.flatnonzero(arr <= 0)[0])
        raise fail(
            f"泰尔指数要求 y 严格为正；第 {i} 个值为 {arr[i]!r}",
            f"Theil index needs strictly positive y; position {i} is {arr[i]!r}",
        )
    if groups is None:
        labels: NDArray[np.generic] = np.array(["all"], dtype=object)
        codes = np.zeros(arr.size, dtype=np.intp)
    else:
        labels, codes = as_codes(groups, arr.size, "groups")
    k = labels.size
    n = arr.size
    sizes = np.bincount(codes, minlength=k)
    totals = np.bincount(codes, weights=arr, minlength=k)
    p = sizes / n
    s = totals / totals.sum()
    ratio = arr / (totals / sizes)[codes]  # y_i relative to its group mean
    if kind == "T":
        group_index = np.bincount(codes, weights=ratio * np.log(ratio), minlength=k) / sizes
        weights = s
        between = float(np.sum(s * np.log(s / p)))
    else:
        group_index = np.bincount(codes, weights=-np.log(ratio), minlength=k) / sizes
        weights = p
        between = float(np.sum(p * np.log(p / s)))
    within = float(np.sum(weights * group_index))
    return TheilResult(
        kind=kind,
        total=within + between,
        within=within,
        between=between,
        groups=tuple(labels.tolist()),
        group_index=group_index,
        weights=weights,
        population_shares=p,
        income_shares=s,
    )
