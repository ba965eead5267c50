"""A plain yearbook of 2010 (no column mapping) with codes or names retired since: accepted by the
store's default division list, and a name shared with a code in use still means that code."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ronghe.cli import app
from ronghe.errors import InputError
from ronghe.ingest.match import RegionMatcher
from ronghe.regions.divisions import divisions

runner = CliRunner()


@pytest.fixture(scope="module")
def matcher():
    return RegionMatcher(divisions(history=True))


def test_name_prefers_the_code_in_use(matcher):
    # 东城区 is 110101 (Beijing, in use) and 510102 (Chengdu, retired 1990)
    assert matcher.by_name("东城区", None) == "110101"
    assert matcher.by_name("西城区", None) == "110102"
    assert matcher.by_name("崇文区", None) == "110103"  # retired 2010, the only 崇文区
    assert matcher.by_code("110104") == "110104"  # 宣武区
    with pytest.raises(InputError, match="ambiguous"):  # two 通州区 in use (Beijing, Nantong)
        matcher.by_name("通州区", None)
    assert matcher.by_name("通州区", "32") == "320612"


def test_name_held_only_by_retired_codes_means_the_last_retired():
    regions = divisions(history=True).loc[["110103", "110104"]].copy()
    regions["name_zh"] = "旧区"
    regions.loc["110104", "valid_to"] = 2005
    assert RegionMatcher(regions).by_name("旧区", None) == "110103"


@pytest.mark.parametrize("header,cells", [
    ("region", ["110101", "110103", "110104", "110102"]),
    ("地区", ["东城区", "崇文区", "宣武区", "西城区"]),
])
def test_plain_2010_yearbook_imports_into_a_default_store(tmp_path, header, cells):
    db = tmp_path / "plain.duckdb"
    assert runner.invoke(app, ["db", "init", "--db", str(db)]).exit_code == 0
    table = tmp_path / "plain2010.csv"
    pops = [91.9, 30.7, 53.4, 124.3]
    table.write_text(f"{header},year,resident_pop\n" + "".join(
        f"{c},2010,{p}\n" for c, p in zip(cells, pops, strict=True)), encoding="utf-8")
    result = runner.invoke(app, ["import", str(table), "--db", str(db)])
    assert result.exit_code == 0, result.output
    from ronghe.store import Store

    data = Store(db).panel(variables=["resident_pop"]).data.xs(2010, level="year")
    assert data["resident_pop"].to_dict() == dict(
        zip(["110101", "110103", "110104", "110102"], pops, strict=True))
