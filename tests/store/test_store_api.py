"""Store API on DuckDB and PostgreSQL: schema, import, supersession, history, panel, export."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

import ronghe.store
from ronghe.errors import InputError
from ronghe.regions.history import code_changes
from ronghe.report.tables import write_table
from ronghe.store import Store, StoreError, database_url

DATA = Path(__file__).parents[1] / "data"


def test_database_url():
    assert database_url(None) == "duckdb:///ronghe.duckdb"
    assert database_url("x/y.duckdb") == "duckdb:///x/y.duckdb"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(StoreError, match="unsupported database"):
        Store("sqlite:///x.db")


HEAD = sorted(p.name[:4] for p in (Path(ronghe.store.__file__).parent / "migrations" / "versions")
              .glob("0*.py"))[-1]  # the newest migration


def test_init_status_and_idempotent_init(store):
    st = store.status()
    assert st.revision == HEAD
    assert (st.regions, st.indicators, st.batches, st.values) == (20, 5, 0, 0)
    store.init()  # upgrading an up-to-date database changes nothing and keeps the reference data
    assert store.status().regions == 20
    assert store.catalogue().loc["urban_share", "max_value"] == 100.0
    assert any(f"schema {HEAD}" in line for line in st.lines())
    changes = store.code_changes()
    assert len(changes) == len(code_changes())  # the division history's changes
    assert changes.set_index("old_code").loc["510124", "new_code"] == "510117"


def test_uninitialised_database(tmp_path):
    s = Store(tmp_path / "new.duckdb")
    assert s.status().revision is None
    with pytest.raises(StoreError, match="ronghe db init"):
        s.batches()


def test_import_panel_history(store):
    res = store.import_file(DATA / "messy_yearbook.xlsx", source="测试年鉴 2022")
    assert (res.status, res.n_values, res.n_superseded) == ("imported", 27, 0)
    assert res.report.count("error") == 7
    panel = store.panel()
    assert panel.data.loc[("120101", 2021), "gdp"] == pytest.approx(12_345_000)
    assert panel.data.loc[("210102", 2021), "gdp"] == pytest.approx(9_876_000)
    assert panel.regions.loc["210102", "name_zh"] == "和平区"
    assert panel.units["gdp"] == "万元"
    assert panel.source == "测试年鉴 2022"
    sub = store.panel(variables=["gdp"], years=[2022], regions=["130123"])
    assert sub.data.shape == (1, 1)
    b = store.batches()
    assert list(b[["file_name", "n_values", "n_rejected", "n_missing", "n_warnings"]].iloc[0]) == [
        "messy_yearbook.xlsx", 27, 7, 6, 4]
    h = store.history("120101", 2021, "gdp")
    assert list(h[["sheet", "row", "column"]].iloc[0]) == ["2021年", 6, "D"]


def test_reimport_same_file_is_a_noop(store, take_snapshot):
    store.import_file(DATA / "messy_yearbook.xlsx")
    before = take_snapshot(store)
    res = store.import_file(DATA / "messy_yearbook.xlsx")
    assert res.status == "unchanged"
    assert take_snapshot(store) == before


def test_dry_run_writes_nothing(store, take_snapshot):
    before = take_snapshot(store)
    res = store.import_file(DATA / "messy_yearbook.xlsx", dry_run=True)
    assert (res.status, res.n_values, res.batch_id) == ("dry-run", 27, None)
    assert res.report.count("error") == 7
    assert take_snapshot(store) == before


def test_corrected_file_supersedes_and_keeps_history(store, tmp_path):
    first = tmp_path / "2020.csv"
    first.write_text("代码,地区生产总值(万元),城镇化率(%)\n120101,100,50\n130123,200,40\n",
                     encoding="utf-8")
    store.import_file(first, source="v1")
    corrected = tmp_path / "2020_fixed.csv"  # a name without a year: the year column tells it
    corrected.write_text("代码,年份,地区生产总值(万元)\n120101,2020,110\n", encoding="utf-8")
    res = store.import_file(corrected, source="v2")
    assert res.n_superseded == 1
    assert store.panel().data.loc[("120101", 2020), "gdp"] == 110
    assert store.panel().data.loc[("130123", 2020), "gdp"] == 200  # untouched by v2
    h = store.history("120101", 2020, "gdp")
    assert list(h["value"]) == [100, 110]
    assert list(h["valid"]) == [False, True]
    assert h["superseded_by"].iloc[0] == res.batch_id
    assert list(h["source"]) == ["v1", "v2"]
    st = store.status()
    assert (st.values, st.superseded, st.batches) == (4, 1, 2)


def test_jump_against_stored_year(store, tmp_path):
    a = tmp_path / "2020.csv"
    a.write_text("代码,地区生产总值(万元)\n120101,100\n", encoding="utf-8")
    b = tmp_path / "2021.csv"
    b.write_text("代码,地区生产总值(万元)\n120101,500\n", encoding="utf-8")
    store.import_file(a)
    res = store.import_file(b)
    w = res.report.warnings
    assert len(w) == 1
    assert "×5.00 (2020: 100 → 2021: 500)" in w["reason"].iloc[0]


def test_failed_import_changes_nothing(store, take_snapshot, tmp_path):
    store.import_file(DATA / "messy_gbk.csv")
    before = take_snapshot(store)
    with pytest.raises(InputError, match="ambiguous"):
        store.import_file(DATA / "messy_ambiguous.csv")
    bad = tmp_path / "2020.csv"
    bad.write_text("代码,不存在的指标\n120101,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not in the catalogue"):
        store.import_file(bad)
    assert take_snapshot(store) == before


def test_export_formats(store, tmp_path):
    store.import_file(DATA / "messy_long_bom.csv", source="s")
    long = pd.read_csv(write_table(tmp_path / "o.csv", store.export_frame()),
                       dtype={"region": str}, encoding="utf-8-sig")
    assert len(long) == 4
    assert set(long["name_zh"]) == {"和平区", "正定县"}
    assert set(long["file_name"]) == {"messy_long_bom.csv"}
    wide = pd.read_parquet(write_table(tmp_path / "o.parquet", store.export_frame(wide=True)))
    assert wide.shape == (2, 2 + 3)
    x = pd.read_excel(write_table(tmp_path / "o.xlsx", store.export_frame()), engine="calamine")
    assert len(x) == 4
    with pytest.raises(InputError, match="must end in"):
        write_table(tmp_path / "o.txt", store.export_frame())


def test_runs_and_code_changes(store):
    text = yaml.safe_dump({"framework": "seed", "normalise": "global"})
    run = store.save_run(text, note="demo")
    runs = store.runs()
    assert runs.loc[runs["id"] == run, "settings_yaml"].iloc[0] == text
    # SHA-256 of the UTF-8 text, as hashlib computes it
    assert runs["settings_hash"].iloc[0] == hashlib.sha256(text.encode()).hexdigest()
    n = store.import_code_changes(pd.DataFrame([
        {"old_code": "130182", "new_code": "130110", "year": 2014, "kind": "merge", "note": ""}]))
    assert n == 1
    assert store.code_changes()["kind"].tolist() == ["merge"]


def test_default_reference_data(tmp_path):
    """Without explicit frames, init loads the NBS 2023 division list, the codes retired since
    1981 (so older tables import by code) and the built-in catalogue."""
    s = Store(tmp_path / "d.duckdb")
    s.init()
    st = s.status()
    from ronghe.regions.divisions import divisions

    listed = divisions().index
    assert len(listed) == 31 + 333 + 2844 and s.regions().index.isin(listed).sum() == len(listed)
    assert st.regions == len(divisions(history=True)) > len(listed)
    assert s.regions().loc["110103", "valid_to"] == 2010  # 崇文区
    assert st.indicators >= 50
    assert s.regions().loc["130123", "name_zh"] == "正定县"


def test_several_files_are_all_or_nothing(store, take_snapshot, tmp_path):
    before = take_snapshot(store)
    with pytest.raises(InputError, match="ambiguous"):
        store.import_files([DATA / "messy_gbk.csv", DATA / "messy_ambiguous.csv"])
    assert take_snapshot(store) == before
    a = tmp_path / "2020.csv"
    a.write_text("代码,地区生产总值(万元)\n120101,100\n", encoding="utf-8")
    b = tmp_path / "2020b.csv"
    b.write_text("代码,年份,地区生产总值(万元)\n120101,2020,120\n", encoding="utf-8")
    res = store.import_files([a, b, a])
    assert [r.status for r in res] == ["imported", "imported", "unchanged"]
    assert res[1].n_superseded == 1
    assert list(store.history("120101", 2020, "gdp")["value"]) == [100, 120]
