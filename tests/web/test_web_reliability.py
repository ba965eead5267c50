"""Reliability findings of issue 13 on the web: admin user changes all or nothing and audited,
the login limit counted atomically and per address, staged uploads and old reports deleted,
long upload names and corrupt files answered cleanly, write conflicts answered 409."""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from ronghe.store import StoreConflict
from ronghe.web import imports
from ronghe.web.security import LoginLimiter


def _admin_post(clients, csrf, path: str, data: dict):  # type: ignore[no-untyped-def]
    admin = clients["admin"]
    return admin.post(path, data={"csrf": csrf(admin.get("/").text), **data},
                      follow_redirects=False)


def _user(web_app, name: str) -> dict | None:  # type: ignore[no-untyped-def]
    return next((u for u in web_app.state.platform.accounts.users() if u["username"] == name),
                None)


def _audited(web_app, action: str, target: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [a for a in web_app.state.platform.accounts.audit_entries(10_000)
            if a["action"] == action and a["target"] == target]


# -- finding 3: admin edits are one transaction ------------------------------------------------
def test_failed_user_edit_changes_nothing(web_app, clients, csrf) -> None:
    name = f"edit-{secrets.token_hex(4)}"
    uid = web_app.state.platform.accounts.create_user(name, "a-long-password", "viewer",
                                                      ["330100"])
    r = _admin_post(clients, csrf, f"/admin/users/{uid}",
                    {"role": "editor", "regions": "330100,339999"})
    assert r.status_code == 400 and "339999" in r.text
    user = _user(web_app, name)
    assert (user["role"], user["regions"]) == ("viewer", ["330100"])
    assert web_app.state.platform.accounts.principal(uid).role == "viewer"
    assert not _audited(web_app, "user-edit", str(uid))
    r = _admin_post(clients, csrf, f"/admin/users/{uid}",
                    {"role": "editor", "regions": "330300, 330100"})
    assert r.status_code == 303
    user = _user(web_app, name)
    assert (user["role"], user["regions"]) == ("editor", ["330100", "330300"])
    assert [a["detail"] for a in _audited(web_app, "user-edit", str(uid))] == [
        "editor; 330100,330300"]


def test_creating_a_user_with_a_bad_code_creates_nothing(web_app, clients, csrf) -> None:
    name = f"new-{secrets.token_hex(4)}"
    r = _admin_post(clients, csrf, "/admin/users", {
        "username": name, "password": "a-long-password", "role": "editor",
        "regions": "330100,33O100"})
    assert r.status_code == 400 and "33O100" in r.text
    assert _user(web_app, name) is None
    assert web_app.state.platform.accounts.authenticate(name, "a-long-password") is None
    assert not _audited(web_app, "user-create", name)
    r = _admin_post(clients, csrf, "/admin/users", {
        "username": name, "password": "a-long-password", "role": "editor", "regions": "330100"})
    assert r.status_code == 303 and _user(web_app, name)["regions"] == ["330100"]
    assert len(_audited(web_app, "user-create", name)) == 1


# -- finding 7: the login limit --------------------------------------------------------------
def _parallel(n: int, call) -> list:  # type: ignore[no-untyped-def]
    out: list = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        out[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    return out


def test_parallel_attempts_are_counted_atomically(web_app) -> None:
    """40 parallel attempts for one user from one address: exactly the limit get through."""
    lim = LoginLimiter(web_app.state.platform.store.engine, limit=5)
    user, ip = f"par-{secrets.token_hex(4)}", f"127.0.3.{secrets.randbelow(200)}"
    allowed = _parallel(40, lambda i: lim.attempt(user, ip))
    assert sum(allowed) == 5
    assert lim.blocked(user, ip)
    lim.succeeded(user, ip)


def test_parallel_wrong_passwords_on_the_web(web_app, csrf) -> None:
    """The issue's case: 20 parallel wrong passwords for one user reach the password check at
    most 5 times (the others are refused with 429 before it)."""
    name = f"victim-{secrets.token_hex(4)}"
    web_app.state.platform.accounts.create_user(name, "the-right-password", "viewer")

    def wrong(i: int) -> int:
        client = TestClient(web_app)
        token = csrf(client.get("/login").text)
        return client.post("/login", data={"username": name, "password": f"wrong-{i}",
                                           "csrf": token}).status_code

    statuses = _parallel(20, wrong)
    assert set(statuses) <= {401, 429} and statuses.count(401) <= 5
    assert len(_audited_login_failures(web_app, name)) == statuses.count(401)
    web_app.state.platform.limiter.succeeded(name, "testclient")


def _audited_login_failures(web_app, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [a for a in web_app.state.platform.accounts.audit_entries(10_000)
            if a["action"] == "login-failed" and a["username"] == name]


def test_address_limit_across_user_names(web_app) -> None:
    lim = LoginLimiter(web_app.state.platform.store.engine, limit=5, address_limit=12)
    ip = f"127.0.4.{secrets.randbelow(200)}"
    allowed = [lim.attempt(f"random-{secrets.token_hex(6)}", ip) for _ in range(20)]
    assert allowed == [True] * 12 + [False] * 8
    assert lim.attempt("someone", f"127.0.5.{secrets.randbelow(200)}")  # other addresses


# -- finding 6: a persistent write conflict is a 409 ------------------------------------------
def test_write_conflict_is_409(web_app, tokens, monkeypatch) -> None:
    def conflict(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreConflict()

    monkeypatch.setattr(web_app.state.platform.store, "write_values", conflict)
    r = TestClient(web_app).post("/api/v1/observations", headers={
        "Authorization": f"Bearer {tokens['admin']}"}, json={
        "values": [{"region": "330102", "year": 2022, "variable": "villages", "value": 1}],
        "reason": "x"})
    assert r.status_code == 409
    assert "请重试" in r.json()["detail"] and "try again" in r.json()["detail"]


# -- finding 8: leftovers and leaks ----------------------------------------------------------
def _staged_dirs(web_app) -> set[Path]:  # type: ignore[no-untyped-def]
    return {d for d in web_app.state.platform.staging.iterdir() if d.is_dir()}


def _upload(client: TestClient, csrf, name: str, body: bytes):  # type: ignore[no-untyped-def]
    return client.post("/data/upload", data={"csrf": csrf(client.get("/data").text)},
                       files={"file": (name, io.BytesIO(body))})


GOOD = "region,year,variable,value\n330102,2022,villages,{v}\n"


def test_staged_uploads_are_deleted(web_app, clients, csrf, monkeypatch) -> None:
    client = clients["admin"]
    before = _staged_dirs(web_app)
    assert _upload(client, csrf, "bad.csv", b"x,y\n1,2\n").status_code == 400
    assert _staged_dirs(web_app) == before  # refused: deleted at once
    r = _upload(client, csrf, "good.csv", GOOD.format(v=151).encode())
    assert r.status_code == 200
    stage = r.text.split('name="stage" value="')[1].split('"')[0]
    assert len(_staged_dirs(web_app) - before) == 1
    done = client.post("/data/confirm", data={"csrf": csrf(client.get("/data").text),
                                              "stage": stage})
    assert done.status_code == 200
    assert _staged_dirs(web_app) == before  # imported: deleted
    r = _upload(client, csrf, "later.csv", GOOD.format(v=152).encode())
    assert r.status_code == 200 and len(_staged_dirs(web_app) - before) == 1
    monkeypatch.setattr(imports, "STAGED_TTL", 0.0)
    r = _upload(client, csrf, "again.csv", GOOD.format(v=153).encode())
    assert r.status_code == 200
    assert len(_staged_dirs(web_app) - before) == 1  # the unconfirmed preview was swept


def test_staging_of_a_dead_process_is_swept_at_start(tmp_path) -> None:
    import tempfile

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = Path(tempfile.mkdtemp(prefix=imports.STAGING_PREFIX))
    (left / imports.OWNER).write_text(str(dead.pid))
    (left / "x").mkdir()
    (left / "x" / "upload.csv").write_text("1")
    alive = Path(tempfile.mkdtemp(prefix=imports.STAGING_PREFIX))
    (alive / imports.OWNER).write_text(str(os.getpid()))
    root = imports.staging_root()
    try:
        assert not left.exists() and alive.exists()
        assert (root / imports.OWNER).read_text() == str(os.getpid())
    finally:
        for d in (left, alive, root):
            subprocess.run(["rm", "-rf", str(d)], check=False)


def test_old_reports_are_deleted(web_app, clients) -> None:
    pytest.importorskip("ronghe.report.html")
    staging = web_app.state.platform.staging
    old = staging / "report-0-0-0-zh.html"
    old.write_text("old")
    r = clients["analyst"].get("/report")
    assert r.status_code == 200
    assert not old.exists()
    assert len(list(staging.glob("report-*-all-zh.html"))) == 1


@pytest.mark.parametrize("name", ["a" * 300 + ".csv", "长" * 200 + ".csv", "x\ty" * 90 + ".csv"])
def test_long_upload_name_is_clean(web_app, clients, csrf, tokens, name) -> None:
    r = _upload(clients["admin"], csrf, name, GOOD.format(v=150).encode())
    assert r.status_code == 200, r.text[:300]
    api = TestClient(web_app).post("/api/v1/imports?dry_run=true", headers={
        "Authorization": f"Bearer {tokens['admin']}"}, files={"file": (name, io.BytesIO(
            GOOD.format(v=150).encode()))})
    assert api.status_code == 200, api.text[:300]
    kept = api.json()["file"]
    assert kept.endswith(".csv") and len(kept.encode()) <= imports.MAX_NAME_BYTES + 4
    assert "\t" not in kept


def test_corrupt_parquet_message_hides_the_staging_path(web_app, clients, csrf, tokens) -> None:
    staging = str(web_app.state.platform.staging)
    r = _upload(clients["admin"], csrf, "bad.parquet", b"PAR1garbagegarbagePAR1")
    assert r.status_code == 400 and "bad.parquet" in r.text and staging not in r.text
    api = TestClient(web_app).post("/api/v1/imports?dry_run=true", headers={
        "Authorization": f"Bearer {tokens['admin']}"}, files={"file": (
            "bad.parquet", io.BytesIO(b"PAR1garbagegarbagePAR1"))})
    assert api.status_code == 400
    assert "bad.parquet" in api.json()["detail"] and staging not in api.json()["detail"]


def test_safe_name_examples() -> None:
    assert imports.safe_name("../../etc/passwd.csv") == "passwd.csv"
    assert imports.safe_name("C:\\Users\\x\\年鉴.xlsx") == "年鉴.xlsx"
    assert imports.safe_name("a\x00b\nc.csv") == "abc.csv"
    assert imports.safe_name(".csv") == ".csv"
    cut = imports.safe_name("表" * 100 + ".parquet")
    assert cut == "表" * 40 + ".parquet"  # 120 bytes of 3-byte characters
    assert pd.Series([cut]).str.len().iloc[0] == 48
