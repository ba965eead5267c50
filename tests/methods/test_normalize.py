"""Normalisation: hand-worked values, shift, bounds, groups, constant columns and errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods import minmax_bounds, normalize

X = np.array(
    [
        [1.0, 10.0, 0.5],
        [2.0, 20.0, 1.0],
        [3.0, 40.0, 2.0],
    ]
)


def test_minmax_hand_worked_all_directions():
    # col 0 "+": (x - 1)/(3 - 1) = 0, 0.5, 1
    # col 1 "-": (40 - x)/(40 - 10) = 1, 2/3, 0
    # col 2 target 1.0: |x - 1| = 0.5, 0, 1 -> 1 - d/1 = 0.5, 1, 0
    Z = normalize(X, ["+", "-", 1.0], shift=0)
    expected = np.array([[0.0, 1.0, 0.5], [0.5, 2 / 3, 1.0], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(Z, expected, rtol=0, atol=1e-15)


def test_target_method_is_the_minmax_reading():
    np.testing.assert_array_equal(
        normalize(X, ["+", "-", 1.0], method="target"), normalize(X, ["+", "-", 1.0])
    )


def test_affine_shift_maps_to_shift_one():
    Z = normalize(X, ["+", "-", 1.0], shift=0.01)
    # 0 -> 0.01, 1 -> 1, 0.5 -> 0.01 + 0.99 * 0.5 = 0.505
    assert Z[0, 0] == pytest.approx(0.01)
    assert Z[2, 0] == pytest.approx(1.0)
    assert Z[1, 0] == pytest.approx(0.505)


def test_add_shift_is_the_plus_0001_convention():
    Z = normalize(X, ["+", "-", 1.0], shift=1e-4, shift_mode="add")
    np.testing.assert_allclose(Z - 1e-4, normalize(X, ["+", "-", 1.0], shift=0), atol=1e-15)


def test_zscore_uses_ddof_1_and_flips_negative():
    Z = normalize(X, ["+", "-", "+"], method="zscore")
    # col 0: mean 2, sd (ddof=1) 1 -> -1, 0, 1
    np.testing.assert_allclose(Z[:, 0], [-1.0, 0.0, 1.0])
    v = -X[:, 1]
    np.testing.assert_allclose(Z[:, 1], (v - v.mean()) / v.std(ddof=1))


def test_rank_average_ties_and_flip():
    data = np.array([[5.0], [1.0], [5.0], [3.0]])
    # ranks 3.5, 1, 3.5, 2 over n = 4
    np.testing.assert_allclose(
        normalize(data, ["+"], method="rank", shift=0)[:, 0], [0.875, 0.25, 0.875, 0.5]
    )
    np.testing.assert_allclose(
        normalize(data, ["-"], method="rank", shift=0)[:, 0], [0.375, 1.0, 0.375, 0.75]
    )


def test_constant_column_is_one_with_warning_naming_it():
    data = np.array([[1.0, 7.0], [2.0, 7.0]])
    with pytest.warns(RongheWarning, match="column\\(s\\) 1"):
        Z = normalize(data, ["+", "-"], shift=1e-4)
    np.testing.assert_array_equal(Z[:, 1], [1.0, 1.0])


def test_bounds_freeze_anchors_and_clip():
    lo, hi = minmax_bounds(X)
    scenario = np.array([[0.0, 5.0, 3.0], [2.0, 20.0, 1.0]])
    Z = normalize(scenario, ["+", "-", 1.0], shift=0, bounds=(lo, hi))
    # col 0: 0 is below lo = 1 -> clipped to 0; 2 -> 0.5
    # col 1: 5 is below lo = 10 -> (40 - 5)/30 > 1 -> clipped to 1
    # col 2: scale max(|0.5 - 1|, |2 - 1|) = 1; 3 -> 1 - 2 < 0 -> clipped to 0
    np.testing.assert_allclose(Z, [[0.0, 1.0, 0.0], [0.5, 2 / 3, 1.0]])


def test_minmax_bounds_ignore_nan():
    lo, hi = minmax_bounds([[1.0, np.nan], [3.0, 2.0], [np.nan, 5.0]])
    np.testing.assert_array_equal(lo, [1.0, 2.0])
    np.testing.assert_array_equal(hi, [3.0, 5.0])
    with pytest.raises(MethodError, match="column\\(s\\) 1"):
        minmax_bounds([[1.0, np.nan], [2.0, np.nan]])


def test_by_normalises_within_groups():
    data = np.array([[1.0], [3.0], [10.0], [30.0]])
    Z = normalize(data, ["+"], shift=0, by=[2000, 2000, 2001, 2001])
    np.testing.assert_array_equal(Z[:, 0], [0.0, 1.0, 0.0, 1.0])


def test_nan_raises_naming_column():
    data = X.copy()
    data[1, 2] = np.nan
    with pytest.raises(MethodError, match="column 2"):
        normalize(data, ["+", "+", "+"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"directions": ["+", "x", "+"]}, "column 1"),
        ({"directions": ["+", "+"]}, "length 3"),
        ({"directions": ["+"] * 3, "method": "vikor"}, "unknown method"),
        ({"directions": ["+"] * 3, "shift_mode": "mul"}, "shift_mode"),
        ({"directions": ["+"] * 3, "shift": 1.5}, "shift"),
        ({"directions": ["+"] * 3, "method": "zscore", "bounds": ([0] * 3, [1] * 3)}, "bounds"),
        ({"directions": ["+"] * 3, "bounds": ([0, 5, 0], [1, 1, 1])}, "column 1"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(MethodError, match=match):
        normalize(X, **kwargs)


matrices = arrays(
    np.float64,
    st.tuples(st.integers(3, 12), st.integers(1, 5)),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
)


@settings(max_examples=60, deadline=None)
@given(matrices, st.sampled_from(["minmax", "rank"]))
def test_affine_shift_keeps_scores_in_shift_one(data, method):
    dirs = ["+", "-", 0.0, "+", "-"][: data.shape[1]]
    with np.errstate(divide="raise", invalid="raise", over="raise"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        Z = normalize(data, dirs, method=method, shift=1e-4)
    assert (Z >= 1e-4 - 1e-12).all() and (Z <= 1.0 + 1e-12).all()
