"""Concurrent writers through a real server: 6 clients correcting the same cell and 6 correcting
cells of their own, at once, through ``POST /api/v1/observations``. On DuckDB one uvicorn
process (a DuckDB file admits one) serves the session's app from a thread; on PostgreSQL uvicorn
runs with 2 workers in a child process on the same database. Every answer is 200 or a clear 409,
never a 5xx, and every cell ends with exactly one current value. Bounded: 6 x 3 requests per
case, loopback only, each request with a 60 s timeout."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

uvicorn = pytest.importorskip("uvicorn")

SRC = str(Path(__file__).parents[2] / "src")
API = "/api/v1/observations"
CLIENTS, ROUNDS = 6, 3
SAME = ("330102", 2022, "villages")
OWN = [(code, year, "villages") for code in ("330302", "330106", "330105", "330110")
       for year in (2021, 2023)]  # one cell per client


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server at {url} did not start")


@pytest.fixture(scope="module")
def server(web_db, web_app):  # type: ignore[no-untyped-def]
    port = _port()
    url = f"http://127.0.0.1:{port}"
    if web_db[0].startswith("postgresql"):
        env = {**os.environ, "PYTHONPATH": SRC, "RONGHE_DB": web_db[0],
               "RONGHE_SECRET_KEY": "concurrency-test"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "ronghe.web.app:from_env", "--host",
             "127.0.0.1", "--port", str(port), "--workers", "2", "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _wait(url, time.monotonic() + 180)
            yield url
        finally:
            proc.terminate()
            proc.wait(30)
        return
    srv = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    _wait(url, time.monotonic() + 30)
    yield url
    srv.should_exit = True
    thread.join(10)


def _current_counts(store, cells) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(store.history(*cell)["valid"].sum()) for cell in cells]


def _hammer(url: str, token: str, cell_of) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    """CLIENTS threads, released together, each sending ROUNDS corrections of its cell (value
    100 + client + round / 10); (client, round, status code) of every request."""
    answers: list[tuple[int, int, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(i: int) -> None:
        region, year, variable = cell_of(i)
        with httpx.Client(base_url=url, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as http:
            start.wait()
            for k in range(ROUNDS):
                r = http.post(API, json={"values": [{
                    "region": region, "year": year, "variable": variable,
                    "value": 100 + i + k / 10}], "reason": f"client {i} round {k}"})
                with lock:
                    answers.append((i, k, r.status_code))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert len(answers) == CLIENTS * ROUNDS
    return answers


def test_writers_on_one_cell(server, tokens, web_app) -> None:
    statuses = [s for _, _, s in _hammer(server, tokens["admin"], lambda i: SAME)]
    assert set(statuses) <= {200, 409}, statuses
    assert statuses.count(200) >= 1
    assert _current_counts(web_app.state.platform.store, [SAME]) == [1]


def test_writers_on_their_own_cells(server, tokens, web_app) -> None:
    answers = _hammer(server, tokens["admin"], lambda i: OWN[i])
    assert {s for _, _, s in answers} <= {200, 409}, answers
    store = web_app.state.platform.store
    assert _current_counts(store, OWN[:CLIENTS]) == [1] * CLIENTS
    for i, cell in enumerate(OWN[:CLIENTS]):  # a client's last stored value is its cell's current value
        stored = [k for c, k, s in answers if c == i and s == 200]
        if stored:
            h = store.history(*cell)
            assert float(h[h["valid"]]["value"].iloc[0]) == 100 + i + max(stored) / 10
