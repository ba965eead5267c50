"""Session cookies, CSRF tokens, login rate limiting and upload limits.

The session is a cookie signed with itsdangerous (HMAC-SHA1 over a timestamped payload holding a
per-session CSRF token and, once signed in, a random session id). The id names a row of the store's
``web_sessions`` table (which keeps only its SHA-256, see :class:`ronghe.web.auth.Accounts`), so a
session ends on the server at logout, deactivation or a role or password change, even if a copy of
the cookie survives; an anonymous session (the login form's CSRF token) has no row. The cookie is
set HttpOnly and SameSite=Lax, and Secure whenever the request arrived over TLS
(``request.url.scheme == "https"``; behind a reverse proxy run uvicorn with ``--proxy-headers`` so
``X-Forwarded-Proto`` sets the scheme). Starlette's own SessionMiddleware fixes the Secure flag at
start-up, which is why the cookie is written here per response.

Every state-changing form carries the session's CSRF token in a hidden ``csrf`` field; JSON calls
made with the session cookie send it in an ``X-CSRF-Token`` header. Bearer-token API calls carry no
cookie and need no CSRF token.

Failed logins are counted in the store's ``login_failures`` table, so every worker (and every
process on the same database) sees the same count; see :class:`LoginLimiter` for the limits.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ronghe.store import platform as db

COOKIE = "ronghe_session"
SESSION_AGE = 12 * 3600  # seconds a session stays valid
MAX_UPLOAD = 20 * 1024 * 1024  # bytes
UPLOAD_TYPES = (".csv", ".xlsx", ".parquet")
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"  # text fields: PostgreSQL refuses NUL, logs want no newlines


def utcnow() -> datetime:
    """The current time as the store's ``DateTime`` columns hold it: UTC without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Session:
    """A cookie's content: the session id of a signed-in session (None before login) and the
    session's CSRF token."""

    sid: str | None
    csrf: str


class Sessions:
    """Sign, read and write session cookies."""

    def __init__(self, secret_key: str) -> None:
        self._signer = URLSafeTimedSerializer(secret_key, salt="ronghe-session")

    def read(self, request: Request) -> Session | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._signer.loads(raw, max_age=SESSION_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        sid = data.get("sid")
        return Session(sid if isinstance(sid, str) else None, data["csrf"])

    def write(self, request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE, self._signer.dumps({"sid": session.sid, "csrf": session.csrf}),
            max_age=SESSION_AGE, httponly=True, samesite="lax",
            secure=request.url.scheme == "https", path="/")

    @staticmethod
    def new(sid: str | None = None) -> Session:
        """A session with a fresh CSRF token; ``sid`` from :meth:`Accounts.open_session`."""
        return Session(sid, secrets.token_urlsafe(24))


def csrf_ok(session: Session | None, token: str | None) -> bool:
    """Whether ``token`` matches the session's CSRF token (constant-time compare)."""
    if session is None or not token:
        return False
    return hmac.compare_digest(session.csrf, str(token))


class LoginLimiter:
    """At most ``limit`` failed logins per (user name, client address) and ``address_limit`` per
    client address whatever the user names, within ``window`` seconds; further attempts are
    refused before any password is checked, until the oldest failure leaves the window.

    Failures are rows of the store's ``login_failures`` table (shared by all workers). An attempt
    is counted *before* its password is checked (:meth:`attempt` checks both limits and records
    the attempt in one step, serialised per client address by
    :func:`ronghe.store.platform.count_login`), so
    that parallel wrong passwords cannot all pass the check before any of them is counted; a
    successful login then deletes the pair's rows (:meth:`succeeded`). Each attempt also deletes
    the rows older than the window. The address limit bounds what a flood of made-up user names
    costs: past it no Argon2 hash is computed for that address."""

    def __init__(self, engine: sa.Engine, limit: int = 5, window: float = 300.0,
                 address_limit: int = 50) -> None:
        self.engine, self.limit, self.window = engine, limit, window
        self.address_limit = address_limit

    def _since(self) -> datetime:
        return utcnow() - timedelta(seconds=self.window)

    def _over(self, counts: tuple[int, int]) -> bool:
        return counts[0] >= self.limit or counts[1] >= self.address_limit

    def blocked(self, username: str, ip: str) -> bool:
        """Whether a login of ``username`` from ``ip`` would be refused now."""
        return self._over(db.login_failures(self.engine, username, ip[:64], self._since()))

    def attempt(self, username: str, ip: str) -> bool:
        """Count a login attempt as a failure unless a limit is reached; False (nothing counted)
        when the attempt must be refused."""
        return db.count_login(self.engine, username, ip[:64], utcnow(), self._since(),
                              self._over)

    def succeeded(self, username: str, ip: str) -> None:
        db.clear_logins(self.engine, username, ip[:64])




def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""
