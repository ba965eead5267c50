"""Security behaviour: password hashes, cookies, CSRF, server-side sessions, the login rate limit
shared through the store, upload limits, audit log, API tokens and their revocation, user
deactivation, the region-scope closure, and the 0002/0003 migrations."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
from datetime import datetime, timedelta
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from ronghe.store import Store, database_url
from ronghe.store import schema as t
from ronghe.web import create_app
from ronghe.web.auth import Accounts, descendants
from ronghe.web.charts import histogram
from ronghe.web.security import COOKIE, LoginLimiter


def test_passwords_are_argon2id(web_app, passwords) -> None:
    with web_app.state.platform.store.engine.connect() as conn:
        hashes = conn.execute(sa.select(t.users.c.password_hash)).scalars().all()
    assert len(hashes) >= 4
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(pw in h for h in hashes for pw in passwords.values())


def test_session_cookie_flags(web_app, passwords, sign_in) -> None:
    plain = TestClient(web_app).get("/login").headers["set-cookie"].lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    tls = TestClient(web_app, base_url="https://testserver").get("/login")
    assert "secure" in tls.headers["set-cookie"].lower()


def test_login_needs_csrf(web_app, passwords) -> None:
    client = TestClient(web_app)
    client.get("/login")
    r = client.post("/login", data={"username": "admin", "password": passwords["admin"],
                                    "csrf": "wrong"})
    assert r.status_code == 403


def test_api_post_with_cookie_needs_csrf_header(clients, csrf) -> None:
    body = {"region": "330102", "changes": {}}
    assert clients["admin"].post("/api/v1/simulate", json=body).status_code == 403
    token = csrf(clients["admin"].get("/").text)
    ok = clients["admin"].post("/api/v1/simulate", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200


def test_login_rate_limit(web_app, passwords, csrf) -> None:
    client = TestClient(web_app)
    statuses = []
    for _ in range(6):
        token = csrf(client.get("/login").text)
        statuses.append(client.post("/login", data={"username": "analyst", "password": "nope-nope",
                                                    "csrf": token}).status_code)
    assert statuses == [401] * 5 + [429]
    token = csrf(client.get("/login").text)  # even the right password waits out the window
    r = client.post("/login", data={"username": "analyst", "password": passwords["analyst"],
                                    "csrf": token}, follow_redirects=False)
    assert r.status_code == 429
    web_app.state.platform.limiter.succeeded("analyst", "testclient")


def test_limiter_window(web_app, monkeypatch) -> None:
    now = [datetime(2030, 1, 1, 12, 0, 0)]
    monkeypatch.setattr("ronghe.web.security.utcnow", lambda: now[0])
    engine = web_app.state.platform.store.engine
    lim = LoginLimiter(engine, limit=2, window=60)
    user = f"window-{secrets.token_hex(4)}"
    assert lim.attempt(user, "ip")
    now[0] += timedelta(seconds=30)
    assert lim.attempt(user, "ip")
    assert lim.blocked(user, "ip") and not lim.blocked(user, "other-ip")
    assert not lim.blocked("someone-else", "ip")
    now[0] += timedelta(seconds=31)  # 61 s after the first failure, 31 s after the second
    assert not lim.blocked(user, "ip")
    assert lim.attempt(user, "ip")  # 2 in the window again (the 2nd and this one); the 1st is pruned
    assert lim.blocked(user, "ip")
    with engine.connect() as conn:
        times = conn.execute(sa.select(t.login_failures.c.failed_at).where(
            t.login_failures.c.username == user).order_by("failed_at")).scalars().all()
    assert times == [datetime(2030, 1, 1, 12, 0, 30), datetime(2030, 1, 1, 12, 1, 1)]
    lim.succeeded(user, "ip")
    assert not lim.blocked(user, "ip")


def _fail_login(client: TestClient, username: str, csrf) -> int:  # type: ignore[no-untyped-def]
    token = csrf(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": "wrong-password",
                                       "csrf": token}).status_code


def test_limiter_shared_by_two_apps(web_db, web_app, csrf) -> None:
    """Two app instances on one store (two workers) count each other's failures: 3 failures on
    one and 2 on the other reach the limit of 5 for both."""
    other = create_app(web_db[0], secret_key="another-worker")
    a, b = TestClient(web_app), TestClient(other)
    name = f"shared-{secrets.token_hex(4)}"
    statuses = [_fail_login(c, name, csrf) for c in (a, b, a, b, a)]
    assert statuses == [401] * 5
    assert _fail_login(a, name, csrf) == 429 and _fail_login(b, name, csrf) == 429
    assert _fail_login(b, f"{name}-x", csrf) == 401  # per user name
    web_app.state.platform.limiter.succeeded(name, "testclient")
    assert _fail_login(b, name, csrf) == 401


def test_upload_type_and_size(clients, csrf) -> None:
    client = clients["admin"]
    token = csrf(client.get("/data").text)
    r = client.post("/data/upload", data={"csrf": token},
                    files={"file": ("x.exe", io.BytesIO(b"MZ"), "application/octet-stream")})
    assert r.status_code == 415
    big = io.BytesIO(b"region,year,variable,value\n" + b"0" * (21 * 1024 * 1024))
    r = client.post("/data/upload", data={"csrf": token}, files={"file": ("big.csv", big)})
    assert r.status_code == 413


def test_upload_confirm_is_audited(clients, csrf, web_app) -> None:
    client = clients["editor"]
    token = csrf(client.get("/data").text)
    body = b"region,year,variable,value\n330106,2023,gdp,4242.5\n"
    r = client.post("/data/upload", data={"csrf": token, "source": "test"},
                    files={"file": ("edit.csv", io.BytesIO(body), "text/csv")})
    assert r.status_code == 200 and 'id="n-values">1<' in r.text
    stage = r.text.split('name="stage" value="')[1].split('"')[0]
    done = client.post("/data/confirm", data={"csrf": token, "stage": stage})
    assert done.status_code == 200 and 'id="imported"' in done.text
    store = web_app.state.platform.store
    assert store.history("330106", 2023, "gdp")["value"].iloc[-1] == 4242.5
    actions = [(a["username"], a["action"]) for a in web_app.state.platform.accounts.audit_entries()]
    assert ("editor", "import") in actions and ("editor", "login") in actions
    again = client.post("/data/confirm", data={"csrf": token, "stage": stage})
    assert again.status_code == 403  # a staged upload is used once


def test_admin_creates_user_and_token(clients, csrf, web_app) -> None:
    client = clients["admin"]
    token = csrf(client.get("/admin").text)
    r = client.post("/admin/users", data={"csrf": token, "username": "county1",
                                          "password": "longpassword", "role": "viewer",
                                          "regions": "520102"}, follow_redirects=False)
    assert r.status_code == 303
    uid = next(u["id"] for u in web_app.state.platform.accounts.users()
               if u["username"] == "county1")
    page = client.post("/admin/tokens", data={"csrf": token, "user_id": uid, "name": "etl"})
    api_token = page.text.split('id="new-token">')[1].split("<")[0]
    rows = TestClient(web_app).get("/api/v1/results/index",
                                   headers={"Authorization": f"Bearer {api_token}"}).json()
    assert {r["region"] for r in rows} == {"520102"}
    actions = {a["action"] for a in web_app.state.platform.accounts.audit_entries()}
    assert {"user-create", "token"} <= actions


def test_english_pages(clients) -> None:
    assert "Overview" in clients["analyst"].get("/?lang=en").text
    assert "总览" in clients["analyst"].get("/?lang=zh").text


def test_descendants_hand_example() -> None:
    regions = pd.DataFrame({"parent": [None, "P", "P", "A", "B", None]},
                           index=["P", "A", "B", "a1", "b1", "Q"])
    assert descendants(regions, ["A"]) == {"A", "a1"}
    assert descendants(regions, ["P"]) == {"P", "A", "B", "a1", "b1"}
    assert descendants(regions, []) == frozenset()


@given(st.lists(st.integers(0, 30), min_size=1, max_size=12))
def test_descendants_of_chain(parents) -> None:
    """In a forest, the descendants of every root together are all nodes."""
    codes = [str(i) for i in range(len(parents))]
    par = [None if p >= i else str(p) for i, p in enumerate(parents)]
    regions = pd.DataFrame({"parent": par}, index=codes)
    roots = [c for c, p in zip(codes, par, strict=True) if p is None]
    assert descendants(regions, roots) == set(codes)


def test_histogram_counts_match_numpy() -> None:
    v = np.array([0.1, 0.2, 0.2, 0.4, 0.9])
    svg = histogram(v.tolist())
    counts, _ = np.histogram(v, bins=np.histogram_bin_edges(v, bins="auto"))
    assert svg.count("<rect") == len(counts)
    assert [int(x.split("</title>")[0].split(": ")[1]) for x in svg.split("<title>")[1:]] == [
        int(c) for c in counts]


def test_migration_head_tables(web_app) -> None:
    store = web_app.state.platform.store
    assert store.revision() == ScriptDirectory.from_config(_config()).get_current_head()
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"users", "user_regions", "api_tokens", "audit_log", "web_sessions",
            "login_failures"} <= names


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("ronghe.store") / "migrations"))
    return cfg


def _upgrade(store: Store, revision: str, downgrade: bool = False) -> None:
    cfg = _config()
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(cfg, revision)
        conn.commit()


@pytest.fixture
def migration_urls(tmp_path):  # type: ignore[no-untyped-def]
    """A fresh DuckDB file, and a fresh schema on the test PostgreSQL server when there is one
    (dropped afterwards)."""
    pg = os.environ.get("RONGHE_TEST_PG_URL")
    if not pg:
        yield [str(tmp_path / "old.duckdb")]
        return
    engine = sa.create_engine(database_url(pg))

    def schema(sql: str) -> None:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS migration_0003 CASCADE"))
            conn.execute(sa.text(sql))

    schema("CREATE SCHEMA migration_0003")
    sep = "&" if "?" in pg else "?"
    yield [str(tmp_path / "old.duckdb"),
           f"{database_url(pg)}{sep}options=-csearch_path%3Dmigration_0003"]
    schema("SELECT 1")
    engine.dispose()


def _catalogue(store: Store, table: str) -> tuple[dict[str, bool], set[str]]:
    """{column: nullable} and the secondary index names of ``table``, from the database's catalogue
    (duckdb-engine's inspector cannot list columns)."""
    index_sql = ("SELECT index_name FROM duckdb_indexes() WHERE table_name = :t"
                 if store.engine.dialect.name == "duckdb" else
                 "SELECT indexname FROM pg_indexes WHERE tablename = :t "
                 "AND schemaname = current_schema() AND indexname NOT LIKE '%_pkey'")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_name = :t AND table_schema = current_schema()"), {"t": table}).all()
        indexes = set(conn.execute(sa.text(index_sql), {"t": table}).scalars())
    return {name: nullable == "YES" for name, nullable in rows}, indexes


def test_migration_0003_upgrades_a_0002_database(migration_urls) -> None:
    for url in migration_urls:
        store = Store(url)
        _upgrade(store, "0002")
        assert store.revision() == "0002"
        with store.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (username, password_hash, role, active, created_at) "
                "VALUES ('old', 'x', 'viewer', true, '2026-01-01 00:00:00')"))
            assert not sa.inspect(conn).has_table("web_sessions")
        _upgrade(store, "0003")
        assert store.revision() == "0003"
        for table in (t.web_sessions, t.login_failures):  # the migration builds schema.py's tables
            columns, indexes = _catalogue(store, table.name)
            assert columns == {c.name: c.nullable for c in table.columns}, table.name
            assert indexes == {i.name for i in table.indexes}, table.name
        accounts = Accounts(store)
        uid = next(u["id"] for u in accounts.users() if u["username"] == "old")
        sid = accounts.open_session(uid)
        assert accounts.session_principal(sid).username == "old"
        _upgrade(store, "0002", downgrade=True)
        assert store.revision() == "0002"
        assert not sa.inspect(store.engine).has_table("web_sessions")
        assert not sa.inspect(store.engine).has_table("login_failures")
        store.close()


