"""What the commands share: the data options and how a study is built from them.

Every analysis command takes a panel file, or ``--demo`` (the synthetic county panel that
``ronghe demo`` uses, framework ``seed``), or for some ``--provinces`` (the real provincial panel and
its small framework); exactly one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ronghe.errors import InputError
from ronghe.words.progress import step_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.status import Status

    from ronghe.result import Result
    from ronghe.study import Study

err = Console(stderr=True, highlight=False)

DataArg = Annotated[
    Path | None, typer.Argument(help="面板数据 panel file (CSV, XLSX, Parquet; long or wide)")
]
DemoOpt = Annotated[bool, typer.Option("--demo", help="使用合成演示面板 use the synthetic demo panel")]
ProvincesOpt = Annotated[
    bool, typer.Option("--provinces", help="使用省级真实面板 use the real provincial panel")
]
FrameworkOpt = Annotated[str | None, typer.Option(help="指标框架 framework id or YAML")]
SettingsOpt = Annotated[Path | None, typer.Option(help="设置文件 settings YAML")]

NOTES = {
    "synthetic": "使用合成演示面板（全部县级单位，2016–2023，框架 seed；非真实统计） / using the "
    "synthetic demo panel (all county-level units, 2016-2023, framework seed; not real statistics)",
    "provinces": "使用省级真实面板（31 省，2013–2023，国家统计局） / using the real provincial panel "
    "(31 provinces, 2013-2023, NBS)",
}


def study_from(
    data: Path | None,
    demo: bool = False,
    framework: str | None = None,
    settings: Path | None = None,
    *,
    provinces: bool = False,
    layout: str = "auto",
) -> Study:
    """The study of a panel file, the demo panel or the provincial panel (exactly one)."""
    from ronghe.demo import demo_study
    from ronghe.panel import read_panel
    from ronghe.study import Study

    if sum([data is not None, demo, provinces]) != 1:
        choices = "DATA, --demo or --provinces" if provinces else "DATA or --demo"
        raise InputError(f"请给出且只给出一种数据 / give exactly one of {choices}")
    if data is not None:
        return Study(read_panel(data, layout=layout), framework, settings)
    kind = "synthetic" if demo else "provinces"
    err.print(NOTES[kind])
    base = demo_study(kind)
    return Study(base.panel, framework or base.framework, settings)


def progress(status: Status, what: str = "计算 running") -> Callable[[str], None]:
    """The ``progress`` callback of ``Study.evaluate`` (and of the demo) for a status line: each
    step in words, zh and en (:mod:`ronghe.words.progress`), not its id."""
    return lambda step: status.update(f"[bold]{what}[/bold]: {step_label(step)}")


def evaluate(study: Study) -> Result:
    """Evaluate with a status line showing the step."""
    with err.status("计算 running") as status:
        return study.evaluate(progress=progress(status))
