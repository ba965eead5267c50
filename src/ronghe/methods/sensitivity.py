"""Sensitivity of a composite index to its methodological choices, and rank statistics over
Monte Carlo draws.

Sobol' indices come from SALib (Herman & Usher 2017): Saltelli's sampling scheme on a scrambled
Sobol' sequence (``SALib.sample.sobol``) and the Saltelli (2010) / Jansen estimators with
bootstrap confidence intervals (``SALib.analyze.sobol``). This module only adds what SALib
lacks: discrete choices. Every factor is sampled as u ~ U[0, 1); a discrete choice with m
options takes option floor(u * m) (so each option has probability 1/m), a continuous one takes
low + u (high - low). This is the usual treatment of "trigger" factors in composite-indicator
audits (Saisana, Saltelli & Tarantola 2005, J. R. Stat. Soc. A 168(2); the JRC's COINr).

Rank statistics over draws follow the same audits: per region the median and the 5th and 95th
percentiles of its rank across draws (linear interpolation between order statistics, NumPy's
default, Hyndman-Fan type 7) and the mean absolute shift from its nominal rank,
mean_d |rank_d - nominal|.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ronghe.methods._checks import as_matrix, as_vector, fail

__all__ = [
    "AGGREGATIONS",
    "IMPUTATIONS",
    "NORMALISATIONS",
    "WEIGHTINGS",
    "Choice",
    "RankStats",
    "SobolDesign",
    "SobolIndices",
    "default_choices",
    "rank_stats",
    "sobol_design",
    "sobol_indices",
]

NORMALISATIONS = ("minmax", "zscore", "rank")
WEIGHTINGS = ("entropy", "critic", "equal", "cv")
AGGREGATIONS = ("arithmetic", "geometric", "topsis")
IMPUTATIONS = ("linear", "parent_mean")


@dataclass(frozen=True)
class Choice:
    """One methodological factor: discrete ``options`` (option floor(u * m) for u in [0, 1)),
    or, when ``options`` is empty, a continuous value low + u (high - low). Build with
    :meth:`discrete` or :meth:`continuous`."""

    name: str
    options: tuple[object, ...] = ()
    low: float = 0.0
    high: float = 1.0

    @classmethod
    def discrete(cls, name: str, options: Sequence[object]) -> Choice:
        """A choice among ``options`` (at least one), each drawn with probability 1/m."""
        opts = tuple(options)
        if not opts:
            raise fail(f"选择项 {name!r} 没有可选值", f"choice {name!r} has no options")
        return cls(name=name, options=opts)

    @classmethod
    def continuous(cls, name: str, low: float, high: float) -> Choice:
        """A value drawn uniformly from [``low``, ``high``) (finite, low < high)."""
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise fail(
                f"选择项 {name!r} 的区间须满足 low < high（{low}, {high}）",
                f"choice {name!r} needs finite low < high, got ({low}, {high})",
            )
        return cls(name=name, low=float(low), high=float(high))

    @property
    def is_discrete(self) -> bool:
        """Whether the choice picks among options (else it is continuous)."""
        return bool(self.options)

    def codes(self, u: np.ndarray) -> np.ndarray:
        """Option indices floor(u * m), kept below m for u = 1 (discrete choices only)."""
        m = len(self.options)
        return np.minimum(np.floor(u * m).astype(np.int64), m - 1)

    def values(self, u: np.ndarray) -> np.ndarray:
        """The options (object array) or the continuous values that ``u`` maps to."""
        if self.is_discrete:
            return np.array(self.options, dtype=object)[self.codes(u)]
        return self.low + u * (self.high - self.low)


def default_choices(n_indicators: int, perturbation: float = 0.2) -> tuple[Choice, ...]:
    """The audit's standard factors: normalisation, weighting, aggregation, a relative weight
    perturbation in [-perturbation, +perturbation], imputation, and the indicator left out (None for
    none, else its 0-based index)."""
    if n_indicators < 1:
        raise fail("指标数须为正", f"n_indicators must be positive, got {n_indicators}")
    if not 0 < perturbation < 1:
        raise fail(
            f"权重扰动幅度须在 (0, 1) 内（{perturbation}）",
            f"perturbation must lie in (0, 1), got {perturbation}",
        )
    return (
        Choice.discrete("normalisation", NORMALISATIONS),
        Choice.discrete("weighting", WEIGHTINGS),
        Choice.discrete("aggregation", AGGREGATIONS),
        Choice.continuous("weight_perturbation", -perturbation, perturbation),
        Choice.discrete("imputation", IMPUTATIONS),
        Choice.discrete("left_out", (None, *range(n_indicators))),
    )


def _salib_problem(choices: Sequence[Choice]) -> dict[str, object]:
    """SALib's problem dict over the unit cube, after checking the names are unique."""
    names = [c.name for c in choices]
    if not names:
        raise fail("至少需要一个选择项", "at least one choice is needed")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise fail(f"选择项名称重复：{dupes}", f"duplicate choice names: {dupes}")
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


