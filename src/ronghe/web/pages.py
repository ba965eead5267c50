"""What every server-rendered page shares: the templates (with their filters), rendering with the
language, caller and CSRF token, the signed-in-user dependency, the CSRF check of forms and the
administrator check, and :data:`Posted`, the parameter of a route that takes a signed-in user's form
post. The pages themselves (login, overview, region profile, scenario, data, admin, own API tokens, report)
are in :mod:`ronghe.web.routes`, one module per resource."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ronghe.web.auth import Principal
from ronghe.web.context import Platform, get_platform, platform, session_principal
from ronghe.web.i18n import lang_of, translator
from ronghe.web.security import Session, csrf_ok
from ronghe.words import action_label, number, role_label, unit_label

__all__ = ["FormPost", "NeedLogin", "Posted", "build_pages", "check_csrf", "render",
           "require_admin", "templates", "ui_text", "user", "when"]


def when(moment: datetime | None, seconds: bool = False) -> str:
    """A stored time (naive UTC) as ``2026-12-05 08:01`` (``seconds``: ``08:01:13``) followed by
    ``UTC``; "" for None."""
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + " UTC"


templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters.update(unit=unit_label, role=role_label, action=action_label, num=number,
                             when=when)


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
    if current is None:
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
    """The signed-in user (dependency of every page but login); NeedLogin when there is none."""
    who = session_principal(request)
    if who is None:
        raise NeedLogin
    return who


def check_csrf(request: Request, token: str) -> None:
    """403 unless ``token`` (a form's ``csrf`` field) is the session's CSRF token."""
    if not csrf_ok(platform(request).sessions.read(request), token):
        raise HTTPException(403, "missing or wrong CSRF token / CSRF 校验失败")


def require_admin(who: Principal) -> None:
    """403 unless the caller is an administrator."""
    if who.role != "admin":
        raise HTTPException(403, "administrators only / 仅限管理员")


@dataclass(frozen=True)
class FormPost:
    """A form posted by a signed-in user: the request, the form's ``csrf`` field, the user and the
    platform. Nothing is checked when it is built: the route calls :meth:`check` first thing in its
    body, after FastAPI has validated the route's own fields, so a malformed form answers 422
    before a wrong CSRF token or role answers 403."""

    request: Request
    csrf: str
    who: Principal
    p: Platform

    def check(self, admin: bool = False) -> None:
        """403 unless the form carries the session's CSRF token (and, with ``admin``, unless the
        user is an administrator)."""
        check_csrf(self.request, self.csrf)
        if admin:
            require_admin(self.who)


async def form_post(request: Request, csrf: str = Form(""), who: Principal = Depends(user),
                    p: Platform = Depends(get_platform)) -> FormPost:
    """The :class:`FormPost` of a request (a dependency: see :data:`Posted`)."""
    return FormPost(request, csrf, who, p)


#: The parameter of a route that takes a signed-in user's form post (``post: Posted``).
Posted = Annotated[FormPost, Depends(form_post)]


def ui_text(request: Request, key: str) -> str:
    """The UI text ``key`` in the request's language."""
    return translator(lang_of(request))(key)


def build_pages() -> APIRouter:
    """Every page (see :func:`ronghe.web.routes.page_router`)."""
    from ronghe.web.routes import page_router

    return page_router()
