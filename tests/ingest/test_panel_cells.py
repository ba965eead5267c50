"""Issue 14, item 7: ``ronghe evaluate`` (read_panel) and ``ronghe import`` (read_file) read cells
with one decoder and one cell parser, so they accept and refuse the same cells with the same
messages."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe.errors import InputError, RongheWarning
from ronghe.ingest import clean_cell, read_file
from ronghe.ingest.cells import parse_column
from ronghe.panel import read_panel


def _both(tmp_path, cell: str, encoding: str = "utf-8"):
    """The gdp cell of region 330102 in 2020 as read by read_panel and by read_file (or the
    messages of their errors)."""
    path = tmp_path / "p.csv"
    path.write_bytes(f'region,year,gdp\n330102,2020,"{cell}"\n330103,2020,1\n'.encode(encoding))
    out = []
    try:
        out.append(read_panel(path).data.loc[("330102", 2020), "gdp"])
    except InputError as exc:
        out.append(exc.reason)
    got = read_file(path)
    if len(got.report.errors):
        out.append(got.report.errors["reason"].iloc[0])
    else:
        v = got.values.loc[got.values["region"] == "330102", "value"]
        out.append(v.iloc[0] if len(v) else np.nan)
    return out


@pytest.mark.parametrize("cell, expected", [
    ("—", np.nan), ("…", np.nan), ("1,234", 1234.0), ("１２３４．５", 1234.5), ("-", np.nan),
    ("12①", 12.0), (" 7 ", 7.0), ("1e3", 1000.0),
])
def test_evaluate_accepts_what_import_accepts(tmp_path, cell, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        panel, imported = _both(tmp_path, cell)
    np.testing.assert_equal([panel, imported], [expected, expected])


@pytest.mark.parametrize("cell, reason", [
    ("inf", "not a number"), ("-Infinity", "not a number"), ("1,23", "malformed thousands separators"),
    ("abc", "not a number"), ("=SUM(A1)", "formula without a stored result"),
    ("#DIV/0!", "spreadsheet error value"), ("1e300", "implausibly large number (|x| >= 1e15)"),
])
def test_evaluate_refuses_what_import_refuses_with_the_same_reason(tmp_path, cell, reason):
    assert _both(tmp_path, cell) == [reason, reason]


def test_inf_names_the_cell(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("region,year,gdp\n330102,2020,1\n330102,2021,inf\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_panel(path)
    assert str(err.value) == "p.csv, row 3, column 'gdp': not a number (value 'inf')"


def test_footnote_is_a_warning_naming_the_cell(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("region,year,gdp\n330102,2020,1\n330102,2021,2①\n", encoding="utf-8")
    with pytest.warns(RongheWarning, match=r"p\.csv, column 'gdp': footnote mark '①' removed in "
                                           r"1 cell\(s\), first row 3"):
        panel = read_panel(path)
    assert panel.data["gdp"].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("encoding", ["utf-16", "gbk", "utf-8-sig"])
def test_evaluate_decodes_what_import_decodes(tmp_path, encoding):
    path = tmp_path / "p.csv"
    path.write_bytes("地区代码,年份,gdp\n330102,2020年,1.5\n".encode(encoding))
    assert read_panel(path).data.loc[("330102", 2020), "gdp"] == 1.5


def test_evaluate_refuses_a_row_longer_than_its_header(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("region,year,gdp\n330102,2022,12,345,678\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^p\.csv, row 2: the row has 5 cells but the header "
                                         r"has 3"):
        read_panel(path)


def test_evaluate_bad_year_and_blank_region(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("region,year,gdp\n330102,2020.5,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column 'year': year cell is not a year"):
        read_panel(path)
    path.write_text("region,year,gdp\n,2020,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column 'region': missing region code"):
        read_panel(path)


def test_evaluate_reads_workbook_codes_and_blank_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["region", "year", "gdp"])
    ws.append([330102, 2020, "1,234"])
    ws.append([None, None, None])
    ws.append([330103, 2020.0, "—"])
    wb.save(tmp_path / "p.xlsx")
    panel = read_panel(tmp_path / "p.xlsx")
    assert panel.region_codes == ["330102", "330103"]
    np.testing.assert_equal(panel.data["gdp"].to_numpy(), [1234.0, np.nan])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=8), st.floats(), st.integers(-10**16, 10**16),
                          st.none(), st.booleans()), max_size=20))
def test_parse_column_is_clean_cell(cells):
    assert_parse_column_is_clean_cell(cells)


def assert_parse_column_is_clean_cell(cells: list) -> None:
    """parse_column gives exactly clean_cell's value and report for every cell."""
    values, odd = parse_column(cells)
    for k, raw in enumerate(cells):
        cell = clean_cell(raw)
        if cell.status == "ok":
            assert values[k] == cell.value
        else:
            assert np.isnan(values[k])
        assert (k in odd) == (cell.status == "rejected" or bool(cell.note) or bool(cell.unit))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text("0123456789.eE+-_ infaNI١１\u3000", max_size=6), st.none(),
                          st.floats(), st.integers(-10**16, 10**16)), max_size=12))
def test_parse_column_at_once_is_clean_cell(cells):
    """Columns that numpy can read at once (numbers, decimal text, inf/nan, digits of other
    scripts) still give exactly clean_cell's values and reports."""
    assert_parse_column_is_clean_cell(cells)
