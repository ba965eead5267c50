"""Users, roles, region scope, API tokens and signed-in sessions of the web platform, kept in the
store's tables (migrations 0002 and 0003), read and written through :mod:`ronghe.store.platform`.

Roles: ``admin`` (reads and writes everything, manages users), ``analyst`` (reads everything),
``editor`` (reads, imports and edits the data of its assigned regions and their descendants),
``viewer`` (reads its assigned regions and their descendants). Passwords are hashed with Argon2id
(argon2-cffi defaults, RFC 9106 low-memory profile); API tokens are random 32-byte strings of which
only the SHA-256 is stored, so a leaked database reveals neither. A signed-in session is a row of
``web_sessions`` keyed by the SHA-256 of a random 32-byte id that the signed cookie carries; logout
deletes the row, and deactivating a user or changing their role or password deletes all of the
user's rows (a password reset may keep the caller's own session).

Resolved callers (users, tokens and sessions) are cached for ``PRINCIPAL_TTL`` seconds (a token
lookup and a scope closure cost more than the rest of a cached API answer); changes made through
this process clear the cache at once, changes made by another worker take effect within that time:
a session ended or a token revoked there is still accepted here for at most ``PRINCIPAL_TTL``
seconds.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ronghe.errors import InputError
from ronghe.store import Store
from ronghe.store import platform as db
from ronghe.web.security import SESSION_AGE, utcnow

ROLES = ("admin", "analyst", "editor", "viewer")
FULL_READ = ("admin", "analyst")
PRINCIPAL_TTL = 10.0  # seconds
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user or the owner of an API token. ``scope`` is the set of
    region codes readable (None: all regions)."""

    id: int
    username: str
    role: str
    scope: frozenset[str] | None

    def can_read(self, region: str) -> bool:
        return self.scope is None or str(region) in self.scope

    def can_write(self, region: str) -> bool:
        if self.role == "admin":
            return True
        return self.role == "editor" and self.can_read(region)

    @property
    def can_import(self) -> bool:
        return self.role in ("admin", "editor")


def descendants(regions: pd.DataFrame, roots: list[str]) -> frozenset[str]:
    """``roots`` and every region whose parent chain reaches one of them (``regions`` indexed by
    code with a ``parent`` column)."""
    children: dict[str, list[str]] = {}
    for code, parent in regions["parent"].dropna().items():
        children.setdefault(str(parent), []).append(str(code))
    seen: set[str] = set()
    stack = [str(r) for r in roots]
    while stack:
        code = stack.pop()
        if code not in seen:
            seen.add(code)
            stack.extend(children.get(code, []))
    return frozenset(seen)


