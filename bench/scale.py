"""How the whole chain scales with the number of units: time, peak memory, growth exponent.

For each size the synthetic county panel (``datasets.synthetic_counties(seed=0)``, 20 years, the
seed framework) is tiled to that many units — tile t of county c gets the township-style code
c + f"{t:03d}", the county's province and its values times a seeded lognormal factor (sd 0.05) so
no two units are equal — and ``Study.evaluate()`` is timed, in a fresh process per size so that the
peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is that size's alone. The
data are generated in memory; nothing is written.

Printed per size: units, region-years, raw data (MB, float64), the time of ``Study.evaluate()``
(best of ``--repeat``), the peak RSS after building the panel and after evaluating, the growth
exponents b of time ∝ n^b and RSS ∝ n^b from the previous size, and the ratio to the baseline
below (log-log interpolated between the baseline's sizes, extrapolated beyond them).

Baseline: today's main (issue 19, before any memory work), measured on a 16-core, 128 GB machine:

    units     region-years   Study.evaluate   peak RSS
    2,844         56,880          0.57 s        0.6 GB
    28,440       568,800          8.4 s         4.0 GB
    147,888    2,957,760         42 s          13.2 GB
    619,992   12,399,840        169 s          54.5 GB

and on the project's 2-core, 24 GB machine (commit 48f157e, this script, while 8 helpers shared
the machine: load average 13-17, so the times are several times what an idle machine gives and
must be re-measured there; the memory figures do not depend on load):

    units     region-years   raw data   Study.evaluate   peak RSS (after panel)
    3,000         60,000        27 MB       6.8 s         0.41 GB (0.37 GB)
    40,000       800,000       366 MB      72 s           2.86 GB (1.44 GB)
    growth exponent 3,000 -> 40,000:  time 0.92, RSS 0.75

After the memory work of issue 19 (a run keeps X and Z only, treatment in place, kernels without
(n, k) temporaries, the generator writing the panel once), same 2-core machine, load average about 1:

    units     region-years   raw data   Study.evaluate   peak RSS (after panel)
    3,000         60,000        27 MB       0.18 s        0.34 GB (0.34 GB)
    40,000       800,000       366 MB       3.6 s         1.24 GB (1.06 GB)
    200,000    4,000,000     1,831 MB      21 s           5.39 GB (3.97 GB)
    620,000   12,400,000     5,676 MB      76 s          14.8 GiB (whole process, /usr/bin/time:
                                                          15,530,196 KB)
    growth exponent 40,000 -> 200,000: time 1.10, RSS 0.92

At 620,000 units the steps took (seconds): indicators 12, treatment 31, normalisation 14, weights
5, aggregation 9, coupling 4.5. X and Z are 3.6 GB each; the rest of the peak is the panel (5.7 GB
of values), the treatment log and the row keys.

After the speed work (same machine, load average about 1, this script with ``--large``): the
outlier rule finds each Winsorisation step among a column's extremes and updates the moments from
the changed cells, imputation takes a run of gaps' neighbours from the gaps alone, the formulas
run on NumPy arrays with the lag rows found once, no (n, k) masks, no sort of a sorted panel,
min-max, TOPSIS, entropy and coupling with block buffers:

    units     region-years   raw data   Study.evaluate   peak RSS (after panel)
    3,000         60,000        27 MB       0.13 s        0.34 GB (0.34 GB)
    40,000       800,000       366 MB       2.2 s         1.18 GB (1.05 GB)
    200,000    4,000,000     1,831 MB      14.4 s         5.07 GB (3.97 GB)
    620,000   12,400,000     5,676 MB      47.3 s        15.03 GB (11.76 GB while the panel is
                                                          built: ``Panel`` copies its columns once)
    growth exponent 200,000 -> 620,000: time 1.05, RSS 0.96

At 620,000 units the steps took (seconds, one run of the same code): indicators 7.0, treatment
11.7, normalisation 10.5, weights 4.7, aggregation 6.5, coupling 3.9. Most of normalisation is
the first touch of Z's 3.6 GB: on this virtual machine a gigabyte the guest has not used before
costs about 1.4 s of page faults (0.2-0.3 s once it has), so a second run in a fresh process is
faster than the first after the machine's memory was idle; the figures above are such a later run.

Sizes 3,000 and 40,000 by default; 200,000 and 620,000 only with ``--large`` (before this work a
24 GB machine needed about 3.3 KB per region-year and failed above about 280,000 units; a failed
size is reported, not retried).

Two more parts (``--part store`` / ``--part lisa``; ``--part all`` runs the three), each size again
in fresh processes, peak RSS from the kernel as ``/usr/bin/time -v`` reports it:

- ``store`` (issue 19, item 4): the tiled panel's first ``--variables`` (36) variables are written,
  tile by tile, to a Parquet file in a temporary folder (not timed; deleted afterwards), imported
  into a new DuckDB file by ``Store.import_wide`` (streamed in chunks, one transaction), and read
  back by ``Store.panel()`` (pivoted in SQL) in a second process. Printed: values stored, import
  time and rate, the import's peak RSS, the panel read's time and peak RSS, and the database file's
  size. ``--db postgresql://…`` imports into that server instead (its tables are dropped first);
  before this work an import went through ``read_file`` and the long table in pandas (about 100
  bytes per value: 45 GB at 620,000 units x 20 years x 36 variables), and ``Store.panel()`` built
  the same long table before pivoting.
- ``lisa`` (item 5): a square queen-contiguity lattice of about n units (``libpysal.weights.lat2SW``
  made into a ``W``), a spatially smoothed random field, and ``local_moran`` with 999 conditional
  permutations for one year. Printed: the time to build the ``W``, the time of ``local_moran``, and
  the peak RSS. Before this work the permutation keys alone were P x n float64 (5 GB at 620,000
  units) plus their argpartition (another 5 GB).

Measured for the store and LISA parts on the 2-core, 23 GB machine (load average 8-10 from other
agents, so times are several times an idle machine's; RSS does not depend on load):

    store, DuckDB file, 36 variables x 20 years
    units     values       import (values/s)   RSS      panel    RSS      db file
    3,000      2,095,682    18 s (114,000)      0.77 GB   3.7 s   0.37 GB   186 MB
    40,000    27,943,272   377 s  (74,000)      5.50 GB  64 s     1.48 GB   2.4 GB
    growth exponent 3,000 -> 40,000: import time 1.17, RSS 0.76; panel time 1.10, RSS 0.54

    store, PostgreSQL 15 on the same machine (RSS of the Python client only)
    3,000      2,095,682    73 s  (29,000)      0.75 GB  20 s     0.38 GB
    40,000    27,943,272   788 s  (35,000)      1.09 GB 135 s     0.76 GB
    growth exponent 3,000 -> 40,000: import time 0.92, RSS 0.14; panel time 0.73, RSS 0.27
    (the server keeps the index on disk, so the client's memory stays bounded by the chunk)

    before (main at b7eba3d, same 3,000-unit data, one run each): the long table melted in pandas
    and stored by ``Store.import_frame`` 18 s, 0.94 GB; ``Store.panel()`` (long table in pandas,
    then pivot) 10.8 s, 1.10 GB, against 3.1 s, 0.41 GB for the pivot in SQL in the same minute.

DuckDB's import memory is its unique index on (region, year, variable, is_current) (the "one
current value per cell" rule): about 135 bytes and 2/3 of the time per value (2 million values:
0.19 GB and 6 s without the index, 0.46 GB and 20 s with it). DuckDB 2.0 pages the committed
index within its ``memory_limit`` (the store sets one: half the RAM unless
``RONGHE_DUCKDB_MEMORY`` or ``Store(memory=...)`` says otherwise), but not the entries of the
transaction still open, and one file is one transaction (all or nothing). So a village panel is
imported as several files, each its own batch: ``bench/store_import.py --parts N`` and
docs/scale.md give the figures (200,000 units as 71 files under 1.5 GB: 895 s, 1.88 GB peak). The
panel read is bounded by the wide result.

    LISA, queen lattice, 999 permutations, one year
    units     build W   local_moran   peak RSS   b(time)   b(RSS)
    3,025      5.3 s       3.1 s       0.43 GB
    40,000     7.8 s      13.6 s       0.55 GB    0.58      0.10
    199,809   11.8 s      41.6 s       0.99 GB    0.69      0.37
    619,369   27.5 s     178 s         2.02 GB    1.29      0.63

    before (main at b7eba3d, whole (P x n) key matrix): 199,809 units 69 s, 3.87 GB; 620,000 units
    would hold 2 x 4.9 GB of keys and their argpartition (not run on the shared machine).

    PYTHONPATH=src python bench/scale.py [--part chain|store|lisa|all] [--large]
        [--sizes 3000 40000] [--repeat 1] [--variables 36] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_SIZES = (3_000, 40_000)
LARGE_SIZES = (200_000, 620_000)
YEARS = range(2004, 2024)
#: (units, seconds of Study.evaluate, peak RSS in GB) of today's main, by machine
BASELINES = {
    "16-core": ((2_844, 0.57, 0.6), (28_440, 8.4, 4.0), (147_888, 42.0, 13.2),
                (619_992, 169.0, 54.5)),
}


def tiled_panel(units: int, seed: int = 0):  # type: ignore[no-untyped-def]
    """The synthetic county panel tiled to ``units`` regions (module docstring).

    Tiles are drawn in order (tile 0 the county panel itself, tiles taken whole until ``units``),
    and the rows are written straight into one array in the panel's sorted (region, year) order,
    so the generator holds the panel once (at 620,000 units: 6 GB, not three copies of it)."""
    import pandas as pd

    from ronghe import datasets
    from ronghe.panel import Panel

    base = datasets.synthetic_counties(seed=seed, years=YEARS)
    codes = np.asarray(base.region_codes).astype(str)  # sorted, all of one length
    n_base, n_years = codes.size, len(base.years)
    tiles = math.ceil(units / n_base)
    if tiles > 1000:
        raise SystemExit(f"at most {1000 * n_base:,} units (three-digit tile suffix)")
    values = base.data.to_numpy().reshape(n_base, n_years, -1)  # sorted by (region, year)
    n_vars = values.shape[2]
    per_county = np.full(n_base, units // n_base) + (np.arange(n_base) < units % n_base)
    start = np.r_[0, np.cumsum(per_county)[:-1]]  # county c's tile t sorts at start[c] + t
    cube = np.empty((units, n_years, n_vars))
    rng = np.random.default_rng(seed)
    for t in range(tiles):
        factor = rng.lognormal(0.0, 0.05, size=(n_base, 1, n_vars))
        take = np.flatnonzero(per_county > t)
        cube[start[take] + t] = values[take] if t == 0 else values[take] * factor[take]
    tile_of = np.arange(units) - np.repeat(start, per_county)
    suffix = np.char.zfill(tile_of.astype(str), 3)
    new_codes = np.char.add(np.repeat(codes, per_county), suffix)
    index = pd.MultiIndex(levels=[pd.Index(new_codes), pd.Index(np.asarray(base.years))],
                          codes=[np.repeat(np.arange(units), n_years),
                                 np.tile(np.arange(n_years), units)],
                          names=["region", "year"], verify_integrity=False)
    data = pd.DataFrame(cube.reshape(units * n_years, n_vars), index=index,
                        columns=base.data.columns, copy=False)
    del cube
    info = base.regions.reindex(codes)
    names = np.char.add(np.repeat(info["name_zh"].to_numpy().astype(str), per_county), "·")
    regions = pd.DataFrame({"name_zh": np.char.add(names, suffix),
                            "province": np.repeat(info["province"].to_numpy(), per_county)},
                           index=pd.Index(new_codes, name="region"))
    return Panel(data, regions, dict(base.units), f"tiled {base.source}", synthetic=True)


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KB


def tiled_parquet(units: int, path: str, n_vars: int, seed: int = 0) -> int:
    """Write the tiled panel's first ``n_vars`` variables to ``path`` tile by tile (one row group
    of 2,844 counties x 20 years per tile, so the generator holds one tile), each value clipped to
    the catalogue's plausible range; returns the number of values."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ronghe import datasets
    from ronghe.ingest.catalogue import builtin_catalogue

    base = datasets.synthetic_counties(seed=seed, years=YEARS)
    variables = sorted(base.data.columns)[:n_vars]
    catalogue = builtin_catalogue().reindex(variables)
    lo = catalogue["min_value"].astype(float).fillna(-np.inf).to_numpy()
    hi = catalogue["max_value"].astype(float).fillna(np.inf).to_numpy()
    values = base.data[variables].to_numpy()
    codes = np.asarray(base.region_codes).astype(str)
    n_years = len(base.years)
    rng = np.random.default_rng(seed)
    writer = None
    done = stored = 0
    tile = 0
    while done < units:
        take = min(codes.size, units - done)
        factor = rng.lognormal(0.0, 0.05, size=(codes.size, 1, len(variables))) if tile else 1.0
        block = (values.reshape(codes.size, n_years, -1) * factor)[:take].reshape(take * n_years, -1)
        block = np.clip(block, lo, hi)
        frame = pd.DataFrame(block, columns=variables)
        frame.insert(0, "year", np.tile(np.asarray(base.years, dtype="int64"), take))
        frame.insert(0, "region", np.repeat(np.char.add(codes[:take], f"{tile:03d}"), n_years))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
        stored += int(np.isfinite(block).sum())
        done += take
        tile += 1
    assert writer is not None
    writer.close()
    return stored


