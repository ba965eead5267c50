"""Peak memory and time of the chain, in memory and out of core, by size (issue 19, items 1-2).

For each size the tiled synthetic panel of ``bench/scale.py`` (:func:`scale.tiled_panel`, 20 years,
the seed framework) is evaluated in a fresh process per measurement, so that each peak resident
set size (``ru_maxrss``) is that run's alone:

- ``memory``: ``Study(panel, "seed").evaluate()``, then the index, coupling, obstacle and
  treatment tables framed (``Result.index`` ...); printed: RSS after building the panel, time of
  ``evaluate``, peak RSS after it, time of the tables and peak RSS after them;
- ``ooc``: the panel is first written by another process as Parquet files of ``--regions``
  regions each (:func:`ronghe.chain.partitioned.write_partitions`); a fresh process then runs
  :func:`ronghe.chain.partitioned.evaluate_partitioned` over the folder (all tables written as
  Parquet); printed: its time and peak RSS.

``--src`` points the children at another source tree (e.g. an export of main made with
``git archive <commit> src | tar -x -C /tmp/before``) for before/after figures of the in-memory
path; ``--trace`` prints, for one size, tracemalloc's peak and held memory of each step of
``evaluate`` and of each table (slow: for finding copies, not for timing).

Speed is measured here and never asserted in a test. On the shared 2-core machine the load of
other processes makes times vary by a factor of two or more; memory figures do not depend on it.

    PYTHONPATH=src python bench/memory.py [--sizes 3000 40000] [--paths memory ooc] [--src DIR]
    PYTHONPATH=src python bench/memory.py --trace 40000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

DEFAULT_SIZES = (3_000, 40_000)


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KB


def child_memory(units: int, tables: int = 1) -> dict[str, float]:
    from scale import tiled_panel

    from ronghe import Study

    panel = tiled_panel(units)
    out = {"units": units, "region_years": len(panel.data), "rss_panel_gb": peak_gb()}
    study = Study(panel, "seed")
    start = time.perf_counter()
    res = study.evaluate()
    out["evaluate_s"], out["rss_evaluate_gb"] = time.perf_counter() - start, peak_gb()
    start = time.perf_counter()
    for name in ("index", "coupling", "obstacles", "treatment") if tables else ():
        getattr(res, name)
    out["tables_s"], out["rss_tables_gb"] = time.perf_counter() - start, peak_gb()
    return out


def child_write(units: int, folder: str, regions: int) -> dict[str, float]:
    from scale import tiled_panel

    from ronghe.chain.partitioned import write_partitions

    panel = tiled_panel(units)
    files = write_partitions(panel, folder, max(1, -(-units // regions)))
    return {"files": len(files), "mb": sum(f.stat().st_size for f in files) / 1024**2}


def child_ooc(units: int, folder: str, out: str) -> dict[str, float]:
    from ronghe.chain.partitioned import evaluate_partitioned

    start = time.perf_counter()
    evaluate_partitioned(folder, out, "seed")
    return {"units": units, "ooc_s": time.perf_counter() - start, "rss_ooc_gb": peak_gb()}


def trace(units: int) -> None:
    """Peak and held memory (tracemalloc) of each step and table, for one size."""
    import tracemalloc

    from scale import tiled_panel

    from ronghe import Study

    study = Study(tiled_panel(units), "seed")
    tracemalloc.start()
    last = ["start", time.perf_counter()]

    def step(name: str) -> None:
        held, peak = tracemalloc.get_traced_memory()
        print(f"{last[0]:>22}: peak {peak / 2**20:7.0f} MB  held after {held / 2**20:7.0f} MB"
              f"  {time.perf_counter() - float(last[1]):6.2f} s", flush=True)
        tracemalloc.reset_peak()
        last[:] = [name, time.perf_counter()]

    res = study.evaluate(progress=step)
    for name in ("index", "coupling", "obstacles", "treatment"):
        step(f"table {name}")
        getattr(res, name)
    step("end")


def run(args: list[str], src: str | None) -> dict[str, float] | str:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=False, env=env)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return f"failed (exit {proc.returncode}: {tail[:120]})"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    ap.add_argument("--paths", nargs="+", default=["memory", "ooc"], choices=["memory", "ooc"])
    ap.add_argument("--regions", type=int, default=2_000, help="regions per Parquet file (ooc)")
    ap.add_argument("--src", help="source tree for the in-memory children (before/after)")
    ap.add_argument("--no-tables", action="store_true",
                    help="memory path: evaluate only (for the largest sizes)")
    ap.add_argument("--trace", type=int, help="trace the steps of one size and stop")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    if args.child:
        kind, units, *rest = args.child
        fn = {"memory": child_memory, "write": child_write, "ooc": child_ooc}[kind]
        typed = [int(units), *(int(r) if r.isdigit() else r for r in rest)]
        print(json.dumps(fn(*typed)))  # type: ignore[operator]
        return
    if args.trace:
        trace(args.trace)
        return
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"source: {args.src or 'this tree'}")
    for units in args.sizes:
        if "memory" in args.paths:
            r = run(["--child", "memory", str(units), str(int(not args.no_tables))], args.src)
            if isinstance(r, str):
                print(f"{units:>9,} memory {r}")
            else:
                print(f"{units:>9,} memory  panel {r['rss_panel_gb']:.2f} GB | evaluate "
                      f"{r['evaluate_s']:7.2f} s, peak {r['rss_evaluate_gb']:6.2f} GB | + tables "
                      f"{r['tables_s']:6.2f} s, peak {r['rss_tables_gb']:6.2f} GB", flush=True)
        if "ooc" in args.paths:
            work = Path(tempfile.mkdtemp(prefix="ronghe-bench-"))
            try:
                w = run(["--child", "write", str(units), str(work / "in"), str(args.regions)],
                        None)
                r = w if isinstance(w, str) else run(
                    ["--child", "ooc", str(units), str(work / "in"), str(work / "out")], None)
                if isinstance(r, str):
                    print(f"{units:>9,} ooc    {r}")
                else:
                    assert isinstance(w, dict)
                    print(f"{units:>9,} ooc     {int(w['files'])} files ({w['mb']:.0f} MB) | "
                          f"evaluate + write {r['ooc_s']:7.2f} s, peak {r['rss_ooc_gb']:6.2f} GB",
                          flush=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
