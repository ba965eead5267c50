"""Scenarios on the frozen baseline (ronghe.planning.scenario)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe import Study, datasets
from ronghe.errors import InputError
from ronghe.planning.frozen import Frozen
from ronghe.planning.scenario import parse_change, simulate

YEAR = 2021


@pytest.fixture(scope="module")
def panel():
    return datasets.synthetic_counties(provinces=["13"], years=range(2016, 2024))


def _evaluate(panel, **overrides):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "seed", overrides or None).evaluate()


@pytest.fixture(scope="module")
def result(panel):
    return _evaluate(panel)


def _row(result, region, year=YEAR):
    s = result.state
    return int(np.flatnonzero((s.regions == region) & (s.years == year))[0])


def _assert_baseline(result, scores, row):
    s = result.state
    assert scores.composite == s.composite[row]
    assert scores.closeness == s.closeness[row]
    assert scores.C == s.C[row] and scores.T == s.T[row] and scores.D == s.D[row]
    assert np.array_equal(scores.U, s.U[row])
    assert np.array_equal(scores.Z, s.Z[row])
    assert np.array_equal(scores.O, s.O[row])
    assert scores.rank == result.index["rank"].iloc[row]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"aggregation": "geometric"},
        {"aggregation": "topsis"},
        {"normalization": {"scope": "year"}},
        {"coupling": {"formula": "corrected"}},
        {"weighting": {"dimensions": "equal"}},
    ],
)
def test_no_change_is_the_baseline_bit_for_bit(panel, overrides):
    result = _evaluate(panel, **overrides)
    s = result.state
    for row in (0, 7, len(s.years) // 2, len(s.years) - 1):
        region, year = s.regions[row], int(s.years[row])
        # through the frozen scoring path itself, not a shortcut
        _assert_baseline(result, Frozen(result).score(row, s.X[row]), row)
        raw = result.state.panel.data.loc[(region, year)]
        present = str(raw.index[raw.notna()][0])
        scen = simulate(result, region, year, {present: "+0%", "income_ratio": ("abs", 0)})
        _assert_baseline(result, scen.scenario, row)
        assert not scen.clipped.any()


def test_relative_change_to_a_positive_indicator_raises_the_index(result):
    s = result.state
    fz = Frozen(result)
    j = s.indicator_ids.index("resident_urbanisation")
    assert s.framework.directions()[j] == "+" and j not in fz.transforms
    region = s.regions[3]
    row = _row(result, region)
    scen = simulate(result, region, YEAR, {"resident_urbanisation": ("rel", 0.05)})
    x0 = s.X[row, j]
    lo, hi = s.bounds[0][j], s.bounds[1][j]
    # hand-worked frozen min-max: z = 1e-4 + (1 - 1e-4) (1.05 x0 - lo) / (hi - lo)
    z_new = 1e-4 + (1 - 1e-4) * min((1.05 * x0 - lo) / (hi - lo), 1.0)
    assert scen.scenario.Z[j] == pytest.approx(z_new, rel=1e-12)
    # arithmetic aggregation: the index moves by the effective weight times the score change
    w = s.effective_weights / s.effective_weights.sum()
    assert scen.scenario.composite - scen.baseline.composite == pytest.approx(
        w[j] * (z_new - s.Z[row, j]), rel=1e-9
    )
    assert scen.scenario.composite > scen.baseline.composite
    assert scen.scenario.rank <= scen.baseline.rank
    moved = np.flatnonzero(scen.scenario.U != scen.baseline.U)
    assert [result.dimension_ids[d] for d in moved] == [s.framework.dimension_of[s.indicator_ids[j]]]


def test_raw_variable_change_recomputes_indicators(result):
    s = result.state
    region = s.regions[10]
    scen = simulate(result, region, YEAR, {"rural_income": "+10%"})
    ind = scen.indicators.set_index("indicator")
    # income_ratio = urban_income / rural_income, so it falls by the factor 1.1
    before = ind.at["income_ratio", "value_before"]
    assert ind.at["income_ratio", "value_after"] == pytest.approx(before / 1.1, rel=1e-12)
    changed = set(ind.index[ind["value_after"] != ind["value_before"]])
    assert "income_ratio" in changed and "resident_urbanisation" not in changed
    # the previous year is untouched: scenarios move one region-year only
    assert simulate(result, region, YEAR - 1).scenario.composite == s.composite[
        _row(result, region, YEAR - 1)
    ]


def test_frozen_anchors_clip_a_change_beyond_them(result):
    s = result.state
    j = s.indicator_ids.index("resident_urbanisation")
    region = s.regions[0]
    hi = s.bounds[1][j]
    far = simulate(result, region, YEAR, {"resident_urbanisation": ("set", hi + 50.0)})
    at = simulate(result, region, YEAR, {"resident_urbanisation": ("set", hi)})
    assert far.scenario.Z[j] == 1.0 and at.scenario.Z[j] == 1.0
    assert far.clipped[j] and not at.clipped[j]
    assert far.scenario.composite == at.scenario.composite
    # anchors are not recomputed: every other score of the panel is the baseline's
    assert far.scenario.rank == 1 + int(
        (s.composite[(s.years == YEAR) & (s.regions != region)] > far.scenario.composite).sum()
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.floats(-0.5, 0.5), pick=st.integers(0, 20))
def test_index_is_monotone_in_a_positive_indicator(result, amount, pick):
    s = result.state
    region = s.regions[pick]
    scen = simulate(result, region, YEAR, {"resident_urbanisation": ("rel", amount)})
    diff = scen.scenario.composite - scen.baseline.composite
    assert diff >= -1e-15 if amount >= 0 else diff <= 1e-15


def test_parse_change_forms():
    assert parse_change("x", "+10%") == ("rel", pytest.approx(0.10))
    assert parse_change("x", "-2.5%") == ("rel", pytest.approx(-0.025))
    assert parse_change("x", "+500") == ("abs", 500.0)
    assert parse_change("x", "=2.0") == ("set", 2.0)
    assert parse_change("x", ("abs", -3)) == ("abs", -3.0)
    for bad in ("ten", "=5%", ("mul", 2)):
        with pytest.raises(InputError):
            parse_change("x", bad)


def test_scenario_errors(result, panel):
    region = result.state.regions[0]
    with pytest.raises(InputError, match="neither an indicator"):
        simulate(result, region, YEAR, {"no_such_thing": "+1"})
    with pytest.raises(InputError, match="no row"):
        simulate(result, "999999", YEAR)
    with pytest.raises(InputError, match="min–max"):
        simulate(_evaluate(panel, normalization={"method": "rank"}), region, YEAR)
