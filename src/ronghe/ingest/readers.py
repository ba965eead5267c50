"""Read CSV, XLSX and Parquet files into raw grids of cells, one grid per sheet.

Cells keep the type the file gives them (numbers from XLSX and Parquet stay numbers, CSV cells stay
text) so that the cell cleaner sees exactly what the user typed. CSV text is decoded as UTF-16 or
UTF-32 when it starts with their byte-order mark, else as UTF-8 (with or without BOM) and, failing
that, as GB18030 (a superset of GBK and GB2312). XLSX is read with python-calamine, which returns a
formula cell's stored result; a formula saved without a result and a spreadsheet error value
(``#DIV/0!``) both arrive blank, so the report lists them as missing. Anything a reader library
raises on a damaged file becomes an :class:`~ronghe.errors.InputError` naming the file.

Hidden and very hidden sheets are not read: they come back empty with a note, which the importer
reports as a warning naming them (a hidden sheet usually holds a lookup table or an old version).

What a file may claim is bounded before it is materialised (:class:`Limits`, documented in
docs/deployment.md, "Import limits"). Sheets are read as a grid from A1 to the farthest cell, so a
5 KB workbook whose only far cell sits at ``XFD1048576`` claims 17 billion cells; calamine would
allocate them all (about 550 GB) and abort the process. Before calamine sees a worksheet, its XML is
scanned for the farthest cell position it refers to, with calamine's own rules (an ``r`` attribute,
else the position implied by the row and the cells before it), and a sheet or file whose grid would
exceed the limit is refused with a one-line error naming file and sheet.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ronghe.errors import InputError

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Limits:
    """What one file may claim before it is read.

    ``sheet_cells`` bounds the grid of one sheet (rows x columns from A1 to its farthest cell, the
    shape ronghe holds in memory: about 230 bytes a cell at peak, measured on a sheet of numbers);
    ``file_cells`` the sum over the sheets of a file; ``file_bytes`` the size of the file and, for
    a workbook, the unpacked size of its parts. Defaults (2,000,000 / 5,000,000 cells, 256 MiB)
    hold every county of China with 700 columns in one sheet, or 40 yearly sheets of 2,850
    counties x 20 variables; override them with the environment variables
    ``RONGHE_MAX_SHEET_CELLS``, ``RONGHE_MAX_FILE_CELLS`` and ``RONGHE_MAX_FILE_MB``.
    """

    sheet_cells: int = 2_000_000
    file_cells: int = 5_000_000
    file_bytes: int = 256 * 2**20

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by the environment variables named in the class docstring."""
        def get(name: str, default: int, scale: int = 1) -> int:
            raw = os.environ.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise InputError(f"{name}={raw!r} is not a whole number / 环境变量须为整数") from None
            if value <= 0:
                raise InputError(f"{name}={raw!r} must be positive / 环境变量须为正数")
            return value * scale

        d = cls()
        return cls(get("RONGHE_MAX_SHEET_CELLS", d.sheet_cells),
                   get("RONGHE_MAX_FILE_CELLS", d.file_cells),
                   get("RONGHE_MAX_FILE_MB", d.file_bytes, 2**20))


@dataclass
class Sheet:
    """One table as read: its name (sheet name, or the file stem for CSV/Parquet) and rows of cells.

    ``text`` is True for a CSV/TSV file (whose rows must not be longer than its header); ``hidden``
    is ``"hidden"`` or ``"very hidden"`` for a sheet that was not read.
    """

    name: str
    rows: Sequence[Sequence[object]]
    text: bool = False
    hidden: str = ""


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes: UTF-16/UTF-32 by their BOM, else UTF-8 (BOM optional) or GB18030.

    NUL bytes in a file without a UTF-16/32 BOM mean a binary file (or UTF-16 saved without one).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"cannot decode the file as {encoding.upper()} (byte {exc.start}) "
                                 f"/ 无法按 {encoding.upper()} 解码", file=file) from None
    if b"\x00" in data:
        raise InputError("binary data in a text file (wrong file type, or UTF-16 without a BOM? "
                         "save as UTF-8) / 文本文件中含二进制数据（请另存为 UTF-8）", file=file)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode the file as UTF-8 or GBK / 无法按 UTF-8 或 GBK 解码", file=file)


