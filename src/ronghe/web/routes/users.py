"""Managing users from the admin page: create, change role and regions, (de)activate, reset a
password. Administrators only; every change is audited."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Form
from fastapi import Path as FastPath
from fastapi.responses import RedirectResponse, Response

from ronghe.errors import RongheError
from ronghe.web.pages import FormPost, Posted, ui_text
from ronghe.web.routes.admin import admin_page
from ronghe.web.security import NO_CONTROL, client_ip

pages = APIRouter(include_in_schema=False)
UserId = FastPath(ge=1, le=2**62)


def _change(post: FormPost, change: Callable[[], object], action: str | None = None) -> Response:
    """Run a user change: back to the admin page, or the page again with the error (400). With
    ``action``, the change returns the user's name and is audited under it."""
    try:
        name = change()
    except RongheError as exc:
        return admin_page(post.request, post.who, error=str(exc), status=400)
    if action is not None:
        post.p.accounts.audit(post.who.username, action, str(name), "", client_ip(post.request))
    return RedirectResponse("/admin", status_code=303)


def _refuse(post: FormPost, key: str) -> Response:
    """The admin page again with the refusal ``key`` in the request's language (400)."""
    return admin_page(post.request, post.who, error=ui_text(post.request, key), status=400)


@pages.post("/admin/users")
def create_user(
    post: Posted,
    username: str = Form(..., max_length=64, pattern=NO_CONTROL),
    password: str = Form(..., max_length=256, pattern=NO_CONTROL),
    role: str = Form(..., max_length=16, pattern=NO_CONTROL),
    regions: str = Form("", max_length=2000, pattern=NO_CONTROL),
) -> Response:
    post.check(admin=True)
    return _change(post, lambda: post.p.accounts.create_user(
        username, password, role, regions.split(","), by=post.who.username,
        ip=client_ip(post.request)))


@pages.post("/admin/users/{user_id}")
def edit_user(
    post: Posted,
    user_id: int = UserId,
    role: str = Form(..., max_length=16, pattern=NO_CONTROL),
    regions: str = Form("", max_length=2000, pattern=NO_CONTROL),
) -> Response:
    post.check(admin=True)
    if user_id == post.who.id and role != post.who.role:
        return _refuse(post, "own_role")
    return _change(post, lambda: post.p.accounts.edit_user(
        user_id, role, regions.split(","), by=post.who.username, ip=client_ip(post.request)))


@pages.post("/admin/users/{user_id}/active")
def set_active(post: Posted, user_id: int = UserId, active: bool = Form(...)) -> Response:
    post.check(admin=True)
    if user_id == post.who.id and not active:
        return _refuse(post, "own_deactivate")
    action = "user-reactivate" if active else "user-deactivate"
    return _change(post, lambda: post.p.accounts.set_active(user_id, active), action)


@pages.post("/admin/users/{user_id}/password")
def reset_password(
    post: Posted,
    user_id: int = UserId,
    password: str = Form(..., max_length=256, pattern=NO_CONTROL),
) -> Response:
    post.check(admin=True)
    own = post.p.sessions.read(post.request)
    keep = own.sid if own is not None and user_id == post.who.id else None
    return _change(post,
                   lambda: post.p.accounts.set_password(user_id, password, keep_session=keep),
                   "password-reset")
