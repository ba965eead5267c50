"""Server-rendered pages: login, overview, region profile, scenario, data, admin, report."""

from __future__ import annotations

import secrets
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi import Path as FastPath
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from ronghe.errors import RongheError
from ronghe.web import imports
from ronghe.web.analysis import records
from ronghe.web.api import check_region, diagnosis_for, scoped
from ronghe.web.auth import ROLES, Principal
from ronghe.web.charts import choropleth, histogram, line_chart
from ronghe.web.context import platform, session_principal
from ronghe.web.i18n import lang_of, translator
from ronghe.web.security import (
    NO_CONTROL,
    Session,
    client_ip,
    csrf_ok,
)

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
METRICS = ("index", "topsis", "D", "C", "T")


class NeedLogin(Exception):
    """Raised by page dependencies when nobody is signed in (the app redirects to /login)."""


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    session: Session | None = None,
) -> HTMLResponse:
    """Render a template with the language, the caller and the session's CSRF token; a new
    anonymous session is started when there is none."""
    p = platform(request)
    lang = lang_of(request)
    current = session or p.sessions.read(request)
    fresh = current is None
    if fresh:
        current = p.sessions.new()
    ctx = {
        "t": translator(lang),
        "lang": lang,
        "csrf": current.csrf,
        "who": context.pop("who", None),
        "path": request.url.path,
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    if fresh or session is not None:
        p.sessions.write(request, response, current)
    if "lang" in request.query_params:
        response.set_cookie(
            "lang",
            lang,
            max_age=365 * 86400,
            samesite="lax",
            httponly=True,
            secure=request.url.scheme == "https",
        )
    return response


def user(request: Request) -> Principal:
    who = session_principal(request)
    if who is None:
        raise NeedLogin
    return who


def check_csrf(request: Request, token: str) -> None:
    if not csrf_ok(platform(request).sessions.read(request), token):
        raise HTTPException(403, "missing or wrong CSRF token / CSRF 校验失败")


def build_pages() -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/login")
    def login_form(request: Request) -> Response:
        return render(request, "login.html", {})

    @pages.post("/login")
    def login(
        request: Request,
        username: str = Form(..., max_length=64, pattern=NO_CONTROL),
        password: str = Form(..., max_length=256, pattern=NO_CONTROL),
        csrf: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        p, ip = platform(request), client_ip(request)
        if p.limiter.blocked(username, ip):
            p.accounts.audit(username, "login-blocked", ip=ip)
            return render(request, "login.html", {"error": "too_many"}, status=429)
        who = p.accounts.authenticate(username, password)
        if who is None:
            p.limiter.failed(username, ip)
            p.accounts.audit(username, "login-failed", ip=ip)
            return render(request, "login.html", {"error": "bad_login"}, status=401)
        p.limiter.succeeded(username, ip)
        p.accounts.audit(who.username, "login", ip=ip)
        response = RedirectResponse("/", status_code=303)
        p.sessions.write(request, response, p.sessions.new(who.id))  # new id: no fixation
        return response

    @pages.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        p = platform(request)
        response = RedirectResponse("/login", status_code=303)
        p.sessions.write(request, response, p.sessions.new())
        return response

    @pages.get("/")
    def overview(
        request: Request,
        year: int | None = None,
        metric: str = "index",
        who: Principal = Depends(user),
    ) -> Response:
        snap = platform(request).analysis.snapshot()
        if snap.result is None:
            return render(request, "overview.html", {"who": who, "empty": True})
        metric = metric if metric in METRICS or metric.startswith("U_") else "index"
        year = year if year in snap.years else snap.years[-1]
        frame = scoped(snap.index, who, None, year).merge(
            snap.coupling[["region", "year", "C", "T", "D", "grade"]], on=["region", "year"]
        )
        if metric not in frame.columns:
            metric = "index"
        frame = frame.sort_values(metric, ascending=False)
        u_cols = [c for c in snap.index.columns if c.startswith("U_")]
        return render(
            request,
            "overview.html",
            {
                "who": who,
                "empty": False,
                "years": snap.years,
                "year": year,
                "metric": metric,
                "metrics": list(METRICS) + u_cols,
                "rows": records(frame.head(200)),
                "n": len(frame),
                "hist": histogram(frame[metric].tolist(), metric),
                "map": _map(request, frame, metric),
            },
        )

    @pages.get("/region/{code}")
    def region(
        request: Request, code: str, year: int | None = None, who: Principal = Depends(user)
    ) -> Response:
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
        return render(
            request,
            "region.html",
            {
                "who": who,
                "d": d,
                "chart": chart,
                "grade": grade,
                "years": snap.years,
                "can_simulate": find_spec("ronghe.planning.scenario") is not None,
            },
        )

    @pages.get("/scenario/{code}")
    def scenario(
        request: Request, code: str, year: int | None = None, who: Principal = Depends(user)
    ) -> Response:
        p = platform(request)
        check_region(p, who, code)
        if find_spec("ronghe.planning.scenario") is None:
            raise HTTPException(404, "scenario engine not installed / 情景模块不可用")
        d = diagnosis_for(p, who, code, year, lang_of(request))
        grade = records(
            p.analysis.snapshot().coupling.query("region == @code and year == @d['year']")
        )[0]
        return render(request, "scenario.html", {"who": who, "d": d, "grade": grade})

    @pages.get("/data")
    def data(request: Request, who: Principal = Depends(user)) -> Response:
        return render(request, "data.html", {"who": who, "batches": _batches(request, who)})

    @pages.post("/data/upload")
    async def upload(
        request: Request,
        file: UploadFile,
        source: str = Form("", max_length=500, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        p = platform(request)
        path = await imports.stage(p, who, file)
        try:
            preview = await run_in_threadpool(imports.check, p, who, path, source)
        except imports.Unreadable as exc:
            return render(
                request,
                "data.html",
                {"who": who, "batches": _batches(request, who), "error": str(exc)},
                status=400,
            )
        key = secrets.token_urlsafe(16)
        p.staged[key] = {"path": path, "user": who.id, "source": source}
        issues = records(preview.report.issues.head(500))
        return render(
            request,
            "data.html",
            {
                "who": who,
                "batches": _batches(request, who),
                "preview": preview,
                "issues": issues,
                "stage": key,
            },
        )

    @pages.post("/data/confirm")
    def confirm(
        request: Request,
        stage: str = Form(..., max_length=64),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        p = platform(request)
        staged = p.staged.get(stage)
        if staged is None or staged["user"] != who.id:
            raise HTTPException(403, "no such upload / 上传记录无效")
        done = imports.commit(p, who, staged["path"], staged["source"], client_ip(request))
        p.staged.pop(stage, None)
        return render(
            request, "data.html", {"who": who, "batches": _batches(request, who), "done": done}
        )

    @pages.get("/admin")
    def admin(request: Request, who: Principal = Depends(user)) -> Response:
        return _admin_page(request, who)

    @pages.post("/admin/users")
    def create_user(
        request: Request,
        username: str = Form(..., max_length=64, pattern=NO_CONTROL),
        password: str = Form(..., max_length=256, pattern=NO_CONTROL),
        role: str = Form(..., max_length=16, pattern=NO_CONTROL),
        regions: str = Form("", max_length=2000, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        p = platform(request)
        try:
            p.accounts.create_user(username, password, role, regions.split(","))
        except RongheError as exc:
            return _admin_page(request, who, error=str(exc), status=400)
        p.accounts.audit(
            who.username, "user-create", username, f"{role}; {regions}", client_ip(request)
        )
        return RedirectResponse("/admin", status_code=303)

    @pages.post("/admin/users/{user_id}")
    def edit_user(
        request: Request,
        user_id: int = FastPath(ge=1, le=2**62),
        role: str = Form(..., max_length=16, pattern=NO_CONTROL),
        regions: str = Form("", max_length=2000, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        p = platform(request)
        try:
            p.accounts.set_role(user_id, role)
            p.accounts.assign(user_id, regions.split(","))
        except RongheError as exc:
            return _admin_page(request, who, error=str(exc), status=400)
        p.accounts.audit(
            who.username, "user-edit", str(user_id), f"{role}; {regions}", client_ip(request)
        )
        return RedirectResponse("/admin", status_code=303)

    @pages.post("/admin/tokens")
    def create_token(
        request: Request,
        user_id: int = Form(..., ge=1, le=2**62),
        name: str = Form("token", max_length=64, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        p = platform(request)
        token = p.accounts.create_token(user_id, name)
        p.accounts.audit(who.username, "token", str(user_id), name, client_ip(request))
        return _admin_page(request, who, token=token)

    @pages.get("/report")
    def report(request: Request, who: Principal = Depends(user)) -> Response:
        if who.scope is not None:
            raise HTTPException(403, "the report covers all regions / 报告涵盖全部地区")
        if find_spec("ronghe.report.html") is None:
            raise HTTPException(404, "HTML report not installed / 报告模块不可用")
        from ronghe.report.html import write_html

        p = platform(request)
        snap = p.analysis.snapshot()
        if snap.result is None:
            raise HTTPException(404, "no data in the database / 数据库中没有数据")
        lang = lang_of(request)
        path = p.staging / f"report-{snap.version[0]}-{snap.version[1]}-{lang}.html"
        if not path.exists():
            write_html(snap.result, path, lang=lang)
        return FileResponse(path, media_type="text/html", filename=f"ronghe-report-{lang}.html")

    return pages


def _map(request: Request, frame: Any, metric: str) -> str:
    """The choropleth of ``metric`` over the caller's counties ("" without boundaries)."""
    shapes = platform(request).shapes.get()
    if not shapes:
        return ""
    values = dict(zip(frame["region"].astype(str), frame[metric].astype(float), strict=True))
    names = dict(zip(frame["region"].astype(str), frame["name_zh"].astype(str), strict=True))
    return choropleth(shapes, values, names)


def _require_admin(who: Principal) -> None:
    if who.role != "admin":
        raise HTTPException(403, "administrators only / 仅限管理员")


def _admin_page(
    request: Request, who: Principal, error: str = "", token: str = "", status: int = 200
) -> Response:
    _require_admin(who)
    p = platform(request)
    return render(
        request,
        "admin.html",
        {
            "who": who,
            "users": p.accounts.users(),
            "roles": ROLES,
            "error": error,
            "token": token,
            "audit": p.accounts.audit_entries(),
        },
        status=status,
    )


def _batches(request: Request, who: Principal) -> list[dict[str, Any]]:
    """Import history with provenance: all batches for full-scope roles, otherwise the caller's own
    (batches are not tagged by region, so others' could reveal out-of-scope files)."""
    frame = platform(request).store.batches()
    if who.scope is not None:
        frame = frame[frame["user_name"] == who.username]
    return records(frame.sort_values("id", ascending=False).head(100))
