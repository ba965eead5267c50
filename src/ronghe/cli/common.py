"""What the commands share: the data options and how a study is built from them.

Every analysis command takes a panel file, or ``--demo`` (the synthetic county panel that
``ronghe demo`` uses, framework ``seed``), or for some ``--provinces`` (the real provincial panel and
its small framework); exactly one of them. A command declares the whole group once, as a parameter
``source: DataOptions`` under :func:`data_options`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ronghe.errors import InputError
from ronghe.words.progress import step_label

if TYPE_CHECKING:
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


@dataclass(frozen=True)
class DataOptions:
    """What a command's data options chose: a panel file (DATA), the demo panel (``--demo``) or the
    provincial panel (``--provinces``), with ``--framework`` and ``--settings``."""

    data: Path | None
    demo: bool
    framework: str | None
    settings: Path | None
    provinces: bool = False

    def study(self) -> Study:
        """The study of the chosen panel (:func:`study_from`: exactly one must be chosen)."""
        return study_from(self.data, self.demo, self.framework, self.settings,
                          provinces=self.provinces)

    def result(self) -> Result:
        """The evaluated study, with a status line (:func:`evaluate`)."""
        return evaluate(self.study())


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=default,
                             annotation=annotation)


def data_options(*, provinces: bool = False) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a command whose parameter ``source: DataOptions`` stands for its data options: on the
    command line that place holds DATA, ``--demo``, (with ``provinces``) ``--provinces``,
    ``--framework`` and ``--settings``, and the command receives what they chose as ``source``."""
    options = [_option("data", DataArg, None), _option("demo", DemoOpt, False)]
    if provinces:
        options.append(_option("provinces", ProvincesOpt, False))
    options += [_option("framework", FrameworkOpt, None), _option("settings", SettingsOpt, None)]

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        if "source" not in signature.parameters:
            raise TypeError(f"{command.__name__} has no parameter 'source' for its data options")
        params = [q for p in signature.parameters.values()
                  for q in (options if p.name == "source" else [p])]

        @functools.wraps(command)
        def with_options(**given: Any) -> None:
            command(source=DataOptions(**{o.name: given.pop(o.name) for o in options}), **given)

        # what Typer reads to build the command's arguments and options
        with_options.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=params)
        with_options.__annotations__ = {p.name: p.annotation for p in params}
        return with_options

    return decorate
