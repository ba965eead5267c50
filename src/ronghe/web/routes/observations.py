"""Values and their corrections: the variable catalogue and stored observations
(``/api/v1/indicators``, ``GET /api/v1/observations``), single corrections as a batch
(``POST /api/v1/observations``) and the region profile's correction form."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from ronghe.web.analysis import records
from ronghe.web.api import (
    ERRORS,
    CorrectionIn,
    CorrectionOut,
    IndicatorOut,
    ObservationOut,
    Problem,
    RegionQ,
    Year,
)
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, get_platform
from ronghe.web.pages import Posted
from ronghe.web.routes.regions import region_page
from ronghe.web.security import NO_CONTROL, client_ip
from ronghe.web.services import check_optional_region, check_region, correct_values

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


@pages.post("/region/{code}/values")
def correct_one(
    post: Posted,
    code: str,
    year: int = Form(..., ge=1949, le=2100),
    variable: str = Form(..., max_length=64, pattern=NO_CONTROL),
    value: str = Form("", max_length=64, pattern=NO_CONTROL),
    reason: str = Form("", max_length=500, pattern=NO_CONTROL),
) -> Response:
    """The profile's correction form: one value of this region, stored by
    :func:`ronghe.web.services.correct_values`; an invalid value shows the profile again with
    the reason (422)."""
    post.check()
    request, who, p = post.request, post.who, post.p
    check_region(p, who, code)
    frame = pd.DataFrame(
        {"region": [code], "year": [year], "variable": [variable], "value": [value]}
    )
    try:
        done = correct_values(p, who, frame, reason, client_ip(request))
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return region_page(
            request, who, code, year, variable, error=str(exc.detail), value=value,
            reason=reason, status=422,
        )
    query = urlencode({"year": year, "variable": variable, "saved": done.status})
    return RedirectResponse(f"/region/{code}?{query}#correct", status_code=303)


@api.get("/indicators", response_model=list[IndicatorOut])
def indicators(who: Principal = Depends(api_principal),
               p: Platform = Depends(get_platform)) -> list[dict[str, Any]]:
    return records(p.store.catalogue().reset_index())


@api.get("/observations", response_model=list[ObservationOut])
def observations(region: str | None = RegionQ, year: int | None = Year,
                 variable: str | None = Query(None, max_length=64, pattern=NO_CONTROL),
                 limit: int = Query(1000, ge=1, le=100_000),
                 who: Principal = Depends(api_principal),
                 p: Platform = Depends(get_platform)) -> list[dict[str, Any]]:
    check_optional_region(p, who, region)
    codes = [region] if region else None if who.scope is None else sorted(who.scope)
    frame = p.store.observations(
        variables=[variable] if variable else None, years=[year] if year else None,
        regions=codes, columns=["region", "year", "variable", "value", "unit", "batch_id"])
    return records(frame.head(limit))


@api.post("/observations", response_model=CorrectionOut, responses={
    409: {"model": Problem, "description": "concurrent writes kept conflicting; retry"},
    422: {"description": "a value is invalid (the detail names its row and the reason)"}})
def correct(request: Request, body: CorrectionIn, who: Principal = Depends(api_principal),
            p: Platform = Depends(get_platform)) -> dict[str, Any]:
    """Correct single values as one batch (the reason is its source). Admins and editors
    only; every region must be in the caller's scope, else nothing is stored (403). Rows
    are numbered from 1 in errors."""
    values = pd.DataFrame([v.model_dump() for v in body.values])
    done = correct_values(p, who, values, body.reason, client_ip(request))
    return {"status": done.status, "batch_id": done.batch_id, "sha256": done.sha256,
            "n_values": done.n_values, "n_unchanged": done.n_unchanged,
            "n_superseded": done.n_superseded,
            "warnings": done.report.lines(severities=("warning",))}
