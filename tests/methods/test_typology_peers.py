"""peer_similarity: hand-worked distances, SciPy oracle, invariances, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import cdist
from scipy.stats import zscore

from ronghe.errors import MethodError
from ronghe.methods.typology import peer_similarity, profile_zscores

# col 0: mean 2, population sd sqrt(((-2)^2 + 0 + 2^2 + 0) / 4) = sqrt(2) -> z = (-√2, 0, √2, 0)
# col 1: constant -> 0
# col 2: mean 20, sd 10 -> z = (-1, -1, 1, 1)
F = np.array([[0.0, 5.0, 10.0], [2.0, 5.0, 10.0], [4.0, 5.0, 30.0], [2.0, 5.0, 30.0]])


def test_euclidean_hand_worked():
    # z_1 = (0, 0, -1): to z_0 = (-√2, 0, -1): √2; to z_3 = (0, 0, 1): 2; to z_2 = (√2, 0, 1): √6
    order, dist = peer_similarity(F, 1, [0, 1, 2, 3])
    np.testing.assert_array_equal(order, [0, 3, 2])
    np.testing.assert_allclose(dist, [math.sqrt(2), 2.0, math.sqrt(6)])


def test_cosine_hand_worked():
    # z_1·z_0 = 1, |z_0| = √3 -> 1 - 1/√3; z_1·z_2 = -1, |z_2| = √3 -> 1 + 1/√3; z_1·z_3 = -1 -> 2
    order, dist = peer_similarity(F, 1, [3, 2, 0], metric="cosine")
    np.testing.assert_array_equal(order, [0, 2, 3])
    np.testing.assert_allclose(dist, [1 - 1 / math.sqrt(3), 1 + 1 / math.sqrt(3), 2.0])


def test_cosine_of_a_mean_profile_is_one_and_ties_keep_index_order():
    G = np.array([[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]])  # row 0 is the mean: z = (0, 0)
    order, dist = peer_similarity(G, 0, [2, 1], metric="cosine")
    np.testing.assert_array_equal(order, [1, 2])
    np.testing.assert_allclose(dist, [1.0, 1.0])


def test_a_column_of_equal_values_is_ignored():
    # mean(0.1, 0.1, 0.1) rounds to 0.10000000000000002: the column must still count as constant
    G = np.array([[0.1, 0.0], [0.1, 1.0], [0.1, 3.0]])
    _, dist = peer_similarity(G, 0, [1, 2])
    _, without = peer_similarity(G[:, 1:], 0, [1, 2])
    np.testing.assert_array_equal(dist, without)


def test_empty_and_duplicate_candidates():
    order, dist = peer_similarity(F, 2, [2])
    assert order.size == 0 and dist.size == 0
    order, _ = peer_similarity(F, 2, [0, 0, 3, 3])
    np.testing.assert_array_equal(order, [3, 0])


# profiles on a 0.1 grid in [-100, 100]: realistic values, many exactly constant columns and ties
grid = st.integers(-1000, 1000).map(lambda x: x / 10)
profiles = st.integers(3, 10).flatmap(
    lambda n: st.integers(1, 4).flatmap(lambda p: arrays(float, (n, p), elements=grid))
)


def _oracle(f: np.ndarray, i: int, metric: str) -> np.ndarray:
    keep = np.ptp(f, axis=0) > 0
    z = zscore(f[:, keep], axis=0, ddof=0)
    if metric == "cosine":
        out = np.ones(len(f))
        ok = np.linalg.norm(z, axis=1) > 1e-9
        if ok[i]:
            out[ok] = cdist(z[[i]], z[ok], metric="cosine")[0]
        return out
    return cdist(z[[i]], z, metric="euclidean")[0]


@given(profiles, st.sampled_from(["euclidean", "cosine"]), st.data())
def test_agrees_with_scipy_and_is_sorted(f, metric, data):
    n = len(f)
    i = data.draw(st.integers(0, n - 1))
    order, dist = peer_similarity(f, i, range(n), metric=metric)
    assert sorted(order.tolist()) == [j for j in range(n) if j != i]
    assert np.all(np.diff(dist) >= 0) and np.all(dist >= 0)
    np.testing.assert_allclose(dist, _oracle(f, i, metric)[order], atol=1e-7)


@given(profiles, st.data())
def test_invariant_to_affine_rescaling_and_symmetric(f, data):
    n, p = f.shape
    i, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    if i == j:
        return
    scale = st.sampled_from([-3.0, 0.5, 2.0, 10.0])
    a = np.array(data.draw(st.lists(scale, min_size=p, max_size=p)))
    b = np.array(data.draw(st.lists(st.sampled_from([-7.0, 0.0, 4.0]), min_size=p, max_size=p)))
    _, d1 = peer_similarity(f, i, [j])
    _, d2 = peer_similarity(f * a + b, i, [j])
    _, d3 = peer_similarity(f, j, [i])
    np.testing.assert_allclose(d2, d1, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(d3, d1, rtol=1e-12, atol=1e-12)


def test_profile_zscores_hand_worked():
    s2 = math.sqrt(2.0)
    want = np.array([[-s2, 0, -1], [0, 0, -1], [s2, 0, 1], [0, 0, 1]])
    np.testing.assert_allclose(profile_zscores(F), want, atol=1e-15)


@given(profiles, st.sampled_from(["euclidean", "cosine"]), st.data())
def test_standardised_once_gives_the_same_ranking(f, metric, data):
    i = data.draw(st.integers(0, len(f) - 1))
    order, dist = peer_similarity(f, i, range(len(f)), metric=metric)
    again, dist2 = peer_similarity(profile_zscores(f), i, range(len(f)), metric=metric,
                                   standardized=True)
    np.testing.assert_array_equal(again, order)
    np.testing.assert_array_equal(dist2, dist)


@given(profiles, st.data())
def test_a_copy_of_the_region_ranks_first(f, data):
    i = data.draw(st.integers(0, len(f) - 1))
    g = np.vstack([f, f[i]])
    order, dist = peer_similarity(g, i, range(len(g)))
    assert dist[0] == 0.0
    assert len(g) - 1 in order[dist == 0.0]


@pytest.mark.parametrize(
    ("f", "i", "cand", "kwargs", "message"),
    [
        ([[1.0, np.nan], [2.0, 3.0]], 0, [1], {}, "row 0, column 1 is not a finite number"),
        ([[1.0, 2.0]], 0, [0], {}, "n >= 2"),
        ([1.0, 2.0], 0, [1], {}, "(n, p) array"),
        ([[1.0], [2.0]], 2, [0], {}, "region index 2 is outside 0..1"),
        ([[1.0], [2.0]], 0, [5], {}, "candidate indices must lie in 0..1"),
        ([[1.0], [2.0]], 0, [1], {"metric": "manhattan"}, "unknown metric 'manhattan'"),
    ],
)
def test_bad_input(f, i, cand, kwargs, message):
    with pytest.raises(MethodError) as err:
        peer_similarity(np.asarray(f), i, cand, **kwargs)
    assert message in str(err.value)
