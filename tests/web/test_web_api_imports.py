"""POST /api/v1/imports: role × region in and out of scope, dry run versus import, limits,
provenance and audit. Demo scopes in scopes.py."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from scopes import REGIONS, ROLES, WRITES


def _post(app, token: str, name: str, body: bytes, dry_run: bool = True,
          source: str = "api test"):  # type: ignore[no-untyped-def]
    return TestClient(app).post(
        f"/api/v1/imports?dry_run={str(dry_run).lower()}", data={"source": source},
        files={"file": (name, io.BytesIO(body), "text/csv")},
        headers={"Authorization": f"Bearer {token}"})


def _csv(code: str, value: float, variable: str = "gdp") -> bytes:
    return f"region,year,variable,value\n{code},2023,{variable},{value}\n".encode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", REGIONS)
def test_import_matrix_dry_run(web_app, tokens, role, code) -> None:
    store = web_app.state.platform.store
    before = len(store.batches())
    r = _post(web_app, tokens[role], f"{role}{code}.csv", _csv(code, 1000 + len(role)))
    assert r.status_code == (200 if code in WRITES[role] else 403), r.text
    if r.status_code == 200:
        got = r.json()
        assert got["status"] == "dry-run" and got["n_values"] == 1 and got["batch_id"] is None
    else:
        assert code not in r.text or "outside your scope" in r.text
    assert len(store.batches()) == before  # a dry run or a refusal stores nothing


def test_import_stores_a_batch_with_provenance(web_app, tokens) -> None:
    p = web_app.state.platform
    r = _post(web_app, tokens["editor"], "api-edit.csv", _csv("330302", 5151.5), dry_run=False,
              source="浙江统计年鉴2024 表3-1")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["status"] == "imported" and isinstance(got["batch_id"], int)
    assert p.store.history("330302", 2023, "gdp")["value"].iloc[-1] == 5151.5
    batch = p.store.batches().set_index("id").loc[got["batch_id"]]
    assert batch["source"] == "浙江统计年鉴2024 表3-1" and batch["user_name"] == "editor"
    audit = p.accounts.audit_entries()
    assert any(a["action"] == "import" and a["target"] == "api-edit.csv" for a in audit)
    again = _post(web_app, tokens["editor"], "api-edit.csv", _csv("330302", 5151.5),
                  dry_run=False, source="浙江统计年鉴2024 表3-1")
    assert again.json()["status"] == "unchanged"


def test_mixed_scope_file_is_refused_whole(web_app, tokens) -> None:
    store = web_app.state.platform.store
    before = store.history("330102", 2023, "gdp")["value"].iloc[-1]
    body = b"region,year,variable,value\n330102,2023,gdp,1.5\n520102,2023,gdp,2.5\n"
    r = _post(web_app, tokens["editor"], "mixed.csv", body, dry_run=False)
    assert r.status_code == 403 and "520102" in r.text
    assert store.history("330102", 2023, "gdp")["value"].iloc[-1] == before


def test_report_names_cell_and_reason(web_app, tokens) -> None:
    body = b"region,year,variable,value\n330102,2023,gdp,abc\n330102,2022,gdp,10\n"
    r = _post(web_app, tokens["admin"], "bad-cell.csv", body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["errors"] >= 1
    bad = next(i for i in got["issues"] if i["severity"] == "error")
    assert bad["row"] is not None and bad["raw"] == "abc" and bad["reason"]


@pytest.mark.parametrize(("name", "body", "status"), [
    ("x.exe", b"MZ", 415),
    ("bad.csv", b"x,y\n1,2\n", 400),
    ("big.csv", b"region,year,variable,value\n" + b"0" * (21 * 1024 * 1024), 413),
])
def test_limits_and_unreadable(web_app, tokens, name, body, status) -> None:
    r = _post(web_app, tokens["admin"], name, body)
    assert r.status_code == status, r.text[:200]
    assert r.json()["detail"]


def test_cookie_callers_need_the_csrf_header(clients) -> None:
    r = clients["editor"].post("/api/v1/imports?dry_run=true",
                               files={"file": ("c.csv", io.BytesIO(_csv("330102", 1.0)))})
    assert r.status_code == 403
