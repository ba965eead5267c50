"""Spatio-temporal analysis of a Result: disparity, spatial autocorrelation, dynamics, drivers.

Orchestration only: every statistic comes from the kernels in :mod:`ronghe.methods` (inequality,
convergence, geodetector, density) and the PySAL layer :mod:`ronghe.spatial`; this module picks the
values out of a :class:`~ronghe.result.Result`, runs the kernels year by year and shapes tidy frames.

Variables. ``variable`` names one value per region-year: ``"index"`` (the composite index), ``"C"``,
``"T"``, ``"D"`` (coupling), ``"U_<dimension>"`` (a dimension score), an indicator id (its raw
values, in the indicator's own units, before any treatment) or a raw variable of the panel.
Analyses that need a balanced panel use complete cases: years without any value, then regions
missing a value in a remaining year, are dropped with a :class:`~ronghe.errors.RongheWarning` giving
their number (never silently).

Groups (disparity). ``"macro"``: the NBS four macro-regions (east, central, west, northeast;
:mod:`ronghe.regions.macro`); ``"province"``: the two-digit province code; or one label per
region (a mapping region → label, or a sequence in the order of :func:`regions`).

Every analysis returns a frozen dataclass whose ``tables()`` gives the sheets it adds to the
workbook (name → DataFrame) and whose ``notes()`` states its conventions; :func:`analysis_tables`
merges several into one dict.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pandas as pd

from ronghe import labels
from ronghe.errors import InputError, MethodError, RongheWarning
from ronghe.methods.convergence import beta_convergence, sigma_convergence
from ronghe.methods.density import kernel_density
from ronghe.methods.geodetector import (
    INTERACTION_TYPES,
    ecological_detector,
    factor_detector_many,
    optimal_discretization,
    risk_detector,
)
from ronghe.methods.inequality import coefficient_of_variation, dagum_gini, gini, theil
from ronghe.regions.boundaries import Level
from ronghe.regions.macro import MACRO_REGION_NAMES, macro_regions_of

if TYPE_CHECKING:
    from libpysal.weights import W

    from ronghe.result import Result
    from ronghe.spatial.dynamics import MarkovResult, SpatialMarkovResult

__all__ = [
    "DisparityResult",
    "DriversResult",
    "DynamicsResult",
    "SpatialResult",
    "analysis_tables",
    "detect_level",
    "disparity",
    "drivers",
    "dynamics",
    "dynamics_figures",
    "explanations",
    "regions",
    "spatial",
    "spatial_figures",
    "variable_values",
]

DISCRETIZE_METHODS = ("equal", "natural", "quantile", "geometric", "sd")

# ---------------------------------------------------------------------------------------------
# values out of a Result


def regions(result: Result) -> list[str]:
    """Region codes of the result, sorted (the order group labels given as a sequence follow)."""
    return sorted({str(r) for r in result.state.regions})


def variable_values(result: Result, variable: str, *, treated: bool = False) -> pd.Series:
    """Values of ``variable`` per region-year, indexed by (region, year); see the module docstring.

    ``treated=True`` gives an indicator's values after the study's treatment (imputation,
    winsorising, and the log transform where the study applied one — see ``Result.transforms``),
    i.e. the values the index is built from; otherwise its raw values. Undefined cells are NaN.
    """
    s = result.state
    index = pd.MultiIndex.from_arrays(
        [s.regions.astype(str), s.years.astype(int)], names=["region", "year"]
    )
    dims = result.dimension_ids
    if variable == "index":
        values = s.composite
    elif variable in ("C", "T", "D"):
        values = getattr(s, variable)
    elif variable.startswith("U_") and variable[2:] in dims:
        values = s.U[:, dims.index(variable[2:])]
    elif variable in s.indicator_ids:
        values = (s.X if treated else s.raw)[:, s.indicator_ids.index(variable)]
    elif variable in s.panel.data.columns:
        data = s.panel.data[variable]
        keys = pd.MultiIndex.from_arrays(
            [data.index.get_level_values(0).astype(str), data.index.get_level_values(1).astype(int)]
        )
        values = data.set_axis(keys).reindex(index).to_numpy(dtype=float)
    else:
        raise InputError(
            f"未知变量 {variable!r}：可用 index、C、T、D、U_<维度>、指标代码或原始变量 / unknown "
            f"variable {variable!r}: use index, C, T, D, U_<dimension>, an indicator id or a raw "
            "variable of the panel",
            column=variable,
        )
    values = np.asarray(values, dtype=float).copy()
    values[~np.isfinite(values)] = np.nan
    return pd.Series(values, index=index, name=variable)


def _complete(series: pd.Series, what: str) -> pd.DataFrame:
    """Region × year frame of complete cases (see the module docstring)."""
    wide = series.unstack("year").sort_index().sort_index(axis=1)
    empty = [int(y) for y in wide.columns[wide.isna().all()]]
    if empty:
        warnings.warn(
            f"{what}：{len(empty)} 个年份没有数值，已略去（{empty}） / {what}: {len(empty)} year(s) "
            f"without any value left out ({empty})",
            RongheWarning,
            stacklevel=3,
        )
        wide = wide.drop(columns=empty)
    gaps = wide.isna().any(axis=1)
    if gaps.any():
        warnings.warn(
            f"{what}：{int(gaps.sum())} 个区域有缺失年份，已略去 / {what}: {int(gaps.sum())} "
            f"region(s) with a missing year left out (e.g. {', '.join(wide.index[gaps][:3])})",
            RongheWarning,
            stacklevel=3,
        )
        wide = wide[~gaps]
    if wide.shape[0] < 2 or wide.shape[1] < 1:
        raise InputError(
            f"{what}：完整数据不足（至少 2 个区域、1 个年份） / {what}: too few complete values "
            "(need at least 2 regions and 1 year)",
            column=str(series.name),
        )
    wide.columns = [int(y) for y in wide.columns]
    return wide


_T = TypeVar("_T")


def _context(what: str, call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """Run a kernel, prefixing its MethodError with the variable and year it was run on."""
    try:
        return call(*args, **kwargs)
    except MethodError as exc:
        raise MethodError(f"{what}: {exc}") from None


# ---------------------------------------------------------------------------------------------
# disparity


def _group_labels(result: Result, codes: Sequence[str], groups: Any) -> tuple[np.ndarray, str]:
    meta = result.state.panel.regions
    province = meta["province"].set_axis([str(i) for i in meta.index]).astype(str)
    if isinstance(groups, str):
        if groups == "macro":
            return macro_regions_of(province.reindex(codes).to_numpy()), "macro"
        if groups == "province":
            return province.reindex(codes).to_numpy(dtype=object), "province"
        raise InputError(
            f"未知分组 {groups!r}，可选 macro / province 或逐区域标签 / unknown grouping "
            f"{groups!r}: use macro, province or one label per region",
            value=groups,
        )
    if isinstance(groups, Mapping | pd.Series):
        mapping = {str(k): v for k, v in dict(groups).items()}
        missing = [c for c in codes if c not in mapping]
        if missing:
            raise InputError(
                f"{len(missing)} 个区域没有分组 / {len(missing)} regions have no group: "
                f"{', '.join(missing[:5])}",
                column="region",
            )
        return np.array([mapping[c] for c in codes], dtype=object), "custom"
    labels_arr = np.asarray(groups, dtype=object)
    everyone = regions(result)
    if labels_arr.shape != (len(everyone),):
        raise InputError(
            f"分组须为每个区域一个标签（{len(everyone)} 个） / groups must hold one label per "
            f"region ({len(everyone)}), got shape {labels_arr.shape}",
            column="group",
        )
    by_code = dict(zip(everyone, labels_arr, strict=True))
    return np.array([by_code[c] for c in codes], dtype=object), "custom"


@dataclass(frozen=True)
class DisparityResult:
    """Regional disparity of one variable (frames described in :func:`disparity`)."""

    variable: str
    grouping: str
    dagum: pd.DataFrame
    dagum_within: pd.DataFrame
    dagum_between: pd.DataFrame
    theil: pd.DataFrame
    theil_groups: pd.DataFrame
    dispersion: pd.DataFrame
    sigma_trend: pd.DataFrame
    beta: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "disparity_dagum": self.dagum,
            "disparity_dagum_within": self.dagum_within,
            "disparity_dagum_between": self.dagum_between,
            "disparity_theil": self.theil,
            "disparity_theil_groups": self.theil_groups,
            "disparity_dispersion": self.dispersion,
            "disparity_sigma": self.sigma_trend,
            "disparity_beta": self.beta,
        }

    def notes(self) -> list[tuple[str, str]]:
        return [
            (
                "差异分解 disparity",
                f"变量 variable {self.variable}; 分组 groups {self.grouping}. Dagum (1997) Gini "
                "G = Gw + Gnb + Gt; Theil T/L 自然对数 natural logs; CV、σ 用总体标准差 "
                "population s.d. (ddof=0); β 收敛 convergence: absolute = 横截面 cross-section "
                "OLS over the whole span, conditional = 面板双向固定效应 panel with region and "
                "year fixed effects; speed λ = -ln(1+βτ)/τ, half-life ln2/λ.",
            )
        ]


def _dagum_rows(
    variable: str, year: int, y: np.ndarray, groups: np.ndarray, names: dict
) -> tuple[dict, list, list]:
    dg = _context(f"Dagum Gini of {variable}, {year}", dagum_gini, y, groups)
    shares = dg.contributions
    total = {
        "year": year,
        "G": dg.gini,
        "Gw": dg.within,
        "Gnb": dg.net_between,
        "Gt": dg.transvariation,
        "Gb": dg.between,
        "share_Gw": shares["within"],
        "share_Gnb": shares["net_between"],
        "share_Gt": shares["transvariation"],
    }
    within = [
        {
            "year": year,
            "group": g,
            "group_zh": names.get(g, g),
            "n": int(dg.sizes[j]),
            "mean": float(dg.means[j]),
            "G_jj": float(dg.G[j, j]),
        }
        for j, g in enumerate(dg.groups)
    ]
    between = [
        {
            "year": year,
            "group_j": dg.groups[j],
            "group_h": dg.groups[h],
            "G_jh": float(dg.G[j, h]),
            "D_jh": float(dg.D[j, h]),
        }
        for j, h in combinations(range(len(dg.groups)), 2)
    ]
    return total, within, between


def disparity(
    result: Result,
    variable: str = "index",
    groups: Any = "macro",
    *,
    controls: Sequence[str] = (),
) -> DisparityResult:
    """Regional disparity of ``variable`` across regions, year by year, and its convergence.

    Frames:

    - ``dagum``: per year G, Gw, Gnb, Gt, Gb = Gnb + Gt and their shares of G (Dagum 1997;
      :func:`ronghe.methods.inequality.dagum_gini`);
    - ``dagum_within``: per year and group n, mean and the within-group Gini G_jj;
      ``dagum_between``: per year and pair of groups (j before h, groups ordered by ascending mean
      that year) the between-group Gini G_jh and the relative affluence D_jh;
    - ``theil``: per year and kind (T, L) total, within, between and their shares;
      ``theil_groups``: the index inside each group and its weight;
    - ``dispersion``: per year n, mean, Gini, CV (ddof=0) and σ = sd(ln y) (ddof=0);
    - ``sigma_trend``: OLS trend of σ and of CV over the years (negative slope: σ-convergence);
    - ``beta``: absolute β-convergence (cross-section over the whole span, no controls) and
      conditional β-convergence (panel of consecutive years with region and year fixed effects,
      plus ``controls`` — variables measured at the start of each interval), with speed and
      half-life.
    """
    wide = _complete(variable_values(result, variable), f"disparity of {variable}")
    if wide.shape[1] < 3:
        raise InputError(
            f"σ/β 收敛至少需要 3 个年份，实际 {wide.shape[1]} / σ- and β-convergence need at "
            f"least 3 years, got {wide.shape[1]}",
            column=variable,
        )
    codes = list(wide.index)
    group_of, grouping = _group_labels(result, codes, groups)
    names = {k: v[0] for k, v in MACRO_REGION_NAMES.items()} if grouping == "macro" else {}
    years = list(wide.columns)
    totals, within, between, theil_rows, theil_groups, disp = [], [], [], [], [], []
    for year in years:
        y = wide[year].to_numpy()
        total, w_rows, b_rows = _dagum_rows(variable, year, y, group_of, names)
        totals.append(total)
        within += w_rows
        between += b_rows
        for kind in ("T", "L"):
            th = _context(f"Theil {kind} of {variable}, {year}", theil, y, group_of, kind=kind)
            denom = th.total if th.total > 0 else 1.0  # total 0: both parts 0, shares 0
            theil_rows.append(
                {
                    "year": year,
                    "kind": kind,
                    "total": th.total,
                    "within": th.within,
                    "between": th.between,
                    "share_within": th.within / denom,
                    "share_between": th.between / denom,
                }
            )
            theil_groups += [
                {"year": year, "kind": kind, "group": g, "index": float(i), "weight": float(w)}
                for g, i, w in zip(th.groups, th.group_index, th.weights, strict=True)
            ]
        disp.append(
            {
                "year": year,
                "n": y.size,
                "mean": float(y.mean()),
                "gini": _context(f"Gini of {variable}, {year}", gini, y),
                "cv": _context(f"CV of {variable}, {year}", coefficient_of_variation, y),
            }
        )
    dispersion = pd.DataFrame(disp)
    sig = _context(f"σ-convergence of {variable}", sigma_convergence, wide.to_numpy(), years)
    dispersion["sigma"] = sig.sigma
    sigma_trend = pd.DataFrame(
        [
            {
                "series": "sigma",
                "slope": sig.slope,
                "std_error": sig.slope_std_error,
                "p_value": sig.p_value,
                "r_squared": sig.r_squared,
            },
            {
                "series": "cv",
                "slope": sig.cv_slope,
                "std_error": np.nan,
                "p_value": sig.cv_p_value,
                "r_squared": np.nan,
            },
        ]
    )
    beta = _beta_table(result, wide, variable, controls)
    return DisparityResult(
        variable=variable,
        grouping=grouping,
        dagum=pd.DataFrame(totals),
        dagum_within=pd.DataFrame(within),
        dagum_between=pd.DataFrame(between),
        theil=pd.DataFrame(theil_rows),
        theil_groups=pd.DataFrame(theil_groups),
        dispersion=dispersion,
        sigma_trend=sigma_trend,
        beta=beta,
    )


def _beta_table(
    result: Result, wide: pd.DataFrame, variable: str, controls: Sequence[str]
) -> pd.DataFrame:
    Y, years = wide.to_numpy(), list(wide.columns)
    ctrl = None
    if controls:
        frames = []
        for name in controls:
            c = variable_values(result, name).unstack("year")
            c.columns = [int(y) for y in c.columns]
            c = c.reindex(index=wide.index, columns=years)
            if c.isna().to_numpy().any():
                raise InputError(
                    f"控制变量 {name} 在所分析的区域年份中有缺失 / control {name} has missing "
                    "values in the regions and years analysed",
                    column=name,
                )
            frames.append(c.to_numpy())
        ctrl = np.stack(frames, axis=2)
    fits = [
        ("absolute", _context(f"β-convergence of {variable}", beta_convergence, Y, years)),
        (
            "conditional",
            _context(
                f"conditional β-convergence of {variable}",
                beta_convergence,
                Y,
                years,
                ctrl,
                True,
                form="panel",
            ),
        ),
    ]
    return pd.DataFrame(
        [
            {
                "kind": kind,
                "form": fit.form,
                "fixed_effects": fit.fixed_effects,
                "controls": ", ".join(controls) if kind == "conditional" else "",
                "beta": fit.beta,
                "std_error": fit.beta_std_error,
                "t": fit.beta_t,
                "p_value": fit.beta_p,
                "r_squared": fit.r_squared,
                "n_obs": fit.n_obs,
                "interval": fit.interval,
                "speed": np.nan if fit.speed is None else fit.speed,
                "half_life": np.nan if fit.half_life is None else fit.half_life,
            }
            for kind, fit in fits
        ]
    )


# ---------------------------------------------------------------------------------------------
# spatial weights for the regions of a result


def detect_level(codes: Sequence[str]) -> Level:
    """Division level of six-digit codes: all ending in 0000 → province, all in 00 → prefecture,
    otherwise county."""
    codes = [str(c) for c in codes]
    if not codes or not all(len(c) == 6 and c.isdigit() for c in codes):
        bad = next((c for c in codes if not (len(c) == 6 and c.isdigit())), "")
        raise InputError(
            f"空间分析需要 6 位行政区划代码，例如 {bad!r} 不是 / spatial analysis needs 6-digit "
            f"division codes, got e.g. {bad!r}",
            column="region",
        )
    if all(c.endswith("0000") for c in codes):
        return "province"
    if all(c.endswith("00") for c in codes):
        return "prefecture"
    return "county"


def _weights(
    codes: Sequence[str], level: Level | None, kind: str, cache_dir: str | Path | None
) -> tuple[W, list[str], list[str], Level]:
    """Weights over the codes found in the boundaries of their level; the others are reported."""
    from ronghe.regions.boundaries import boundaries
    from ronghe.spatial.weights import spatial_weights

    level = level or detect_level(codes)
    known = {str(c) for c in boundaries(level, cache_dir=cache_dir).index}
    missing = [c for c in codes if c not in known]
    keep = [c for c in codes if c in known]
    if missing:
        warnings.warn(
            f"{len(missing)} 个区域不在 {level} 边界中，空间分析中略去 / {len(missing)} region(s) "
            f"not in the {level} boundaries are left out of the spatial analysis "
            f"(e.g. {', '.join(missing[:5])})",
            RongheWarning,
            stacklevel=3,
        )
    if len(keep) < 3:
        raise InputError(
            f"边界中只找到 {len(keep)} 个区域，空间分析至少需要 3 个 / only {len(keep)} regions "
            "found in the boundaries; spatial analysis needs at least 3",
            column="region",
        )
    w = spatial_weights(level, kind, codes=keep, cache_dir=cache_dir)
    return w, keep, missing, level


# ---------------------------------------------------------------------------------------------
# spatial autocorrelation


@dataclass(frozen=True)
class SpatialResult:
    """Spatial autocorrelation of one variable (frames described in :func:`spatial`)."""

    variable: str
    level: Level
    kind: str
    permutations: int
    missing: tuple[str, ...]  #: regions of the result not found in the boundaries
    moran: pd.DataFrame
    lisa: pd.DataFrame
    lisa_counts: pd.DataFrame
    hotspots: pd.DataFrame | None
    correction: str = "fdr"  #: multiple-testing control of the LISA clusters
    alpha: float = 0.05

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {
            "spatial_moran": self.moran,
            "spatial_lisa": self.lisa,
            "spatial_lisa_counts": self.lisa_counts,
        }
        if self.hotspots is not None:
            out["spatial_hotspots"] = self.hotspots
        return out

    def notes(self) -> list[tuple[str, str]]:
        return [
            (
                "空间自相关 spatial autocorrelation",
                f"变量 variable {self.variable}; {self.level} {self.kind} 权重 weights "
                f"(行标准化 row-standardised); {self.permutations} 次置换 permutations; LISA 多重检验 "
                f"multiple testing: {self.correction}, alpha {self.alpha}; 边界中缺失 "
                f"regions missing from the boundaries: {len(self.missing)}.",
            )
        ]


def spatial(
    result: Result,
    variable: str = "index",
    *,
    level: Level | None = None,
    kind: str = "queen",
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int | None = 12345,
    cache_dir: str | Path | None = None,
    correction: str = "fdr",
) -> SpatialResult:
    """Global Moran's I per year, LISA clusters and Getis-Ord Gi* hot spots of ``variable``.

    ``level`` defaults to the level of the region codes (:func:`detect_level`): county codes for
    the synthetic demo, ``"110000"``-style codes for the provincial panel. Weights: ``kind``
    (queen contiguity with nearest-boundary links for islands, knn or distance band) from
    :func:`ronghe.spatial.weights.spatial_weights`. Regions missing from the boundaries are left
    out with a warning and listed in ``missing``. Gi* needs non-negative values; for a variable
    with negative values it is skipped with a warning (``hotspots`` is None).
    Without the ``maps`` extra the spatial layer's RongheError says what to install.
    LISA clusters control multiple testing with ``correction`` (default ``"fdr"``, the cut-off
    of ``esda.fdr``; ``"bonferroni"`` or ``"none"``) over each year's regions.
    """
    from ronghe.spatial.autocorrelation import getis_ord, global_moran, local_moran

    wide = _complete(variable_values(result, variable), f"spatial analysis of {variable}")
    w, keep, missing, level = _weights(list(wide.index), level, kind, cache_dir)
    sub = wide.loc[keep]
    moran = global_moran(sub, w, permutations=permutations, seed=seed)
    lisa = local_moran(sub, w, permutations=max(permutations, 1), alpha=alpha, seed=seed,
                       correction=correction)
    counts = (
        lisa.groupby(["year", "cluster"])
        .size()
        .unstack("cluster", fill_value=0)
        .reindex(columns=["HH", "LL", "HL", "LH", "ns"], fill_value=0)
        .reset_index()
    )
    counts.columns.name = None
    if (sub.to_numpy() < 0).any():
        warnings.warn(
            f"{variable} 有负值，未计算 Gi* 热点 / {variable} has negative values: Gi* hot spots "
            "not computed",
            RongheWarning,
            stacklevel=2,
        )
        hotspots = None
    else:
        hotspots = getis_ord(sub, w, permutations=permutations, seed=seed)
    return SpatialResult(
        variable=variable,
        level=level,
        kind=kind,
        permutations=permutations,
        missing=tuple(missing),
        moran=moran,
        lisa=lisa,
        lisa_counts=counts,
        hotspots=hotspots,
        correction=correction,
        alpha=alpha,
    )


# ---------------------------------------------------------------------------------------------
# dynamics


@dataclass(frozen=True)
class DynamicsResult:
    """Markov chains and kernel density evolution of one variable (see :func:`dynamics`)."""

    variable: str
    k: int
    bandwidth_rule: str
    markov: MarkovResult
    spatial_markov: SpatialMarkovResult | None
    density: pd.DataFrame  #: year, x, density
    bandwidth: pd.DataFrame  #: year, n, bandwidth, rule

    def markov_table(self) -> pd.DataFrame:
        return self.markov.table()

    def tests(self) -> pd.DataFrame:
        """Every test: chain (classic, spatial), test (Q, LR, lag class i), statistic, dof, p."""
        frames = [self.markov.tests.reset_index().assign(chain="classic")]
        if self.spatial_markov is not None:
            sm = self.spatial_markov
            frames.append(sm.tests.reset_index().assign(chain="spatial"))
            lag = sm.lag_tests.rename(columns={"chi2": "statistic"})
            lag.insert(0, "test", [f"lag class {c} vs pooled" for c in lag.pop("lag_class")])
            frames.append(lag.assign(chain="spatial"))
        out = pd.concat(frames, ignore_index=True)
        return out[["chain", "test", "statistic", "dof", "p_value"]]

    def classes(self) -> pd.DataFrame:
        """Class bounds (pooled quantiles) and the steady-state distribution of the classic chain."""
        cut = np.asarray(self.markov.cutoffs, dtype=float)
        return pd.DataFrame(
            {
                "class": range(1, self.k + 1),
                "lower": np.concatenate(([-np.inf], cut)),
                "upper": np.concatenate((cut, [np.inf])),
                "steady_state": self.markov.steady_state.to_numpy(),
            }
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {
            "dynamics_markov": self.markov_table(),
            "dynamics_classes": self.classes(),
            "dynamics_tests": self.tests(),
        }
        if self.spatial_markov is not None:
            out["dynamics_spatial_markov"] = self.spatial_markov.transitions
        out["dynamics_density"] = self.density
        out["dynamics_bandwidth"] = self.bandwidth
        return out

    def notes(self) -> list[tuple[str, str]]:
        return [
            (
                "动态演进 dynamics",
                f"变量 variable {self.variable}; 马尔可夫 Markov: {self.k} 个全样本分位类 pooled "
                "quantile classes (1 = 最低 lowest); 空间马尔可夫以期初空间滞后分类 spatial Markov "
                "conditioned on the lag class at the start; 核密度 kernel density: 高斯核 Gaussian "
                f"kernel, 带宽 bandwidth {self.bandwidth_rule}.",
            )
        ]


_BANDWIDTH_RULES = {
    "silverman": "Silverman h = s·(3n/4)^(-1/5)",
    "scott": "Scott h = s·n^(-1/5)",
}


def dynamics(
    result: Result,
    variable: str = "index",
    *,
    k: int = 4,
    relative: bool = False,
    spatial: bool = True,
    level: Level | None = None,
    kind: str = "queen",
    bandwidth: str | float = "silverman",
    n_grid: int = 256,
    cache_dir: str | Path | None = None,
) -> DynamicsResult:
    """Classic and spatial Markov chains of ``variable`` on ``k`` pooled quantile classes (giddy,
    via :mod:`ronghe.spatial.dynamics`) and the Gaussian kernel density of each year.

    ``spatial=False`` skips the spatial Markov chain (which needs boundaries, the ``maps``
    extra). Bandwidth: ``"silverman"`` h = s·(3n/4)^(-1/5) (default), ``"scott"`` h = s·n^(-1/5),
    s the sample standard deviation of the year, or a fixed positive number; the density is
    evaluated on one grid of ``n_grid`` points shared by all years.
    """
    from ronghe.spatial.dynamics import markov, spatial_markov

    wide = _complete(variable_values(result, variable), f"dynamics of {variable}")
    chain = markov(wide, k=k, relative=relative)
    sm = None
    if spatial:
        w, keep, _, _ = _weights(list(wide.index), level, kind, cache_dir)
        sm = spatial_markov(wide.loc[keep], w, k=k, relative=relative)
    kde = kernel_density(
        {year: wide[year].to_numpy() for year in wide.columns}, bandwidth=bandwidth, n_grid=n_grid
    )
    rule = _BANDWIDTH_RULES.get(str(bandwidth), f"fixed h = {bandwidth}")
    density = pd.DataFrame(
        {
            "year": np.repeat(kde.years, kde.grid.size),
            "x": np.tile(kde.grid, len(kde.years)),
            "density": kde.density.ravel(),
        }
    )
    bw = pd.DataFrame(
        {"year": kde.years, "n": wide.shape[0], "bandwidth": kde.bandwidth, "rule": rule}
    )
    return DynamicsResult(variable, k, rule, chain, sm, density, bw)


# ---------------------------------------------------------------------------------------------
# driving factors


@dataclass(frozen=True)
class DriversResult:
    """Geographical detector of ``y`` on the factors (see :func:`drivers`)."""

    y: str
    year: int
    n: int
    variance: str
    singletons: str
    factors: pd.DataFrame  #: factor, method, k, n_strata, q, p_value, f_stat, noncentrality
    strata: pd.DataFrame  #: factor, stratum, lower, upper, n, mean (risk detector means)
    interactions: pd.DataFrame
    risk: pd.DataFrame
    ecological: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "drivers_factors": self.factors,
            "drivers_interactions": self.interactions,
            "drivers_strata": self.strata,
            "drivers_risk": self.risk,
            "drivers_ecological": self.ecological,
        }

    def notes(self) -> list[tuple[str, str]]:
        return [
            (
                "地理探测器 geographical detector",
                f"因变量 y {self.y}, {self.year} 年 year, n = {self.n}; 连续因子按 q 最大选择离散化 "
                "方法与类别数 continuous factors discretised by the method and class count with "
                f"the largest q (Song et al. 2020); λ 方差 variance: {self.variance}; 单元素分层 "
                f"single-unit strata: {self.singletons}.",
            )
        ]


def _discretise(
    y: np.ndarray,
    x: np.ndarray,
    name: str,
    discretize: str,
    k_range: Sequence[int],
    singletons: str,
) -> tuple[np.ndarray, dict, np.ndarray]:
    """Strata of one factor, its row of the factor table and its class bounds (lower, upper)."""
    distinct = np.unique(x)
    if discretize == "none" or (discretize == "auto" and distinct.size <= max(k_range)):
        strata = np.searchsorted(distinct, x)
        return (
            strata,
            {"method": "categories", "k": int(distinct.size)},
            np.column_stack([distinct, distinct]),
        )
    methods = DISCRETIZE_METHODS if discretize == "auto" else (discretize,)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)  # geometric skipped for x ≤ 0
        best = _context(
            f"discretisation of {name}",
            optimal_discretization,
            y,
            x,
            methods,
            k_range,
            singletons=singletons,
        )
    lower = np.concatenate(([x.min()], best.breaks[:-1]))
    return best.strata, {"method": best.method, "k": best.k}, np.column_stack([lower, best.breaks])


def drivers(
    result: Result,
    y: str = "index",
    factors: Sequence[str] | None = None,
    *,
    year: int | None = None,
    discretize: str = "auto",
    k_range: Sequence[int] = range(3, 9),
    variance: Literal["population", "sample"] = "population",
    singletons: Literal["keep", "drop"] = "keep",
    alpha: float = 0.05,
) -> DriversResult:
    """Geographical detector (factor, interaction, risk, ecological) of ``y`` in one year.

    Conventions (defaults stated):

    - ``year``: the latest year of the result when None;
    - ``factors``: the framework's indicators when None. Indicators are taken after the study's
      treatment (imputed, winsorised — the values the index is built from); raw panel variables
      and the other variables of :func:`variable_values` are accepted too. Units missing ``y``
      or any factor that year are left out with a warning, so is a factor constant that year;
    - ``discretize="auto"``: a factor with at most max(k_range) distinct values is used as its own
      categories; otherwise every method of ``DISCRETIZE_METHODS`` (equal, natural, quantile,
      geometric, sd) with every k in ``k_range`` (default 3..8) is scored and the one with the
      largest q is kept (Song et al. 2020). ``discretize`` may also name one method (k chosen by
      q), or be ``"none"`` (every factor used as categories);
    - ``variance="population"`` for the non-central F test's λ (R ``GD``, PyPI ``geodetector``;
      ``"sample"`` is CRAN ``geodetector``); ``singletons="keep"`` keeps single-unit strata
      (CRAN ``geodetector``; ``"drop"`` is ``gdverse`` / PyPI ``geodetector``);
    - ecological detector: for each pair the factor with the smaller q is compared with the one
      with the larger q (F = SSW(weaker)/SSW(stronger), one-sided at ``alpha``).
    """
    if discretize not in ("auto", "none", *DISCRETIZE_METHODS):
        raise InputError(
            f"未知离散化方法 {discretize!r} / unknown discretisation {discretize!r}; choose auto, "
            f"none or one of {', '.join(DISCRETIZE_METHODS)}",
            value=discretize,
        )
    years = sorted({int(t) for t in result.state.years})
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise InputError(f"结果中没有 {year} 年 / the result has no year {year}", column="year")
    names = list(result.state.indicator_ids if factors is None else factors)
    if not names:
        raise InputError("没有探测因子 / no factors given", column="factors")

    def in_year(series: pd.Series) -> pd.Series:
        return series.xs(year, level="year")

    frame = pd.DataFrame({"__y__": in_year(variable_values(result, y))})
    for name in names:
        frame[name] = in_year(variable_values(result, name, treated=True))
    incomplete = frame.isna().any(axis=1)
    if incomplete.any():
        warnings.warn(
            f"地理探测器：{int(incomplete.sum())} 个区域在 {year} 年有缺失值，已略去 / geographical "
            f"detector: {int(incomplete.sum())} region(s) with missing values in {year} left out",
            RongheWarning,
            stacklevel=2,
        )
        frame = frame[~incomplete]
    constant = [n for n in names if frame[n].nunique() < 2]
    if constant:
        warnings.warn(
            f"地理探测器：{len(constant)} 个因子在 {year} 年取值不变，已略去 / geographical "
            f"detector: {len(constant)} factor(s) constant in {year} left out: "
            f"{', '.join(constant[:5])}",
            RongheWarning,
            stacklevel=2,
        )
        names = [n for n in names if n not in constant]
    if not names or len(frame) < 3:
        raise InputError(
            f"地理探测器：{year} 年可用因子或区域不足 / geographical detector: too few usable "
            f"factors or regions in {year}",
            column=y,
        )
    yv = frame["__y__"].to_numpy()
    strata, rows, bounds = [], [], []
    for name in names:
        s, row, b = _discretise(yv, frame[name].to_numpy(), name, discretize, k_range, singletons)
        strata.append(s)
        rows.append({"factor": name, **row})
        bounds.append(b)
    X = np.column_stack(strata)
    table = _context(
        f"geographical detector of {y}, {year}",
        factor_detector_many,
        yv,
        X,
        variance=variance,
        singletons=singletons,
    )
    factor_table = pd.DataFrame(rows)
    factor_table["n_strata"] = table.n_strata
    factor_table["q"] = table.q
    factor_table["p_value"] = table.p_value
    factor_table["f_stat"] = table.f_stat
    factor_table["noncentrality"] = table.noncentrality
    factor_table["rank"] = factor_table["q"].rank(ascending=False, method="min").astype(int)
    inter = []
    for i, j in combinations(range(len(names)), 2):
        kind, zh, en = INTERACTION_TYPES[int(table.interaction_type[i, j])]
        inter.append(
            {
                "factor_1": names[i],
                "factor_2": names[j],
                "q_1": table.q[i],
                "q_2": table.q[j],
                "q_12": table.interaction_q[i, j],
                "type": kind,
                "type_zh": zh,
                "type_en": en,
            }
        )
    strata_rows, risk_rows = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)  # untestable pairs are marked below
        for name, s, b in zip(names, strata, bounds, strict=True):
            rd = risk_detector(yv, s, alpha=alpha)
            for c, label in enumerate(rd.strata):
                strata_rows.append(
                    {
                        "factor": name,
                        "stratum": int(label) + 1,
                        "lower": float(b[label, 0]),
                        "upper": float(b[label, 1]),
                        "n": int(rd.sizes[c]),
                        "mean": float(rd.means[c]),
                    }
                )
            for a, c in combinations(range(len(rd.strata)), 2):
                risk_rows.append(
                    {
                        "factor": name,
                        "stratum_1": int(rd.strata[a]) + 1,
                        "stratum_2": int(rd.strata[c]) + 1,
                        "mean_1": float(rd.means[a]),
                        "mean_2": float(rd.means[c]),
                        "t": float(rd.t[a, c]),
                        "df": float(rd.df[a, c]),
                        "p_value": float(rd.p_value[a, c]),
                        "tested": bool(rd.tested[a, c]),
                        "significant": bool(rd.significant[a, c]),
                    }
                )
    eco = []
    for i, j in combinations(range(len(names)), 2):
        weak, strong = (i, j) if table.q[i] <= table.q[j] else (j, i)
        try:
            ed = ecological_detector(yv, X[:, weak], X[:, strong], alpha=alpha)
        except MethodError:  # the stronger factor explains y completely: F undefined
            continue
        eco.append(
            {
                "factor_weaker": names[weak],
                "factor_stronger": names[strong],
                "f_stat": ed.f_stat,
                "df1": ed.df1,
                "df2": ed.df2,
                "p_value": ed.p_value,
                "significant": ed.significant,
            }
        )
    return DriversResult(
        y=y,
        year=year,
        n=len(frame),
        variance=variance,
        singletons=singletons,
        factors=factor_table,
        strata=pd.DataFrame(strata_rows),
        interactions=pd.DataFrame(inter),
        risk=pd.DataFrame(risk_rows),
        ecological=pd.DataFrame(eco),
    )


# ---------------------------------------------------------------------------------------------
# figures


def spatial_figures(
    res: SpatialResult,
    directory: str | Path,
    *,
    years: Sequence[int] | None = None,
    cache_dir: str | Path | None = None,
) -> list[Path]:
    """LISA cluster and significance maps and the Moran scatterplot (PNG and SVG) of ``years``
    (default: first and last year) into ``directory``, drawn on the boundaries of the regions
    analysed; titles name the variable, the permutations and the multiple-testing control."""
    from ronghe.regions.boundaries import boundaries
    from ronghe.spatial.figures import lisa_cluster_map, lisa_significance_map

    all_years = sorted(res.lisa["year"].unique())
    chosen = sorted({all_years[0], all_years[-1]}) if years is None else list(years)
    codes = list(dict.fromkeys(res.lisa["region"].astype(str)))
    shapes = boundaries(res.level, cache_dir=cache_dir)
    shapes = shapes.set_axis([str(c) for c in shapes.index]).loc[codes]
    out = []
    for year in chosen:
        for suffix in ("png", "svg"):
            path = Path(directory) / f"lisa_{res.variable}_{year}.{suffix}"
            detail = {"variable": res.variable, "permutations": res.permutations,
                      "correction": res.correction}
            lisa_cluster_map(shapes, res.lisa, int(year), path=path, **detail)
            sig = Path(directory) / f"lisa_significance_{res.variable}_{year}.{suffix}"
            lisa_significance_map(shapes, res.lisa, int(year), path=sig, **detail)
            out.extend([path, sig])
    return out


def dynamics_figures(res: DynamicsResult, directory: str | Path) -> list[Path]:
    """Kernel density lines and the classic Markov heatmap (PNG and SVG) into ``directory``."""
    from ronghe.spatial.figures import kernel_density_lines, markov_heatmap

    curves = {
        int(year): (g["x"].to_numpy(), g["density"].to_numpy())
        for year, g in res.density.groupby("year")
    }
    out = []
    for suffix in ("png", "svg"):
        kde = Path(directory) / f"kernel_density_{res.variable}.{suffix}"
        kernel_density_lines(curves, xlabel=res.variable, path=kde)
        heat = Path(directory) / f"markov_{res.variable}.{suffix}"
        markov_heatmap(res.markov.probabilities, path=heat)
        out += [kde, heat]
    return out


# ---------------------------------------------------------------------------------------------
# workbook


_Analysis = DisparityResult | SpatialResult | DynamicsResult | DriversResult
_RUNNERS = {"disparity": disparity, "spatial": spatial, "dynamics": dynamics, "drivers": drivers}


def analysis_tables(
    result: Result,
    *,
    disparity: DisparityResult | bool | None = None,
    spatial: SpatialResult | bool | None = None,
    dynamics: DynamicsResult | bool | None = None,
    drivers: DriversResult | bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Sheets of the analyses, by name, to merge into ``Result.tables()``.

    Each argument is a computed analysis, ``True`` (run it with its defaults on ``result``) or
    None/False (left out). Sheet names are prefixed ``disparity_``, ``spatial_``, ``dynamics_``,
    ``drivers_`` and never collide with the Result's own sheets.
    """
    given = {"disparity": disparity, "spatial": spatial, "dynamics": dynamics, "drivers": drivers}
    tables: dict[str, pd.DataFrame] = {}
    for name, analysis in given.items():
        if analysis is None or analysis is False:
            continue
        done: _Analysis = _RUNNERS[name](result) if analysis is True else analysis
        tables.update(done.tables())
    return tables


