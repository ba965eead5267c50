"""Read CSV, XLSX and Parquet files into raw grids of cells, one grid per sheet.

Cells keep the type the file gives them (numbers from XLSX and Parquet stay numbers, CSV cells stay
text) so that the cell cleaner sees exactly what the user typed. CSV text is decoded as UTF-8 (with or
without BOM) and, failing that, as GB18030 (a superset of GBK and GB2312). XLSX is read with
python-calamine, which returns a formula cell's stored result; a formula saved without a result and a
spreadsheet error value (``#DIV/0!``) both arrive blank, so the report lists them as missing. Anything
a reader library raises on a damaged file becomes an :class:`~ronghe.errors.InputError` naming the
file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ronghe.errors import InputError

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")


@dataclass
class Sheet:
    """One table as read: its name (sheet name, or the file stem for CSV/Parquet) and rows of cells."""

    name: str
    rows: list[list[object]]


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM optional) or GB18030; NUL bytes mean a binary file."""
    if b"\x00" in data:
        raise InputError("binary data in a text file (wrong file type?) / 文本文件中含二进制数据",
                         file=file)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode the file as UTF-8 or GBK / 无法按 UTF-8 或 GBK 解码", file=file)


def read_sheets(path: str | Path) -> list[Sheet]:
    """All sheets of a file as raw grids (see module docstring)."""
    p = Path(path)
    file = p.name
    if not p.is_file():
        raise InputError("file not found / 文件不存在", file=str(p))
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {suffix!r} (use .csv, .xlsx or .parquet) / "
                         "不支持的文件类型", file=file)
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            text = decode_text(p.read_bytes(), file)
            delimiter = "\t" if suffix == ".tsv" else ","
            rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
            return [Sheet(p.stem, rows)]
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(p)
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            rows = [list(table.column_names)] + [list(r) for r in zip(*columns, strict=True)]
            return [Sheet(p.stem, rows)]
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(p))
        return [Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in book.sheet_names]
    except InputError:
        raise
    except Exception as exc:  # reader libraries raise many types on damaged files; name the file
        reason = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise InputError(f"cannot read the file / 无法读取文件 ({type(exc).__name__}: {reason})",
                         file=file) from None
