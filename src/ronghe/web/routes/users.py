"""Managing users from the admin page: create, change role and regions, (de)activate, reset a
password. Administrators only; every change is audited."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request
from fastapi import Path as FastPath
from fastapi.responses import RedirectResponse, Response

from ronghe.errors import RongheError
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, get_platform, platform
from ronghe.web.pages import check_csrf, ui_text, user
from ronghe.web.routes.admin import admin_page, require_admin
from ronghe.web.security import NO_CONTROL, client_ip

pages = APIRouter(include_in_schema=False)
UserId = FastPath(ge=1, le=2**62)


def _change(request: Request, who: Principal, change: Callable[[], object],
            action: str | None = None) -> Response:
    """Run a user change: back to the admin page, or the page again with the error (400). With
    ``action``, the change returns the user's name and is audited under it."""
    try:
        name = change()
    except RongheError as exc:
        return admin_page(request, who, error=str(exc), status=400)
    if action is not None:
        platform(request).accounts.audit(who.username, action, str(name), "", client_ip(request))
    return RedirectResponse("/admin", status_code=303)


@pages.post("/admin/users")
def create_user(
    request: Request,
    username: str = Form(..., max_length=64, pattern=NO_CONTROL),
    password: str = Form(..., max_length=256, pattern=NO_CONTROL),
    role: str = Form(..., max_length=16, pattern=NO_CONTROL),
    regions: str = Form("", max_length=2000, pattern=NO_CONTROL),
    csrf: str = Form(""),
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    check_csrf(request, csrf)
    require_admin(who)
    return _change(request, who, lambda: p.accounts.create_user(
        username, password, role, regions.split(","), by=who.username, ip=client_ip(request)))


@pages.post("/admin/users/{user_id}")
def edit_user(
    request: Request,
    user_id: int = UserId,
    role: str = Form(..., max_length=16, pattern=NO_CONTROL),
    regions: str = Form("", max_length=2000, pattern=NO_CONTROL),
    csrf: str = Form(""),
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    check_csrf(request, csrf)
    require_admin(who)
    if user_id == who.id and role != who.role:
        return admin_page(request, who, error=ui_text(request, "own_role"), status=400)
    return _change(request, who, lambda: p.accounts.edit_user(
        user_id, role, regions.split(","), by=who.username, ip=client_ip(request)))


@pages.post("/admin/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: int = UserId,
    active: bool = Form(...),
    csrf: str = Form(""),
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    check_csrf(request, csrf)
    require_admin(who)
    if user_id == who.id and not active:
        return admin_page(request, who, error=ui_text(request, "own_deactivate"), status=400)
    action = "user-reactivate" if active else "user-deactivate"
    return _change(request, who, lambda: p.accounts.set_active(user_id, active), action)


@pages.post("/admin/users/{user_id}/password")
def reset_password(
    request: Request,
    user_id: int = UserId,
    password: str = Form(..., max_length=256, pattern=NO_CONTROL),
    csrf: str = Form(""),
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    check_csrf(request, csrf)
    require_admin(who)
    own = p.sessions.read(request)
    keep = own.sid if own is not None and user_id == who.id else None
    return _change(request, who,
                   lambda: p.accounts.set_password(user_id, password, keep_session=keep),
                   "password-reset")
