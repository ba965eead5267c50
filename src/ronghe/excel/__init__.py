"""Excel workbooks as ronghe writes them: a fast xlsx writer (:mod:`ronghe.excel.xlsx`) and the
readable layout every workbook gets (:mod:`ronghe.excel.layout`: Chinese headers, names beside
codes, filters, frozen panes, an About sheet and a column sheet).

A low layer (it needs only words, labels, knowledge and region names), so the import validation
report, the Result and the planning and report workbooks all write through it."""

from ronghe.excel.layout import (
    ABOUT_SHEET,
    COLUMN_SHEET,
    FORMULA_START,
    Names,
    names_of,
    read_sheet,
    write_workbook,
)

__all__ = ["ABOUT_SHEET", "COLUMN_SHEET", "FORMULA_START", "Names", "names_of", "read_sheet",
           "write_workbook"]
