"""The web platform's persistence: users and their region assignments, API tokens, signed-in
sessions, the audit log, failed logins and the evaluation settings (the tables of migrations
0002-0004 in :mod:`ronghe.store.schema`), read and written through SQLAlchemy Core on DuckDB and
PostgreSQL alike.

The web layer (:mod:`ronghe.web`) decides who may do what, hashes passwords and secrets and keeps
its caches; these functions only store and fetch. Secrets arrive as their SHA-256 digests (a
session id or an API token is never stored in plain), times as naive UTC datetimes (the columns'
``DateTime`` without a time zone), chosen by the caller so that tests can move the clock. Every
function that changes several rows does so in one transaction: an error leaves the tables as they
were.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ronghe.errors import InputError
from ronghe.store import schema as t


@dataclass(frozen=True)
class Audit:
    """Audit entries to write: one row per (target, detail) of ``entries``, by ``username``
    (None for an anonymous caller) from client address ``ip`` (cut to 64 characters)."""

    username: str | None
    action: str
    entries: Sequence[tuple[str, str]]
    ip: str = ""


# -- users ----------------------------------------------------------------------------------------
def create_user(engine: sa.Engine, username: str, password_hash: str, role: str,
                regions: Sequence[str], now: datetime, audit: Audit | None = None) -> int:
    """Insert an active user with its region assignments (and ``audit``) in one transaction;
    InputError when the name is taken. Returns the new user's id."""
    with engine.begin() as conn:
        if conn.execute(sa.select(t.users.c.id).where(t.users.c.username == username)
                        ).scalar() is not None:
            raise InputError(f"user {username!r} exists / 用户已存在")
        uid = int(conn.execute(t.users.insert().values(
            username=username, password_hash=password_hash, role=role, active=True,
            created_at=now).returning(t.users.c.id)).scalar_one())
        _assign(conn, uid, regions)
        if audit is not None:
            _audit(conn, audit, now)
    return uid


def edit_user(engine: sa.Engine, user_id: int, role: str, regions: Sequence[str], now: datetime,
              audit: Audit) -> str:
    """Set the user's role (ending all its sessions when the role changes) and replace its region
    assignments, with ``audit``, in one transaction; returns the user name (InputError for an
    unknown id)."""
    with engine.begin() as conn:
        row = _user_row(conn, user_id)
        if row.role != role:
            conn.execute(t.users.update().where(t.users.c.id == user_id).values(role=role))
            _end_sessions(conn, user_id)
        _assign(conn, user_id, regions)
        _audit(conn, audit, now)
    return str(row.username)


def set_active(engine: sa.Engine, user_id: int, active: bool) -> str:
    """Activate or deactivate a user (deactivating ends its sessions); returns the user name."""
    with engine.begin() as conn:
        name = str(_user_row(conn, user_id).username)
        conn.execute(t.users.update().where(t.users.c.id == user_id).values(active=active))
        if not active:
            _end_sessions(conn, user_id)
    return name


def set_password(engine: sa.Engine, user_id: int, password_hash: str,
                 keep_session: str | None = None) -> str:
    """Replace the user's password hash and end its sessions except the one whose id digest is
    ``keep_session``; returns the user name."""
    with engine.begin() as conn:
        name = str(_user_row(conn, user_id).username)
        conn.execute(t.users.update().where(t.users.c.id == user_id).values(
            password_hash=password_hash))
        _end_sessions(conn, user_id, keep_session)
    return name


def users(engine: sa.Engine, now: datetime) -> list[dict[str, Any]]:
    """Every user (id, username, role, active) by id, with its assigned region codes (sorted)
    and its number of sessions unexpired at ``now``."""
    s = t.web_sessions.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.users.c.id, t.users.c.username, t.users.c.role,
                                      t.users.c.active).order_by(t.users.c.id)).mappings()
        found = [dict(r) for r in rows]
        assigned = conn.execute(sa.select(t.user_regions)).all()
        open_now = sa.select(s.user_id, sa.func.count()).where(s.expires_at > now)
        sessions: dict[int, int] = dict(
            conn.execute(open_now.group_by(s.user_id)).tuples().all())
    for u in found:
        u["regions"] = sorted(r.region for r in assigned if r.user_id == u["id"])
        u["sessions"] = int(sessions.get(u["id"], 0))
    return found


@dataclass(frozen=True)
class User:
    """A user row with its assigned region codes (the roots of its scope)."""

    id: int
    username: str
    role: str
    active: bool
    password_hash: str
    regions: tuple[str, ...]


def user(engine: sa.Engine, *, user_id: int | None = None, username: str | None = None
         ) -> User | None:
    """The user with ``user_id`` or ``username`` (exactly one of them), or None."""
    where = t.users.c.id == user_id if username is None else t.users.c.username == username
    with engine.connect() as conn:
        row = conn.execute(sa.select(t.users).where(where)).first()
        if row is None:
            return None
        roots = conn.execute(sa.select(t.user_regions.c.region).where(
            t.user_regions.c.user_id == row.id)).scalars().all()
    return User(int(row.id), row.username, row.role, bool(row.active), row.password_hash,
                tuple(roots))


