"""One look for every figure ronghe draws (matplotlib and Plotly), and the font that renders Chinese.

Fonts. Chinese labels need an installed CJK font; matplotlib's default DejaVu Sans has no Han glyphs
and would draw empty boxes. :func:`cjk_family` returns the first installed family of
:data:`CJK_FAMILIES` (Noto Sans/Serif CJK, Source Han, WenQuanYi, then the Windows and macOS system
fonts). When there is none, :func:`resolve_style` warns with :class:`~ronghe.errors.RongheWarning`
naming the fix (``apt-get install fonts-noto-cjk``) and switches every label to English and every
region name to its code, so a figure never shows boxes.

Style. Figures use the Okabe–Ito colour-blind-safe palette for categories, a sequential
yellow-green-blue ramp for maps and the ten coupling-coordination grades (:data:`GRADE_COLOURS`),
light horizontal grid lines and no top/right spines. :meth:`Style.context` applies the matplotlib
settings; the Plotly figures of the HTML report take :data:`PALETTE`, :data:`SEQUENTIAL` and
:meth:`Style.plotly_layout`.

Output. :func:`save_figure` writes PNG (300 dpi), SVG (text as paths, so the file needs no font) and
PDF (glyphs embedded as Type 3 outlines, which works for the CFF-flavoured OpenType collections the
Noto CJK fonts ship as).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ronghe.errors import InputError, RongheWarning
from ronghe.fonts import CJK_FAMILIES, cjk_family, font_file
from ronghe.words import Lang, check_lang

if TYPE_CHECKING:
    from cycler import Cycler
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = [
    "CJK_FAMILIES",
    "FORMATS",
    "GRADE_COLOURS",
    "PALETTE",
    "SEQUENTIAL",
    "Lang",
    "Style",
    "check_lang",
    "cjk_family",
    "font_file",
    "resolve_style",
    "save_figure",
]


#: Font families that hold the Han characters of simplified Chinese, in order of preference.

#: Okabe & Ito (2008) colour-blind-safe categorical palette (black moved last).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
#: Sequential colour scale for maps and ordered classes (matplotlib and Plotly share the name).
SEQUENTIAL = "YlGnBu"
#: Colours of the ten coupling-coordination grades (grade 1 first): YlGnBu sampled at
#: 0.12 + 0.83 i / 9, i = 0..9, written out so the HTML report needs no matplotlib.
GRADE_COLOURS: tuple[str, ...] = (
    "#eef8b3", "#d3eeb3", "#a9ddb7", "#75c9bd", "#46b8c3",
    "#2a9ec1", "#1f7db6", "#2259a6", "#253997", "#13266f",
)
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

NO_CJK_FONT = (
    "未找到中文字体，图中标签改用英文、地区名改用代码；安装字体：apt-get install fonts-noto-cjk / "
    "no CJK font found: figure labels fall back to English and region names to codes; install one "
    "with apt-get install fonts-noto-cjk"
)



@dataclass(frozen=True)
class Style:
    """Label language and font of one set of figures; see the module docstring."""

    lang: Lang
    family: str | None
    rc: dict[RcKeyType, Any] = field(default_factory=dict, compare=False)

    def t(self, zh: str, en: str) -> str:
        """The label in the figure language."""
        return zh if self.lang == "zh" else en

    def region(self, name_zh: object, code: str) -> str:
        """A region's label: its Chinese name when a CJK font renders it, otherwise its code."""
        if self.family is None or not isinstance(name_zh, str) or not name_zh:
            return str(code)
        return name_zh

    @contextmanager
    def context(self) -> Iterator[None]:
        """matplotlib settings of this style, for building and saving figures."""
        import matplotlib

        with matplotlib.rc_context(self.rc):
            yield

    def plotly_layout(self) -> dict[str, object]:
        """Layout keywords shared by every Plotly figure of the HTML report."""
        fonts = [self.family] if self.family else []
        return {
            "font": {
                "family": ", ".join([*fonts, "Noto Sans CJK SC", "PingFang SC",
                                     "Microsoft YaHei", "sans-serif"]),
                "size": 13,
            },
            "colorway": list(PALETTE),
            "template": "plotly_white",
            "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        }


def _rc(family: str | None) -> dict[RcKeyType, Any]:
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": fonts,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.prop_cycle": _cycler(),
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "pdf.fonttype": 3,
        "svg.fonttype": "path",
    }


def _cycler() -> Cycler[str, str]:
    from cycler import cycler

    return cycler(color=list(PALETTE))


def resolve_style(lang: str = "zh") -> Style:
    """The figure style for ``lang``: Chinese labels need a CJK font; without one, warn and use
    English labels (see the module docstring)."""
    chosen = check_lang(lang)
    family = cjk_family()
    if family is None:
        warnings.warn(NO_CJK_FONT, RongheWarning, stacklevel=2)
        chosen = "en"
    return Style(lang=chosen, family=family, rc=_rc(family))


def save_figure(
    fig: Figure, stem: str | Path, style: Style, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """Save ``fig`` as ``stem.<format>`` for each of ``formats`` (png, svg, pdf)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(
            f"图像格式须为 png、svg 或 pdf / figure formats must be png, svg or pdf, got {bad[0]!r}",
            value=bad[0],
        )
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    with style.context():
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt}")
            fig.savefig(path, format=fmt, metadata=_metadata(fmt))
            paths.append(path)
    return paths


def _metadata(fmt: str) -> dict[str, str | None]:
    """Fixed metadata so the same figure gives the same file (no creation date)."""
    if fmt == "png":
        return {"Software": "ronghe"}
    if fmt == "svg":
        return {"Date": None, "Creator": "ronghe"}
    return {"CreationDate": None, "Creator": "ronghe"}
