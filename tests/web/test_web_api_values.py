"""The result endpoints give the evaluated frames' values, selected by region, year and scope.

The API encodes each row once and joins the rows of an answer; the oracle here is a plain pandas
selection of the snapshot's frames."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient


def _get(app, token: str, path: str) -> list[dict]:  # type: ignore[no-untyped-def]
    r = TestClient(app).get(path, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and a == pytest.approx(b, abs=0))


@pytest.mark.parametrize("who", ["analyst", "viewer"])
@pytest.mark.parametrize("year", [None, 2022])
def test_index_rows_equal_the_frame(web_app, tokens, who, year) -> None:
    snap = web_app.state.platform.analysis.snapshot()
    scope = web_app.state.platform.accounts.principal(
        next(u["id"] for u in web_app.state.platform.accounts.users() if u["username"] == who)
    ).scope
    frame = snap.index
    if scope is not None:
        frame = frame[frame["region"].isin(scope)]
    if year is not None:
        frame = frame[frame["year"] == year]
    rows = _get(web_app, tokens[who], "/api/v1/results/index" + (f"?year={year}" if year else ""))
    assert [(r["region"], r["year"]) for r in rows] == list(
        zip(frame["region"], frame["year"], strict=True))
    for r, (_, f) in zip(rows, frame.iterrows(), strict=True):
        assert _same(r["index"], f["index"]) and r["rank"] == f["rank"]
        assert all(_same(v, f[f"U_{k}"]) for k, v in r["U"].items())


def test_one_region_and_year(web_app, tokens) -> None:
    snap = web_app.state.platform.analysis.snapshot()
    code = str(snap.index["region"].iloc[-1])
    want = snap.coupling[(snap.coupling["region"] == code) & (snap.coupling["year"] == 2023)]
    rows = _get(web_app, tokens["analyst"], f"/api/v1/results/coupling?region={code}&year=2023")
    assert len(rows) == 1 == len(want)
    assert rows[0]["D"] == want["D"].iloc[0] and rows[0]["grade"] == want["grade"].iloc[0]
    every = _get(web_app, tokens["analyst"], f"/api/v1/results/obstacles?region={code}")
    assert [r["year"] for r in every] == sorted(snap.index.loc[snap.index["region"] == code,
                                                               "year"])
    top = snap.obstacles[(snap.obstacles["region"] == code) & (snap.obstacles["year"] == 2023)]
    last = next(r for r in every if r["year"] == 2023)
    assert last["top"][0]["indicator"] == top["top1"].iloc[0]
    assert last["top"][0]["degree"] == top["top1_degree"].iloc[0]


def test_unknown_year_is_an_empty_list(web_app, tokens) -> None:
    assert _get(web_app, tokens["analyst"], "/api/v1/results/index?year=1990") == []


def test_server_start_evaluates_before_the_first_request(web_db) -> None:
    import threading

    from ronghe.web import create_app

    app = create_app(web_db[0], secret_key="warm")
    assert app.state.platform.analysis.current() is None
    with TestClient(app):  # runs the lifespan: start-up warms in a thread
        for thread in threading.enumerate():
            if thread.name == "ronghe-warm-up":
                thread.join(120)
        assert app.state.platform.analysis.current() is not None
        assert app.state.platform.analysis.current().tables.keys() == {"index", "coupling",
                                                                       "obstacles"}
