"""Targets (ronghe.planning.targets) and forecasts (ronghe.planning.forecasting)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from ronghe import Study, datasets
from ronghe.errors import InputError
from ronghe.methods.forecast import gm11, gm11_many
from ronghe.planning.forecasting import forecast
from ronghe.planning.targets import Goal, target

REGION = "130102"


@pytest.fixture(scope="module")
def panel():
    return datasets.synthetic_counties(provinces=["13"], years=range(2016, 2024))


@pytest.fixture(scope="module")
def result(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # uncapped weights: capping ties several weights at the cap, and the greedy-fill oracle
        # below needs one order of the weights
        return Study(panel, "seed", settings={"weighting": {"cap": None}}).evaluate()


def _row(result, region=REGION, year=2023):
    s = result.state
    return int(np.flatnonzero((s.regions == region) & (s.years == year))[0])


# ------------------------------------------------------------------ targets
def test_goal_parsing():
    assert Goal.parse("D>=0.6") == Goal("D", ">=", 0.6)
    assert Goal.parse(" income_ratio <= 2.0 ") == Goal("income_ratio", "<=", 2.0)
    assert Goal("D", ">=", 0.6).met(0.6) and not Goal("x", "<=", 2).met(2.1)
    for bad in ("D>0.6", "D=0.6", ">=0.6", "D>=high"):
        with pytest.raises(InputError, match="not understood"):
            Goal.parse(bad)


def test_indicator_goal_hand_worked(result):
    plan = target(result, REGION, "income_ratio<=2.0", by=2035)
    current = plan.current
    assert current > 2.0 and not plan.met_now
    row = plan.changes.iloc[0]
    # 12 years from 2023: (2 / current)^(1/12) - 1 and (2 - current) / 12
    assert row["compound_rate"] == pytest.approx((2.0 / current) ** (1 / 12) - 1, rel=1e-12)
    assert row["linear_step"] == pytest.approx((2.0 - current) / 12, rel=1e-12)
    # the scenario sets the indicator: lower income ratio, higher index
    assert plan.scenario.indicators.set_index("indicator").at["income_ratio", "value_after"] == 2.0
    assert plan.scenario.scenario.composite > plan.scenario.baseline.composite
    met = target(result, REGION, "income_ratio<=9", by=2030)
    assert met.met_now and met.changes["change"].iloc[0] == 0.0


def test_index_goal_linear_plan_is_the_greedy_fill(result):
    s = result.state
    row = _row(result)
    goal = float(s.composite[row]) + 0.03
    plan = target(result, REGION, f"index>={goal}", by=2035)
    assert plan.achieved == pytest.approx(goal, abs=1e-7)
    # oracle: with unit costs the LP raises indicators in order of weight, each up to score 1
    w = s.effective_weights / s.effective_weights.sum()
    z0 = s.Z[row]
    need = goal - w @ z0
    z = z0.copy()
    for j in np.argsort(-w, kind="stable"):
        step = min(1.0 - z0[j], need / w[j])
        z[j] += step
        need -= w[j] * step
        if need <= 1e-15:
            break
    got = plan.changes.set_index("indicator")["z_required"]
    expected = {s.indicator_ids[j]: z[j] for j in np.flatnonzero(z != z0)}
    assert set(got.index) == set(expected)
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=1e-7)


def test_d_goal_reaches_the_goal_both_ways(result):
    s = result.state
    d0 = float(s.D[_row(result)])
    efforts = {}
    for method in ("linear", "quadratic"):
        plan = target(result, REGION, f"D>={d0 + 0.02:.4f}", by=2035, method=method)
        assert plan.goal.value > d0 and plan.achieved >= plan.goal.value - 1e-7
        assert (plan.changes["z_required"] <= 1 + 1e-9).all()
        assert (plan.changes["z_required"] >= plan.changes["z_current"] - 1e-9).all()
        efforts[method] = plan.changes.shape[0]
    # the linear objective concentrates the effort, the quadratic one spreads it
    assert efforts["linear"] < efforts["quadratic"]
    words = " ".join(zh + en for zh, en in plan.explanation)
    assert "2035" in words and "D>=" in words


def test_goals_met_infeasible_and_bounded(result):
    assert target(result, REGION, "D>=0.1").met_now
    assert target(result, REGION, "D>=0.1").changes.empty
    with pytest.raises(InputError, match="best"):
        target(result, REGION, "index>=1.01")
    # only the income ratio may move, and only down to 1.9: D cannot rise much
    with pytest.raises(InputError, match="cannot be reached"):
        target(result, REGION, "D>=0.95", levers=["income_ratio"],
               bounds={"income_ratio": (1.9, None)})
    plan = target(result, REGION, "index>=0.48", levers=["income_ratio", "gas_gap"],
                  bounds={"income_ratio": (1.95, None)})
    assert set(plan.changes["indicator"]) <= {"income_ratio", "gas_gap"}
    ratio = plan.changes.set_index("indicator")["required"].get("income_ratio")
    assert ratio is None or ratio >= 1.95 - 1e-9
    with pytest.raises(InputError, match="after the base year"):
        target(result, REGION, "D>=0.9", by=2020)


# ---------------------------------------------------------------- forecasts
def test_forecast_table_shapes(result):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mean = forecast(result, 2030)
        some = forecast(result, 2027, regions=[REGION, "130104"], metrics=["D"])
        every = forecast(result, 2026, regions="all")
    assert mean.table.shape[0] == 2 * 7 and set(mean.table["region"]) == {"mean"}
    assert list(mean.table.columns) == ["region", "metric", "year", "forecast", "lower", "upper",
                                        "model", "clipped"]
    assert mean.table["year"].tolist()[:7] == list(range(2024, 2031))
    assert some.table.shape[0] == 2 * 4 and some.models.shape[0] == 2
    assert set(some.models["model"]) <= {"gm11", "ets"}
    assert every.table.shape[0] == 167 * 3 * 2 and every.models.shape[0] == 167 * 2
    for f in (mean, some, every):
        v = f.table["forecast"]
        assert ((v >= 0) & (v <= 1)).all()
        ets = f.table["model"] == "ets"
        assert (f.table.loc[ets, "lower"] <= f.table.loc[ets, "forecast"]).all()


def test_all_regions_path_equals_gm11_per_region(result):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        every = forecast(result, 2026, regions="all", metrics=["index"])
        series = result.index[result.index["region"] == REGION].sort_values("year")["index"]
        one = gm11(series.to_numpy(), horizon=3)
    got = every.table[every.table["region"] == REGION]["forecast"].to_numpy()
    assert got == pytest.approx(np.clip(one.forecast, 0, 1), rel=1e-10)
    wide = result.index.pivot(index="region", columns="year", values="index")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = gm11_many(wide.to_numpy(), 3)
    assert every.models["gm11_C"].to_numpy() == pytest.approx(batch.C)


def test_forecast_errors(result):
    with pytest.raises(InputError, match="after the last year"):
        forecast(result, 2023)
    with pytest.raises(InputError, match="metric"):
        forecast(result, 2030, metrics=["T"])
    with pytest.raises(InputError, match="not in the study"):
        forecast(result, 2030, regions=["999999"])
