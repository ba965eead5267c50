"""The shipped census panel (datasets.census_counties) and the census framework on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ronghe import datasets
from ronghe.frameworks import load_framework
from ronghe.study import Study


@pytest.fixture(scope="module")
def raw():
    return datasets.census_raw()


def test_shipped_panel_is_what_the_import_path_reads(raw, ingested):
    """The Parquet in the package equals the values the mappings read from the raw workbooks."""
    for year, got in ingested.items():
        v = got.values.astype({"region": str, "variable": str})
        wide = v.pivot(index="region", columns="variable", values="value")
        shipped = raw.data.xs(year, level="year")[wide.columns].reindex(wide.index)
        pd.testing.assert_frame_equal(shipped, wide, check_names=False, check_dtype=False)


def test_source_and_licence(raw):
    assert "MIT" in raw.source and not raw.synthetic
    assert "Lei Dong" in datasets.census_licence()
    assert raw.units["resident_pop"] == "10^4 persons"


def test_census_framework_covers_three_pillars_and_says_so():
    fw = load_framework("census")
    assert [d.id for d in fw.dimensions] == ["P1", "P2", "P3"]
    assert "P4" in fw.info.description_en and "O1" in fw.info.description_en
    assert "收入" in fw.info.description_zh
    raw_vars = fw.raw_variables()
    panel = datasets.census_raw()
    assert raw_vars <= set(panel.variables)


def test_indicators_by_hand(raw):
    """Indicators of one county computed by the framework's formulas, against the workbook's own
    numbers for 东城区 110101 in 2010 (573,180 residents, all urban)."""
    fw = load_framework("census")
    values = fw.compute(raw.data.loc[[("110101", 2010)]])
    row = values.iloc[0]
    assert row["resident_urbanisation"] == pytest.approx(100.0)
    d = raw.data.loc[("110101", 2010)]
    assert d["resident_pop"] == pytest.approx(57.318)
    assert row["piped_water_share"] == pytest.approx(
        d["households_piped_water"] / d["households_sample"] * 100)


def test_clean_real_panel_evaluates_and_writes(tmp_path, raw):
    """A real panel with nothing to impute and outlier treatment off evaluates and writes its
    workbook (the treatment table is then empty)."""
    fw = load_framework("census")
    data = raw.data
    both = data.groupby(level="region").size()
    beijing = [c for c in both.index[both == 2] if c.startswith(("11", "12"))]
    panel = raw.select(regions=beijing)
    assert np.isfinite(fw.compute(panel.data).to_numpy()).all()
    res = Study(panel, fw, {"treatment": {"outliers": "none"}}).evaluate()
    assert res.treatment.empty
    path = res.to_excel(tmp_path / "census.xlsx")
    assert path.is_file()
