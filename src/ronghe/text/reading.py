"""Reading work reports: locating one text per region-year and extracting its text.

Where reports come from (:func:`locate_reports`):

- a directory: every file in it (not in its subfolders) named ``<code>_<year>[_anything].<ext>``,
  e.g. ``130123_2021.txt`` or ``130123_2021_政府工作报告.docx`` (code: 2-12 digits, year: 4
  digits). Hidden files, Word lock files (``~$…``) and ``README*`` are skipped; any other file is
  reported;
- a listing CSV with columns ``file, region, year`` (aliases 文件/path, 地区代码/code, 年份), paths
  relative to the listing's folder; region codes are kept as written (leading zeros stay).

Formats (:func:`read_report_text`):

- ``.txt``: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312,
  what Chinese Windows saves); a file with NUL bytes and no UTF-16 BOM is binary, not text;
- ``.docx`` (python-docx): every paragraph of the body, table cells included, in document order,
  joined by line breaks; page headers and footers are left out (they repeat titles);
- ``.pdf`` (pypdf): the text layer of every page, pages joined by a form feed; a scanned PDF without
  a text layer is reported (run OCR first).

Character offsets of hits refer to the string :func:`read_report_text` returns. A file that
cannot be read, has no Chinese text, has an unknown name or repeats a region-year already read is
reported as a :class:`Problem`; nothing here is fatal except a source that does not exist or a
listing without its required columns.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ronghe.errors import InputError
from ronghe.panel import REGION_ALIASES, YEAR_ALIASES
from ronghe.text.chars import count_han
from ronghe.words.extras import missing_extra

SUFFIXES = (".txt", ".docx", ".pdf")
FILE_ALIASES = ("file", "path", "文件", "文件名")
_NAME = re.compile(r"^(?P<region>\d{2,12})_(?P<year>\d{4})(?:[_\-\s.].*)?$")
_SKIP = re.compile(r"^(\.|~\$|readme)", re.IGNORECASE)


@dataclass(frozen=True)
class ReportFile:
    """A report located in the source: its path, region code and year."""

    path: Path
    region: str
    year: int
    label: str
    """How the file is named in outputs (path relative to the source)."""


@dataclass(frozen=True)
class Problem:
    """A file (or listing row) that gave no report, and why (zh / en)."""

    file: str
    reason: str


def locate_reports(source: str | Path) -> tuple[list[ReportFile], list[Problem]]:
    """Reports named in ``source`` (a directory or a listing CSV) and the entries that are not.

    The second of two entries for the same region-year is reported as a duplicate; entries are
    taken in file-name order (directory) or row order (listing).
    """
    src = Path(source)
    if src.is_dir():
        found, problems = _scan_directory(src)
    elif src.is_file() and src.suffix.lower() == ".csv":
        found, problems = _read_listing(src)
    elif src.exists():
        raise InputError(
            "expected a directory or a listing .csv / 应为文件夹或清单 CSV", file=str(src)
        )
    else:
        raise InputError("no such directory or file / 路径不存在", file=str(src))
    seen: dict[tuple[str, int], str] = {}
    unique = []
    for report in found:
        key = (report.region, report.year)
        if key in seen:
            problems.append(
                Problem(
                    report.label,
                    f"同一地区年份重复 / duplicate region-year, already read from {seen[key]}",
                )
            )
            continue
        seen[key] = report.label
        unique.append(report)
    return unique, problems


def read_report_text(path: str | Path) -> tuple[str, str]:
    """Text of one report and how it was read (``utf-8``, ``gb18030``, ``docx``, ``pdf, 3 pages``).

    Raises :class:`~ronghe.errors.InputError` naming the file when it cannot be read or holds no
    Chinese characters.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"不支持的文件类型 / unsupported file type {suffix or '(none)'}; "
            "use .txt, .docx or .pdf (save .doc/.wps as .docx)",
            file=str(p),
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法打开 / cannot open: {exc.strerror}", file=str(p)) from None
    if not data:
        raise InputError("空文件 / empty file", file=str(p))
    if suffix == ".txt":
        text, how = decode_text(data, str(p))
    elif suffix == ".docx":
        text, how = _docx_text(data, str(p)), "docx"
    else:
        text, how = _pdf_text(data, str(p))
    if count_han(text) == 0:
        reason = "没有中文文字 / no Chinese characters"
        if suffix == ".pdf":
            reason += " (scanned PDF without a text layer? run OCR first / 扫描件需先做文字识别)"
        raise InputError(reason, file=str(p))
    return text, how


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Decode text bytes: BOM first (UTF-8, UTF-16), then strict UTF-8, then GB18030."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(
                    f"无法按 {encoding} 解码 / invalid {encoding} text", file=file
                ) from None
    if b"\x00" in data:
        raise InputError("二进制文件而非文本 / binary file, not text", file=file)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError("编码无法识别 / not UTF-8 or GB18030 (GBK) text", file=file)


