"""Numeric pieces of the diagnosis: obstacle-profile typology, structural peer ranking and
direction-aware improvement.

- ``obstacle_typology`` groups regions by the shares of the seeds' four obstacle categories
  (paper 000 §四: O1 awareness, O2 spatial layout, O3 services, O4 institutions) in their total
  obstacle degree, by a transparent dominance rule or by k-means (``scipy.cluster.vq.kmeans2``).
- ``relative_typology`` types regions by the category they suffer *more than the average region of
  their group* (a location quotient of the shares), which is what separates regions when one
  category carries most of the weight everywhere.
- ``peer_similarity`` ranks candidate regions by their distance to one region on standardised
  structural profiles (the peer-exemplar search of the diagnosis).
- ``improvement`` measures how much an indicator got better between two years, whatever its
  direction (positive, negative, or best at a target value).

The dominance rule and the peer distance are a few lines of NumPy with conventions of our own,
stated below; no library offers them. Clustering and the distance oracle in the tests use SciPy.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np
from scipy.cluster.vq import kmeans2

from ronghe.methods._checks import as_array, fail

__all__ = [
    "BALANCED",
    "SHARE_TOLERANCE",
    "LocationQuotients",
    "PeerRanking",
    "improvement",
    "location_quotients",
    "obstacle_typology",
    "peer_similarity",
    "profile_zscores",
    "relative_typology",
]

BALANCED = -1
"""Type index of a region whose obstacle profile has no dominant category."""

SHARE_TOLERANCE = 1e-6
"""Rows of the obstacle-share matrix must sum to 1 within this absolute tolerance."""

_EPS = 1e-12  # comparisons of shares against thresholds forgive float rounding of this size


def _row_name(labels: Sequence[str] | None, i: int) -> tuple[str, str]:
    """Row ``i`` in messages, (zh, en): the region's label when given."""
    if labels is not None:
        return f"地区 {labels[i]!r}", f"region {labels[i]!r}"
    return f"第 {i} 行", f"row {i}"


def _check_shares(A: object, labels: Sequence[str] | None) -> np.ndarray:
    """Obstacle shares (n, m >= 2), finite, >= 0, rows summing to 1 within SHARE_TOLERANCE."""
    a = as_array(A, "A")
    if a.ndim != 2 or a.shape[1] < 2:
        raise fail(
            f"障碍度占比须为 (n, m) 数组且 m >= 2，实为形状 {a.shape}",
            f"obstacle shares must be an (n, m) array with m >= 2, got shape {a.shape}",
        )
    if labels is not None and len(labels) != a.shape[0]:
        raise fail(
            f"{len(labels)} 个标签对应 {a.shape[0]} 行障碍度占比",
            f"{len(labels)} labels for {a.shape[0]} rows of obstacle shares",
        )
    bad = ~np.isfinite(a).all(axis=1) | (a < 0).any(axis=1)
    if bad.any():
        zh, en = _row_name(labels, int(np.flatnonzero(bad)[0]))
        raise fail(
            f"{zh}：障碍度占比须为有限非负数", f"{en}: obstacle shares must be finite and >= 0"
        )
    off = np.abs(a.sum(axis=1) - 1.0) > SHARE_TOLERANCE
    if off.any():
        i = int(np.flatnonzero(off)[0])
        zh, en = _row_name(labels, i)
        raise fail(
            f"{zh}：障碍度占比之和为 {a[i].sum():.6g}，不是 1",
            f"{en}: obstacle shares sum to {a[i].sum():.6g}, not 1",
        )
    return a


def _dominant_category(a: np.ndarray, min_share: float, margin: float) -> np.ndarray:
    """Dominance rule, row by row: the largest share s1 (category j) dominates when
    s1 >= ``min_share`` and s1 - s2 >= ``margin`` and s1 > s2 (s2 the runner-up share);
    the row's type is then j, else ``BALANCED``. A tie for first place is always balanced."""
    order = np.sort(a, axis=1)
    s1, s2 = order[:, -1], order[:, -2]
    dominant = (s1 >= min_share - _EPS) & (s1 - s2 >= margin - _EPS) & (s1 > s2)
    return np.where(dominant, np.argmax(a, axis=1), BALANCED)


