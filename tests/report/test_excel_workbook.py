"""Workbooks a person reads (issue 18, item 5): Chinese headers, names beside codes, obstacle
columns O1..O4 then other, filters, frozen header and key columns, widths, number formats, every
column described, an About sheet; data exports keep their codes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ronghe.excel import read_sheet, write_workbook
from ronghe.report.tables import write_table


@pytest.fixture(scope="module")
def book(result, tmp_path_factory):
    path = result.to_excel(tmp_path_factory.mktemp("wb") / "r.xlsx")
    return openpyxl.load_workbook(path)


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def test_headers_are_chinese_and_codes_are_in_the_column_sheet(book, result):
    index = _header(book["index"])
    assert index[:5] == ["地区代码", "地区名称", "省份代码", "省份", "年份"]
    assert "综合指数" in index and "index" not in index
    columns = {(r[0], r[1]): r for r in book["列说明 Columns"].iter_rows(min_row=2,
                                                                      values_only=True)}
    assert columns[("index", "index")][4] == "综合指数"  # code -> header shown
    assert columns[("weights", "name_zh")][2] == "指标名称"  # not "region name"
    for sheet in book.sheetnames:
        for j, head in enumerate(_header(book[sheet])):
            assert head, (sheet, j)
            assert not head.isascii() or head in {"D", "C", "T"}, (sheet, head)


def test_every_column_of_every_sheet_is_described(book):
    rows = list(book["列说明 Columns"].iter_rows(min_row=2, values_only=True))
    described = {(r[0], r[4]): r for r in rows}
    for ws in book.worksheets:
        for head in _header(ws):
            row = described[(ws.title, head)]
            assert row[2] and row[3], row  # zh and en explanation


def test_obstacle_columns_in_order_and_names_beside_codes(book, result):
    head = _header(book["obstacles"])
    cols = {r[4]: r[1] for r in book["列说明 Columns"].iter_rows(min_row=2, values_only=True)
            if r[0] == "obstacles"}
    codes = [cols[h] for h in head]
    cats = [c for c in codes if c.startswith("obs_cat_")]
    assert cats == ["obs_cat_O1", "obs_cat_O2", "obs_cat_O3", "obs_cat_O4", "obs_cat_other"]
    assert codes[codes.index("top1") + 1] == "top1_name"
    ws = book["obstacles"]
    top1, name = codes.index("top1") + 1, codes.index("top1_name") + 1
    indicator_names = dict(zip(result.weights["indicator"], result.weights["name_zh"],
                               strict=True))
    assert ws.cell(2, name).value == indicator_names[ws.cell(2, top1).value]
    treatment = _header(book["treatment"])
    assert treatment[:2] == ["地区代码", "地区名称"] and "指标名称" in treatment
    actions = {r[treatment.index("处理方式")]
               for r in book["treatment"].iter_rows(min_row=2, values_only=True)}
    assert actions and all(not a.isascii() for a in actions)  # 插补：线性插值, not imputed: linear
    weights = _header(book["weights"])
    unit = weights.index("单位")
    units = {r[unit] for r in book["weights"].iter_rows(min_row=2, values_only=True)}
    assert "个百分点" in units and "pp" not in units  # units in Chinese
    assert weights[weights.index("维度代码") + 1] == "维度"  # the dimension's name beside its code


def test_frozen_panes_filters_widths_and_formats(book):
    for ws in book.worksheets[1:]:
        assert ws.freeze_panes in ("A2", "B2", "C2", "D2"), ws.title
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", ws.title
    assert book["index"].freeze_panes == "C2"
    ws = book["index"]
    head = _header(ws)
    name = openpyxl.utils.get_column_letter(head.index("地区名称") + 1)
    assert ws.column_dimensions[name].width >= 10
    value = ws.cell(2, head.index("综合指数") + 1)
    assert value.number_format == "0.0000" and len(repr(value.value)) > 8  # rounded for display
    assert ws.cell(2, head.index("年份") + 1).number_format == "0"
    obstacles = book["obstacles"]
    share = _header(obstacles).index("O1 思想认知有待提升占比") + 1
    assert obstacles.cell(2, share).number_format == "0.0%"


def test_about_sheet(book, result):
    about = book["说明 About"]
    rows = {r[0]: r[1] for r in about.iter_rows(min_row=2, values_only=True)}
    assert rows["工作簿 workbook"].startswith("计算结果工作簿")
    assert rows["设置哈希 settings hash"] == result.settings_hash
    assert result.settings_hash in rows["引用 how to cite"] and "ronghe" in rows["引用 how to cite"]
    assert len(rows["生成日期 date"]) == 10
    for sheet in book.sheetnames:
        assert rows[sheet], sheet  # every sheet listed with what it holds
    assert about.column_dimensions["B"].width >= 80  # the text is not squeezed in a narrow column


def test_values_survive_and_text_stays_text(tmp_path):
    frame = pd.DataFrame({
        "region": ["130102", "130104", "130105"],
        "name_zh": ["=1+1", "@SUM(A1)", "-甲"],
        "value": [1 / 3, np.nan, 123456.789],
        "count": [1, 2, 3],
        "flag": [True, False, True],
        "mixed": ["a", 2.5, None],
    })
    path = write_workbook(tmp_path / "w.xlsx", {"t": frame}, None, [("数据 data", "x")])
    ws = openpyxl.load_workbook(path)["t"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["=1+1", "@SUM(A1)", "-甲"]
    assert all(ws.cell(r, 2).data_type == "s" and ws.cell(r, 2).quotePrefix for r in (2, 3, 4))
    assert rows[0][2] == 1 / 3 and rows[1][2] is None and rows[2][2] == 123456.789
    assert [r[3] for r in rows] == [1, 2, 3] and [r[4] for r in rows] == [True, False, True]
    assert [r[5] for r in rows] == ["a", 2.5, None]
    assert ws.cell(4, 3).number_format == "#,##0.00"
    back = pd.read_excel(path, sheet_name="t", engine="calamine")
    assert back.iloc[0, 2] == pytest.approx(1 / 3, abs=0)


def test_data_export_keeps_codes(tmp_path):
    frame = pd.DataFrame({"region": ["130102"], "year": [2020], "gdp": [1.5]})
    path = write_table(tmp_path / "d.xlsx", frame)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["数据 data"]
    assert _header(wb.active) == ["region", "year", "gdp"]
    assert wb.active.freeze_panes == "A2" and wb.active.auto_filter.ref == "A1:C2"
    with zipfile.ZipFile(path) as zf:  # the parts every spreadsheet expects
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml",
                "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"} <= set(zf.namelist())


def test_a_program_reads_the_codes_back(result, tmp_path):
    path = result.to_excel(tmp_path / "r.xlsx")
    index = read_sheet(path, "index")
    assert list(index.columns[:2]) == ["region", "name_zh"]
    assert index["index"].to_numpy() == pytest.approx(result.index["index"].to_numpy(), abs=0)
    obstacles = read_sheet(path, "obstacles")
    assert next(c for c in obstacles.columns if c.startswith("obs_cat_")) == "obs_cat_O1"


def test_headers_can_be_the_column_codes(tmp_path: Path) -> None:
    """Issue 18: Chinese headers by default, the codes as an option for scripts."""
    frame = pd.DataFrame({"region": ["130102"], "year": [2023], "index": [0.5]})
    zh = write_workbook(tmp_path / "zh.xlsx", {"index": frame}, notes=[("a", "b")])
    codes = write_workbook(tmp_path / "codes.xlsx", {"index": frame}, notes=[("a", "b")],
                           headers="codes")
    head_zh = list(pd.read_excel(zh, sheet_name="index", engine="calamine").columns)
    head_codes = list(pd.read_excel(codes, sheet_name="index", engine="calamine").columns)
    assert "index" not in head_zh and "综合指数" in head_zh
    assert head_codes[:1] == ["region"] and "index" in head_codes and "year" in head_codes
    assert list(read_sheet(codes, "index").columns) == list(read_sheet(zh, "index").columns)
