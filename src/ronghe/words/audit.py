"""Words of the statistical audit (:mod:`ronghe.audit`) as reports show it: the row of all
indicators in the dimension table and the flags of indicators and pairs. Each entry is a (zh, en)
pair; the tables keep the codes (``negative``), a report shows these words."""

from __future__ import annotations

__all__ = ["ALL_DIMENSIONS", "FLAGS", "flag_label"]

#: The row of the dimension table over every indicator (dimension code ``all``).
ALL_DIMENSIONS: tuple[str, str] = ("全部指标", "All indicators")

FLAGS: dict[str, tuple[str, str]] = {
    "collinear": ("高度共线", "collinear"),
    "negative": ("负相关", "negative"),
    "weak": ("弱相关", "weak"),
    "undefined": ("无法计算（常数列）", "undefined (constant column)"),
}


def flag_label(flags: str, lang: str = "zh") -> str:
    """A comma-separated flag code (``negative,weak``) in ``lang`` (负相关、弱相关); unknown codes
    as they are."""
    zh = lang == "zh"
    words = [FLAGS[f][not zh] if f in FLAGS else f for f in flags.split(",") if f]
    return ("、" if zh else ", ").join(words)
