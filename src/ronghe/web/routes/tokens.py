"""API tokens: each user's own (the tokens page, ``POST /api/v1/tokens``) and, for
administrators, everyone's (made and revoked from the admin page). A new token is shown once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi import Path as FastPath
from fastapi.responses import RedirectResponse, Response

from ronghe.web.api import ERRORS, TokenIn, TokenOut
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, get_platform, platform
from ronghe.web.pages import check_csrf, render, user
from ronghe.web.routes.admin import admin_page, require_admin
from ronghe.web.security import NO_CONTROL, client_ip

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
TokenId = FastPath(ge=1, le=2**62)


@pages.get("/tokens")
def own_tokens(request: Request, who: Principal = Depends(user)) -> Response:
    return tokens_page(request, who)


@pages.post("/tokens")
def create_own_token(
    request: Request,
    name: str = Form("令牌", min_length=1, max_length=64, pattern=NO_CONTROL),
    csrf: str = Form(""),
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    """A new token of the signed-in user, shown once on the page that answers."""
    check_csrf(request, csrf)
    return tokens_page(request, who, token=_create(request, p, who, who.id, name))


@pages.post("/tokens/{token_id}/revoke")
def revoke_own_token(
    request: Request,
    token_id: int = TokenId,
    csrf: str = Form(""),
    who: Principal = Depends(user),
) -> Response:
    check_csrf(request, csrf)
    revoke(request, who, token_id, who.id)
    return RedirectResponse("/tokens", status_code=303)


@pages.post("/admin/tokens")
def create_token(
    request: Request,
    user_id: int = Form(..., ge=1, le=2**62),
    name: str = Form("令牌", max_length=64, pattern=NO_CONTROL),
    csrf: str = Form(""),
    who: Principal = Depends(user),
    p: Platform = Depends(get_platform),
) -> Response:
    check_csrf(request, csrf)
    require_admin(who)
    return admin_page(request, who, token=_create(request, p, who, user_id, name))


@pages.post("/admin/tokens/{token_id}/revoke")
def revoke_any_token(
    request: Request,
    token_id: int = TokenId,
    csrf: str = Form(""),
    who: Principal = Depends(user),
) -> Response:
    check_csrf(request, csrf)
    require_admin(who)
    revoke(request, who, token_id, None)
    return RedirectResponse("/admin", status_code=303)


@api.post("/tokens", response_model=TokenOut, status_code=201)
def tokens(body: TokenIn, who: Principal = Depends(api_principal),
           p: Platform = Depends(get_platform)) -> dict[str, str]:
    token = p.accounts.create_token(who.id, body.name)
    p.accounts.audit(who.username, "token", body.name)
    return {"token": token}


def _create(request: Request, p: Platform, who: Principal, user_id: int, name: str) -> str:
    """A new token ``name`` of user ``user_id``, made by ``who`` and audited; shown once."""
    token = p.accounts.create_token(user_id, name)
    p.accounts.audit(who.username, "token", str(user_id), name, client_ip(request))
    return token


def revoke(request: Request, who: Principal, token_id: int, owner: int | None) -> None:
    """Revoke token ``token_id`` (of ``owner`` only, when given) and audit it; 404 when there is
    no such token, so nobody learns which ids other users' tokens have."""
    p = platform(request)
    row = p.accounts.revoke_token(token_id, owner)
    if row is None:
        raise HTTPException(404, "no such token / 令牌不存在")
    p.accounts.audit(who.username, "token-revoke", str(row["username"]),
                     f"#{row['id']} {row['name']}", client_ip(request))


def tokens_page(request: Request, who: Principal, token: str = "") -> Response:
    """The caller's tokens, with a new ``token`` shown once."""
    found = platform(request).accounts.tokens(who.id)
    return render(request, "tokens.html", {"who": who, "tokens": found, "token": token})
