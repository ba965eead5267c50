"""Step 5, aggregation: dimension scores U_d and the composite index.

U_d = aggregate(Z_d, w*_d / Σ w*_d) over the indicators of dimension d (:func:`within`);
composite = aggregate(U, W) over the dimensions, except for a ``flat`` method (TOPSIS), whose
composite is its closeness over all indicators with the effective weights w*. TOPSIS closeness
over all indicators is reported whatever the method.

Registry entries (:data:`AGGREGATIONS`):

- ``arithmetic``: S = Σ_j w_j z_j (:func:`ronghe.methods.weighted_arithmetic`);
- ``geometric``: S = Π_j z_j^w_j, scores must be > 0 (:func:`ronghe.methods.weighted_geometric`);
- ``topsis``: closeness D- / (D+ + D-) to the weighted column ideals
  (:func:`ronghe.methods.topsis`).

The ideals of TOPSIS are the only pooled statistic: ``reference`` (rows whose ideals are used,
the baseline's for frozen-anchor scenarios) makes every method a row-wise map, so slices of rows
give the whole panel's scores. Each entry also has a batch form for the uncertainty audit: the
flat composite Σ w*_j z_j, exp(Σ w*_j log z_j) or TOPSIS with w*, for many weight vectors at
once on prepared matrices (``prepare`` once per normalised matrix, ``batch`` per chunk of draws).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ronghe import methods as m
from ronghe.chain.weights import within
from ronghe.errors import InputError, RongheWarning

Prepared = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Aggregation:
    """A registry entry: ``score(Z, w, reference)`` -> (n,) scores; ``flat``: the composite is
    ``score`` over all indicators with the effective weights (not over U); ``prepare(Z, rows)``
    and ``batch(prepared, weights)`` the flat composite of ``rows`` for a batch of weight
    vectors (b, k) -> (b, rows); ``local``: a row's score depends on that row alone (and any
    row gives its index when invalid), so dimension scores are computed in blocks of rows."""

    score: Callable[[np.ndarray, np.ndarray, np.ndarray | None], np.ndarray]
    flat: bool
    prepare: Callable[[np.ndarray, np.ndarray], Prepared]
    batch: Callable[[Prepared, np.ndarray], np.ndarray]
    local: bool = False


def _arithmetic(Z: np.ndarray, w: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    return m.weighted_arithmetic(Z, w)


def _geometric(Z: np.ndarray, w: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    return m.weighted_geometric(Z, w)


def _topsis(Z: np.ndarray, w: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    return np.asarray(m.topsis(Z, w, reference=reference))


def _rows(Z: np.ndarray, rows: np.ndarray) -> Prepared:
    return (Z[rows],)


def _logs(Z: np.ndarray, rows: np.ndarray) -> Prepared:
    if (Z <= 0).any():
        raise InputError("geometric aggregation needs scores > 0: set a positive "
                         "normalization.shift or leave it out of the options")
    return (np.log(Z[rows]),)


def _squares(Z: np.ndarray, rows: np.ndarray) -> Prepared:
    """(z - pooled column max)² and (z - pooled column min)²: the ideal of w z is w times that
    of z for w >= 0, so d± = sqrt((Z - z±)² · w²)."""
    return (Z[rows] - Z.max(axis=0)) ** 2, (Z[rows] - Z.min(axis=0)) ** 2


def _batch_arithmetic(p: Prepared, w: np.ndarray) -> np.ndarray:
    return (p[0] @ w.T).T


def _batch_geometric(p: Prepared, w: np.ndarray) -> np.ndarray:
    return np.exp(p[0] @ w.T).T


def _batch_topsis(p: Prepared, w: np.ndarray) -> np.ndarray:
    w2 = (w**2).T
    dp = np.sqrt(p[0] @ w2)
    dm = np.sqrt(p[1] @ w2)
    total = dp + dm
    return np.asarray(np.where(total > 0, dm / np.where(total > 0, total, 1.0), 0.5).T)


#: ``aggregation`` name -> aggregation method.
AGGREGATIONS: dict[str, Aggregation] = {
    "arithmetic": Aggregation(_arithmetic, False, _rows, _batch_arithmetic, local=True),
    "geometric": Aggregation(_geometric, False, _logs, _batch_geometric),
    "topsis": Aggregation(_topsis, True, _squares, _batch_topsis),
}


def closeness(Z: np.ndarray, w_eff: np.ndarray, reference: np.ndarray | None = None
              ) -> np.ndarray:
    """TOPSIS closeness over all indicators with the effective weights (ideals of
    ``reference`` when given)."""
    return _topsis(Z, w_eff, reference)


def dimension_scores(Z: np.ndarray, w_eff: np.ndarray, groups: Sequence[np.ndarray],
                     method: str, reference: np.ndarray | None = None) -> np.ndarray:
    """U (n, m): each dimension's indicators aggregated with their weights within it."""
    agg = AGGREGATIONS[method]
    score = agg.score
    if agg.local and reference is None:  # block by block: no copy of a dimension's columns
        U = np.empty((Z.shape[0], len(groups)))
        shares = [within(w_eff, idx) for idx in groups]
        for rows in m.row_blocks(*Z.shape):
            block = Z[rows]
            for d, idx in enumerate(groups):
                U[rows, d] = score(block[:, idx], shares[d], None)
        return U
    return np.column_stack([
        score(Z[:, idx], within(w_eff, idx), None if reference is None else reference[:, idx])
        for idx in groups
    ])


def composite(U: np.ndarray, W: np.ndarray, method: str, flat: Callable[[], np.ndarray]
              ) -> np.ndarray:
    """The composite index: ``flat()`` (the closeness over all indicators, computed by the
    caller) for a flat method, else the method over the dimension scores with weights W."""
    agg = AGGREGATIONS[method]
    return flat() if agg.flat else agg.score(U, W, None)


def warn_constant_dimensions(Z: np.ndarray, groups: Sequence[np.ndarray], ids: Sequence[str]
                             ) -> None:
    """A dimension whose indicators are all constant scores the same everywhere (1 under
    min–max), tells no region apart and still enters the coupling: say so by dimension."""
    constant = Z.max(axis=0) == Z.min(axis=0)  # by column: no copy of Z per dimension
    for d, idx in zip(ids, groups, strict=True):
        if constant[idx].all():
            warnings.warn(
                f"维度 {d!r} 的所有指标均为常数，维度得分处处相同，但仍参与耦合协调度计算；"
                f"dimension {d!r}: every indicator is constant, so its score is the same for "
                "every region-year, yet it still enters the coupling coordination",
                RongheWarning,
                stacklevel=3,
            )
