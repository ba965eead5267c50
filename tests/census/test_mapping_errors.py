"""Column mappings on small hand-made tables: the rules, and one-line errors for bad mappings."""

from __future__ import annotations

import pandas as pd
import pytest

from ronghe.errors import InputError
from ronghe.ingest import catalogue_frame, read_file
from ronghe.ingest.mapping import load_mapping
from ronghe.ingest.match import normalise_name

CAT = catalogue_frame([
    {"id": "pop", "name_zh": "人口", "unit": "10^4 persons", "merge": "sum"},
    {"id": "rural", "name_zh": "乡村", "unit": "persons", "merge": "sum"},
    {"id": "share", "name_zh": "比重", "unit": "%", "merge": "popweighted"},
])
MAPPING = """
mapping: {id: toy}
year: 2020
code: 代码
name: 地区
totals: [pop]
columns:
  - {header: 总人口, variable: pop, unit: 人}
  - {header: [乡村男, 乡村女], variable: rural, blank: zero}
  - {header: "比重\\n(%)", variable: share, unit: '%'}
"""
ROWS = [
    ["地区", "代码", "总人口", "乡村男", "乡村女", "比重(%)"],
    ["甲省", 130000, 1000, 30, 30, 5.0],
    ["乙市", 130100, 900, 30, 30, 5.0],
    ["  一区①", 130102, 500, None, None, None],
    ["  二县", 130121, 400, 10, 20, 7.5],
    ["丙市", 130200, 60, None, None, 1.0],
    ["开发区", "NA", 40, None, None, None],
]


def _write(tmp_path, rows, mapping=MAPPING):
    x = tmp_path / "t.xlsx"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(x, index=False)
    m = tmp_path / "m.yaml"
    m.write_text(mapping, encoding="utf-8")
    return x, m


def test_toy_table(tmp_path):
    x, m = _write(tmp_path, ROWS)
    got = read_file(x, catalogue=CAT, mapping=m)
    v = got.values.pivot_table(index="region", columns="variable", values="value",
                               observed=True)
    assert sorted(v.index) == ["130102", "130121", "130200"]  # 130200: no county below it
    assert v.at["130102", "pop"] == pytest.approx(0.05)  # 500 persons in 10^4 persons
    assert v.at["130102", "rural"] == 0  # blank: zero, summed over two headers
    assert v.at["130121", "rural"] == 30
    assert pd.isna(v.at["130102", "share"])  # blank without the zero rule: missing
    assert got.units.at["130102", "name_zh"] == "一区"
    t = got.report.totals.set_index("province")
    assert t.at["13", "province_row"] == 1000
    assert t.at["13", "county_sum"] == 960
    assert t.at["13", "codeless_units"] == "开发区 40"
    assert t.at["13", "remainder"] == 0


def test_footnote_mark_is_not_part_of_a_name():
    """Regression: NFKC ran before the footnote marks were stripped, so '一区①' became '一区1'."""
    assert normalise_name("  一区①") == "一区"
    assert normalise_name("二县*") == "二县"


def test_header_missing_is_named(tmp_path):
    x, m = _write(tmp_path, ROWS, MAPPING.replace("总人口", "人口总数"))
    with pytest.raises(InputError, match=r"t\.xlsx.*row 1.*'人口总数' is not in the header"):
        read_file(x, catalogue=CAT, mapping=m)


def test_unknown_variable_and_bad_blank(tmp_path):
    x, m = _write(tmp_path, ROWS, MAPPING.replace("variable: pop", "variable: people"))
    with pytest.raises(InputError, match="'people' is not in the catalogue"):
        read_file(x, catalogue=CAT, mapping=m)
    _, m = _write(tmp_path, ROWS, MAPPING.replace("blank: zero", "blank: nil"))
    with pytest.raises(InputError, match=r"m\.yaml.*columns\[1\]\.blank"):
        load_mapping(m)


def test_text_in_a_cell_is_a_cell_error(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[4][2] = "四百"
    x, m = _write(tmp_path, rows)
    got = read_file(x, catalogue=CAT, mapping=m)
    err = got.report.errors
    assert err[["row", "column"]].values.tolist() == [[5, "C"]]
    assert "130121" not in set(got.values.query("variable == 'pop'")["region"].astype(str))


def test_unknown_code_is_stored_with_a_warning(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[5][1] = 139900  # no such prefecture in any division list
    x, m = _write(tmp_path, rows)
    regions = pd.DataFrame({"name_zh": ["一区", "二县"], "province": ["13", "13"]},
                           index=["130102", "130121"])
    got = read_file(x, catalogue=CAT, mapping=m, regions=regions)
    warn = got.report.warnings
    assert warn[warn["raw"] == "139900"]["row"].tolist() == [6]
    assert warn[warn["raw"] == "139900"]["reason"].str.contains("not in the division lists").all()
    assert "139900" in set(got.values["region"].astype(str))
    # 130200 (唐山市) was in use in 2020: known through the division history, no warning
    assert not warn["raw"].eq("130200").any()


def test_bad_code_is_an_error(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[4][1] = "13012"
    x, m = _write(tmp_path, rows)
    with pytest.raises(InputError, match=r"row 5, column '代码': region code must have 6"):
        read_file(x, catalogue=CAT, mapping=m)


def test_name_disagreeing_with_division_list_warns(tmp_path):
    x, m = _write(tmp_path, ROWS[:5])
    regions = pd.DataFrame({"name_zh": ["一区", "三县"], "province": ["13", "13"]},
                           index=["130102", "130121"])
    got = read_file(x, catalogue=CAT, mapping=m, regions=regions)
    warn = got.report.warnings
    assert warn["reason"].str.contains("130121 is 三县 / 井陉县 in the division list.*names it "
                                       "二县").any()
