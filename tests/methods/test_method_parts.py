"""The parts of the weighting and TOPSIS kernels (the tables SPSSAU and the textbooks print):
hand-worked examples with the arithmetic visible, pymcdm where it exposes the same quantity."""

import math
import warnings

import numpy as np
import pytest
from pymcdm.methods import TOPSIS
from pymcdm.weights import critic_weights as pymcdm_critic
from pymcdm.weights import entropy_weights as pymcdm_entropy

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods import (
    ahp_parts,
    ahp_weights,
    cap_weights,
    critic_parts,
    critic_weights,
    cv_parts,
    cv_weights,
    entropy_parts,
    entropy_weights,
    normalize,
    topsis,
    topsis_parts,
)


def test_entropy_parts_by_hand():
    Z = np.array([[1.0, 2.0], [3.0, 6.0], [4.0, 2.0]])
    # column 0: p = 1/8, 3/8, 4/8; column 1: p = 2/10, 6/10, 2/10
    e0 = -(1 / 8 * math.log(1 / 8) + 3 / 8 * math.log(3 / 8) + 4 / 8 * math.log(4 / 8)) / math.log(3)
    e1 = -(2 * 0.2 * math.log(0.2) + 0.6 * math.log(0.6)) / math.log(3)
    parts = entropy_parts(Z)
    np.testing.assert_allclose(parts.entropy, [e0, e1], atol=1e-15)
    np.testing.assert_allclose(parts.utility, [1 - e0, 1 - e1], atol=1e-15)
    d = np.array([1 - e0, 1 - e1])
    np.testing.assert_allclose(parts.weight, d / d.sum(), atol=1e-15)
    np.testing.assert_array_equal(parts.weight, entropy_weights(Z))


@pytest.mark.parametrize("seed", range(3))
def test_entropy_utility_is_pymcdm_weight_up_to_scale(seed):
    X = np.random.default_rng(seed).uniform(0.5, 50.0, size=(30, 5))
    parts = entropy_parts(X)
    np.testing.assert_allclose(parts.utility / parts.utility.sum(), pymcdm_entropy(X), atol=1e-12)
    np.testing.assert_allclose(parts.entropy + parts.utility, 1.0)


def test_entropy_parts_constant_column():
    Z = np.array([[0.2, 1.0], [0.5, 1.0], [0.9, 1.0]])
    with pytest.warns(RongheWarning):
        parts = entropy_parts(Z)
    assert parts.entropy[1] == 1.0 and parts.utility[1] == 0.0 and parts.weight[1] == 0.0


def test_critic_parts_by_hand():
    Z = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 1.0], [1.0, 0.5, 0.5]])
    sd = Z.std(axis=0, ddof=1)
    r = np.corrcoef(Z, rowvar=False)
    conflict = np.array([sum(1 - r[j, k] for k in range(3)) for j in range(3)])
    parts = critic_parts(Z)
    np.testing.assert_allclose(parts.sd, sd)
    np.testing.assert_allclose(parts.conflict, conflict)
    np.testing.assert_allclose(parts.information, sd * conflict)
    np.testing.assert_allclose(parts.weight, sd * conflict / (sd * conflict).sum())
    np.testing.assert_array_equal(parts.weight, critic_weights(Z))
    # column 0 and column 2 are correlated 0.5, column 0 and column 1 -0.5 by construction
    assert r[0, 2] == pytest.approx(0.5) and r[0, 1] == pytest.approx(-0.5)


@pytest.mark.parametrize("seed", range(3))
def test_critic_parts_weight_matches_pymcdm(seed):
    X = np.random.default_rng(seed).normal(10.0, 3.0, size=(30, 5))
    Z = normalize(X, ["+"] * 5, shift=0)
    np.testing.assert_allclose(critic_parts(Z).weight, pymcdm_critic(X), atol=1e-12)


def test_critic_parts_constant_column_is_nan_not_zero_information():
    Z = np.array([[0.0, 1.0, 0.3], [0.5, 1.0, 0.1], [1.0, 1.0, 0.9]])
    with pytest.warns(RongheWarning):
        parts = critic_parts(Z)
    assert parts.sd[1] == 0.0 and math.isnan(parts.conflict[1]) and parts.weight[1] == 0.0


def test_cv_parts_by_hand():
    X = np.array([[2.0, 10.0], [4.0, 10.5], [6.0, 11.0]])
    # column 0: mean 4, sd 2, CV 0.5; column 1: mean 10.5, sd 0.5, CV 1/21
    parts = cv_parts(X)
    np.testing.assert_allclose(parts.mean, [4.0, 10.5])
    np.testing.assert_allclose(parts.sd, [2.0, 0.5])
    np.testing.assert_allclose(parts.cv, [0.5, 1 / 21])
    np.testing.assert_allclose(parts.weight, np.array([0.5, 1 / 21]) / (0.5 + 1 / 21))
    np.testing.assert_array_equal(parts.weight, cv_weights(X))


