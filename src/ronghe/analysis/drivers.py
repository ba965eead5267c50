"""Driving factors of a variable: the geographical detector (factor, interaction, risk, ecological)
with optimal discretisation of continuous factors."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ronghe.analysis.common import _context, variable_values
from ronghe.errors import InputError, MethodError, RongheWarning
from ronghe.methods.geodetector import (
    INTERACTION_TYPES,
    ecological_detector,
    factor_detector_many,
    optimal_discretization,
    risk_detector,
)
from ronghe.words.analysis import note

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = ["DISCRETIZE_METHODS", "DriversResult", "drivers"]

DISCRETIZE_METHODS = ("equal", "natural", "quantile", "geometric", "sd")


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
            note("drivers", y=self.y, year=self.year, n=self.n, variance=self.variance,
                 singletons=self.singletons)
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
            labels = np.asarray(rd.strata, dtype=int)  # the integer strata given above
            for c, label in enumerate(labels):
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
                        "stratum_1": int(labels[a]) + 1,
                        "stratum_2": int(labels[c]) + 1,
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