@pytest.mark.parametrize("path", ["/static/style.css", "/static/scenario.js"])
def test_assets_are_local(web_app, path) -> None:
    r = TestClient(web_app).get(path)
    assert r.status_code == 200 and "http://" not in r.text and "https://" not in r.text


@pytest.mark.parametrize(("name", "body"), [("bad.xlsx", b"garbage"), ("bad.csv", b"x,y\n1,2\n")])
def test_unreadable_upload_is_a_400(clients, csrf, name, body) -> None:
    client = clients["admin"]
    r = client.post("/data/upload", data={"csrf": csrf(client.get("/data").text)},
                    files={"file": (name, io.BytesIO(body))})
    assert r.status_code == 400 and f"{name}:" in r.text


def test_overview_map_shows_only_scope(clients) -> None:
    viewer = clients["viewer"].get("/").text
    admin = clients["admin"].get("/?metric=D").text
    assert 'class="chart map"' in viewer and 'class="chart map"' in admin
    n_viewer, n_admin = viewer.count("<path "), admin.count("<path ")
    assert 0 < n_viewer < n_admin
    assert "520102" not in viewer and "520102:" in admin


def test_choropleth_quintiles_hand_example() -> None:
    from ronghe.web.charts import BLUES, choropleth
    from ronghe.web.maps import Shape

    shapes = {c: Shape(f"M{i},0L{i + 1},0L{i + 1},1Z", (i, 0, i + 1, 1))
              for i, c in enumerate("abcde")}
    # values 1..5: quantiles at 0.2, 0.4, 0.6, 0.8 are 1.8, 2.6, 3.4, 4.2 -> one county per class
    svg = choropleth(shapes, dict(zip("abcde", [1.0, 2.0, 3.0, 4.0, 5.0], strict=True)), {})
    fills = [part.split('"')[0] for part in svg.split('fill="')[1:6]]
    assert fills == list(BLUES)
    assert "≤ 1.800" in svg and "&gt; 4.200" in svg
    assert choropleth(shapes, {"zz": 1.0}, {}) == ""


