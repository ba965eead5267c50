"""Aggregation: TOPSIS against pymcdm, hand-worked means, ties, properties."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import minmax_normalization

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods import (
    entropy_weights,
    normalize,
    topsis,
    weighted_arithmetic,
    weighted_geometric,
)

DIRS = ["+", "-", "+", "-", "+"]
TYPES = np.array([1, -1, 1, -1, 1])


@pytest.mark.parametrize("seed", range(5))
def test_topsis_matches_pymcdm_minmax(seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1.0, 100.0, size=(30, 5))
    w = rng.dirichlet(np.ones(5))
    ours = topsis(normalize(X, DIRS, shift=0), w)
    theirs = TOPSIS(normalization_function=minmax_normalization)(X, w, TYPES)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_topsis_matches_pymcdm_with_a_constant_column():
    # pymcdm's min-max maps a constant column to 1, as ours does (ours also warns).
    rng = np.random.default_rng(9)
    X = rng.uniform(1.0, 100.0, size=(12, 5))
    X[:, 2] = 4.0
    w = np.full(5, 0.2)
    with pytest.warns(RongheWarning):
        Z = normalize(X, DIRS, shift=0)
    theirs = TOPSIS(normalization_function=minmax_normalization)(X, w, TYPES)
    np.testing.assert_allclose(topsis(Z, w), theirs, rtol=0, atol=1e-12)


def test_topsis_hand_worked_distances():
    Z = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]])
    # w = (1, 1) scaled to (0.5, 0.5): V = Z / 2, ideal (0.5, 0.5), anti-ideal (0, 0)
    # row 0: D+ = 0, D- = sqrt(0.5^2 + 0.5^2) = 0.7071068 -> closeness 1
    # row 1: D+ = 0.7071068, D- = 0 -> closeness 0
    # row 2: D+ = D- = 0.5 -> closeness 0.5
    c, dp, dm = topsis(Z, [1.0, 1.0], return_distances=True)
    np.testing.assert_allclose(c, [1.0, 0.0, 0.5])
    np.testing.assert_allclose(dp, [0.0, math.sqrt(0.5), 0.5])
    np.testing.assert_allclose(dm, [math.sqrt(0.5), 0.0, 0.5])


def test_topsis_identical_rows_give_half_with_warning():
    with pytest.warns(RongheWarning, match="0.5"):
        c = topsis(np.ones((4, 3)) * 0.3, [1, 2, 3])
    np.testing.assert_array_equal(c, [0.5] * 4)


def test_weighted_means_hand_worked():
    Z = np.array([[0.25, 1.0], [0.5, 0.5]])
    w = [3.0, 1.0]  # scaled to 0.75, 0.25
    np.testing.assert_allclose(weighted_arithmetic(Z, w), [0.4375, 0.5])
    # 0.25^0.75 * 1^0.25 = 0.353553; 0.5^0.75 * 0.5^0.25 = 0.5
    np.testing.assert_allclose(weighted_geometric(Z, w), [0.25**0.75, 0.5])


def test_geometric_rejects_non_positive_naming_cell():
    with pytest.raises(MethodError, match="row 1, column 0"):
        weighted_geometric([[0.5, 0.5], [0.0, 0.2]], [1, 1])


def test_weights_validated():
    with pytest.raises(MethodError, match="length 1"):
        weighted_arithmetic([[0.5, 0.5]], [1.0])
    with pytest.raises(MethodError, match="negative"):
        topsis([[0.5, 0.5], [0.1, 0.2]], [1.0, -1.0])


positive = arrays(
    np.float64,
    st.tuples(st.integers(3, 12), st.just(5)),
    elements=st.floats(0.01, 1e3, allow_nan=False, allow_subnormal=False),
)


def _quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        return f(*args, **kwargs)


@settings(max_examples=50, deadline=None)
@given(positive, st.floats(1e-3, 1e3), st.integers(0, 4))
def test_topsis_entropy_chain_invariant_to_rescaling_units(X, scale, j):
    scaled = X.copy()
    scaled[:, j] *= scale

    def chain(data):
        Z = _quiet(normalize, data, DIRS)
        return _quiet(topsis, Z, _quiet(entropy_weights, Z))

    np.testing.assert_allclose(chain(scaled), chain(X), rtol=1e-7, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(positive, st.integers(0, 11), st.floats(0.0, 1e3))
def test_improving_a_positive_indicator_never_lowers_the_composite(X, row, gain):
    i = row % X.shape[0]
    w = np.array([0.3, 0.1, 0.2, 0.25, 0.15])
    better = X.copy()
    better[i, 0] += gain  # column 0 is "+"
    before = weighted_arithmetic(_quiet(normalize, X, DIRS), w)[i]
    after = weighted_arithmetic(_quiet(normalize, better, DIRS), w)[i]
    assert after >= before - 1e-12


def test_topsis_reference_rows_fix_the_ideals():
    Z = np.array([[0.2, 0.9], [0.6, 0.1], [1.0, 0.5]])
    w = np.array([0.25, 0.75])
    # a changed row scored against the ideals of the original rows: ideal (0.25, 0.675),
    # anti-ideal (0.05, 0.075) on the weighted scale; row (0.4, 0.4) -> V = (0.1, 0.3)
    changed = np.array([[0.4, 0.4]])
    got = topsis(changed, w, reference=Z)
    d_plus = np.hypot(0.1 - 0.25, 0.3 - 0.675)
    d_minus = np.hypot(0.1 - 0.05, 0.3 - 0.075)
    assert got[0] == pytest.approx(d_minus / (d_plus + d_minus), rel=1e-12)
    # with itself as reference it is the plain TOPSIS
    np.testing.assert_array_equal(topsis(Z, w, reference=Z), topsis(Z, w))