# -- sessions -------------------------------------------------------------------------------------
def open_session(engine: sa.Engine, digest: str, user_id: int, now: datetime,
                 expires_at: datetime) -> None:
    """Store a session (the digest of its id) of the user until ``expires_at``; sessions of
    anyone expired at ``now`` are deleted in the same transaction."""
    with engine.begin() as conn:
        conn.execute(t.web_sessions.delete().where(t.web_sessions.c.expires_at <= now))
        conn.execute(t.web_sessions.insert().values(id_hash=digest, user_id=user_id,
                                                    created_at=now, expires_at=expires_at))


def session_user(engine: sa.Engine, digest: str, now: datetime) -> int | None:
    """The user id of the session with id digest ``digest`` unexpired at ``now``, or None."""
    s = t.web_sessions.c
    with engine.connect() as conn:
        uid = conn.execute(sa.select(s.user_id).where(s.id_hash == digest,
                                                      s.expires_at > now)).scalar()
    return None if uid is None else int(uid)


def end_session(engine: sa.Engine, digest: str) -> None:
    """Delete the session with id digest ``digest`` (logout)."""
    with engine.begin() as conn:
        conn.execute(t.web_sessions.delete().where(t.web_sessions.c.id_hash == digest))


# -- API tokens -----------------------------------------------------------------------------------
def create_token(engine: sa.Engine, user_id: int, name: str, digest: str, now: datetime) -> None:
    """Store an unrevoked API token (its digest) of the user."""
    with engine.begin() as conn:
        conn.execute(t.api_tokens.insert().values(user_id=user_id, name=name, token_hash=digest,
                                                  created_at=now, revoked=False))


def tokens(engine: sa.Engine, user_id: int | None = None, token_id: int | None = None
           ) -> list[dict[str, Any]]:
    """API tokens, newest first, of one user or (None) of everyone, optionally only the one with
    id ``token_id``: id, name, user_id, username, created_at, revoked."""
    a = t.api_tokens.c
    query = (sa.select(a.id, a.name, a.user_id, t.users.c.username, a.created_at, a.revoked)
             .select_from(t.api_tokens.outerjoin(t.users, t.users.c.id == a.user_id))
             .order_by(a.id.desc()))
    if user_id is not None:
        query = query.where(a.user_id == user_id)
    if token_id is not None:
        query = query.where(a.id == token_id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def revoke_token(engine: sa.Engine, token_id: int) -> None:
    """Mark the token revoked."""
    with engine.begin() as conn:
        conn.execute(t.api_tokens.update().where(t.api_tokens.c.id == token_id).values(
            revoked=True))


def token_user(engine: sa.Engine, digest: str) -> int | None:
    """The user id of the unrevoked token with digest ``digest``, or None."""
    a = t.api_tokens.c
    with engine.connect() as conn:
        uid = conn.execute(sa.select(a.user_id).where(a.token_hash == digest,
                                                      ~a.revoked)).scalar()
    return None if uid is None else int(uid)


# -- audit log ------------------------------------------------------------------------------------
def write_audit(engine: sa.Engine, audit: Audit, now: datetime) -> None:
    """Write the entries of ``audit`` (none: nothing) logged at ``now``, in one transaction."""
    if audit.entries:
        with engine.begin() as conn:
            _audit(conn, audit, now)


def audit_entries(engine: sa.Engine, limit: int = 200) -> list[dict[str, Any]]:
    """The newest ``limit`` audit entries, newest first (every column of ``audit_log``)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.audit_log).order_by(t.audit_log.c.id.desc())
                            .limit(limit)).mappings()
        return [dict(r) for r in rows]


# -- failed logins --------------------------------------------------------------------------------
def login_failures(engine: sa.Engine, username: str, ip: str, since: datetime) -> tuple[int, int]:
    """Failed logins after ``since`` of (``username``, ``ip``) and of ``ip`` whatever the name."""
    with engine.connect() as conn:
        return _failures(conn, username, ip, since)


def count_login(engine: sa.Engine, username: str, ip: str, now: datetime, since: datetime,
                refuse: Callable[[tuple[int, int]], bool]) -> bool:
    """Record a login attempt of (``username``, ``ip``) at ``now`` as a failure unless
    ``refuse`` (given the counts of :func:`login_failures`) says no; False, nothing recorded,
    when it does. Failures not after ``since`` are deleted on the way. Serialised per address
    (see :func:`_serialised`), so parallel attempts cannot all pass before one is counted."""
    with _serialised(engine, ip) as conn:
        conn.execute(t.login_failures.delete().where(t.login_failures.c.failed_at <= since))
        if refuse(_failures(conn, username, ip, since)):
            return False
        conn.execute(t.login_failures.insert().values(username=username, ip=ip, failed_at=now))
        return True


def clear_logins(engine: sa.Engine, username: str, ip: str) -> None:
    """Delete the failed logins of (``username``, ``ip``) (after a successful login)."""
    f = t.login_failures.c
    with _serialised(engine, ip) as conn:
        conn.execute(t.login_failures.delete().where(f.username == username, f.ip == ip))


def _failures(conn: sa.Connection, username: str, ip: str, since: datetime) -> tuple[int, int]:
    f = t.login_failures.c
    pair, address = conn.execute(sa.select(
        sa.func.count().filter(f.username == username), sa.func.count()).where(
        f.ip == ip, f.failed_at > since)).one()
    return int(pair or 0), int(address or 0)


_LOCAL_LOCK = threading.Lock()


@contextmanager
def _serialised(engine: sa.Engine, ip: str) -> Iterator[sa.Connection]:
    """A write transaction that no other login-counting transaction for ``ip`` overlaps: a
    PostgreSQL transaction-level advisory lock; on DuckDB, whose file only one process opens, a
    lock of this process."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(
                sa.func.hashtext(f"ronghe-login:{ip}"))))
            yield conn
        return
    with _LOCAL_LOCK, engine.begin() as conn:
        yield conn


