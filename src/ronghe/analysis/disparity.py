"""Regional disparity of a variable: Dagum Gini decomposition, Theil, dispersion and σ/β-convergence.

:func:`dagum` is the decomposition alone (any number of years), the one the report shows;
:func:`disparity` adds Theil, dispersion and convergence (three years or more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ronghe.analysis.common import _complete, _context, _group_labels, variable_values
from ronghe.errors import InputError
from ronghe.methods.convergence import beta_convergence, sigma_convergence
from ronghe.methods.inequality import coefficient_of_variation, dagum_gini, gini, theil
from ronghe.regions.macro import MACRO_REGION_NAMES
from ronghe.words.analysis import note

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = ["DagumResult", "DisparityResult", "dagum", "disparity"]


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
        return [note("disparity", variable=self.variable, grouping=self.grouping)]


@dataclass(frozen=True)
class DagumResult:
    """Dagum Gini decomposition of one variable per year (frames described in :func:`dagum`)."""

    variable: str
    grouping: str
    totals: pd.DataFrame  #: year, G, Gw, Gnb, Gt, Gb, share_Gw, share_Gnb, share_Gt
    within: pd.DataFrame  #: year, group, group_zh, n, mean, G_jj
    between: pd.DataFrame  #: year, group_j, group_h, G_jh, D_jh


def _dagum_rows(
    variable: str, year: int, y: np.ndarray, groups: np.ndarray, names: dict
) -> tuple[dict, list, list]:
    """One year's rows of the three Dagum frames (total, within-group, between pairs)."""
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


def _dagum_frames(
    variable: str, wide: pd.DataFrame, group_of: np.ndarray, grouping: str
) -> DagumResult:
    names = {k: v[0] for k, v in MACRO_REGION_NAMES.items()} if grouping == "macro" else {}
    totals, within, between = [], [], []
    for year in wide.columns:
        total, w_rows, b_rows = _dagum_rows(variable, year, wide[year].to_numpy(), group_of, names)
        totals.append(total)
        within += w_rows
        between += b_rows
    return DagumResult(
        variable, grouping, pd.DataFrame(totals), pd.DataFrame(within), pd.DataFrame(between)
    )


def dagum(result: Result, variable: str = "index", groups: Any = "macro") -> DagumResult:
    """Dagum (1997) Gini decomposition of ``variable`` over ``groups``, year by year, on the
    complete cases of ``variable`` (:func:`ronghe.methods.inequality.dagum_gini`).

    Frames: ``totals`` per year G = Gw + Gnb + Gt, Gb = Gnb + Gt and the shares of G named after
    their part (``share_Gw`` = Gw / G, ``share_Gnb``, ``share_Gt``); ``within`` per year and group
    n, mean and the Gini inside the group ``G_jj`` (``group_zh`` names a macro-region);
    ``between`` per year and pair of groups (j before h, ordered by ascending mean that year) the
    between-group Gini ``G_jh`` and the relative affluence ``D_jh``.
    """
    wide = _complete(variable_values(result, variable), f"Dagum Gini of {variable}")
    group_of, grouping = _group_labels(result, list(wide.index), groups)
    return _dagum_frames(variable, wide, group_of, grouping)


def disparity(
    result: Result,
    variable: str = "index",
    groups: Any = "macro",
    *,
    controls: Sequence[str] = (),
) -> DisparityResult:
    """Regional disparity of ``variable`` across regions, year by year, and its convergence.

    Frames:

    - ``dagum``, ``dagum_within``, ``dagum_between``: the frames of :func:`dagum` (totals,
      within, between);
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
    dg = _dagum_frames(variable, wide, group_of, grouping)
    years = list(wide.columns)
    theil_rows: list[dict[str, Any]] = []
    theil_groups: list[dict[str, Any]] = []
    disp: list[dict[str, Any]] = []
    for year in years:
        y = wide[year].to_numpy()
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
        dagum=dg.totals,
        dagum_within=dg.within,
        dagum_between=dg.between,
        theil=pd.DataFrame(theil_rows),
        theil_groups=pd.DataFrame(theil_groups),
        dispersion=dispersion,
        sigma_trend=sigma_trend,
        beta=beta,
    )


def _beta_table(
    result: Result, wide: pd.DataFrame, variable: str, controls: Sequence[str]
) -> pd.DataFrame:
    """Absolute and conditional β-convergence of ``wide``, one row each."""
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