@dataclass(frozen=True)
class SobolDesign:
    """Saltelli's sample: ``u`` has n (d + 2) rows (n (2d + 2) with second order) of u in
    [0, 1), one column per choice; evaluate the model on every row, in order, and pass the
    outputs to :func:`sobol_indices`."""

    choices: tuple[Choice, ...]
    u: np.ndarray
    n: int
    second_order: bool

    def _column(self, name: str) -> tuple[Choice, np.ndarray]:
        for j, c in enumerate(self.choices):
            if c.name == name:
                return c, self.u[:, j]
        raise fail(f"没有名为 {name!r} 的选择项", f"no choice named {name!r}")

    def codes(self, name: str) -> np.ndarray:
        """Option index of a discrete choice on every row."""
        choice, u = self._column(name)
        if not choice.is_discrete:
            raise fail(
                f"选择项 {name!r} 是连续的", f"choice {name!r} is continuous, it has no codes"
            )
        return choice.codes(u)

    def values(self, name: str) -> np.ndarray:
        """The option (discrete) or value (continuous) of a choice on every row."""
        choice, u = self._column(name)
        return choice.values(u)


def sobol_design(
    problem: Sequence[Choice], n: int, seed: int, second_order: bool = False
) -> SobolDesign:
    """Saltelli's design for ``problem`` with base sample size ``n`` (a power of two, as Sobol'
    sequences need), scrambled with ``seed`` (same seed, same design)."""
    from SALib.sample import sobol as sobol_sample

    choices = tuple(problem)
    salib = _salib_problem(choices)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2 or n & (n - 1):
        hint = 2 ** max(1, round(math.log2(n))) if isinstance(n, int) and n > 0 else 1024
        raise fail(
            f"Sobol 样本量 n 须为 2 的幂（{n!r}），例如 {hint}",
            f"the Sobol' base sample n must be a power of two >= 2, got {n!r}; try {hint}",
        )
    u = sobol_sample.sample(salib, int(n), calc_second_order=second_order, seed=seed)
    return SobolDesign(choices=choices, u=u, n=int(n), second_order=second_order)


@dataclass(frozen=True)
class SobolIndices:
    """First-order (S1) and total (ST) indices per choice with half-widths of their bootstrap
    confidence intervals; S2 (d x d, upper triangle) only when second order was asked for. With a
    2-D output each array gains a leading axis, one entry per output column."""

    names: tuple[str, ...]
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    S2: np.ndarray | None = None
    S2_conf: np.ndarray | None = None


def sobol_indices(
    problem: Sequence[Choice],
    Y: ArrayLike,
    second_order: bool = False,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed: int = 0,
) -> SobolIndices:
    """Sobol' indices of ``problem``'s choices for the outputs ``Y`` of a :func:`sobol_design`.

    ``Y`` is 1-D (one output per design row) or 2-D (design rows x outputs, analysed column by
    column). ``seed`` fixes the bootstrap so the confidence intervals are reproducible. An
    output that does not vary across the design has no indices and is rejected.
    """
    from SALib.analyze import sobol as sobol_analyze

    choices = tuple(problem)
    salib = _salib_problem(choices)
    one_d = np.ndim(Y) == 1
    Ym = as_vector(Y, "Y")[:, None] if one_d else as_matrix(Y, "Y")
    d = len(choices)
    per = 2 * d + 2 if second_order else d + 2
    if Ym.shape[0] % per:
        raise fail(
            f"Y 的行数 {Ym.shape[0]} 不是 {per} 的倍数，与设计不符",
            f"Y has {Ym.shape[0]} rows, not a multiple of {per}; it does not match the design",
        )
    flat = np.flatnonzero(Ym.std(axis=0) == 0)
    if flat.size:
        raise fail(
            f"Y 第 {int(flat[0])} 列在设计中不变，无法计算 Sobol 指数",
            f"Y column {int(flat[0])} does not vary across the design; Sobol' indices are "
            "undefined",
        )
    keys = ["S1", "S1_conf", "ST", "ST_conf"] + (["S2", "S2_conf"] if second_order else [])
    runs = [
        sobol_analyze.analyze(
            salib,
            Ym[:, j],
            calc_second_order=second_order,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        for j in range(Ym.shape[1])
    ]
    out = {k: np.stack([np.asarray(r[k], dtype=np.float64) for r in runs]) for k in keys}
    if one_d:
        out = {k: v[0] for k, v in out.items()}
    return SobolIndices(names=tuple(c.name for c in choices), **out)


@dataclass(frozen=True)
class RankStats:
    """Per region: median, 5th and 95th percentile rank across draws, and mean |rank - nominal|."""

    median: np.ndarray
    p05: np.ndarray
    p95: np.ndarray
    mean_abs_shift: np.ndarray


def rank_stats(ranks: object, nominal: object) -> RankStats:
    """Summarise ``ranks`` (draws x regions) against the ``nominal`` ranks (one per region)."""
    R = as_matrix(ranks, "ranks")
    nom = as_vector(nominal, "nominal", R.shape[1])
    p05, median, p95 = np.percentile(R, [5.0, 50.0, 95.0], axis=0)
    return RankStats(
        median=median,
        p05=p05,
        p95=p95,
        mean_abs_shift=np.abs(R - nom[None, :]).mean(axis=0),
    )