def _docx_text(data: bytes, file: str) -> str:
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph
    except ImportError as exc:
        raise missing_extra("text", exc.name) from exc

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, lxml and KeyError types on bad files
        raise InputError(
            f"不是有效的 DOCX / not a valid DOCX file ({type(exc).__name__})", file=file
        ) from None
    body = document.element.body
    return "\n".join(Paragraph(p, document).text for p in body.iter(qn("w:p")))


def _pdf_text(data: bytes, file: str) -> tuple[str, str]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:
        raise missing_extra("text", exc.name) from exc

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("PDF 已加密 / encrypted PDF", file=file)
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(
            f"不是有效的 PDF / not a readable PDF ({type(exc).__name__})", file=file
        ) from None
    return "\f".join(pages), f"pdf, {len(pages)} pages"


def _scan_directory(directory: Path) -> tuple[list[ReportFile], list[Problem]]:
    found, problems = [], []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        if _SKIP.match(path.name):
            continue
        label = path.name
        if path.suffix.lower() not in SUFFIXES:
            problems.append(
                Problem(
                    label,
                    f"不支持的文件类型 / unsupported file type "
                    f"{path.suffix or '(none)'}; use .txt, .docx or .pdf",
                )
            )
            continue
        match = _NAME.match(path.stem)
        if match is None:
            problems.append(
                Problem(
                    label,
                    "文件名不符合 <代码>_<年份> / name is not "
                    "<code>_<year>.<ext>, e.g. 130123_2021.txt",
                )
            )
            continue
        found.append(ReportFile(path, match["region"], int(match["year"]), label))
    return found, problems


def _read_listing(listing: Path) -> tuple[list[ReportFile], list[Problem]]:
    text, _ = decode_text(listing.read_bytes(), str(listing))
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        reason = str(exc).strip().splitlines()[0]
        raise InputError(
            f"清单无法读取 / listing is not a CSV table: {reason}", file=str(listing)
        ) from None
    columns = {c.strip().lower(): c for c in table.columns}

    def pick(aliases: tuple[str, ...], what: str) -> str:
        for alias in aliases:
            if alias.lower() in columns:
                return columns[alias.lower()]
        raise InputError(
            f"清单缺少列 / listing has no {what} column (one of {', '.join(aliases)})",
            file=str(listing),
        )

    file_col = pick(FILE_ALIASES, "file")
    region_col = pick(REGION_ALIASES, "region")
    year_col = pick(YEAR_ALIASES, "year")
    found, problems = [], []
    for i, row in enumerate(table.itertuples(index=False), start=2):
        values = dict(zip(table.columns, row, strict=True))
        where = f"{listing.name} row {i}"
        name, region, year = (values[c].strip() for c in (file_col, region_col, year_col))
        if not name or not region:
            problems.append(Problem(where, "文件或地区代码为空 / empty file or region cell"))
            continue
        if not re.fullmatch(r"\d{4}", year):
            problems.append(Problem(where, f"年份无效 / year is not a 4-digit number ({year!r})"))
            continue
        path = Path(name) if Path(name).is_absolute() else listing.parent / name
        if not path.is_file():
            problems.append(Problem(f"{name} ({where})", "文件不存在 / file not found"))
            continue
        found.append(ReportFile(path, region, int(year), name))
    return found, problems
