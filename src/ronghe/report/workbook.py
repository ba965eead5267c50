"""The report workbook: every table of the Result plus the report's own tables (rankings, trends,
grade shares, obstacle categories, disparity, Moran's I, rank intervals), with the column sheet
explaining each column in zh and en: the Result's own (:meth:`ronghe.result.Result.explanations`,
analyses included) and the report's (:data:`ronghe.words.columns.WORKBOOK_COLUMNS`).
Written by :func:`ronghe.excel.write_workbook`: Chinese headers, names beside codes, frozen
headers, filters, number formats, text that cannot become a formula."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ronghe import labels
from ronghe.excel import names_of, write_workbook
from ronghe.report.content import ReportContent, build_content
from ronghe.words.columns import WORKBOOK_COLUMNS
from ronghe.words.workbook import TITLES

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = ["REPORT_COLUMNS", "write_report_workbook"]

REPORT_COLUMNS = WORKBOOK_COLUMNS  # the name this module exported before the labels moved to words


def write_report_workbook(
    result: Result,
    path: str | Path,
    *,
    lang: str = "zh",
    content: ReportContent | None = None,
    draws: int = 0,
) -> Path:
    """Write the Result's tables and the report's tables to one workbook (see the module
    docstring); ``content`` reuses an already built report, ``draws`` > 0 adds rank intervals."""
    c = content if content is not None else build_content(result, lang=lang, draws=draws)
    own, report = result.tables(), c.tables()
    notes = [*result.notes(), *(("报告说明 report note", note) for note in c.notes),
             ("地区画像 profiles", c.profile_rule)]
    columns = pd.concat([result.explanations(own), labels.column_sheet(report, WORKBOOK_COLUMNS)],
                        ignore_index=True)
    return write_workbook(path, {**own, **report}, columns, notes, names=names_of(result),
                          title=TITLES["report"])
