"""Conditional randomisation in bounded chunks: same draws and p-values as one full-size call,
and memory that does not grow with permutations × regions."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from ronghe.spatial import conditional
from ronghe.spatial.conditional import conditional_p_values, shared_draws


def _draws_in_one_call(n: int, max_card: int, permutations: int, seed: int) -> np.ndarray:
    """The unchunked procedure: all (permutations × n − 1) keys at once."""
    keys = np.random.default_rng(seed).random((permutations, n - 1))
    chosen = np.argpartition(keys, max_card - 1, axis=1)[:, :max_card]
    order = np.argsort(np.take_along_axis(keys, chosen, axis=1), axis=1)
    return np.take_along_axis(chosen, order, axis=1)


def _ring(n: int, k: int) -> sp.csr_matrix:
    """Each region linked to its k following regions on a ring (row-standardised)."""
    rows = np.repeat(np.arange(n), k)
    cols = (rows + np.tile(np.arange(1, k + 1), n)) % n
    return sp.csr_matrix((np.full(n * k, 1.0 / k), (rows, cols)), shape=(n, n))


@pytest.mark.parametrize("chunk", [1, 37, 1_000, 4_000_000])
def test_draws_do_not_depend_on_the_chunk(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(conditional, "_CHUNK_ENTRIES", chunk)
    got = shared_draws(60, 4, 99, seed=7)
    np.testing.assert_array_equal(got, _draws_in_one_call(60, 4, 99, seed=7))
    assert got.shape == (99, 4)


def test_p_values_do_not_depend_on_the_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    y = rng.normal(size=80)
    z = y - y.mean()
    w = _ring(80, 3)
    observed = z * (w @ z)

    def stat(i: np.ndarray, lags: np.ndarray) -> np.ndarray:
        return z[i, None] * lags

    whole = conditional_p_values(z, w, observed, stat, permutations=199, seed=5)
    monkeypatch.setattr(conditional, "_CHUNK_ENTRIES", 50)
    chunked = conditional_p_values(z, w, observed, stat, permutations=199, seed=5)
    np.testing.assert_array_equal(chunked, whole)


def test_memory_is_bounded_by_the_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    # 199 permutations × 50,000 regions: the full key matrix alone is 80 MB (and its argpartition
    # another 80 MB); with 100,000-entry chunks the whole routine stays within a few MB.
    monkeypatch.setattr(conditional, "_CHUNK_ENTRIES", 100_000)
    n = 50_000
    z = np.random.default_rng(1).normal(size=n)
    w = _ring(n, 4)
    observed = z * (w @ z)
    tracemalloc.start()
    try:
        p = conditional_p_values(z, w, observed, lambda i, lags: z[i, None] * lags,
                                 permutations=199, seed=2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert np.isfinite(p).all()
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MB"
