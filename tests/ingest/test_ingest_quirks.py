"""Issue 13, findings 4 and 9: input that was misread or accepted silently now errs or warns."""

from __future__ import annotations

import pandas as pd
import pytest
from xlsx_parts import table_xml, write_xlsx

from ronghe.errors import InputError
from ronghe.ingest import read_file

REGIONS = pd.DataFrame(
    {"name_zh": ["浙江省", "上城区", "拱墅区", "大厂回族自治县"], "province": ["33", "33", "33", "13"],
     "level": ["province", "county", "county", "county"]},
    index=pd.Index(["330000", "330102", "330105", "131028"], name="code"))


def test_csv_row_longer_than_its_header_is_an_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,year,gdp\n330105,2022,10\n330102,2022,12,345,678\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_file(path, regions=REGIONS)
    assert str(err.value) == ("p.csv, row 3: the row has 5 cells but the header has 3: a separator "
                              "too many, or a value without a heading / 该行单元格多于表头 "
                              "(value '330102,2022,12,345,678')")


def test_csv_trailing_empty_cells_are_fine(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,year,gdp\n330102,2022,12,,\n", encoding="utf-8")
    got = read_file(path, regions=REGIONS)
    assert got.values["value"].tolist() == [12.0]


def test_hidden_sheets_are_skipped_with_a_warning(tmp_path):
    table = table_xml([["代码", "gdp"], ["330102", 1.5]])
    path = write_xlsx(tmp_path / "h.xlsx", {"2020": table, "2021": table, "2022": table},
                      states={"2021": "hidden", "2022": "veryHidden"})
    got = read_file(path, regions=REGIONS)
    assert got.values["year"].tolist() == [2020]
    assert [w for w in got.report.lines(lang="en") if "hidden" in w] == [
        "warning: h.xlsx, sheet '2021': hidden sheet skipped (unhide it to import it) / 隐藏工作表已跳过",
        "warning: h.xlsx, sheet '2022': very hidden sheet skipped (unhide it to import it) / "
        "隐藏工作表已跳过",
    ]


def test_code_and_name_that_disagree_warn_naming_both(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("代码,地区,year,gdp\n330102,拱墅区,2020,1\n330105,拱墅,2020,2\n"
                    "131028,大厂,2020,3\n", encoding="utf-8")
    got = read_file(path, regions=REGIONS)
    assert got.values["region"].tolist() == ["330102", "330105", "131028"]
    (warning,) = got.report.warnings["reason"]
    assert warning == ("code 330102 is '上城区' in the division list, the row says '拱墅区'; stored "
                       "under the code / 代码与名称不符，按代码存储")
    assert got.report.warnings["row"].tolist() == [2]


@pytest.mark.parametrize("name", ["上城区①", "上城区⑴", "上城区 ⒈", "上城区❶", "上城区*"])
def test_footnoted_region_names_match(tmp_path, name):
    path = tmp_path / "f.csv"
    path.write_text(f"地区,year,gdp\n{name},2020,1\n", encoding="utf-8")
    assert read_file(path, regions=REGIONS).values["region"].tolist() == ["330102"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_csv_with_bom_is_decoded(tmp_path, encoding):
    text = "代码,地区,year,gdp\n330102,上城区,2020,1.5\n"
    data = text.encode(encoding)
    if encoding.endswith(("-le", "-be")):
        data = "\ufeff".encode(encoding) + data
    path = tmp_path / "u.csv"
    path.write_bytes(data)
    assert read_file(path, regions=REGIONS).values["value"].tolist() == [1.5]


def test_utf16_without_bom_names_the_likely_cause(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("code,year\n".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"^u\.csv: binary data .*UTF-16 without a BOM"):
        read_file(path)
