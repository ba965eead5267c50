"""One table written to a file chosen by its suffix (.csv, .xlsx, .parquet), as the data exports
(``ronghe db export``, ``ronghe regions harmonize``) write it, with text that cannot turn into a
formula in a spreadsheet.

Stored text comes from users (file names, sheet names, sources), so a cell such as
``=HYPERLINK(...)`` must stay text (CSV injection, OWASP). The workbook is written by
:func:`ronghe.excel.write_workbook`, which keeps such cells text with Excel's quote prefix;
a CSV file has no such flag, so a text cell that begins with one of
:data:`ronghe.excel.FORMULA_START` gets a leading apostrophe, OWASP's recommendation (a
spreadsheet shows the text, the apostrophe hidden or visible, and never evaluates it). Parquet
holds typed columns that no spreadsheet evaluates and is written as it is.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ronghe.errors import InputError
from ronghe.excel import FORMULA_START, write_workbook

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that begins with a formula character prefixed by ``'``."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v
                        for v in out[col]]
    return out


def write_table(path: str | Path, frame: pd.DataFrame, sheet: str = "数据 data") -> Path:
    """Write ``frame`` (without its index) to ``path``: CSV (UTF-8 with BOM, so Excel reads the
    Chinese text), XLSX (one sheet named ``sheet``) or Parquet, by suffix; InputError for any
    other suffix."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        formula_safe(frame).to_csv(p, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        write_workbook(p, {sheet: frame.reset_index(drop=True)})
    elif suffix == ".parquet":
        frame.to_parquet(p, index=False)
    else:
        raise InputError("the file must end in .csv, .xlsx or .parquet / "
                         "文件须为 .csv、.xlsx 或 .parquet", file=str(p))
    return p
