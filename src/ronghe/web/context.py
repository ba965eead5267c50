"""What every request handler shares (the store, accounts, analysis, sessions, limiter) and the
dependencies that identify the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from ronghe.store import Store
from ronghe.web.analysis import Analysis
from ronghe.web.auth import Accounts, Principal
from ronghe.web.maps import Shapes
from ronghe.web.security import LoginLimiter, Sessions, csrf_ok


@dataclass
class Platform:
    store: Store
    accounts: Accounts
    analysis: Analysis
    sessions: Sessions
    limiter: LoginLimiter = field(init=False)  # counts failed logins in the store
    staging: Path = field(default_factory=lambda: _staging_root())  # uploads and reports
    staged: dict[str, dict] = field(default_factory=dict)  # previews awaiting confirmation
    shapes: Shapes = field(default_factory=Shapes)

    def __post_init__(self) -> None:
        self.limiter = LoginLimiter(self.store.engine)


def _staging_root() -> Path:
    from ronghe.web.imports import staging_root

    return staging_root()


def platform(request: Request) -> Platform:
    """The platform of the app serving ``request``."""
    return request.app.state.platform


async def get_platform(request: Request) -> Platform:
    """:func:`platform` as a route dependency (``Depends(get_platform)``); a coroutine, so that
    FastAPI resolves it on the event loop instead of sending it to the threadpool."""
    return request.app.state.platform


bearer = HTTPBearer(auto_error=False, description="API token (ronghe serve → Admin → API token)")


def session_principal(request: Request) -> Principal | None:
    """The signed-in user of the session cookie, if its session row still exists and has not
    expired (see :class:`ronghe.web.auth.Accounts` for the cache)."""
    p = platform(request)
    session = p.sessions.read(request)
    if session is None or session.sid is None:
        return None
    return p.accounts.session_principal(session.sid)


async def api_principal(request: Request,
                        creds: HTTPAuthorizationCredentials | None = Depends(bearer)
                        ) -> Principal:
    """The caller of an API endpoint: a Bearer token, else the session cookie (which must then
    carry the CSRF token in ``X-CSRF-Token`` for anything but GET). Resolved on the event loop
    when the caller is cached, else in the threadpool (the look-up queries the database)."""
    p = platform(request)
    if creds is not None:
        cached = p.accounts.resolved("token", creds.credentials)
    else:
        session = p.sessions.read(request)
        cached = session is None or session.sid is None or p.accounts.resolved("session",
                                                                               session.sid)
    if cached:
        return _api_principal(request, creds)
    return await run_in_threadpool(_api_principal, request, creds)


def _api_principal(request: Request, creds: HTTPAuthorizationCredentials | None) -> Principal:
    p = platform(request)
    if creds is not None:
        who = p.accounts.token_principal(creds.credentials)
        if who is None:
            raise HTTPException(401, "invalid API token / 令牌无效")
        return who
    who = session_principal(request)
    if who is None:
        raise HTTPException(401, "sign in or send an API token / 请登录或提供令牌",
                            headers={"WWW-Authenticate": "Bearer"})
    if request.method not in ("GET", "HEAD") and not csrf_ok(
            p.sessions.read(request), request.headers.get("x-csrf-token")):
        raise HTTPException(403, "missing or wrong CSRF token / CSRF 校验失败")
    return who
