"""The evaluation settings an administrator chooses on the admin page (``POST /admin/settings``):
checked by evaluating the data with them, stored as a new revision, audited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ronghe.errors import RongheError
from ronghe.web.analysis import CHOICES, choose, differences, stored
from ronghe.web.auth import Principal
from ronghe.web.context import platform
from ronghe.web.pages import Posted
from ronghe.web.routes.admin import admin_page
from ronghe.web.security import client_ip

pages = APIRouter(include_in_schema=False)


@pages.post("/admin/settings")
async def change_settings(post: Posted) -> Response:
    post.check(admin=True)
    form = await post.request.form()
    choices = {path: str(form.get(path, "")) for path in CHOICES}
    return await run_in_threadpool(save_settings, post.request, post.who, choices)


def save_settings(request: Request, who: Principal, choices: dict[str, str]) -> Response:
    """Store the evaluation settings chosen on the admin page and audit the change (old -> new
    hash, and what changed); the page with the reason (400) when they are refused."""
    p = platform(request)
    old = stored(p.store)
    try:
        changed = p.analysis.change(choose(old.settings, choices), who.username)
    except RongheError as exc:
        return admin_page(request, who, error=str(exc), status=400)
    if changed is not None:
        before, now = changed
        detail = "; ".join([f"{before.settings.hash} → {now.settings.hash}",
                            *differences(before.settings, now.settings)])
        p.accounts.audit(who.username, "settings", f"#{now.revision}", detail,
                         client_ip(request))
    return RedirectResponse("/admin#settings", status_code=303)
