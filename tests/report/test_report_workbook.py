"""The report workbook: every table on a sheet, a column sheet, and formula text kept inert."""

from __future__ import annotations

import openpyxl

from ronghe.report.workbook import write_report_workbook


def test_sheets_and_inert_formula_text(result, content, renamed, tmp_path) -> None:
    region, name = renamed["formula"]
    path = write_report_workbook(result, tmp_path / "r.xlsx", content=content)
    wb = openpyxl.load_workbook(path)
    expected = ["说明 About", "列说明 Columns", *result.tables(), *content.tables()]
    assert wb.sheetnames == expected
    assert {"rankings", "trends", "disparity", "grade_shares", "obstacle_categories"} <= set(
        wb.sheetnames)

    ws = wb["rankings"]
    header = [c.value for c in ws[1]]
    name_col, region_col = header.index("地区名称") + 1, header.index("地区代码") + 1
    cells = [ws.cell(row=r, column=name_col) for r in range(2, ws.max_row + 1)
             if ws.cell(row=r, column=region_col).value == region]
    (cell,) = cells
    assert cell.value == name == "=1+1"
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.quotePrefix  # and marked so that editing it keeps it text
    assert ws.freeze_panes == "D2"  # header row, rank, code and name kept in view
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"

    cols = wb["列说明 Columns"]
    rows = {(r[0], r[1]): r[2] for r in cols.iter_rows(min_row=2, values_only=True)}
    assert rows[("disparity", "Gnb")] == "区域间净差异贡献 Gnb"
    assert rows[("grade_shares", "share")] != rows[("obstacle_categories", "share")]
    # dimension names come from the framework: no bare ids in the headers
    index = [c.value for c in wb["index"][1]]
    dims = {d.id: d.name_zh for d in result.framework.dimensions}
    assert [f"{n}得分" for n in dims.values()] == [h for h in index if h.endswith("得分")]
    assert not any(h.startswith("U_") for h in index)
    intervals = [c.value for c in wb["rank_intervals"][1]]
    assert intervals.index("地区名称") == intervals.index("地区代码") + 1  # name beside its code
