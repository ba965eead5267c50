"""The overview page (``/``): one measure of every region in scope for a year, as a ranking, a
histogram and a national map at county, prefecture or province level."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ronghe.result import Result
from ronghe.web.analysis import records
from ronghe.web.auth import Principal
from ronghe.web.charts import choropleth, histogram
from ronghe.web.context import Platform, get_platform
from ronghe.web.i18n import lang_of, translator
from ronghe.web.maps import LEVELS, by_level
from ronghe.web.pages import render, user
from ronghe.web.services import scoped
from ronghe.words import unit_label

METRICS = ("index", "topsis", "D", "C", "T")

pages = APIRouter(include_in_schema=False)


@pages.get("/")
def overview(
    request: Request,
    year: str | None = None,
    metric: str = "index",
    level: str = "county",
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    snap = p.analysis.snapshot()
    if snap.result is None:
        return render(request, "overview.html", {"who": who, "empty": True})
    lang = lang_of(request)
    groups, indicators = metric_options(snap.result, list(snap.index.columns),
                                        translator(lang), lang)
    labels = {key: label for _, options in groups for key, label in options}
    metric = metric if metric in labels else "index"
    level = level if level in LEVELS else "county"
    shown = {str(y): y for y in snap.years}.get(year or "", snap.years[-1])
    frame = scoped(snap.index, who, None, shown).merge(
        snap.coupling[["region", "year", "C", "T", "D"]], on=["region", "year"]
    )
    indicator = indicators.get(metric)
    if indicator is None:
        values = frame[metric]
    else:  # raw indicator values of the year, from the result's aligned arrays
        st = snap.result.state
        rows = (st.years == shown).nonzero()[0]
        column = st.raw[rows, st.indicator_ids.index(indicator.id)]
        values = frame["region"].map(dict(zip(st.regions[rows], column, strict=True)))
    table = by_level(p.accounts.regions, frame["region"].tolist(),
                     frame["province"].tolist(), values.tolist(), level)
    if level == "county":
        table["rank"] = table["code"].map(dict(zip(frame["region"], frame["rank"],
                                                   strict=True)))
    # better first: high to low, low to high for "-" indicators, by distance to a target
    target = indicator.target if indicator is not None else None
    key = (table["value"] if indicator is not None and indicator.direction == "-"
           else (table["value"] - target).abs() if target is not None else -table["value"])
    table = table.assign(key=key).sort_values("key", na_position="last", kind="stable")
    return render(
        request,
        "overview.html",
        {
            "who": who,
            "empty": False,
            "years": snap.years,
            "year": shown,
            "metric": metric,
            "label": labels[metric],
            "groups": groups,
            "level": level,
            "levels": LEVELS,
            "lower_better": indicator is not None and indicator.direction == "-",
            "target": target,
            "rows": records(table.drop(columns="key").head(200 if level == "county"
                                                           else len(table))),
            "n": len(table),
            "hist": histogram(table["value"].tolist(), labels[metric]),
            "map": national_map(request, p, table, level, grades=metric == "D"),
        },
    )


def national_map(request: Request, p: Platform, table: Any, level: str,
                 grades: bool = False) -> str | None:
    """The choropleth of the units in ``table`` (columns code, name_zh, value, n) at ``level``
    on the national layers, D in its ten grades with ``grades``; None when that level's
    boundaries are unavailable, "" when no unit has a value."""
    shapes = p.shapes.get(level)
    if not shapes:
        return None
    codes = table["code"].tolist()
    values = dict(zip(codes, table["value"].astype(float), strict=True))
    names = dict(zip(codes, table["name_zh"].astype(str), strict=True))
    counts = None if level == "county" else dict(zip(codes, table["n"], strict=True))
    lang = lang_of(request)
    words = None if lang == "zh" else {"no_data": "No data", "inset": "South China Sea Islands",
                                       "missing": "Regions without a boundary, not drawn"}
    return choropleth(shapes, values, names, counts, base=p.shapes.base(), grades=grades,
                      lang=lang, words=words)


def metric_options(result: Result, index_columns: list[str], t: Callable[[str], str], lang: str
                   ) -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, Any]]:
    """The overview's measures as select groups [(group label, [(key, label)])] — the results
    (index, TOPSIS, D, C, T, U_<dimension>), then each dimension's raw indicators under the key
    ``raw:<indicator id>`` labelled with name and unit — and {raw key: Indicator}."""
    en = lang == "en"
    names = {"index": t("index"), "topsis": t("topsis"), "D": t("ccd"), "C": t("coupling_c"),
             "T": t("coordination_t")}
    dims = result.framework.dimensions
    results = [(m, names[m]) for m in METRICS] + [
        (f"U_{d.id}", f"U · {d.name_en if en else d.name_zh}") for d in dims
        if f"U_{d.id}" in index_columns]
    groups = [(t("results"), results)]
    indicators = {}
    computed = set(result.state.indicator_ids)
    for d in dims:
        options = []
        for ind in d.indicators:
            if ind.id in computed:
                unit = f" ({unit_label(ind.unit, lang)})" if unit_label(ind.unit) else ""
                options.append((f"raw:{ind.id}", f"{ind.name_en if en else ind.name_zh}{unit}"))
                indicators[f"raw:{ind.id}"] = ind
        if options:
            groups.append((f"{t('raw_values')} · {d.name_en if en else d.name_zh}", options))
    return groups, indicators