def store_worker(units: int, step: str, path: str, db: str) -> dict[str, float]:
    """One step of the store part in this process: ``write`` the Parquet file, ``import`` it, or
    read the ``panel`` back."""
    from ronghe.store import Store

    start = time.perf_counter()
    if step == "write":
        return {"values": tiled_parquet(units, path, int(os.environ["SCALE_VARIABLES"])),
                "seconds": time.perf_counter() - start}
    store = Store(db)
    if step == "import":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            store.init()
        start = time.perf_counter()
        res = store.import_wide(path, source_text="bench/scale.py tiled synthetic panel")
        return {"values": res.n_values, "seconds": time.perf_counter() - start}
    panel = store.panel()
    return {"cells": int(panel.data.size), "seconds": time.perf_counter() - start}


def lattice_weights(units: int):  # type: ignore[no-untyped-def]
    """A queen-contiguity W on a square lattice of about ``units`` cells."""
    import scipy.sparse as sp
    from libpysal import weights

    side = max(2, round(math.sqrt(units)))
    return weights.W.from_sparse(sp.csr_matrix(weights.lat2SW(side, side, criterion="queen")))


def lisa_worker(units: int, permutations: int) -> dict[str, float]:
    """Local Moran with ``permutations`` conditional permutations on a lattice of ``units``."""
    import pandas as pd

    from ronghe.spatial.autocorrelation import local_moran

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = lattice_weights(units)
    built = time.perf_counter() - start
    noise = np.random.default_rng(0).normal(size=w.n)
    field = noise + w.sparse @ noise  # neighbours share part of their value
    values = pd.Series(field, index=pd.MultiIndex.from_arrays(
        [[str(i) for i in w.id_order], np.full(w.n, 2023)], names=["region", "year"]))
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = local_moran(values, w, permutations=permutations, seed=1)
    return {"n": w.n, "w_seconds": built, "seconds": time.perf_counter() - start,
            "significant": float((out["cluster"] != "ns").mean())}


