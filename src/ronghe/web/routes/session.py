"""Signing in and out (pages) and who the caller is (``GET /api/v1/me``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ronghe.web.api import ERRORS, Me
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, get_platform, session_principal
from ronghe.web.pages import check_csrf, render
from ronghe.web.security import NO_CONTROL, client_ip

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)


@pages.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", {})


@pages.post("/login")
def login(
    request: Request,
    username: str = Form(..., max_length=64, pattern=NO_CONTROL),
    password: str = Form(..., max_length=256, pattern=NO_CONTROL),
    csrf: str = Form(""),
    p: Platform = Depends(get_platform),
) -> Response:
    check_csrf(request, csrf)
    ip = client_ip(request)
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
def logout(request: Request, csrf: str = Form(""), p: Platform = Depends(get_platform)) -> Response:
    check_csrf(request, csrf)
    who, session = session_principal(request), p.sessions.read(request)
    if session is not None and session.sid is not None:
        p.accounts.end_session(session.sid)
    if who is not None:
        p.accounts.audit(who.username, "logout", ip=client_ip(request))
    response = RedirectResponse("/login", status_code=303)
    p.sessions.write(request, response, p.sessions.new())
    return response


@api.get("/me", response_model=Me)
async def me(who: Principal = Depends(api_principal)) -> Me:
    return Me(username=who.username, role=who.role,
              regions=None if who.scope is None else sorted(who.scope))
