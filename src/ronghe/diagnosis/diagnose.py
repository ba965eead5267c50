"""The diagnosis of one region-year (:func:`diagnose`) and its pieces: finding the region-year
(:func:`resolve_region`, :func:`locate`), percentiles, the trend of an indicator, peer exemplars
and the recommended routes. Conventions are in the package docstring."""

from __future__ import annotations

import difflib
import math
from typing import TYPE_CHECKING, Literal

import numpy as np

from ronghe.diagnosis.records import (
    Blocker,
    Diagnosis,
    Evidence,
    Peer,
    Recommendation,
    Share,
    Trend,
)
from ronghe.diagnosis.setup import (
    OBSTACLES,
    _lookup,
    _percentiles,
    _route_scores,
    _Setup,
    _setup,
    _span,
    _type_ids,
    peer_profiles,
)
from ronghe.diagnosis.tables import type_reason
from ronghe.errors import InputError
from ronghe.methods.typology import BALANCED, improvement, peer_similarity
from ronghe.words import LANGS, check_lang

if TYPE_CHECKING:
    from ronghe.result import Result

TREND_YEARS = 5
"""Window of the trend: the diagnosed year and the four before it."""
TREND_MIN_POINTS = 3
"""A trend needs at least this many years with a value in the window."""
YEARS_BACK = 3
"""Default distance in years between the base year and the diagnosed year of peer exemplars."""
N_PEERS = 3
PEER_POOL = 10


# --------------------------------------------------------------------------------- locating
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


# ----------------------------------------------------------------------------- the pieces
def percentile(z: np.ndarray, i: int) -> float:
    """Percentile of ``z[i]`` in ``z``: 100 (average rank - 1/2) / n (0 worst, 100 best)."""
    return float(_percentiles(z)[i])


def trend(years: np.ndarray, values: np.ndarray, direction: str | float) -> Trend | None:
    """Least-squares trend of ``values`` over ``years`` (missing values skipped); None with fewer
    than TREND_MIN_POINTS values. ``status`` follows ``direction`` (see the package docstring)."""
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
    """Peer exemplars of ``region`` on ``indicator`` (see the package docstring).

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
    scopes: tuple[tuple[Literal["province", "national"], np.ndarray], ...] = (
        ("province", home), ("national", ~home))
    for scope, inside in scopes:
        near = np.flatnonzero(inside)[:pool]
        near = near[gain[near] > 0]
        for k in near[np.argsort(-gain[near], kind="stable")][: n - len(peers)]:
            peers.append(Peer(str(b_regions[order[k]]), str(names[k]), str(prov[k]), scope,
                              float(dist[k]), float(before[order[k]]), float(after[order[k]]),
                              float(gain[k])))
        if len(peers) >= n:
            break
    return (base, year), peers


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


# ------------------------------------------------------------------------------ diagnosis
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
        for lang_ in LANGS
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
        province_zh=lk.province_zh.get(prov, ""),
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