def child(args: list[str], script: str = __file__) -> dict[str, Any] | str:
    """Run ``script`` (this one) with ``args`` in a new interpreter under ``/usr/bin/time -v``
    (when present); its JSON result with ``rss_gb`` (the child's peak RSS), or why it failed."""
    timed = Path("/usr/bin/time").exists()
    cmd = [*(["/usr/bin/time", "-v"] if timed else []), sys.executable, script, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=os.environ)
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines()
                 if not ln.startswith(("\t", "Command exited with"))]
        return f"failed (exit {proc.returncode}: {(lines or ['?'])[-1][:120]})"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if rss:
        result["rss_gb"] = int(rss.group(1)) / 1024**2
    return result


def worker(units: int, repeat: int) -> dict[str, float]:
    """One size of the chain part, in this process: build, evaluate, report (JSON on stdout)."""
    from ronghe import Study

    panel = tiled_panel(units)
    raw_mb = panel.data.to_numpy().nbytes / 1024**2
    rss_panel = peak_rss_gb()
    study = Study(panel, "seed")
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeat):
            start = time.perf_counter()
            study.evaluate()
            times.append(time.perf_counter() - start)
    return {"units": units, "region_years": len(panel.data), "raw_mb": raw_mb,
            "seconds": min(times), "rss_panel_gb": rss_panel, "rss_gb": peak_rss_gb()}


