"""What every diagnosis of one Result reads, computed once per Result and kept in ``result.memo``
(a Result is never changed after evaluation): the route incidence matrices, O1-O4 degrees and types
(:class:`_Setup`, needs obstacle tags), and the row look-ups and percentiles (:class:`_Lookup`).
Also the route scores both :func:`~ronghe.diagnosis.diagnose` and
:func:`~ronghe.diagnosis.diagnoses` rank by. Conventions are in the package docstring."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ronghe.errors import FrameworkError
from ronghe.knowledge import KnowledgeBase, Route, load_knowledge
from ronghe.methods.typology import (
    BALANCED,
    location_quotients,
    profile_zscores,
    relative_typology,
)
from ronghe.regions import province_names

if TYPE_CHECKING:
    from ronghe.frameworks import Framework
    from ronghe.result import Result

OBSTACLES = ("O1", "O2", "O3", "O4")
TYPE_THRESHOLD = 1.1
"""A category types a region when its share is at least this many times the year's mean share
(``relative_typology``'s default)."""

SETUP_KEY = "diagnosis.setup"
"""Key of the :class:`_Setup` in ``Result.memo``."""
LOOKUP_KEY = "diagnosis.lookup"
"""Key of the :class:`_Lookup` in ``Result.memo``."""


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
    """What every diagnosis of one Result needs, computed once per Result."""

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
    province_zh: dict[str, str]  # province code -> Chinese name
    profiles: dict[int, np.ndarray] = field(default_factory=dict)  # year -> peer_profiles()


def _setup(result: Result) -> _Setup:
    """The per-result tables every diagnosis reads, computed once per Result."""
    if SETUP_KEY not in result.memo:
        result.memo[SETUP_KEY] = _build_setup(result)
    st: _Setup = result.memo[SETUP_KEY]
    return st


def _lookup(result: Result) -> _Lookup:
    """The per-result row look-ups and percentiles, computed once per Result."""
    if LOOKUP_KEY not in result.memo:
        result.memo[LOOKUP_KEY] = _build_lookup(result)
    lk: _Lookup = result.memo[LOOKUP_KEY]
    return lk


def peer_profiles(result: Result, year: int) -> np.ndarray:
    """The z-scored structural profiles of ``year``'s rows that peers are compared on: the
    normalised indicators that are finite for every row of the year (:func:`profile_zscores`),
    computed once per Result and year."""
    lk = _lookup(result)
    if year not in lk.profiles:
        F = result.state.Z[result.state.years == year]
        lk.profiles[year] = profile_zscores(F[:, np.isfinite(F).all(axis=0)])
    return lk.profiles[year]


def prepare(result: Result) -> None:
    """Build the per-result tables of :func:`~ronghe.diagnosis.diagnose` now rather than on the
    first diagnosis (a server does this once per data version; about a second for 2,844 counties
    × 5 years)."""
    _setup(result)
    for year in _lookup(result).years:
        peer_profiles(result, year)


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
                   result.index["rank"].to_numpy(), province_names())


def _rows_by_code(region_pos: np.ndarray, codes: pd.Index) -> dict[str, np.ndarray]:
    order = np.argsort(region_pos, kind="stable")
    bounds = np.searchsorted(region_pos[order], np.arange(codes.size + 1))
    return {str(c): order[bounds[k]:bounds[k + 1]] for k, c in enumerate(codes)}


def _percentiles(z: np.ndarray) -> np.ndarray:
    """:func:`~ronghe.diagnosis.percentile` of every entry of ``z`` within its column (NaN in a
    column: all NaN)."""
    return 100.0 * (rankdata(z, axis=0) - 0.5) / z.shape[0]


def _type_codes(cat_degree: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Typology index per row (0..3 for O1..O4, BALANCED = -1): ``relative_typology`` of the O1-O4
    shares against the same year's mean shares (see the package docstring)."""
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


def _type_paths(kb: KnowledgeBase) -> dict[str, str]:
    """Dominant path per type id; the balanced type, which has none, lists its supporting paths
    joined by "+" (R1+R2+R3+R4: all four together)."""
    return {t.id: t.dominant_path or "+".join(t.supporting) for t in kb.types}


def _type_ids(kb: KnowledgeBase) -> list[str]:
    """Type id by typology index: position j for O{j+1}, the last one (index -1) balanced."""
    return [kb.type_for_obstacle(o).id for o in OBSTACLES] + [kb.type_for_obstacle(None).id]


# ------------------------------------------------------------------------------ route scores
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


def _span(years: list[int]) -> str:
    """Years as ``2015-2019`` when contiguous, else listed (for messages)."""
    contiguous = years == list(range(years[0], years[-1] + 1))
    return f"{years[0]}-{years[-1]}" if contiguous and len(years) > 1 else ", ".join(map(str, years))
