"""Regions: the profile page (diagnosis, history chart, correction card) and the scenario page;
``/api/v1/regions``, the diagnosis of a region and the scenario simulation."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any, Literal

import numpy as np
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from ronghe import methods as m
from ronghe.errors import RongheError
from ronghe.web.analysis import records
from ronghe.web.api import ERRORS, RegionOut, SimulateIn, SimulateOut, Year
from ronghe.web.auth import Principal
from ronghe.web.charts import line_chart
from ronghe.web.context import Platform, api_principal, get_platform, platform
from ronghe.web.i18n import lang_of, translator
from ronghe.web.pages import render, user
from ronghe.web.security import NO_CONTROL
from ronghe.web.services import check_region, current, diagnosis_for, result_or_404
from ronghe.words import unit_label

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
ANY = TypeAdapter(dict[str, Any])


@pages.get("/region/{code}")
def region_profile(
    request: Request,
    code: str,
    year: int | None = None,
    variable: str | None = Query(None, max_length=64, pattern=NO_CONTROL),
    saved: Literal["imported", "unchanged"] | None = None,
    who: Principal = Depends(user),
) -> Response:
    return region_page(request, who, code, year, variable, saved=saved)


@pages.get("/scenario/{code}")
def scenario(request: Request, code: str, year: int | None = None,
             who: Principal = Depends(user), p: Platform = Depends(get_platform)) -> Response:
    check_region(p, who, code)
    if find_spec("ronghe.planning.scenario") is None:
        raise HTTPException(404, "scenario engine not installed / 情景模块不可用")
    d = diagnosis_for(p, who, code, year, lang_of(request))
    grade = records(
        p.analysis.snapshot().coupling.query("region == @code and year == @d['year']")
    )[0]
    return render(request, "scenario.html", {"who": who, "d": d, "grade": grade})


def region_page(
    request: Request,
    who: Principal,
    code: str,
    year: int | None,
    variable: str | None,
    *,
    saved: str | None = None,
    error: str = "",
    value: str = "",
    reason: str = "",
    status: int = 200,
) -> Response:
    """The region profile; for callers who may write the region also the correction card
    (``variable`` chosen in it, the outcome of a save or the error of a refused value with the
    text the user typed)."""
    p = platform(request)
    check_region(p, who, code)
    lang = lang_of(request)
    d = diagnosis_for(p, who, code, year, lang)
    snap = p.analysis.snapshot()
    idx = snap.index[snap.index["region"] == code]
    cc = snap.coupling[snap.coupling["region"] == code]
    t = translator(lang)
    chart = line_chart(
        [int(y) for y in idx["year"]],
        {t("index"): idx["index"].tolist(), "D": cc["D"].tolist()},
        code,
    )
    grade = records(cc[cc["year"] == d["year"]])[0]
    peer_id = d.get("peer_indicator")
    peer_name = None
    if peer_id and snap.result is not None and peer_id in snap.result.framework.indicator_ids:
        ind = snap.result.framework.indicator(peer_id)
        peer_name = ind.name_zh if lang == "zh" else ind.name_en
    return render(
        request,
        "region.html",
        {
            "who": who,
            "d": d,
            "peer_indicator_name": peer_name,
            "chart": chart,
            "grade": grade,
            "years": snap.years,
            "can_simulate": find_spec("ronghe.planning.scenario") is not None,
            "edit": _correction_card(p, who, code, d["year"], variable, lang),
            "saved": saved,
            "error": error,
            "value": value,
            "reason": reason,
        },
        status=status,
    )


def _correction_card(
    p: Platform, who: Principal, code: str, year: int, variable: str | None, lang: str
) -> dict[str, Any] | None:
    """What the correction card shows, or None for callers who may not write the region: the
    catalogue's variables as (id, label) options, the chosen one (default the first), its unit,
    its current value with provenance (batch, file, source, user, time) and its earlier values,
    newest first, from :meth:`ronghe.store.Store.history`."""
    if not who.can_write(code):
        return None
    catalogue = p.store.catalogue()
    if catalogue.empty:
        return None
    name = "name_en" if lang == "en" else "name_zh"
    options = [
        (vid, f"{row[name] or vid}"
         + (f" ({unit_label(row['unit'], lang)})" if unit_label(row["unit"]) else ""))
        for vid, row in catalogue.iterrows()
    ]
    chosen = (variable if variable is not None and variable in catalogue.index
              else str(catalogue.index[0]))
    history = records(p.store.history(code, year, chosen).iloc[::-1])
    return {
        "options": options,
        "variable": chosen,
        "year": year,
        "unit": catalogue.at[chosen, "unit"] or "",
        "current": next((h for h in history if h["valid"]), None),
        "earlier": [h for h in history if not h["valid"]],
    }


@api.get("/regions", response_model=list[RegionOut])
def regions(level: Literal["province", "prefecture", "county"] | None = None,
            who: Principal = Depends(api_principal),
            p: Platform = Depends(get_platform)) -> list[dict[str, Any]]:
    frame = p.accounts.regions.reset_index()
    if level is not None:
        frame = frame[frame["level"] == level]
    if who.scope is not None:
        frame = frame[frame["code"].isin(who.scope)]
    return records(frame[list(RegionOut.model_fields)])


@api.get("/regions/{code}", response_model=RegionOut)
def region(code: str, who: Principal = Depends(api_principal),
           p: Platform = Depends(get_platform)) -> dict[str, Any]:
    check_region(p, who, code)
    row = p.accounts.regions.loc[[code]].reset_index()
    return records(row[list(RegionOut.model_fields)])[0]


@api.get("/diagnosis/{code}", response_model=dict[str, Any])
async def diagnosis(code: str, year: int | None = Year,
                    lang: Literal["zh", "en"] = "zh",
                    who: Principal = Depends(api_principal),
                    p: Platform = Depends(get_platform)) -> Response:
    check_region(p, who, code)
    snap = await current(p)
    key = ("diagnosis", who.scope, code, year, lang)
    # A new diagnosis costs about 4 ms of CPU; computed here rather than in the threadpool,
    # where it waited for the GIL behind the event loop (p95 350 ms against 105 ms in
    # bench/web.py)
    body = snap.answer(key, lambda: ANY.dump_json(
        diagnosis_for(p, who, code, year, lang, snap)))
    return Response(body, media_type="application/json")


def simulate(body: SimulateIn, who: Principal = Depends(api_principal),
             p: Platform = Depends(get_platform)) -> dict[str, Any]:
    check_region(p, who, body.region)
    return simulate_for(p, body)


if find_spec("ronghe.planning.scenario") is not None:  # the planning extra is installed
    api.post("/simulate", response_model=SimulateOut)(simulate)


def simulate_for(p: Platform, body: SimulateIn) -> dict[str, Any]:
    """The scenario of ``body`` on the current results (:func:`ronghe.planning.scenario.simulate`):
    404 for a region or year without results, 422 for a change the engine refuses."""
    from ronghe.planning.scenario import simulate as run

    snap, result = result_or_404(p)
    year = body.year if body.year is not None else snap.years[-1]
    if year not in snap.years or not (snap.index["region"] == body.region).any():
        raise HTTPException(404, "no results for this region and year / 该地区年份没有结果")
    changes = {k: (v if isinstance(v, str) else ("abs", float(v)))
               for k, v in body.changes.items()}
    try:
        sc = run(result, body.region, year, changes)
    except (RongheError, ValueError) as exc:
        raise HTTPException(422, str(exc).splitlines()[0]) from None
    summary = records(sc.summary)
    D = float(sc.scenario.D)
    grade, zh = m.ccd_grade(np.array([D]), lang="zh")
    en = m.ccd_grade(np.array([D]), lang="en")[1]
    ind = sc.indicators.sort_values("obstacle_after", ascending=False).head(5)
    return {"region": sc.region, "year": sc.year, "grade": int(grade[0]), "grade_zh": str(zh[0]),
            "grade_en": str(en[0]), "summary": summary,
            "obstacles": [{"indicator": r["indicator"], "degree": r["obstacle_after"]}
                          for r in records(ind)]}
