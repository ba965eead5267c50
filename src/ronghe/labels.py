"""Bilingual (zh-CN, en) labels of the columns ronghe writes; shown in the workbook's column sheet.

The labels themselves live in :mod:`ronghe.words.columns`; this module finds the one for a column."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ronghe.words.columns import (
    AUDIT_COLUMNS,
    DIAGNOSIS_COLUMNS,
    GENERIC_COLUMNS,
    GENERIC_PREFIXES,
    METHOD_COLUMNS,
)

#: The columns of a Result's own sheets, in the order they are looked up.
_OWN = (GENERIC_COLUMNS, DIAGNOSIS_COLUMNS, METHOD_COLUMNS, AUDIT_COLUMNS)


def explain(column: str) -> tuple[str, str]:
    """zh and en explanation of a column name (prefixed names get the prefix's text)."""
    for labels in _OWN:
        if column in labels:
            return labels[column]
    for prefix, (zh, en) in GENERIC_PREFIXES.items():
        if column.startswith(prefix):
            return zh + column, en + column
    return "", ""


Extra = Mapping[str | tuple[str, str], tuple[str, str]]


def column_sheet(tables: Mapping[str, pd.DataFrame], extra: Extra | None = None) -> pd.DataFrame:
    """The workbook's column sheet (sheet, column, zh, en) for ``tables``.

    A column's text is, in this order: ``extra[(sheet, column)]``, :func:`explain`, then
    ``extra[column]`` — so a front end can add its own columns and override one sheet's meaning
    without touching the shared labels.
    """
    extra = extra or {}
    rows = []
    for sheet, df in tables.items():
        for col in map(str, df.columns):
            text = extra.get((sheet, col))
            if text is None:
                text = explain(col)
                if not text[0] and col in extra:
                    text = extra[col]
            rows.append({"sheet": sheet, "column": col, "中文说明": text[0], "English": text[1]})
    return pd.DataFrame(rows)
