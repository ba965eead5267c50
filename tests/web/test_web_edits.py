"""Corrections of single values: the region profile's form and ``POST /api/v1/observations``.

Role x region matrix (in and out of the caller's write scope) with the expected status and, on
refusal, the proof that nothing was stored; a correction supersedes the old value, which stays in
the history with its batch; provenance (source = reason, user) in the batch list; the audit entry;
invalid values (422 naming row and reason, nothing stored); an identical re-submission is
``unchanged``; the results are refreshed at once. Demo scopes as in test_web_authz.py: editor ->
330000 (Zhejiang), viewer -> 330100 (Hangzhou); 330102 is in every scope, 330302 in the editor's
but not the viewer's, 520102 only in the full-scope roles'.

The database is shared by the whole web session, so every test works on cells no other test file
touches and reads the values it expects from the store first. New values are whole numbers, which
every backend stores exactly (DuckDB's FLOAT column is single precision).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from scopes import READS, REGIONS, ROLES, WRITES

from ronghe.words import number

API = "/api/v1/observations"


def _current(store, region: str, year: int, variable: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """(value, batch id) of the cell's current row."""
    h = store.history(region, year, variable)
    row = h[h["valid"]].iloc[0]
    return float(row["value"]), int(row["batch_id"])


def _post_api(app, token: str, values: list[dict], reason: str = "api correction"):  # type: ignore[no-untyped-def]
    return TestClient(app).post(API, json={"values": values, "reason": reason},
                                headers={"Authorization": f"Bearer {token}"})


def _post_form(client: TestClient, csrf, code: str, form: dict, token: str | None = None):  # type: ignore[no-untyped-def]
    token = token if token is not None else csrf(client.get("/").text)
    return client.post(f"/region/{code}/values", data={**form, "csrf": token},
                       follow_redirects=False)


# -- who may correct what ------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_form_matrix(web_app, clients, csrf, role) -> None:
    store = web_app.state.platform.store
    client = clients[role]
    for k, code in enumerate(REGIONS):
        page = client.get(f"/region/{code}?year=2022&variable=road_length")
        assert page.status_code == (200 if code in READS[role] else 403), (role, code)
        assert ('id="correct"' in page.text) == (code in WRITES[role]), (role, code)
        old, old_batch = _current(store, code, 2022, "road_length")
        new = round(old) + 1 + k + len(role)
        r = _post_form(client, csrf, code, {"year": "2022", "variable": "road_length",
                                            "value": str(new), "reason": f"form {role}"})
        if code in WRITES[role]:
            assert r.status_code == 303, (role, code, r.text[:300])
            assert r.headers["location"] == (
                f"/region/{code}?year=2022&variable=road_length&saved=imported#correct")
            assert _current(store, code, 2022, "road_length")[0] == new
            page = client.get(r.headers["location"])
            assert 'id="saved"' in page.text and f">{new:.15g}</strong>" in page.text
        else:
            assert r.status_code == 403, (role, code, r.text[:300])
            assert _current(store, code, 2022, "road_length") == (old, old_batch)


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(web_app, tokens, role) -> None:
    store = web_app.state.platform.store
    for k, code in enumerate(REGIONS):
        old, old_batch = _current(store, code, 2021, "hospital_beds")
        n_batches = len(store.batches())
        new = round(old) + 1 + k + len(role)
        r = _post_api(web_app, tokens[role], [{"region": code, "year": 2021,
                                               "variable": "hospital_beds", "value": new}])
        if code in WRITES[role]:
            assert r.status_code == 200, (role, code, r.text)
            got = r.json()
            assert got["status"] == "imported" and got["n_values"] == 1
            assert _current(store, code, 2021, "hospital_beds") == (new, got["batch_id"])
        else:
            assert r.status_code == 403, (role, code, r.text)
            assert _current(store, code, 2021, "hospital_beds") == (old, old_batch)
            assert len(store.batches()) == n_batches


