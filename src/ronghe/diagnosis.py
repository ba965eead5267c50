"""Diagnosis of a region-year: what blocks integration, which of the seeds' paths answer it, and
which structurally similar regions have already moved on the blocking indicator.

It reads an evaluated :class:`~ronghe.result.Result` (obstacle degrees O_ij = w_j (1 - z_ij) /
Σ_k w_k (1 - z_ik), which sum to 1 per region-year), the knowledge base
(:func:`ronghe.knowledge.load_knowledge`) and the kernels of :mod:`ronghe.methods.typology`.
The framework must tag indicators with the seeds' obstacle categories O1-O4 (paper 000 §四).

Conventions
-----------
- **Blocking indicators**: the ``settings.top_obstacles`` indicators with the largest obstacle
  degree, ties in framework order (as in ``Result.top_obstacles``).
- **Percentile** of an indicator: 100 (r - 1/2) / n, with r the average rank (1 = worst) of the
  region's normalised score z among the n regions of the year, or of its province: 0 is the worst,
  100 the best. This is ``scipy.stats.percentileofscore(kind="mean")``. Normalised scores order
  regions the way the index does, whatever the indicator's direction.
- **Trend**: least-squares slope, per year, of the raw value over the last ``TREND_YEARS`` years up to
  the diagnosed year (at least ``TREND_MIN_POINTS`` values present). Whether that is good follows the
  indicator's direction (``Framework.directions()``): the slope of
  ``improvement(v_first, v_t, direction)`` is > 0 (improving), < 0 (worsening) or 0 (flat, within
  rounding).
- **Obstacle categories** (one convention in every output: CLI, workbook, report, brief, web,
  API; :func:`obstacle_shares`): degree = sum of the obstacle degrees of the indicators tagged
  O1..O4 (``Result.obstacles["category"]``); the **shares of O1-O4 sum to 100 %**:
  share = degree / (O1 + O2 + O3 + O4). Indicators without an obstacle tag are **shown
  separately** as ``untagged``, their part of the total obstacle degree (1 - (O1 + ... + O4)),
  never added to the O1-O4 shares. The seeds' four obstacles are what the typology compares, so
  their shares are the ones to read side by side.
- **Recommended routes** (knowledge-base paths R1-R4 and county mechanisms): the evidence of a route
  is a set of indicators; its score is their summed obstacle degree (each indicator counted once,
  so the score is the share of the region's obstacle mass the route addresses).

  * a *path* is evidenced by every indicator tagged with an obstacle category it answers
    (``Route.obstacles``) and by every blocking indicator that triggers it by tag or id
    (``KnowledgeBase.paths_for_tags``);
  * a *mechanism* (a concrete county instrument) only by blocking indicators that trigger it.

  Routes with a score of 0 are not recommended. Equal scores (to 12 decimals) are ordered by the
  obstacle degree of the blocking indicators that the route names by id (the more specific
  evidence), then by knowledge-base order.
- **Peer exemplars** for the leading blocking indicator j, between the base year b = the earliest
  data year in [year - ``years_back``, year - 1] and the diagnosed year: the structural profile of a
  region is its normalised indicator vector z of year b (all indicators; a column with a missing
  value is left out), compared by ``peer_similarity`` (standardised Euclidean distance). Candidates
  have raw values of j in both years. Among the ``pool`` most similar regions of the same province,
  those that improved (``improvement(v_b, v_year, direction) > 0``) are ranked by improvement; if
  fewer than ``n`` are found, the ``pool`` most similar regions of other provinces fill the list
  the same way. "Regions that stood where this one stood and have since moved."
- **Typology**: ``relative_typology`` on the O1-O4 shares: a region-year's type is the category whose
  share exceeds the mean share of all regions in the same year by the largest factor, if that
  factor is at least 1.1; otherwise it is balanced. A type therefore names the obstacle a region
  suffers *more than the average region*; on raw shares, whichever category carries the most
  weight would dominate everywhere and the typology would say nothing. A region-year whose O1-O4
  degree is 0 is balanced. Index j maps to ``kb.type_for_obstacle(f"O{j+1}")``, -1 to the balanced
  type. Every diagnosis states the rule in words with the factor (``type_factor``: the location
  quotient of the type's category, or the largest one for a balanced region) and names the
  category with the largest absolute share beside it (``largest_category``), so a type that
  differs from the largest category is explained where it appears.
"""

from __future__ import annotations

import difflib
import functools
import math
import weakref
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ronghe.errors import FrameworkError, InputError
from ronghe.knowledge import KnowledgeBase, Route, load_knowledge
from ronghe.methods.typology import (
    BALANCED,
    improvement,
    location_quotients,
    peer_similarity,
    profile_zscores,
    relative_typology,
)
from ronghe.regions import province_names
from ronghe.words import check_lang

if TYPE_CHECKING:
    from ronghe.frameworks import Framework
    from ronghe.result import Result

OBSTACLES = ("O1", "O2", "O3", "O4")
TYPE_THRESHOLD = 1.1
"""A category types a region when its share is at least this many times the year's mean share
(``relative_typology``'s default)."""
TREND_YEARS = 5
"""Window of the trend: the diagnosed year and the four before it."""
TREND_MIN_POINTS = 3
"""A trend needs at least this many years with a value in the window."""
YEARS_BACK = 3
"""Default distance in years between the base year and the diagnosed year of peer exemplars."""
N_PEERS = 3
PEER_POOL = 10
NONE = "-"
"""Text cell of the tables where there is nothing to name (no path with a positive score)."""
SHOWN_ROUTES = 3
"""Paths and mechanisms printed by :meth:`Diagnosis.to_text` (all are in :meth:`Diagnosis.to_dict`)."""

COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "obstacle": ("主导障碍类别（O1–O4）", "Dominant obstacle category (O1-O4)"),
    "obstacle_share": (
        "主导障碍类别占 O1–O4 障碍度的比例",
        "Share of the dominant category in the O1-O4 obstacle degree",
    ),
    "obstacle_type": ("障碍类型代码", "Obstacle-profile type id"),
    "type_factor": (
        "类型依据：该类别占比是当年地区平均占比的倍数（均衡型为最大倍数）",
        "Basis of the type: the category's share over the year's mean share (balanced: the "
        "largest such factor)",
    ),
    "share_O1": ("O1 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O1 share of the O1-O4 obstacle degree (sum 100 %)"),
    "share_O2": ("O2 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O2 share of the O1-O4 obstacle degree (sum 100 %)"),
    "share_O3": ("O3 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O3 share of the O1-O4 obstacle degree (sum 100 %)"),
    "share_O4": ("O4 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O4 share of the O1-O4 obstacle degree (sum 100 %)"),
    "untagged": (
        "未标注障碍类别的指标另占总障碍度的比例（不计入 O1–O4 的 100%）",
        "Part of the total obstacle degree from untagged indicators (apart from the O1-O4 100 %)",
    ),
    "obstacle_type_zh": ("障碍类型（中文）", "Obstacle-profile type (zh)"),
    "obstacle_type_en": ("障碍类型（英文）", "Obstacle-profile type (en)"),
    "path": ("首要推荐路径（R1–R4）", "First recommended path (R1-R4)"),
    "path_zh": ("首要推荐路径名称", "Name of the first recommended path (zh)"),
    "path_score": (
        "首要路径所针对的障碍度之和",
        "Obstacle degree addressed by the first path",
    ),
    "regions": ("地区数", "Number of regions"),
    "share": ("占当年地区的比例", "Share of the year's regions"),
    "dominant_path": (
        "该类型的主导路径（知识库；均衡型为四条路径统筹）",
        "Dominant path of the type (knowledge base; balanced: all four paths together)",
    ),
    "leading_path": (
        "该类型地区最常见的首要推荐路径",
        "Most frequent first recommended path among the type's regions",
    ),
    "leading_path_share": (
        "最常见首要路径在该类型中所占比例",
        "Share of the type's regions whose first path is the leading path",
    ),
}
"""Bilingual explanations of the columns of :func:`diagnoses` and :func:`typology_summary`."""


# ------------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Trend:
    """Least-squares trend of an indicator's raw value over ``first_year``..``last_year``."""

    first_year: int
    last_year: int
    points: int
    slope: float
    status: Literal["improving", "worsening", "flat"]


@dataclass(frozen=True)
class Blocker:
    """A blocking indicator of the region-year. ``value`` is the raw value (None when the data
    lack it and the index used an imputed one); percentiles: 0 worst, 100 best."""

    indicator: str
    name_zh: str
    name_en: str
    unit: str
    dimension: str
    category: str | None
    degree: float
    value: float | None
    percentile: float
    province_percentile: float
    trend: Trend | None


@dataclass(frozen=True)
class Share:
    """An obstacle category or dimension with its obstacle degree and its share."""

    id: str
    name_zh: str
    name_en: str
    degree: float
    share: float


@dataclass(frozen=True)
class Evidence:
    """A blocking indicator that triggered a route, with the tags (or ``"id"``) that matched."""

    indicator: str
    degree: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    """A recommended path or mechanism; ``score`` is the obstacle degree of its evidence."""

    route: str
    kind: Literal["path", "mechanism"]
    name_zh: str
    name_en: str
    score: float
    categories: tuple[tuple[str, float], ...]
    indicators: tuple[Evidence, ...]


@dataclass(frozen=True)
class Peer:
    """A peer exemplar: a similar region and its values of the blocking indicator."""

    region: str
    name_zh: str
    province: str
    scope: Literal["province", "national"]
    distance: float
    before: float
    after: float
    improvement: float


@dataclass
class Diagnosis:
    """The diagnosis of one region-year (see the module docstring for every convention)."""

    region: str
    name_zh: str
    province: str
    province_zh: str
    year: int
    framework: str
    source: str
    synthetic: bool
    index: float
    rank: int
    n_regions: int
    blockers: list[Blocker]
    categories: list[Share]
    untagged: float
    dimensions: list[Share]
    type: str
    type_zh: str
    type_en: str
    paths: list[Recommendation]
    mechanisms: list[Recommendation]
    peer_indicator: str | None
    peer_years: tuple[int, int] | None
    peers: list[Peer]
    lang: str = "zh"
    type_category: str | None = None  #: the category the type names (None: balanced)
    type_factor: float = float("nan")  #: its share over the year's mean share (balanced: largest)
    largest_category: str | None = None  #: the category with the largest absolute share
    type_reason_zh: str = ""
    type_reason_en: str = ""
    warnings_zh: list[str] = field(default_factory=list)  #: dominance warnings of the audit
    warnings_en: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (missing numbers become None)."""
        return _jsonable(self)

    def to_text(self, lang: str | None = None) -> str:
        """A one-screen summary in Chinese (``"zh"``) or English (``"en"``)."""
        return _render(self, check_lang(lang or self.lang))


def _jsonable(obj: Any) -> Any:
    """``dataclasses.asdict`` with non-finite floats as None, without asdict's deep copies (which
    took half the time of a diagnosis)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


# ------------------------------------------------------------------------------------- setup
def has_obstacle_tags(framework: Framework) -> bool:
    """True when at least one indicator of ``framework`` has an obstacle tag (O1-O4)."""
    return any(framework.tags("obstacle"))


def check_obstacle_tags(framework: Framework) -> None:
    """Raise FrameworkError unless the framework tags some indicator with O1-O4."""
    if not has_obstacle_tags(framework):
        raise FrameworkError(
            f"framework {framework.id!r} tags no indicator with an obstacle category (O1-O4): "
            "diagnosis needs obstacle tags (tags: {obstacle: [O3]} on the indicators)"
        )


@dataclass(frozen=True)
class _Setup:
    """What every diagnosis of one Result needs, computed once per call."""

    kb: KnowledgeBase
    routes: tuple[Route, ...]
    is_path: np.ndarray  # (R,) bool
    answers: np.ndarray  # (p, R) indicator's category is answered by the path
    triggers: np.ndarray  # (p, R) indicator triggers the route by tag or id
    by_id: np.ndarray  # (p, R) the route names the indicator among its triggers
    matched: tuple[dict[int, tuple[str, ...]], ...]  # per indicator: route -> matched tags / "id"
    categories: list[str | None]
    cat_degree: np.ndarray  # (n, 4) obstacle degree of O1..O4
    type_code: np.ndarray  # (n,) typology index (0..3 for O1..O4, BALANCED)
    lq: np.ndarray  # (n, 4) share of O1..O4 over the year's mean share (0 where no O1-O4 degree)
    year_mean: np.ndarray  # (n, 4) the year's mean O1..O4 shares
    top: np.ndarray  # (n, K) blocking indicators, by decreasing degree


