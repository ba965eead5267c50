"""Session cookies, CSRF tokens, login rate limiting and upload limits.

The session is a cookie signed with itsdangerous (HMAC-SHA1 over a timestamped payload holding the
user id and a per-session CSRF token). It is set HttpOnly and SameSite=Lax, and Secure whenever the
request arrived over TLS (``request.url.scheme == "https"``; behind a reverse proxy run uvicorn with
``--proxy-headers`` so ``X-Forwarded-Proto`` sets the scheme). Starlette's own SessionMiddleware fixes
the Secure flag at start-up, which is why the cookie is written here per response.

Every state-changing form carries the session's CSRF token in a hidden ``csrf`` field; JSON calls
made with the session cookie send it in an ``X-CSRF-Token`` header. Bearer-token API calls carry no
cookie and need no CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "ronghe_session"
SESSION_AGE = 12 * 3600  # seconds a session stays valid
MAX_UPLOAD = 20 * 1024 * 1024  # bytes
UPLOAD_TYPES = (".csv", ".xlsx", ".parquet")
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"  # text fields: PostgreSQL refuses NUL, logs want no newlines


@dataclass(frozen=True)
class Session:
    user_id: int | None
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
        uid = data.get("uid")
        return Session(uid if isinstance(uid, int) else None, data["csrf"])

    def write(self, request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE, self._signer.dumps({"uid": session.user_id, "csrf": session.csrf}),
            max_age=SESSION_AGE, httponly=True, samesite="lax",
            secure=request.url.scheme == "https", path="/")

    @staticmethod
    def new(user_id: int | None = None) -> Session:
        return Session(user_id, secrets.token_urlsafe(24))


def csrf_ok(session: Session | None, token: str | None) -> bool:
    """Whether ``token`` matches the session's CSRF token (constant-time compare)."""
    return bool(session and token) and hmac.compare_digest(session.csrf, str(token))


class LoginLimiter:
    """At most ``limit`` failed logins per (user name, client address) within ``window`` seconds;
    further attempts are refused until the oldest failure leaves the window."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._fails: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        fails = self._fails.setdefault(key, deque())
        while fails and now - fails[0] > self.window:
            fails.popleft()
        return fails

    def blocked(self, username: str, ip: str) -> bool:
        with self._lock:
            return len(self._recent((username, ip), time.monotonic())) >= self.limit

    def failed(self, username: str, ip: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((username, ip), now).append(now)

    def succeeded(self, username: str, ip: str) -> None:
        with self._lock:
            self._fails.pop((username, ip), None)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""
