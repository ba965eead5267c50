"""Importing yearbook tables: the data page (upload, preview, confirm, import history) and
``POST /api/v1/imports``."""

from __future__ import annotations

import shutil
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ronghe.web import imports
from ronghe.web.analysis import records
from ronghe.web.api import ERRORS, ImportOut, Problem
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, get_platform
from ronghe.web.i18n import lang_of
from ronghe.web.pages import Posted, render, user
from ronghe.web.security import NO_CONTROL, client_ip

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


@pages.get("/data")
def data(request: Request, who: Principal = Depends(user),
         p: Platform = Depends(get_platform)) -> Response:
    return render(request, "data.html", {"who": who, "batches": batches(p, who)})


@pages.post("/data/upload")
async def upload(
    post: Posted,
    file: UploadFile,
    source: str = Form("", max_length=500, pattern=NO_CONTROL),
) -> Response:
    post.check()
    request, who, p = post.request, post.who, post.p
    path = await imports.stage(p, who, file)
    try:
        preview = await run_in_threadpool(imports.check, p, who, path, source)
    except imports.Unreadable as exc:
        imports.discard(path)
        return render(
            request,
            "data.html",
            {"who": who, "batches": batches(p, who), "error": str(exc)},
            status=400,
        )
    except BaseException:
        imports.discard(path)
        raise
    key = imports.keep(p, who, path, source)
    shown = preview.report.readable() if lang_of(request) == "zh" else preview.report.issues
    issues = records(shown.head(500))
    return render(
        request,
        "data.html",
        {
            "who": who,
            "batches": batches(p, who),
            "preview": preview,
            "issues": issues,
            "stage": key,
        },
    )


@pages.post("/data/confirm")
def confirm(post: Posted, stage: str = Form(..., max_length=64)) -> Response:
    post.check()
    request, who, p = post.request, post.who, post.p
    staged = p.staged.get(stage)
    if staged is None or staged["user"] != who.id:
        raise HTTPException(403, "no such upload / 上传记录无效")
    done = imports.commit(p, who, staged["path"], staged["source"], client_ip(request))
    if p.staged.pop(stage, None) is not None:
        imports.discard(staged["path"])
    return render(
        request, "data.html", {"who": who, "batches": batches(p, who), "done": done}
    )


def batches(p: Platform, who: Principal) -> list[dict[str, Any]]:
    """Import history with provenance: all batches for full-scope roles, otherwise the caller's own
    (batches are not tagged by region, so others' could reveal out-of-scope files)."""
    frame = p.store.batches()
    if who.scope is not None:
        frame = frame[frame["user_name"] == who.username]
    return records(frame.sort_values("id", ascending=False).head(100))


@api.post("/imports", response_model=ImportOut, responses={
    400: {"model": Problem, "description": "unreadable file"},
    413: {"model": Problem, "description": "file over 20 MB"},
    409: {"model": Problem, "description": "concurrent writes kept conflicting; retry"},
    415: {"model": Problem, "description": "not .csv, .xlsx or .parquet"}})
async def import_data(
        request: Request, file: UploadFile,
        source: str = Form("", max_length=500, pattern=NO_CONTROL,
                           description="provenance: yearbook, table, page / 数据来源"),
        dry_run: bool = Query(False, description="validate only, store nothing"),
        who: Principal = Depends(api_principal),
        p: Platform = Depends(get_platform)) -> dict[str, Any]:
    """Validate a yearbook table (.csv, .xlsx, .parquet) and, unless ``dry_run``, import it
    as one batch. Admins and editors only; every region in the file must be in scope."""
    path = await imports.stage(p, who, file)
    try:
        done = await run_in_threadpool(imports.check, p, who, path, source)
        if not dry_run:
            done = await run_in_threadpool(imports.commit, p, who, path, source,
                                           client_ip(request))
    except imports.Unreadable as exc:
        raise HTTPException(400, str(exc)) from None
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    report = done.report
    issues = report.issues.head(500).astype(object)
    for col in ("file", "sheet", "column", "header", "raw"):
        issues[col] = [None if v is None or v != v else str(v) for v in issues[col]]
    return {"file": done.file, "sha256": done.sha256, "status": done.status,
            "batch_id": done.batch_id, "layout": done.layout, "n_values": done.n_values,
            "n_superseded": done.n_superseded, "errors": report.count("error"),
            "warnings": report.count("warning"), "missing": report.count("missing"),
            "issues": records(issues)}
