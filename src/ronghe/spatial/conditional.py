"""Conditional randomisation for local spatial statistics, vectorised in NumPy.

The pseudo p-value of a local statistic at region i (Anselin 1995) holds y_i fixed and draws its k_i
neighbour values at random, without replacement, from the other n − 1 regions; the statistic is
recomputed for each of ``permutations`` draws and

    p_sim = (min(M, P − M) + 1) / (P + 1),   M = #{draws with statistic ≥ observed},  P = permutations,

which is esda's "directed" convention (the tail on the side of the observed value).

Why not esda's own routine: esda runs it through numba functions that are compiled at first use in
every process and never cached on disk; on this project's machines that compilation alone took
25–110 s, longer than the whole analysis of 2,875 counties. The statistics themselves (I_i, Gi*, the
quadrants, the analytical z-scores) still come from esda; only the draws are done here. One set of
draws (P × max k_i positions among n − 1) is shared by all regions, as in esda; region i maps
position j to region j when j < i and to j + 1 otherwise, which skips i itself.

Memory is bounded by a chunk, whatever n: the draws are made ``_CHUNK_ENTRIES // (n − 1)``
permutations at a time (the same generator stream as one (P × (n − 1)) call, so the same draws), and
the randomised lags ``_CHUNK_ENTRIES // (P × max k_i)`` regions at a time. Beyond the chunks the
routine holds O(n × max k_i + P × max k_i) numbers, so 620,000 regions with 999 permutations need
tens of megabytes where the whole key matrix would need 5 GB.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

__all__ = ["conditional_p_values", "shared_draws"]

# Entries of the (regions × draws × neighbours) gather array, or of the (draws × n − 1) random keys,
# processed at once (about 32 MB of float64).
_CHUNK_ENTRIES = 4_000_000


def shared_draws(n: int, max_card: int, permutations: int, seed: int | None) -> np.ndarray:
    """(permutations × max_card) positions in 0..n−2, each row a uniform random ordered sample
    without replacement (the ``max_card`` smallest of n − 1 uniform keys, in key order). The keys
    are drawn a chunk of permutations at a time (module docstring); the result does not depend on
    the chunk size."""
    rng = np.random.default_rng(seed)
    draws = np.empty((permutations, max_card), dtype=np.intp)
    step = max(1, _CHUNK_ENTRIES // max(n - 1, 1))
    for start in range(0, permutations, step):
        keys = rng.random((min(step, permutations - start), n - 1))
        chosen = np.argpartition(keys, max_card - 1, axis=1)[:, :max_card]
        order = np.argsort(np.take_along_axis(keys, chosen, axis=1), axis=1)
        draws[start : start + len(keys)] = np.take_along_axis(chosen, order, axis=1)
    return draws


def conditional_p_values(
    values: np.ndarray,
    neighbours: sp.csr_matrix,
    observed: np.ndarray,
    statistic: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    permutations: int,
    seed: int | None,
) -> np.ndarray:
    """Pseudo p-values of a local statistic by conditional randomisation.

    ``neighbours`` holds the off-diagonal weights (any self-weight belongs in ``statistic``);
    ``statistic(regions, lags)`` maps region positions (c,) and randomised spatial lags
    Σ_j w_ij values_j of shape (c, P) to statistics of shape (c, P) comparable with ``observed``.
    """
    n = values.shape[0]
    csr = sp.csr_matrix(neighbours)
    csr.setdiag(0)
    csr.eliminate_zeros()
    cards = np.diff(csr.indptr)
    max_card = int(cards.max())
    if max_card == 0:
        return np.full(n, np.nan)
    draws = shared_draws(n, max_card, permutations, seed)
    # Weights padded to max_card per region; padding weight 0 makes the padded draws harmless.
    padded = np.zeros((n, max_card))
    rows = np.repeat(np.arange(n), cards)
    slots = np.arange(csr.nnz) - np.repeat(csr.indptr[:-1], cards)
    padded[rows, slots] = csr.data
    p = np.empty(n)
    chunk = max(1, _CHUNK_ENTRIES // (permutations * max_card))
    for start in range(0, n, chunk):
        regions = np.arange(start, min(start + chunk, n))
        ids = draws[None, :, :] + (draws[None, :, :] >= regions[:, None, None])
        lags = np.einsum("cpk,ck->cp", values[ids], padded[regions])
        simulated = statistic(regions, lags)
        larger = (simulated >= observed[regions, None]).sum(axis=1)
        larger = np.minimum(larger, permutations - larger)
        p[start : start + len(regions)] = (larger + 1.0) / (permutations + 1.0)
    p[cards == 0] = np.nan
    return p
