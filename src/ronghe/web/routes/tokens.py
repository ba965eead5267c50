"""API tokens: each user's own (the tokens page, ``POST /api/v1/tokens``) and, for
administrators, everyone's (made and revoked from the admin page). A new token is shown once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi import Path as FastPath
from fastapi.responses import RedirectResponse, Response

from ronghe.web.api import ERRORS, TokenIn, TokenOut
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, get_platform, platform
from ronghe.web.pages import FormPost, Posted, render, user
from ronghe.web.routes.admin import admin_page
from ronghe.web.security import NO_CONTROL, client_ip

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
TokenId = FastPath(ge=1, le=2**62)


@pages.get("/tokens")
def own_tokens(request: Request, who: Principal = Depends(user)) -> Response:
    return tokens_page(request, who)


@pages.post("/tokens")
def create_own_token(
    post: Posted,
    name: str = Form("令牌", min_length=1, max_length=64, pattern=NO_CONTROL),
) -> Response:
    """A new token of the signed-in user, shown once on the page that answers."""
    post.check()
    return tokens_page(post.request, post.who, token=_create(post, post.who.id, name))


@pages.post("/tokens/{token_id}/revoke")
def revoke_own_token(post: Posted, token_id: int = TokenId) -> Response:
    post.check()
    revoke(post.request, post.who, token_id, post.who.id)
    return RedirectResponse("/tokens", status_code=303)


@pages.post("/admin/tokens")
def create_token(
    post: Posted,
    user_id: int = Form(..., ge=1, le=2**62),
    name: str = Form("令牌", max_length=64, pattern=NO_CONTROL),
) -> Response:
    post.check(admin=True)
    return admin_page(post.request, post.who, token=_create(post, user_id, name))


@pages.post("/admin/tokens/{token_id}/revoke")
def revoke_any_token(post: Posted, token_id: int = TokenId) -> Response:
    post.check(admin=True)
    revoke(post.request, post.who, token_id, None)
    return RedirectResponse("/admin", status_code=303)


@api.post("/tokens", response_model=TokenOut, status_code=201)
def tokens(body: TokenIn, who: Principal = Depends(api_principal),
           p: Platform = Depends(get_platform)) -> dict[str, str]:
    token = p.accounts.create_token(who.id, body.name)
    p.accounts.audit(who.username, "token", body.name)
    return {"token": token}


def _create(post: FormPost, user_id: int, name: str) -> str:
    """A new token ``name`` of user ``user_id``, made by the poster and audited; shown once."""
    token = post.p.accounts.create_token(user_id, name)
    post.p.accounts.audit(post.who.username, "token", str(user_id), name, client_ip(post.request))
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
