"""Two-row headers: variable headings over years (layout ``variable-year``) and parent headings over
sub-indicators (inside ``per-year``), as XLSX with real merged cells and as CSV with blank cells.

Expected values are worked by hand: the catalogue stores gdp and value added in 万元 and population
in 万人, so a cell in 亿元 is multiplied by 1e8 / 1e4 = 1e4.
"""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ronghe.errors import InputError
from ronghe.ingest import catalogue_frame, read_file
from ronghe.ingest.tables import column_letter


@pytest.fixture(scope="module")
def catalogue(messy_catalogue):
    extra = catalogue_frame([
        {"id": "va1", "name_zh": "第一产业增加值", "unit": "万元"},
        {"id": "va2", "name_zh": "第二产业增加值", "unit": "万元"},
        {"id": "va3", "name_zh": "第三产业增加值", "unit": "万元"},
        {"id": "pop_urban", "name_zh": "城镇人口", "unit": "万人"},
        {"id": "pop_rural", "name_zh": "乡村人口", "unit": "万人"},
    ])
    return pd.concat([messy_catalogue, extra])


def workbook(path: Path, sheets: dict[str, tuple[list[list], list[str]]]) -> Path:
    """Write sheets of (rows, merged ranges) with openpyxl; merging blanks all but the first cell."""
    book = Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in merges:
            ws.merge_cells(cells)
    book.save(path)
    return path


def values(got) -> dict[tuple[str, int, str], float]:
    return {(r.region, r.year, r.variable): r.value for r in got.values.itertuples()}


def issues(got) -> list[tuple]:
    r = got.report.issues
    return sorted(r[["sheet", "row", "column", "severity", "header"]].itertuples(index=False,
                                                                              name=None))


VARIABLE_YEAR = [
    ["表1  分县主要指标"],
    ["地区", "地区生产总值(亿元)", None, "常住人口(万人)", None],
    [None, 2022, 2023, "2022年", "2023年"],
    ["正定县", 310.5, 325.25, 48.1, 48.6],
    ["天津市", 16311.3, 16737.3, 1363.0, 1364.0],   # province row: sets the context of 和平区
    ["和平区", 530.0, "—", 35.2, 35.0],
    ["合计", 1, 2, 3, 4],
    ["注：本表按现价计算。"],
]


def test_variable_year_xlsx_with_merged_cells(tmp_path, messy_regions, catalogue):
    path = workbook(tmp_path / "a.xlsx", {"分县指标": (
        VARIABLE_YEAR, ["A2:A3", "B2:C2", "D2:E2", "A1:E1"])})
    got = read_file(path, catalogue=catalogue, regions=messy_regions)
    assert got.layout == "variable-year"
    assert values(got) == pytest.approx({
        ("130123", 2022, "gdp"): 3_105_000,        # 310.5 亿元 * 1e4
        ("130123", 2023, "gdp"): 3_252_500,        # 325.25 * 1e4
        ("120000", 2022, "gdp"): 163_113_000,      # 16311.3 * 1e4
        ("120000", 2023, "gdp"): 167_373_000,
        ("120101", 2022, "gdp"): 5_300_000,        # 2023 is "—": missing, not stored
        ("130123", 2022, "population"): 48.1, ("130123", 2023, "population"): 48.6,
        ("120000", 2022, "population"): 1363.0, ("120000", 2023, "population"): 1364.0,
        ("120101", 2022, "population"): 35.2, ("120101", 2023, "population"): 35.0,
    })
    assert set(got.values.unit[got.values.variable == "gdp"]) == {"万元"}
    v = got.values
    cell = v[(v.region == "130123") & (v.year == 2023) & (v.variable == "population")]
    assert (cell.row.iloc[0], cell.column.iloc[0]) == (4, "E")
    assert issues(got) == [("分县指标", 6, "C", "missing", "地区生产总值(亿元) 2023"),
                           ("分县指标", 7, "A", "warning", "地区")]


