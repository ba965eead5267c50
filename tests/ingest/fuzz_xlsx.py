"""XLSX fuzz cases, run by test_ingest_fuzz.py in a child process with a 2 GiB address-space limit
(a reader that let a far cell through would abort the process: calamine cannot fail gracefully on
a 550 GB allocation, and the child must not take pytest with it).

Each example is a sheet of sparse cells anywhere up to XFD1048576, with or without ``r``
attributes, rows in or out of order, some cells empty, under a random (often lying) dimension.
Property: the reader either refuses the sheet with a one-line InputError naming file and sheet —
exactly when its grid from A1 to the farthest cell exceeds the limit — or reads every value at its
place.
"""

from __future__ import annotations

import resource
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xlsx_parts import write_xlsx

from ronghe.errors import InputError
from ronghe.ingest import read_file
from ronghe.ingest.readers import Limits, read_sheets
from ronghe.ingest.tables import column_letter

LIMITS = Limits(sheet_cells=200_000, file_cells=400_000)
GROWTH_MB = 200  # stated bound on how much the peak memory may grow over all examples

rows_st = st.one_of(st.integers(1, 40), st.integers(1, 1_048_576))
cols_st = st.one_of(st.integers(1, 12), st.integers(1, 16_384))
cell_st = st.tuples(rows_st, cols_st, st.sampled_from(["number", "text", "empty"]))


def _sheet_xml(cells: list[tuple[int, int, str]], with_r: bool, shuffle: bool) -> str:
    by_row: dict[int, list[str]] = {}
    for k, (r, c, kind) in enumerate(cells):
        ref = f' r="{column_letter(c - 1)}{r}"' if with_r else ""
        body = {"number": f"<v>{k}.5</v>", "text": f'<is><t>t{k}</t></is>', "empty": ""}[kind]
        t = ' t="inlineStr"' if kind == "text" else ""
        by_row.setdefault(r, []).append(f"<c{ref}{t}>{body}</c>" if body else f"<c{ref}/>")
    rows = sorted(by_row)
    if shuffle:
        rows = rows[::-1]
    return "".join(f'<row r="{r}">{"".join(by_row[r])}</row>' for r in rows)


before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(cell_st, min_size=1, max_size=12, unique_by=lambda x: (x[0], x[1])),
       st.booleans(), st.booleans(),
       st.sampled_from([None, "A1", "A1:XFD1048576", "B2:C3", "A1:Z200000"]))
def test_sparse_far_cells(cells, with_r, shuffle, dimension):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "f.xlsx", {"S": _sheet_xml(cells, with_r, shuffle)},
                          dimension=dimension)
        try:
            (sheet,) = read_sheets(path, limits=LIMITS)
        except InputError as exc:
            assert str(exc).startswith("f.xlsx, sheet 'S': the sheet spans") and "\n" not in str(exc)
            refused = True
        else:
            refused = False
            for k, (r, c, kind) in enumerate(cells):
                if with_r and kind == "number":
                    assert sheet.rows[r - 1][c - 1] == k + 0.5
                if with_r and kind == "text":
                    assert sheet.rows[r - 1][c - 1] == f"t{k}"
        if with_r:  # every <c> counts, empty or not: the grid is known exactly
            extent = max(r for r, _, _ in cells) * max(c for _, c, _ in cells)
            assert refused == (extent > LIMITS.sheet_cells)
        try:
            read_file(path)
        except InputError as exc:
            assert "\n" not in str(exc)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown < GROWTH_MB, f"peak memory grew by {grown:.0f} MB"
