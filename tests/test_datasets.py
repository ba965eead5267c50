"""Datasets: the synthetic county panel and the real provincial panel."""

from __future__ import annotations

import csv
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.datasets import provinces, provinces_sources, synthetic_counties
from ronghe.errors import InputError
from ronghe.frameworks import list_frameworks, load_framework
from ronghe.regions import divisions

YEARS = range(2004, 2024)


@pytest.fixture(scope="module")
def full():
    return synthetic_counties(seed=0)


@pytest.fixture(scope="module")
def clean():
    return synthetic_counties(seed=0, missing_rate=0.0, n_outliers=0)


def test_covers_every_county_year_and_every_raw_variable(full):
    synthetic_frameworks = [n for n in list_frameworks() if n != "census"]  # census: real panel
    needed = set().union(*(load_framework(n).raw_variables() for n in synthetic_frameworks))
    assert set(full.variables) == needed
    assert set(full.units) == needed
    counties = divisions("county")
    assert full.region_codes == sorted(counties.index) and len(full.region_codes) == 2844
    assert full.years == list(YEARS) and len(full.data) == 2844 * 20
    assert full.regions.loc["110101", "name_zh"] == "东城区"
    assert full.regions.loc["130102", "province"] == "13"
    assert full.synthetic and "synthetic" in full.source
    for name in synthetic_frameworks:
        assert load_framework(name).missing(full.variables) == []


def test_deterministic_for_a_seed(full):
    again = synthetic_counties(seed=0)
    pd.testing.assert_frame_equal(full.data, again.data)
    other = synthetic_counties(seed=1)
    assert not np.allclose(full.data.fillna(0).to_numpy(), other.data.fillna(0).to_numpy())


def test_missing_share_and_runs(full):
    miss = full.data.isna()
    assert abs(miss.to_numpy().mean() - 0.03) < 0.005
    # some (county, variable) pairs miss three or more consecutive years
    cube = miss.to_numpy().reshape(2844, 20, -1)
    run3 = cube[:, :-2] & cube[:, 1:-1] & cube[:, 2:]
    assert run3.any(axis=1).sum() > 100


def test_outliers_and_missing_do_not_move_other_cells(full, clean):
    no_outliers = synthetic_counties(seed=0, n_outliers=0).data.to_numpy()
    a = full.data.to_numpy()
    differs = ~np.isclose(a, no_outliers, equal_nan=True)
    assert differs.sum() == 12
    np.testing.assert_allclose(a[differs] / no_outliers[differs], 10.0)
    both = ~np.isnan(no_outliers)
    np.testing.assert_array_equal(no_outliers[both], clean.data.to_numpy()[both])


def test_realistic_ranges_and_trends(clean):
    d = clean.data
    assert np.isfinite(d.to_numpy()).all() and (d.to_numpy() >= 0).all()
    pct = [v for v, u in clean.units.items() if u == "%"]
    assert len(pct) >= 9 and (d[pct].to_numpy() <= 100).all()
    seed = load_framework("seed").compute(d)
    by_year = seed.groupby(level="year").mean()
    assert by_year.loc[2004, "income_ratio"] == pytest.approx(2.8, abs=0.05)
    assert by_year.loc[2023, "income_ratio"] == pytest.approx(2.3, abs=0.05)
    assert by_year["income_ratio"].is_monotonic_decreasing
    assert d.groupby(level="year")["rural_income"].mean().is_monotonic_increasing
    assert 25 < by_year.loc[2004, "resident_urbanisation"] < 45
    assert 50 < by_year.loc[2023, "resident_urbanisation"] < 70
    assert 0.1 < by_year.loc[2023, "dual_productivity_ratio"] < 0.6
    assert by_year.loc[2023, "land_pop_elasticity"] == pytest.approx(1.3, abs=0.1)
    # lag-based indicators are undefined only in the first year
    assert seed.loc[(slice(None), 2004), "rural_catchup"].isna().all()
    assert np.isfinite(seed.drop(index=2004, level="year").to_numpy()).all()
    # regional gradient: eastern counties richer than western ones
    prov = clean.regions["province"].reindex(d.index.get_level_values("region")).to_numpy()
    income = d["urban_income"].to_numpy()
    assert income[np.isin(prov, ["32", "33"])].mean() > income[np.isin(prov, ["62", "63"])].mean()


def test_province_filter_and_bad_arguments(full):
    sub = synthetic_counties(seed=0, provinces=["11", "52"])
    assert set(sub.regions["province"]) == {"11", "52"}
    pd.testing.assert_frame_equal(sub.data, full.data.loc[sub.region_codes])
    with pytest.raises(InputError, match="unknown province code '99'"):
        synthetic_counties(provinces=["99"])
    with pytest.raises(InputError):
        synthetic_counties(years=[])
    with pytest.raises(InputError):
        synthetic_counties(missing_rate=0.9)


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.1))
def test_missing_share_property(seed, rate):
    panel = synthetic_counties(seed=seed, years=range(2015, 2024), missing_rate=rate,
                               n_outliers=0)
    share = panel.data.isna().to_numpy().mean()
    assert abs(share - rate) < 0.1 * rate + 0.002
    values = panel.data.to_numpy()
    assert (values[~np.isnan(values)] >= 0).all()


# ------------------------------------------------------------------ real provincial panel
def _csv_rows() -> list[dict[str, str]]:
    path = files("ronghe.datasets") / "data" / "provinces" / "provpanel_long.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_provinces_panel_matches_the_csv():
    panel = provinces()
    rows = _csv_rows()
    assert len(rows) == 1920 and not panel.synthetic
    long = panel.data.stack().rename("value")
    for row in rows:
        got = long[(row["province_code"] + "0000", int(row["year"]), row["indicator"])]
        assert got == float(row["value"])
    assert panel.data.notna().sum().sum() == len(rows)


def test_provinces_spot_values_and_metadata():
    panel = provinces()
    d = panel.data
    assert d.loc[("110000", 2013), "gdp"] == 21746.0  # Beijing 2013, 100 million yuan
    assert d.loc[("110000", 2015), "gdp"] == 26034.1
    assert len(panel.region_codes) == 31 and panel.years == list(range(2013, 2024))
    assert panel.regions.loc["440000", "name_zh"] == "广东省"
    assert panel.regions.loc["440000", "province"] == "44"
    assert set(panel.regions.index) == set(divisions("province").index)
    complete = ["resident_population", "urban_population", "rural_population",
                "urbanization_rate", "gdp"]
    assert d[complete].notna().all().all()
    assert d["urban_disposable_income"].xs(2016, level="year").notna().sum() == 28
    assert panel.units["gdp"] == "100 million yuan"
    # the old-basis table is not shipped
    assert not any("oldbasis" in v for v in panel.variables)


def test_provinces_sources():
    src = provinces_sources()
    assert len(src) == 1920 and src["source"].str.len().gt(0).all()
    assert src.loc[("110000", 2013, "gdp"), "source"].startswith("github:RenJiyi163")