def test_ahp_parts_by_hand_consistent_and_not():
    # a perfectly consistent matrix from w = (4, 2, 1)/7: lambda_max = n = 3, CI = CR = 0
    A = np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])
    p = ahp_parts(A)
    np.testing.assert_allclose(p.weight, np.array([4, 2, 1]) / 7)
    assert p.lambda_max == pytest.approx(3.0) and p.ci == pytest.approx(0.0, abs=1e-12)
    assert p.ri == 0.58 and p.cr == pytest.approx(0.0, abs=1e-12)
    # an inconsistent one: lambda_max from the characteristic polynomial of a 3x3 reciprocal
    # matrix with a12 = a, a13 = b, a23 = c: lambda^3 - 3 lambda^2 - (t + 1/t - 2) = 0, t = a c / b
    a, b, c = 3.0, 5.0, 3.0
    t = a * c / b
    lam = max(np.roots([1, -3, 0, -(t + 1 / t - 2)]).real)
    B = np.array([[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]])
    q = ahp_parts(B)
    ci = (lam - 3) / 2
    assert q.lambda_max == pytest.approx(lam, abs=1e-9)
    assert q.ci == pytest.approx(ci, abs=1e-9)
    assert q.cr == pytest.approx(ci / 0.58, abs=1e-9)
    w, cr = ahp_weights(B)
    np.testing.assert_array_equal(w, q.weight)
    assert cr == q.cr


def test_topsis_parts_by_hand():
    Z = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    w = np.array([0.75, 0.25])
    # V = [[.75, 0], [0, .25], [.375, .125]]; v+ = (.75, .25), v- = (0, 0)
    p = topsis_parts(Z, w)
    np.testing.assert_allclose(p.ideal, [0.75, 0.25])
    np.testing.assert_allclose(p.anti_ideal, [0.0, 0.0])
    np.testing.assert_allclose(p.d_plus, [0.25, 0.75, math.hypot(0.375, 0.125)])
    np.testing.assert_allclose(p.d_minus, [0.75, 0.25, math.hypot(0.375, 0.125)])
    np.testing.assert_allclose(p.closeness, [0.75, 0.25, 0.5])
    np.testing.assert_array_equal(p.closeness, topsis(Z, w))


@pytest.mark.parametrize("seed", range(3))
def test_topsis_parts_match_pymcdm(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(10.0, 3.0, size=(25, 4))
    w = rng.uniform(0.1, 1.0, 4)
    w /= w.sum()
    types = np.ones(4)
    _n, _v, nis, pis, dm, dp, pref = TOPSIS()._method(X, w, types)
    p = topsis_parts(normalize(X, ["+"] * 4, shift=0), w)
    np.testing.assert_allclose(p.ideal, pis, atol=1e-12)
    np.testing.assert_allclose(p.anti_ideal, nis, atol=1e-12)
    np.testing.assert_allclose(p.d_plus, dp, atol=1e-12)
    np.testing.assert_allclose(p.d_minus, dm, atol=1e-12)
    np.testing.assert_allclose(p.closeness, pref, atol=1e-12)


def test_cap_weights():
    w = np.array([0.6, 0.2, 0.1, 0.1])
    capped = cap_weights(w, 0.4)
    # excess 0.2 shared 2:1:1 -> 0.3, 0.15, 0.15
    np.testing.assert_allclose(capped, [0.4, 0.3, 0.15, 0.15])
    # a second round when sharing pushes another weight over the cap
    np.testing.assert_allclose(cap_weights([0.7, 0.25, 0.05], 0.4), [0.4, 0.4, 0.2])
    np.testing.assert_allclose(cap_weights(w, 0.9), w)
    with pytest.raises(MethodError, match="equal share"):
        cap_weights(w, 0.2)
    # a zero weight (constant indicator) receives nothing; the cap counts positive weights only
    np.testing.assert_allclose(cap_weights([0.8, 0.2, 0.0], 0.5), [0.5, 0.5, 0.0])
    with pytest.raises(MethodError, match="2 positive"):
        cap_weights([0.8, 0.2, 0.0], 0.4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cap_weights([0.25] * 4, 0.25).tolist() == [0.25] * 4


def test_cap_weights_properties():
    rng = np.random.default_rng(0)
    for _ in range(200):
        k = int(rng.integers(2, 30))
        w = rng.dirichlet(np.full(k, 0.3))
        cap = float(rng.uniform(1 / k, 1.0))
        out = cap_weights(w, cap)
        assert out.sum() == pytest.approx(1.0)
        assert (out <= cap + 1e-12).all() and (out >= 0).all()
        free = w < cap * 0.999
        # the order of the uncapped weights is kept
        if free.sum() > 1 and (out[free] < cap - 1e-9).all():
            assert (np.argsort(out[free], kind="stable") == np.argsort(w[free], kind="stable")).all()