def test_mixed_scope_is_refused_whole(web_app, tokens) -> None:
    store = web_app.state.platform.store
    before = _current(store, "330302", 2023, "villages")
    r = _post_api(web_app, tokens["editor"], [
        {"region": "330302", "year": 2023, "variable": "villages", "value": before[0] + 1},
        {"region": "520102", "year": 2023, "variable": "villages", "value": 7}])
    assert r.status_code == 403 and "520102" in r.json()["detail"]
    assert _current(store, "330302", 2023, "villages") == before


def test_refusals_before_any_write(web_app, clients, csrf, tokens) -> None:
    store = web_app.state.platform.store
    before = _current(store, "330102", 2023, "villages")
    form = {"year": "2023", "variable": "villages", "value": str(before[0] + 3), "reason": "x"}
    assert _post_form(clients["editor"], csrf, "330102", form, token="wrong").status_code == 403
    assert _post_form(clients["editor"], csrf, "999999", form).status_code == 404
    unknown = [{"region": "999999", "year": 2023, "variable": "villages", "value": 1}]
    assert _post_api(web_app, tokens["admin"], unknown).status_code == 404
    assert _post_api(web_app, tokens["editor"], unknown).status_code == 404
    cookie = clients["editor"].post(API, json={"values": [{"region": "330102", "year": 2023,
                                                           "variable": "villages", "value": 1}],
                                               "reason": "no csrf header"})
    assert cookie.status_code == 403
    anonymous = TestClient(web_app).post(API, json={"values": [], "reason": "x"})
    assert anonymous.status_code == 401
    too_many = [{"region": "330102", "year": 2023, "variable": "villages", "value": i}
                for i in range(1001)]
    assert _post_api(web_app, tokens["admin"], too_many).status_code == 422
    assert _post_api(web_app, tokens["admin"], too_many[:1], reason="").status_code == 422
    assert _current(store, "330102", 2023, "villages") == before


# -- what a correction stores --------------------------------------------------------------------

def test_correction_supersedes_keeps_history_and_provenance(web_app, tokens) -> None:
    p = web_app.state.platform
    old, old_batch = _current(p.store, "330302", 2021, "villages")
    n_history = len(p.store.history("330302", 2021, "villages"))
    new = round(old) + 2
    reason = "浙江统计年鉴2024 表12-3 更正"
    r = _post_api(web_app, tokens["admin"], [{"region": "330302", "year": 2021,
                                              "variable": "villages", "value": new}], reason)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["status"], got["n_values"], got["n_superseded"], got["n_unchanged"]) == (
        "imported", 1, 1, 0)
    h = p.store.history("330302", 2021, "villages")
    assert len(h) == n_history + 1
    was, now = h.iloc[-2], h.iloc[-1]
    assert (was["value"], int(was["batch_id"]), bool(was["valid"]),
            int(was["superseded_by"])) == (old, old_batch, False, got["batch_id"])
    assert (now["value"], int(now["batch_id"]), bool(now["valid"])) == (new, got["batch_id"],
                                                                          True)
    batch = p.store.batches().set_index("id").loc[got["batch_id"]]
    assert (batch["source"], batch["user_name"], batch["file_name"], batch["layout"]) == (
        reason, "admin", "edit", "edit")
    assert (batch["sha256"], int(batch["n_values"]), int(batch["n_superseded"])) == (
        got["sha256"], 1, 1)
    entry = next(a for a in p.accounts.audit_entries() if a["action"] == "edit")
    assert (entry["username"], entry["target"]) == ("admin", "330302 2021 villages")
    assert entry["detail"] == (f"{number(old, 6)} → {number(new, 6)} 个; "
                               f"批次 batch {got['batch_id']}; {reason}")

    again = _post_api(web_app, tokens["admin"], [{"region": "330302", "year": 2021,
                                                  "variable": "villages", "value": new}], reason)
    assert again.status_code == 200
    assert (again.json()["status"], again.json()["batch_id"], again.json()["n_unchanged"]) == (
        "unchanged", got["batch_id"], 1)
    assert len(p.store.history("330302", 2021, "villages")) == n_history + 1
    assert p.accounts.audit_entries()[0]["id"] == entry["id"]  # nothing changed, nothing logged


