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
    assert len(datasets.census_data_hash()) == 64
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


def test_harmonisation_preserves_totals_and_accounts_for_every_2010_code(raw):
    """On the 2023 codes: every count variable's national total of each year equals the raw one,
    every 2010 code is led to a 2023 unit by the crosswalk, and a share merged by population equals
    the population-weighted mean of its members."""
    import warnings

    from ronghe.ingest.catalogue import builtin_catalogue
    from ronghe.regions.crosswalk import unexplained
    from ronghe.regions.harmonize import unit_map

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        harmonised = datasets.census_counties()
    cat = builtin_catalogue()
    sums = [v for v in raw.variables if cat.at[v, "merge"] == "sum"]
    for year in (2010, 2020):
        before = raw.data.xs(year, level="year")[sums].sum()
        after = harmonised.data.xs(year, level="year")[sums].sum()
        pd.testing.assert_series_equal(after, before, rtol=1e-12)
    codes_2010 = sorted(raw.data.xs(2010, level="year").index)
    assert unexplained(codes_2010, 2010, 2023) == []
    m = unit_map({2010: codes_2010}, 2023)
    assert (m["kind"] != "unknown").all()
    # 崇文区 110103 and 东城区 110101 (2010) are one unit, 东城区, on the 2023 codes
    unit = m.set_index("code").at["110103", "unit"]
    assert unit == m.set_index("code").at["110101", "unit"]
    d10 = raw.data.xs(2010, level="year")
    members = m[m["unit"] == unit]["code"]
    w = d10.loc[members, "resident_pop"]
    expected = (d10.loc[members, "aged65_share"] * w).sum() / w.sum()
    assert harmonised.data.loc[(unit, 2010), "aged65_share"] == pytest.approx(expected)
    assert harmonised.data.loc[(unit, 2010), "resident_pop"] == pytest.approx(w.sum())


def test_shipped_2023_panel_is_the_harmonised_raw_panel():
    """census_counties() loads the panel harmonised by scripts/census_panel.py; harmonising the raw
    mapped values again gives exactly that panel (data, regions, units, source and warnings)."""
    import warnings

    from ronghe.datasets.census import _shipped_frames, harmonised_frames
    from ronghe.errors import RongheWarning
    from ronghe.ingest.catalogue import builtin_catalogue
    from ronghe.regions.harmonize import harmonize

    data, regions, said = harmonised_frames(2023)
    shipped_data, shipped_regions, shipped_said = _shipped_frames()
    pd.testing.assert_frame_equal(shipped_data, data, check_exact=True)
    pd.testing.assert_frame_equal(shipped_regions, regions, check_exact=True)
    assert shipped_said == said and len(said) == 1 and "130171" in said[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fresh = harmonize(datasets.census_raw(), 2023, builtin_catalogue())
    with pytest.warns(RongheWarning, match="130171"):
        loaded = datasets.census_counties()
    pd.testing.assert_frame_equal(loaded.data, fresh.data, check_exact=True)
    pd.testing.assert_frame_equal(loaded.regions, fresh.regions, check_exact=True)
    assert loaded.units == fresh.units and list(loaded.units) == list(fresh.units)
    assert loaded.synthetic == fresh.synthetic and loaded.shipped and fresh.shipped
    # each names the file it was read from by its hash prefix, and the code vintage
    from ronghe.datasets.census import data_hash

    assert f"census_counties_2023.parquet sha256 {datasets.census_data_hash()[:16]}" in loaded.source
    assert f"census_counties.parquet sha256 {data_hash(raw=True)[:16]}" in fresh.source
    for source in (loaded.source, fresh.source):
        assert "区划代码统一到 2023 年" in source and "codes harmonised to 2023" in source
