"""The HTML report page (``/report``): the report of the caller's scope on the current results,
written once per data version, scope and language."""

from __future__ import annotations

from hashlib import sha256
from importlib.util import find_spec

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, Response

from ronghe.web.auth import Principal
from ronghe.web.context import Platform, get_platform
from ronghe.web.i18n import lang_of
from ronghe.web.pages import user
from ronghe.web.services import NO_DATA

pages = APIRouter(include_in_schema=False)


@pages.get("/report")
def report(request: Request, who: Principal = Depends(user),
           p: Platform = Depends(get_platform)) -> Response:
    if find_spec("ronghe.report.html") is None:
        raise HTTPException(404, "HTML report not installed / 报告模块不可用")
    from ronghe.web.reports import write_report

    snap = p.analysis.snapshot()
    if snap.result is None:
        raise HTTPException(404, NO_DATA)
    if who.scope is not None and not snap.index["region"].isin(who.scope).any():
        raise HTTPException(404, "no region in your scope has data / 您的范围内没有数据")
    lang = lang_of(request)
    # one file per data version, scope and language; a scope is named by its digest
    scope = "all" if who.scope is None else sha256(
        ",".join(sorted(who.scope)).encode()).hexdigest()[:16]
    current = f"report-{snap.version[0]}-{snap.version[1]}-{snap.revision}-"
    path = p.staging / f"{current}{scope}-{lang}.html"
    if not path.exists():
        write_report(snap.result, path, lang, who.scope)
    for old in p.staging.glob("report-*.html"):  # reports of earlier data: never served
        if not old.name.startswith(current):
            old.unlink(missing_ok=True)
    return FileResponse(path, media_type="text/html", filename=f"ronghe-report-{lang}.html")
