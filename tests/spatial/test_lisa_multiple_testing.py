"""LISA with multiple-testing control (cut-offs equal to esda.fdr, Bonferroni alpha/n), the
significance classes, the Moran scatterplot's slope and titles naming variable and permutations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

esda = pytest.importorskip("esda", reason="esda (the maps extra) is not installed")
gpd = pytest.importorskip("geopandas", reason="geopandas (the maps extra) is not installed")
import libpysal  # noqa: E402
from libpysal import examples  # noqa: E402
from shapely.geometry import box  # noqa: E402

from ronghe.spatial import figures  # noqa: E402
from ronghe.spatial.autocorrelation import local_moran  # noqa: E402


def stl():
    w = libpysal.io.open(examples.get_path("stl.gal")).read()
    table = libpysal.io.open(examples.get_path("stl_hom.txt"))
    frame = pd.DataFrame({1990: np.array(table.by_col["HR8893"])}, index=w.id_order)
    return w, frame


@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_fdr_cut_off_equals_esda_fdr(alpha):
    w, frame = stl()
    out = local_moran(frame, w, permutations=999, alpha=alpha, correction="fdr")
    p = out["p_sim"].to_numpy()
    cut = out["p_threshold"].iloc[0]
    assert cut == pytest.approx(esda.fdr(p, alpha), abs=1e-15)
    significant = out["cluster"] != "ns"
    assert (significant == (p < cut)).all()
    plain = local_moran(frame, w, permutations=999, alpha=alpha)
    assert (plain["p_threshold"] == alpha).all()
    assert significant.sum() <= (plain["cluster"] != "ns").sum()  # FDR never adds a cluster


def test_bonferroni_and_significance_classes():
    w, frame = stl()
    out = local_moran(frame, w, permutations=999, correction="bonferroni")
    n = len(out)
    assert out["p_threshold"].iloc[0] == pytest.approx(0.05 / n)
    p = out["p_sim"].to_numpy()
    assert ((out["cluster"] != "ns") == (p < 0.05 / n)).all()
    raw = local_moran(frame, w, permutations=999)
    rp = raw["p_sim"].to_numpy()
    expected = np.where(rp < 0.001, "0.001", np.where(rp < 0.01, "0.01",
                        np.where(rp < 0.05, "0.05", "ns")))
    assert (raw["significance"].to_numpy() == expected).all()


def test_moran_scatterplot_slope_is_morans_i(tmp_path):
    w, frame = stl()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = figures.moran_scatterplot(frame[1990], w, year=1990, variable="HR8893",
                                        permutations=999, path=tmp_path / "m.png")
    mi = esda.Moran(frame[1990].to_numpy(), w, transformation="r", permutations=0)
    assert fig.slope == pytest.approx(mi.I, abs=1e-10)
    title = fig.axes[0].get_title()
    assert "HR8893" in title and "999" in title and f"{mi.I:.4f}" in title
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"


def test_titles_name_variable_permutations_and_correction():
    cells = gpd.GeoDataFrame(geometry=[box(i, 0, i + 1, 1) for i in range(3)],
                             index=["a", "b", "c"], crs="EPSG:4326")
    lisa = pd.DataFrame({"region": ["a", "b", "c"], "year": 2020, "cluster": ["HH", "ns", "LL"],
                         "significance": ["0.01", "ns", "0.05"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = figures.lisa_cluster_map(cells, lisa, 2020, variable="index", permutations=999,
                                       correction="fdr")
        sig = figures.lisa_significance_map(cells, lisa, 2020, variable="index",
                                            permutations=999, correction="fdr")
    for f in (fig, sig):
        title = f.axes[0].get_title()
        assert ("综合指数" in title or "Composite index" in title)  # "index" named
        assert "999" in title and "FDR" in title
    labels = [t.get_text() for t in sig.axes[0].get_legend().get_texts()]
    assert any("p < 0.01" in x for x in labels)
