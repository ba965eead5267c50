"""ronghe.analysis.spatial on the provincial panel (province boundaries, 5-nearest-neighbour weights,
which build in well under a second) and on a synthetic county panel (queen contiguity on county
boundaries, marked slow: building both takes about 20 s).

Oracles: a direct ``esda.Moran`` call on the same weights, and the bookkeeping of the frames
(one Moran row per year, one LISA row per region-year, cluster counts summing to n).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from ronghe import analysis, datasets
from ronghe.errors import InputError, RongheError, RongheWarning
from ronghe.study import Study


@pytest.fixture(scope="module")
def prov_spatial(province_result, analysis_cache):
    return analysis.spatial(province_result, kind="knn", permutations=99, cache_dir=analysis_cache)


def test_level_detection():
    assert analysis.detect_level(["110000", "120000"]) == "province"
    assert analysis.detect_level(["130100", "140200"]) == "prefecture"
    assert analysis.detect_level(["130102", "140200"]) == "county"
    with pytest.raises(InputError, match="6-digit"):
        analysis.detect_level(["11", "12"])


def test_moran_frame_shape_per_year(prov_spatial):
    moran = prov_spatial.moran
    assert (prov_spatial.level, prov_spatial.kind) == ("province", "knn")
    assert list(moran["year"]) == list(range(2013, 2024))
    assert list(moran.columns) == ["year", "n", "I", "E_I", "z_norm", "p_norm", "p_sim"]
    assert (moran["n"] == 31).all()
    assert prov_spatial.missing == ()


def test_moran_equals_direct_esda_call(province_result, prov_spatial, analysis_cache):
    import esda

    from ronghe.spatial.weights import spatial_weights

    codes = analysis.regions(province_result)
    w = spatial_weights("province", "knn", codes=codes, cache_dir=analysis_cache)
    w.transform = "r"
    y = analysis.variable_values(province_result, "index").xs(2019, level="year")
    y = y.reindex(w.id_order).to_numpy()
    mi = esda.Moran(y, w, permutations=0)
    row = prov_spatial.moran.set_index("year").loc[2019]
    assert row["I"] == pytest.approx(mi.I, rel=1e-12)
    assert row["z_norm"] == pytest.approx(mi.z_norm, rel=1e-10)
    assert row["p_norm"] == pytest.approx(mi.p_norm, rel=1e-10)
    assert row["E_I"] == pytest.approx(-1 / 30)


def test_lisa_and_hotspot_frames(prov_spatial):
    lisa = prov_spatial.lisa
    assert len(lisa) == 31 * 11
    counts = prov_spatial.lisa_counts.set_index("year")
    np.testing.assert_array_equal(counts.sum(axis=1), 31)
    assert set(lisa["cluster"]) <= {"HH", "LL", "HL", "LH", "ns"}
    assert ((lisa["cluster"] == "ns") | (lisa["p_sim"] < 0.05)).all()
    assert len(prov_spatial.hotspots) == 31 * 11
    assert set(prov_spatial.tables()) == {
        "spatial_moran",
        "spatial_lisa",
        "spatial_lisa_counts",
        "spatial_hotspots",
    }


def test_regions_missing_from_boundaries_are_reported(analysis_cache):
    panel = datasets.provinces()
    rename = {"110000": "990000"}
    panel.data = panel.data.rename(index=rename, level="region")
    panel.regions = panel.regions.rename(index=rename)
    result = Study(panel, datasets.provinces_framework()).evaluate()
    with pytest.warns(RongheWarning, match="1 region"):
        res = analysis.spatial(result, kind="knn", permutations=0, cache_dir=analysis_cache)
    assert res.missing == ("990000",)
    assert (res.moran["n"] == 30).all()
    assert res.moran["p_sim"].isna().all()  # no permutations asked


def test_negative_variable_skips_gi_star(province_result, analysis_cache):
    with pytest.warns(RongheWarning) as caught:
        res = analysis.spatial(
            province_result, "gdp_growth", kind="knn", permutations=9, cache_dir=analysis_cache
        )
    assert res.hotspots is None
    assert any("Gi*" in str(w.message) for w in caught)
    assert "spatial_hotspots" not in res.tables()


def test_without_maps_extra_the_spatial_layer_error(province_result, monkeypatch, tmp_path):
    for name in ("geopandas", "libpysal", "esda"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(RongheError, match="maps"):
        analysis.spatial(province_result, cache_dir=tmp_path)


def test_figures_png_and_svg(prov_spatial, tmp_path, analysis_cache):
    paths = analysis.spatial_figures(prov_spatial, tmp_path, years=[2023], cache_dir=analysis_cache)
    maps = ["lisa_index_2023", "lisa_significance_index_2023"]
    if prov_spatial.hotspots is not None:
        maps.append("hotspots_index_2023")
    assert sorted(p.name for p in paths) == sorted(f"{m}.{s}" for m in maps for s in ("png", "svg"))
    assert all(p.stat().st_size > 1000 for p in paths)
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_figures_drawn_once_named_and_flagged(province_result, tmp_path, analysis_cache,
                                              monkeypatch):
    """Each map is drawn once for its PNG and SVG, with the Gi* map, the indicator's name in the
    report language (not its id) and the panel's synthetic flag."""
    from ronghe.spatial import figures

    indicator = province_result.state.indicator_ids[0]
    res = analysis.spatial(province_result, indicator, kind="knn", permutations=99,
                           cache_dir=analysis_cache)
    assert res.hotspots is not None
    calls: list[tuple[str, dict]] = []

    def recording(name, real):
        def draw(*args, **kwargs):
            calls.append((name, kwargs))
            return real(*args, **kwargs)
        return draw

    for name in ("lisa_cluster_map", "lisa_significance_map", "hotspot_map"):
        monkeypatch.setattr(figures, name, recording(name, getattr(figures, name)))
    saved: list[int] = []

    def save(fig, path, _real=figures.save_figure):
        saved.append(id(fig))
        return _real(fig, path)

    monkeypatch.setattr(figures, "save_figure", save)
    paths = analysis.spatial_figures(res, tmp_path, result=province_result, lang="en",
                                     years=[2023], cache_dir=analysis_cache)
    assert len(paths) == 6 and {p.suffix for p in paths} == {".png", ".svg"}
    assert len(set(saved)) == 3 and all(saved.count(f) == 2 for f in saved)  # 3 maps, drawn once
    assert {"hotspot_map", "lisa_cluster_map"} <= {c[0] for c in calls}
    name_en = province_result.framework.indicator(indicator).name_en
    assert {c[1]["variable"] for c in calls} == {name_en} != {indicator}
    assert {c[1]["lang"] for c in calls} == {"en"}
    assert {c[1]["synthetic"] for c in calls} == {False}


def test_variable_names(province_result, small_result):
    fw = province_result.framework
    ind, dim = fw.indicators[0], fw.dimensions[0]
    assert analysis.variable_name(province_result, "index") == "综合指数"
    assert analysis.variable_name(province_result, "D", "en") == "Coupling coordination degree D"
    assert analysis.variable_name(province_result, ind.id) == ind.name_zh
    assert analysis.variable_name(province_result, ind.id, "en") == ind.name_en
    assert analysis.variable_name(province_result, f"U_{dim.id}") == f"{dim.name_zh}维度得分"
    assert analysis.variable_name(province_result, "not_a_variable") == "not_a_variable"


@pytest.mark.slow
def test_county_panel_on_county_boundaries(small_result, analysis_cache):
    res = analysis.spatial(small_result, permutations=99, cache_dir=analysis_cache)
    assert res.level == "county"
    n = 284 - len(res.missing)
    assert list(res.moran["year"]) == list(range(2018, 2024))
    assert (res.moran["n"] == n).all()
    assert len(res.lisa) == n * 6
    assert (res.moran["I"] > 0).all()  # the synthetic counties are spatially smooth
    assert isinstance(res.lisa_counts, pd.DataFrame)
