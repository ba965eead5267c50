"""``ronghe uncertainty``, ``ronghe simulate``, ``ronghe target``, ``ronghe forecast``.

Mount with :func:`register` (``register(app)`` adds the four commands at the top level). Each takes a
panel file DATA or ``--demo`` (the synthetic demo panel: all county-level units, 2016-2023,
framework ``seed``; not real statistics), ``--framework``, ``--settings`` and ``--out`` (an Excel
workbook with its About and column sheets, written by :mod:`ronghe.planning.workbook`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from ronghe.cli.common import DataOptions, data_options
from ronghe.errors import InputError, RongheError
from ronghe.words.columns import PLANNING_COLUMNS

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


COLUMNS = PLANNING_COLUMNS  # the name this module exported before the labels moved to words

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="输出工作簿 workbook")]
RegionOpt = Annotated[str, typer.Option("--region", "-r", help="地区代码 region code")]


def _said(written: Path) -> None:
    out.print(f"已写入 written: {written}")


def _run(fn: Callable[[], None]) -> None:
    try:
        fn()
    except RongheError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(1) from None


@data_options()
def uncertainty_command(
    source: DataOptions,
    out_path: OutOpt = Path("uncertainty.xlsx"),
    draws: Annotated[int, typer.Option("--draws", help="蒙特卡洛抽样次数 Monte Carlo draws")] = 1000,
    seed: Annotated[int, typer.Option(help="随机种子 seed")] = 0,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask：local 或调度器地址 / Dask: local or a scheduler address")] = None,
    year: Annotated[str | None, typer.Option(
        help="报告年份，默认最新；all 为全部 / year to report (default latest; all)")] = None,
) -> None:
    """不确定性 Rank uncertainty and Sobol' sensitivity over methodological choices -> Excel."""
    from ronghe.planning.uncertainty import uncertainty
    from ronghe.planning.workbook import write_uncertainty

    def go() -> None:
        result = source.result()
        which = year if year in (None, "all") else int(year)
        with Progress("[bold]抽样 draws", BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=err) as bar:
            task = bar.add_task("draws", total=None)
            res = uncertainty(result, draws=draws, seed=seed, scheduler=scheduler,
                              progress=lambda done, total: bar.update(task, completed=done,
                                                                      total=total), year=which)
        _said(write_uncertainty(res, result, out_path))

    _run(go)


@data_options()
def simulate_command(
    region: RegionOpt,
    change: Annotated[list[str], typer.Option(
        "--change", "-c", help="变动，如 rural_income+10%、road_density+0.5、income_ratio=2 / "
        "a change such as rural_income+10%, road_density+0.5, income_ratio=2")],
    source: DataOptions,
    out_path: OutOpt = Path("scenario.xlsx"),
    year: Annotated[int | None, typer.Option(help="年份，默认最新 year (default latest)")] = None,
) -> None:
    """情景模拟 What if: change variables or indicators of a region-year, frozen baseline -> Excel."""
    from ronghe.planning.scenario import simulate
    from ronghe.planning.workbook import write_scenario

    def go() -> None:
        changes = dict(_split_change(c) for c in change)
        result = source.result()
        y = int(result.state.years.max()) if year is None else year
        scen = simulate(result, region, y, changes)
        for zh, en in scen.explain():
            out.print(f"{zh}\n{en}")
        _said(write_scenario(scen, result, out_path))

    _run(go)


def _split_change(text: str) -> tuple[str, str]:
    """``name+10%`` / ``name-0.5`` / ``name=2`` -> (name, change text)."""
    for i, ch in enumerate(text):
        if ch in "+-=" and i > 0:
            return text[:i].strip(), text[i:].strip()
    raise InputError(f"change {text!r} not understood; write e.g. rural_income+10% or "
                     "income_ratio=2")


@data_options()
def target_command(
    region: RegionOpt,
    goal: Annotated[str, typer.Option(help="目标，如 D>=0.6、index>=0.5、income_ratio<=2.0 / goal")],
    source: DataOptions,
    out_path: OutOpt = Path("target.xlsx"),
    by: Annotated[int, typer.Option(help="目标年份 target year")] = 2035,
    year: Annotated[int | None, typer.Option(help="基准年份，默认最新 base year")] = None,
    method: Annotated[str, typer.Option(help="linear（集中）或 quadratic（分散）")] = "linear",
    bound: Annotated[list[str] | None, typer.Option(
        help="指标取值范围 ID=LOW:HIGH（自身单位，可留空一侧） / level bounds ID=LOW:HIGH")] = None,
) -> None:
    """目标测算 Yearly change and least-effort plan to reach a goal by a year -> Excel."""
    from ronghe.planning.targets import target
    from ronghe.planning.workbook import write_target

    def go() -> None:
        bounds = dict(_split_bound(b) for b in bound or [])
        result = source.result()
        plan = target(result, region, goal, by=by, year=year, bounds=bounds, method=method)
        for zh, en in plan.explanation:
            out.print(f"{zh}\n{en}")
        _said(write_target(plan, result, out_path))

    _run(go)


def _split_bound(text: str) -> tuple[str, tuple[float | None, float | None]]:
    name, _, rng = text.partition("=")
    low, sep, high = rng.partition(":")
    try:
        if not name or not sep:
            raise ValueError
        return name.strip(), (float(low) if low.strip() else None,
                              float(high) if high.strip() else None)
    except ValueError:
        raise InputError(f"bound {text!r} not understood; write ID=LOW:HIGH, e.g. "
                         "income_ratio=1.8:") from None


@data_options()
def forecast_command(
    source: DataOptions,
    out_path: OutOpt = Path("forecast.xlsx"),
    horizon: Annotated[int, typer.Option(help="预测至年份 horizon year")] = 2035,
    regions: Annotated[str | None, typer.Option(
        help="默认全体均值；all 为逐地区（GM(1,1)）；或逗号分隔的代码 / default the mean; all; "
        "or comma-separated codes")] = None,
    holdout: Annotated[int, typer.Option(help="留出检验年数 hold-out years")] = 2,
) -> None:
    """趋势预测 Forecast the index and D to a horizon year (GM(1,1) vs ETS) -> Excel."""
    from ronghe.planning.forecasting import forecast
    from ronghe.planning.workbook import write_forecast

    def go() -> None:
        result = source.result()
        which = regions if regions in (None, "all") else [c.strip() for c in regions.split(",")]
        res = forecast(result, horizon, which, holdout=holdout)
        _said(write_forecast(res, result, out_path))

    _run(go)


def register(app: typer.Typer) -> None:
    """Add the four planning commands to ``app``."""
    app.command("uncertainty")(uncertainty_command)
    app.command("simulate")(simulate_command)
    app.command("target")(target_command)
    app.command("forecast")(forecast_command)
