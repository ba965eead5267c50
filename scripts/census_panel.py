"""Build the shipped census panel (``src/ronghe/datasets/data/census/census_counties.parquet``) from
the two raw county workbooks, through ronghe's import path: each workbook is read with its built-in
column mapping (``census-2010``, ``census-2020``) exactly as ``ronghe import --mapping`` reads it,
and the values it would store are written, at each census's own code vintage, with the names and
provinces of the units. Harmonisation to one vintage happens when the panel is loaded
(:func:`ronghe.datasets.census_counties`).

Usage::

    python scripts/census_panel.py [RAW_DIR]    # default ../shared/data/census from the repo root
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ronghe.ingest import builtin_catalogue, read_file

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ronghe" / "datasets" / "data" / "census" / "census_counties.parquet"
FILES = {2010: "census_county_2010_v1.xlsx", 2020: "census_county_2020_v1.xlsx"}


def build(raw: Path) -> pd.DataFrame:
    """Long values (region, year, variable, value, name_zh, province) of both censuses."""
    catalogue = builtin_catalogue()
    parts = []
    for year, name in FILES.items():
        got = read_file(raw / name, catalogue=catalogue, mapping=f"census-{year}")
        errors = got.report.errors
        if not errors.empty:
            raise SystemExit(f"{name}: {len(errors)} cells rejected; fix the mapping first")
        values = got.values[["region", "year", "variable", "value"]].astype(
            {"region": str, "variable": str})
        values = values.join(got.units, on="region")
        parts.append(values)
    out = pd.concat(parts, ignore_index=True)
    for col in ("region", "variable", "name_zh", "province"):
        out[col] = out[col].astype("category")
    return out


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "census"
    frame = build(raw)
    frame.to_parquet(OUT, index=False, compression="zstd")
    print(f"written {OUT.relative_to(ROOT)}: {len(frame)} values, "
          f"{frame['region'].nunique()} codes, {OUT.stat().st_size / 1024:.0f} KiB")
    from ronghe.datasets.census import _long, write_shipped

    _long.cache_clear()  # harmonise the file just written
    for path in write_shipped(OUT.parent):
        print(f"written {path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