def test_profile_shows_current_value_and_provenance(web_app, clients, csrf) -> None:
    p = web_app.state.platform
    client = clients["editor"]
    old, _ = _current(p.store, "330302", 2022, "villages")
    new = round(old) + 5
    r = _post_form(client, csrf, "330302", {"year": "2022", "variable": "villages",
                                            "value": str(new), "reason": "乡镇上报数更正"})
    assert r.status_code == 303, r.text[:300]
    batch = int(p.store.batches()["id"].max())
    page = client.get("/region/330302?year=2022&variable=villages&lang=en").text
    assert f'<strong id="current-value">{new}</strong>' in page
    assert f"Batch {batch} · edit · 乡镇上报数更正 · editor · " in page
    assert f"<td>{old:.15g}</td>" in page  # the earlier value, folded under "Earlier values"
    assert "Correct a value" in page and "修正数据" in client.get(
        "/region/330302?year=2022&lang=zh").text
    audit = p.accounts.audit_entries()[0]
    assert (audit["action"], audit["target"], audit["username"]) == (
        "edit", "330302 2022 villages", "editor")
    assert audit["detail"].startswith(f"{number(old, 6)} → {number(new, 6)} ")
    assert audit["detail"].endswith("; 乡镇上报数更正")


@pytest.mark.parametrize(("value", "variable", "year", "reason"), [
    (150, "water_access_seat", 2021, "150 outside the valid range [0, 100]"),
    ("abc", "villages", 2022, "not a number"),
    ("1,2", "villages", 2022, "malformed thousands separators"),
    ("1", "no_such_variable", 2021, "unknown variable"),
    ("1", "villages", 2021, "also given in row 1"),
])
def test_invalid_value_is_422_and_stores_nothing(web_app, tokens, value, variable, year,
                                                 reason) -> None:
    store = web_app.state.platform.store
    first = _current(store, "330102", 2021, "villages")
    n_batches = len(store.batches())
    r = _post_api(web_app, tokens["admin"], [
        {"region": "330102", "year": 2021, "variable": "villages", "value": first[0] + 1},
        {"region": "330102", "year": year, "variable": variable, "value": value}])
    assert r.status_code == 422, r.text
    assert "row 2" in r.json()["detail"] and reason in r.json()["detail"]
    assert len(store.batches()) == n_batches
    assert _current(store, "330102", 2021, "villages") == first


@pytest.mark.parametrize(("value", "reason", "message"), [
    ("150", "typo", "150 outside the valid range [0, 100]"),
    ("", "typo", "no value"),
    ("42", "   ", "needs a reason"),
])
def test_invalid_form_shows_the_reason(web_app, clients, csrf, value, reason, message) -> None:
    store = web_app.state.platform.store
    before = _current(store, "330302", 2023, "water_access_seat")
    r = _post_form(clients["editor"], csrf, "330302", {"year": "2023",
                                                       "variable": "water_access_seat",
                                                       "value": value, "reason": reason})
    assert r.status_code == 422 and 'id="correct-error"' in r.text
    assert message in r.text and f'value="{value}"' in r.text  # the typed value is kept
    assert _current(store, "330302", 2023, "water_access_seat") == before


def test_results_refresh_at_once(web_app, tokens) -> None:
    """The urban-rural income ratio feeds the index; a tripled rural income must show in the
    next answer, although the cached snapshot's data version was checked a moment ago."""
    auth = {"Authorization": f"Bearer {tokens['admin']}"}
    client = TestClient(web_app)
    url = "/api/v1/results/index?region=330110&year=2023"
    before = client.get(url, headers=auth).json()[0]["index"]
    old, _ = _current(web_app.state.platform.store, "330110", 2023, "rural_income")
    r = _post_api(web_app, tokens["admin"], [{"region": "330110", "year": 2023,
                                              "variable": "rural_income", "value": old * 3}])
    assert r.status_code == 200, r.text
    assert r.json()["warnings"] and "jump" in r.json()["warnings"][0]  # ×3 from 2022
    after = client.get(url, headers=auth).json()[0]["index"]
    assert after != before
