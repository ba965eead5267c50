"""Spatial autocorrelation of a variable: global Moran's I per year (:func:`moran`), and with LISA
clusters and Getis-Ord Gi* hot spots (:func:`spatial`).

Named ``autocorrelation`` so that it does not shadow the :mod:`ronghe.spatial` package; the
function :func:`spatial` keeps its name (``Result.spatial`` and ``ronghe analyze spatial``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

import pandas as pd

from ronghe.analysis.common import WeightsOptions, _complete, _Weights, _weights, variable_values
from ronghe.errors import RongheWarning
from ronghe.regions.boundaries import Level
from ronghe.words.analysis import note

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = ["MoranResult", "SpatialResult", "moran", "spatial"]


# ---------------------------------------------------------------------------------------------
# spatial autocorrelation


@dataclass(frozen=True)
class SpatialResult:
    """Spatial autocorrelation of one variable (frames described in :func:`spatial`)."""

    variable: str
    level: Level
    kind: str
    permutations: int
    missing: tuple[str, ...]  #: regions of the result not found in the boundaries
    moran: pd.DataFrame
    lisa: pd.DataFrame
    lisa_counts: pd.DataFrame
    hotspots: pd.DataFrame | None
    correction: str = "fdr"  #: multiple-testing control of the LISA clusters
    alpha: float = 0.05

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {
            "spatial_moran": self.moran,
            "spatial_lisa": self.lisa,
            "spatial_lisa_counts": self.lisa_counts,
        }
        if self.hotspots is not None:
            out["spatial_hotspots"] = self.hotspots
        return out

    def notes(self) -> list[tuple[str, str]]:
        return [
            note(
                "spatial", variable=self.variable, level=self.level, kind=self.kind,
                permutations=self.permutations, correction=self.correction, alpha=self.alpha,
                missing=len(self.missing),
            )
        ]


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I of one variable per year (see :func:`moran`)."""

    variable: str
    level: Level
    kind: str
    permutations: int
    regions: tuple[str, ...]  #: regions that took part (found in the boundaries)
    missing: tuple[str, ...]  #: regions of the result not found in the boundaries
    moran: pd.DataFrame  #: one row per year (columns of ronghe.spatial.autocorrelation.global_moran)


def _prepared(
    result: Result, variable: str, options: WeightsOptions
) -> tuple[pd.DataFrame, _Weights]:
    """Complete cases of ``variable`` found in the boundaries, and their weights."""
    wide = _complete(variable_values(result, variable), f"spatial analysis of {variable}")
    weights = _weights(list(wide.index), **options)
    return wide.loc[weights.keep], weights


def moran(
    result: Result,
    variable: str = "index",
    *,
    permutations: int = 999,
    seed: int | None = 12345,
    **options: Unpack[WeightsOptions],
) -> MoranResult:
    """Global Moran's I of ``variable`` per year, with its permutation test: the global part of
    :func:`spatial` (same complete cases, weights, permutations and seed), without LISA and Gi*.
    The weights' ``level``, ``kind`` and ``cache_dir`` are :class:`WeightsOptions`.
    The report's Moran table is this one."""
    from ronghe.spatial.autocorrelation import global_moran

    sub, weights = _prepared(result, variable, options)
    table = global_moran(sub, weights.w, permutations=permutations, seed=seed)
    return MoranResult(variable, weights.level, weights.kind, permutations, tuple(sub.index),
                       tuple(weights.missing), table)


def spatial(
    result: Result,
    variable: str = "index",
    *,
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int | None = 12345,
    correction: str = "fdr",
    **options: Unpack[WeightsOptions],
) -> SpatialResult:
    """Global Moran's I per year, LISA clusters and Getis-Ord Gi* hot spots of ``variable``.

    Weights (:class:`WeightsOptions`): ``level`` defaults to the level of the region codes
    (:func:`detect_level`): county codes for the synthetic demo, ``"110000"``-style codes for the
    provincial panel; ``kind`` (queen contiguity with nearest-boundary links for islands, knn or
    distance band) from :func:`ronghe.spatial.weights.spatial_weights`. Regions missing from the
    boundaries are left out with a warning and listed in ``missing``. Gi* needs non-negative
    values; for a variable with negative values it is skipped with a warning (``hotspots`` is
    None).
    Without the ``maps`` extra the spatial layer's RongheError says what to install.
    LISA clusters control multiple testing with ``correction`` (default ``"fdr"``, the cut-off
    of ``esda.fdr``; ``"bonferroni"`` or ``"none"``) over each year's regions.
    """
    from ronghe.spatial.autocorrelation import getis_ord, global_moran, local_moran

    sub, weights = _prepared(result, variable, options)
    w = weights.w
    global_i = global_moran(sub, w, permutations=permutations, seed=seed)
    lisa = local_moran(sub, w, permutations=max(permutations, 1), alpha=alpha, seed=seed,
                       correction=correction)
    counts = (
        lisa.groupby(["year", "cluster"])
        .size()
        .unstack("cluster", fill_value=0)
        .reindex(columns=["HH", "LL", "HL", "LH", "ns"], fill_value=0)
        .reset_index()
    )
    counts.columns.name = None
    if (sub.to_numpy() < 0).any():
        warnings.warn(
            f"{variable} 有负值，未计算 Gi* 热点 / {variable} has negative values: Gi* hot spots "
            "not computed",
            RongheWarning,
            stacklevel=2,
        )
        hotspots = None
    else:
        hotspots = getis_ord(sub, w, permutations=permutations, seed=seed)
    return SpatialResult(
        variable=variable,
        level=weights.level,
        kind=weights.kind,
        permutations=permutations,
        missing=tuple(weights.missing),
        moran=global_i,
        lisa=lisa,
        lisa_counts=counts,
        hotspots=hotspots,
        correction=correction,
        alpha=alpha,
    )


