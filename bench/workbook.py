"""How long ``Result.to_excel`` takes on the demo Result (issue 18: under 5 s).

The demo Result is the synthetic panel of ``ronghe evaluate --demo`` (all county-level units,
2016-2023, framework ``seed``): about 1.9 million cells over 19 sheets. Printed: the time to build
the tables (``Result.tables``, computed once per Result), to lay them out and write the workbook
(:func:`ronghe.excel.write_workbook`), and the whole ``to_excel`` on a fresh Result, best
and median of ``--runs`` runs. Run: ``PYTHONPATH=src python bench/workbook.py``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default="synthetic", help="demo data: synthetic or census")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from ronghe.demo import demo_study
    from ronghe.excel import write_workbook

    study = demo_study(args.data)
    whole, tables_t, write_t = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            res = study.evaluate()
            start = time.perf_counter()
            res.to_excel(Path(tmp) / f"w{run}.xlsx")
            whole.append(time.perf_counter() - start)
            res = study.evaluate()
            start = time.perf_counter()
            tables = res.tables()
            tables_t.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_workbook(Path(tmp) / f"v{run}.xlsx", tables, res.explanations(tables),
                           res.notes())
            write_t.append(time.perf_counter() - start)
        cells = sum(df.size for df in tables.values())
        size = (Path(tmp) / "w0.xlsx").stat().st_size
    print(f"demo {args.data}: {len(tables)} sheets, {cells:,} cells, {size / 1e6:.1f} MB")
    for name, runs in (("to_excel (fresh Result)", whole), ("  tables()", tables_t),
                       ("  write_workbook", write_t)):
        print(f"{name}: best {min(runs):.2f} s, median {statistics.median(runs):.2f} s "
              f"over {len(runs)} runs")


if __name__ == "__main__":
    main()
