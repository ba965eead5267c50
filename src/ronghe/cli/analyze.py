"""``ronghe analyze disparity|spatial|dynamics|drivers``: the analyses of :mod:`ronghe.analysis` on a
panel (DATA), the synthetic demo panel (--demo) or the real provincial panel (--provinces), written
to one workbook (--out) and, for spatial and dynamics, figures as PNG and SVG (--figures)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import typer
from rich.console import Console

from ronghe.cli.common import DataOptions, data_options
from ronghe.words import check_lang

if TYPE_CHECKING:
    from ronghe.regions.boundaries import Level as DivisionLevel
    from ronghe.result import Result

app = typer.Typer(
    help="空间格局、区域差异、动态演进与驱动因素 / spatial pattern, regional disparity, dynamics "
    "and driving factors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False)

Figures = Annotated[
    Path | None, typer.Option("--figures", help="图像目录 figure directory (PNG and SVG)")
]
Variable = Annotated[
    str, typer.Option("--variable", help="index, C, T, D, U_<维度 dimension> 或指标 or indicator")
]
Level = Annotated[
    str | None, typer.Option("--level", help="province, prefecture, county (默认自动 auto)")
]
Lang = Annotated[str, typer.Option("--lang", help="图中标签语言 figure labels: zh, en")]
Weights = Annotated[str, typer.Option(help="queen, knn, distance")]
Out = Annotated[Path, typer.Option("--out", "-o", help="输出工作簿 output workbook (.xlsx)")]


def _write(result, analysis, path: Path) -> None:
    """The analysis's sheets alone, with the Result's notes and the analysis's own."""
    from ronghe.excel import names_of, write_workbook

    tables = analysis.tables()
    written = write_workbook(path, tables, result.explanations(tables, [analysis]),
                             result.notes([analysis]), names=names_of(result))
    out.print(f"已写入 written: {written}  ({result!r})")


def _with_figures(source: DataOptions, path: Path, figures: Path | None, lang: str,
                  draw: Callable[..., list[Path]], analyse: Callable[[Result], Any]) -> None:
    """An analysis with figures: the figure language checked before the evaluation, not after it;
    the analysis of the evaluated study written to ``path`` and, when ``figures`` is a folder,
    drawn there (``draw(analysis, folder, result=, lang=)``)."""
    check_lang(lang)
    result = source.result()
    analysis = analyse(result)
    _write(result, analysis, path)
    if figures is not None:
        for p in draw(analysis, figures, result=result, lang=lang):
            out.print(f"已写入 written: {p}")


@app.command()
@data_options(provinces=True)
def disparity(
    source: DataOptions,
    out_path: Out = Path("ronghe-disparity.xlsx"),
    variable: Variable = "index",
    groups: Annotated[
        str, typer.Option(help="macro（四大区域 four regions）或 or province")
    ] = "macro",
    controls: Annotated[
        str,
        typer.Option(help="条件β收敛控制变量，逗号分隔 controls of conditional β, comma-separated"),
    ] = "",
) -> None:
    """区域差异 Dagum Gini, Theil T/L, CV, σ- and β-convergence -> Excel."""
    from ronghe.analysis import disparity as run

    result = source.result()
    names = [c.strip() for c in controls.split(",") if c.strip()]
    _write(result, run(result, variable, groups, controls=names), out_path)


@app.command()
@data_options(provinces=True)
def spatial(
    source: DataOptions,
    out_path: Out = Path("ronghe-spatial.xlsx"),
    figures: Figures = None,
    variable: Variable = "index",
    level: Level = None,
    weights: Weights = "queen",
    permutations: Annotated[int, typer.Option(help="置换次数 permutations")] = 999,
    seed: Annotated[int, typer.Option(help="随机种子 random seed")] = 12345,
    correction: Annotated[str, typer.Option(
        help="LISA 多重检验校正 multiple testing: fdr (default), bonferroni, none")] = "fdr",
    lang: Lang = "zh",
) -> None:
    """空间自相关 Global Moran's I, LISA clusters, Gi* hot spots -> Excel (+ LISA and Gi* maps)."""
    from ronghe.analysis import spatial as run
    from ronghe.analysis import spatial_figures

    _with_figures(
        source, out_path, figures, lang, spatial_figures,
        lambda result: run(result, variable, level=cast("DivisionLevel | None", level),
                           kind=weights, permutations=permutations, seed=seed,
                           correction=correction))


@app.command()
@data_options(provinces=True)
def dynamics(
    source: DataOptions,
    out_path: Out = Path("ronghe-dynamics.xlsx"),
    figures: Figures = None,
    variable: Variable = "index",
    k: Annotated[int, typer.Option(help="分位类数 number of quantile classes")] = 4,
    spatial_chain: Annotated[
        bool, typer.Option("--spatial/--no-spatial", help="空间马尔可夫 spatial Markov chain")
    ] = True,
    level: Level = None,
    weights: Weights = "queen",
    bandwidth: Annotated[
        str, typer.Option(help="silverman, scott 或数值 or a number")
    ] = "silverman",
    lang: Lang = "zh",
) -> None:
    """动态演进 Classic and spatial Markov chains, kernel density -> Excel (+ figures)."""
    from ronghe.analysis import dynamics as run
    from ronghe.analysis import dynamics_figures

    try:
        bw: str | float = float(bandwidth)
    except ValueError:
        bw = bandwidth
    _with_figures(
        source, out_path, figures, lang, dynamics_figures,
        lambda result: run(result, variable, k=k, spatial=spatial_chain,
                           level=cast("DivisionLevel | None", level), kind=weights, bandwidth=bw))


@app.command()
@data_options(provinces=True)
def drivers(
    source: DataOptions,
    out_path: Out = Path("ronghe-drivers.xlsx"),
    y: Annotated[str, typer.Option("--y", help="因变量 response (index, D, ...)")] = "index",
    factors: Annotated[
        str,
        typer.Option(
            help="探测因子，逗号分隔（默认全部指标） factors, comma-separated "
            "(default: all indicators)"
        ),
    ] = "",
    year: Annotated[
        int | None, typer.Option(help="年份（默认最近一年） year (default: latest)")
    ] = None,
    discretize: Annotated[
        str, typer.Option(help="auto, none, equal, natural, quantile, geometric, sd")
    ] = "auto",
    variance: Annotated[
        str, typer.Option(help="population (默认 default) or sample")
    ] = "population",
    singletons: Annotated[str, typer.Option(help="keep (默认 default) or drop")] = "keep",
) -> None:
    """驱动因素 Geographical detector: factor, interaction, risk, ecological -> Excel."""
    from ronghe.analysis import drivers as run

    result = source.result()
    names = [f.strip() for f in factors.split(",") if f.strip()] or None
    res = run(
        result, y, names, year=year, discretize=discretize,
        variance=cast("Literal['population', 'sample']", variance),  # checked by drivers
        singletons=cast("Literal['keep', 'drop']", singletons),
    )
    _write(result, res, out_path)
