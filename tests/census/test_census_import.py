"""The two raw census workbooks through the import path with their column mappings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from ronghe.ingest.mapping import list_mappings, load_mapping


def _province_rows(path, code_col: int, value_col: int) -> dict[str, float]:
    """Province rows of a raw workbook, read independently of ronghe (calamine cells)."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    out = {}
    for r in rows[1:]:
        if isinstance(r[code_col], float) and int(r[code_col]) % 10000 == 0:
            out[str(int(r[code_col]))[:2]] = float(r[value_col] or 0.0)
    return out


def test_builtin_mappings_listed():
    assert {"census-2010", "census-2020"} <= set(list_mappings())
    assert load_mapping("census-2020").year == 2020


@pytest.mark.parametrize("year, code_col, pop_col, urban_col",
                         [(2010, 1, 2, 9), (2020, 0, 4, 9)])
def test_totals_agree_with_province_rows(ingested, census_dir, year, code_col, pop_col, urban_col):
    """The report's province rows are the workbook's, and every province's difference between its
    row and its stored county-level units is accounted for by named code-less units."""
    report = ingested[year].report
    t = report.totals[report.totals["variable"] == "resident_pop"].set_index("province")
    t = t[t.index != ""]
    raw = _province_rows(census_dir / f"census_county_{year}_v1.xlsx", code_col, pop_col)
    assert len(t) == 31
    for prov, value in raw.items():
        assert t.at[prov, "province_row"] == value
    assert (t["remainder"].abs() < 1e-6).all(), t[t["remainder"] != 0]
    values = ingested[year].values
    pop = values[values["variable"] == "resident_pop"]
    # stored values (10^4 persons) add up to the county sums of the report (persons)
    assert pop["value"].sum() * 1e4 == pytest.approx(t["county_sum"].sum(), rel=1e-12)
    assert (t["county_sum"] + t["codeless_sum"]).sum() == pytest.approx(sum(raw.values()))


def test_2020_differences_named(ingested):
    t = ingested[2020].report.totals
    t = t[(t["variable"] == "resident_pop") & (t["province"] != "")].set_index("province")
    short = t[t["difference"] > 0]
    assert set(short.index) == {"14", "22", "32", "33", "34", "41", "42", "43", "54"}
    assert "温州经济技术开发区 249343" in t.at["33", "codeless_units"]
    # the nation row against the sum of the province rows
    nation = ingested[2020].report.totals.query("variable == 'resident_pop' and province == ''")
    assert nation["province_row"].iloc[0] == 1_409_778_724
    assert nation["difference"].iloc[0] == 0


def test_national_urbanisation_2020(ingested):
    """Urbanisation from the stored 2020 county-level units agrees with the province rows of the
    workbook (63.84 %) to 0.1 pp."""
    v = ingested[2020].values
    by = v.groupby("variable", observed=True)["value"].sum()
    rate = by["urban_resident_pop"] / by["resident_pop"] * 100
    assert rate == pytest.approx(63.84, abs=0.1)
    t = ingested[2020].report.totals
    prov = t[t["province"] != ""].pivot(index="province", columns="variable", values="province_row")
    assert prov["urban_resident_pop"].sum() / prov["resident_pop"].sum() * 100 == pytest.approx(
        63.84, abs=0.005)


def test_national_urbanisation_2010(ingested):
    """2010: the province rows give 50.27 % (NBS published 49.68 % on a national total that also
    counts servicemen and people of undetermined registration, who are in no province row)."""
    v = ingested[2010].values
    by = v.groupby("variable", observed=True)["value"].sum()
    t = ingested[2010].report.totals
    prov = t.pivot(index="province", columns="variable", values="province_row")
    published = prov["urban_resident_pop"].sum() / prov["resident_pop"].sum() * 100
    assert published == pytest.approx(50.27, abs=0.005)
    assert by["urban_resident_pop"] / by["resident_pop"] * 100 == pytest.approx(published, abs=0.1)


def test_hierarchy_rows_not_stored(ingested):
    for year, got in ingested.items():
        codes = set(got.values["region"].astype(str))
        assert not any(c.endswith("0000") for c in codes)
        county_equivalents = {"441900", "442000", "620200"} | (
            {"460300", "460400"} if year == 2020 else {"460200"})
        assert county_equivalents <= codes
        assert {c for c in codes if c.endswith("00")} == county_equivalents
    assert {"110103", "110104"} <= set(ingested[2010].values["region"].astype(str))


def test_blank_rule(ingested):
    """乡村人口 of a fully urban 2010 district is blank: read as zero (blank: zero), while a blank
    cell of a column without that rule is missing."""
    v = ingested[2010].values
    rural = v[(v["variable"] == "rural_resident_pop") & (v["region"] == "110101")]["value"]
    assert rural.tolist() == [0.0]
    miss = ingested[2020].report.missing
    assert not miss.empty and (miss["raw"] == "NA").all()


def test_names_with_spaces_and_codeless_units(ingested):
    units = ingested[2010].units
    assert units.at["110103", "name_zh"] == "崇文区"  # '  崇文区' in the workbook
    t = ingested[2010].report.totals.set_index(["variable", "province"])
    assert "加格达奇 154359" in t.loc[("resident_pop", "23"), "codeless_units"]
    warn = ingested[2010].report.warnings
    assert warn["raw"].str.contains("bbs").any()  # a line of text at the end is skipped, and said


def test_misplaced_code_counted_under_its_province(ingested):
    warn = ingested[2020].report.warnings
    assert warn["raw"].eq("170971").any()
    t = ingested[2020].report.totals.set_index(["variable", "province"])
    assert t.loc[("resident_pop", "14"), "remainder"] == 0


def test_report_written_with_totals(ingested, tmp_path):
    report = ingested[2020].report + ingested[2010].report
    path = report.write(tmp_path / "report.xlsx")
    totals = pd.read_excel(path, sheet_name="totals", engine="calamine")
    assert len(totals) == len(report.totals) == 3 * 31 * 2 + 3
    report.write(tmp_path / "report.csv")
    assert (tmp_path / "report-totals.csv").is_file()
    assert any("温州经济技术开发区" in line for line in report.totals_lines())


def test_values_finite_and_in_catalogue_units(ingested):
    for got in ingested.values():
        assert np.isfinite(got.values["value"]).all()
        assert got.report.count("error") == 0
        pop = got.values[got.values["variable"] == "resident_pop"]
        assert set(pop["unit"].astype(str)) == {"10^4 persons"}