@dataclass(frozen=True)
class _Lookup:
    """Row look-ups and percentiles of one Result, computed once (they need no obstacle tags)."""

    province: np.ndarray  # (n,) province code of each row
    name_zh: np.ndarray  # (n,) Chinese name of each row's region
    years: tuple[int, ...]  # the data years, ascending
    rows_of: dict[str, np.ndarray]  # region code -> its rows, ascending
    row_at: np.ndarray  # (regions, years) row of a region-year, -1 when missing
    region_pos: np.ndarray  # (n,) each row's region position in row_at
    pct: np.ndarray  # (n, p) percentile of Z among the rows of the year
    pct_province: np.ndarray  # (n, p) percentile of Z among the year's rows of the province
    dimension_degree: dict[str, np.ndarray]  # dimension id -> (n,) its obstacle degree
    rank: np.ndarray  # (n,) rank of the index in the year
    profiles: dict[int, np.ndarray] = field(default_factory=dict)  # year -> peer_profiles()


def peer_profiles(result: Result, year: int) -> np.ndarray:
    """The z-scored structural profiles of ``year``'s rows that peers are compared on: the
    normalised indicators that are finite for every row of the year (:func:`profile_zscores`),
    computed once per Result and year."""
    lk = _lookup(result)
    if year not in lk.profiles:
        F = result.state.Z[result.state.years == year]
        lk.profiles[year] = profile_zscores(F[:, np.isfinite(F).all(axis=0)])
    return lk.profiles[year]


_SETUPS: weakref.WeakKeyDictionary[Result, _Setup] = weakref.WeakKeyDictionary()
_LOOKUPS: weakref.WeakKeyDictionary[Result, _Lookup] = weakref.WeakKeyDictionary()


def _setup(result: Result) -> _Setup:
    """The per-result tables every diagnosis reads, computed once per Result (a Result is never
    changed after evaluation)."""
    if result not in _SETUPS:
        _SETUPS[result] = _build_setup(result)
    return _SETUPS[result]


def prepare(result: Result) -> None:
    """Build the per-result tables of :func:`diagnose` now rather than on the first diagnosis
    (a server does this once per data version; about a second for 2,844 counties × 5 years)."""
    _setup(result)
    for year in _lookup(result).years:
        peer_profiles(result, year)


def _lookup(result: Result) -> _Lookup:
    """The per-result row look-ups and percentiles, computed once per Result."""
    if result not in _LOOKUPS:
        _LOOKUPS[result] = _build_lookup(result)
    return _LOOKUPS[result]


def _build_setup(result: Result) -> _Setup:
    s, fw = result.state, result.framework
    check_obstacle_tags(fw)
    kb = load_knowledge()
    routes = kb.routes
    route_pos = {r.id: k for k, r in enumerate(routes)}
    cats = fw.tags("obstacle")
    p, R = len(s.indicator_ids), len(routes)
    is_path = np.array([r.kind == "path" for r in routes])
    answers = np.zeros((p, R), dtype=bool)
    triggers = np.zeros((p, R), dtype=bool)
    by_id = np.zeros((p, R), dtype=bool)
    matched: list[dict[int, tuple[str, ...]]] = []
    for j, ind in enumerate(fw.indicators):
        answers[j] = is_path & np.array([cats[j] in r.obstacles for r in routes])
        tags = {kind: getattr(ind.tags, kind) for kind in ("pillar", "mechanism", "value",
                                                            "obstacle", "subsystem")}
        hits = {}
        for m in kb.paths_for_tags(tags, [ind.id]):
            k = route_pos[m.route.id]
            triggers[j, k] = True
            by_id[j, k] = bool(m.indicators)
            hits[k] = m.tags + (("id",) if m.indicators else ())
        matched.append(hits)
    cat_degree = (
        result.obstacles["category"].reindex(columns=list(OBSTACLES), fill_value=0.0).to_numpy()
    )
    k = min(result.settings.top_obstacles, p)
    top = np.argsort(-s.O, axis=1, kind="stable")[:, :k]
    type_code = _type_codes(cat_degree, s.years)
    lq, year_mean = _quotients(cat_degree, s.years)
    return _Setup(kb, routes, is_path, answers, triggers, by_id, tuple(matched), cats, cat_degree,
                  type_code, lq, year_mean, top)


def _build_lookup(result: Result) -> _Lookup:
    s = result.state
    meta = s.panel.regions.reindex(s.regions)
    province = meta["province"].to_numpy(dtype=object)
    region_pos, codes = pd.factorize(s.regions)
    years = np.unique(s.years)
    row_at = np.full((codes.size, years.size), -1, dtype=np.int64)
    row_at[region_pos, np.searchsorted(years, s.years)] = np.arange(s.years.size)
    pct = np.empty(s.Z.shape)
    pct_province = np.empty(s.Z.shape)
    for _, rows in pd.Series(s.years).groupby(s.years).indices.items():
        pct[rows] = _percentiles(s.Z[rows])
    for _, rows in pd.Series(s.years).groupby([s.years, province]).indices.items():
        pct_province[rows] = _percentiles(s.Z[rows])
    dims = result.obstacles["dimension"]
    return _Lookup(province, meta["name_zh"].to_numpy(dtype=object), tuple(int(y) for y in years),
                   _rows_by_code(region_pos, codes), row_at, region_pos, pct, pct_province,
                   {str(d): dims[d].to_numpy(dtype=float) for d in dims.columns},
                   result.index["rank"].to_numpy())


def _rows_by_code(region_pos: np.ndarray, codes: pd.Index) -> dict[str, np.ndarray]:
    order = np.argsort(region_pos, kind="stable")
    bounds = np.searchsorted(region_pos[order], np.arange(codes.size + 1))
    return {str(c): order[bounds[k]:bounds[k + 1]] for k, c in enumerate(codes)}


def _route_scores(st: _Setup, O: np.ndarray, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, R) scores, O @ answers + (O restricted to the blocking indicators) @ (other triggers),
    rounded to 12 decimals, and the tie-break: blocking obstacle degree named by id."""
    blocking = _blocking(O, top)
    extra = st.triggers & ~st.answers
    score = O @ st.answers.astype(float) + blocking @ extra.astype(float)
    return np.round(score, 12), blocking @ st.by_id.astype(float)


def _blocking(O: np.ndarray, top: np.ndarray) -> np.ndarray:
    """O with every entry outside each row's blocking indicators set to 0."""
    mask = np.zeros(O.shape, dtype=bool)
    np.put_along_axis(mask, top, True, axis=1)
    return np.where(mask, O, 0.0)