def test_variable_year_csv_with_blank_cells(tmp_path, messy_regions, catalogue):
    path = tmp_path / "a.csv"
    path.write_text("代码,地区,地区生产总值(亿元),,常住人口(万人),\n"
                    ",,2022,2023,2022,2023\n"
                    "130123,正定县,310.5,\"1,325.25\",48.1,48.6\n"
                    "120101,和平区,530,—,35.2,35\n", encoding="utf-8")
    got = read_file(path, catalogue=catalogue, regions=messy_regions)
    assert got.layout == "variable-year"
    assert values(got) == pytest.approx({
        ("130123", 2022, "gdp"): 3_105_000, ("130123", 2023, "gdp"): 13_252_500,  # 1325.25e4
        ("120101", 2022, "gdp"): 5_300_000,
        ("130123", 2022, "population"): 48.1, ("130123", 2023, "population"): 48.6,
        ("120101", 2022, "population"): 35.2, ("120101", 2023, "population"): 35.0,
    })
    # 1325.25 / 310.5 = 4.27 > 3: the later cell is flagged as a year-on-year jump
    assert issues(got) == [("a", 3, "D", "warning", "gdp"),
                           ("a", 4, "D", "missing", "地区生产总值(亿元) 2023")]
    explicit = read_file(path, catalogue=catalogue, regions=messy_regions, layout="variable-year")
    assert values(explicit) == values(got)


def test_parent_headings_over_sub_indicators(tmp_path, messy_regions, catalogue):
    rows = [
        ["地区", "地区生产总值(亿元)", "增加值(亿元)", None, None, "常住人口(万人)", None, None,
         "城镇化率"],
        [None, None, "第一产业", "第二产业", "第三产业", "合计", "城镇人口", "乡村人口", "(%)"],
        ["正定县", 325.25, 40.5, 110.25, 174.5, 48.6, 30.1, 18.5, 61.9],
        ["天津市", 16737.3, 268.5, 6038.9, 10429.9, 1364.0, 1160.1, 203.9, 85.1],
        ["和平区", 530.5, None, 12.5, 518.0, 35.0, 35.0, "—", 100],
    ]
    path = workbook(tmp_path / "b.xlsx", {"2023": (rows, ["A1:A2", "B1:B2", "C1:E1", "F1:H1"])})
    got = read_file(path, catalogue=catalogue, regions=messy_regions)
    assert got.layout == "per-year"
    # 第一产业 + 增加值 -> 第一产业增加值 (va1); 合计 under 常住人口 -> population; "(%)" is a unit
    assert values(got) == pytest.approx({
        ("130123", 2023, "gdp"): 3_252_500, ("130123", 2023, "va1"): 405_000,
        ("130123", 2023, "va2"): 1_102_500, ("130123", 2023, "va3"): 1_745_000,
        ("130123", 2023, "population"): 48.6, ("130123", 2023, "pop_urban"): 30.1,
        ("130123", 2023, "pop_rural"): 18.5, ("130123", 2023, "urban_share"): 61.9,
        ("120000", 2023, "gdp"): 167_373_000, ("120000", 2023, "va1"): 2_685_000,
        ("120000", 2023, "va2"): 60_389_000, ("120000", 2023, "va3"): 104_299_000,
        ("120000", 2023, "population"): 1364.0, ("120000", 2023, "pop_urban"): 1160.1,
        ("120000", 2023, "pop_rural"): 203.9, ("120000", 2023, "urban_share"): 85.1,
        ("120101", 2023, "gdp"): 5_305_000, ("120101", 2023, "va2"): 125_000,
        ("120101", 2023, "va3"): 5_180_000, ("120101", 2023, "population"): 35.0,
        ("120101", 2023, "pop_urban"): 35.0, ("120101", 2023, "urban_share"): 100.0,
    })
    assert issues(got) == [("2023", 5, "C", "missing", "增加值(亿元) 第一产业"),
                           ("2023", 5, "H", "missing", "常住人口(万人) 乡村人口")]
    v = got.values
    assert v[v.variable == "va3"].column.unique().tolist() == ["E"]
    assert v[v.variable == "va3"].row.tolist() == [3, 4, 5]


