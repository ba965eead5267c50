"""The admin page (``/admin``): users, API tokens, evaluation settings and the audit log, for
administrators only. Its forms post to :mod:`~ronghe.web.routes.users`,
:mod:`~ronghe.web.routes.tokens` and :mod:`~ronghe.web.routes.settings`, which answer with
:func:`admin_page` (a refused change shows it again with the reason)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ronghe.frameworks import load_framework
from ronghe.settings import Settings
from ronghe.web.analysis import CHOICES, history, leaves, stored
from ronghe.web.auth import ROLES, Principal
from ronghe.web.context import platform
from ronghe.web.i18n import lang_of, translator
from ronghe.web.pages import render, require_admin, user

pages = APIRouter(include_in_schema=False)


@pages.get("/admin")
def admin(request: Request, who: Principal = Depends(user)) -> Response:
    return admin_page(request, who)


def admin_page(
    request: Request, who: Principal, error: str = "", token: str = "", status: int = 200
) -> Response:
    """The admin page, with ``error`` (a refused change) or a new ``token`` shown once."""
    require_admin(who)
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
            "settings_fields": settings_fields(lang_of(request), settings.settings),
            "settings_history": history(p.store),
            "settings_problem": p.analysis.problem,
        },
        status=status,
    )


def settings_fields(lang: str, current: Settings
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