def obstacle_typology(
    A: np.ndarray,
    labels: Sequence[str] | None = None,
    *,
    min_share: float | None = None,
    margin: float = 0.05,
    method: Literal["rule", "kmeans"] = "rule",
    k: int | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Type of each region by its obstacle profile.

    ``A`` is (n, m): row i holds region i's shares of total obstacle degree in the m obstacle
    categories (O1..O4 for the seeds, m = 4), so each row is >= 0 and sums to 1. ``labels`` are
    optional region names used in error messages.

    Returns an int array of length n: j in 0..m-1 when category j dominates, ``BALANCED`` (-1) when
    none does.

    ``method="rule"`` (default): category j dominates when its share is at least ``min_share``
    (default 1/m + 0.10, i.e. 0.35 for four categories: ten points above an even split) and leads
    the runner-up by at least ``margin`` (default 0.05); ties for first place are balanced. Each
    region is typed on its own profile, independent of the others.

    ``method="kmeans"``: k-means on the raw shares (already on one scale, so no whitening) with
    ``scipy.cluster.vq.kmeans2(minit="++", seed=seed)``, ``k`` clusters (default m + 1, one per
    possible type, capped at the number of profiles distinct to 12 decimals); every region takes
    the type of its cluster's centroid under the same dominance rule (a centroid of shares is
    itself a share vector). Deterministic for a given ``seed``.
    """
    a = _check_shares(A, labels)
    n, m = a.shape
    share = 1.0 / m + 0.10 if min_share is None else float(min_share)
    if not 0.0 <= share <= 1.0:
        raise fail(f"min_share 须在 [0, 1] 内（{share}）", f"min_share must lie in [0, 1], got {share}")
    if not margin >= 0.0:
        raise fail(f"margin 须 >= 0（{margin}）", f"margin must be >= 0, got {margin}")
    if method == "rule":
        return _dominant_category(a, share, margin)
    if method != "kmeans":
        raise fail(
            f"未知分型方法 {method!r}（可选 'rule' 或 'kmeans'）",
            f"unknown typology method {method!r} (use 'rule' or 'kmeans')",
        )
    if n == 0:
        return np.empty(0, dtype=int)
    # profiles closer than 1e-12 count as one, so k-means++ never runs out of distinct seeds
    distinct = np.unique(np.round(a, 12), axis=0).shape[0]
    n_clusters = min(m + 1 if k is None else int(k), distinct)
    if n_clusters < 1:
        raise fail(f"聚类数 k 须 >= 1（{k}）", f"k must be >= 1, got {k}")
    with warnings.catch_warnings():
        # an emptied cluster keeps its old centroid and no region refers to it: harmless here
        warnings.filterwarnings("ignore", message="One of the clusters is empty")
        centroids, cluster = kmeans2(a, n_clusters, minit="++", seed=seed)
    return _dominant_category(centroids, share, margin)[cluster]


def relative_typology(
    A: object, groups: object, *, threshold: float = 1.1
) -> np.ndarray:
    """Type each row by the obstacle category it suffers most *relative to its group's mean*.

    With shares a_ic (rows sum to 1) and the mean share ā_gc of the row's group g (e.g. the
    year), the location quotient is LQ_ic = a_ic / ā_gc. Row i gets the category argmax_c LQ_ic
    when that quotient is at least ``threshold`` (default 1.1: at least 10 % more than the
    average region), else ``BALANCED``. A category with mean share 0 has LQ 0. Ties for the
    largest quotient are balanced.

    >>> relative_typology([[0.5, 0.5], [0.3, 0.7], [0.7, 0.3]], [0, 0, 0]).tolist()
    [-1, 1, 0]
    """
    a = _check_shares(A, None)
    g = np.asarray(groups)
    if g.shape != (a.shape[0],):
        raise fail(
            f"groups 须为每行一个标签（共 {a.shape[0]} 个），实为形状 {g.shape}",
            f"groups must have one label per row ({a.shape[0]}), got shape {g.shape}",
        )
    if not threshold > 0:
        raise fail(f"threshold 须 > 0（{threshold}）", f"threshold must be > 0, got {threshold}")
    lq, _ = location_quotients(a, g)
    top = lq.max(axis=1)
    tied = (lq == top[:, None]).sum(axis=1) > 1
    return np.where((top >= threshold) & ~tied, lq.argmax(axis=1), BALANCED)


class LocationQuotients(NamedTuple):
    """Location quotients of shares and the group means they divide by, both (n, m); unpacks as
    ``lq, mean = location_quotients(A, groups)``."""

    lq: np.ndarray
    mean: np.ndarray


class PeerRanking(NamedTuple):
    """Candidate rows from most to least similar and their distances; unpacks as
    ``order, distance = peer_similarity(F, i, candidates)``."""

    order: np.ndarray
    distance: np.ndarray


def location_quotients(A: object, groups: object) -> LocationQuotients:
    """Location quotients LQ_ic = a_ic / ā_gc of shares against their group's mean share, and
    the group means ā_gc aligned on the rows (both (n, m)); LQ is 0 where the mean share is 0.
    This is the quantity :func:`relative_typology` types by."""
    a = as_array(A, "A")
    g = np.asarray(groups)
    if a.ndim != 2 or g.shape != (a.shape[0],):
        raise fail(
            f"groups 须为每行一个标签（共 {a.shape[0]} 个），实为形状 {g.shape}",
            f"groups must have one label per row ({a.shape[0]}), got shape {g.shape}",
        )
    _, code = np.unique(g, return_inverse=True)
    counts = np.bincount(code)
    sums = np.stack([np.bincount(code, weights=a[:, c]) for c in range(a.shape[1])], axis=1)
    mean = (sums / counts[:, None])[code]
    return LocationQuotients(np.divide(a, mean, out=np.zeros_like(a), where=mean > 0), mean)


def peer_similarity(
    F: np.ndarray,
    i: int,
    candidates: Sequence[int] | np.ndarray,
    *,
    metric: Literal["euclidean", "cosine"] = "euclidean",
    standardized: bool = False,
) -> PeerRanking:
    """Rank ``candidates`` by structural similarity to region ``i``.

    ``F`` is (n, p): one structural profile per region (e.g. normalised indicator values or
    dimension scores of one year). Columns are standardised over all n rows,
    z = (F - mean) / std with the population standard deviation (ddof = 0); a column whose values
    are all equal carries no information and becomes 0. Distance between regions a and b:

    - ``"euclidean"`` (default): ||z_a - z_b||, so both level and shape of the profile count;
    - ``"cosine"``: 1 - z_a·z_b / (||z_a|| ||z_b||), shape only, in [0, 2]; a profile equal to the
      mean (||z|| = 0) has no direction and is given distance 1.

    ``i`` itself is dropped from the candidates and duplicates are ignored. Returns a
    :class:`PeerRanking` ``(order, distance)``: candidate row indices from most to least similar
    and their distances;
    ties keep ascending index order. ``standardized=True`` says ``F`` is already
    :func:`profile_zscores` of the profiles (so many searches in one year standardise once).
    """
    z = as_array(F, "F") if standardized else profile_zscores(F)
    n = z.shape[0]
    if not 0 <= i < n:
        raise fail(f"地区序号 {i} 不在 0..{n - 1} 内", f"region index {i} is outside 0..{n - 1}")
    cand = np.unique(np.asarray(candidates, dtype=int))
    if cand.size and (cand.min() < 0 or cand.max() >= n):
        raise fail(f"候选序号须在 0..{n - 1} 内", f"candidate indices must lie in 0..{n - 1}")
    cand = cand[cand != i]
    if metric == "euclidean":
        dist = np.linalg.norm(z[cand] - z[i], axis=1)
    elif metric == "cosine":
        norms = np.linalg.norm(z[cand], axis=1) * np.linalg.norm(z[i])
        dots = z[cand] @ z[i]
        cos = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
        dist = np.clip(1.0 - cos, 0.0, 2.0)
    else:
        raise fail(
            f"未知距离 {metric!r}（可选 'euclidean' 或 'cosine'）",
            f"unknown metric {metric!r} (use 'euclidean' or 'cosine')",
        )
    order = np.argsort(dist, kind="stable")
    return PeerRanking(cand[order], dist[order])


def profile_zscores(F: np.ndarray) -> np.ndarray:
    """Columns of the (n, p) profiles ``F`` standardised as :func:`peer_similarity` does:
    (F - mean) / std, population std (ddof = 0), a constant column becoming 0."""
    f = as_array(F, "F")
    if f.ndim != 2 or f.shape[0] < 2:
        raise fail(
            f"结构剖面须为 (n, p) 数组且 n >= 2，实为形状 {f.shape}",
            f"profiles must be an (n, p) array with n >= 2, got shape {f.shape}",
        )
    bad = np.argwhere(~np.isfinite(f))
    if bad.size:
        r, c = (int(x) for x in bad[0])
        raise fail(
            f"第 {r} 行第 {c} 列的结构剖面值不是有限数（{f[r, c]}）",
            f"profile of row {r}, column {c} is not a finite number ({f[r, c]})",
        )
    sd = f.std(axis=0)
    varies = f.max(axis=0) > f.min(axis=0)  # not sd > 0: the mean of equal floats may round
    return np.divide(f - f.mean(axis=0), sd, out=np.zeros_like(f), where=varies)


_DIRECTIONS = {"+": "+", "positive": "+", "-": "-", "−": "-", "negative": "-"}


def improvement(
    values_before: np.ndarray | float,
    values_after: np.ndarray | float,
    direction: str | float,
) -> np.ndarray:
    """How much an indicator improved from ``values_before`` to ``values_after``, in its own units
    (arrays broadcast). Positive means better. ``direction`` follows the framework convention
    (``Framework.directions()``): ``"+"``, ``"-"`` or the target value of a moderate indicator.

    - positive indicator (``"+"``): after - before;
    - negative indicator (``"-"``): before - after;
    - target indicator (a number t, best at t): |before - t| - |after - t|, the reduction of the
      distance to the target.

    Missing values must be filtered out by the caller: a non-finite value raises MethodError.
    """
    if isinstance(direction, str):
        kind = _DIRECTIONS.get(direction.strip().lower())
        if kind is None:
            raise fail(
                f"未知指标方向 {direction!r}（可选 '+'、'-' 或目标值）",
                f"unknown indicator direction {direction!r} (use '+', '-' or a target value)",
            )
        target = None
    else:
        kind, target = "T", float(direction)
        if not np.isfinite(target):
            raise fail(
                f"指标目标值须为有限数（{direction}）",
                f"the target value of an indicator must be finite, got {direction}",
            )
    before = as_array(values_before, "values_before")
    after = as_array(values_after, "values_after")
    try:
        np.broadcast_shapes(before.shape, after.shape)
    except ValueError:
        raise fail(
            f"before 与 after 形状不相容：{before.shape} 与 {after.shape}",
            f"before and after have incompatible shapes {before.shape} and {after.shape}",
        ) from None
    for name, arr in (("before", before), ("after", after)):
        if not np.isfinite(arr).all():
            pos = np.argwhere(~np.isfinite(np.atleast_1d(arr)))[0]
            where = tuple(int(p) for p in pos)
            raise fail(
                f"{name} 在位置 {where} 的值不是有限数",
                f"value {name} at position {where} is not finite",
            )
    if kind == "+":
        return after - before
    if kind == "-":
        return before - after
    return np.abs(before - target) - np.abs(after - target)
