"""ronghe.analysis.disparity on a synthetic county panel and on the provincial panel.

Oracles: the decomposition identities (G = Gw + Gnb + Gt, Theil total = within + between), the
O(n²) mean-difference Gini and within-group Gini written out here, PyPI ``inequality`` (Theil T),
NumPy (CV), statsmodels OLS (absolute β), and the NBS macro-region membership of the provinces.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe import analysis
from ronghe.errors import InputError, MethodError, RongheWarning


def _naive_gini(y: np.ndarray) -> float:
    return float(np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean()))


def _year_values(result, variable: str, year: int) -> np.ndarray:
    s = analysis.variable_values(result, variable).xs(year, level="year")
    return s.sort_index().to_numpy()


@pytest.fixture(scope="module")
def small(small_result):
    return analysis.disparity(small_result)


@pytest.fixture(scope="module")
def provinces(province_result):
    return analysis.disparity(province_result)


@pytest.mark.parametrize("which", ["small", "provinces"])
def test_dagum_identity_every_year(which, request):
    res = request.getfixturevalue(which)
    d = res.dagum
    np.testing.assert_allclose(d["G"], d["Gw"] + d["Gnb"] + d["Gt"], rtol=1e-12)
    np.testing.assert_allclose(d["share_Gw"] + d["share_Gnb"] + d["share_Gt"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(d["Gb"], d["Gnb"] + d["Gt"], rtol=1e-12)


@pytest.mark.parametrize("which", ["small", "provinces"])
def test_theil_identity_every_year(which, request):
    t = request.getfixturevalue(which).theil
    np.testing.assert_allclose(t["total"], t["within"] + t["between"], rtol=1e-12)
    assert sorted(t["kind"].unique()) == ["L", "T"]


def test_gini_against_naive_form(province_result, provinces):
    for year in (2013, 2023):
        y = _year_values(province_result, "index", year)
        row = provinces.dagum.set_index("year").loc[year]
        assert row["G"] == pytest.approx(_naive_gini(y), rel=1e-12)
        assert provinces.dispersion.set_index("year").loc[year, "gini"] == pytest.approx(
            _naive_gini(y), rel=1e-12
        )


def test_within_group_gini_against_naive_form(province_result, provinces):
    values = analysis.variable_values(province_result, "index").xs(2020, level="year")
    east = values[
        [
            c[:2] in {"11", "12", "13", "31", "32", "33", "35", "37", "44", "46"}
            for c in values.index
        ]
    ].to_numpy()
    assert east.size == 10
    within = provinces.dagum_within.set_index(["year", "group"])
    assert within.loc[(2020, "east"), "n"] == 10
    assert within.loc[(2020, "east"), "G_jj"] == pytest.approx(_naive_gini(east), rel=1e-12)
    assert within.loc[(2020, "east"), "group_zh"] == "东部"


def test_macro_groups_of_provinces(provinces):
    sizes = provinces.dagum_within.query("year == 2023").set_index("group")["n"].to_dict()
    assert sizes == {"east": 10, "central": 6, "west": 12, "northeast": 3}
    pairs = provinces.dagum_between.query("year == 2023")
    assert len(pairs) == 6  # 4 groups: 4·3/2 pairs


def test_two_macro_regions_of_small_panel(small):
    assert set(small.dagum_within["group"]) == {"east", "central"}
    assert len(small.dagum_between) == small.dagum["year"].nunique()


def test_theil_t_against_inequality_package(province_result, provinces):
    from inequality.theil import Theil

    y = _year_values(province_result, "index", 2018)
    row = provinces.theil.query("year == 2018 and kind == 'T'").iloc[0]
    assert row["total"] == pytest.approx(float(Theil(y).T), rel=1e-9)


def test_cv_and_sigma_by_hand(province_result, provinces):
    y = _year_values(province_result, "index", 2016)
    row = provinces.dispersion.set_index("year").loc[2016]
    assert row["cv"] == pytest.approx(y.std() / y.mean(), rel=1e-12)  # ddof = 0
    assert row["sigma"] == pytest.approx(np.log(y).std(), rel=1e-12)
    assert row["n"] == 31


def test_absolute_beta_against_statsmodels(province_result, provinces):
    wide = analysis.variable_values(province_result, "index").unstack("year").sort_index()
    growth = (np.log(wide[2023]) - np.log(wide[2013])) / 10
    fit = sm.OLS(growth.to_numpy(), sm.add_constant(np.log(wide[2013].to_numpy()))).fit()
    row = provinces.beta.set_index("kind").loc["absolute"]
    assert row["beta"] == pytest.approx(fit.params[1], rel=1e-9)
    assert row["std_error"] == pytest.approx(fit.bse[1], rel=1e-9)
    speed = -math.log(1 + 10 * fit.params[1]) / 10
    assert row["speed"] == pytest.approx(speed, rel=1e-9)
    assert row["half_life"] == pytest.approx(math.log(2) / speed, rel=1e-9)


def test_conditional_beta_is_two_way_fixed_effects(province_result, provinces):
    wide = analysis.variable_values(province_result, "index").unstack("year").sort_index()
    logs = np.log(wide.to_numpy())
    growth, level = np.diff(logs, axis=1), logs[:, :-1]

    def demean(a):
        return a - a.mean(1, keepdims=True) - a.mean(0, keepdims=True) + a.mean()

    fit = sm.OLS(demean(growth).ravel(), demean(level).ravel()).fit()
    row = provinces.beta.set_index("kind").loc["conditional"]
    assert row["beta"] == pytest.approx(fit.params[0], rel=1e-9)
    assert row["n_obs"] == 31 * 10
    assert bool(row["fixed_effects"])


def test_conditional_beta_with_a_control(province_result):
    res = analysis.disparity(province_result, controls=["urbanization_rate"])
    row = res.beta.set_index("kind").loc["conditional"]
    assert row["controls"] == "urbanization_rate"
    assert np.isfinite(row["beta"])


def test_province_grouping_puts_everything_between(province_result):
    res = analysis.disparity(province_result, "gdp_per_capita", groups="province")
    np.testing.assert_allclose(res.theil["within"], 0.0, atol=1e-15)
    np.testing.assert_allclose(res.dagum["Gw"], 0.0, atol=1e-15)


def test_indicator_with_an_empty_year_is_warned_and_negative_values_refused(province_result):
    with (
        pytest.warns(RongheWarning, match="1 year"),
        pytest.raises(MethodError, match="gdp_growth"),
    ):
        analysis.disparity(province_result, "gdp_growth")


def test_unknown_variable_and_grouping(province_result):
    with pytest.raises(InputError, match="unknown variable"):
        analysis.disparity(province_result, "nope")
    with pytest.raises(InputError, match="unknown grouping"):
        analysis.disparity(province_result, groups="continent")
    with pytest.raises(InputError, match="one label per region"):
        analysis.disparity(province_result, groups=["a", "b"])


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from("abc"), min_size=31, max_size=31))
def test_any_grouping_keeps_the_identities_and_the_total(province_result, provinces, labels):
    res = analysis.disparity(province_result, groups=labels)
    d = res.dagum
    np.testing.assert_allclose(d["G"], d["Gw"] + d["Gnb"] + d["Gt"], rtol=1e-12)
    np.testing.assert_allclose(d["G"], provinces.dagum["G"], rtol=1e-12)  # G ignores the groups
    t = res.theil
    np.testing.assert_allclose(t["total"], t["within"] + t["between"], rtol=1e-12)
    assert (t["between"] >= -1e-15).all()


def test_grouping_by_mapping_equals_grouping_by_sequence(province_result):
    codes = analysis.regions(province_result)
    labels = ["north" if int(c[:2]) < 40 else "south" for c in codes]
    by_seq = analysis.disparity(province_result, groups=labels)
    by_map = analysis.disparity(province_result, groups=dict(zip(codes, labels, strict=True)))
    np.testing.assert_allclose(by_seq.dagum["Gnb"], by_map.dagum["Gnb"], rtol=1e-15)


def test_tables_and_notes(small, disparity_sheets):
    tables = small.tables()
    assert list(tables) == disparity_sheets
    assert all(len(name) <= 31 for name in tables)  # Excel sheet-name limit
    assert "Dagum" in small.notes()[0][1]


def test_raw_indicator_with_missing_cells_uses_complete_cases(small_result):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = analysis.disparity(small_result, "farm_labour_productivity")
    assert any("missing year" in str(w.message) for w in caught)
    n = res.dispersion["n"].iloc[0]
    assert (res.dispersion["n"] == n).all() and n < 284
