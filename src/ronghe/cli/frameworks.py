"""``ronghe frameworks``: list, show and validate indicator frameworks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ronghe.errors import RongheError

if TYPE_CHECKING:
    from ronghe.frameworks import Framework

app = typer.Typer(help="指标框架 Indicator frameworks: list, show, validate.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

TAG_ORDER = ("pillar", "mechanism", "value", "obstacle", "subsystem")


def _load(name_or_path: str) -> Framework:
    from ronghe.frameworks import load_framework

    try:
        return load_framework(name_or_path)
    except RongheError as exc:
        err.print(f"错误 error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


@app.command("list")
def list_() -> None:
    """列出内置框架 List the built-in frameworks."""
    from ronghe.frameworks import list_frameworks, load_framework

    table = Table("id", "名称", "name", "维度 dimensions", "指标 indicators")
    table.columns[0].no_wrap = True
    for name in list_frameworks():
        fw = load_framework(name)
        table.add_row(name, fw.info.name_zh, fw.info.name_en, str(len(fw.dimensions)),
                      str(len(fw.indicator_ids)))
    out.print(table)


@app.command()
def show(
    name_or_path: Annotated[str, typer.Argument(
        help="内置框架 id 或 YAML 文件 built-in id or YAML file")],
    lang: Annotated[str, typer.Option(help="zh 或 en")] = "zh",
) -> None:
    """显示框架的维度与指标 Show a framework's dimensions and indicators."""
    if lang not in ("zh", "en"):
        err.print("错误 error: --lang must be zh or en", markup=False)
        raise typer.Exit(1)
    fw = _load(name_or_path)
    zh = lang == "zh"
    info = fw.info
    out.print(f"[bold]{info.name_zh if zh else info.name_en}[/bold] ({info.id}, {info.level})")
    desc = info.description_zh if zh else info.description_en
    if desc:
        out.print(desc, markup=False)
    headers = (("维度", "指标", "名称", "单位", "方向", "公式", "标签") if zh else
               ("dimension", "indicator", "name", "unit", "direction", "formula", "tags"))
    table = Table(*headers)
    for column in table.columns[1:3] + table.columns[5:]:
        column.overflow = "fold"
    for dim in fw.dimensions:
        dname = f"{dim.id} {dim.name_zh if zh else dim.name_en}"
        for k, ind in enumerate(dim.indicators):
            best = ind.best
            tags = " ".join(t for kind in TAG_ORDER for t in getattr(ind.tags, kind))
            table.add_row(dname if k == 0 else "", ind.id, ind.name_zh if zh else ind.name_en,
                          ind.unit, f"T {best:g}" if isinstance(best, float) else best,
                          ind.formula or "", tags)
    out.print(table)


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="框架 YAML 文件 framework YAML file")],
) -> None:
    """校验框架文件 Validate a framework file (exit code 1 and one line on error)."""
    fw = _load(str(path))
    out.print(f"有效 valid: {fw.id} — {len(fw.dimensions)} dimensions, "
              f"{len(fw.indicator_ids)} indicators, {len(fw.raw_variables())} raw variables",
              markup=False)