class Accounts:
    """User, assignment, token and audit operations on a store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        self._regions: pd.DataFrame | None = None
        self._cache: dict[tuple[str, object], tuple[float, Principal | None]] = {}

    def _cached(self, key: tuple[str, object],
                load: Callable[[], Principal | None]) -> Principal | None:
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now + PRINCIPAL_TTL, value)
        return value

    def resolved(self, kind: Literal["token", "session"], secret: str) -> bool:
        """Whether the caller behind an API token or session id is in the cache, so that
        :meth:`token_principal` or :meth:`session_principal` will not query the database."""
        hit = self._cache.get((kind, _digest(secret)))
        return hit is not None and hit[0] > time.monotonic()

    @property
    def regions(self) -> pd.DataFrame:
        if self._regions is None:
            self._regions = self.store.regions()
        return self._regions

    # -- users ----------------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: str,
                    regions: list[str] | None = None, *, by: str | None = None,
                    ip: str = "") -> int:
        """Create an active user with its region assignments, in one transaction: a bad role,
        name, password or region code creates nothing. With ``by`` (the administrator), the
        ``user-create`` audit entry is written in the same transaction."""
        username = username.strip()
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)} / 角色无效")
        if not username or len(username) > 64:
            raise InputError("user name must be 1-64 characters / 用户名须为 1-64 个字符")
        _check_password(password)
        codes = self._known_codes(regions or [])
        audit = None if by is None else db.Audit(
            by, "user-create", [(username, f"{role}; {','.join(codes)}")], ip)
        uid = db.create_user(self.engine, username, _hasher.hash(password), role, codes,
                             utcnow(), audit)
        self._cache.clear()
        return uid

    def edit_user(self, user_id: int, role: str, regions: list[str], *, by: str,
                  ip: str = "") -> str:
        """Set the user's role and replace its region assignments, all or nothing, with the
        ``user-edit`` audit entry in the same transaction; a new role ends the user's sessions.
        Returns the user name."""
        if role not in ROLES:
            raise InputError(f"unknown role {role!r} / 角色无效")
        codes = self._known_codes(regions)
        name = db.edit_user(self.engine, user_id, role, codes, utcnow(), db.Audit(
            by, "user-edit", [(str(user_id), f"{role}; {','.join(codes)}")], ip))
        self._cache.clear()
        return name

    def _known_codes(self, regions: list[str]) -> list[str]:
        """The distinct non-blank codes of ``regions``, sorted; InputError naming the first one
        the store does not know."""
        codes = sorted({str(r).strip() for r in regions if str(r).strip()})
        unknown = [c for c in codes if c not in self.regions.index]
        if unknown:
            raise InputError(f"unknown region code {unknown[0]} / 地区代码不存在")
        return codes

    def set_active(self, user_id: int, active: bool) -> str:
        """Deactivate (ending the user's sessions; tokens stop working as the user is inactive)
        or reactivate a user; returns the user name."""
        name = db.set_active(self.engine, user_id, active)
        self._cache.clear()
        return name

    def set_password(self, user_id: int, password: str, keep_session: str | None = None) -> str:
        """Replace the user's password and end the user's sessions except ``keep_session`` (the
        caller's own, when users reset their own password); returns the user name."""
        _check_password(password)
        name = db.set_password(self.engine, user_id, _hasher.hash(password),
                               None if keep_session is None else _digest(keep_session))
        self._cache.clear()
        return name

    def users(self) -> list[dict]:
        """Every user with role, assigned region codes and number of open sessions."""
        return db.users(self.engine, utcnow())

    def authenticate(self, username: str, password: str) -> Principal | None:
        row = db.user(self.engine, username=username)
        if row is None or not row.active:
            _hasher.hash(password)  # same work either way: no user-name probing by timing
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return self.principal(row.id)

    def principal(self, user_id: int) -> Principal | None:
        """The active user ``user_id`` with its scope (cached, see module docstring)."""
        return self._cached(("user", user_id), lambda: self._load_principal(user_id))

    def _load_principal(self, user_id: int) -> Principal | None:
        row = db.user(self.engine, user_id=user_id)
        if row is None or not row.active:
            return None
        scope = None if row.role in FULL_READ else descendants(self.regions, list(row.regions))
        return Principal(row.id, row.username, row.role, scope)

    # -- sessions -------------------------------------------------------------------------------
    def open_session(self, user_id: int) -> str:
        """Start a session of ``SESSION_AGE`` seconds for the user and return its random id (only
        its SHA-256 is stored); expired sessions of anyone are deleted on the way."""
        sid = secrets.token_urlsafe(32)
        now = utcnow()
        db.open_session(self.engine, _digest(sid), user_id, now,
                        now + timedelta(seconds=SESSION_AGE))
        return sid

    def session_principal(self, sid: str) -> Principal | None:
        """The active user of an unexpired session (cached, see module docstring)."""
        digest = _digest(sid)

        def load() -> Principal | None:
            uid = db.session_user(self.engine, digest, utcnow())
            return None if uid is None else self.principal(uid)

        return self._cached(("session", digest), load)

    def end_session(self, sid: str) -> None:
        """Logout: delete the session's row."""
        digest = _digest(sid)
        db.end_session(self.engine, digest)
        self._cache.pop(("session", digest), None)

    # -- tokens ---------------------------------------------------------------------------------
    def create_token(self, user_id: int, name: str) -> str:
        """A new API token for the user; the plain token is returned once and never stored."""
        token = "rh_" + secrets.token_urlsafe(32)
        db.create_token(self.engine, user_id, name or "token", _digest(token), utcnow())
        return token

    def tokens(self, user_id: int | None = None, token_id: int | None = None) -> list[dict]:
        """API tokens, newest first, of one user or (None) of everyone, optionally only the one
        with id ``token_id``: id, name, user_id, username, created_at, revoked."""
        return db.tokens(self.engine, user_id, token_id)

    def revoke_token(self, token_id: int, user_id: int | None = None) -> dict | None:
        """Revoke a token (only if it belongs to ``user_id``, when given) and return its row (see
        :meth:`tokens`); None when there is no such token. A revoked token is refused at once in
        this process."""
        found = self.tokens(user_id, token_id)
        if not found:
            return None
        db.revoke_token(self.engine, token_id)
        self._cache.clear()
        return found[0]

    def token_principal(self, token: str) -> Principal | None:
        """The owner of an unrevoked token (cached, see module docstring)."""
        digest = _digest(token)

        def load() -> Principal | None:
            uid = db.token_user(self.engine, digest)
            return None if uid is None else self.principal(uid)

        return self._cached(("token", digest), load)

    # -- audit ----------------------------------------------------------------------------------
    def audit(self, username: str | None, action: str, target: str = "", detail: str = "",
              ip: str = "") -> None:
        self.audit_many(username, action, [(target, detail)], ip)

    def audit_many(self, username: str | None, action: str, entries: list[tuple[str, str]],
                   ip: str = "") -> None:
        """One audit entry per (target, detail), written in one transaction."""
        db.write_audit(self.engine, db.Audit(username, action, entries, ip), utcnow())

    def audit_entries(self, limit: int = 200) -> list[dict]:
        """The newest ``limit`` audit entries, newest first."""
        return db.audit_entries(self.engine, limit)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise InputError("password must have at least 8 characters / 密码至少 8 位")

