"""``ronghe diagnose``: the one-screen diagnosis of a region-year.

Mount with ``app.command("diagnose")(diagnose_command)``. Without ``--data`` the command evaluates
the synthetic demo panel (:mod:`ronghe.demo`: all county-level units, 2016-2023, framework ``seed``)
and says so on screen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ronghe.cli.common import evaluate, study_from
from ronghe.errors import RongheError


def diagnose_command(
    region: Annotated[
        str, typer.Option("--region", "-r", help="地区代码或名称 region code or Chinese name")
    ],
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="年份，默认最新 year (default: latest)")
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="面板数据 panel file (CSV, XLSX, Parquet)")
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="使用合成演示面板 use the synthetic demo panel")
    ] = False,
    framework: Annotated[str | None, typer.Option(help="指标框架 framework id or YAML")] = None,
    settings: Annotated[Path | None, typer.Option(help="设置文件 settings YAML")] = None,
    lang: Annotated[str, typer.Option(help="zh 或 en")] = "zh",
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON output JSON instead of text")
    ] = False,
) -> None:
    """诊断 Diagnose a region-year: blocking indicators, obstacles, paths, peer exemplars."""
    from ronghe.words import check_lang

    try:
        check_lang(lang)
        # without --data the demo panel is used (said on stderr)
        result = evaluate(study_from(data, demo or data is None, framework, settings))
        diagnosis = result.diagnose(region, year, lang=lang)
    except RongheError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(diagnosis.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(diagnosis.to_text(lang))