def test_mixed_file_with_unit_lines(tmp_path, messy_regions, catalogue):
    path = workbook(tmp_path / "mixed.xlsx", {
        "分县指标": ([["单位：亿元"],
                    ["地区", "地区生产总值", None, "常住人口", None],
                    [None, 2022, 2023, "2022年(万人)", "2023年(万人)"],
                    ["正定县", 310.5, 325.25, 48.1, 48.6]], ["B2:C2", "D2:E2"]),
        "2021": ([["单位：亿元"],
                  ["地区", "增加值", None, None, "常住人口"],
                  [None, "第一产业", "第二产业", "第三产业", "万人"],
                  ["正定县", 40.5, 110.25, 174.5, 47.9]], ["B2:D2", "A2:A3"]),
    })
    got = read_file(path, catalogue=catalogue, regions=messy_regions)
    assert got.layout == "variable-year+per-year"
    # gdp and value added in 亿元 from the 单位 line (x 1e4); population's own 万人 (row 2) wins
    assert values(got) == pytest.approx({
        ("130123", 2022, "gdp"): 3_105_000, ("130123", 2023, "gdp"): 3_252_500,
        ("130123", 2022, "population"): 48.1, ("130123", 2023, "population"): 48.6,
        ("130123", 2021, "va1"): 405_000, ("130123", 2021, "va2"): 1_102_500,
        ("130123", 2021, "va3"): 1_745_000, ("130123", 2021, "population"): 47.9,
    })
    assert len(got.report) == 0


def test_years_without_parent_headings_read_per_variable(tmp_path, messy_regions, catalogue):
    path = tmp_path / "gdp.csv"
    path.write_text("地区,,\n,2020,2021年\n正定县,1,2\n", encoding="utf-8")
    got = read_file(path, catalogue=catalogue, regions=messy_regions)
    assert got.layout == "per-variable"
    assert values(got) == {("130123", 2020, "gdp"): 1.0, ("130123", 2021, "gdp"): 2.0}


def test_row_without_region_is_not_a_second_header(tmp_path, messy_regions, catalogue):
    path = tmp_path / "2020.csv"
    path.write_text("地区,地区生产总值\n,5\n正定县,1\n", encoding="utf-8")
    got = read_file(path, catalogue=catalogue, regions=messy_regions)
    assert values(got) == {("130123", 2020, "gdp"): 1.0}
    assert issues(got) == [("2020", 2, "", "error", "")]


def raised(path, catalogue, regions, **kw) -> InputError:
    with pytest.raises(InputError) as e:
        read_file(path, catalogue=catalogue, regions=regions, **kw)
    return e.value


