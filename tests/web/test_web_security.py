"""Security behaviour: password hashes, cookies, CSRF, login rate limit, upload limits, audit log,
API tokens, the region-scope closure, and the 0002 migration."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from ronghe.store import schema as t
from ronghe.web.auth import descendants
from ronghe.web.charts import histogram
from ronghe.web.security import LoginLimiter


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


def test_limiter_window(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("ronghe.web.security.time.monotonic", lambda: now[0])
    lim = LoginLimiter(limit=2, window=60)
    lim.failed("u", "ip")
    lim.failed("u", "ip")
    assert lim.blocked("u", "ip") and not lim.blocked("u", "other-ip")
    now[0] += 61  # both failures leave the window
    assert not lim.blocked("u", "ip")


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


def test_migration_0002_tables(web_app) -> None:
    store = web_app.state.platform.store
    assert store.revision() == "0002"
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"users", "user_regions", "api_tokens", "audit_log"} <= names


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
    assert "≤ 1.800" in svg and "> 4.200" in svg
    assert choropleth(shapes, {"zz": 1.0}, {}) == ""
