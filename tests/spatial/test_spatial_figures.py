"""Figures: LISA map, Markov heatmap, kernel density ridges; CJK font fallback; PNG/SVG output.
The maps on real county boundaries and census data are in test_spatial_national_maps.py."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

gpd = pytest.importorskip("geopandas", reason="geopandas (the maps extra) is not installed")
pytest.importorskip("matplotlib", reason="matplotlib (the maps extra) is not installed")
from shapely.geometry import box  # noqa: E402

from ronghe import fonts  # noqa: E402
from ronghe.errors import InputError, RongheWarning  # noqa: E402
from ronghe.spatial import figures  # noqa: E402


@pytest.fixture(params=["zh", "en"])
def language(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each figure test with a CJK font reported present (zh) and absent (en)."""
    found = "DejaVu Sans" if request.param == "zh" else None
    monkeypatch.setattr(figures, "cjk_font", lambda: found)
    return request.param


def squares() -> gpd.GeoDataFrame:
    cells = [box(i, 0, i + 1, 1) for i in range(5)]
    return gpd.GeoDataFrame(geometry=cells, index=[f"r{i}" for i in range(5)], crs="EPSG:4326")


def _draw(language: str, make):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = make()
    fallback = [w for w in caught if issubclass(w.category, RongheWarning)]
    if language == "en":
        assert len(fallback) == 1
        assert "apt-get install fonts-noto-cjk" in str(fallback[0].message)
    else:
        assert not fallback
    return fig


def test_lisa_cluster_map(language: str, tmp_path) -> None:
    clusters = pd.DataFrame(
        {"region": ["r0", "r1", "r2", "r3"], "year": 2020, "cluster": ["HH", "HH", "LL", "ns"]}
    )
    path = tmp_path / "lisa.png"
    fig = _draw(language, lambda: figures.lisa_cluster_map(squares(), clusters, 2020, path=path))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    if language == "zh":
        assert ax.get_title() == "2020 年 LISA 集聚图"
        assert labels[0] == "高高 (2)" and labels[-1] == "无数据（含 1 个无结果的分析地区）"
    else:
        assert ax.get_title() == "LISA clusters, 2020"
        assert labels[0] == "High-High (2)" and labels[1] == "Low-Low (1)"
        assert labels[-1] == "No data (1 analysed regions without a result)"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError, match="no LISA results for 1999"):
        figures.lisa_cluster_map(squares(), clusters, 1999)


def test_markov_heatmap(language: str, tmp_path) -> None:
    idx = pd.Index([1, 2], name="from_class")
    probs = pd.DataFrame([[0.75, 0.25], [0.1, 0.9]], index=idx, columns=[1, 2])
    path = tmp_path / "markov.svg"
    fig = _draw(language, lambda: figures.markov_heatmap(probs, path=path))
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["0.100", "0.250", "0.750", "0.900"]
    assert b"<svg" in path.read_bytes()[:500]
    with pytest.raises(InputError, match="square"):
        figures.markov_heatmap(pd.DataFrame([[0.5, 0.5]]))


def test_kernel_density_lines(language: str) -> None:
    grid = np.linspace(0, 1, 50)
    densities = {2021: (grid, 2 * grid), 2020: (grid, np.ones(50))}
    fig = _draw(language, lambda: figures.kernel_density_lines(densities))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2020", "2021"]
    assert len(ax.lines) == 2
    with pytest.raises(InputError, match="2020"):
        figures.kernel_density_lines({2020: (grid, np.ones(3))})


def test_save_figure_rejects_other_formats(tmp_path) -> None:
    from matplotlib.figure import Figure

    with pytest.raises(InputError, match=r"\.png or \.svg"):
        figures.save_figure(Figure(), tmp_path / "x.pdf")


def test_cjk_font_lookup_reads_installed_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    class Entry:
        def __init__(self, name: str) -> None:
            self.name = name
            self.fname = f"/fonts/{name}.ttf"

    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [Entry("DejaVu Sans"), Entry("WenQuanYi Zen Hei")]
    )
    assert figures.cjk_font() == "WenQuanYi Zen Hei"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [Entry("DejaVu Sans")])
    monkeypatch.setattr(fonts, "_register_cjk_files", lambda: None)  # no CJK file on disk either
    assert figures.cjk_font() is None


def test_synthetic_data_and_result_names_are_said(language: str) -> None:
    clusters = pd.DataFrame({"region": ["r0", "r1"], "year": 2020, "cluster": ["HH", "ns"]})
    fig = _draw(language, lambda: figures.lisa_cluster_map(squares(), clusters, 2020,
                                                            variable="index", synthetic=True))
    title = fig.axes[0].get_title()
    notes = [t.get_text() for t in fig.texts]
    if language == "zh":
        assert "综合指数" in title and notes == ["合成数据，仅用于演示，不代表任何真实地区"]
    else:
        assert "Composite index" in title and notes[0].startswith("Synthetic data")
    plain = _draw(language, lambda: figures.lisa_cluster_map(squares(), clusters, 2020))
    assert not plain.texts
    heat = _draw(language, lambda: figures.markov_heatmap(
        pd.DataFrame([[0.5, 0.5], [0.5, 0.5]]), synthetic=True))
    assert len(heat.texts) == 1
    grid = np.linspace(0, 1, 5)
    kde = _draw(language, lambda: figures.kernel_density_lines({2020: (grid, grid)}, xlabel="D"))
    assert kde.axes[0].get_xlabel() == ("耦合协调度 D" if language == "zh"
                                        else "Coupling coordination degree D")


def test_english_on_request_without_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "cjk_font", lambda: "DejaVu Sans")
    clusters = pd.DataFrame({"region": ["r0", "r1"], "year": 2020, "cluster": ["LL", "ns"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RongheWarning)
        fig = figures.lisa_cluster_map(squares(), clusters, 2020, lang="en")
    assert fig.axes[0].get_title() == "LISA clusters, 2020"
