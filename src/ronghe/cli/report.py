"""``ronghe report``: the HTML report, the workbook, the county brief or the figures of a panel.

The lead mounts :func:`report` as ``ronghe report``. Errors ronghe raises on purpose propagate to
``ronghe.cli.main``, which prints them as one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ronghe.cli.common import progress, study_from
from ronghe.errors import InputError

if TYPE_CHECKING:
    from ronghe.result import Result

FORMATS = ("html", "xlsx", "docx", "figures")
SUFFIX_FORMAT = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx"}

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _format(fmt: str | None, path: Path) -> str:
    if fmt is None:
        fmt = SUFFIX_FORMAT.get(path.suffix.lower(), "figures" if not path.suffix else None)
        if fmt is None:
            raise InputError(
                f"无法从扩展名 {path.suffix!r} 判断格式，请用 --format / cannot tell the format "
                f"from {path.suffix!r}; use --format html, xlsx, docx or figures",
                file=str(path),
            )
    if fmt not in FORMATS:
        raise InputError(f"格式须为 {', '.join(FORMATS)} / --format must be one of "
                         f"{', '.join(FORMATS)}", value=fmt)
    return fmt


def report(
    out_path: Annotated[Path, typer.Option(
        "--out", "-o", help="输出文件（figures 为文件夹）/ output file (a folder for figures)")],
    data: Annotated[Path | None, typer.Argument(
        help="面板数据 panel file (CSV, XLSX, Parquet; long or wide)")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="使用合成演示面板 use the synthetic demo panel")] = False,
    region: Annotated[str | None, typer.Option(
        help="地区代码（docx 必填）/ region code (required for docx)")] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="html, xlsx, docx 或 figures（默认按扩展名）/ default: by suffix")] = None,
    lang: Annotated[str, typer.Option(help="zh 或 en")] = "zh",
    framework: Annotated[str | None, typer.Option(help="指标框架 framework id or YAML")] = None,
    settings: Annotated[Path | None, typer.Option(help="设置文件 settings YAML")] = None,
    layout: Annotated[str, typer.Option(help="auto, long or wide")] = "auto",
    draws: Annotated[int, typer.Option(
        help="位次区间的蒙特卡洛次数（0 不做）/ Monte Carlo draws for rank intervals (0: none)",
        min=0)] = 0,
) -> None:
    """报告 Write the HTML report, the workbook, a county brief (docx) or the figures."""
    from ronghe.words import check_lang

    kind = _format(fmt, out_path)
    lang = check_lang(lang)
    if kind == "docx" and region is None:
        raise InputError("简报需要 --region / the docx brief needs --region CODE")
    study = study_from(data, demo, framework, settings, layout=layout)
    with err.status("计算 running") as status:
        result = study.evaluate(progress=progress(status))
        status.update(f"[bold]报告 report[/bold]: {kind}")
        paths = _write(result, out_path, kind, lang, region, draws)
    for p in paths:
        out.print(f"已写入 written: {p}", markup=False)


def _write(
    result: Result, out_path: Path, kind: str, lang: str, region: str | None, draws: int
) -> list[Path]:
    if kind == "html":
        from ronghe.report.html import write_html

        return [write_html(result, out_path, lang=lang, region=region, draws=draws)]
    if kind == "xlsx":
        from ronghe.report.workbook import write_report_workbook

        return [write_report_workbook(result, out_path, lang=lang, draws=draws)]
    if kind == "docx":
        from ronghe.report.brief import write_brief

        return [write_brief(result, out_path, region or "", lang=lang)]
    from ronghe.report.figures import write_figures

    return write_figures(result, out_path, lang=lang)