# -- server-side sessions, deactivation, password reset, token revocation ----------------------
def _new_user(web_app, role: str = "viewer", regions: tuple[str, ...] = ("330100",)
              ) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    name, password = f"u-{secrets.token_hex(5)}", secrets.token_urlsafe(12)
    uid = web_app.state.platform.accounts.create_user(name, password, role, list(regions))
    return uid, name, password


def _sessions_of(web_app, uid: int) -> int:  # type: ignore[no-untyped-def]
    return next(u["sessions"] for u in web_app.state.platform.accounts.users() if u["id"] == uid)


def _signed_in(client: TestClient) -> bool:
    return client.get("/data", follow_redirects=False).status_code == 200


def _admin_post(clients, csrf, path: str, data: dict):  # type: ignore[no-untyped-def]
    admin = clients["admin"]
    return admin.post(path, data={"csrf": csrf(admin.get("/").text), **data},
                      follow_redirects=False)


def test_session_id_is_stored_hashed(web_app, sign_in) -> None:
    uid, name, password = _new_user(web_app)
    client = sign_in(web_app, name, password)
    session = web_app.state.platform.sessions.read(client)
    assert session is not None and session.sid is not None and len(session.sid) >= 43
    with web_app.state.platform.store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.web_sessions).where(
            t.web_sessions.c.user_id == uid)).all()
    assert [r.id_hash for r in rows] == [hashlib.sha256(session.sid.encode()).hexdigest()]
    assert rows[0].expires_at - rows[0].created_at == timedelta(hours=12)