def column_number(letters: str) -> int:
    """1-based column number of spreadsheet letters, case-insensitive: 'A' -> 1, 'xfd' -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _too_big(rows: int, cols: int, limits: Limits, file: str, sheet: str) -> InputError:
    return InputError(
        f"the sheet spans {rows:,} rows x {cols:,} columns = {rows * cols:,} cells from A1, more "
        f"than the limit of {limits.sheet_cells:,} (RONGHE_MAX_SHEET_CELLS); delete the empty rows "
        "and columns after the table, or split it / 工作表范围过大，请删除表格之外的空行空列或拆分",
        file=file, sheet=sheet)


def check_grid(rows: int, cols: int, limits: Limits, file: str, sheet: str) -> int:
    """Cells of a rows x cols grid, or an InputError when it exceeds ``limits.sheet_cells``."""
    if rows * cols > limits.sheet_cells:
        raise _too_big(rows, cols, limits, file, sheet)
    return rows * cols


# The scan of a worksheet's XML (see the module docstring). Fast path: every <c> tag carries ``r``
# as its first attribute (what Excel, WPS, LibreOffice, openpyxl and xlsxwriter write), so every
# cell's position is one of the ``r="..."`` values, read all at once with numpy. Otherwise the XML
# is parsed with calamine's rules for implied positions.
_PREFIXED_C = re.compile(rb':c[\s>/]')
_WINDOW = 16  # longest reference read; a longer one counts as beyond any limit
_HUGE = 10**15


def _space(a: np.ndarray) -> np.ndarray:
    """Which bytes are XML whitespace."""
    return (a == 32) | (a == 10) | (a == 13) | (a == 9)


def _extent_fast(data: bytes) -> tuple[int, int] | None:
    """(rows, columns) from A1 to the farthest position any ``r="..."`` names, or None when
    some ``<c>`` has no leading ``r`` (then :func:`_extent_parsed` decides)."""
    a = np.frombuffer(data + b"\0" * _WINDOW, dtype=np.uint8)
    n = len(data)
    if n < 4:
        return 0, 0
    after = a[2 : n]
    tags = np.flatnonzero((a[: n - 2] == ord("<")) & (a[1 : n - 1] == ord("c"))
                          & (_space(after) | (after == ord(">")) | (after == ord("/"))))
    with_r = ((a[tags + 2] == ord(" ")) & (a[tags + 3] == ord("r")) & (a[tags + 4] == ord("="))
              & (a[tags + 5] == ord('"')))
    # an r attribute written another way (r = "…", r='…') goes to the parser; one written twice
    # needs nothing more, since every r="…" is read below
    rs = np.flatnonzero(_space(a[: n - 1]) & (a[1:n] == ord("r"))) + 1
    follow = a[rs + 1]
    odd = (_space(follow) | (follow == ord("="))) & ~((follow == ord("=")) & (a[rs + 2] == ord('"')))
    if not with_r.all() or odd.any() or _PREFIXED_C.search(data):
        return None
    starts = np.flatnonzero((a[1 : n - 2] == ord("r")) & (a[2 : n - 1] == ord("="))
                            & (a[3:n] == ord('"')) & _space(a[: n - 3])) + 4
    if not len(starts):
        return 0, 0
    win = a[starts[:, None] + np.arange(_WINDOW)]
    upper = win & 0xDF
    letter = (upper >= ord("A")) & (upper <= ord("Z"))
    alnum = letter | ((win >= ord("0")) & (win <= ord("9")))
    n_letters = np.argmin(letter, axis=1)
    length = np.argmin(alnum, axis=1)
    if alnum.all(axis=1).any():  # a reference longer than the window
        return _HUGE, _HUGE
    # the row's first significant digit: past the letters and any leading zeros
    significant = (np.arange(_WINDOW) >= n_letters[:, None]) & (win != ord("0"))
    first = np.argmax(significant, axis=1)
    return _horner(win, np.maximum(length - first, 0), first, 10, ord("0")), \
        _horner(upper, n_letters, np.zeros_like(n_letters), 26, ord("A") - 1)


def _horner(win: np.ndarray, size: np.ndarray, offset: np.ndarray, base: int, zero: int) -> int:
    """Largest number written in ``base`` by the ``size`` symbols at ``offset`` of each row of
    ``win``, with no leading zeros, so that the longest ones hold it."""
    longest = int(size.max())
    if longest == 0:
        return 0
    rows = np.flatnonzero(size == longest)
    value = np.zeros(len(rows), dtype=np.int64)
    for k in range(longest):
        value = value * base + win[rows, offset[rows] + k].astype(np.int64) - zero
    return int(value.max())


def _ref(text: str) -> tuple[int, int]:
    """(row, column), both 1-based, of a reference like 'B7'; column 0 when it has no letters."""
    m = re.fullmatch(r"([A-Za-z]*)([0-9]+)", text)
    if m is None:
        raise ValueError(f"bad cell reference {text!r}")
    return int(m.group(2)), column_number(m.group(1))


def _extent_parsed(data: bytes, limits: Limits, file: str, sheet: str) -> tuple[int, int]:
    """(rows, columns) of the grid calamine would build, every ``<c>`` counted as a cell; stops
    as soon as the grid exceeds ``limits.sheet_cells``."""
    import xml.parsers.expat

    state = {"row": 1, "col": 1, "rows": 0, "cols": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row" and "r" in attrs:
            state["row"] = _ref(attrs["r"])[0]
        elif local == "c":
            if "r" in attrs:
                row, col = _ref(attrs["r"])
                state["col"] = col
            else:
                row, col = state["row"], state["col"]
            state["rows"] = max(state["rows"], row)
            state["cols"] = max(state["cols"], col)
            check_grid(state["rows"], state["cols"], limits, file, sheet)

    def end(name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            state["row"] += 1
            state["col"] = 1
        elif local == "c":
            state["col"] += 1

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return state["rows"], state["cols"]


def _worksheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part, from xl/workbook.xml and its relationships."""
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    parts = {}
    for el in ET.fromstring(book.read("xl/workbook.xml")).iter():
        if el.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rpartition("}")[2] == "id"), None)
        path = target.get(rid, "")
        path = path.lstrip("/") if path.startswith("/") else posixpath.join("xl", path)
        parts[el.get("name", "")] = posixpath.normpath(path)
    return parts