@pytest.mark.parametrize(("name", "text", "row", "column", "message"), [
    # a second-row heading that is neither a year nor (with its parent) a catalogue variable
    ("t.csv", "地区,地区生产总值(亿元),\n,2022,甲乙\n正定县,1,2\n", 2, "C",
     "unknown variable '甲乙' / '甲乙地区生产总值' / '地区生产总值甲乙'"),
    ("2023.csv", "地区,按产业分,,\n,第一产业,第二产业,第三产业\n正定县,1,2,3\n", 2, "B",
     "unknown variable '第一产业' / '第一产业按产业分' / '按产业分第一产业'"),
    ("t.csv", "地区,,地区生产总值(亿元),\n,2021,2022,2023\n正定县,1,2,3\n", 2, "B",
     "year heading '2021' has no variable heading above it"),
    ("t.csv", "地区,人均GDP,\n,2022,2023\n正定县,1,2\n", 1, "B", "unknown variable '人均GDP'"),
    # a sub-heading that is a variable needs the year from the sheet name or a year column
    ("t.csv", "地区,地区生产总值,,\n,2022,2023,常住人口\n正定县,1,2,3\n", 1, None,
     "cannot tell the year"),
])
def test_header_errors_name_the_cell(tmp_path, messy_regions, catalogue, name, text, row, column,
                                     message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    e = raised(path, catalogue, messy_regions)
    assert message in e.reason
    assert (e.file, e.sheet, e.row, e.column) == (name, Path(name).stem, row, column)


def test_year_repeated_for_a_variable_is_a_duplicate(tmp_path, messy_regions, catalogue):
    path = workbook(tmp_path / "dup.xlsx", {"表": (
        [["地区", "地区生产总值(亿元)", None], [None, 2022, "2022年"], ["正定县", 1, 2]], ["B1:C1"])})
    e = raised(path, catalogue, messy_regions)
    assert "(130123, 2022, gdp) appears twice" in e.reason
    assert "row 3 column B" in e.reason and "row 3 column C" in e.reason
    assert e.file == "dup.xlsx"


def test_variable_year_layout_needs_two_header_rows(tmp_path, messy_regions, catalogue):
    path = tmp_path / "2020.csv"
    path.write_text("地区,地区生产总值\n正定县,1\n", encoding="utf-8")
    e = raised(path, catalogue, messy_regions, layout="variable-year")
    assert "second header row" in e.reason
    assert (e.file, e.sheet, e.row) == ("2020.csv", "2020", 1)


CODES = ["120101", "130123", "150102", "210102"]
VARIABLES = {"gdp": ("地区生产总值", ["亿元", "万元", "元"], 1e6),
             "population": ("常住人口", ["万人", "人"], 1e4),
             "urban_share": ("城镇化率", ["%"], 100.0)}


@st.composite
def panels(draw):
    regions = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
    variables = draw(st.lists(st.sampled_from(sorted(VARIABLES)), min_size=1, max_size=3,
                              unique=True))
    first = draw(st.integers(2015, 2020))
    years = list(range(first, first + draw(st.integers(1, 3))))
    units = {v: draw(st.sampled_from(VARIABLES[v][1])) for v in variables}
    cells = {(r, v, y): draw(st.none() | st.floats(0.01, VARIABLES[v][2]).map(lambda x: round(x, 2)))
             for r in regions for v in variables for y in years}
    return regions, variables, years, units, cells


@settings(max_examples=30, deadline=None)
@given(panel=panels(), fmt=st.sampled_from(["csv", "xlsx"]), year_text=st.booleans())
def test_variable_year_reads_like_long(tmp_path_factory, messy_regions, catalogue, panel, fmt,
                                       year_text):
    regions, variables, years, units, cells = panel
    tmp = tmp_path_factory.mktemp("vy")
    top = ["代码"]
    sub: list[object] = [None]
    merges = []
    for v in variables:
        start = len(top)
        top += [f"{VARIABLES[v][0]}({units[v]})"] + [None] * (len(years) - 1)
        sub += [f"{y}年" if year_text else y for y in years]
        if len(years) > 1:
            merges.append(f"{column_letter(start)}1:{column_letter(start + len(years) - 1)}1")
    data = [[r] + [cells[r, v, y] for v in variables for y in years] for r in regions]
    if fmt == "xlsx":
        wide = workbook(tmp / "wide.xlsx", {"表": ([top, sub, *data], merges)})
    else:
        wide = tmp / "wide.csv"
        wide.write_text("\n".join(",".join("" if c is None else str(c) for c in line)
                                  for line in [top, sub, *data]) + "\n", encoding="utf-8")
    long = tmp / "long.csv"
    long.write_text("region,year,variable,value,unit\n" + "".join(
        f"{r},{y},{VARIABLES[v][0]},{'' if x is None else x},{units[v]}\n"
        for (r, v, y), x in cells.items()), encoding="utf-8")
    got = read_file(wide, catalogue=catalogue, regions=messy_regions)
    want = read_file(long, catalogue=catalogue, regions=messy_regions)
    assert got.layout == "variable-year"
    assert values(got).keys() == values(want).keys()
    assert values(got) == pytest.approx(values(want), rel=1e-12)
    assert len(values(got)) == sum(x is not None for x in cells.values())
    assert got.report.count("missing") == want.report.count("missing")
    assert got.report.count("error") == 0


def test_without_catalogue_the_most_specific_heading_names_the_variable(tmp_path):
    path = tmp_path / "2023.csv"
    path.write_text("代码,增加值(亿元),,常住人口\n,第一产业,第二产业,单位：万人\n"
                    "130123,40.5,110.25,48.6\n", encoding="utf-8")
    got = read_file(path)
    assert got.layout == "per-year"
    # no catalogue: no conversion, values stay in the unit the header states
    assert values(got) == {("130123", 2023, "第一产业"): 40.5, ("130123", 2023, "第二产业"): 110.25,
                           ("130123", 2023, "常住人口"): 48.6}
    assert dict(zip(got.values.variable, got.values.unit, strict=True)) == {
        "第一产业": "亿元", "第二产业": "亿元", "常住人口": "万人"}
