"""The region profiles of a report: position, trend, obstacles, recommended paths and peers of one
region in one year (:class:`Profile`), and which regions a report profiles.

Each profile carries the region's diagnosis (``Result.diagnose``: recommended paths, type, peer
exemplars) when the Result has one; otherwise, or when the framework has no obstacle tags, its paths
are the knowledge base's paths for its largest obstacle category and no peers are listed. Without a
region asked for, a report profiles every region when there are at most :data:`ALL_PROFILES_UP_TO`,
else the :data:`TOP_BOTTOM` highest and lowest of the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ronghe.errors import RongheError
from ronghe.result import UNTAGGED
from ronghe.words import Lang
from ronghe.words.bilingual import in_language

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = [
    "ALL_PROFILES_UP_TO",
    "TOP_BOTTOM",
    "Profile",
    "category_labels",
    "name_in",
    "profile",
    "profile_regions",
]

ALL_PROFILES_UP_TO = 20
TOP_BOTTOM = 5


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
    top_obstacles: pd.DataFrame  #: indicator, name, dimension (id), dimension_name, degree
    categories: pd.DataFrame  #: category, name, share (descending)
    paths: list[tuple[str, str, str]]  #: (id, name, summary)
    paths_source: str  #: "diagnosis" or "knowledge"
    diagnosis_text: str | None  #: ``Diagnosis.to_text`` when the Result can diagnose
    type_label: str  #: obstacle-profile type from the diagnosis ("" without one)
    peers: list[dict[str, Any]]  #: peer exemplars (region, name_zh, scope, before, after, ...)
    peers_note: str
    type_reason: str = ""  #: the typology rule in words, with the largest category beside it


def name_in(lang: Lang, zh: object, en: object) -> str:
    """The zh name, or the en one in English when there is one."""
    return str(zh) if lang == "zh" or not isinstance(en, str) or not en else str(en)


def category_labels(frame: pd.DataFrame) -> pd.Series:
    """"O3 服务体系有待优化" for a category of the seeds, the bare name for untagged indicators."""
    return frame["name"].where(frame["category"] == UNTAGGED,
                               frame["category"] + " " + frame["name"])


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


def profile(
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
    dims = {d.id: name_in(lang, d.name_zh, d.name_en) for d in result.framework.dimensions}
    top = pd.DataFrame({
        "indicator": ind.index.astype(str),
        "name": [name_in(lang, w.at[i, "name_zh"], w.at[i, "name_en"]) for i in ind.index],
        "dimension": [str(w.at[i, "dimension"]) for i in ind.index],
        "degree": ind.to_numpy(dtype=float),
    })
    top.insert(3, "dimension_name", top["dimension"].map(lambda d: dims.get(d, d)))
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
        why = in_language(str(diag["error"]), lang)
        peers_note = (f"无法诊断（{why}），未列出同类地区；以上仅依据障碍度。" if lang == "zh"
                      else f"No diagnosis ({why}), so no peer regions are listed; the "
                      "above rests on the obstacle degrees only.")
    elif not peers:
        peers_note = ("未找到在主要障碍指标上改善的相似地区。" if lang == "zh" else
                      "No similar region improved on the leading blocking indicator.")
    else:
        ind_id = str(diag.get("peer_indicator") or "")
        name = (name_in(lang, w.at[ind_id, "name_zh"], w.at[ind_id, "name_en"])
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
    categories["label"] = category_labels(categories)
    return categories


def profile_regions(cur: pd.DataFrame, region: str | None, lang: Lang) -> tuple[list[str], str]:
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
