"""`ronghe regions crosswalk` and `ronghe regions harmonize --units`: files written, one-line errors;
a store that knows the codes of earlier years (divisions(history=True)) imports 2010 codes."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from ronghe.cli.db import regions_app
from ronghe.regions.divisions import divisions
from ronghe.store import Store

runner = CliRunner()


def test_crosswalk_command(tmp_path):
    out = tmp_path / "cw.csv"
    r = runner.invoke(regions_app, ["crosswalk", "2010", "2020", "--out", str(out)])
    assert r.exit_code == 0, r.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert table.set_index("source_code").loc["110103", "unit"] == "110101"
    assert f"({len(table)} 行 rows" in r.output
    r = runner.invoke(regions_app, ["crosswalk", "1970", "2020", "--out", str(out)])
    assert r.exit_code == 1 and r.output.count("\n") == 1 and "1981" in r.output
    r = runner.invoke(regions_app, ["crosswalk", "2010", "2020", "--out", str(tmp_path / "x.txt")])
    assert r.exit_code == 1 and ".csv" in r.output


def test_harmonize_command_with_units(tmp_path):
    db = str(tmp_path / "h.duckdb")
    Store(db).init(regions=divisions(history=True))
    data = tmp_path / "census.csv"
    data.write_text("region,year,variable,value,unit\n"
                    "110101,2010,resident_pop,57,万人\n110103,2010,resident_pop,35,万人\n"
                    "130421,2010,resident_pop,40,万人\n130403,2010,resident_pop,45,万人\n"
                    "110101,2020,resident_pop,71,万人\n130403,2020,resident_pop,98,万人\n",
                    encoding="utf-8")
    Store(db).import_files([data], source="test")
    out, units = tmp_path / "p.csv", tmp_path / "u.xlsx"
    r = runner.invoke(regions_app, ["harmonize", "--vintage", "2020", "--out", str(out),
                                    "--units", str(units), "--db", db])
    assert r.exit_code == 0, r.output
    panel = pd.read_csv(out, dtype={"region": str}).set_index(["region", "year"])
    assert panel.loc[("110101", 2010), "resident_pop"] == 92.0
    assert panel.loc[("130402C", 2010), "resident_pop"] == 85.0
    assert panel.loc[("130402C", 2020), "resident_pop"] == 98.0
    mapping = pd.read_excel(units, dtype=str, engine="calamine")
    assert len(mapping) == 6 and set(mapping["kind"]) == {"merge", "comparable", "same"}
    r = runner.invoke(regions_app, ["harmonize", "--out", str(out), "--transfers", "x",
                                    "--db", db])
    assert r.exit_code == 1 and "transfers" in r.output
