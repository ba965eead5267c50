"""Server-rendered pages: login, overview, region profile, scenario, data, admin, own API tokens,
report."""

from __future__ import annotations

from hashlib import sha256
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as FastPath
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from ronghe.errors import RongheError
from ronghe.frameworks import load_framework
from ronghe.settings import Settings
from ronghe.web import imports
from ronghe.web.analysis import (
    CHOICES,
    choose,
    differences,
    history,
    leaves,
    records,
    stored,
)
from ronghe.web.api import check_region, correct_values, diagnosis_for, scoped
from ronghe.web.auth import ROLES, Principal
from ronghe.web.charts import choropleth, histogram, line_chart
from ronghe.web.context import Platform, platform, session_principal
from ronghe.web.i18n import lang_of, translator
from ronghe.web.maps import LEVELS, by_level
from ronghe.web.security import (
    NO_CONTROL,
    Session,
    client_ip,
    csrf_ok,
)
from ronghe.words import action_label, number, role_label, unit_label

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters.update(unit=unit_label, role=role_label, action=action_label, num=number)
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
        if not p.limiter.attempt(username, ip):  # counted as failed until it succeeds
            p.accounts.audit(username, "login-blocked", ip=ip)
            return render(request, "login.html", {"error": "too_many"}, status=429)
        who = p.accounts.authenticate(username, password)
        if who is None:
            p.accounts.audit(username, "login-failed", ip=ip)
            return render(request, "login.html", {"error": "bad_login"}, status=401)
        p.limiter.succeeded(username, ip)
        p.accounts.audit(who.username, "login", ip=ip)
        response = RedirectResponse("/", status_code=303)
        sid = p.accounts.open_session(who.id)  # a new session id and CSRF token: no fixation
        p.sessions.write(request, response, p.sessions.new(sid))
        return response

    @pages.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        p = platform(request)
        who, session = session_principal(request), p.sessions.read(request)
        if session is not None and session.sid is not None:
            p.accounts.end_session(session.sid)
        if who is not None:
            p.accounts.audit(who.username, "logout", ip=client_ip(request))
        response = RedirectResponse("/login", status_code=303)
        p.sessions.write(request, response, p.sessions.new())
        return response

    @pages.get("/")
    def overview(
        request: Request,
        year: str | None = None,
        metric: str = "index",
        level: str = "county",
        who: Principal = Depends(user),
    ) -> Response:
        p = platform(request)
        snap = p.analysis.snapshot()
        if snap.result is None:
            return render(request, "overview.html", {"who": who, "empty": True})
        lang = lang_of(request)
        groups, indicators = _metric_options(snap.result, list(snap.index.columns),
                                             translator(lang), lang)
        labels = {key: label for _, options in groups for key, label in options}
        metric = metric if metric in labels else "index"
        level = level if level in LEVELS else "county"
        year = {str(y): y for y in snap.years}.get(year or "", snap.years[-1])
        frame = scoped(snap.index, who, None, year).merge(
            snap.coupling[["region", "year", "C", "T", "D"]], on=["region", "year"]
        )
        indicator = indicators.get(metric)
        if indicator is None:
            values = frame[metric]
        else:  # raw indicator values of the year, from the result's aligned arrays
            st = snap.result.state
            rows = (st.years == year).nonzero()[0]
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
                "year": year,
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
                "map": _map(request, table, level, grades=metric == "D"),
            },
        )

    @pages.get("/region/{code}")
    def region(
        request: Request,
        code: str,
        year: int | None = None,
        variable: str | None = Query(None, max_length=64, pattern=NO_CONTROL),
        saved: Literal["imported", "unchanged"] | None = None,
        who: Principal = Depends(user),
    ) -> Response:
        return _region_page(request, who, code, year, variable, saved=saved)

    @pages.post("/region/{code}/values")
    def correct(
        request: Request,
        code: str,
        year: int = Form(..., ge=1949, le=2100),
        variable: str = Form(..., max_length=64, pattern=NO_CONTROL),
        value: str = Form("", max_length=64, pattern=NO_CONTROL),
        reason: str = Form("", max_length=500, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        """The profile's correction form: one value of this region, stored by
        :func:`ronghe.web.api.correct_values`; an invalid value shows the profile again with
        the reason (422)."""
        check_csrf(request, csrf)
        p = platform(request)
        check_region(p, who, code)
        frame = pd.DataFrame(
            {"region": [code], "year": [year], "variable": [variable], "value": [value]}
        )
        try:
            done = correct_values(p, who, frame, reason, client_ip(request))
        except HTTPException as exc:
            if exc.status_code != 422:
                raise
            return _region_page(
                request, who, code, year, variable, error=str(exc.detail), value=value,
                reason=reason, status=422,
            )
        query = urlencode({"year": year, "variable": variable, "saved": done.status})
        return RedirectResponse(f"/region/{code}?{query}#correct", status_code=303)

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
            imports.discard(path)
            return render(
                request,
                "data.html",
                {"who": who, "batches": _batches(request, who), "error": str(exc)},
                status=400,
            )
        except BaseException:
            imports.discard(path)
            raise
        key = imports.keep(p, who, path, source)
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
        if p.staged.pop(stage, None) is not None:
            imports.discard(staged["path"])
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
            p.accounts.create_user(username, password, role, regions.split(","),
                                   by=who.username, ip=client_ip(request))
        except RongheError as exc:
            return _admin_page(request, who, error=str(exc), status=400)
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
        if user_id == who.id and role != who.role:
            return _admin_page(request, who, error=_text(request, "own_role"), status=400)
        p = platform(request)
        try:
            p.accounts.edit_user(user_id, role, regions.split(","), by=who.username,
                                 ip=client_ip(request))
        except RongheError as exc:
            return _admin_page(request, who, error=str(exc), status=400)
        return RedirectResponse("/admin", status_code=303)

    @pages.post("/admin/tokens")
    def create_token(
        request: Request,
        user_id: int = Form(..., ge=1, le=2**62),
        name: str = Form("令牌", max_length=64, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        p = platform(request)
        token = p.accounts.create_token(user_id, name)
        p.accounts.audit(who.username, "token", str(user_id), name, client_ip(request))
        return _admin_page(request, who, token=token)

    @pages.post("/admin/users/{user_id}/active")
    def set_active(
        request: Request,
        user_id: int = FastPath(ge=1, le=2**62),
        active: bool = Form(...),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        if user_id == who.id and not active:
            return _admin_page(request, who, error=_text(request, "own_deactivate"), status=400)
        p = platform(request)
        try:
            name = p.accounts.set_active(user_id, active)
        except RongheError as exc:
            return _admin_page(request, who, error=str(exc), status=400)
        action = "user-reactivate" if active else "user-deactivate"
        p.accounts.audit(who.username, action, name, "", client_ip(request))
        return RedirectResponse("/admin", status_code=303)

    @pages.post("/admin/users/{user_id}/password")
    def reset_password(
        request: Request,
        user_id: int = FastPath(ge=1, le=2**62),
        password: str = Form(..., max_length=256, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        p = platform(request)
        own = p.sessions.read(request)
        keep = own.sid if own is not None and user_id == who.id else None
        try:
            name = p.accounts.set_password(user_id, password, keep_session=keep)
        except RongheError as exc:
            return _admin_page(request, who, error=str(exc), status=400)
        p.accounts.audit(who.username, "password-reset", name, "", client_ip(request))
        return RedirectResponse("/admin", status_code=303)

    @pages.post("/admin/settings")
    async def change_settings(
        request: Request, csrf: str = Form(""), who: Principal = Depends(user)
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        form = await request.form()
        choices = {path: str(form.get(path, "")) for path in CHOICES}
        return await run_in_threadpool(_save_settings, request, who, choices)

    @pages.post("/admin/tokens/{token_id}/revoke")
    def revoke_any_token(
        request: Request,
        token_id: int = FastPath(ge=1, le=2**62),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _require_admin(who)
        _revoke(request, who, token_id, None)
        return RedirectResponse("/admin", status_code=303)

    @pages.get("/tokens")
    def own_tokens(request: Request, who: Principal = Depends(user)) -> Response:
        return _tokens_page(request, who)

    @pages.post("/tokens")
    def create_own_token(
        request: Request,
        name: str = Form("令牌", min_length=1, max_length=64, pattern=NO_CONTROL),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        """A new token of the signed-in user, shown once on the page that answers."""
        check_csrf(request, csrf)
        p = platform(request)
        token = p.accounts.create_token(who.id, name)
        p.accounts.audit(who.username, "token", str(who.id), name, client_ip(request))
        return _tokens_page(request, who, token=token)

    @pages.post("/tokens/{token_id}/revoke")
    def revoke_own_token(
        request: Request,
        token_id: int = FastPath(ge=1, le=2**62),
        csrf: str = Form(""),
        who: Principal = Depends(user),
    ) -> Response:
        check_csrf(request, csrf)
        _revoke(request, who, token_id, who.id)
        return RedirectResponse("/tokens", status_code=303)

    @pages.get("/report")
    def report(request: Request, who: Principal = Depends(user)) -> Response:
        if find_spec("ronghe.report.html") is None:
            raise HTTPException(404, "HTML report not installed / 报告模块不可用")
        from ronghe.web.reports import write_report

        p = platform(request)
        snap = p.analysis.snapshot()
        if snap.result is None:
            raise HTTPException(404, "no data in the database / 数据库中没有数据")
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

    return pages


def _map(request: Request, table: Any, level: str, grades: bool = False) -> str | None:
    """The choropleth of the units in ``table`` (columns code, name_zh, value, n) at ``level``
    on the national layers, D in its ten grades with ``grades``; None when that level's
    boundaries are unavailable, "" when no unit has a value."""
    p = platform(request)
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


def _metric_options(result: Any, index_columns: list[str], t: Any, lang: str
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


def _region_page(
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
    variable = variable if variable in catalogue.index else str(catalogue.index[0])
    history = records(p.store.history(code, year, variable).iloc[::-1])
    return {
        "options": options,
        "variable": variable,
        "year": year,
        "unit": catalogue.at[variable, "unit"] or "",
        "current": next((h for h in history if h["valid"]), None),
        "earlier": [h for h in history if not h["valid"]],
    }


def _require_admin(who: Principal) -> None:
    if who.role != "admin":
        raise HTTPException(403, "administrators only / 仅限管理员")


def _text(request: Request, key: str) -> str:
    """The UI text ``key`` in the request's language."""
    return translator(lang_of(request))(key)


def _revoke(request: Request, who: Principal, token_id: int, owner: int | None) -> None:
    """Revoke token ``token_id`` (of ``owner`` only, when given) and audit it; 404 when there is
    no such token, so nobody learns which ids other users' tokens have."""
    p = platform(request)
    row = p.accounts.revoke_token(token_id, owner)
    if row is None:
        raise HTTPException(404, "no such token / 令牌不存在")
    p.accounts.audit(who.username, "token-revoke", str(row["username"]),
                     f"#{row['id']} {row['name']}", client_ip(request))


def _tokens_page(request: Request, who: Principal, token: str = "") -> Response:
    tokens = platform(request).accounts.tokens(who.id)
    return render(request, "tokens.html", {"who": who, "tokens": tokens, "token": token})


def _admin_page(
    request: Request, who: Principal, error: str = "", token: str = "", status: int = 200
) -> Response:
    _require_admin(who)
    p = platform(request)
    settings = stored(p.store)
    return render(
        request,
        "admin.html",
        {
            "who": who,
            "users": p.accounts.users(),
            "roles": ROLES,
            "error": error,
            "token": token,
            "tokens": p.accounts.tokens(),
            "audit": p.accounts.audit_entries(),
            "settings": settings,
            "settings_fields": _settings_fields(lang_of(request), settings.settings),
            "settings_history": history(p.store),
            "settings_problem": p.analysis.problem,
        },
        status=status,
    )


def _save_settings(request: Request, who: Principal, choices: dict[str, str]) -> Response:
    """Store the evaluation settings chosen on the admin page and audit the change (old -> new
    hash, and what changed); the page with the reason (400) when they are refused."""
    p = platform(request)
    old = stored(p.store)
    try:
        changed = p.analysis.change(choose(old.settings, choices), who.username)
    except RongheError as exc:
        return _admin_page(request, who, error=str(exc), status=400)
    if changed is not None:
        before, now = changed
        detail = "; ".join([f"{before.settings.hash} → {now.settings.hash}",
                            *differences(before.settings, now.settings)])
        p.accounts.audit(who.username, "settings", f"#{now.revision}", detail,
                         client_ip(request))
    return RedirectResponse("/admin#settings", status_code=303)


def _settings_fields(lang: str, current: Settings
                     ) -> list[tuple[str, str, list[tuple[str, str]], str]]:
    """The admin page's settings selects: [(dotted path, label, [(value, label)], the value of
    ``current``)]; frameworks are labelled with their names."""
    t = translator(lang)
    values_now = dict(leaves(current.model_dump(mode="json")))
    fields = []
    for path, values in CHOICES.items():
        if path == "framework":
            names = {v: load_framework(v).info for v in values}
            options = [(v, f"{v} · {names[v].name_en if lang == 'en' else names[v].name_zh}")
                       for v in values]
        else:
            options = [(v, t(f"{path}={v}")) for v in values]
        fields.append((path, t(f"set:{path}"), options, str(values_now[path])))
    return fields


def _batches(request: Request, who: Principal) -> list[dict[str, Any]]:
    """Import history with provenance: all batches for full-scope roles, otherwise the caller's own
    (batches are not tagged by region, so others' could reveal out-of-scope files)."""
    frame = platform(request).store.batches()
    if who.scope is not None:
        frame = frame[frame["user_name"] == who.username]
    return records(frame.sort_values("id", ascending=False).head(100))
