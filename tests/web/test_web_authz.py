"""Authorisation matrix: every role x every region endpoint x a region in and out of scope gives
the expected status, and no response carries data of a region outside the caller's scope.

Demo assignments: editor -> 330000 (Zhejiang), viewer -> 330100 (Hangzhou); admin and analyst
read everything. Regions: 330102 (Hangzhou, in every scope), 330302 (Wenzhou: editor yes, viewer
no), 520102 (Guiyang: only admin and analyst).

The account forms (admin: create/edit/deactivate/reactivate users, reset passwords, create and
revoke tokens; everyone: list and revoke their own tokens) are checked per role as well, each
against a fresh target user, by the status and by whether the action took effect."""

from __future__ import annotations

import io
import re
import secrets

import pytest
from fastapi.testclient import TestClient
from scopes import READS, REGIONS, ROLES, WRITES

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
    assert clients[role].get("/tokens").status_code == 200


# action: (path, form, status for an admin); {u} is the target user's id, {k} its token's id
ADMIN_FORMS = {
    "create": ("/admin/users", {"username": "{name}-new", "password": "long-password",
                                "role": "viewer"}, 303),
    "edit": ("/admin/users/{u}", {"role": "analyst", "regions": ""}, 303),
    "deactivate": ("/admin/users/{u}/active", {"active": "false"}, 303),
    "reactivate": ("/admin/users/{u}/active", {"active": "true"}, 303),
    "password": ("/admin/users/{u}/password", {"password": "changed-password"}, 303),
    "token": ("/admin/tokens", {"user_id": "{u}", "name": "more"}, 200),
    "revoke": ("/admin/tokens/{k}/revoke", {}, 303),
}


def _target(web_app) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """A fresh viewer of Hangzhou with one token: (user id, token id, user name)."""
    accounts = web_app.state.platform.accounts
    name = f"target-{secrets.token_hex(5)}"
    uid = accounts.create_user(name, "old-password", "viewer", ["330100"])
    accounts.create_token(uid, "target")
    return uid, accounts.tokens(uid)[0]["id"], name


def _took_effect(web_app, action: str, uid: int, kid: int, name: str) -> bool:  # type: ignore[no-untyped-def]
    accounts = web_app.state.platform.accounts
    users = {u["id"]: u for u in accounts.users()}
    if action == "create":
        return any(u["username"] == f"{name}-new" for u in users.values())
    if action == "password":
        return accounts.authenticate(name, "changed-password") is not None
    return {"edit": users[uid]["role"] == "analyst", "deactivate": not users[uid]["active"],
            "reactivate": users[uid]["active"], "token": len(accounts.tokens(uid)) == 2,
            "revoke": accounts.tokens(uid, kid)[0]["revoked"]}[action]


def _post_form(client: TestClient, path: str, form: dict, uid: int, kid: int, name: str,
               csrf_token: str):  # type: ignore[no-untyped-def]
    fill = {"u": uid, "k": kid, "name": name}
    data = {key: value.format(**fill) for key, value in form.items()}
    return client.post(path.format(**fill), data={**data, "csrf": csrf_token},
                       follow_redirects=False)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ADMIN_FORMS)
def test_admin_form_matrix(web_app, clients, csrf, role, action) -> None:
    uid, kid, name = _target(web_app)
    if action == "reactivate":
        web_app.state.platform.accounts.set_active(uid, False)
    path, form, admin_status = ADMIN_FORMS[action]
    client = clients[role]
    r = _post_form(client, path, form, uid, kid, name, csrf(client.get("/").text))
    assert r.status_code == (admin_status if role == "admin" else 403), (role, action, r.text[:300])
    assert _took_effect(web_app, action, uid, kid, name) == (role == "admin"), (role, action)


@pytest.mark.parametrize("action", ADMIN_FORMS)
def test_admin_forms_need_csrf(web_app, clients, action) -> None:
    uid, kid, name = _target(web_app)
    if action == "reactivate":
        web_app.state.platform.accounts.set_active(uid, False)
    path, form, _ = ADMIN_FORMS[action]
    r = _post_form(clients["admin"], path, form, uid, kid, name, "not-the-token")
    assert r.status_code == 403
    assert not _took_effect(web_app, action, uid, kid, name)


