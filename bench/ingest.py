"""Benchmark: import a 2,850-county x 20-variable x 40-year workbook (one sheet per year).

Generates the workbook (seeded, synthetic values, written once to the cache folder), imports it into a
fresh DuckDB file and prints the time and rows per second. Target: the whole import under 15 s.

    PYTHONPATH=src python bench/ingest.py [--regions 2850] [--variables 20] [--years 40] [--db URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from ronghe.ingest import catalogue_frame
from ronghe.store import Store


def make_workbook(path: Path, n_regions: int, n_vars: int, n_years: int, seed: int = 0) -> None:
    """Write the synthetic workbook: sheets 1984…, columns 代码, 地区, v01 (万元) … ."""
    rng = np.random.default_rng(seed)
    book = Workbook(write_only=True)
    codes = [f"{110000 + i:06d}" for i in range(n_regions)]
    base = rng.lognormal(8, 1, size=(n_regions, n_vars))
    for k in range(n_years):
        sheet = book.create_sheet(str(1984 + k))
        sheet.append(["代码", "地区", *[f"v{j:02d}(万元)" for j in range(n_vars)]])
        values = base * (1.03 ** k) * rng.lognormal(0, 0.05, size=base.shape)
        for i, code in enumerate(codes):
            sheet.append([code, f"县{i}", *np.round(values[i], 2).tolist()])
    book.save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=2850)
    ap.add_argument("--variables", type=int, default=20)
    ap.add_argument("--years", type=int, default=40)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ronghe-bench")
    ap.add_argument("--db", default=None, help="database URL (default: a fresh DuckDB file)")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    book = args.cache / f"bench_{args.regions}x{args.variables}x{args.years}.xlsx"
    if not book.exists():
        t0 = time.perf_counter()
        make_workbook(book, args.regions, args.variables, args.years)
        print(f"generated {book} in {time.perf_counter() - t0:.1f} s (synthetic data)")
    db = args.db or str(args.cache / "bench.duckdb")
    if args.db is None:
        for p in (Path(db), Path(db + ".wal")):
            p.unlink(missing_ok=True)
    regions = pd.DataFrame(
        {"name_zh": [f"县{i}" for i in range(args.regions)], "level": "county"},
        index=pd.Index([f"{110000 + i:06d}" for i in range(args.regions)], name="code"))
    regions["province"] = regions.index.str[:2]
    catalogue = catalogue_frame([{"id": f"v{j:02d}", "name_zh": f"变量{j}", "unit": "万元"}
                                 for j in range(args.variables)])
    store = Store(db)
    store.init(regions=regions, catalogue=catalogue)
    t0 = time.perf_counter()
    result = store.import_file(book, source="bench (synthetic)")
    elapsed = time.perf_counter() - t0
    print(f"imported {result.n_values:,} values ({result.layout}) in {elapsed:.2f} s: "
          f"{result.n_values / elapsed:,.0f} rows/s; report issues: {len(result.report)}")


if __name__ == "__main__":
    main()
