"""The web platform's tables behind :mod:`ronghe.store.platform`, on DuckDB and (with
RONGHE_TEST_PG_URL) PostgreSQL: what each function stores and fetches, and that a refused change
stores nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from ronghe.errors import InputError
from ronghe.store import platform as db

NOW = datetime(2026, 12, 5, 8, 0, 0)


def test_users_regions_and_audit_in_one_transaction(store) -> None:
    e = store.engine
    uid = db.create_user(e, "ann", "hash-1", "editor", ["330000", "330100"], NOW,
                         db.Audit("root", "user-create", [("ann", "editor")], "10.0.0.1" * 10))
    found = db.user(e, username="ann")
    assert found is not None and found.id == uid and found.active
    assert (found.role, found.password_hash, sorted(found.regions)) == (
        "editor", "hash-1", ["330000", "330100"])
    assert db.user(e, user_id=uid) == found and db.user(e, username="nobody") is None
    entry = db.audit_entries(e)[0]
    assert (entry["username"], entry["action"], entry["target"]) == ("root", "user-create", "ann")
    assert len(entry["ip"]) == 64 and entry["logged_at"] == NOW

    with pytest.raises(InputError, match="exists"):  # a taken name: nothing written
        db.create_user(e, "ann", "hash-2", "viewer", ["110000"], NOW,
                       db.Audit("root", "user-create", [("ann", "viewer")]))
    assert len(db.audit_entries(e)) == 1 and db.user(e, username="ann") == found
    assert [u["username"] for u in db.users(e, NOW)] == ["ann"]


def test_role_change_ends_sessions_and_password_keeps_one(store) -> None:
    e = store.engine
    uid = db.create_user(e, "bo", "h", "viewer", [], NOW)
    later = NOW + timedelta(hours=1)
    for digest in ("s1", "s2", "s3"):
        db.open_session(e, digest, uid, NOW, later)
    assert db.users(e, NOW)[0]["sessions"] == 3
    assert db.session_user(e, "s1", NOW) == uid
    assert db.session_user(e, "s1", later) is None  # expired

    assert db.edit_user(e, uid, "viewer", ["110000"], NOW, db.Audit("root", "user-edit",
                                                                    [(str(uid), "")])) == "bo"
    assert db.session_user(e, "s1", NOW) == uid  # same role: sessions kept
    assert db.user(e, user_id=uid).regions == ("110000",)

    db.set_password(e, uid, "new-hash", keep_session="s2")
    assert [db.session_user(e, s, NOW) for s in ("s1", "s2", "s3")] == [None, uid, None]
    assert db.user(e, user_id=uid).password_hash == "new-hash"

    db.edit_user(e, uid, "editor", [], NOW, db.Audit("root", "user-edit", [(str(uid), "")]))
    assert db.session_user(e, "s2", NOW) is None  # a new role ends every session

    db.open_session(e, "s4", uid, NOW, later)
    assert db.set_active(e, uid, False) == "bo"
    assert db.session_user(e, "s4", NOW) is None and not db.user(e, user_id=uid).active
    with pytest.raises(InputError, match="no user"):
        db.set_active(e, 999, True)

    db.open_session(e, "s5", uid, NOW, later)
    db.open_session(e, "s6", uid, later, later + timedelta(hours=1))  # deletes expired s5
    assert db.users(e, later)[0]["sessions"] == 1
    db.end_session(e, "s6")
    assert db.session_user(e, "s6", later) is None


def test_tokens(store) -> None:
    e = store.engine
    uid = db.create_user(e, "cy", "h", "analyst", [], NOW)
    db.create_token(e, uid, "first", "d1", NOW)
    db.create_token(e, uid, "second", "d2", NOW)
    rows = db.tokens(e, uid)
    assert [r["name"] for r in rows] == ["second", "first"]  # newest first
    assert rows[0]["username"] == "cy" and not rows[0]["revoked"]
    assert db.token_user(e, "d1") == uid
    db.revoke_token(e, rows[1]["id"])
    assert db.token_user(e, "d1") is None and db.token_user(e, "d2") == uid
    assert [r["revoked"] for r in db.tokens(e, token_id=rows[1]["id"])] == [True]
    assert db.tokens(e, uid + 1) == []


def test_login_failures_are_counted_until_refused(store) -> None:
    e = store.engine
    since = NOW - timedelta(minutes=5)

    def refuse(counts: tuple[int, int]) -> bool:
        return counts[0] >= 3 or counts[1] >= 4

    assert [db.count_login(e, "ann", "1.2.3.4", NOW, since, refuse) for _ in range(4)] == [
        True, True, True, False]
    assert db.login_failures(e, "ann", "1.2.3.4", since) == (3, 3)
    assert db.count_login(e, "bo", "1.2.3.4", NOW, since, refuse)  # another name
    assert not db.count_login(e, "cy", "1.2.3.4", NOW, since, refuse)  # address limit
    assert db.login_failures(e, "ann", "5.6.7.8", since) == (0, 0)
    db.clear_logins(e, "ann", "1.2.3.4")
    assert db.login_failures(e, "ann", "1.2.3.4", since) == (0, 1)
    # failures leave the window and are deleted by the next attempt
    assert db.count_login(e, "ann", "1.2.3.4", NOW + timedelta(minutes=6), NOW, refuse)
    assert db.login_failures(e, "bo", "1.2.3.4", since) == (0, 1)


def test_parallel_attempts_cannot_pass_together(store) -> None:
    """Serialised per address: of 12 parallel attempts exactly the limit are counted."""
    e = store.engine
    since = NOW - timedelta(minutes=5)
    with ThreadPoolExecutor(6) as pool:
        passed = list(pool.map(lambda _: db.count_login(
            e, "ann", "9.9.9.9", NOW, since, lambda c: c[0] >= 5), range(12)))
    assert sum(passed) == 5
    assert db.login_failures(e, "ann", "9.9.9.9", since) == (5, 5)


def test_settings_revisions_and_data_version(store) -> None:
    e = store.engine
    assert db.settings_row(e) is None and db.settings_row(e, 0) is None
    assert db.data_version(e) == ((0, 0), 0)
    first = db.add_settings(e, "seed", "framework: seed\n", "h1", NOW, "root")
    second = db.add_settings(e, "provinces", "framework: provinces\n", "h2", NOW, "root")
    assert second > first
    newest = db.settings_row(e)
    assert newest is not None and (newest.id, newest.framework, newest.settings_hash) == (
        second, "provinces", "h2")
    assert db.settings_row(e, first).settings_yaml == "framework: seed\n"
    assert db.settings_row(e, second + 100) is None
    assert [r["id"] for r in db.settings_history(e, 1)] == [second]
    assert db.data_version(e) == ((0, 0), second)