def _check_workbook(path: Path, sheets: list[str], limits: Limits, file: str) -> None:
    """Refuse an XLSX/XLSM whose visible ``sheets`` would exceed ``limits`` once read (module
    docstring), before calamine builds any of them."""
    with zipfile.ZipFile(path) as book:
        unpacked = sum(i.file_size for i in book.infolist())
        if unpacked > limits.file_bytes:
            raise InputError(f"the workbook unpacks to {unpacked / 2**20:,.0f} MiB, more than the "
                             f"limit of {limits.file_bytes / 2**20:,.0f} MiB (RONGHE_MAX_FILE_MB) / "
                             "工作簿解压后过大", file=file)
        parts = _worksheet_parts(book)
        total = 0
        for name in sheets:
            part = parts.get(name)
            if part is None:
                raise InputError("cannot find the sheet's part in the workbook / 工作簿中找不到该工作表",
                                 file=file, sheet=name)
            with book.open(part) as f:
                data = f.read(limits.file_bytes + 1)
            if len(data) > limits.file_bytes:
                raise InputError("the sheet unpacks to more than the size limit "
                                 "(RONGHE_MAX_FILE_MB) / 工作表解压后过大", file=file, sheet=name)
            extent = _extent_fast(data) or _extent_parsed(data, limits, file, name)
            total += check_grid(*extent, limits, file, name)
            _check_total(total, limits, file)


