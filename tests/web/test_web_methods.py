"""/api/v1/results/methods: the weighting and TOPSIS tables and the audit of the current result,
TOPSIS rows limited to the caller's scope; /results/obstacles carries the O1-O4 shares."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def _get(app, token: str, path: str):  # type: ignore[no-untyped-def]
    r = TestClient(app).get(path, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()


def test_methods_tables_and_audit(web_app, tokens) -> None:
    snap = web_app.state.platform.analysis.snapshot()
    body = _get(web_app, tokens["analyst"], "/api/v1/results/methods?year=2023")
    for name in ("weights_entropy", "weights_critic", "weights_compared", "topsis_ideals",
                 "topsis", "audit"):
        assert name in body
    ent = {r["indicator"]: r for r in body["weights_entropy"]}
    assert all(r["entropy"] + r["utility"] == pytest.approx(1.0) for r in ent.values())
    final = {r["indicator"]: r["capped"] for r in body["weights_compared"]}
    assert sum(final.values()) == pytest.approx(1.0)
    assert list(final.values()) == pytest.approx(list(snap.result.state.weights))
    assert {r["year"] for r in body["topsis"]} == {2023}
    assert isinstance(body["audit"]["warnings"], list)
    assert sum(r["variance_share"] for r in body["audit"]["indicators"]) == pytest.approx(1.0)


def test_methods_topsis_rows_stay_in_scope(web_app, tokens) -> None:
    p = web_app.state.platform
    viewer = next(u for u in p.accounts.users() if u["username"] == "viewer")
    scope = p.accounts.principal(viewer["id"]).scope
    body = _get(web_app, tokens["viewer"], "/api/v1/results/methods")
    if scope is not None:
        assert {r["region"] for r in body["topsis"]} <= set(scope)


def test_obstacle_rows_carry_shares(web_app, tokens) -> None:
    rows = _get(web_app, tokens["analyst"], "/api/v1/results/obstacles?year=2023")
    assert rows
    for r in rows[:50]:
        tagged = [v for k, v in r["shares"].items() if k != "untagged"]
        assert sum(tagged) == pytest.approx(1.0)
        assert r["shares"]["untagged"] == pytest.approx(r["categories"].get("other", 0.0))
