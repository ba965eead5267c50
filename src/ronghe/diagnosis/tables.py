"""The diagnosis as tables over many region-years: :func:`diagnoses` (every region-year),
:func:`distribution` (how one year spreads), :func:`typology` and :func:`typology_summary`
(obstacle-profile types), :func:`obstacle_shares` (the O1-O4 shares every output prints) and
:func:`type_reason` (the typology rule in words). Columns are explained in
:data:`ronghe.words.columns.DIAGNOSIS_COLUMNS`; conventions in the package docstring."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ronghe.diagnosis.setup import (
    OBSTACLES,
    TYPE_THRESHOLD,
    _best,
    _lookup,
    _route_scores,
    _Setup,
    _setup,
    _span,
    _type_ids,
    _type_paths,
)
from ronghe.errors import InputError
from ronghe.knowledge import load_knowledge
from ronghe.methods.typology import BALANCED
from ronghe.words import lang_index
from ronghe.words.diagnosis import TYPE_REASON

if TYPE_CHECKING:
    from ronghe.result import Result

NONE = "-"
"""Text cell of the tables where there is nothing to name (no path with a positive score)."""


def obstacle_shares(result: Result, year: int | None = None) -> pd.DataFrame:
    """The obstacle-category shares every output prints (see the package docstring): per
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
    """The typology rule in words for one region-year (see the package docstring); the words are
    :data:`ronghe.words.diagnosis.TYPE_REASON`."""
    k = lang_index(lang)
    if largest is None:
        return TYPE_REASON["no_degree"][k]
    rule = TYPE_REASON["balanced" if category is None else "typed"][k]
    text = rule.format(category=category, factor=factor, share=share, mean=mean, year=year,
                       threshold=TYPE_THRESHOLD)
    if largest == category:
        return text + TYPE_REASON["also_largest"][k]
    return text + TYPE_REASON["largest_differs"][k].format(
        largest=largest, largest_share=largest_share, largest_factor=largest_factor)


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
    recommended path with its score (columns explained in DIAGNOSIS_COLUMNS)."""
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
