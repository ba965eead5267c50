"""Words of the diagnosis (:mod:`ronghe.diagnosis`): the one-screen summary of a region-year and the
typology rule in words. Every entry is a (zh, en) pair; templates are filled with
:meth:`str.format` by the diagnosis, which picks the language with :func:`ronghe.words.pick`.
The words are in ``diagnosis.toml``.
"""

from __future__ import annotations

from ronghe.words import Catalogue

__all__ = ["PEER_SCOPE", "TEXT", "TREND_STATUS", "TYPE_REASON"]

_WORDS = Catalogue("diagnosis.toml")
TEXT = _WORDS.take("TEXT", dict[str, tuple[str, str]])
TREND_STATUS = _WORDS.take("TREND_STATUS", dict[str, tuple[str, str]])
PEER_SCOPE = _WORDS.take("PEER_SCOPE", dict[str, tuple[str, str]])
TYPE_REASON = _WORDS.take("TYPE_REASON", dict[str, tuple[str, str]])
_WORDS.close()
