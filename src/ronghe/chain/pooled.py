"""Pooled statistics of the chain from slices of rows: what the out-of-core runner
(:mod:`ronghe.chain.partitioned`) computes in its first pass and hands to the row-wise steps.

Each statistic is a sum over slices (so slices can be summed in any order and on any machine),
and each weighting or imputation formula below is the one of its kernel in :mod:`ronghe.methods`
written on those sums, with the kernel's conventions, warnings and errors (the tests check the
weights equal the kernels' to 1e-12 on the synthetic panel and every built-in framework):

- imputation (:func:`ronghe.methods.impute_panel`): per (parent, year) and column the sum and
  count of values present after the within-region step and the count still missing; the parent
  mean is sum / count, and the year mean is taken over the values present after the parent step,
  i.e. (Σ_p sum_py + Σ_{p: count_py > 0} missing_py · mean_py) / (Σ_p count_py + Σ_{p: count_py > 0}
  missing_py);
- weights: column sums, minima and maxima, then (with the pooled means and sums known) Σ p ln p
  (entropy), the centred cross-products of Z (CRITIC's standard deviations and correlations,
  ddof = 1) and the centred squares of the imputed values (CV).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ronghe import methods as m
from ronghe.chain.weights import INDICATOR_WEIGHTINGS, WeightData, WeightSpec, cap, combine
from ronghe.errors import InputError, MethodError
from ronghe.methods._checks import column_list, warn
from ronghe.methods.weights import CV_MAX, _zero_constant


# ------------------------------------------------------------------ imputation
@dataclass
class GroupSums:
    """Per group key (parent, year) and column: sum and count of present values, count missing."""

    keys: list[tuple[str, int]]
    total: np.ndarray  # (g, k)
    present: np.ndarray  # (g, k)
    missing: np.ndarray  # (g, k)

    @classmethod
    def of(cls, X: np.ndarray, parent: np.ndarray, years: np.ndarray) -> GroupSums:
        """The sums of one slice of rows (X may hold NaN)."""
        frame = np.rec.fromarrays([np.asarray(parent, dtype=str), np.asarray(years, dtype=int)])
        uniq, code = np.unique(frame, return_inverse=True)
        g, k = uniq.size, X.shape[1]
        have = ~np.isnan(X)
        total, present, missing = np.zeros((g, k)), np.zeros((g, k)), np.zeros((g, k))
        for j in range(k):
            total[:, j] = np.bincount(code[have[:, j]], weights=X[have[:, j], j], minlength=g)
            present[:, j] = np.bincount(code[have[:, j]], minlength=g)
            missing[:, j] = np.bincount(code[~have[:, j]], minlength=g)
        return cls([(str(p), int(y)) for p, y in uniq], total, present, missing)

    @staticmethod
    def merge(parts: Sequence[GroupSums]) -> GroupSums:
        keys = sorted({key for p in parts for key in p.keys})
        at = {key: i for i, key in enumerate(keys)}
        k = parts[0].total.shape[1]
        out = GroupSums(keys, np.zeros((len(keys), k)), np.zeros((len(keys), k)),
                        np.zeros((len(keys), k)))
        for p in parts:
            rows = np.array([at[key] for key in p.keys], dtype=np.int64)
            np.add.at(out.total, rows, p.total)
            np.add.at(out.present, rows, p.present)
            np.add.at(out.missing, rows, p.missing)
        return out


@dataclass(frozen=True)
class ImputationMeans:
    """Parent-year and year means of each column (NaN where the group has no value)."""

    keys: list[tuple[str, int]]
    parent_year: np.ndarray | None  # (g, k) in the order of ``keys``; None: no parent step
    years: list[int]
    year: np.ndarray  # (y, k)

    @classmethod
    def of(cls, sums: GroupSums, use_parent: bool) -> ImputationMeans:
        k = sums.total.shape[1]
        have = sums.present > 0
        mean = np.divide(sums.total, sums.present, out=np.full_like(sums.total, np.nan),
                         where=have)
        by_year: dict[int, list[int]] = {}
        for i, (_p, y) in enumerate(sums.keys):
            by_year.setdefault(y, []).append(i)
        year = np.full((len(by_year), k), np.nan)
        for at, rows in enumerate(by_year.values()):
            t, c = sums.total[rows].sum(axis=0), sums.present[rows].sum(axis=0)
            if use_parent:  # the values the parent step filled count in the year mean
                filled = np.where(have[rows], sums.missing[rows], 0.0)
                t = t + (filled * np.where(have[rows], mean[rows], 0.0)).sum(axis=0)
                c = c + filled.sum(axis=0)
            year[at] = np.divide(t, c, out=np.full(k, np.nan), where=c > 0)
        return cls(sums.keys, mean if use_parent else None, list(by_year), year)

    def fill(self, X: np.ndarray, parent: np.ndarray, years: np.ndarray
             ) -> list[tuple[np.ndarray, np.ndarray, str, np.ndarray]]:
        """Fill NaN in X (in place): parent-year mean, then year mean; returns the log parts
        (rows, cols, method, values)."""
        import pandas as pd

        log = []
        steps: list[tuple[str, np.ndarray, np.ndarray]] = []
        if self.parent_year is not None:
            at = pd.MultiIndex.from_tuples(self.keys).get_indexer(
                pd.MultiIndex.from_arrays([np.asarray(parent, dtype=str), years.astype(int)]))
            steps.append(("parent_mean", at, self.parent_year))
        steps.append(("year_mean", pd.Index(self.years).get_indexer(years.astype(int)),
                      self.year))
        for label, at, table in steps:
            r, c = np.nonzero(np.isnan(X))
            if r.size == 0:
                break
            means = table[at[r], c]
            ok = ~np.isnan(means)
            X[r[ok], c[ok]] = means[ok]
            log.append((r[ok], c[ok], label, means[ok]))
        return log


# ------------------------------------------------------------------ weights
@dataclass
class Moments:
    """Column statistics of the scores Z and the imputed values X over slices of rows."""

    n: int
    z_sum: np.ndarray
    z_min: np.ndarray
    z_max: np.ndarray
    x_sum: np.ndarray
    x_min: np.ndarray
    x_max: np.ndarray

    @classmethod
    def of(cls, Z: np.ndarray, X: np.ndarray) -> Moments:
        return cls(Z.shape[0], Z.sum(axis=0), Z.min(axis=0), Z.max(axis=0), X.sum(axis=0),
                   X.min(axis=0), X.max(axis=0))

    @staticmethod
    def merge(parts: Sequence[Moments]) -> Moments:
        return Moments(
            sum(p.n for p in parts), np.sum([p.z_sum for p in parts], axis=0),
            np.min([p.z_min for p in parts], axis=0), np.max([p.z_max for p in parts], axis=0),
            np.sum([p.x_sum for p in parts], axis=0), np.min([p.x_min for p in parts], axis=0),
            np.max([p.x_max for p in parts], axis=0),
        )


@dataclass
class Spread:
    """Second-pass sums given the pooled sums: Σ p ln p of Z, centred cross-products of Z and
    centred squares of X."""

    plogp: np.ndarray
    z_cross: np.ndarray
    x_square: np.ndarray

    @classmethod
    def of(cls, Z: np.ndarray, X: np.ndarray, mom: Moments) -> Spread:
        p = Z / np.where(mom.z_sum > 0, mom.z_sum, 1.0)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0).sum(axis=0)
        dz = Z - mom.z_sum / mom.n
        dx = X - mom.x_sum / mom.n
        # einsum, not BLAS: a (k, n) @ (n, k) product spends most of its time in thread
        # hand-offs on a busy machine, and one slice is small
        return cls(plogp, np.einsum("ij,ik->jk", dz, dz), (dx * dx).sum(axis=0))

    @staticmethod
    def merge(parts: Sequence[Spread]) -> Spread:
        return Spread(np.sum([p.plogp for p in parts], axis=0),
                      np.sum([p.z_cross for p in parts], axis=0),
                      np.sum([p.x_square for p in parts], axis=0))


def _entropy(mom: Moments, sp: Spread) -> np.ndarray:
    """:func:`ronghe.methods.entropy_weights` from the sums."""
    if mom.n < 2:
        raise MethodError("entropy weights need at least 2 rows")
    if (mom.z_min < 0).any():
        raise MethodError("entropy needs Z >= 0 (normalise first)")
    constant = mom.z_max == mom.z_min
    e = np.where(constant, 1.0, -sp.plogp / np.log(mom.n))
    return _zero_constant(constant, 1.0 - e, "熵权/entropy")


def _critic(mom: Moments, sp: Spread) -> np.ndarray:
    """:func:`ronghe.methods.critic_weights` (conflict 1 - r) from the sums."""
    if mom.n < 2:
        raise MethodError("CRITIC needs at least 2 rows")
    k = mom.z_sum.size
    constant = mom.z_max == mom.z_min
    if constant.any():
        cols = column_list(np.flatnonzero(constant))
        warn(f"第 {cols} 列为常数，CRITIC 权重取 0",
               f"column(s) {cols} are constant; CRITIC weight 0")
    live = np.flatnonzero(~constant)
    if live.size == 0:
        warn("所有列均为常数，改用等权", "every column is constant; equal weights used")
        return m.equal_weights(k)
    cov = sp.z_cross[np.ix_(live, live)] / (mom.n - 1)
    sd = np.sqrt(np.diag(cov))
    r = np.clip(cov / sd[:, None] / sd[None, :], -1.0, 1.0) if live.size > 1 else np.ones((1, 1))
    c = sd * (1.0 - r).sum(axis=0)
    w = np.zeros(k)
    if c.sum() <= 0:
        warn("CRITIC 无法区分非常数指标，改用等权",
               "CRITIC separates no indicator; equal weights used")
        w[live] = 1.0 / live.size
    else:
        w[live] = np.clip(c, 0.0, None) / c.sum()
    return w


def _cv(mom: Moments, sp: Spread, ids: Sequence[str], setting: str) -> np.ndarray:
    """:func:`ronghe.methods.cv_weights` of the imputed values from the sums."""
    def refuse(why: str) -> InputError:
        return InputError(f"{setting} 'cv' cannot be used: {why}")
    if (mom.x_min < 0).any():
        j = int(np.flatnonzero(mom.x_min < 0)[0])
        raise refuse(f"indicator {ids[j]!r} is not ratio-scale (a value is negative, "
                     f"{mom.x_min[j]:g}); the CV depends on the origin of such a scale")
    mean = mom.x_sum / mom.n
    sd = np.sqrt(sp.x_square / (mom.n - 1))
    constant = mom.x_max == mom.x_min
    sparse = ~constant & (sd > CV_MAX * mean)
    if sparse.any():
        j = int(np.flatnonzero(sparse)[0])
        raise refuse(f"indicator {ids[j]!r} has a standard deviation above {CV_MAX:g} times "
                     "its mean (mean near 0); its CV weight would take almost the whole index")
    return _zero_constant(constant, sd / np.where(constant, 1.0, mean), "变异系数/CV")


def _single(name: str, mom: Moments, sp: Spread, ids: list[str], spec: WeightSpec
            ) -> np.ndarray:
    if name == "entropy":
        return _entropy(mom, sp)
    if name == "critic":
        return _critic(mom, sp)
    if name == "cv":
        return _cv(mom, sp, ids, spec.setting)
    if name == "combined":
        parts = [_single(p, mom, sp, ids, WeightSpec(p, setting="weighting.combine"))
                 for p in spec.combine]
        return combine(parts, spec)
    # equal, fixed (and the refusal of an unknown name) need no data
    empty = np.empty((0, len(ids)))
    from ronghe.chain.weights import single

    return single(name, WeightData(X=empty, Z=empty, ids=ids), spec)


def pooled_weights(mom: Moments, sp: Spread, ids: list[str], spec: WeightSpec) -> np.ndarray:
    """Indicator weights of ``spec`` from the pooled sums, capped as
    :func:`ronghe.chain.indicator_weights` caps them."""
    if spec.method not in INDICATOR_WEIGHTINGS:
        return _single(spec.method, mom, sp, ids, spec)  # raises the registry's error
    return cap(_single(spec.method, mom, sp, ids, spec), spec.method, spec.cap)
