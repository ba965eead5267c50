"""Forecasts of the composite index and of the coupling coordination degree D to a horizon year.

Three ways, by what ``regions`` asks for:

- ``None``: the mean over all regions, one series per metric;
- a list of region codes: each region's own series;
- ``"all"``: every region at once with the vectorised GM(1,1)
  (:func:`ronghe.methods.forecast.gm11_many`; no model choice, no intervals — fitting ETS to
  thousands of series one by one would take minutes).

For the first two, GM(1,1) and Holt's exponential smoothing are fitted to all but the last
``holdout`` years, the one with the lower hold-out error is refitted on all years and forecasts
(:func:`ronghe.methods.forecast.select_forecast`); ETS gives prediction intervals, GM(1,1) none.
Both metrics live in [0, 1]: forecasts (and interval limits) beyond it are clipped and flagged.
The years of the study must be consecutive.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheWarning
from ronghe.methods.forecast import GM11Result, gm11_many, select_forecast
from ronghe.result import Result

METRICS = ("index", "D")


@dataclass(frozen=True)
class Forecast:
    """``table``: one row per (region, metric, future year); ``models``: one row per (region,
    metric) with the chosen model, the hold-out errors and the GM(1,1) tests."""

    table: pd.DataFrame
    models: pd.DataFrame
    horizon_year: int

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"forecast": self.table, "forecast_models": self.models}


def _series(result: Result, metric: str) -> pd.DataFrame:
    """Region x year matrix of a metric."""
    src = result.index if metric == "index" else result.coupling
    wide = src.pivot(index="region", columns="year", values=metric).sort_index(axis=1)
    years = wide.columns.to_numpy(dtype=int)
    if years.size > 1 and (np.diff(years) != 1).any():
        raise InputError(f"forecasts need consecutive years; the study has {years.tolist()}")
    if wide.isna().any().any():
        raise InputError("forecasts need every region in every year (the study's panel is "
                         "unbalanced)")
    return wide


def _clip(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    finite = np.isfinite(values)
    out = np.where(finite, np.clip(values, 0.0, 1.0), values)
    return out, finite & (out != values)


def forecast(
    result: Result,
    horizon_year: int,
    regions: Sequence[str] | str | None = None,
    *,
    metrics: Sequence[str] = METRICS,
    holdout: int = 2,
    criterion: str = "mape",
) -> Forecast:
    """Forecast ``metrics`` (``index``, ``D``) to ``horizon_year`` for the mean, some regions or
    ``"all"`` regions (module docstring)."""
    bad = [x for x in metrics if x not in METRICS]
    if bad or not metrics:
        raise InputError(f"metric {bad[0] if bad else None!r} is not one of {', '.join(METRICS)}")
    rows, models = [], []
    for metric in metrics:
        wide = _series(result, metric)
        years = wide.columns.to_numpy(dtype=int)
        steps = int(horizon_year) - int(years[-1])
        if steps < 1:
            raise InputError(f"the horizon {horizon_year} must come after the last year "
                             f"{int(years[-1])}")
        future = np.arange(years[-1] + 1, horizon_year + 1)
        if isinstance(regions, str) and regions == "all":
            batch = gm11_many(wide.to_numpy(dtype=float), steps)
            value, flag = _clip(batch.forecast)
            n = len(wide)
            rows.append(pd.DataFrame({
                "region": np.repeat(wide.index.to_numpy(dtype=str), steps),
                "metric": metric, "year": np.tile(future, n), "forecast": value.ravel(),
                "lower": np.nan, "upper": np.nan, "model": "gm11", "clipped": flag.ravel(),
            }))
            models.append(pd.DataFrame({
                "region": wide.index.to_numpy(dtype=str), "metric": metric, "model": "gm11",
                "gm11_a": batch.a, "gm11_b": batch.b, "gm11_shift": batch.shift,
                "gm11_C": batch.C, "gm11_P": batch.P, "gm11_grade": batch.grade,
                "gm11_mean_relative_error": batch.mean_relative_error,
            }))
            continue
        if regions is None:
            series = {"mean": wide.mean(axis=0).to_numpy(dtype=float)}
        else:
            codes = [regions] if isinstance(regions, str) else list(regions)
            missing = [c for c in codes if str(c) not in wide.index]
            if missing:
                raise InputError(f"region {missing[0]} is not in the study")
            series = {str(c): wide.loc[str(c)].to_numpy(dtype=float) for c in codes}
        for name, y in series.items():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RongheWarning)
                sel = select_forecast(y, years, int(horizon_year), holdout=holdout,
                                      criterion=criterion)
            for w in caught:
                warnings.warn(f"{name} {metric}: {w.message}", RongheWarning, stacklevel=2)
            value, flag = _clip(sel.forecast)
            lower, _ = _clip(sel.lower)
            upper, _ = _clip(sel.upper)
            rows.append(pd.DataFrame({
                "region": name, "metric": metric, "year": sel.years, "forecast": value,
                "lower": lower, "upper": upper, "model": sel.model, "clipped": flag,
            }))
            gm = sel.detail if isinstance(sel.detail, GM11Result) else None
            err = sel.holdout_errors
            models.append(pd.DataFrame({
                "region": [name], "metric": [metric], "model": [sel.model],
                "criterion": [sel.criterion], "holdout": [sel.holdout],
                "gm11_mape": [err["gm11"]["mape"]], "gm11_rmse": [err["gm11"]["rmse"]],
                "ets_mape": [err["ets"]["mape"]], "ets_rmse": [err["ets"]["rmse"]],
                "gm11_C": [gm.C if gm else np.nan], "gm11_P": [gm.P if gm else np.nan],
                "gm11_grade": [gm.grade if gm else ""],
            }))
    table = pd.concat(rows, ignore_index=True)
    table["year"] = table["year"].astype(int)
    return Forecast(table=table, models=pd.concat(models, ignore_index=True),
                    horizon_year=int(horizon_year))