def _check_total(total: int, limits: Limits, file: str) -> None:
    if total > limits.file_cells:
        raise InputError(f"the sheets span {total:,} cells in all, more than the limit of "
                         f"{limits.file_cells:,} (RONGHE_MAX_FILE_CELLS); split the file / "
                         "文件单元格总数过多，请拆分", file=file)


def _visibility(book: CalamineWorkbook) -> dict[str, str]:
    """Sheet name -> '', 'hidden' or 'very hidden'."""
    out = {}
    for meta in book.sheets_metadata:
        state = str(meta.visible).rpartition(".")[2].lower()
        out[meta.name] = {"hidden": "hidden", "veryhidden": "very hidden"}.get(state, "")
    return out


def _read_book(p: Path, file: str, limits: Limits, only: str | int | None) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(p))
    names = list(book.sheet_names)
    if only is not None:
        if isinstance(only, int):
            if not 0 <= only < len(names):
                raise InputError(f"no sheet number {only} (the file has {len(names)}) / 工作表不存在",
                                 file=file)
            names = [names[only]]
        elif only not in names:
            raise InputError(f"no sheet named {only!r} (sheets: {', '.join(names)}) / 工作表不存在",
                             file=file)
        else:
            names = [only]
    hidden = _visibility(book)
    visible = [n for n in names if not hidden.get(n) or only is not None]
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        _check_workbook(p, visible, limits, file)
    sheets, total = [], 0
    for name in names:
        if name not in visible:
            sheets.append(Sheet(name, [], hidden=hidden[name]))
            continue
        sheet = book.get_sheet_by_name(name)
        end = sheet.end
        if end is not None:  # .xls/.ods: the format bounds calamine's grid; bound ours before it
            total += check_grid(end[0] + 1, end[1] + 1, limits, file, name)
            _check_total(total, limits, file)
        sheets.append(Sheet(name, sheet.to_python(skip_empty_area=False)))
    return sheets


def read_sheets(path: str | Path, *, limits: Limits | None = None,
                only: str | int | None = None) -> list[Sheet]:
    """All sheets of a file as raw grids (see module docstring).

    Parameters
    ----------
    limits : what the file may claim; default :meth:`Limits.from_env`.
    only : read just this sheet of a workbook (name, or 0-based position; a hidden sheet named
        here is read).
    """
    limits = limits or Limits.from_env()
    p = Path(path)
    file = p.name
    if not p.is_file():
        raise InputError("file not found / 文件不存在", file=str(p))
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {suffix!r} (use .csv, .xlsx or .parquet) / "
                         "不支持的文件类型", file=file)
    size = p.stat().st_size
    if size > limits.file_bytes:
        raise InputError(f"the file has {size / 2**20:,.0f} MiB, more than the limit of "
                         f"{limits.file_bytes / 2**20:,.0f} MiB (RONGHE_MAX_FILE_MB) / 文件过大",
                         file=file)
    try:
        if suffix in TEXT_SUFFIXES:
            text = decode_text(p.read_bytes(), file)
            delimiter = "\t" if suffix == ".tsv" else ","
            # every cell ends in a delimiter or a line break (quoted ones counted too, hence 2x)
            if text.count(delimiter) + text.count("\n") > 2 * limits.sheet_cells:
                raise InputError(f"the file holds more than the limit of {limits.sheet_cells:,} "
                                 "cells (RONGHE_MAX_SHEET_CELLS); split it / 文件单元格过多，请拆分",
                                 file=file)
            rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
            check_grid(len(rows), max(map(len, rows), default=0), limits, file, p.stem)
            return [Sheet(p.stem, rows, text=True)]
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(p).metadata
            check_grid(meta.num_rows + 1, meta.num_columns, limits, file, p.stem)
            table = pq.read_table(p)
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            rows = [list(table.column_names)] + [list(r) for r in zip(*columns, strict=True)]
            return [Sheet(p.stem, rows)]
        return _read_book(p, file, limits, only)
    except InputError:
        raise
    except Exception as exc:  # reader libraries raise many types on damaged files; name the file
        reason = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise InputError(f"cannot read the file / 无法读取文件 ({type(exc).__name__}: {reason})",
                         file=file) from None
