"""The messy fixtures of tests/data (made by tests/make_messy_fixtures.py): every quirk at a known
cell, with the value or report line expected there."""

from pathlib import Path

import pandas as pd
import pytest

from ronghe.errors import InputError
from ronghe.ingest import read_file

DATA = Path(__file__).parents[1] / "data"


def value(got, region, year, variable):
    v = got.values
    hit = v[(v.region == region) & (v.year == year) & (v.variable == variable)]
    assert len(hit) == 1, (region, year, variable)
    return float(hit.value.iloc[0])


def issue(got, sheet, row, column):
    r = got.report.issues
    hit = r[(r.sheet == sheet) & (r.row == row) & (r.column == column)]
    assert len(hit) == 1, (sheet, row, column)
    return hit.iloc[0]


@pytest.fixture(scope="module")
def yearbook(messy_regions, messy_catalogue):
    return read_file(DATA / "messy_yearbook.xlsx", catalogue=messy_catalogue,
                     regions=messy_regions)


def test_yearbook_values(yearbook):
    assert yearbook.layout == "per-year"
    # 1,234.5 亿元 = 1234.5 * 10^4 万元 (catalogue unit 万元); thousands separator removed.
    assert value(yearbook, "120101", 2021, "gdp") == pytest.approx(12_345_000)
    # 和平区 twice: row 6 sits under the 天津市 row (province context), row 7 has 省份 = 辽宁.
    assert value(yearbook, "210102", 2021, "gdp") == pytest.approx(9_876_000)  # 987.6* 亿元
    assert value(yearbook, "120101", 2021, "urban_share") == 100.0               # full-width １００
    assert value(yearbook, "120101", 2021, "income_ratio") == pytest.approx(1.85)  # 1.85①
    assert value(yearbook, "210102", 2021, "birth_rate") == pytest.approx(6.8)   # ６．８
    assert value(yearbook, "150102", 2021, "urban_share") == pytest.approx(45.6)  # 45.6% in cell
    assert value(yearbook, "150102", 2021, "birth_rate") == pytest.approx(7.1)   # " 7.1 "
    assert value(yearbook, "610102", 2021, "population") == pytest.approx(123.4)  # 12-digit code
    assert value(yearbook, "130123", 2021, "gdp") == pytest.approx(4_567_800)    # numeric 456.78
    assert value(yearbook, "120000", 2021, "population") == 1373.0               # province row
    assert value(yearbook, "120101", 2022, "gdp") == pytest.approx(50_000_000)
    # nothing stored for rejected or missing cells, nothing read below the 注 footer
    assert len(yearbook.values) == 27
    assert set(yearbook.values.unit[yearbook.values.variable == "income_ratio"]) == {""}


@pytest.mark.parametrize(("sheet", "row", "column", "severity", "reason", "raw"), [
    ("2021年", 6, "F", "warning", "footnote mark '①' removed", "1.85①"),
    ("2021年", 7, "D", "warning", "footnote mark '*' removed", "987.6*"),
    ("2021年", 6, "G", "missing", "no data mark", "—"),
    ("2021年", 7, "E", "missing", "no data mark", "…"),
    ("2021年", 7, "F", "missing", "no data mark", "-"),
    ("2021年", 7, "G", "missing", "no data mark", ""),
    ("2021年", 8, "H", "missing", "no data mark", ""),          # formula without a stored result
    ("2021年", 10, "F", "missing", "no data mark", ""),         # #DIV/0!: calamine reads it blank
    ("2021年", 8, "E", "error", "120 outside the valid range [0, 100]", "120"),
    ("2021年", 10, "E", "error", "-3 outside the valid range [0, 100]", "-3"),
    ("2021年", 8, "F", "error", "0 must be positive", "0"),
    ("2021年", 8, "G", "error", "not a number", "abc"),
    ("2021年", 9, "D", "error", "malformed thousands separators", "12,34.5"),
    ("2021年", 10, "D", "error", "implausibly large number", "1e+20"),
    ("2021年", 10, "H", "error", "a true/false cell is not a number", "True"),
    ("2022", 2, "D", "warning", "year-on-year jump ×4.05", "5e+07"),
])
def test_yearbook_report(yearbook, sheet, row, column, severity, reason, raw):
    got = issue(yearbook, sheet, row, column)
    assert got.severity == severity
    assert reason in got.reason
    assert got.raw == raw
    assert got.file == "messy_yearbook.xlsx"


def test_yearbook_report_counts_and_lines(yearbook):
    r = yearbook.report
    assert (r.count("error"), r.count("warning"), r.count("missing")) == (7, 4, 6)
    lines = r.lines(lang="en")
    assert ("error: messy_yearbook.xlsx, sheet '2021年', row 8, column G (常住人口（万人）): "
            "not a number [abc]") in lines
    assert any(line.startswith("warning: messy_yearbook.xlsx, sheet '说明'") for line in lines)
    zh = r.lines()  # Chinese first by default
    assert ("错误 error：messy_yearbook.xlsx，工作表 '2021年'，第 8 行，G 列（常住人口（万人））："
            "不是数值 / not a number [abc]") in zh
    assert r.lines(severities=("warning",)) == [x for x in zh if x.startswith("警告 warning")]