@pytest.mark.parametrize("action", ["create", "edit", "password", "token"])
def test_malformed_form_is_422_before_csrf_and_role(web_app, clients, csrf, action) -> None:
    """A form post is validated before the CSRF token and the role are checked: a malformed form
    of a non-administrator with a wrong token is 422, the same form well-formed is 403."""
    uid, kid, name = _target(web_app)
    path, form, _ = ADMIN_FORMS[action]
    field = {"create": "username", "edit": "role", "password": "password", "token": "name"}[action]
    malformed = {**form, field: "x" * 300}
    viewer = clients["viewer"]
    r = _post_form(viewer, path, malformed, uid, kid, name, "not-the-token")
    assert r.status_code == 422, (action, r.text[:300])
    r = _post_form(viewer, path, form, uid, kid, name, "not-the-token")
    assert r.status_code == 403, (action, r.text[:300])
    r = _post_form(viewer, path, form, uid, kid, name, csrf(viewer.get("/").text))
    assert r.status_code == 403 and not _took_effect(web_app, action, uid, kid, name), action


@pytest.mark.parametrize("role", ROLES)
def test_own_token_matrix(web_app, clients, csrf, role) -> None:
    """Everyone revokes their own tokens on /tokens and nobody else's (404, token still valid)."""
    accounts = web_app.state.platform.accounts
    me = next(u["id"] for u in accounts.users() if u["username"] == role)
    accounts.create_token(me, "own")
    mine = accounts.tokens(me)[0]["id"]
    uid, theirs, _ = _target(web_app)
    client = clients[role]
    page = client.get("/tokens")
    assert page.status_code == 200 and f'id="token-{mine}"' in page.text
    assert f'id="token-{theirs}"' not in page.text
    token = csrf(page.text)
    r = client.post(f"/tokens/{theirs}/revoke", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 404 and not accounts.tokens(uid, theirs)[0]["revoked"]
    r = client.post(f"/tokens/{mine}/revoke", data={"csrf": "wrong"}, follow_redirects=False)
    assert r.status_code == 403 and not accounts.tokens(me, mine)[0]["revoked"]
    r = client.post(f"/tokens/{mine}/revoke", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and accounts.tokens(me, mine)[0]["revoked"]


@pytest.mark.parametrize("role", ROLES)
def test_report_for_every_reader_holds_only_scope(web_app, clients, role) -> None:
    """Every role gets a report; a scoped one names no out-of-scope region and ranks among the
    in-scope regions only (was 403 for the editor and the viewer)."""
    pytest.importorskip("ronghe.report.html")
    r = clients[role].get("/report")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert "<html" in r.text[:2000].lower()
    index = web_app.state.platform.analysis.snapshot().index
    names = index.drop_duplicates("region").set_index("region")["name_zh"]
    for code in REGIONS:
        assert (names[code] in r.text) == (code in READS[role]), code
    scope = clients[role].get("/report")  # served again from the same file
    assert scope.text == r.text
    if role in ("editor", "viewer"):
        outside = set(names.index) - _scope_of(web_app, role)
        assert outside and not any(f">{names[c]}<" in r.text for c in outside)
        assert "本报告仅含您有权查看的地区" in r.text


def _scope_of(web_app, role: str) -> set[str]:
    p = web_app.state.platform
    uid = next(u["id"] for u in p.accounts.users() if u["username"] == role)
    return set(p.accounts.principal(uid).scope)


def test_anonymous_is_refused(web_app, csrf) -> None:
    client = TestClient(web_app)
    for method, path in API:
        assert _call(client, method, path, "330102").status_code == 401
    for path in (*PAGES, "/", "/data", "/admin", "/tokens"):
        r = client.get(path.format(c="330102"), follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    uid, kid, name = _target(web_app)
    token = csrf(client.get("/login").text)  # the anonymous session's token
    for action, (path, form, _) in ADMIN_FORMS.items():
        r = _post_form(client, path, form, uid, kid, name, token)
        assert r.status_code == 303 and r.headers["location"] == "/login", action
        assert action == "reactivate" or not _took_effect(web_app, action, uid, kid, name)
    r = client.post(f"/tokens/{kid}/revoke", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert not web_app.state.platform.accounts.tokens(uid, kid)[0]["revoked"]
    bad = {"Authorization": "Bearer rh_not-a-token"}
    assert client.get("/api/v1/results/index", headers=bad).status_code == 401
