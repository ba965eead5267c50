"""Issue 13's fuzz suite for the readers: hypothesis-generated CSV and XLSX files give a clean
one-line InputError or a correct read, never a crash, within a stated memory bound.

CSV cases run here (a CSV is bounded by its size before anything is built). XLSX cases run in a
child process with a 2 GiB address-space limit (fuzz_xlsx.py), since a far cell that slipped
past the guard would abort the process rather than raise.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe.errors import RongheError
from ronghe.ingest import read_file
from ronghe.ingest.readers import Limits, read_sheets
from ronghe.panel import read_panel

HERE = Path(__file__).parent
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "utf-16"]
# characters every encoding above can write: digits, separators, quotes, yearbook marks, CJK
ALPHABET = "0123456789.,-+eE %‰\"'\t\n\r ;#=—…/*①１２，．上城区代码年份abcNnIi"


def _write(rows: list[list[str]], encoding: str, delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def _one_line(exc: RongheError) -> None:
    assert str(exc) and "\n" not in str(exc) and "Traceback" not in str(exc)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(ALPHABET, max_size=6), max_size=7), max_size=8),
       st.sampled_from(ENCODINGS), st.sampled_from(["代码,year,gdp", "region,year,gdp", ""]))
def test_csv_garbage_gives_a_clean_error_or_a_read(rows, encoding, header):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    data = ((header + "\n" if header else "") + buf.getvalue()).encode(encoding)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(data)
        for read in (read_file, read_panel, read_sheets):
            try:
                read(path)
            except RongheError as exc:
                _one_line(exc)


def _number_text(x: float, style: str) -> str:
    if style == "thousands":
        return f"{x:,.2f}"
    if style == "fullwidth":
        return f"{x:.2f}".translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    return repr(float(x))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 30), st.integers(1, 4), st.sampled_from(ENCODINGS),
       st.sampled_from(["plain", "thousands", "fullwidth"]), st.data())
def test_csv_tables_read_correctly_in_every_encoding(n, k, encoding, style, data):
    values = np.array(data.draw(st.lists(st.floats(-1e9, 1e9).map(lambda v: round(v, 2)),
                                         min_size=n * k, max_size=n * k))).reshape(n, k)
    header = ["代码", "年份", *[f"v{j}" for j in range(k)]]
    body = [[f"{330100 + i}", "2020", *[_number_text(v, style) for v in values[i]]]
            for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_bytes(_write([header, *body], encoding))
        got = read_file(path)
        assert len(got.report.errors) == 0
        frame = got.values.pivot(index="region", columns="variable", values="value")
        np.testing.assert_allclose(frame.to_numpy(), values, rtol=0, atol=1e-9)
        panel = read_panel(path).data
        np.testing.assert_allclose(panel.to_numpy(), values, rtol=0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=12), st.booleans())
def test_ragged_csv_rows(extra, short):
    """Rows longer than the header (0 stands for a blank cell) are an error naming the row;
    trailing blanks and shorter rows read as blanks."""
    rows = [["代码", "year", "gdp"], ["330101", "2020", "1"],
            ["330102", "2020", "2", *("" if e == 0 else str(e) for e in extra)]]
    rows += [["330103", "2020"]] if short else []
    longer = any(extra)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        path.write_bytes(_write(rows, "utf-8"))
        for read in (read_file, read_panel):
            try:
                read(path)
                assert not longer
            except RongheError as exc:
                assert longer and "row 3: the row has" in str(exc), str(exc)


def test_oversized_dimensions_in_a_child_within_a_memory_bound():
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parents[1] / "src"), str(HERE)]),
           "RONGHE_MAX_SHEET_CELLS": "200000"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:randomly", str(HERE / "fuzz_xlsx.py")], capture_output=True,
                         text=True, timeout=300, env=env, cwd=HERE.parents[1], preexec_fn=limit)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]  # 5: nothing collected


def test_limits_default_values_are_the_documented_ones():
    assert Limits() == Limits(sheet_cells=2_000_000, file_cells=5_000_000, file_bytes=256 * 2**20)
    doc = (HERE.parents[1] / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "2,000,000" in doc and "5,000,000" in doc and "256 MiB" in doc
