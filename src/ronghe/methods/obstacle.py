"""Obstacle degree model (障碍度模型): which indicators hold a region back, and by how much.

Two lines of NumPy, written here for the input checks and the documented convention for a region
that has no deviation at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ronghe.methods._checks import as_matrix, as_weights, fail, warn

__all__ = ["GroupedObstacles", "aggregate_obstacles", "obstacle_degree"]


class GroupedObstacles(NamedTuple):
    """Obstacle degrees summed by group: ``shares`` (n, g), one column per name in ``groups``;
    unpacks as ``shares, groups = aggregate_obstacles(O, labels)``."""

    shares: np.ndarray
    groups: list[str]


def obstacle_degree(Z: object, w: object, best: float = 1.0) -> np.ndarray:
    """Obstacle degrees O (n, k) of normalised scores Z in [0, best] under weights w.

    Factor contribution w_j, deviation from the best score I_ij = best - z_ij (best = 1, or
    1 + s under the additive shift z = minmax + s, where I_ij is then 1 - minmax, the deviation
    of the published studies), O_ij = w_j I_ij / Σ_j w_j I_ij, so every row sums to 1. A row
    with no weighted deviation (Σ_j w_j I_ij = 0: the region is at the best value on every
    weighted indicator) has no obstacle that stands out; it is given the weights' shares
    O_ij = w_j / Σ w, which keeps rows summing to 1 and marks no indicator above its weight.
    Z outside [0, best] raises MethodError (a few ulps of rounding are clipped).
    """
    arr = as_matrix(Z, "Z", copy=False)
    wn = as_weights(w, arr.shape[1])
    if not (np.isfinite(best) and best > 0):
        raise fail(f"最优值 {best} 无效", f"best must be > 0, got {best}")
    tol = 8 * np.finfo(np.float64).eps * max(best, 1.0)
    if arr.min() < -tol or arr.max() > best + tol:
        i, j = np.argwhere((arr < -tol) | (arr > best + tol))[0]
        raise fail(
            f"第 {i} 行第 {j} 列为 {arr[i, j]}，不在 [0, {best:g}]",
            f"row {i}, column {j} is {arr[i, j]}, outside [0, {best:g}]",
        )
    num = (best - np.clip(arr, 0.0, best)) * wn
    den = num.sum(axis=1, keepdims=True)
    ideal = den[:, 0] <= 0
    shares = num / np.where(ideal[:, None], 1.0, den)
    shares[ideal] = wn
    return shares


def aggregate_obstacles(
    obstacles: object, labels: Sequence[str | None], renormalize: bool = False
) -> GroupedObstacles:
    """Sum obstacle degrees by indicator group (dimension, obstacle category O1–O4, ...).

    ``obstacles`` is the (n, k) output of :func:`obstacle_degree`; ``labels`` gives one group name
    per column, or None for a column that belongs to no group.
    Returns :class:`GroupedObstacles` (A (n, g), groups) with groups in order of first
    appearance. Columns labelled None are dropped, so rows of A sum to at most 1 (the untagged
    share is 1 - row sum). With ``renormalize=True`` rows are rescaled to sum to 1; a row whose
    grouped share is 0 then gets equal shares 1/g, with a RongheWarning.
    """
    arr = as_matrix(obstacles, "obstacles")
    k = arr.shape[1]
    if len(labels) != k:
        raise fail(f"标签数 {len(labels)} 与列数 {k} 不符", f"{len(labels)} labels for {k} columns")
    groups: list[str] = []
    for lab in labels:
        if lab is not None and lab not in groups:
            groups.append(lab)
    if not groups:
        raise fail("没有任何列带分组标签", "no column has a group label")
    member = np.zeros((k, len(groups)))
    for j, lab in enumerate(labels):
        if lab is not None:
            member[j, groups.index(lab)] = 1.0
    A = arr @ member
    if renormalize:
        total = A.sum(axis=1, keepdims=True)
        empty = total[:, 0] <= 0
        if empty.any():
            warn(
                f"{int(empty.sum())} 行的分组障碍度合计为 0，取均分",
                f"{int(empty.sum())} row(s) have zero grouped obstacle; equal shares used",
            )
        A = np.where(empty[:, None], 1.0 / len(groups), A / np.where(empty[:, None], 1.0, total))
    return GroupedObstacles(A, groups)
