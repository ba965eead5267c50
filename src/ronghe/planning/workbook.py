"""Explained planning workbooks from the Python API: a scenario, an uncertainty analysis, a target
plan or a forecast written to one workbook with its About sheet (data, framework, settings hash,
how to cite) and its column sheet (every column explained in zh and en,
:data:`ronghe.words.columns.PLANNING_COLUMNS`); the ``ronghe simulate|uncertainty|target|forecast``
commands call these functions.

>>> from ronghe.planning import simulate
>>> from ronghe.planning.workbook import write_scenario
>>> write_scenario(simulate(result, "130102", 2023, {"rural_income": "+10%"}), result,
...                "scenario.xlsx")  # doctest: +SKIP

The layout (Chinese headers, names beside codes, filters, frozen headers, number formats) is
:func:`ronghe.excel.write_workbook`'s; it is imported when a workbook is written, as
:meth:`ronghe.result.Result.to_excel` does, so that the planning features do not depend on the
front ends at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ronghe.words.columns import PLANNING_COLUMNS
from ronghe.words.workbook import TITLES

if TYPE_CHECKING:
    from ronghe.planning.forecasting import Forecast
    from ronghe.planning.scenario import Scenario
    from ronghe.planning.targets import TargetPlan
    from ronghe.planning.uncertainty import UncertaintyResult
    from ronghe.result import Result

__all__ = ["write_forecast", "write_planning", "write_scenario", "write_target",
           "write_uncertainty"]


def write_planning(path: str | Path, kind: str, tables: dict[str, pd.DataFrame], result: Result,
                   notes: list[tuple[str, str]] | None = None) -> Path:
    """Write planning ``tables`` of ``kind`` (scenario, uncertainty, target, forecast: the
    workbook's title) computed on ``result`` to ``path``; ``notes`` join the Result's on the
    About sheet."""
    from ronghe import labels
    from ronghe.excel import names_of, write_workbook

    columns = labels.column_sheet(tables, PLANNING_COLUMNS)
    return write_workbook(path, tables, columns, [*result.notes(), *(notes or [])],
                          names=names_of(result), title=TITLES[kind])


def write_scenario(scenario: Scenario, result: Result, path: str | Path) -> Path:
    """The scenario's tables (scenario, scenario_indicators, changes, explanation) to ``path``."""
    return write_planning(path, "scenario", scenario.tables(), result)


def write_uncertainty(uncertain: UncertaintyResult, result: Result, path: str | Path) -> Path:
    """Rank intervals, Sobol' indices and the choices drawn to ``path``, with the draws noted."""
    return write_planning(path, "uncertainty", uncertain.tables(), result, uncertain.notes())


def write_target(plan: TargetPlan, result: Result, path: str | Path) -> Path:
    """The goal, the indicator changes it requires and the plan as a scenario to ``path``."""
    return write_planning(path, "target", plan.tables(), result)


def write_forecast(forecast: Forecast, result: Result, path: str | Path) -> Path:
    """Forecasts with their intervals and the models chosen to ``path``."""
    return write_planning(path, "forecast", forecast.tables(), result)
