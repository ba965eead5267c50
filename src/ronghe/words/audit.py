"""Words of the statistical audit (:mod:`ronghe.audit`) as reports show it: the row of all
indicators in the dimension table and the flags of indicators and pairs. Each entry is a (zh, en)
pair; the tables keep the codes (``negative``), a report shows these words (``audit.toml``)."""

from __future__ import annotations

from ronghe.words import Catalogue

__all__ = ["ALL_DIMENSIONS", "FLAGS", "flag_label"]

_WORDS = Catalogue("audit.toml")
ALL_DIMENSIONS = _WORDS.take("ALL_DIMENSIONS", tuple[str, str])
FLAGS = _WORDS.take("FLAGS", dict[str, tuple[str, str]])
_WORDS.close()


def flag_label(flags: str, lang: str = "zh") -> str:
    """A comma-separated flag code (``negative,weak``) in ``lang`` (负相关、弱相关); unknown codes
    as they are."""
    zh = lang == "zh"
    words = [FLAGS[f][not zh] if f in FLAGS else f for f in flags.split(",") if f]
    return ("、" if zh else ", ").join(words)
