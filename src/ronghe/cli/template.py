"""``ronghe template FRAMEWORK --out panel.xlsx``: the workbook of the raw variables a framework
needs, in the wide layout ``ronghe evaluate`` reads, with names, units and an example row
(``--example``: a filled sample panel to try ``ronghe evaluate`` at once). See
:mod:`ronghe.template`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

out = Console(highlight=False)


def template_command(
    framework: Annotated[str, typer.Argument(help="指标框架 framework id or YAML")] = "seed",
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="输出工作簿 output workbook (.xlsx)")
    ] = Path("panel.xlsx"),
    example: Annotated[
        bool, typer.Option("--example", help="写出填好的样例面板 write a filled sample panel")
    ] = False,
) -> None:
    """模板 Data-entry workbook of the raw variables a framework needs (wide: region, year, variables)."""
    from ronghe.template import write_template

    path = write_template(framework, out_path, example=example)
    out.print(f"已写入 written: {path}")
    out.print(f"填写后运行 then run: ronghe evaluate {path} --framework {framework}")
