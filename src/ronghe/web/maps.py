"""County outlines as SVG paths for the overview's choropleth, drawn on the server (no tiles, no
JavaScript map library: intranets are offline).

Outlines come from :func:`ronghe.regions.boundaries.boundaries` (the ``maps`` extra), simplified
with shapely (Douglas–Peucker, tolerance ``TOLERANCE`` degrees, topology kept per polygon) and
projected equirectangularly with x = lon * cos(35°), y = -lat, which keeps shapes recognisable
across China's latitudes. Loaded once per process; when the extra or the data is missing the
overview says so instead of drawing a map.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

TOLERANCE = 0.02  # degrees
KX = math.cos(math.radians(35.0))


@dataclass(frozen=True)
class Shape:
    path: str
    bounds: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in projected units


def _rings(geom) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    polys = getattr(geom, "geoms", [geom])
    return [np.asarray(p.exterior.coords)[:, :2] for p in polys if not p.is_empty]


def _shape(geom) -> Shape | None:  # type: ignore[no-untyped-def]
    rings = _rings(geom.simplify(TOLERANCE, preserve_topology=True))
    if not rings:
        return None
    parts, xs, ys = [], [], []
    for ring in rings:
        x, y = ring[:, 0] * KX, -ring[:, 1]
        xs.append(x)
        ys.append(y)
        parts.append("M" + "L".join(f"{a:.2f},{b:.2f}" for a, b in zip(x, y, strict=True)) + "Z")
    x, y = np.concatenate(xs), np.concatenate(ys)
    return Shape("".join(parts), (float(x.min()), float(y.min()), float(x.max()), float(y.max())))


class CountyShapes:
    """Lazily loaded {county code: Shape}; ``None`` when boundaries are unavailable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._shapes: dict[str, Shape] | None = None

    def get(self) -> dict[str, Shape] | None:
        with self._lock:
            if not self._loaded:
                self._loaded = True
                self._shapes = _load()
            return self._shapes


def _load() -> dict[str, Shape] | None:
    from ronghe.errors import RongheError

    try:
        from ronghe.regions.boundaries import boundaries

        gdf = boundaries("county")
    except (RongheError, ImportError, OSError):
        return None
    shapes = {}
    for code, geom in zip(gdf.index.astype(str), gdf.geometry, strict=True):
        if geom is not None and not geom.is_empty:
            shape = _shape(geom)
            if shape is not None:
                shapes[code] = shape
    return shapes
