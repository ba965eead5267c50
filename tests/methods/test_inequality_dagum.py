"""Dagum (1997) Gini decomposition: hand-worked oracles, O(n²) reference, properties."""

from __future__ import annotations

import numpy as np
import pytest
from dagum_naive import dagum_gini_naive, dagum_gini_pairs
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import MethodError
from ronghe.methods.inequality import dagum_gini, gini


def test_separated_groups_have_no_transvariation():
    # A = {1, 2}, B = {3, 4}; n = 4, mean 2.5.
    # Σ|yi-yj| over all ordered pairs = 2·(1+2+3+1+2+1) = 20 → G = 20/(2·16·2.5) = 0.25
    # G_AA = 2·1/(2·4·1.5) = 1/6, G_BB = 2·1/(2·4·3.5) = 1/14, p = (.5, .5), s = (.3, .7)
    # Gw = 1/6·.5·.3 + 1/14·.5·.7 = .025 + .025 = .05
    # G_BA = (2+3+1+2)/(4·5) = .4, weight p_B s_A + p_A s_B = .5, D_BA = 1 (B always richer)
    # Gnb = .4·.5·1 = .2, Gt = 0
    r = dagum_gini([3, 1, 4, 2], ["B", "A", "B", "A"])
    assert r.groups == ("A", "B")
    assert r.gini == pytest.approx(0.25, abs=1e-15)
    assert r.within == pytest.approx(0.05, abs=1e-15)
    assert r.net_between == pytest.approx(0.20, abs=1e-15)
    assert r.transvariation == pytest.approx(0.0, abs=1e-15)
    assert r.G[0, 0] == pytest.approx(1 / 6)
    assert r.G[1, 1] == pytest.approx(1 / 14)
    assert r.G[1, 0] == pytest.approx(0.4)
    assert r.D[1, 0] == pytest.approx(1.0)


def test_overlapping_groups():
    # A = {1, 3} (mean 2), B = {2, 4} (mean 3); s = (.4, .6)
    # G_AA = (2+2)/(2·4·2) = .25, G_BB = 4/(2·4·3) = 1/6
    # G_AB = (|1-2|+|1-4|+|3-2|+|3-4|)/(2·2·(2+3)) = 6/20 = .3
    # d_BA = E[max(B-A,0)] = (1+0+3+1)/4 = 5/4, p_BA = E[max(A-B,0)] = (0+1+0+0)/4 = 1/4
    # D_BA = (5/4-1/4)/(5/4+1/4) = 2/3
    # Gw = .25·.5·.4 + 1/6·.5·.6 = .1; Gnb = .3·.5·2/3 = .1; Gt = .3·.5·1/3 = .05
    r = dagum_gini([1, 3, 2, 4], ["A", "A", "B", "B"])
    assert r.gini == pytest.approx(0.25)
    assert r.within == pytest.approx(0.10)
    assert r.net_between == pytest.approx(0.10)
    assert r.transvariation == pytest.approx(0.05)
    assert r.between == pytest.approx(0.15)
    assert r.G[0, 0] == pytest.approx(0.25)
    assert r.G[1, 1] == pytest.approx(1 / 6)
    assert r.G[0, 1] == pytest.approx(0.3) and r.G[1, 0] == pytest.approx(0.3)
    assert r.D[1, 0] == pytest.approx(2 / 3) and r.D[0, 1] == pytest.approx(-2 / 3)
    assert r.d[1, 0] == pytest.approx(5 / 4) and r.d[0, 1] == pytest.approx(1 / 4)
    np.testing.assert_allclose(r.income_shares, [0.4, 0.6])
    np.testing.assert_allclose(r.population_shares, [0.5, 0.5])
    assert r.contributions == pytest.approx({"within": 0.4, "net_between": 0.4,
                                             "transvariation": 0.2})


def test_groups_ordered_by_mean_not_label():
    r = dagum_gini([10, 11, 1, 2, 5, 6], ["a", "a", "b", "b", "c", "c"])
    assert r.groups == ("b", "c", "a")
    np.testing.assert_allclose(r.means, [1.5, 5.5, 10.5])
    assert (r.D[np.tril_indices(3, -1)] >= 0).all()


def assert_matches_naive(y, g):
    fast, slow = dagum_gini(y, g), dagum_gini_naive(y, g)
    for key in ("gini", "within", "net_between", "transvariation"):
        assert getattr(fast, key) == pytest.approx(slow[key], rel=1e-12, abs=1e-15), key
    # compare matrices label by label (tie order of equal means may differ)
    idx = [fast.groups.index(lab) for lab in slow["groups"]]
    np.testing.assert_allclose(fast.G[np.ix_(idx, idx)], slow["G"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fast.D[np.ix_(idx, idx)], slow["D"], rtol=1e-12, atol=1e-12)


def test_matches_naive_on_random_data():
    rng = np.random.default_rng(7)
    y = rng.lognormal(size=600)
    g = rng.integers(0, 6, size=600)
    assert_matches_naive(y, g)


def test_plain_pairs_form_matches_naive():
    # the bench's peer (bench/analysis.py) must compute the same decomposition as the oracle
    rng = np.random.default_rng(11)
    for n, k in ((600, 6), (301, 31), (40, 1)):
        y = rng.lognormal(size=n)
        y[:5] = 0.0
        g = rng.integers(0, k, size=n)
        slow, plain = dagum_gini_naive(y, g), dagum_gini_pairs(y, g, block=64)
        assert plain["groups"] == slow["groups"]
        for key in ("gini", "within", "net_between", "transvariation"):
            assert plain[key] == pytest.approx(slow[key], rel=1e-12, abs=1e-15), key
        np.testing.assert_allclose(plain["G"], slow["G"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(plain["D"], slow["D"], rtol=1e-12, atol=1e-12)


def test_ties_and_zeros():
    y = np.array([0, 0, 1, 1, 1, 2, 2, 5, 5, 0], dtype=float)
    g = np.array([0, 1, 0, 1, 2, 2, 0, 1, 2, 2])
    assert_matches_naive(y, g)


samples = st.integers(2, 40).flatmap(lambda n: st.tuples(
    st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e3)), min_size=n, max_size=n),
    st.lists(st.integers(0, 3), min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(samples, st.floats(0.01, 100))
def test_properties(sample, scale):
    y, g = np.array(sample[0]), np.array(sample[1])
    means_positive = all(y[g == lab].sum() > 0 for lab in set(g.tolist()))
    if not means_positive:
        with pytest.raises(MethodError):
            dagum_gini(y, g)
        return
    r = dagum_gini(y, g)
    parts = r.within + r.net_between + r.transvariation
    assert r.gini == pytest.approx(parts, rel=1e-12, abs=1e-15)
    assert r.gini == pytest.approx(gini(y), rel=1e-12, abs=1e-15)
    assert r.gini == pytest.approx(dagum_gini(y * scale, g).gini, rel=1e-10, abs=1e-15)
    assert r.net_between >= -1e-15 and r.transvariation >= -1e-15
    assert_matches_naive(y, g)


def test_bad_input():
    with pytest.raises(MethodError, match="non-negative"):
        dagum_gini([1, -2, 3], [0, 0, 1])
    with pytest.raises(MethodError, match="group 1"):
        dagum_gini([1, 0, 0], [0, 1, 1])
    with pytest.raises(MethodError, match="one label per value"):
        dagum_gini([1, 2, 3], [0, 1])
    with pytest.raises(MethodError, match="missing"):
        dagum_gini([1, np.nan, 3], [0, 1, 1])
