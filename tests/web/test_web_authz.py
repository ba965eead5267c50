"""Authorisation matrix: every role x every region endpoint x a region in and out of scope gives
the expected status, and no response carries data of a region outside the caller's scope.

Demo assignments: editor -> 330000 (Zhejiang), viewer -> 330100 (Hangzhou); admin and analyst
read everything. Regions: 330102 (Hangzhou, in every scope), 330302 (Wenzhou: editor yes, viewer
no), 520102 (Guiyang: only admin and analyst)."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

ROLES = ("admin", "analyst", "editor", "viewer")
REGIONS = ("330102", "330302", "520102")
READS = {"admin": set(REGIONS), "analyst": set(REGIONS), "editor": {"330102", "330302"},
         "viewer": {"330102"}}
WRITES = {"admin": set(REGIONS), "analyst": set(), "editor": {"330102", "330302"},
          "viewer": set()}
API = (
    ("GET", "/api/v1/regions/{c}"),
    ("GET", "/api/v1/observations?region={c}&limit=5"),
    ("GET", "/api/v1/results/index?region={c}"),
    ("GET", "/api/v1/results/coupling?region={c}"),
    ("GET", "/api/v1/results/obstacles?region={c}"),
    ("GET", "/api/v1/diagnosis/{c}"),
    ("POST", "/api/v1/simulate"),
)
PAGES = ("/region/{c}", "/scenario/{c}")
LISTS = ("/api/v1/regions", "/api/v1/observations?limit=100000", "/api/v1/results/index",
         "/api/v1/results/coupling", "/api/v1/results/obstacles")
CODE_IN_JSON = re.compile(r'"(?:region|code)":"(\d{6})"')
CODE_IN_HTML = re.compile(r'/region/(\d{6})|(?<=\s)(\d{6}): ')


def _html_codes(html: str) -> set[str]:
    """Region codes in a page: links to region profiles and map titles ("name code: value")."""
    return {a or b for a, b in CODE_IN_HTML.findall(html)}


def _call(client: TestClient, method: str, path: str, code: str, headers: dict | None = None):
    url = path.format(c=code)
    if method == "POST":
        return client.post(url, json={"region": code, "changes": {"rural_ecommerce": "+10%"}},
                           headers=headers)
    return client.get(url, headers=headers)


def _scope(web_app, role: str) -> set[str] | None:
    p = web_app.state.platform
    uid = next(u["id"] for u in p.accounts.users() if u["username"] == role)
    scope = p.accounts.principal(uid).scope
    return None if scope is None else set(scope)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), API)
def test_api_matrix(web_app, tokens, role, method, path) -> None:
    client = TestClient(web_app)
    auth = {"Authorization": f"Bearer {tokens[role]}"}
    for code in REGIONS:
        r = _call(client, method, path, code, auth)
        expected = 200 if code in READS[role] else 403
        assert r.status_code == expected, (role, path, code, r.text[:200])
        if expected == 200:
            assert code in r.text
        else:
            assert set(CODE_IN_JSON.findall(r.text)) == set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_page_matrix(clients, role, path) -> None:
    for code in REGIONS:
        r = clients[role].get(path.format(c=code))
        assert r.status_code == (200 if code in READS[role] else 403), (role, path, code)


@pytest.mark.parametrize("role", ROLES)
def test_upload_matrix(clients, csrf, role) -> None:
    client = clients[role]
    for code in REGIONS:
        token = csrf(client.get("/data").text)
        body = f"region,year,variable,value\n{code},2023,gdp,{len(role)}{code}\n".encode()
        r = client.post("/data/upload", data={"csrf": token},
                        files={"file": (f"{role}{code}.csv", io.BytesIO(body), "text/csv")})
        assert r.status_code == (200 if code in WRITES[role] else 403), (role, code, r.text[:300])


@pytest.mark.parametrize("role", ROLES)
def test_lists_hold_only_scope(web_app, tokens, clients, role) -> None:
    scope = _scope(web_app, role)
    client = TestClient(web_app)
    auth = {"Authorization": f"Bearer {tokens[role]}"}
    seen: set[str] = set()
    for path in LISTS:
        r = client.get(path, headers=auth)
        assert r.status_code == 200, path
        seen |= set(CODE_IN_JSON.findall(r.text))
    for code in READS[role]:
        seen |= set(CODE_IN_JSON.findall(client.get(f"/api/v1/diagnosis/{code}",
                                                    headers=auth).text))
        seen |= _html_codes(clients[role].get(f"/region/{code}").text)
    seen |= _html_codes(clients[role].get("/").text)
    assert "330102" in seen
    if scope is not None:
        assert seen <= scope, sorted(seen - scope)[:5]
        assert not any(c.startswith("52") for c in seen)
    else:
        assert any(c.startswith("52") for c in seen)


@pytest.mark.parametrize("role", ROLES)
def test_role_pages(clients, role) -> None:
    assert clients[role].get("/admin").status_code == (200 if role == "admin" else 403)
    assert clients[role].get("/data").status_code == 200


def test_report_for_full_scope_only(clients) -> None:
    assert clients["viewer"].get("/report").status_code == 403
    assert clients["editor"].get("/report").status_code == 403
    r = clients["analyst"].get("/report")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert "<html" in r.text[:2000].lower()


def test_anonymous_is_refused(web_app) -> None:
    client = TestClient(web_app)
    for method, path in API:
        assert _call(client, method, path, "330102").status_code == 401
    for path in (*PAGES, "/", "/data", "/admin"):
        r = client.get(path.format(c="330102"), follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    bad = {"Authorization": "Bearer rh_not-a-token"}
    assert client.get("/api/v1/results/index", headers=bad).status_code == 401