# -- evaluation settings --------------------------------------------------------------------------
@dataclass(frozen=True)
class SettingsRow:
    """One stored settings revision."""

    id: int
    framework: str
    settings_yaml: str
    settings_hash: str
    changed_at: datetime
    changed_by: str | None


def settings_row(engine: sa.Engine, revision: int | None = None) -> SettingsRow | None:
    """The settings row ``revision`` (the newest when None), or None (also for revision 0)."""
    if revision == 0:
        return None
    w = t.web_settings
    query = (sa.select(w).order_by(w.c.id.desc()).limit(1) if revision is None
             else sa.select(w).where(w.c.id == revision))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return SettingsRow(int(row.id), row.framework, row.settings_yaml, row.settings_hash,
                       row.changed_at, row.changed_by)


def settings_history(engine: sa.Engine, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` settings revisions: id, framework, settings_hash, changed_at,
    changed_by."""
    w = t.web_settings.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(w.id, w.framework, w.settings_hash, w.changed_at,
                                      w.changed_by).order_by(w.id.desc()).limit(limit)).mappings()
        return [dict(r) for r in rows]


def add_settings(engine: sa.Engine, framework: str, settings_yaml: str, settings_hash: str,
                 changed_at: datetime, changed_by: str) -> int:
    """Store a new settings revision (the newest is in force); returns its id."""
    with engine.begin() as conn:
        return int(conn.execute(t.web_settings.insert().values(
            framework=framework, settings_yaml=settings_yaml, settings_hash=settings_hash,
            changed_at=changed_at, changed_by=changed_by,
        ).returning(t.web_settings.c.id)).scalar_one())


def data_version(engine: sa.Engine) -> tuple[tuple[int, int], int]:
    """What the served results are of, in one query: (number of import batches, id of the last
    one) and the newest settings revision (0 when there is none)."""
    b, w = t.import_batches, t.web_settings
    with engine.connect() as conn:
        n, last, revision = conn.execute(sa.select(
            sa.select(sa.func.count()).select_from(b).scalar_subquery(),
            sa.select(sa.func.max(b.c.id)).scalar_subquery(),
            sa.select(sa.func.max(w.c.id)).scalar_subquery())).one()
    return (int(n), int(last or 0)), int(revision or 0)


# -- helpers in the caller's transaction ----------------------------------------------------------
def _user_row(conn: sa.Connection, user_id: int) -> sa.Row[Any]:
    row = conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
    if row is None:
        raise InputError(f"no user with id {user_id} / 用户不存在")
    return row


def _assign(conn: sa.Connection, user_id: int, codes: Sequence[str]) -> None:
    """Replace the user's region assignments with ``codes`` (checked by the caller)."""
    conn.execute(t.user_regions.delete().where(t.user_regions.c.user_id == user_id))
    if codes:
        conn.execute(t.user_regions.insert(), [{"user_id": user_id, "region": c} for c in codes])


def _audit(conn: sa.Connection, audit: Audit, now: datetime) -> None:
    conn.execute(t.audit_log.insert(), [
        {"logged_at": now, "username": audit.username, "action": audit.action, "target": target,
         "detail": detail, "ip": audit.ip[:64]} for target, detail in audit.entries])


def _end_sessions(conn: sa.Connection, user_id: int, keep: str | None = None) -> None:
    """Delete the user's sessions (except the one with id digest ``keep``)."""
    where = [t.web_sessions.c.user_id == user_id]
    if keep is not None:
        where.append(t.web_sessions.c.id_hash != keep)
    conn.execute(t.web_sessions.delete().where(*where))