def _best(score: np.ndarray, specific: np.ndarray) -> np.ndarray:
    """Column of the best route per row: highest score, then most specific, then first."""
    tied = score == score.max(axis=1, keepdims=True)
    return np.argmax(np.where(tied, specific, -1.0), axis=1)


def _type_codes(cat_degree: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Typology index per row (0..3 for O1..O4, BALANCED = -1): ``relative_typology`` of the O1-O4
    shares against the same year's mean shares (see the module docstring)."""
    total = cat_degree.sum(axis=1)
    codes = np.full(cat_degree.shape[0], BALANCED, dtype=int)
    pos = total > 0
    if pos.any():
        codes[pos] = relative_typology(cat_degree[pos] / total[pos, None], years[pos],
                                       threshold=TYPE_THRESHOLD)
    return codes


def _quotients(cat_degree: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Location quotients of the O1-O4 shares against the year's mean shares (rows with O1-O4
    degree only, as the typology), and those means; zeros for rows without O1-O4 degree."""
    total = cat_degree.sum(axis=1)
    lq = np.zeros_like(cat_degree)
    mean = np.zeros_like(cat_degree)
    pos = total > 0
    if pos.any():
        lq[pos], mean[pos] = location_quotients(cat_degree[pos] / total[pos, None], years[pos])
    return lq, mean


def obstacle_shares(result: Result, year: int | None = None) -> pd.DataFrame:
    """The obstacle-category shares every output prints (see the module docstring): per
    region-year ``share_O1``..``share_O4`` (summing to 1 when the region has any O1-O4 obstacle
    degree, else all 0) and ``untagged``, the part of the total obstacle degree that comes from
    indicators without an obstacle tag, shown separately."""
    cat = result.obstacles["category"]
    deg = cat.reindex(columns=list(OBSTACLES), fill_value=0.0).to_numpy()
    total = deg.sum(axis=1, keepdims=True)
    shares = np.divide(deg, total, out=np.zeros_like(deg), where=total > 0)
    untagged = np.clip(1.0 - total[:, 0], 0.0, None)
    out = pd.DataFrame({"region": cat.index.get_level_values("region").astype(str),
                        "year": cat.index.get_level_values("year").astype(int)})
    for c, col in zip(OBSTACLES, shares.T, strict=True):
        out[f"share_{c}"] = col
    out["untagged"] = untagged
    if year is not None:
        out = out[out["year"] == int(year)].reset_index(drop=True)
    return out


def type_reason(category: str | None, factor: float, share: float, mean: float,
                largest: str | None, largest_share: float, largest_factor: float, year: int,
                lang: str) -> str:
    """The typology rule in words for one region-year (see the module docstring)."""
    zh = lang == "zh"
    if largest is None:
        return ("该地区当年没有 O1–O4 障碍度，记为均衡型。" if zh else
                "The region has no O1-O4 obstacle degree this year, so it is typed balanced.")
    if category is None:
        text = (f"相对规则：没有哪一类障碍的占比达到 {year} 年各地区平均占比的 {TYPE_THRESHOLD} 倍"
                f"（最高为 {factor:.2f} 倍），故为均衡型" if zh else
                f"Relative rule: no category's share reaches {TYPE_THRESHOLD} times the mean share "
                f"of the regions in {year} (the highest factor is {factor:.2f}), so the type is "
                "balanced")
    else:
        text = (f"相对规则：{category} 占 O1–O4 障碍度的 {share:.1%}，是 {year} 年各地区平均占比"
                f"（{mean:.1%}）的 {factor:.2f} 倍，在四类中相对最突出（阈值 {TYPE_THRESHOLD} 倍）"
                if zh else
                f"Relative rule: {category} is {share:.1%} of the O1-O4 obstacle degree, "
                f"{factor:.2f} times the mean share of the regions in {year} ({mean:.1%}), more "
                f"than the average county by the largest factor of the four (threshold "
                f"{TYPE_THRESHOLD})")
    if largest == category:
        return text + ("；它也是绝对占比最大的类别。" if zh else
                       "; it is also the largest category in absolute terms.")
    return text + (
        f"。按绝对占比最大的是 {largest}（{largest_share:.1%}，为当年平均的 {largest_factor:.2f} 倍）："
        "该类在多数地区都占比较高，不能区分地区，因此类型按相对规则判定。" if zh else
        f". The largest category in absolute terms is {largest} ({largest_share:.1%}, "
        f"{largest_factor:.2f} times the year's mean): it is large almost everywhere and does not "
        "tell regions apart, so the type follows the relative rule.")


def _type_paths(kb: KnowledgeBase) -> dict[str, str]:
    """Dominant path per type id; the balanced type, which has none, lists its supporting paths
    joined by "+" (R1+R2+R3+R4: all four together)."""
    return {t.id: t.dominant_path or "+".join(t.supporting) for t in kb.types}


def _type_ids(kb: KnowledgeBase) -> list[str]:
    """Type id by typology index: position j for O{j+1}, the last one (index -1) balanced."""
    return [kb.type_for_obstacle(o).id for o in OBSTACLES] + [kb.type_for_obstacle(None).id]


# --------------------------------------------------------------------------------- locating
def _span(years: list[int]) -> str:
    contiguous = years == list(range(years[0], years[-1] + 1))
    return f"{years[0]}-{years[-1]}" if contiguous and len(years) > 1 else ", ".join(map(str, years))


def resolve_region(result: Result, region: str) -> str:
    """The region code for ``region`` (a code in the data, or a unique Chinese name)."""
    s = result.state
    code = str(region).strip()
    rows_of = _lookup(result).rows_of
    if code in rows_of:
        return code
    codes = np.asarray(list(rows_of), dtype=object)
    meta = s.panel.regions
    named = meta.index[(meta["name_zh"] == code) & meta.index.isin(codes)].tolist()
    if len(named) == 1:
        return str(named[0])
    if len(named) > 1:
        raise InputError(
            f"region name {code!r} is ambiguous: use one of the codes {', '.join(named)}"
        )
    hint = ""
    if code.isdigit():
        for k in range(len(code), 1, -1):
            close = sorted(str(c) for c in codes if str(c).startswith(code[:k]))[:3]
            if close:
                hint = f"; similar codes: {', '.join(close)}"
                break
    else:
        names = meta["name_zh"][meta.index.isin(codes)]
        close = difflib.get_close_matches(code, names.tolist(), n=3, cutoff=0.5)
        if close:
            hint = "; similar names: " + ", ".join(
                f"{n} ({names.index[names == n][0]})" for n in close)
    raise InputError(f"region {code!r} is not in the data ({len(codes)} regions){hint}")


def locate(result: Result, region: str, year: int | None = None) -> tuple[str, int, int]:
    """``(code, year, row)`` of a region-year of the result; ``year=None`` is the region's latest.

    Raises InputError naming the region's available years and the nearest one."""
    s = result.state
    code = resolve_region(result, region)
    rows = _lookup(result).rows_of[code]
    years = sorted(int(y) for y in s.years[rows])
    if year is None:
        year = years[-1]
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InputError(f"year must be a whole number, got {year!r}") from None
    if year not in years:
        nearest = min(years, key=lambda y: (abs(y - year), -y))
        raise InputError(
            f"year {year} is not in the data for region {code} (years {_span(years)}; "
            f"nearest {nearest})"
        )
    return code, year, int(rows[np.flatnonzero(s.years[rows] == year)[0]])


@functools.cache
def _province_zh() -> dict[str, str]:
    """:func:`ronghe.regions.province_names`, read once (not to be changed by callers)."""
    return province_names()


# ----------------------------------------------------------------------------- the pieces
def percentile(z: np.ndarray, i: int) -> float:
    """Percentile of ``z[i]`` in ``z``: 100 (average rank - 1/2) / n (0 worst, 100 best)."""
    return float(_percentiles(z)[i])


def _percentiles(z: np.ndarray) -> np.ndarray:
    """:func:`percentile` of every entry of ``z`` within its column (NaN in a column: all NaN)."""
    return 100.0 * (rankdata(z, axis=0) - 0.5) / z.shape[0]


def trend(years: np.ndarray, values: np.ndarray, direction: str | float) -> Trend | None:
    """Least-squares trend of ``values`` over ``years`` (missing values skipped); None with fewer
    than TREND_MIN_POINTS values. ``status`` follows ``direction`` (see the module docstring)."""
    ok = np.isfinite(values)
    if ok.sum() < TREND_MIN_POINTS:
        return None
    t, v = years[ok].astype(float), values[ok].astype(float)
    tc = t - t.mean()

    def slope(y: np.ndarray) -> float:
        return float(tc @ (y - y.mean()) / (tc @ tc))

    good = slope(improvement(v[0], v, direction))
    scale = max(float(np.abs(v).max()), 1.0)
    if abs(good) * (t[-1] - t[0]) <= 1e-9 * scale:
        status: Literal["improving", "worsening", "flat"] = "flat"
    else:
        status = "improving" if good > 0 else "worsening"
    return Trend(int(t[0]), int(t[-1]), int(ok.sum()), slope(v), status)


def peer_exemplars(
    result: Result,
    region: str,
    year: int,
    indicator: str,
    *,
    n: int = N_PEERS,
    pool: int = PEER_POOL,
    years_back: int = YEARS_BACK,
) -> tuple[tuple[int, int] | None, list[Peer]]:
    """Peer exemplars of ``region`` on ``indicator`` (see the module docstring).

    Returns ``((base_year, year), peers)``; ``(None, [])`` when no data year lies in
    [year - years_back, year - 1] or the region has no row in the base year."""
    if n < 1 or pool < 1 or years_back < 1:
        raise InputError("peer search needs n, pool and years_back of at least 1")
    s = result.state
    lk = _lookup(result)
    _code, year, row = locate(result, region, year)
    ids = s.indicator_ids
    if indicator not in ids:
        raise InputError(f"framework {result.framework.id!r} has no such indicator",
                         indicator=indicator)
    j = ids.index(indicator)
    earlier = [y for y in lk.years if year - years_back <= y < year]
    if not earlier:
        return None, []
    base = earlier[0]
    b_rows = np.flatnonzero(s.years == base)
    b_regions = s.regions[b_rows]
    i = lk.row_at[lk.region_pos[row], lk.years.index(base)]
    if i < 0:
        return None, []
    i = int(np.searchsorted(b_rows, i))
    now_rows = lk.row_at[lk.region_pos[b_rows], lk.years.index(year)]
    before = s.raw[b_rows, j]
    after = np.where(now_rows >= 0, s.raw[now_rows, j], np.nan)
    cand = np.flatnonzero(np.isfinite(before) & np.isfinite(after))
    if cand[cand != i].size == 0 or b_rows.size < 2:
        return (base, year), []
    profiles = peer_profiles(result, base)
    if profiles.shape[1] == 0:
        return (base, year), []
    order, dist = peer_similarity(profiles, i, cand, standardized=True)
    gain = improvement(before[order], after[order], result.framework.directions()[j])
    prov = lk.province[b_rows[order]]
    names = lk.name_zh[b_rows[order]]
    home = prov == lk.province[row]
    peers: list[Peer] = []
    for scope, inside in (("province", home), ("national", ~home)):
        near = np.flatnonzero(inside)[:pool]
        near = near[gain[near] > 0]
        for k in near[np.argsort(-gain[near], kind="stable")][: n - len(peers)]:
            peers.append(Peer(str(b_regions[order[k]]), str(names[k]), str(prov[k]), scope,
                              float(dist[k]), float(before[order[k]]), float(after[order[k]]),
                              float(gain[k])))
        if len(peers) >= n:
            break
    return (base, year), peers



# ------------------------------------------------------------------------------ diagnosis
def _recommendations(st: _Setup, row: int, O_row: np.ndarray, ids: list[str]
                     ) -> tuple[list[Recommendation], list[Recommendation]]:
    score, specific = (a[0] for a in _route_scores(st, O_row[None, :], st.top[row : row + 1]))
    paths: list[Recommendation] = []
    mechanisms: list[Recommendation] = []
    for r in np.lexsort((np.arange(score.size), -specific, -score)):
        if score[r] <= 0:
            break
        route = st.routes[r]
        cats = tuple(
            (c, float(st.cat_degree[row, OBSTACLES.index(c)]))
            for c in route.obstacles
            if st.is_path[r] and c in OBSTACLES and st.cat_degree[row, OBSTACLES.index(c)] > 0
        )
        evidence = tuple(
            Evidence(ids[j], float(O_row[j]), st.matched[j][r])
            for j in st.top[row]
            if st.triggers[j, r]
        )
        rec = Recommendation(route.id, route.kind, route.name_zh, route.name_en, float(score[r]),
                             cats, evidence)
        (paths if route.kind == "path" else mechanisms).append(rec)
    return paths, mechanisms


def diagnose(
    result: Result,
    region: str,
    year: int | None = None,
    lang: str = "zh",
    *,
    n_peers: int = N_PEERS,
    pool: int = PEER_POOL,
    years_back: int = YEARS_BACK,
) -> Diagnosis:
    """Diagnose one region-year of ``result`` (``year=None``: the region's latest year).

    ``region`` is a region code or a unique Chinese name. ``lang`` is the default language of
    :meth:`Diagnosis.to_text`. Peers are searched for the leading blocking indicator with
    :func:`peer_exemplars` (``n_peers``, ``pool``, ``years_back``)."""
    check_lang(lang)
    s, fw = result.state, result.framework
    st = _setup(result)
    lk = _lookup(result)
    code, year, row = locate(result, region, year)
    ids = s.indicator_ids
    inds = fw.indicators
    dim_of = fw.dimension_of
    directions = fw.directions()
    prov = str(lk.province[row])
    own = lk.rows_of[code]
    window = own[(s.years[own] <= year) & (s.years[own] > year - TREND_YEARS)]

    blockers = []
    for j in st.top[row]:
        raw = float(s.raw[row, j])
        blockers.append(Blocker(
            indicator=ids[j], name_zh=inds[j].name_zh, name_en=inds[j].name_en,
            unit=inds[j].unit, dimension=dim_of[ids[j]], category=st.categories[j],
            degree=float(s.O[row, j]), value=raw if math.isfinite(raw) else None,
            percentile=float(lk.pct[row, j]),
            province_percentile=float(lk.pct_province[row, j]),
            trend=trend(s.years[window], s.raw[window, j], directions[j]),
        ))

    kb = st.kb
    deg = st.cat_degree[row]
    total = float(deg.sum())
    categories = sorted(
        (Share(c, kb.name(c, "zh"), kb.name(c, "en"), float(d), float(d) / total if total else 0.0)
         for c, d in zip(OBSTACLES, deg, strict=True)),
        key=lambda x: -x.degree,
    )
    dim_deg = {d: float(v[row]) for d, v in lk.dimension_degree.items()}
    dimensions = sorted(
        (Share(d.id, d.name_zh, d.name_en, float(dim_deg[d.id]), float(dim_deg[d.id]))
         for d in fw.dimensions),
        key=lambda x: -x.degree,
    )
    code_type = int(st.type_code[row])
    typ = kb.type(_type_ids(kb)[code_type])
    lq, mean = st.lq[row], st.year_mean[row]
    big = int(np.argmax(deg)) if total > 0 else None
    pick = code_type if code_type != BALANCED else int(np.argmax(lq))
    reason = {
        lang_: type_reason(
            OBSTACLES[code_type] if code_type != BALANCED else None, float(lq[pick]),
            float(deg[pick] / total) if total else 0.0, float(mean[pick]),
            OBSTACLES[big] if big is not None else None,
            float(deg[big] / total) if big is not None else 0.0,
            float(lq[big]) if big is not None else 0.0, year, lang_)
        for lang_ in ("zh", "en")
    }
    audit = result.audit
    paths, mechanisms = _recommendations(st, row, s.O[row], ids)
    lead = blockers[0].indicator
    peer_years, peers = peer_exemplars(result, code, year, lead, n=n_peers, pool=pool,
                                       years_back=years_back)
    return Diagnosis(
        region=code,
        name_zh=str(lk.name_zh[row]) if isinstance(lk.name_zh[row], str) else code,
        province=prov,
        province_zh=_province_zh().get(prov, ""),
        year=year,
        framework=fw.id,
        source=s.panel.source,
        synthetic=bool(s.panel.synthetic),
        index=float(s.composite[row]),
        rank=int(lk.rank[row]),
        n_regions=int((lk.row_at[:, lk.years.index(year)] >= 0).sum()),
        blockers=blockers,
        categories=categories,
        untagged=max(0.0, 1.0 - total),
        dimensions=dimensions,
        type=typ.id,
        type_zh=typ.name_zh,
        type_en=typ.name_en,
        paths=paths,
        mechanisms=mechanisms,
        peer_indicator=lead if peer_years else None,
        peer_years=peer_years,
        peers=peers,
        lang=lang,
        type_category=OBSTACLES[code_type] if code_type != BALANCED else None,
        type_factor=float(lq[pick]) if total > 0 else float("nan"),
        largest_category=OBSTACLES[big] if big is not None else None,
        type_reason_zh=reason["zh"],
        type_reason_en=reason["en"],
        warnings_zh=audit.messages("zh"),
        warnings_en=audit.messages("en"),
    )


# --------------------------------------------------------------------------------- tables
def _keys(result: Result, rows: np.ndarray) -> pd.DataFrame:
    s, lk = result.state, _lookup(result)
    return pd.DataFrame({
        "region": s.regions[rows],
        "name_zh": lk.name_zh[rows],
        "province": lk.province[rows],
        "year": s.years[rows].astype(int),
    })


def _rows(result: Result, year: int | None) -> np.ndarray:
    s = result.state
    if year is None:
        return np.arange(s.years.size)
    rows = np.flatnonzero(s.years == int(year))
    if rows.size == 0:
        years = sorted({int(y) for y in s.years})
        nearest = min(years, key=lambda y: (abs(y - int(year)), -y))
        raise InputError(f"year {year} is not in the data (years {_span(years)}; nearest {nearest})")
    return rows


def diagnoses(result: Result, year: int | None = None) -> pd.DataFrame:
    """The diagnosis of every region-year (or of one year), vectorised: the three leading blocking
    indicators, the dominant obstacle category and its share of O1-O4, the type and the first
    recommended path with its score (columns explained in COLUMN_LABELS)."""
    s = result.state
    st = _setup(result)
    rows = _rows(result, year)
    ids = np.asarray(s.indicator_ids, dtype=object)
    top = st.top[rows]
    O = s.O[rows]
    df = _keys(result, rows)
    df["top1"] = ids[top[:, 0]]
    df["top1_degree"] = np.take_along_axis(O, top[:, :1], axis=1)[:, 0]
    for r in (1, 2):
        df[f"top{r + 1}"] = ids[top[:, r]] if top.shape[1] > r else NONE
    deg = st.cat_degree[rows]
    total = deg.sum(axis=1)
    lead = np.argmax(deg, axis=1)
    df["obstacle"] = np.where(total > 0, np.asarray(OBSTACLES, dtype=object)[lead], NONE)
    df["obstacle_share"] = np.divide(deg[np.arange(rows.size), lead], total,
                                     out=np.zeros(rows.size), where=total > 0)
    kb = st.kb
    types = np.asarray(_type_ids(kb), dtype=object)[st.type_code[rows]]
    df["obstacle_type"] = types
    df["obstacle_type_zh"] = pd.Series(types).map({t.id: t.name_zh for t in kb.types}).to_numpy()
    df["type_factor"] = _type_factors(st, rows)
    shares = obstacle_shares(result).iloc[rows]
    for col in [f"share_{c}" for c in OBSTACLES] + ["untagged"]:
        df[col] = shares[col].to_numpy()
    path_cols = np.flatnonzero(st.is_path)
    score, specific = (a[:, path_cols] for a in _route_scores(st, O, top))
    best = _best(score, specific)
    first = np.asarray([st.routes[k].id for k in path_cols], dtype=object)[best]
    best_score = score[np.arange(rows.size), best]
    df["path"] = np.where(best_score > 0, first, NONE)
    names = {NONE: NONE} | {r.id: r.name_zh for r in kb.paths}
    df["path_zh"] = pd.Series(df["path"]).map(names).to_numpy()
    df["path_score"] = best_score
    return df


def _type_factors(st: _Setup, rows: np.ndarray) -> np.ndarray:
    """The location quotient behind each row's type: of the type's category, or the largest one
    for a balanced row (NaN for a row without O1-O4 obstacle degree)."""
    code = st.type_code[rows]
    lq = st.lq[rows]
    pick = np.where(code == BALANCED, np.argmax(lq, axis=1), code)
    out = lq[np.arange(rows.size), pick]
    return np.where(st.cat_degree[rows].sum(axis=1) > 0, out, np.nan)


def distribution(result: Result, year: int | None = None) -> dict[str, pd.DataFrame]:
    """How the diagnosis spreads over the regions of ``year`` (default: the latest):
    ``first_obstacles`` (indicator, name_zh, category, regions, share: how many regions have it as
    their first blocking indicator), ``largest_categories`` (the category with the largest
    absolute O1-O4 share) and ``types`` (the obstacle-profile types). Shares sum to 1."""
    s = result.state
    year = int(s.years.max()) if year is None else int(year)
    table = diagnoses(result, year)
    fw = result.framework
    names = {i.id: i.name_zh for i in fw.indicators}
    cats = dict(zip(s.indicator_ids, [c or "-" for c in fw.tags("obstacle")], strict=True))
    n = len(table)

    def counts(col: str) -> pd.DataFrame:
        out = table[col].value_counts().rename_axis(col).rename("regions").reset_index()
        out["share"] = out["regions"] / n
        return out

    first = counts("top1").rename(columns={"top1": "indicator"})
    first.insert(1, "name_zh", first["indicator"].map(names))
    first.insert(2, "category", first["indicator"].map(cats))
    largest = counts("obstacle").rename(columns={"obstacle": "category"})
    types = counts("obstacle_type")
    kb = _setup(result).kb
    types.insert(1, "obstacle_type_zh", types["obstacle_type"].map(
        {t.id: t.name_zh for t in kb.types}))
    types.insert(2, "obstacle_type_en", types["obstacle_type"].map(
        {t.id: t.name_en for t in kb.types}))
    return {"first_obstacles": first.assign(year=year), "largest_categories": largest.assign(
        year=year), "types": types.assign(year=year)}


def typology(result: Result, year: int | None = None) -> pd.DataFrame:
    """Obstacle-profile type of every region in ``year`` (all years when None): the O1-O4 shares
    ``share_O1``..``share_O4``, the type (``obstacle_type``, ``_zh``, ``_en``; not ``type``, which
    the coupling table uses for the relative development type) and its dominant path."""
    st = _setup(result)
    rows = _rows(result, year)
    deg = st.cat_degree[rows]
    total = deg.sum(axis=1, keepdims=True)
    shares = np.divide(deg, total, out=np.zeros_like(deg), where=total > 0)
    df = _keys(result, rows)
    for c, col in zip(OBSTACLES, shares.T, strict=True):
        df[f"share_{c}"] = col
    kb = st.kb
    types = pd.Series(np.asarray(_type_ids(kb), dtype=object)[st.type_code[rows]])
    df["obstacle_type"] = types.to_numpy()
    df["obstacle_type_zh"] = types.map({t.id: t.name_zh for t in kb.types}).to_numpy()
    df["obstacle_type_en"] = types.map({t.id: t.name_en for t in kb.types}).to_numpy()
    df["dominant_path"] = types.map(_type_paths(kb)).to_numpy()
    return df


def typology_summary(
    result: Result, year: int | None = None, by_province: bool = False
) -> pd.DataFrame:
    """Types per year (and province): number and share of regions, the type's dominant path, and
    the most frequent first recommended path among its regions with its share. Shares sum to 1
    within each year (and province)."""
    typed = typology(result, year)
    typed["first_path"] = diagnoses(result, year)["path"].to_numpy()
    keys = ["year", "province"] if by_province else ["year"]
    kb = load_knowledge()
    order = {t.id: k for k, t in enumerate(kb.types)}
    g = typed.groupby([*keys, "obstacle_type"], sort=False)
    out = g.size().rename("regions").reset_index()
    out["share"] = out["regions"] / out.groupby(keys)["regions"].transform("sum")
    modes = g["first_path"].agg(lambda x: x.value_counts().sort_index().idxmax())
    counts = g["first_path"].agg(lambda x: x.value_counts().max())
    out["leading_path"] = modes.to_numpy()
    out["leading_path_share"] = counts.to_numpy() / out["regions"].to_numpy()
    paths = _type_paths(kb)
    info = pd.DataFrame(
        [(t.id, t.name_zh, t.name_en, paths[t.id]) for t in kb.types],
        columns=["obstacle_type", "obstacle_type_zh", "obstacle_type_en", "dominant_path"],
    )
    out = out.merge(info, on="obstacle_type", how="left")
    out["_order"] = out["obstacle_type"].map(order)
    out = out.sort_values([*keys, "_order"], kind="stable").drop(columns="_order")
    cols = [*keys, "obstacle_type", "obstacle_type_zh", "obstacle_type_en", "regions", "share",
            "dominant_path", "leading_path", "leading_path_share"]
    return out[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------------- text
_TEXT = {
    "zh": {
        "title": "城乡融合诊断：{region} {name}（{province}）· {year} 年 · 框架 {fw}",
        "synthetic": "注意：合成数据（演示用，非真实统计）",
        "index": "综合指数 {index:.3f}，当年排名 {rank} / {n}；障碍类型：{type}",
        "why": "  类型说明：{reason}",
        "blockers": "主要障碍指标（障碍度；数值；全部 / 省内百分位，0 最差 100 最好；趋势）",
        "missing": "缺失（已插补）",
        "trend": "{a}–{b} 年每年 {slope}，{status}",
        "no_trend": "年份不足，无趋势",
        "status": {"improving": "改善", "worsening": "恶化", "flat": "持平"},
        "categories": "障碍类别（O1–O4 合计 100%）",
        "untagged": "未标注障碍类别的指标另占总障碍度 {share:.0%}",
        "dimensions": "维度障碍度",
        "paths": "推荐路径（分值 = 所针对的障碍度；依据）",
        "mechanisms": "配套机制",
        "none": "无",
        "peers": "同类地区经验：{ind}，{a}→{b} 年改善最多的结构相似地区",
        "no_peers": "同类地区经验：未找到 {ind} 在 {a}→{b} 年改善的结构相似地区",
        "no_base": "同类地区经验：数据中没有 {year} 年之前可供比较的年份",
        "scope": {"province": "省内", "national": "外省"},
        "distance": "距离",
        "sep": "，",
    },
    "en": {
        "title": "Integration diagnosis: {region} {name} ({province}) · {year} · framework {fw}",
        "synthetic": "Note: synthetic data (demo, not real statistics)",
        "index": "Composite index {index:.3f}, rank {rank} of {n} in the year; type: {type}",
        "why": "  Why this type: {reason}",
        "blockers": "Blocking indicators (obstacle degree; value; percentile among all / province, "
                    "0 worst 100 best; trend)",
        "missing": "missing (imputed)",
        "trend": "{a}-{b} {slope} a year, {status}",
        "no_trend": "too few years for a trend",
        "status": {"improving": "improving", "worsening": "worsening", "flat": "flat"},
        "categories": "Obstacle categories (O1-O4 sum to 100 %)",
        "untagged": "indicators without an obstacle tag add {share:.0%} of the total obstacle "
                    "degree, shown apart",
        "dimensions": "Obstacle degree by dimension",
        "paths": "Recommended paths (score = obstacle degree addressed; evidence)",
        "mechanisms": "Supporting mechanisms",
        "none": "none",
        "peers": "Peer exemplars: similar regions that improved most on {ind}, {a}->{b}",
        "no_peers": "Peer exemplars: no similar region improved on {ind}, {a}->{b}",
        "no_base": "Peer exemplars: the data have no year before {year} to compare with",
        "scope": {"province": "same province", "national": "other province"},
        "distance": "distance",
        "sep": ", ",
    },
}


def _num(v: float | None, t: dict[str, Any]) -> str:
    return t["missing"] if v is None else f"{v:.4g}"


def _render(d: Diagnosis, lang: str) -> str:
    t = _TEXT[lang]
    zh = lang == "zh"
    name = {b.indicator: (b.name_zh if zh else b.name_en) for b in d.blockers}
    province = d.province_zh or d.province if zh else d.province
    lines = [t["title"].format(region=d.region, name=d.name_zh, province=province, year=d.year,
                               fw=d.framework)]
    if d.synthetic:
        lines.append(t["synthetic"])
    lines.append(t["index"].format(index=d.index, rank=d.rank, n=d.n_regions,
                                   type=d.type_zh if zh else d.type_en))
    reason = d.type_reason_zh if zh else d.type_reason_en
    if reason:
        lines.append(t["why"].format(reason=reason))
    lines.extend(d.warnings_zh if zh else d.warnings_en)
    lines.append(t["blockers"])
    for k, b in enumerate(d.blockers, 1):
        tr = b.trend
        trend_text = (
            t["trend"].format(a=tr.first_year, b=tr.last_year, slope=f"{tr.slope:+.3g}",
                              status=t["status"][tr.status])
            if tr else t["no_trend"]
        )
        unit = f" {b.unit}" if b.value is not None and b.unit not in ("", "–", "-") else ""
        cat = f" [{b.category}]" if b.category else ""
        lines.append(
            f"  {k}. {name[b.indicator]} ({b.indicator}){cat}  {b.degree:.3f}; "
            f"{_num(b.value, t)}{unit}; {b.percentile:.0f} / {b.province_percentile:.0f}; "
            f"{trend_text}"
        )
    cats = t["sep"].join(
        f"{c.id} {c.name_zh if zh else c.name_en} {c.share:.0%}" for c in d.categories
    )
    lines.append(f"{t['categories']}: {cats} ({t['untagged'].format(share=d.untagged)})")
    dims = t["sep"].join(
        f"{x.id} {x.name_zh if zh else x.name_en} {x.degree:.2f}" for x in d.dimensions
    )
    lines.append(f"{t['dimensions']}: {dims}")
    for title, recs in ((t["paths"], d.paths), (t["mechanisms"], d.mechanisms)):
        lines.append(f"{title}:" + ("" if recs else f" {t['none']}"))
        for k, r in enumerate(recs[:SHOWN_ROUTES], 1):
            why = [f"{c} {m:.2f}" for c, m in r.categories]
            why += [f"{e.indicator} {e.degree:.2f}" for e in r.indicators]
            lines.append(f"  {k}. {r.route} {r.name_zh if zh else r.name_en} ({r.score:.2f}): "
                         + "; ".join(why))
    if d.peer_years is None:
        lines.append(t["no_base"].format(year=d.year))
    else:
        a, b = d.peer_years
        ind = name.get(d.peer_indicator or "", d.peer_indicator)
        lines.append((t["peers"] if d.peers else t["no_peers"]).format(ind=ind, a=a, b=b))
        for p in d.peers:
            lines.append(
                f"  {p.region} {p.name_zh} ({t['scope'][p.scope]}, {t['distance']} "
                f"{p.distance:.2f}): {p.before:.4g} → {p.after:.4g} ({p.improvement:+.4g})"
            )
    return "\n".join(lines)