def test_report_written_to_csv_and_xlsx(yearbook, tmp_path):
    back = pd.read_csv(yearbook.report.write(tmp_path / "r.csv"), encoding="utf-8-sig")
    assert len(back) == len(yearbook.report)
    assert "abc" in set(back["raw"].astype(str))
    assert "不是数值 / not a number" in set(back["reason"])
    assert set(back["severity"]) >= {"错误（未入库） / error (not stored)"}
    book = yearbook.report.write(tmp_path / "r.xlsx")
    x = pd.read_excel(book, sheet_name="report", engine="calamine")
    assert list(x.columns) == ["文件名", "工作表", "行号", "列字母", "该列的表头", "单元格原值", "原因",
                               "类别"]
    assert len(x) == len(yearbook.report)
    about = pd.read_excel(book, sheet_name=0, engine="calamine")
    assert "错误（未入库） 7" in " ".join(about.iloc[:, 1].dropna().astype(str))
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        yearbook.report.write(tmp_path / "r.txt")


def test_per_variable_workbook(messy_regions, messy_catalogue):
    got = read_file(DATA / "messy_per_variable.xlsx", catalogue=messy_catalogue,
                    regions=messy_regions)
    assert got.layout == "per-variable"
    assert value(got, "120101", 2020, "gdp") == pytest.approx(11_000_000)  # "1,100" 亿元
    assert value(got, "130123", 2022, "gdp") == pytest.approx(4_701_000)
    assert value(got, "120101", 2021, "urban_share") == 100.0
    assert len(got.values) == 8
    assert list(got.report.issues[["row", "column", "severity"]].itertuples(index=False,
                                                                            name=None)) == [
        (2, "E", "missing")]


def test_gbk_csv_with_year_and_province_columns(messy_regions, messy_catalogue):
    got = read_file(DATA / "messy_gbk.csv", catalogue=messy_catalogue, regions=messy_regions)
    assert value(got, "120101", 2020, "gdp") == 11_000_000
    assert value(got, "210102", 2020, "gdp") == 9_000_000
    assert value(got, "620102", 2020, "gdp") == 8_500_000    # 城关区 + 甘肃 -> 兰州
    assert issue(got, "messy_gbk", 4, "E").reason == "not a number"


def test_long_utf8_bom_with_units(messy_regions, messy_catalogue):
    got = read_file(DATA / "messy_long_bom.csv", catalogue=messy_catalogue,
                    regions=messy_regions)
    assert got.layout == "long"
    assert value(got, "120101", 2020, "gdp") == pytest.approx(11_000_000)   # 1100 亿元
    assert value(got, "130123", 2020, "gdp") == pytest.approx(4_205_000)    # by Chinese name
    assert value(got, "130123", 2020, "birth_rate") == pytest.approx(6.5)   # 0.65 % = 6.5 ‰
    assert len(got.report) == 0


def test_ambiguous_name_lists_candidates(messy_regions, messy_catalogue):
    with pytest.raises(InputError) as e:
        read_file(DATA / "messy_ambiguous.csv", catalogue=messy_catalogue, regions=messy_regions)
    text = str(e.value)
    assert "messy_ambiguous.csv" in text and "row 2" in text
    assert "540102 西藏自治区 拉萨市" in text and "620102 甘肃省 兰州市" in text


def test_total_rows_and_serial_columns(tmp_path, messy_regions, messy_catalogue):
    p = tmp_path / "2020年.csv"
    p.write_text("序号,地区,省份,地区生产总值(万元),备注\n1,合计,,300,\n2,正定县,河北,100,新\n"
                 "3,和平区,天津,200,\n", encoding="utf-8")
    got = read_file(p, catalogue=messy_catalogue, regions=messy_regions)
    assert sorted(got.values["value"]) == [100, 200]
    assert list(got.values["year"].unique()) == [2020]
    assert got.report.lines(lang="en") == [
        "warning: 2020年.csv, sheet '2020年', row 2, column B (地区): total row skipped / 合计行已跳过 "
        "[合计]"]


def test_layout_override_and_errors(tmp_path, messy_regions, messy_catalogue):
    p = tmp_path / "gdp.csv"
    p.write_text("代码,2020,2021\n120101,1,2\n", encoding="utf-8")
    assert read_file(p, catalogue=messy_catalogue, regions=messy_regions).layout == "per-variable"
    with pytest.raises(InputError, match="cannot tell the year"):
        read_file(p, catalogue=messy_catalogue, regions=messy_regions, layout="per-year")
    with pytest.raises(InputError, match="unknown layout"):
        read_file(p, catalogue=messy_catalogue, regions=messy_regions, layout="sideways")
    bad = tmp_path / "2020.csv"
    bad.write_text("代码,城镇化率(万元)\n120101,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not measure the same thing"):
        read_file(bad, catalogue=messy_catalogue, regions=messy_regions)
    dup = tmp_path / "2019.csv"
    dup.write_text("代码,gdp\n120101,1\n120101,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice"):
        read_file(dup, catalogue=messy_catalogue, regions=messy_regions)
    with pytest.raises(InputError, match="no table found"):
        (tmp_path / "empty.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        read_file(tmp_path / "empty.csv", catalogue=messy_catalogue, regions=messy_regions)
