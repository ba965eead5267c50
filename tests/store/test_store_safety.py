"""Safety of imports: fuzzed input only ever raises InputError and leaves the database unchanged."""

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ronghe.errors import InputError

DATA = Path(__file__).parents[1] / "data"
FUZZ = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = "代码,年份,地区生产总值(万元),城镇化率(%)\n"


def assert_import_safe(store, take_snapshot, path: Path) -> None:
    """Import ``path``: it may succeed, or raise InputError with the database unchanged."""
    before = take_snapshot(store)
    try:
        store.import_file(path)
    except InputError:
        assert take_snapshot(store) == before


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_random_bytes(store, take_snapshot, tmp_path, data, suffix):
    p = tmp_path / f"f{suffix}"
    p.write_bytes(data)
    assert_import_safe(store, take_snapshot, p)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=6000))
def test_truncated_xlsx(store, take_snapshot, tmp_path, cut):
    p = tmp_path / "t.xlsx"
    p.write_bytes((DATA / "messy_yearbook.xlsx").read_bytes()[:cut])
    assert_import_safe(store, take_snapshot, p)


@FUZZ
@given(encoding=st.sampled_from(["utf-16", "utf-32", "big5", "shift_jis", "latin-1", "cp1252"]))
def test_wrong_encodings(store, take_snapshot, tmp_path, encoding):
    text = HEADER + "120101,2020,1234.5,55\n正定县,2020,12,40\n"
    p = tmp_path / "e.csv"
    p.write_bytes(text.encode(encoding, errors="replace"))
    assert_import_safe(store, take_snapshot, p)


@FUZZ
@given(values=st.lists(st.one_of(st.floats(), st.integers(min_value=-10**30, max_value=10**30),
                                 st.text(max_size=8)), min_size=2, max_size=2))
def test_huge_negative_and_odd_numbers(store, take_snapshot, tmp_path, values):
    p = tmp_path / "n.csv"
    cells = [str(v).replace(",", "，").replace("\n", " ").replace('"', "'") for v in values]
    p.write_text(HEADER + f"130123,2020,{cells[0]},{cells[1]}\n", encoding="utf-8")
    assert_import_safe(store, take_snapshot, p)
    stored = store.observations()
    assert np.isfinite(stored["value"]).all() and (stored["value"].abs() < 1e15).all()


@FUZZ
@given(formulas=st.lists(st.sampled_from(["=1/0", "=SUM(D2:D3)", "=A1", "=NOW()", '="x"', "=1+"]),
                         min_size=1, max_size=3))
def test_formula_cells(store, take_snapshot, tmp_path, formulas):
    book = Workbook()
    sheet = book.active
    sheet.title = "2020"
    sheet.append(["代码", "地区生产总值（万元）"])
    for f in formulas:
        sheet.append(["120101", f])
    p = tmp_path / "formulas.xlsx"
    book.save(p)
    assert_import_safe(store, take_snapshot, p)
