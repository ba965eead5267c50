"""CJK fonts for figures: which installed font family renders Chinese, and its file.

Shared by the publication figures (:mod:`ronghe.report`) and the analysis figures
(:mod:`ronghe.spatial.figures`), so both pick the same family in the same order.
"""

from __future__ import annotations

from pathlib import Path

from ronghe.errors import InputError

CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


def cjk_family() -> str | None:
    """The first family of :data:`CJK_FAMILIES` that matplotlib finds installed, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in installed), None)


def font_file(family: str) -> Path:
    """The font file matplotlib uses for ``family`` (no silent fallback to DejaVu Sans)."""
    from matplotlib import font_manager

    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        raise InputError(f"字体未安装 / font family {family!r} is not installed") from None
    return Path(found)
