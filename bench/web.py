"""Bounded load on the web API over loopback.

Builds the demo database with all 2,844 synthetic counties (2019-2023), starts uvicorn on
127.0.0.1 as a child process (``--workers W``, default 1), then runs N concurrent httpx clients
for S seconds against the overview API (``/api/v1/results/index?year=2023``, every county) and the region APIs
(``/api/v1/results/index?region=...``, ``/api/v1/results/coupling?region=...`` and
``/api/v1/diagnosis/{code}``) for random counties with an analyst's API token, and prints the
request count, p50, p95, p99 latency and errors, overall and per endpoint. A diagnosis is computed
on first request for a region-year (then cached), so with 2,844 counties most diagnosis calls of
a short run are first calls.

    PYTHONPATH=src python bench/web.py --clients 50 --seconds 30
    PYTHONPATH=src python bench/web.py --workers 2 --db postgresql://u:p@127.0.0.1/empty_db

A DuckDB file can be opened by one process only, so several workers need ``--db`` naming an empty
PostgreSQL database (the demo is loaded into it).

The clients use aiohttp: httpx's async client spent about 4 ms of CPU per request here (0.4 ms
for aiohttp), so on a 2-core machine it, not the server, set the pace. The script prints the CPU
time per request of the server and of the load generator, so a reader can see which was busy.

Target (issue 8): p95 under 200 ms and no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
import numpy as np

KINDS = ("/api/v1/results/index?year=2023", "/api/v1/results/index?region={code}",
         "/api/v1/results/coupling?region={code}", "/api/v1/diagnosis/{code}?year=2023")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _client(session: aiohttp.ClientSession, codes: list[str], stop: float,
                  latencies: list[tuple[str, float]], errors: list[str], seed: int) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < stop:
        code = rng.choice(codes)
        kind = rng.choice(KINDS)
        path = kind.format(code=code)
        t0 = time.perf_counter()
        try:
            async with session.get(path) as r:
                await r.read()
                if r.status != 200:
                    errors.append(f"{r.status} {path}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            errors.append(f"{type(exc).__name__} {path}")
        latencies.append((kind, time.perf_counter() - t0))


async def _load(base: str, token: str, codes: list[str], clients: int, seconds: float
                ) -> tuple[list[tuple[str, float]], list[str]]:
    latencies: list[tuple[str, float]] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    async with aiohttp.ClientSession(
            base, headers={"Authorization": f"Bearer {token}"},
            connector=aiohttp.TCPConnector(limit=clients),
            timeout=aiohttp.ClientTimeout(total=30)) as session:
        await asyncio.gather(*(_client(session, codes, stop, latencies, errors, i)
                               for i in range(clients)))
    return latencies, errors


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _server_pids(pid: int) -> list[int]:
    """The uvicorn process and its worker children."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid] + ([int(c) for c in children.read_text().split()] if children.exists() else [])


def _line(label: str, ms: np.ndarray) -> None:
    if ms.size:
        p50, p95, p99 = np.percentile(ms, [50, 95, 99])
        print(f"  {label:45s} n={ms.size:6d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
              f"p99 {p99:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", default="", help="empty PostgreSQL database (default: DuckDB)")
    args = parser.parse_args()
    if args.workers > 1 and not args.db:
        parser.error("several workers need --db with a PostgreSQL URL (DuckDB: one process)")

    from ronghe.store import Store
    from ronghe.web.auth import Accounts
    from ronghe.web.demo import build_demo

    db = args.db or str(Path(tempfile.mkdtemp(prefix="ronghe-bench-")) / "bench.duckdb")
    t0 = time.perf_counter()
    build_demo(db, provinces=None, years=range(2019, 2024))
    store = Store(db)
    accounts = Accounts(store)
    analyst = next(u["id"] for u in accounts.users() if u["username"] == "analyst")
    token = accounts.create_token(analyst, "bench")
    codes = sorted(store.observations(years=[2023], columns=["region"])["region"].unique())
    store.close()
    print(f"demo database: {len(codes)} counties, built in {time.perf_counter() - t0:.1f} s")

    port = _free_port()
    env = {**os.environ, "RONGHE_DB": db, "RONGHE_SECRET_KEY": "bench"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "ronghe.web.app:from_env", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(args.workers), "--log-level",
         "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        t0 = time.perf_counter()
        while True:
            try:  # the first call also evaluates the panel
                r = httpx.get(f"{base}/api/v1/results/index?year=2023", timeout=120,
                              headers={"Authorization": f"Bearer {token}"})
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
            if time.perf_counter() - t0 > 300:
                raise SystemExit("server did not come up")
        busy = _cpu_seconds(_server_pids(proc.pid))
        while time.perf_counter() - t0 < 300:  # until every worker has warmed up (CPU < 20 %)
            time.sleep(1.0)
            now = _cpu_seconds(_server_pids(proc.pid))
            if now - busy < 0.2:
                break
            busy = now
        print(f"server ready and results computed in {time.perf_counter() - t0:.1f} s")
        pids = _server_pids(proc.pid)
        server0, self0 = _cpu_seconds(pids), time.process_time()
        latencies, errors = asyncio.run(_load(base, token, codes, args.clients, args.seconds))
        server_cpu, client_cpu = _cpu_seconds(pids) - server0, time.process_time() - self0
    finally:
        proc.terminate()
        proc.wait(20)
    ms = np.asarray([s for _, s in latencies]) * 1000
    n = max(ms.size, 1)
    print(f"{args.clients} clients x {args.seconds:.0f} s, {args.workers} worker(s): "
          f"{ms.size} requests ({ms.size / args.seconds:.0f}/s), errors {len(errors)}; "
          f"CPU per request: server {1000 * server_cpu / n:.2f} ms, "
          f"load generator {1000 * client_cpu / n:.2f} ms ({os.cpu_count()} cores)")
    _line("all", ms)
    for kind in KINDS:
        _line(kind, np.asarray([s for k, s in latencies if k == kind]) * 1000)
    for e in sorted(set(errors))[:10]:
        print("  error:", e)


if __name__ == "__main__":
    main()
