"""Issue 13, finding 1: what a sheet may claim is bounded before it is read.

A 5 KB workbook whose only far cell is at XFD1048576 made calamine allocate about 550 GB and abort
the process. The workbook is read in a child process with a 2 GiB address-space limit, so the old
code fails the test (the child dies) instead of killing pytest; the child also reports how much
its peak memory grew while refusing the file (the bound stated in docs/deployment.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsx_parts import table_xml, write_xlsx

from ronghe.errors import InputError
from ronghe.ingest import read_file
from ronghe.ingest.readers import Limits, _extent_fast, _extent_parsed, read_sheets

SRC = str(Path(__file__).parents[2] / "src")
CHILD = textwrap.dedent("""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    sys.path.insert(0, sys.argv[2])
    from ronghe.errors import InputError
    from ronghe.ingest.readers import read_sheets
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        sheets = read_sheets(sys.argv[1])
        out = {"read": [len(s.rows) for s in sheets]}
    except InputError as exc:
        out = {"error": str(exc)}
    out["growth_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    print(json.dumps(out))
""")
GROWTH_MB = 64  # the stated bound: refusing an oversized sheet raises the peak memory by less


def read_in_child(path: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", CHILD, str(path), SRC], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, f"reader died (exit {run.returncode}): {run.stderr[-500:]}"
    return json.loads(run.stdout)


HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>代码</t></is></c></row>'


@pytest.mark.parametrize("xml, span", [
    # the finding: one far cell
    (HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "1,048,576 rows x 16,384"),
    # the same reached without any far reference: 16,384 cells without r, then a far row
    ('<row r="1">' + "<c><v>1</v></c>" * 16384 + '</row><row r="1048576"><c><v>1</v></c></row>',
     "1,048,576 rows x 16,384"),
    # a lower-case, zero-padded reference counts as calamine reads it
    (HEADER + '<row><c r="xfd0001048576"><v>1</v></c></row>', "1,048,576 rows x 16,384"),
    # r written twice in one tag, or spaced: parsed, and refused
    (HEADER + '<row><c r="A2" r="XFD1048576"><v>1</v></c></row>', "1,048,576 rows x 16,384"),
    (HEADER + '<row><c r = "XFD1048576"><v>1</v></c></row>', "1,048,576 rows x 16,384"),
    (HEADER + '<row><c r="A2" r=\'XFD1048576\'><v>1</v></c></row>', None),
    # a cell at Z200000: 5.2 million cells (4.6 s and 500 MB before)
    (HEADER + '<row r="200000"><c r="Z200000"><v>1</v></c></row>', "200,000 rows x 26"),
])
def test_far_cell_is_refused_before_reading(tmp_path, xml, span):
    path = write_xlsx(tmp_path / "bomb.xlsx", {"数据": xml}, dimension="A1")
    assert path.stat().st_size < 6000
    out = read_in_child(path)
    assert "error" in out, out
    if span is None:  # not well-formed XML
        assert out["error"].startswith("bomb.xlsx: cannot read the file")
    else:
        assert out["error"].startswith("bomb.xlsx, sheet '数据': the sheet spans " + span)
        assert "RONGHE_MAX_SHEET_CELLS" in out["error"] and "\n" not in out["error"]
    assert out["growth_mb"] < GROWTH_MB


def test_far_cell_refused_by_import_with_one_line(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", {"S": HEADER + '<row><c r="XFD1048576"><v>1</v>'
                                                    "</c></row>"})
    with pytest.raises(InputError, match=r"^bomb\.xlsx, sheet 'S': the sheet spans"):
        read_file(path)


def test_empty_styled_cells_count_but_a_normal_table_passes(tmp_path):
    rows = [["代码", "gdp"], ["330102", 1.5], ["330103", 2.5]]
    path = write_xlsx(tmp_path / "ok.xlsx", {"2020": table_xml(rows)}, dimension="A1:XFD1048576")
    # a lying <dimension> does not matter: only cell positions do
    (sheet,) = read_sheets(path)
    assert sheet.rows == [["代码", "gdp"], ["330102", 1.5], ["330103", 2.5]]


def test_limits_are_configurable(tmp_path, monkeypatch):
    rows = [["代码", "gdp"]] + [[f"{330100 + i}", i] for i in range(10)]
    path = write_xlsx(tmp_path / "t.xlsx", {"2020": table_xml(rows)})
    assert len(read_sheets(path)[0].rows) == 11
    with pytest.raises(InputError, match=r"22 cells from A1, more than the limit of 21"):
        read_sheets(path, limits=Limits(sheet_cells=21))
    monkeypatch.setenv("RONGHE_MAX_SHEET_CELLS", "21")
    with pytest.raises(InputError, match="limit of 21"):
        read_sheets(path)
    monkeypatch.setenv("RONGHE_MAX_SHEET_CELLS", "many")
    with pytest.raises(InputError, match="RONGHE_MAX_SHEET_CELLS='many' is not a whole number"):
        read_sheets(path)
    monkeypatch.delenv("RONGHE_MAX_SHEET_CELLS")
    with pytest.raises(InputError, match=r"^t\.xlsx: the sheets span 44 cells in all"):
        write_xlsx(tmp_path / "t.xlsx", {"2020": table_xml(rows), "2021": table_xml(rows)})
        read_sheets(path, limits=Limits(file_cells=40))
    monkeypatch.setenv("RONGHE_MAX_FILE_MB", "0")
    with pytest.raises(InputError, match="must be positive"):
        read_sheets(path)


def test_csv_grid_is_bounded(tmp_path):
    path = tmp_path / "wide.csv"
    # one long line and many short ones: the grid is rows x the longest row
    path.write_text("代码" + "," * 3000 + "\n" + "1\n" * 3000, encoding="utf-8")
    with pytest.raises(InputError, match=r"^wide\.csv, sheet 'wide': the sheet spans 3,001 rows x "
                                         r"3,001 columns"):
        read_sheets(path, limits=Limits(sheet_cells=1_000_000))
    with pytest.raises(InputError, match=r"^wide\.csv: the file holds more than the limit of 1,000"):
        read_sheets(path, limits=Limits(sheet_cells=1_000))


def test_file_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 300_000)
    with pytest.raises(InputError, match=r"^big\.csv: the file has 1 MiB, more than the limit"):
        read_sheets(path, limits=Limits(file_bytes=2**20))


refs = st.tuples(st.text("ABCXYZabxz", max_size=3), st.integers(0, 2_000_000),
                 st.integers(0, 3), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(refs, min_size=1, max_size=15))
def test_fast_scan_agrees_with_the_parsed_scan(cells):
    """The numpy scan of ``r`` attributes equals the XML parse with calamine's rules (the
    oracle), whatever the letters' case, leading zeros or empty cells."""
    xml = "".join(f'<row r="{max(r, 1)}"><c r="{c}{"0" * z}{r}"' + ("><v>1</v></c>" if v else "/>")
                  + "</row>" for c, r, z, v in cells)
    data = f"<worksheet><sheetData>{xml}</sheetData></worksheet>".encode()
    fast = _extent_fast(data)
    parsed = _extent_parsed(data, Limits(sheet_cells=10**18), "f", "s")
    assert fast is not None
    assert fast == (max(parsed[0], max(max(r, 1) for _, r, _, _ in cells)), parsed[1])
