"""Benchmark: ``Store.import_wide`` of a township or village panel — time, values/s, peak RSS.

The wide Parquet file is the tiled synthetic panel of ``bench/scale.py`` (``tiled_parquet``: the
synthetic county panel tiled to ``--units`` regions, 20 years, its first ``--variables`` (36)
variables, each clipped to the catalogue's plausible range), written to a temporary folder (not
timed). The import then runs in a fresh interpreter under ``/usr/bin/time -v`` into a new DuckDB
file (or ``--db postgresql://…``, whose schema is dropped first), so the peak RSS printed is the
import's alone, as the kernel measured it. Printed: values stored, the import's time and rate, its
peak RSS, the DuckDB file's size (and the PostgreSQL database's), and where the time went: reading
and checking the chunks (``checked``), appending them to the stage table (``append``), the check
for a region-year repeated across chunks (``repeat``), and the write into ``observations``
(``write``: supersede, insert under the unique index, drop the stage), the rest being the commit.
Every file is deleted afterwards (``--keep DIR`` keeps them in DIR). ``--parts N`` cuts the table
into N files of consecutive tiles, imported in turn by the same process, one batch each: a DuckDB
import holds its own unique-index entries in memory until it commits, so a village table is
imported as several files (docs/scale.md, "The store's memory").

    PYTHONPATH=src python bench/store_import.py [--units 40000] [--variables 36] [--parts 1]
        [--memory-limit 1GB] [--threads 1] [--db URL] [--keep DIR]

``--memory-limit`` and ``--threads`` set ``RONGHE_DUCKDB_MEMORY`` and ``RONGHE_DUCKDB_THREADS`` for
the import (``ronghe.store.bulk.memory_limit``); without them the store's defaults apply.

Measured (2-core, 23 GB machine shared with other processes, load average 2-6; docs/scale.md):

    units     values        files  memory limit  import   values/s   peak RSS  db file
    3,000      2,095,682        1   512 MB        6.4 s   326,000    0.77 GB   0.18 GB
    40,000    27,943,272        1   3 GB          fails at the commit (out of memory, StoreError)
    40,000    27,943,272        4   1.5 GB       76 s     368,000    1.95 GB   2.65 GB
    200,000  139,716,526       71   1.5 GB      895 s     156,000    1.88 GB  12.0 GB
    PostgreSQL 15, 40,000 units, 1 file: 693 s (40,000 values/s), client 1.05 GB, database 7.6 GB
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from scale import child, tiled_parquet  # the generator and runner of bench/scale.py


def timed(module: Any, name: str, spent: dict[str, float]) -> None:
    """Replace ``module.name`` by a wrapper adding its wall time to ``spent[name]``."""
    inner: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    setattr(module, name, wrapper)


def split(path: Path, parts: int) -> list[Path]:
    """The Parquet file ``path`` cut into ``parts`` files of consecutive row groups (tiles of
    2,844 units); ``path`` is deleted."""
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    groups = source.num_row_groups
    out = []
    for k in range(parts):
        target = path.with_name(f"{path.stem}_part{k:03d}.parquet")
        writer = None
        for g in range(k * groups // parts, (k + 1) * groups // parts):
            table = source.read_row_group(g)
            writer = writer or pq.ParquetWriter(target, table.schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
            out.append(target)
    path.unlink()
    return out


def import_worker(paths: list[str], db: str) -> dict[str, Any]:
    """Import ``paths`` (one batch each, in turn) into ``db`` in this process; the counts, the
    time and its split."""
    from ronghe.store import Store, bulk

    spent: dict[str, float] = {}
    for name in ("checked", "append_stage", "repeated_cell", "write_stage"):
        timed(bulk, name, spent)
    store = Store(db)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        store.init()
    start = time.perf_counter()
    values, each = 0, []
    for path in paths:
        res = store.import_wide(path, source_text="bench/store_import.py tiled synthetic panel")
        values += res.n_values
        each.append(round(time.perf_counter() - start - sum(each), 1))
    seconds = time.perf_counter() - start
    settings: dict[str, str] = {}
    if store.engine.dialect.name == "duckdb":
        with store.engine.connect() as conn:
            for key in ("memory_limit", "threads", "temp_directory"):
                settings[key] = str(conn.exec_driver_sql(
                    f"SELECT current_setting('{key}')").scalar())
    else:
        with store.engine.connect() as conn:
            settings["db_size"] = str(conn.exec_driver_sql(
                "SELECT pg_size_pretty(pg_database_size(current_database()))").scalar())
    store.close()
    return {"values": values, "seconds": seconds, "split": spent, "settings": settings,
            "parts": each}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=40_000)
    ap.add_argument("--variables", type=int, default=36)
    ap.add_argument("--memory-limit", help="RONGHE_DUCKDB_MEMORY for the import (e.g. 1GB)")
    ap.add_argument("--threads", help="RONGHE_DUCKDB_THREADS for the import")
    ap.add_argument("--db", help="a PostgreSQL URL instead of a new DuckDB file")
    ap.add_argument("--keep", type=Path, help="write the files here and keep them")
    ap.add_argument("--parts", type=int, default=1,
                    help="import the table as this many files (consecutive tiles), one batch each")
    ap.add_argument("--import-worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.import_worker:
        print(json.dumps(import_worker(args.import_worker[:-1], args.import_worker[-1])))
        return
    if args.memory_limit:
        os.environ["RONGHE_DUCKDB_MEMORY"] = args.memory_limit
    if args.threads:
        os.environ["RONGHE_DUCKDB_THREADS"] = args.threads
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ronghe-store-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path = folder / f"tiled_{args.units}x{args.variables}.parquet"
        db = args.db or str(folder / "store.duckdb")
        start = time.perf_counter()
        if not path.exists():
            tiled_parquet(args.units, str(path), args.variables)
        print(f"{path.name}: {path.stat().st_size / 1024**2:,.0f} MB, generated in "
              f"{time.perf_counter() - start:.1f} s (not timed below)")
        files = split(path, args.parts) if args.parts > 1 else [path]
        if args.db:
            from ronghe.store import Store

            with Store(args.db).engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            for p in (Path(db), Path(db + ".wal")):
                p.unlink(missing_ok=True)
        load = os.getloadavg()[0]
        r = child(["--import-worker", *map(str, files), db], __file__)
        if isinstance(r, str):
            print(f"{args.units:,} units: import {r}")
            raise SystemExit(1)
        size = (f"db file {Path(db).stat().st_size / 1024**3:.2f} GB" if not args.db
                else f"database {r['settings']['db_size']}")
        where = ", ".join(f"{k} {v:.1f} s" for k, v in r["split"].items())
        print(f"{args.units:,} units: {r['values']:,} values in {r['seconds']:.1f} s "
              f"({r['values'] / r['seconds']:,.0f} values/s), peak RSS {r['rss_gb']:.2f} GB, "
              f"{size}; load average {load:.1f} at start")
        print(f"  split: {where}; settings: {r['settings']}")
        if len(files) > 1:
            print(f"  {len(files)} files, one batch each, seconds per file: {r['parts']}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
