"""`ronghe import --mapping` on the raw census workbooks, and the census demo study."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe.cli import app
from ronghe.demo import census_demo_panel

runner = CliRunner()


def test_import_with_builtin_mappings_stores_both_censuses(census_dir, tmp_path):
    db = tmp_path / "census.duckdb"
    report = tmp_path / "check.xlsx"
    result = runner.invoke(app, [
        "import", str(census_dir / "census_county_2010_v1.xlsx"),
        str(census_dir / "census_county_2020_v1.xlsx"), "--mapping", "census-2010",
        "--mapping", "census-2020", "--db", str(db), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "已导入 imported" in result.output
    assert "校核 check: resident_pop 33 浙江省" in result.output
    totals = pd.read_excel(report, sheet_name="totals", engine="calamine")
    assert set(totals["变量"]) == {"resident_pop", "urban_resident_pop", "rural_resident_pop"}
    from ronghe.store import Store

    panel = Store(db).panel(variables=["resident_pop", "urban_resident_pop"])
    y2020 = panel.data.xs(2020, level="year").sum()
    assert y2020["urban_resident_pop"] / y2020["resident_pop"] * 100 == pytest.approx(63.84,
                                                                                     abs=0.1)
    assert ("110103", 2010) in panel.data.index  # 崇文区, a 2010 code


def test_mapping_count_must_fit(census_dir, tmp_path):
    f = str(census_dir / "census_county_2010_v1.xlsx")
    result = runner.invoke(app, ["import", f, f, f, "--mapping", "census-2010", "--mapping",
                                 "census-2020", "--db", str(tmp_path / "x.duckdb"), "--dry-run"])
    assert result.exit_code == 1
    assert "one mapping for all files or one per file" in result.output


def test_census_demo_panel_is_real_and_balanced():
    panel = census_demo_panel()
    assert not panel.synthetic and "leiii/census" in panel.source
    sizes = panel.data.groupby(level="region").size()
    assert (sizes == 2).all() and len(sizes) > 2700
    assert panel.years == [2010, 2020]