def run_size(units: int, repeat: int) -> dict[str, float] | str:
    """Run :func:`worker` in a new interpreter; the result, or the reason it failed."""
    proc = subprocess.run([sys.executable, __file__, "--worker", str(units), "--repeat",
                           str(repeat)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return f"failed (exit {proc.returncode}: {tail[:120]})"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def baseline_at(units: int, points: tuple[tuple[int, float, float], ...]) -> tuple[float, float]:
    """Baseline (seconds, GB) at ``units``, log-log interpolated (or extrapolated from the nearest
    segment)."""
    n = np.log([p[0] for p in points])
    x = math.log(units)
    i = int(np.clip(np.searchsorted(n, x) - 1, 0, len(points) - 2))
    f = (x - n[i]) / (n[i + 1] - n[i])
    return tuple(math.exp((1 - f) * math.log(points[i][c]) + f * math.log(points[i + 1][c]))
                 for c in (1, 2))  # type: ignore[return-value]



def exponent(now: float, before: float | None, units: int, previous: int | None) -> str:
    """Growth exponent b of value ∝ n^b since the previous size ("" for the first)."""
    if before is None or previous is None or before <= 0 or now <= 0:
        return ""
    return f"{math.log(now / before) / math.log(units / previous):.2f}"


def chain_part(sizes: list[int], repeat: int) -> None:
    print(f"{'units':>9} {'reg-years':>11} {'raw MB':>8} {'evaluate':>9} {'RSS panel':>10} "
          f"{'peak RSS':>9} {'b(time)':>8} {'b(RSS)':>7} {'time/base':>10} {'RSS/base':>9}")
    previous = None
    for units in sizes:
        r = run_size(units, repeat)
        if isinstance(r, str):
            print(f"{units:>9,} {r}")
            previous = None
            continue
        bt = br = ""
        if previous is not None:
            bt = exponent(r["seconds"], previous["seconds"], units, previous["units"])
            br = exponent(r["rss_gb"], previous["rss_gb"], units, previous["units"])
        t0, m0 = baseline_at(units, BASELINES["16-core"])
        print(f"{units:>9,} {r['region_years']:>11,} {r['raw_mb']:>8.0f} {r['seconds']:>8.2f}s "
              f"{r['rss_panel_gb']:>8.2f}GB {r['rss_gb']:>7.2f}GB {bt:>8} {br:>7} "
              f"{r['seconds'] / t0:>9.2f}x {r['rss_gb'] / m0:>8.2f}x")
        previous = r
    print("base = today's main on the 16-core machine (docstring), log-log interpolated")


def store_part(sizes: list[int], variables: int, db_url: str | None) -> None:
    os.environ["SCALE_VARIABLES"] = str(variables)
    print(f"store ({'DuckDB file' if db_url is None else db_url.split('@')[-1]}): "
          f"wide Parquet, {variables} variables, imported by Store.import_wide, read by "
          "Store.panel()")
    print(f"{'units':>9} {'values':>12} {'import':>9} {'values/s':>10} {'RSS':>7} {'b(t)':>5} "
          f"{'b(RSS)':>6} {'panel':>8} {'RSS':>7} {'b(t)':>5} {'b(RSS)':>6} {'db MB':>7}")
    prev: tuple[int, dict, dict] | None = None
    for units in sizes:
        with tempfile.TemporaryDirectory(prefix="ronghe-scale-") as tmp:
            path, db = str(Path(tmp) / "panel.parquet"), db_url or str(Path(tmp) / "s.duckdb")
            if db_url is not None:
                from ronghe.store import Store

                with Store(db_url).engine.begin() as conn:
                    conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            made = child(["--store-step", "write", "--worker", str(units), "--path", path,
                          "--db", db])
            imp = child(["--store-step", "import", "--worker", str(units), "--path", path,
                         "--db", db]) if isinstance(made, dict) else made
            pan = child(["--store-step", "panel", "--worker", str(units), "--path", path,
                         "--db", db]) if isinstance(imp, dict) else imp
            size = Path(db).stat().st_size / 1024**2 if db_url is None and Path(db).exists() else 0
        if isinstance(imp, str) or isinstance(pan, str):
            print(f"{units:>9,} {imp if isinstance(imp, str) else pan}")
            prev = None
            continue
        p_units, p_imp, p_pan = prev if prev else (None, {}, {})
        print(f"{units:>9,} {int(imp['values']):>12,} {imp['seconds']:>8.1f}s "
              f"{imp['values'] / imp['seconds']:>10,.0f} {imp['rss_gb']:>5.2f}GB "
              f"{exponent(imp['seconds'], p_imp.get('seconds'), units, p_units):>5} "
              f"{exponent(imp['rss_gb'], p_imp.get('rss_gb'), units, p_units):>6} "
              f"{pan['seconds']:>7.1f}s {pan['rss_gb']:>5.2f}GB "
              f"{exponent(pan['seconds'], p_pan.get('seconds'), units, p_units):>5} "
              f"{exponent(pan['rss_gb'], p_pan.get('rss_gb'), units, p_units):>6} "
              f"{size:>7,.0f}")
        prev = (units, imp, pan)


def lisa_part(sizes: list[int], permutations: int) -> None:
    print(f"LISA: queen lattice, local_moran with {permutations} conditional permutations, "
          "one year")
    print(f"{'units':>9} {'build W':>8} {'local_moran':>12} {'peak RSS':>9} {'b(time)':>8} "
          f"{'b(RSS)':>7} {'share significant':>18}")
    prev: dict | None = None
    for units in sizes:
        r = child(["--lisa", "--worker", str(units), "--permutations", str(permutations)])
        if isinstance(r, str):
            print(f"{units:>9,} {r}")
            prev = None
            continue
        p = prev or {}
        print(f"{int(r['n']):>9,} {r['w_seconds']:>7.1f}s {r['seconds']:>11.1f}s "
              f"{r['rss_gb']:>7.2f}GB {exponent(r['seconds'], p.get('seconds'), r['n'], p.get('n')):>8} "
              f"{exponent(r['rss_gb'], p.get('rss_gb'), r['n'], p.get('n')):>7} "
              f"{r['significant']:>18.3f}")
        prev = r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=["chain", "store", "lisa", "all"], default="chain")
    ap.add_argument("--sizes", type=int, nargs="+", help="units per run (overrides the defaults)")
    ap.add_argument("--large", action="store_true", help="also 200,000 and 620,000 units")
    ap.add_argument("--repeat", type=int, default=1, help="evaluations per size (best is kept)")
    ap.add_argument("--variables", type=int, default=36, help="variables of the store part")
    ap.add_argument("--permutations", type=int, default=999, help="LISA part's permutations")
    ap.add_argument("--db", help="store part: a PostgreSQL URL instead of a new DuckDB file")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--store-step", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    ap.add_argument("--lisa", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker and args.store_step:
        print(json.dumps(store_worker(args.worker, args.store_step, args.path, args.db)))
        return
    if args.worker and args.lisa:
        print(json.dumps(lisa_worker(args.worker, args.permutations)))
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat)))
        return
    sizes = args.sizes or [*DEFAULT_SIZES, *(LARGE_SIZES if args.large else ())]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(timings on a loaded machine are not comparable with an idle one)")
    if args.part in ("chain", "all"):
        chain_part(sizes, args.repeat)
    if args.part in ("store", "all"):
        store_part(sizes, args.variables, args.db)
    if args.part in ("lisa", "all"):
        lisa_part(sizes, args.permutations)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
