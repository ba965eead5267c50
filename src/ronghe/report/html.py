"""The HTML report: one self-contained file that opens offline (government intranets are offline).

Plotly's JavaScript is read from the installed ``plotly`` package and inlined once; every chart is a
``div`` with its data. The map is inline SVG drawn on the server by :func:`ronghe.regions.chinamap.svg`
(the whole national territory, Albers equal-area, South China Sea inset, D in its ten grades, a hover
title per region), so no tile server or map file is requested. What each section shows and when it
is left out is described in :mod:`ronghe.report.content`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ronghe.errors import InputError
from ronghe.report.content import ReportContent, build_content
from ronghe.report.style import GRADE_COLOURS, PALETTE, Style, cjk_family

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ronghe.result import Result

__all__ = ["render_html", "write_html"]

TEMPLATES = Path(__file__).parent / "templates"
MAX_RANKING_ROWS = 30  #: rankings table: all rows up to 2x this, else the first and last this many
MAX_INTERVAL_BARS = 40  #: rank-interval chart: the best-ranked this many regions


def _div(fig: go.Figure, style: Style, height: int = 380) -> str:
    fig.update_layout(height=height, **style.plotly_layout())
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        config={"displaylogo": False, "responsive": True},
    )


def _map(c: ReportContent, style: Style) -> str | None:
    """Inline SVG map of D in ten grades (:func:`ronghe.regions.chinamap.svg`)."""
    from ronghe.regions.chinamap import svg

    m = c.d_map()
    if m is None:
        return None
    grade = {str(r["region"]): f"{r['grade']} {r['grade_zh'] if c.lang == 'zh' else r['grade_en']}"
             for r in c.rankings.to_dict("records")}
    titles = {code: f"{row['name']}（{code}）D = {row['value']:.4f} · {grade.get(code, '')}"
              for code, row in m.units.iterrows()}
    title = style.t(f"{c.last} 年耦合协调度 D（十级）", f"Coupling coordination D in ten grades, {c.last}")
    return (f'<h3 class="map-title">{title}</h3>'
            + svg(m, titles=titles, label=title, no_data=style.t("无数据", "No data"),
                  missing_text=style.t("无边界、未绘制的地区", "Regions without a boundary, not drawn"),
                  inset_text=style.t("南海诸岛", "South China Sea Islands")))


def _histogram(c: ReportContent, style: Style) -> str:
    import plotly.graph_objects as go

    fig = go.Figure(go.Histogram(x=c.rankings["index"], nbinsx=30, marker_color=PALETTE[0]))
    fig.update_layout(
        title=style.t(f"{c.last} 年综合指数分布", f"Distribution of the index, {c.last}"),
        xaxis_title=style.t("综合指数", "Index"), yaxis_title=style.t("地区数", "Regions"),
        bargap=0.05,
    )
    return _div(fig, style, 320)


def _trends(c: ReportContent, style: Style) -> str:
    import plotly.graph_objects as go

    fig = go.Figure()
    tr = c.trends
    fig.add_scatter(x=tr["year"], y=tr["index"], name=style.t("综合指数", "Index"),
                    line={"width": 3})
    fig.add_scatter(x=tr["year"], y=tr["D"], name=style.t("耦合协调度 D", "Coordination D"),
                    line={"width": 3})
    for dim, name in c.dimension_names.items():
        fig.add_scatter(x=tr["year"], y=tr[f"U_{dim}"], name=name,
                        line={"dash": "dot"})
    fig.update_layout(title=style.t("年度均值", "Yearly means"), xaxis=_year_axis(c.years),
                      legend={"orientation": "h", "y": -0.2})
    return _div(fig, style, 420)


def _group_trends(c: ReportContent, style: Style) -> str:
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, part in c.trends_by_group.groupby("group_name", sort=False):
        fig.add_scatter(x=part["year"], y=part["D"], name=str(name), mode="lines+markers")
    fig.update_layout(title=style.t("分区域耦合协调度 D 均值", "Mean D by region group"),
                      xaxis=_year_axis(c.years))
    return _div(fig, style, 340)


def _grades(c: ReportContent, style: Style) -> str:
    import plotly.graph_objects as go

    colours = GRADE_COLOURS
    fig = go.Figure()
    for grade, part in c.grade_shares.groupby("grade", sort=True):
        fig.add_bar(x=part["year"], y=part["share"] * 100, name=f"{grade} {part['grade_label'].iloc[0]}",
                    marker_color=colours[int(grade) - 1])
    fig.update_layout(barmode="stack", title=style.t("协调等级构成", "Grade composition"),
                      yaxis_title="%", xaxis=_year_axis(c.years))
    return _div(fig, style, 360)


def _obstacles(c: ReportContent, style: Style) -> str:
    import plotly.graph_objects as go

    cur = c.obstacle_categories[c.obstacle_categories["year"] == c.last].sort_values("share")
    fig = go.Figure(go.Bar(x=cur["share"], y=cur["label"],
                           orientation="h", marker_color=PALETTE[3]))
    fig.update_layout(title=style.t(f"{c.last} 年障碍类别平均占比（O1–O4 合计 100%，其他另计）",
                                    f"Mean share by obstacle category, {c.last} (O1–O4 sum to "
                                    "100 %, other apart)"),
                      xaxis_tickformat=".0%")
    return _div(fig, style, 300)


def _disparity(c: ReportContent, style: Style) -> str | None:
    import plotly.graph_objects as go

    if c.disparity is None:
        return None
    d = c.disparity[c.disparity["variable"] == "D"]
    fig = go.Figure()
    for col, zh, en in (("G", "总体 G", "Overall G"), ("Gw", "区域内 Gw", "Within Gw"),
                        ("Gnb", "区域间 Gnb", "Between Gnb"),
                        ("Gt", "超变密度 Gt", "Transvariation Gt")):
        fig.add_scatter(x=d["year"], y=d[col], name=style.t(zh, en), mode="lines+markers")
    fig.update_layout(title=style.t("耦合协调度 D 的 Dagum 基尼系数分解",
                                    "Dagum Gini decomposition of D"), xaxis=_year_axis(c.years))
    return _div(fig, style, 340)


def _moran(c: ReportContent, style: Style) -> str | None:
    import plotly.graph_objects as go

    if c.moran is None:
        return None
    fig = go.Figure()
    for variable, part in c.moran.groupby("variable", sort=True):
        label = style.t("综合指数", "Index") if variable == "index" else "D"
        fig.add_scatter(x=part["year"], y=part["I"], name=label, mode="lines+markers")
    fig.update_layout(title=style.t("全局 Moran's I", "Global Moran's I"),
                      xaxis=_year_axis(c.years))
    return _div(fig, style, 320)


def _intervals(c: ReportContent, style: Style) -> str | None:
    import plotly.graph_objects as go

    if c.rank_intervals is None:
        return None
    ri = c.rank_intervals.head(MAX_INTERVAL_BARS)
    label = ri["name_zh"].fillna(ri["region"]).astype(str)
    fig = go.Figure(go.Scatter(
        x=ri["median_rank"], y=label, mode="markers", marker_color=PALETTE[0],
        error_x={"type": "data", "symmetric": False,
                 "array": ri["p95_rank"] - ri["median_rank"],
                 "arrayminus": ri["median_rank"] - ri["p05_rank"]},
        name=style.t("中位位次与 5%–95% 区间", "Median rank, 5th–95th percentile"),
    ))
    fig.add_scatter(x=ri["nominal_rank"], y=label, mode="markers", name=style.t("名义位次", "Nominal rank"),
                    marker={"symbol": "diamond", "color": PALETTE[3]})
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title=style.t("位次区间", "Rank intervals"), xaxis_title=style.t("位次", "Rank"))
    return _div(fig, style, max(320, 18 * len(ri) + 120))


def _year_axis(years: Any) -> dict[str, Any]:
    """An x axis that ticks the years of the data only (a two-census panel shows 2010 and 2020,
    not the years between, which it has no value for)."""
    return {"tickmode": "array", "tickvals": [int(y) for y in years]}


def _profile_chart(p: Any, style: Style) -> str:
    import plotly.graph_objects as go

    tr = p.trend
    fig = go.Figure()
    fig.add_scatter(x=tr["year"], y=tr["index"], name=style.t("本地区指数", "This region"),
                    mode="lines+markers", line={"width": 3})
    if p.n_in_province > 1:
        fig.add_scatter(x=tr["year"], y=tr["province_mean_index"],
                        name=style.t("本省均值", "Province mean"), line={"dash": "dash"})
    fig.add_scatter(x=tr["year"], y=tr["all_mean_index"], name=style.t("全部均值", "All regions"),
                    line={"dash": "dot"})
    fig.add_scatter(x=tr["year"], y=tr["D"], name="D", mode="lines+markers")
    fig.update_layout(xaxis=_year_axis(tr["year"]), legend={"orientation": "h", "y": -0.25},
                      margin={"l": 40, "r": 10, "t": 20, "b": 30})
    return _div(fig, style, 280)


def _ranking_rows(rankings: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    if len(rankings) <= 2 * MAX_RANKING_ROWS:
        return rankings, False
    return pd.concat([rankings.head(MAX_RANKING_ROWS), rankings.tail(MAX_RANKING_ROWS)]), True


def render_html(result: Result, content: ReportContent, style: Style) -> str:
    """The report page as one string (see the module docstring)."""
    from plotly.offline import get_plotlyjs

    from ronghe.report.methods import render_methods

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    c = content
    rows, cut = _ranking_rows(c.rankings)
    state = result.state
    charts = {
        "map": _map(c, style),
        "histogram": _histogram(c, style),
        "trends": _trends(c, style),
        "group_trends": _group_trends(c, style),
        "grades": _grades(c, style),
        "obstacles": _obstacles(c, style),
        "disparity": _disparity(c, style),
        "moran": _moran(c, style),
        "intervals": _intervals(c, style),
    }
    profiles = [(p, _profile_chart(p, style)) for p in c.profiles]
    return env.get_template("report.html.j2").render(
        c=c,
        t=c.t,
        lang_attr="zh-CN" if c.lang == "zh" else "en",
        plotly_js=get_plotlyjs(),
        charts=charts,
        profiles=profiles,
        ranking_rows=rows.to_dict("records"),
        ranking_cut=cut,
        max_rows=MAX_RANKING_ROWS,
        max_bars=MAX_INTERVAL_BARS,
        framework=result.framework,
        n_regions=len(pd.unique(state.regions)),
        n_indicators=len(state.indicator_ids),
        settings_hash=result.settings_hash,
        disparity=None if c.disparity is None else c.disparity.to_dict("records"),
        disparity_grouping=c.disparity_grouping,
        moran=None if c.moran is None else c.moran.to_dict("records"),
        method_sections=render_methods(result, c, style),
    )


def write_html(
    result: Result,
    path: str | Path,
    *,
    lang: str = "zh",
    region: str | None = None,
    content: ReportContent | None = None,
    rank_intervals: pd.DataFrame | None = None,
    draws: int = 0,
) -> Path:
    """Write the HTML report of ``result`` to ``path``; ``content`` reuses an already built
    :class:`~ronghe.report.content.ReportContent` (its language wins); ``rank_intervals`` and
    ``draws`` as in :func:`~ronghe.report.content.build_content`."""
    if content is None:
        content = build_content(result, lang=lang, region=region, rank_intervals=rank_intervals,
                                draws=draws)
    # the browser draws the text, so the page keeps its language whatever matplotlib has installed
    style = Style(lang=content.lang, family=cjk_family())
    page = render_html(result, content, style)
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"无法写入报告 / cannot write the report ({exc.strerror})",
                         file=str(out)) from None
    return out
