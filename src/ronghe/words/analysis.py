"""Words of the spatio-temporal analyses (:mod:`ronghe.analysis`): the notes each analysis adds to
the workbook, as (zh, en) pairs with ``str.format`` fields (in ``analysis.toml``).

:func:`note` renders one as the (title, text) row of a workbook's notes sheet, zh first then en.
Error and warning messages stay with the code that raises them, bilingual in one line as
:mod:`ronghe.errors` asks.
"""

from __future__ import annotations

from typing import Any

from ronghe.words import Catalogue

__all__ = ["DIMENSION_SCORE", "NOTES", "note"]

_WORDS = Catalogue("analysis.toml")
DIMENSION_SCORE = _WORDS.take("DIMENSION_SCORE", tuple[str, str])
NOTES = _WORDS.take("NOTES", dict[str, tuple[tuple[str, str], tuple[str, str]]])
_WORDS.close()


def note(analysis: str, **values: Any) -> tuple[str, str]:
    """(title, text) of ``analysis``'s note, each zh then en, with ``values`` filled in."""
    (title_zh, title_en), (zh, en) = NOTES[analysis]
    return f"{title_zh} {title_en}", f"{zh.format(**values)} / {en.format(**values)}"
