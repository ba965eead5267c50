"""Sobol' indices over methodological choices and rank statistics (ronghe.methods.sensitivity)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from SALib.test_functions import Ishigami

from ronghe.errors import MethodError
from ronghe.methods.sensitivity import (
    Choice,
    default_choices,
    rank_stats,
    sobol_design,
    sobol_indices,
)


def test_ishigami_indices_through_the_wrapper():
    # Analytical values for a = 7, b = 0.1 (Ishigami & Homma 1990; SALib's test function)
    s1 = [0.3139, 0.4424, 0.0]
    st_ = [0.5576, 0.4424, 0.2437]
    choices = [Choice.continuous(f"x{i}", -math.pi, math.pi) for i in range(1, 4)]
    design = sobol_design(choices, 2**12, seed=7)
    assert design.u.shape == (2**12 * 5, 3)
    X = np.column_stack([design.values(c.name) for c in choices])
    res = sobol_indices(choices, Ishigami.evaluate(X), num_resamples=200)
    assert res.names == ("x1", "x2", "x3")
    assert res.S1 == pytest.approx(s1, abs=0.04)
    assert res.ST == pytest.approx(st_, abs=0.04)
    assert np.all(res.S1_conf > 0) and np.all(res.S1_conf < 0.06)
    assert res.S2 is None


def test_discrete_choices_additive_model():
    # Y = a + b with a uniform on {0, 1} (variance 1/4) and b uniform on {0, 1, 2, 3}
    # (variance 5/4): S1 = ST = (1/4) / (6/4) = 1/6 for a and 5/6 for b.
    choices = [Choice.discrete("a", [0, 1]), Choice.discrete("b", [0, 1, 2, 3])]
    design = sobol_design(choices, 1024, seed=3)
    y = design.values("a").astype(float) + design.values("b").astype(float)
    res = sobol_indices(choices, y)
    assert res.S1 == pytest.approx([1 / 6, 5 / 6], abs=0.02)
    assert res.ST == pytest.approx([1 / 6, 5 / 6], abs=0.02)
    # a 2-D output is analysed column by column
    both = sobol_indices(choices, np.column_stack([y, design.values("b").astype(float)]))
    assert both.S1.shape == (2, 2)
    assert both.S1[0] == pytest.approx(res.S1) and both.S1[1] == pytest.approx([0, 1], abs=0.02)


def test_second_order_on_request():
    choices = [Choice.discrete("a", [0, 1]), Choice.discrete("b", [0, 1])]
    design = sobol_design(choices, 512, seed=1, second_order=True)
    assert design.u.shape == (512 * 6, 2)
    a, b = design.values("a").astype(float), design.values("b").astype(float)
    res = sobol_indices(choices, a * b, second_order=True)  # pure interaction part exists
    assert res.S2 is not None and res.S2.shape == (2, 2)
    assert res.S2[0, 1] > 0.1


def test_floor_mapping_of_discrete_options():
    c = Choice.discrete("w", ["entropy", "critic", "equal", "cv"])
    u = np.array([0.0, 0.2499, 0.25, 0.5, 0.9999, 1.0])
    assert c.codes(u).tolist() == [0, 0, 1, 2, 3, 3]
    assert c.values(u).tolist() == ["entropy", "entropy", "critic", "equal", "cv", "cv"]
    k = Choice.continuous("p", -0.2, 0.2)
    assert k.values(np.array([0.0, 0.5, 1.0])) == pytest.approx([-0.2, 0.0, 0.2])


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 9), arrays(np.float64, 20, elements=st.floats(0, 1, exclude_max=True)))
def test_codes_stay_in_range_and_are_monotone(m, u):
    c = Choice.discrete("f", list(range(m)))
    codes = c.codes(u)
    assert codes.min() >= 0 and codes.max() < m
    order = np.argsort(u)
    assert np.all(np.diff(codes[order]) >= 0)
    # option j covers exactly [j/m, (j+1)/m)
    assert np.all((codes / m <= u) & (u < (codes + 1) / m))


def test_design_is_reproducible_and_named():
    choices = default_choices(5)
    assert [c.name for c in choices] == [
        "normalisation",
        "weighting",
        "aggregation",
        "weight_perturbation",
        "imputation",
        "left_out",
    ]
    assert choices[5].options == (None, 0, 1, 2, 3, 4)
    assert (choices[3].low, choices[3].high) == (-0.2, 0.2)
    d1 = sobol_design(choices, 64, seed=42)
    d2 = sobol_design(choices, 64, seed=42)
    d3 = sobol_design(choices, 64, seed=43)
    assert np.array_equal(d1.u, d2.u) and not np.array_equal(d1.u, d3.u)
    assert d1.u.shape == (64 * 8, 6)
    assert set(d1.values("aggregation")) <= {"arithmetic", "geometric", "topsis"}
    assert d1.codes("weighting").max() <= 3
    with pytest.raises(MethodError, match="continuous"):
        d1.codes("weight_perturbation")
    with pytest.raises(MethodError, match="no choice named"):
        d1.values("nope")


def test_bad_designs_and_outputs():
    choices = [Choice.discrete("a", [0, 1]), Choice.discrete("b", [0, 1])]
    with pytest.raises(MethodError, match=r"power of two.*try 1024"):
        sobol_design(choices, 1000, seed=0)
    with pytest.raises(MethodError, match="duplicate"):
        sobol_design([choices[0], choices[0]], 64, seed=0)
    with pytest.raises(MethodError, match="no options"):
        Choice.discrete("x", [])
    with pytest.raises(MethodError, match="low < high"):
        Choice.continuous("x", 1.0, 1.0)
    with pytest.raises(MethodError, match="multiple of 4"):
        sobol_indices(choices, np.arange(10.0))
    with pytest.raises(MethodError, match="does not vary"):
        sobol_indices(choices, np.ones(64 * 4))
    with pytest.raises(MethodError, match="not finite"):
        sobol_indices(choices, np.r_[np.nan, np.arange(255.0)])


def _percentile_type7(values: list[float], p: float) -> float:
    """Hyndman-Fan type 7 by hand: h = (N - 1) p, interpolate between order statistics."""
    xs = sorted(values)
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def test_rank_stats_against_a_per_region_loop():
    rng = np.random.default_rng(9)
    draws, n = 101, 12
    ranks = np.argsort(np.argsort(rng.normal(size=(draws, n)) + np.arange(n), axis=1), axis=1) + 1
    nominal = np.arange(1, n + 1)
    res = rank_stats(ranks, nominal)
    for j in range(n):
        col = [float(v) for v in ranks[:, j]]
        assert res.median[j] == statistics.median(col)
        assert res.p05[j] == pytest.approx(_percentile_type7(col, 0.05))
        assert res.p95[j] == pytest.approx(_percentile_type7(col, 0.95))
        assert res.mean_abs_shift[j] == pytest.approx(sum(abs(v - nominal[j]) for v in col) / draws)


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 30), st.integers(1, 8)), elements=st.integers(1, 50))
)
def test_rank_stats_properties(ranks):
    nominal = ranks[0]
    res = rank_stats(ranks, nominal)
    assert np.all(res.p05 <= res.median) and np.all(res.median <= res.p95)
    assert np.all(res.mean_abs_shift >= 0)
    same = rank_stats(np.tile(nominal, (5, 1)), nominal)
    assert np.all(same.mean_abs_shift == 0) and np.array_equal(same.median, nominal)


def test_rank_stats_rejects_mismatch():
    with pytest.raises(MethodError, match="expected 3"):
        rank_stats(np.ones((4, 3)), [1, 2])
