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
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

__all__ = ["conditional_p_values", "shared_draws"]

# Entries of the (regions × draws × neighbours) gather array processed at once (about 32 MB).
_CHUNK_ENTRIES = 4_000_000


def shared_draws(n: int, max_card: int, permutations: int, seed: int | None) -> np.ndarray:
    """(permutations × max_card) positions in 0..n−2, each row a uniform random ordered sample
    without replacement (the ``max_card`` smallest of n − 1 uniform keys, in key order)."""
    rng = np.random.default_rng(seed)
    keys = rng.random((permutations, n - 1))
    chosen = np.argpartition(keys, max_card - 1, axis=1)[:, :max_card]
    order = np.argsort(np.take_along_axis(keys, chosen, axis=1), axis=1)
    return np.take_along_axis(chosen, order, axis=1)


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
