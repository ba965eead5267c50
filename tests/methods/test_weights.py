"""Weights: pymcdm oracles, hand-worked entropy and AHP, combinations, properties."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm.weights import critic_weights as pymcdm_critic
from pymcdm.weights import entropy_weights as pymcdm_entropy

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods import (
    SAATY_RI,
    ahp_weights,
    combine_weights,
    critic_weights,
    cv_weights,
    entropy_weights,
    equal_weights,
    normalize,
)


@pytest.mark.parametrize("seed", range(5))
def test_entropy_matches_pymcdm_on_positive_data(seed):
    # pymcdm sum-normalises the raw matrix internally, which is exactly p_ij here.
    X = np.random.default_rng(seed).uniform(0.5, 50.0, size=(40, 6))
    np.testing.assert_allclose(entropy_weights(X), pymcdm_entropy(X), rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_critic_matches_pymcdm(seed):
    # pymcdm min-max normalises internally (profit type) before CRITIC.
    X = np.random.default_rng(seed).normal(10.0, 3.0, size=(40, 6))
    Z = normalize(X, ["+"] * 6, shift=0)
    np.testing.assert_allclose(critic_weights(Z), pymcdm_critic(X), rtol=0, atol=1e-12)
    # a shift applied to every column alike changes nothing
    np.testing.assert_allclose(
        critic_weights(normalize(X, ["+"] * 6)), pymcdm_critic(X), rtol=0, atol=1e-12
    )


def test_entropy_hand_worked_with_zero_and_constant_column():
    # col 0 = [1, 3]: p = 1/4, 3/4, e = -(1/4 ln 1/4 + 3/4 ln 3/4)/ln 2 = 0.8112781, d = 0.1887219
    # col 1 = [2, 2]: constant, weight 0
    # col 2 = [0, 1]: p = 0, 1, e = 0 (0 ln 0 = 0), d = 1
    Z = np.array([[1.0, 2.0, 0.0], [3.0, 2.0, 1.0]])
    d0 = 1 + (0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    with pytest.warns(RongheWarning, match="column\\(s\\) 1"):
        w = entropy_weights(Z)
    np.testing.assert_allclose(w, [d0 / (d0 + 1), 0.0, 1 / (d0 + 1)], atol=1e-15)
    assert d0 == pytest.approx(0.1887219, abs=1e-7)


def test_entropy_all_constant_gives_equal_weights():
    with pytest.warns(RongheWarning):
        w = entropy_weights(np.ones((4, 3)))
    np.testing.assert_allclose(w, [1 / 3] * 3)


def test_entropy_rejects_negative_and_nan():
    with pytest.raises(MethodError, match="column 1 row 0"):
        entropy_weights([[1.0, -1.0], [2.0, 1.0]])
    with pytest.raises(MethodError, match="column 0"):
        entropy_weights([[np.nan, 1.0], [2.0, 1.0]])


def test_critic_constant_column_weight_zero_rest_on_live_columns():
    rng = np.random.default_rng(3)
    Z = rng.uniform(size=(30, 3))
    with_const = np.column_stack([Z[:, 0], np.full(30, 0.5), Z[:, 1:]])
    with pytest.warns(RongheWarning, match="column\\(s\\) 1"):
        w = critic_weights(with_const)
    assert w[1] == 0.0
    np.testing.assert_allclose(w[[0, 2, 3]], critic_weights(Z), atol=1e-15)


def test_critic_abs_conflict_variant():
    Z = np.array([[0.0, 1.0, 0.2], [0.5, 0.5, 0.9], [1.0, 0.0, 0.4]])
    sd = Z.std(axis=0, ddof=1)
    r = np.corrcoef(Z, rowvar=False)
    c = sd * (1 - np.abs(r)).sum(axis=0)
    np.testing.assert_allclose(critic_weights(Z, conflict="1-|r|"), c / c.sum())
    with pytest.raises(MethodError, match="conflict"):
        critic_weights(Z, conflict="r")


def test_cv_weights_hand_worked_and_zero_mean():
    X = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]])
    # col 0: mean 3, sd 2 -> CV 2/3; col 1: mean 20, sd sqrt(300) -> CV 0.8660254
    cv = np.array([2 / 3, math.sqrt(300) / 20])
    np.testing.assert_allclose(cv_weights(X), cv / cv.sum())
    with pytest.raises(MethodError, match="column 1"):
        cv_weights([[1.0, -1.0], [2.0, 1.0]])


def test_equal_weights():
    np.testing.assert_array_equal(equal_weights(4), [0.25] * 4)
    with pytest.raises(MethodError):
        equal_weights(0)


def test_ahp_3x3_closed_form():
    # For a 3x3 reciprocal matrix with a12 = a, a13 = b, a23 = c:
    # lambda_max = 1 + (ac/b)^(1/3) + (b/(ac))^(1/3), and the eigenvector equals the normalised
    # row geometric means. a, b, c = 3, 5, 3: ac/b = 1.8
    A = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    lam = 1 + 1.8 ** (1 / 3) + (1 / 1.8) ** (1 / 3)  # 3.0385
    cr = ((lam - 3) / 2) / 0.58  # CI = 0.01926, CR = 0.0332
    g = np.array([15 ** (1 / 3), 1.0, (1 / 15) ** (1 / 3)])
    w, CR = ahp_weights(A)
    np.testing.assert_allclose(w, g / g.sum(), atol=1e-12)
    assert CR == pytest.approx(cr, abs=1e-12)
    assert CR == pytest.approx(0.0332, abs=5e-5)


def test_ahp_consistent_4x4_recovers_weights_with_cr_zero():
    v = np.array([0.4, 0.3, 0.2, 0.1])
    w, cr = ahp_weights(np.outer(v, 1 / v))
    np.testing.assert_allclose(w, v, atol=1e-12)
    assert cr == pytest.approx(0.0, abs=1e-12)


def test_ahp_inconsistent_4x4_warns_but_returns():
    A = np.array([[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1], [9, 1 / 9, 1, 1], [1, 1, 1, 1]])
    with pytest.warns(RongheWarning, match="CR"):
        w, cr = ahp_weights(A)
    assert cr > 0.1
    assert w.sum() == pytest.approx(1.0)


def test_ahp_bad_matrices_name_the_cell():
    with pytest.raises(MethodError, match="row 0, column 2"):
        ahp_weights([[1, 2, 3], [0.5, 1, 1], [1 / 2, 1, 1]])
    with pytest.raises(MethodError, match="row 1, column 0"):
        ahp_weights([[1, 2], [-0.5, 1]])
    with pytest.raises(MethodError, match="square"):
        ahp_weights([[1, 2, 3], [0.5, 1, 1]])


def test_ahp_order_two_has_cr_zero():
    w, cr = ahp_weights([[1, 3], [1 / 3, 1]])
    np.testing.assert_allclose(w, [0.75, 0.25])
    assert cr == 0.0
    assert SAATY_RI[2] == 0.58


def test_combine_multiplicative_and_linear():
    a, b = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    # products 0.10, 0.09, 0.10 over 0.29
    np.testing.assert_allclose(combine_weights([a, b]), [10 / 29, 9 / 29, 10 / 29])
    np.testing.assert_allclose(combine_weights([a, b], "linear"), [0.35, 0.3, 0.35])
    np.testing.assert_allclose(
        combine_weights([a, b], "linear", alpha=[0.25, 0.75]), [0.275, 0.3, 0.425]
    )
    with pytest.raises(MethodError, match="alpha"):
        combine_weights([a, b], "linear", alpha=[0.5, 0.6])


def test_combine_game_theory_hand_worked():
    a, b = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    # Gram matrix: a.a = b.b = 0.38, a.b = 0.29. System [[.38,.29],[.29,.38]] alpha = [.38,.38]
    # is symmetric, so alpha1 = alpha2 = 0.38/0.67, normalised to 1/2 each -> the mean vector.
    np.testing.assert_allclose(combine_weights([a, b], "game"), [0.35, 0.3, 0.35])
    c = np.array([0.6, 0.3, 0.1])
    gram = np.array([[a @ a, a @ c], [c @ a, c @ c]])
    alpha = np.linalg.solve(gram, np.diag(gram))
    alpha = np.abs(alpha) / np.abs(alpha).sum()
    np.testing.assert_allclose(combine_weights([a, c], "game"), alpha[0] * a + alpha[1] * c)
    # identical vectors (singular system) return that vector
    np.testing.assert_allclose(combine_weights([a, a], "game"), a)


positive = arrays(
    np.float64,
    st.tuples(st.integers(3, 15), st.integers(2, 5)),
    elements=st.floats(0.01, 1e3, allow_nan=False, allow_subnormal=False),
)


def _quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        return f(*args, **kwargs)


@settings(max_examples=60, deadline=None)
@given(positive)
def test_weights_are_nonnegative_and_sum_to_one(X):
    Z = _quiet(normalize, X, ["+"] * X.shape[1])
    for w in (_quiet(entropy_weights, Z), _quiet(critic_weights, Z), _quiet(cv_weights, X)):
        assert (w >= 0).all()
        assert w.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(positive, st.integers(0, 4), st.floats(0.1, 10.0))
def test_constant_indicator_gets_weight_zero(X, where, value):
    assume(np.ptp(X, axis=0).max() > 0)  # some indicator varies (else equal weights, by design)
    j = where % (X.shape[1] + 1)
    data = np.insert(X, j, value, axis=1)
    Z = _quiet(normalize, data, ["+"] * data.shape[1])
    assert _quiet(entropy_weights, Z)[j] == 0.0
    assert _quiet(critic_weights, Z)[j] == 0.0


@settings(max_examples=40, deadline=None)
@given(positive, st.floats(1e-3, 1e3))
def test_weights_invariant_to_rescaling_units(X, scale):
    dirs = ["+", "-", "+", "-", "+"][: X.shape[1]]
    scaled = X.copy()
    scaled[:, 0] *= scale
    Z, Zs = _quiet(normalize, X, dirs), _quiet(normalize, scaled, dirs)
    np.testing.assert_allclose(
        _quiet(entropy_weights, Zs), _quiet(entropy_weights, Z), rtol=1e-8, atol=1e-10
    )
    np.testing.assert_allclose(
        _quiet(critic_weights, Zs), _quiet(critic_weights, Z), rtol=1e-8, atol=1e-10
    )
