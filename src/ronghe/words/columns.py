"""Bilingual (zh-CN, en) explanations of the table columns ronghe writes, shown in the column sheet
of every workbook (:func:`ronghe.labels.column_sheet`). One block per area, each one dict
``column -> (zh, en)`` named ``<AREA>_COLUMNS``; a key may also be ``(sheet, column)`` where one
sheet gives a column another meaning. The labels are in ``columns.toml`` (one commented block per
area; a ``(sheet, column)`` key is written ``"sheet:column"``).
"""

from __future__ import annotations

from ronghe.words import Catalogue

_Labels = dict[str, tuple[str, str]]
_SheetLabels = dict[str | tuple[str, str], tuple[str, str]]  # keys column or (sheet, column)

_WORDS = Catalogue("columns.toml")
GENERIC_COLUMNS = _WORDS.take("GENERIC_COLUMNS", _Labels)
GENERIC_PREFIXES = _WORDS.take("GENERIC_PREFIXES", _Labels)
DIAGNOSIS_COLUMNS = _WORDS.take("DIAGNOSIS_COLUMNS", _Labels)
ANALYSIS_COLUMNS = _WORDS.take("ANALYSIS_COLUMNS", _Labels)
AUDIT_COLUMNS = _WORDS.take("AUDIT_COLUMNS", _Labels)
WORKBOOK_COLUMNS = _WORDS.take("WORKBOOK_COLUMNS", _SheetLabels)
PLANNING_COLUMNS = _WORDS.take("PLANNING_COLUMNS", _SheetLabels)
METHOD_COLUMNS = _WORDS.take("METHOD_COLUMNS", _Labels)
_WORDS.close()
