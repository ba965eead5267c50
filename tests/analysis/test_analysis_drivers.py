"""ronghe.analysis.drivers on a synthetic county panel and on the provincial panel.

Oracles: factor_detector / interaction_detector recomputed on strata rebuilt from the reported class
bounds, PyPI ``geodetector`` for q, scipy's Welch t-test for the risk detector, and the identity
F = (1 - q_weak)/(1 - q_strong) of the ecological detector on a common sample.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ronghe import analysis
from ronghe.errors import InputError
from ronghe.methods.geodetector import factor_detector, interaction_detector


@pytest.fixture(scope="module")
def small_drivers(small_result):
    factors = [
        "nonfarm_va_share",
        "farm_labour_productivity",
        "machinery_intensity",
        "fertiliser_intensity",
    ]
    return analysis.drivers(small_result, factors=factors)


def _inputs(result, res):
    """y and the factor values of the units used, as the detector saw them."""
    frame = pd.DataFrame({"y": analysis.variable_values(result, res.y).xs(res.year, level="year")})
    for name in res.factors["factor"]:
        frame[name] = analysis.variable_values(result, name, treated=True).xs(
            res.year, level="year"
        )
    return frame.dropna()


def _strata(res, name, x):
    bounds = res.strata[res.strata["factor"] == name].sort_values("stratum")
    classes = np.minimum(
        np.searchsorted(bounds["upper"].to_numpy(), x, side="left"), len(bounds) - 1
    )
    return bounds["stratum"].to_numpy()[classes]


def test_q_in_unit_interval_and_latest_year(small_drivers):
    f = small_drivers.factors
    assert small_drivers.year == 2023
    assert ((f["q"] >= 0) & (f["q"] <= 1)).all()
    assert ((f["p_value"] >= 0) & (f["p_value"] <= 1)).all()
    assert set(f["method"]) <= {"equal", "natural", "quantile", "geometric", "sd", "categories"}
    assert ((f["k"] >= 3) & (f["k"] <= 8)).all()


def test_chosen_discretisation_reproduces_q(small_result, small_drivers):
    data = _inputs(small_result, small_drivers)
    assert len(data) == small_drivers.n
    y = data["y"].to_numpy()
    for _, row in small_drivers.factors.iterrows():
        strata = _strata(small_drivers, row["factor"], data[row["factor"]].to_numpy())
        ref = factor_detector(y, strata)
        assert ref.q == pytest.approx(row["q"], rel=1e-12, abs=1e-14)
        assert ref.p_value == pytest.approx(row["p_value"], rel=1e-9, abs=1e-15)
        assert ref.n_strata == row["n_strata"]


def test_interactions_recomputed(small_result, small_drivers):
    data = _inputs(small_result, small_drivers)
    y = data["y"].to_numpy()
    inter = small_drivers.interactions
    assert len(inter) == 4 * 3 // 2
    row = inter.iloc[0]
    a = _strata(small_drivers, row["factor_1"], data[row["factor_1"]].to_numpy())
    b = _strata(small_drivers, row["factor_2"], data[row["factor_2"]].to_numpy())
    ref = interaction_detector(y, a, b)
    assert ref.q12 == pytest.approx(row["q_12"], rel=1e-12)
    assert ref.type == row["type"]
    # crossing two partitions refines both, so q(x1∩x2) ≥ max(q1, q2): never a weakening
    assert (inter["q_12"] >= inter[["q_1", "q_2"]].max(axis=1) - 1e-12).all()
    assert set(inter["type"]) <= {"bi-enhance", "independent", "nonlinear-enhance"}


def test_q_against_pypi_geodetector(small_result, small_drivers):
    geodetector = pytest.importorskip("geodetector")
    data = _inputs(small_result, small_drivers)
    compared = 0
    for name, q in small_drivers.factors.set_index("factor")["q"].items():
        strata = pd.DataFrame({name: _strata(small_drivers, name, data[name].to_numpy())})
        if (strata[name].value_counts() == 1).any():
            continue  # single-unit strata: the packages differ by convention
        theirs = geodetector.FactorDetector().fit(strata, data["y"].to_numpy()).q_value_
        assert q == pytest.approx(float(np.asarray(theirs).ravel()[0]), rel=1e-9)
        compared += 1
    assert compared >= 2


def test_risk_detector_against_welch(small_result, small_drivers):
    data = _inputs(small_result, small_drivers)
    y = data["y"].to_numpy()
    name = small_drivers.factors["factor"].iloc[1]
    strata = _strata(small_drivers, name, data[name].to_numpy())
    row = small_drivers.risk.query("factor == @name and tested").iloc[0]
    a, b = y[strata == row["stratum_1"]], y[strata == row["stratum_2"]]
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert row["t"] == pytest.approx(ref.statistic, rel=1e-10)
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    means = small_drivers.strata.query("factor == @name").set_index("stratum")["mean"]
    assert means.loc[row["stratum_1"]] == pytest.approx(a.mean())


def test_ecological_identity(small_drivers):
    q = small_drivers.factors.set_index("factor")["q"]
    for _, row in small_drivers.ecological.iterrows():
        weak, strong = q[row["factor_weaker"]], q[row["factor_stronger"]]
        assert weak <= strong
        assert row["f_stat"] == pytest.approx((1 - weak) / (1 - strong), rel=1e-10)


def test_default_factors_are_the_indicators_on_provinces(province_result):
    res = analysis.drivers(province_result, year=2020)
    assert list(res.factors["factor"]) == province_result.state.indicator_ids
    assert res.n == 31 and res.year == 2020
    assert len(res.interactions) == 6
    assert set(res.tables()) == {
        "drivers_factors",
        "drivers_interactions",
        "drivers_strata",
        "drivers_risk",
        "drivers_ecological",
    }


def test_conventions_are_passed_through(province_result):
    pop = analysis.drivers(province_result, "D", ["urbanization_rate"], discretize="quantile")
    sam = analysis.drivers(
        province_result, "D", ["urbanization_rate"], discretize="quantile", variance="sample"
    )
    assert pop.factors["q"].iloc[0] == pytest.approx(sam.factors["q"].iloc[0])
    assert pop.factors["method"].iloc[0] == "quantile"
    assert pop.factors["noncentrality"].iloc[0] > sam.factors["noncentrality"].iloc[0]


def test_categorical_factor_and_bad_options(small_result):
    res = analysis.drivers(small_result, factors=["nonfarm_va_share"], discretize="none")
    assert res.factors["method"].iloc[0] == "categories"
    with pytest.raises(InputError, match="unknown discretisation"):
        analysis.drivers(small_result, discretize="jenks")
    with pytest.raises(InputError, match="no year 1999"):
        analysis.drivers(small_result, year=1999)
