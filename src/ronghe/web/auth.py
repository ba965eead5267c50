"""Users, roles, region scope and API tokens of the web platform, kept in the store's tables
(migration 0002).

Roles: ``admin`` (reads and writes everything, manages users), ``analyst`` (reads everything),
``editor`` (reads, imports and edits the data of its assigned regions and their descendants),
``viewer`` (reads its assigned regions and their descendants). Passwords are hashed with Argon2id
(argon2-cffi defaults, RFC 9106 low-memory profile); API tokens are random 32-byte strings of which
only the SHA-256 is stored, so a leaked database reveals neither.

Resolved callers are cached for ``PRINCIPAL_TTL`` seconds (a token lookup and a scope closure cost
more than the rest of a cached API answer); changes made through this process clear the cache at
once, changes made by another worker take effect within that time.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ronghe.errors import InputError
from ronghe.store import Store
from ronghe.store import schema as t

ROLES = ("admin", "analyst", "editor", "viewer")
FULL_READ = ("admin", "analyst")
PRINCIPAL_TTL = 10.0  # seconds
_hasher = PasswordHasher()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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

    def _cached(self, key: tuple[str, object], load):  # type: ignore[no-untyped-def]
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now + PRINCIPAL_TTL, value)
        return value

    @property
    def regions(self) -> pd.DataFrame:
        if self._regions is None:
            self._regions = self.store.regions()
        return self._regions

    # -- users ----------------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: str,
                    regions: list[str] | None = None) -> int:
        username = username.strip()
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)} / 角色无效")
        if not username or len(username) > 64:
            raise InputError("user name must be 1-64 characters / 用户名须为 1-64 个字符")
        if len(password) < 8:
            raise InputError("password must have at least 8 characters / 密码至少 8 位")
        with self.engine.begin() as conn:
            if conn.execute(sa.select(t.users.c.id).where(t.users.c.username == username)
                            ).scalar() is not None:
                raise InputError(f"user {username!r} exists / 用户已存在")
            uid = int(conn.execute(t.users.insert().values(
                username=username, password_hash=_hasher.hash(password), role=role, active=True,
                created_at=_now()).returning(t.users.c.id)).scalar())
        self.assign(uid, regions or [])
        return uid

    def assign(self, user_id: int, regions: list[str]) -> None:
        """Replace the user's region assignments (codes must exist in the store)."""
        codes = sorted({str(r).strip() for r in regions if str(r).strip()})
        unknown = [c for c in codes if c not in self.regions.index]
        if unknown:
            raise InputError(f"unknown region code {unknown[0]} / 地区代码不存在")
        self._cache.clear()
        with self.engine.begin() as conn:
            conn.execute(t.user_regions.delete().where(t.user_regions.c.user_id == user_id))
            if codes:
                conn.execute(t.user_regions.insert(),
                             [{"user_id": user_id, "region": c} for c in codes])

    def set_role(self, user_id: int, role: str) -> None:
        if role not in ROLES:
            raise InputError(f"unknown role {role!r} / 角色无效")
        self._cache.clear()
        with self.engine.begin() as conn:
            conn.execute(t.users.update().where(t.users.c.id == user_id).values(role=role))

    def users(self) -> list[dict]:
        """Every user with role and assigned region codes."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.users.c.id, t.users.c.username, t.users.c.role,
                                          t.users.c.active).order_by(t.users.c.id)).mappings()
            users = [dict(r) for r in rows]
            assigned = conn.execute(sa.select(t.user_regions)).all()
        for u in users:
            u["regions"] = sorted(r.region for r in assigned if r.user_id == u["id"])
        return users

    def authenticate(self, username: str, password: str) -> Principal | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.username == username)).first()
        if row is None or not row.active:
            _hasher.hash(password)  # same work either way: no user-name probing by timing
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return self.principal(int(row.id))

    def principal(self, user_id: int) -> Principal | None:
        """The active user ``user_id`` with its scope (cached, see module docstring)."""
        return self._cached(("user", user_id), lambda: self._load_principal(user_id))

    def _load_principal(self, user_id: int) -> Principal | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
            if row is None or not row.active:
                return None
            roots = conn.execute(sa.select(t.user_regions.c.region).where(
                t.user_regions.c.user_id == user_id)).scalars().all()
        scope = None if row.role in FULL_READ else descendants(self.regions, list(roots))
        return Principal(int(row.id), row.username, row.role, scope)

    # -- tokens ---------------------------------------------------------------------------------
    def create_token(self, user_id: int, name: str) -> str:
        """A new API token for the user; the plain token is returned once and never stored."""
        token = "rh_" + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(t.api_tokens.insert().values(
                user_id=user_id, name=name or "token", token_hash=_digest(token),
                created_at=_now(), revoked=False))
        return token

    def token_principal(self, token: str) -> Principal | None:
        """The owner of an unrevoked token (cached, see module docstring)."""
        digest = _digest(token)

        def load() -> Principal | None:
            with self.engine.connect() as conn:
                uid = conn.execute(sa.select(t.api_tokens.c.user_id).where(
                    t.api_tokens.c.token_hash == digest, ~t.api_tokens.c.revoked)).scalar()
            return None if uid is None else self.principal(int(uid))

        return self._cached(("token", digest), load)

    # -- audit ----------------------------------------------------------------------------------
    def audit(self, username: str | None, action: str, target: str = "", detail: str = "",
              ip: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(t.audit_log.insert().values(
                logged_at=_now(), username=username, action=action, target=target, detail=detail,
                ip=ip[:64]))

    def audit_entries(self, limit: int = 200) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.audit_log).order_by(t.audit_log.c.id.desc())
                                .limit(limit)).mappings()
            return [dict(r) for r in rows]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
