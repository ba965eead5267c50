"""The report's method and audit sections: the weighting tables as the field prints them, TOPSIS's
distances and ideals, the statistical audit with its dominance warnings, how the ranking changes
with the weight cap switched, how the diagnosis spreads over the regions, and the LISA cluster and
significance maps with the Moran scatterplot (GeoDa's trio), multiple testing controlled by FDR.

Gathered once by :func:`build_methods` (pure tables, no drawing) and drawn by
:func:`render_methods` into the HTML page; :meth:`MethodSections.tables` adds them to the report's
workbook. Every table comes from a feature module (:mod:`ronghe.method_tables`,
:mod:`ronghe.audit`, :mod:`ronghe.diagnosis`, :mod:`ronghe.spatial`); nothing is computed here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ronghe.errors import RongheError
from ronghe.report.profiles import name_in
from ronghe.spatial.figures import CLUSTER_COLOURS, SIGNIFICANCE_COLOURS
from ronghe.words.audit import flag_label
from ronghe.words.figures import CLUSTER_LABELS, SIGNIFICANCE_LABELS, TEXT, VARIABLE_LABELS

if TYPE_CHECKING:
    from ronghe.report.content import ReportContent
    from ronghe.report.style import Style
    from ronghe.result import Result

LISA_PERMUTATIONS = 999
LISA_ALPHA = 0.05
LISA_CORRECTION = "fdr"
"""Reports control the false discovery rate of the LISA map (``esda.fdr``'s cut-off)."""
SHOWN_ROWS = 12


@dataclass
class Lisa:
    """LISA of one variable and year, with the Moran scatterplot's points."""

    variable: str
    label: str
    year: int
    permutations: int
    correction: str
    alpha: float
    frame: pd.DataFrame  #: region, Ii, p_sim, quadrant, cluster, p_threshold, significance, z, lag
    slope: float  #: least-squares slope of the lag on z (= Moran's I with row-standardised weights)


@dataclass
class MethodSections:
    lang: str
    warnings: list[str]
    tables_: dict[str, pd.DataFrame]
    comparison: Any = None  #: ronghe.audit.WeightingComparison or None
    distribution: dict[str, pd.DataFrame] | None = None
    lisa: Lisa | None = None
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's own sheets (the method and audit tables are already among
        ``Result.tables()``)."""
        out: dict[str, pd.DataFrame] = {}
        if self.comparison is not None:
            out["weighting_comparison"] = self.comparison.summary
            out["weighting_ranks"] = self.comparison.ranks
        if self.distribution is not None:
            out.update({f"diagnosis_{k}": v for k, v in self.distribution.items()})
        if self.lisa is not None:
            out["lisa"] = self.lisa.frame.assign(variable=self.lisa.variable, year=self.lisa.year)
        return out


def _lisa(result: Result, c: ReportContent, notes: list[str]) -> Lisa | None:
    t = c.t
    if c.boundaries is None or c.level is None:
        return None
    try:
        from ronghe.spatial.autocorrelation import local_moran
        from ronghe.spatial.weights import spatial_weights
    except ImportError:
        return None
    cur = c.rankings
    codes = sorted(set(cur["region"]) & set(c.boundaries.index.astype(str)))
    if len(codes) < 3:
        return None
    try:
        w = spatial_weights(c.level, codes=codes)
        sub = cur.set_index("region").loc[codes, "index"]
        values = pd.Series(sub.to_numpy(), index=pd.MultiIndex.from_arrays(
            [codes, [c.last] * len(codes)], names=["region", "year"]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            frame = local_moran(values, w, permutations=LISA_PERMUTATIONS, alpha=LISA_ALPHA,
                                correction=LISA_CORRECTION)
    except (RongheError, ImportError) as exc:
        notes.append(t(f"LISA：无法计算（{exc}）。", f"LISA: not computed ({exc})."))
        return None
    y = sub.to_numpy(dtype=float)
    z = (y - y.mean()) / y.std()
    w.transform = "r"
    lag = w.sparse @ z
    slope = float(np.polyfit(z, lag, 1)[0])
    frame = frame.drop(columns=["year"]).assign(z=z, lag=lag)
    return Lisa("index", t(*VARIABLE_LABELS["index"]), c.last, LISA_PERMUTATIONS,
                LISA_CORRECTION, LISA_ALPHA, frame, slope)


def build_methods(result: Result, content: ReportContent, *, compare: bool = True,
                  spatial: bool = True) -> MethodSections:
    """Gather the sections; ``compare=False`` skips the second evaluation behind the weighting
    comparison, ``spatial=False`` the LISA maps."""
    from ronghe.audit import weighting_comparison
    from ronghe.diagnosis import distribution, has_obstacle_tags

    lang = content.lang
    audit = result.audit
    tables = {**result.method_tables(), **audit.tables()}
    notes: list[str] = []
    comparison = weighting_comparison(result, content.last) if compare else None
    dist = (distribution(result, content.last) if has_obstacle_tags(result.framework)
            else None)
    lisa = _lisa(result, content, notes) if spatial else None
    return MethodSections(lang, audit.messages(lang), tables, comparison, dist, lisa, notes)




def _categorical_map(c: ReportContent, style: Style, frame: pd.DataFrame, column: str,
                     colours: dict[str, str], words: dict[str, tuple[str, str]],
                     title: str) -> str:
    """A LISA category map on the national map of :mod:`ronghe.regions.chinamap` (whole territory,
    South China Sea inset, Albers), one class per category with its count in the legend."""
    from ronghe.regions.chinamap import categorical_classes, china_map, svg

    classes = categorical_classes({cat: (style.t(*words[cat]), colour)
                                   for cat, colour in colours.items()})
    values = frame.set_index("region")[column]
    m = china_map(c.boundaries, values, classes=classes)
    titles = {code: f"{row['name']}（{code}）{style.t(*words[row['value']])}"
              for code, row in m.units.iterrows()}
    return (f'<h3 class="map-title">{title}</h3>'
            + svg(m, titles=titles, label=title, no_data=style.t(*TEXT["no_data"]),
                  missing_text=style.t(*TEXT["no_polygon"]), inset_text=style.t(*TEXT["inset"])))


def _lisa_charts(c: ReportContent, style: Style, lisa: Lisa) -> dict[str, str]:
    import plotly.graph_objects as go

    from ronghe.report.html import _div

    f = lisa.frame
    what = (f"{lisa.label}，{lisa.year} 年，{lisa.permutations} 次置换，FDR"
            if style.lang == "zh" else
            f"{lisa.label}, {lisa.year}, {lisa.permutations} permutations, FDR")
    fig = go.Figure()
    for cat, colour in CLUSTER_COLOURS.items():
        part = f[f["cluster"] == cat]
        if not part.empty:
            fig.add_scatter(x=part["z"], y=part["lag"], mode="markers",
                            name=f"{style.t(*CLUSTER_LABELS[cat])} ({len(part)})",
                            marker={"color": colour if cat != "ns" else "#bbbbbb", "size": 4},
                            text=part["region"], hovertemplate="%{text}<extra></extra>")
    x = np.array([f["z"].min(), f["z"].max()])
    fig.add_scatter(x=x, y=lisa.slope * x, mode="lines", line={"color": "#222"},
                    name=style.t(f"回归斜率 = {lisa.slope:.4f}", f"slope = {lisa.slope:.4f}"))
    fig.update_layout(
        title=style.t(f"Moran 散点图：{what}；斜率即 Moran's I = {lisa.slope:.4f}",
                      f"Moran scatterplot: {what}; the slope is Moran's I = {lisa.slope:.4f}"),
        xaxis_title=style.t("标准化值 z", "Standardised value z"),
        yaxis_title=style.t("空间滞后 Wz", "Spatial lag Wz"))
    return {
        "scatter": _div(fig, style, 440),
        "cluster": _categorical_map(c, style, f, "cluster", CLUSTER_COLOURS, CLUSTER_LABELS,
                                    style.t(f"LISA 集聚图：{what}", f"LISA clusters: {what}")),
        "significance": _categorical_map(
            c, style, f, "significance", SIGNIFICANCE_COLOURS, SIGNIFICANCE_LABELS,
            style.t(f"LISA 显著性图：{what}", f"LISA significance: {what}")),
    }


def render_methods(result: Result, c: ReportContent, style: Style) -> str:
    """The sections as one HTML fragment (empty when the content carries none)."""
    m = c.methods
    if m is None:
        return ""
    from ronghe.audit import EFFECTIVE_LIMIT

    tb = m.tables_
    ent = tb["weights_entropy"].set_index("indicator")
    cri = tb["weights_critic"].set_index("indicator")
    cmp_ = tb["weights_compared"].set_index("indicator")
    ideals = tb["topsis_ideals"].set_index("indicator")
    has_cv = "weights_cv" in tb
    rows = pd.DataFrame({
        "indicator": cmp_.index, "name_zh": cmp_["name_zh"].to_numpy(),
        "entropy_e": ent["entropy"].to_numpy(), "utility": ent["utility"].to_numpy(),
        "entropy": ent["weight"].to_numpy(), "sd": cri["sd"].to_numpy(),
        "conflict": cri["conflict"].to_numpy(), "information": cri["information"].to_numpy(),
        "critic": cri["weight"].to_numpy(),
        "combined": cmp_.get("combined", cmp_["capped"]).to_numpy(),
        "weight_in_index": cmp_["weight_in_index"].to_numpy(),
        "ideal": ideals["ideal"].to_numpy(), "anti_ideal": ideals["anti_ideal"].to_numpy(),
    })
    if has_cv:
        cv = tb["weights_cv"].set_index("indicator")
        rows["cv_value"], rows["cv"] = cv["cv"].to_numpy(), cv["weight"].to_numpy()
    rows = rows.sort_values("weight_in_index", ascending=False).head(SHOWN_ROWS)
    top = tb["topsis"]
    top = top[top["year"] == c.last].sort_values("closeness_rank").head(10)
    audit = result.audit
    inds = audit.indicators.sort_values("variance_share", ascending=False).head(SHOWN_ROWS)
    ahp = tb.get("weights_ahp")
    charts = _lisa_charts(c, style, m.lisa) if m.lisa is not None else {}
    movers = None
    if m.comparison is not None:
        r = m.comparison.ranks
        movers = r.reindex(r["shift"].abs().sort_values(ascending=False).index).head(10)
    from ronghe.report.html import TEMPLATES

    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return env.get_template("methods.html.j2").render(
        m=m, t=c.t, lang=c.lang, n=SHOWN_ROWS, year=c.last, cv=has_cv,
        weights=rows.to_dict("records"), topsis=top.to_dict("records"),
        ahp=None if ahp is None else ahp.to_dict("records"),
        ahp_dims=[] if ahp is None else [d.id for d in result.framework.dimensions],
        dim_names=c.dimension_names, flag_label=flag_label,
        ind_names={i.id: name_in(c.lang, i.name_zh, i.name_en)
                   for i in result.framework.indicators},
        audit=audit, eff=max(audit.threshold, EFFECTIVE_LIMIT),
        dims=audit.dimensions.to_dict("records"), inds=inds.to_dict("records"),
        n_pairs=int((audit.pairs["flag"] != "").sum()),
        cmp=None if m.comparison is None else m.comparison.summary.to_dict("records"),
        movers=None if movers is None else movers.to_dict("records"),
        dist=None if m.distribution is None else {k: v.head(SHOWN_ROWS).to_dict("records")
                                                  for k, v in m.distribution.items()},
        lisa=m.lisa, charts=charts,
    )
