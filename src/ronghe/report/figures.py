"""Publication figures of a report, drawn with matplotlib's object API (no pyplot state) in the style
of :mod:`ronghe.report.style`, and saved as PNG, SVG and PDF.

- :func:`index_distribution` — box plots of the composite index by year (whiskers at 1.5 IQR);
- :func:`d_trend_by_group` — mean D by year for each macro-region (or province, see
  :mod:`ronghe.report.content`);
- :func:`grade_composition` — stacked shares of the ten coupling-coordination grades by year;
- :func:`obstacle_categories` — mean share of each category (O1-O4 sum to 1, other apart) in a year;
- :func:`choropleth` — D of a year in its ten grades on the map of China (:mod:`ronghe.regions.chinamap`),
  when the boundaries are available;
- :func:`region_trend` — one region's index and D against its province and all regions (the brief).

:func:`write_figures` draws all of them for a Result.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ronghe.report.content import Profile, ReportContent, build_content
from ronghe.report.style import FORMATS, GRADE_COLOURS, PALETTE, Style, save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ronghe.result import Result

__all__ = [
    "choropleth",
    "d_trend_by_group",
    "grade_composition",
    "index_distribution",
    "obstacle_categories",
    "region_trend",
    "write_figures",
]

WIDTH_IN = 6.3  #: full text width of an A4 page with 2.5 cm margins, in inches


def _figure(style: Style, height: float, width: float = WIDTH_IN) -> Figure:
    from matplotlib.figure import Figure

    with style.context():
        return Figure(figsize=(width, height), layout="constrained")


def index_distribution(c: ReportContent, style: Style) -> Figure:
    """Box plots of the composite index, one per year."""
    fig = _figure(style, 3.2)
    with style.context():
        ax = fig.add_subplot()
        data = [c.values.loc[c.values["year"] == y, "index"].to_numpy() for y in c.years]
        ax.boxplot(data, tick_labels=[str(y) for y in c.years], widths=0.55, patch_artist=True,
                   boxprops={"facecolor": "#cfe3f1", "edgecolor": PALETTE[0]},
                   medianprops={"color": PALETTE[3]}, flierprops={"markersize": 2})
        ax.set_xlabel(style.t("年份", "Year"))
        ax.set_ylabel(style.t("综合指数", "Composite index"))
        ax.set_title(style.t("综合指数分布", "Distribution of the composite index"))
    return fig


def d_trend_by_group(c: ReportContent, style: Style) -> Figure:
    """Mean coupling coordination degree D by year for each region group."""
    fig = _figure(style, 3.0)
    with style.context():
        ax = fig.add_subplot()
        for name, part in c.trends_by_group.groupby("group_name", sort=False):
            ax.plot(part["year"], part["D"], marker="o", markersize=3, label=str(name))
        ax.set_xticks(c.years)
        ax.set_xlabel(style.t("年份", "Year"))
        ax.set_ylabel(style.t("耦合协调度 D 均值", "Mean D"))
        ax.set_title(style.t("分区域耦合协调度", "Coupling coordination by region group"))
        ax.legend(ncols=min(4, c.trends_by_group["group"].nunique()), loc="best")
    return fig


def grade_composition(c: ReportContent, style: Style) -> Figure:
    """Stacked shares (%) of the coupling-coordination grades by year."""
    fig = _figure(style, 3.4)
    colours = GRADE_COLOURS
    shares = c.grade_shares.pivot_table(index="year", columns="grade", values="share",
                                        fill_value=0.0).reindex(c.years, fill_value=0.0)
    labels = c.grade_shares.drop_duplicates("grade").set_index("grade")["grade_label"]
    with style.context():
        ax = fig.add_subplot()
        bottom = np.zeros(len(shares))
        x = np.arange(len(shares))
        for grade in shares.columns:
            values = shares[grade].to_numpy() * 100
            ax.bar(x, values, bottom=bottom, width=0.7, color=colours[int(grade) - 1],
                   label=f"{grade} {labels[grade]}", edgecolor="white", linewidth=0.4)
            bottom += values
        ax.set_xticks(x, [str(y) for y in shares.index])
        ax.set_ylim(0, 100)
        ax.set_ylabel("%")
        ax.set_title(style.t("协调等级构成", "Grade composition"))
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def obstacle_categories(c: ReportContent, style: Style, year: int | None = None) -> Figure:
    """Mean share of each obstacle category in ``year`` (default the report's year), in the
    convention of :func:`ronghe.diagnosis.obstacle_shares`."""
    year = c.last if year is None else year
    cur = c.obstacle_categories[c.obstacle_categories["year"] == year].sort_values("share")
    fig = _figure(style, 0.45 * len(cur) + 1.0)
    with style.context():
        ax = fig.add_subplot()
        ax.barh(cur["label"], cur["share"] * 100, color=PALETTE[3],
                height=0.6)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(style.t("地区平均占比（%；O1–O4 合计 100，其他另计）",
                              "Mean share (%; O1–O4 sum to 100, other apart)"))
        ax.set_title(style.t(f"{year} 年障碍类别", f"Obstacle categories, {year}"))
    return fig


def choropleth(c: ReportContent, style: Style) -> Figure | None:
    """D of the report's year in its ten grades on a map of the whole national territory (Albers
    equal-area, South China Sea inset; :mod:`ronghe.regions.chinamap`); None without boundaries."""
    from ronghe.regions.chinamap import draw

    m = c.d_map()
    if m is None:
        return None
    fig = _figure(style, 5.6)
    with style.context():
        draw(m, fig, title=style.t(f"{c.last} 年耦合协调度 D", f"Coupling coordination D, {c.last}"),
             no_data=style.t("无数据", "No data"),
             missing_text=style.t("无边界、未绘制的地区", "Regions without a boundary, not drawn"),
             inset_text=style.t("南海诸岛", "South China Sea Islands"))
    return fig


def region_trend(p: Profile, style: Style, region_label: str) -> Figure:
    """One region's index and D by year, with its province's (when it has other regions) and all
    regions' mean index."""
    fig = _figure(style, 2.4, 5.6)
    tr = p.trend
    with style.context():
        ax = fig.add_subplot()
        ax.plot(tr["year"], tr["index"], marker="o", linewidth=2, label=region_label)
        if p.n_in_province > 1:
            ax.plot(tr["year"], tr["province_mean_index"], linestyle="--",
                    label=style.t("本省均值", "Province mean"))
        ax.plot(tr["year"], tr["all_mean_index"], linestyle=":",
                label=style.t("全部均值", "All regions"))
        ax.plot(tr["year"], tr["D"], marker="s", markersize=3, label="D")
        ax.set_xticks(tr["year"].tolist())
        ax.set_ylabel(style.t("指数 / D", "Index / D"))
        ax.legend(ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    return fig


def write_figures(
    result: Result,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    formats: Sequence[str] = FORMATS,
    content: ReportContent | None = None,
) -> list[Path]:
    """Draw every figure of the report into ``out_dir`` as ``<name>.<format>``; returns the paths.
    Chinese labels fall back to English with a warning when no CJK font is installed."""
    from ronghe.report.style import resolve_style

    style = resolve_style(lang)
    c = content
    if c is None or c.lang != style.lang:  # no CJK font: labels must come in English
        c = build_content(result, lang=style.lang)
    out = Path(out_dir)
    figures = {
        "index_distribution": index_distribution(c, style),
        "d_trend_by_group": d_trend_by_group(c, style),
        "grade_composition": grade_composition(c, style),
        "obstacle_categories": obstacle_categories(c, style),
        "choropleth_D": choropleth(c, style),
    }
    paths: list[Path] = []
    for name, fig in figures.items():
        if fig is not None:
            paths += save_figure(fig, out / name, style, formats)
    return paths