def test_cookie_replay_after_logout_is_refused(web_app, sign_in, csrf) -> None:
    uid, name, password = _new_user(web_app)
    client = sign_in(web_app, name, password)
    copied = client.cookies.get(COOKIE)
    token = csrf(client.get("/").text)
    assert _signed_in(client) and _sessions_of(web_app, uid) == 1
    r = client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and _sessions_of(web_app, uid) == 0
    thief = TestClient(web_app)
    thief.cookies.set(COOKIE, copied)
    # the copied cookie still carries a valid signature: only the server-side row refuses it
    assert web_app.state.platform.sessions.read(thief).sid is not None
    r = thief.get("/data", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert thief.get("/api/v1/results/index").status_code == 401
    actions = [(a["username"], a["action"]) for a in
               web_app.state.platform.accounts.audit_entries()]
    assert (name, "logout") in actions


def test_deactivation_ends_sessions_and_tokens(web_app, clients, csrf, sign_in) -> None:
    uid, name, password = _new_user(web_app)
    client = sign_in(web_app, name, password)
    api = {"Authorization": f"Bearer {web_app.state.platform.accounts.create_token(uid, 'x')}"}
    assert TestClient(web_app).get("/api/v1/results/index", headers=api).status_code == 200
    assert _signed_in(client)
    r = _admin_post(clients, csrf, f"/admin/users/{uid}/active", {"active": "false"})
    assert r.status_code == 303
    assert not _signed_in(client) and _sessions_of(web_app, uid) == 0
    assert TestClient(web_app).get("/api/v1/results/index", headers=api).status_code == 401
    fresh = TestClient(web_app)
    r = fresh.post("/login", data={"username": name, "password": password,
                                   "csrf": csrf(fresh.get("/login").text)})
    assert r.status_code == 401
    admin_page = clients["admin"].get("/admin").text
    row = admin_page.split(f'id="user-{uid}"')[1].split("</details>")[0]
    assert "已停用" in row and 'name="active" value="true"' in row
    r = _admin_post(clients, csrf, f"/admin/users/{uid}/active", {"active": "true"})
    assert r.status_code == 303 and _signed_in(sign_in(web_app, name, password))
    actions = [(a["username"], a["action"], a["target"]) for a in
               web_app.state.platform.accounts.audit_entries()]
    assert ("admin", "user-deactivate", name) in actions
    assert ("admin", "user-reactivate", name) in actions


def test_admin_cannot_deactivate_or_demote_self(web_app, clients, csrf) -> None:
    p = web_app.state.platform
    admin_id = next(u["id"] for u in p.accounts.users() if u["username"] == "admin")
    r = _admin_post(clients, csrf, f"/admin/users/{admin_id}/active", {"active": "false"})
    assert r.status_code == 400 and "不能停用自己的账号" in r.text
    r = _admin_post(clients, csrf, f"/admin/users/{admin_id}", {"role": "viewer"})
    assert r.status_code == 400 and "不能修改自己的角色" in r.text
    assert _signed_in(clients["admin"])
    assert next(u for u in p.accounts.users() if u["id"] == admin_id)["active"]
    page = clients["admin"].get("/admin").text
    own_row = page.split(f'id="user-{admin_id}"')[1].split("</details>")[0]
    assert "/active" not in own_row


def test_role_change_and_password_reset_end_sessions(web_app, clients, csrf, sign_in) -> None:
    uid, name, password = _new_user(web_app)
    client = sign_in(web_app, name, password)
    r = _admin_post(clients, csrf, f"/admin/users/{uid}", {"role": "viewer", "regions": "330000"})
    assert r.status_code == 303 and _signed_in(client)  # same role, new regions: session stays
    r = _admin_post(clients, csrf, f"/admin/users/{uid}", {"role": "analyst", "regions": ""})
    assert r.status_code == 303 and not _signed_in(client)
    client = sign_in(web_app, name, password)
    r = _admin_post(clients, csrf, f"/admin/users/{uid}/password",
                    {"password": "a-new-password"})
    assert r.status_code == 303 and not _signed_in(client)
    fresh = TestClient(web_app)
    r = fresh.post("/login", data={"username": name, "password": password,
                                   "csrf": csrf(fresh.get("/login").text)})
    assert r.status_code == 401
    assert _signed_in(sign_in(web_app, name, "a-new-password"))
    r = _admin_post(clients, csrf, f"/admin/users/{uid}/password", {"password": "short"})
    assert r.status_code == 400 and "至少 8 位" in r.text
    actions = [(a["action"], a["target"]) for a in web_app.state.platform.accounts.audit_entries()]
    assert ("password-reset", name) in actions


def test_own_password_reset_keeps_own_session(web_app, csrf, sign_in) -> None:
    uid, name, password = _new_user(web_app, "admin", ())
    mine, elsewhere = sign_in(web_app, name, password), sign_in(web_app, name, password)
    assert _sessions_of(web_app, uid) == 2
    r = mine.post(f"/admin/users/{uid}/password", data={
        "csrf": csrf(mine.get("/").text), "password": "changed-password"}, follow_redirects=False)
    assert r.status_code == 303
    assert _signed_in(mine) and not _signed_in(elsewhere) and _sessions_of(web_app, uid) == 1


def test_revoked_token_gives_401(web_app, clients, csrf) -> None:
    p = web_app.state.platform
    ids = {u["username"]: u["id"] for u in p.accounts.users()}
    api = TestClient(web_app)
    own = p.accounts.create_token(ids["analyst"], "mine")
    own_id = p.accounts.tokens(ids["analyst"])[0]["id"]
    auth = {"Authorization": f"Bearer {own}"}
    assert api.get("/api/v1/results/index", headers=auth).status_code == 200
    page = clients["analyst"].get("/tokens").text
    assert f'action="/tokens/{own_id}/revoke"' in page
    viewer = clients["viewer"]  # someone else's token: 404, and it keeps working
    r = viewer.post(f"/tokens/{own_id}/revoke", data={"csrf": csrf(viewer.get("/").text)})
    assert r.status_code == 404
    assert api.get("/api/v1/results/index", headers=auth).status_code == 200
    assert f"/tokens/{own_id}/revoke" not in viewer.get("/tokens").text
    analyst = clients["analyst"]
    r = analyst.post(f"/tokens/{own_id}/revoke", data={"csrf": csrf(page)},
                     follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/tokens"
    assert api.get("/api/v1/results/index", headers=auth).status_code == 401
    assert f'id="token-{own_id}"' in analyst.get("/tokens").text  # listed, as revoked
    other = p.accounts.create_token(ids["editor"], "etl")
    other_id = p.accounts.tokens(ids["editor"])[0]["id"]
    admin_page = clients["admin"].get("/admin").text
    assert f'action="/admin/tokens/{other_id}/revoke"' in admin_page
    r = _admin_post(clients, csrf, f"/admin/tokens/{other_id}/revoke", {})
    assert r.status_code == 303
    assert api.get("/api/v1/results/index",
                   headers={"Authorization": f"Bearer {other}"}).status_code == 401
    assert _admin_post(clients, csrf, "/admin/tokens/999999/revoke", {}).status_code == 404
    audit = [(a["username"], a["action"], a["target"]) for a in p.accounts.audit_entries()]
    assert ("analyst", "token-revoke", "analyst") in audit
    assert ("admin", "token-revoke", "editor") in audit


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_own_token_created_on_the_tokens_page(web_app, clients, csrf, role) -> None:
    """Any signed-in user creates a token on /tokens (CSRF-checked, shown once), uses it on
    /api/v1 with their own scope, and revokes it there (was: admin row only)."""
    p = web_app.state.platform
    uid = next(u["id"] for u in p.accounts.users() if u["username"] == role)
    client, api = clients[role], TestClient(web_app)
    page = client.get("/tokens").text
    assert 'action="/tokens"' in page and 'id="new-token"' not in page
    before = len(p.accounts.tokens(uid))
    r = client.post("/tokens", data={"csrf": "wrong", "name": "etl"}, follow_redirects=False)
    assert r.status_code == 403 and len(p.accounts.tokens(uid)) == before
    r = client.post("/tokens", data={"csrf": csrf(page), "name": "x" * 65})
    assert r.status_code == 422 and len(p.accounts.tokens(uid)) == before
    r = client.post("/tokens", data={"csrf": csrf(page), "name": f"{role}-etl"})
    assert r.status_code == 200
    token = re.search(r'id="new-token">(rh_[^<]+)<', r.text).group(1)
    row = p.accounts.tokens(uid)[0]
    assert row["name"] == f"{role}-etl" and f'id="token-{row["id"]}"' in r.text
    assert token not in client.get("/tokens").text  # shown once
    auth = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/results/index?region=330102", headers=auth).status_code == 200
    assert api.get("/api/v1/results/index?region=520102", headers=auth).status_code == 403
    r = client.post(f"/tokens/{row['id']}/revoke", data={"csrf": csrf(page)},
                    follow_redirects=False)
    assert r.status_code == 303
    assert api.get("/api/v1/results/index?region=330102", headers=auth).status_code == 401
    audit = [(a["username"], a["action"], a["detail"]) for a in p.accounts.audit_entries()]
    assert (role, "token", f"{role}-etl") in audit


def test_tokens_page_lists_own_tokens_only(web_app, clients) -> None:
    p = web_app.state.platform
    ids = {u["username"]: u["id"] for u in p.accounts.users()}
    p.accounts.create_token(ids["viewer"], "viewer-only-token")
    p.accounts.create_token(ids["editor"], "editor-only-token")
    page = clients["viewer"].get("/tokens").text
    assert "viewer-only-token" in page and "editor-only-token" not in page
    assert "API tokens" in clients["viewer"].get("/tokens?lang=en").text
    assert "API 令牌" in clients["viewer"].get("/tokens?lang=zh").text
    admin = clients["admin"].get("/admin").text
    assert "viewer-only-token" in admin and "editor-only-token" in admin


def _value_type(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(sa.text(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'observations' "
            "AND column_name = 'value' AND table_schema = current_schema()")).scalar()).upper()


def test_migration_0005_stores_values_in_double_precision(migration_urls, tmp_path) -> None:
    # 1483.752 is not a float32: float32 keeps 1483.751953125 (24-bit mantissa)
    assert float(np.float32(1483.752)) == 1483.751953125
    body = "region,year,variable,value\n330102,2023,gdp,{}\n"
    for k, url in enumerate(migration_urls):
        store = Store(url)
        _upgrade(store, "0004")
        with store.engine.begin() as conn:  # a value stored by the code of that revision
            conn.execute(sa.text(
                "INSERT INTO observations (batch_id, region, year, variable, value, valid) "
                "VALUES (0, '330102', 2023, 'gdp', 1483.752, true)"))
        _upgrade(store, "0005")
        assert _value_type(store) in ("DOUBLE", "DOUBLE PRECISION")
        _upgrade(store, "head")  # the store's code writes the columns of the latest revision
        (tmp_path / f"b{k}.csv").write_text(body.format(2345678.123456789))
        store.import_file(tmp_path / f"b{k}.csv")
        assert store.history("330102", 2023, "gdp")["value"].iloc[-1] == 2345678.123456789
        _upgrade(store, "0004", downgrade=True)
        assert store.revision() == "0004"
        store.close()


def test_overview_map_is_the_whole_country_in_albers(clients) -> None:
    """Issue 18: the platform's map shows the national territory grey under the data, the
    maritime line and the South China Sea inset; D comes in its ten grades."""
    admin = clients["admin"].get("/?metric=D").text
    if 'class="chart map"' not in admin:
        pytest.skip("boundaries unavailable")
    assert "南海诸岛" in admin and admin.count("<svg") >= 2
    assert "1 极度失调" in admin and "10 优质协调" in admin
