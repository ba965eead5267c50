"""Coherence kernels against hand computations, and the dominance warning on planted frameworks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.audit import EFFECTIVE_LIMIT, FIRST_OBSTACLE_MAJORITY, dominance, dominance_threshold
from ronghe.methods.coherence import (
    correlation_importance,
    correlations_with,
    cronbach_alpha,
    first_component_share,
    variance_shares,
)


def test_cronbach_alpha_by_hand():
    X = np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 4.0], [3.0, 5.0, 4.0], [4.0, 4.0, 6.0]])
    # item variances (ddof 1): 5/3, 27/12 = 2.25, 19/12 -> sum 5.5;
    # row sums 6, 8, 12, 14 (mean 10): variance (16 + 4 + 4 + 16) / 3 = 40/3
    alpha = 3 / 2 * (1 - 5.5 / (40 / 3))
    assert cronbach_alpha(X) == pytest.approx(alpha)
    assert cronbach_alpha(X) == pytest.approx(0.88125)
    assert np.isnan(cronbach_alpha(X[:, :1]))


def test_first_component_share_by_hand():
    # two perfectly correlated columns and one independent: eigenvalues of [[1,1,0],[1,1,0],[0,0,1]]
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([1.0, -1.0, -1.0, 1.0])  # uncorrelated with a
    X = np.column_stack([a, 2 * a + 1, b])
    assert first_component_share(X) == pytest.approx(2 / 3)
    assert first_component_share(np.column_stack([a, np.ones(4)])) == 1.0


def test_variance_shares_by_hand_and_sum():
    Z = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [3.0, 2.0]])
    w = np.array([0.25, 0.75])
    y = Z @ w
    cov = [np.cov(Z[:, j], y)[0, 1] for j in range(2)]
    expected = w * cov / y.var(ddof=1)
    np.testing.assert_allclose(variance_shares(Z, w), expected)
    assert variance_shares(Z, w).sum() == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(arrays(float, (12, 5), elements=st.floats(0, 1)), arrays(float, 5, elements=st.floats(0.01, 1)))
def test_effective_weights_sum_to_one(Z, w):
    shares = variance_shares(Z, w)
    if (Z @ (w / w.sum())).var() > 1e-12:
        assert shares.sum() == pytest.approx(1.0, abs=1e-9)
    imp = correlation_importance(Z, Z @ w)
    assert imp.sum() == pytest.approx(1.0, abs=1e-9) or imp.sum() == 0.0


def test_correlations_with_matches_numpy():
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(30, 4))
    y = rng.normal(size=30)
    np.testing.assert_allclose(correlations_with(Z, y),
                               [np.corrcoef(Z[:, j], y)[0, 1] for j in range(4)])
    assert np.isnan(correlations_with(np.ones((5, 1)), np.arange(5.0))[0])


def _balanced(n=400, k=10, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, size=(n, k))


def _first_shares(Z, w):
    O = w * (1 - Z)
    O = O / O.sum(axis=1, keepdims=True)
    return np.bincount(np.argmax(O, axis=1), minlength=Z.shape[1]) / Z.shape[0]


def _dom(Z, w):
    k = Z.shape[1]
    ids = [f"x{j}" for j in range(k)]
    return dominance(ids, [(i, i) for i in ids], w, variance_shares(Z, w), _first_shares(Z, w))[1]


def test_dominance_silent_on_a_balanced_framework():
    Z = _balanced()
    w = np.full(10, 0.1)
    assert _dom(Z, w) == []


def test_dominance_fires_on_a_planted_heavy_weight():
    Z = _balanced()
    w = np.full(10, 0.5 / 9)
    w[3] = 0.5
    found = {(d.indicator, d.kind) for d in _dom(Z, w)}
    assert ("x3", "nominal_weight") in found and ("x3", "first_obstacle") in found
    assert all(ind == "x3" for ind, _ in found)


def test_dominance_fires_on_a_planted_first_obstacle_and_variance():
    Z = _balanced()
    Z[:, 7] = Z[:, 7] * 0.05  # everybody scores badly on x7: the first obstacle almost everywhere
    w = np.full(10, 0.1)
    kinds = {d.kind for d in _dom(Z, w) if d.indicator == "x7"}
    assert "first_obstacle" in kinds and "nominal_weight" not in kinds
    # an indicator that varies far more than the rest carries the index's variance
    Z2 = _balanced() * 0.1
    Z2[:, 2] = _balanced(seed=5)[:, 2]
    kinds2 = {(d.indicator, d.kind) for d in _dom(Z2, np.full(10, 0.1))}
    assert ("x2", "effective_weight") in kinds2


def test_thresholds_are_stated():
    assert dominance_threshold(36) == pytest.approx(3 / 36)
    assert dominance_threshold(4) == 0.5
    assert EFFECTIVE_LIMIT == 0.25 and FIRST_OBSTACLE_MAJORITY == 0.5