_COLUMNS: dict[str, tuple[str, str]] = {
    "G": ("总体基尼系数", "Overall Gini coefficient"),
    "Gw": ("组内差异贡献", "Within-group contribution"),
    "Gnb": ("组间净差异贡献", "Net between-group contribution"),
    "Gt": ("超变密度贡献", "Transvariation contribution"),
    "Gb": ("组间差异贡献（Gnb + Gt）", "Between-group contribution (Gnb + Gt)"),
    "share_Gw": ("组内差异贡献率", "Share of G from within groups"),
    "share_Gnb": ("组间净差异贡献率", "Share of G from net between-group"),
    "share_Gt": ("超变密度贡献率", "Share of G from transvariation"),
    "group": ("分组", "Group"),
    "group_zh": ("分组名称", "Group name"),
    "group_j": ("组 j（均值较低）", "Group j (lower mean)"),
    "group_h": ("组 h（均值较高）", "Group h (higher mean)"),
    "G_jj": ("组内基尼系数", "Within-group Gini"),
    "G_jh": ("组间基尼系数", "Between-group Gini"),
    "D_jh": ("相对经济影响", "Relative economic affluence"),
    "kind": ("类型", "Kind"),
    "total": ("总指数", "Total"),
    "within": ("组内部分", "Within-group part"),
    "between": ("组间部分", "Between-group part"),
    "share_within": ("组内贡献率", "Within share"),
    "share_between": ("组间贡献率", "Between share"),
    "n": ("样本数", "Number of units"),
    "mean": ("均值", "Mean"),
    "gini": ("基尼系数", "Gini coefficient"),
    "cv": ("变异系数（总体标准差）", "Coefficient of variation (population s.d.)"),
    "sigma": ("对数标准差 σ", "Standard deviation of logs σ"),
    "series": ("序列", "Series"),
    "slope": ("时间趋势斜率", "Slope of the time trend"),
    "p_value": ("p 值", "p-value"),
    "r_squared": ("拟合优度 R²", "R squared"),
    "std_error": ("标准误", "Standard error"),
    "beta": ("β 系数", "β coefficient"),
    "speed": ("收敛速度", "Convergence speed"),
    "half_life": ("半衰期（年）", "Half-life (years)"),
    "I": ("全局 Moran's I", "Global Moran's I"),
    "Ii": ("局部 Moran's I", "Local Moran's I"),
    "cluster": ("LISA 集聚类型", "LISA cluster"),
    "spot": ("冷热点类型", "Hot/cold spot"),
    "from_class": ("期初类型", "Class at t"),
    "to_class": ("期末类型", "Class at t+1"),
    "lag_class": ("空间滞后类型", "Class of the spatial lag"),
    "probability": ("转移概率", "Transition probability"),
    "count": ("转移次数", "Number of transitions"),
    "steady_state": ("稳态分布", "Steady-state distribution"),
    "density": ("核密度", "Kernel density"),
    "bandwidth": ("带宽", "Bandwidth"),
    "factor": ("探测因子", "Factor"),
    "q": ("解释力 q", "Explanatory power q"),
    "q_12": ("交互作用 q", "q of the interaction"),
    "type": ("交互作用类型", "Interaction type"),
    "stratum": ("分层", "Stratum"),
    "significant": ("是否显著", "Significant"),
}


def explanations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The workbook's column sheet: the shared labels, completed with the analysis columns."""
    return labels.column_sheet(tables, _COLUMNS)
