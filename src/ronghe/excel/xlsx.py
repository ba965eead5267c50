"""A small, fast writer of Office Open XML workbooks (.xlsx) for the tables ronghe publishes.

Why not XlsxWriter: it formats each cell in Python (about 5 µs a cell). Measured side by side on the
demo Result (1.8 million cells, a busy two-core machine), XlsxWriter's constant-memory mode wrote the
workbook in 19 s, this writer in 3 to 4 s (laying out the names and headers included): it builds the
XML of whole columns with Arrow's compute kernels (numbers in their shortest round-trip form, text
through one shared-strings table), compresses with zlib level 1 in a second thread while the next
sheet is built, and writes only what the tables need: one header row, numbers, booleans and text, a
number format per column, column widths, frozen panes and an autofilter. The parts are those
ECMA-376 Part 1 requires (content types, relationships, workbook, styles, shared strings, one part
per sheet) plus the document properties (title, creator, date). ``bench/workbook.py`` times it.

Text is never a formula: every text cell is a shared string (``t="s"``); a text that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list for CSV injection) also carries
Excel's quote-prefix style, so a later edit of the cell keeps it text. Characters XML 1.0 forbids
(control characters other than tab, newline and carriage return) are dropped.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ronghe.errors import InputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
MAX_TEXT = 32_767  #: characters Excel keeps in a cell; a longer text is cut there, not "repaired"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: Built-in number formats of the spreadsheet format (ECMA-376 18.8.30); others get ids from 164.
_BUILTIN_FORMATS = {"0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}

# Fixed cell styles (indices into cellXfs); number formats follow from index 4.
DEFAULT, HEADER, QUOTED, WRAP = 0, 1, 2, 3


@dataclass
class Sheet:
    """One worksheet: ``frame``'s columns under the texts ``header`` (one per column), each column
    shown with ``formats[j]`` (an Excel number format, None for General) and ``widths[j]`` characters;
    ``freeze`` = (rows, columns) kept in view; ``autofilter`` puts filter buttons on the header;
    ``wrap`` lists the columns whose text wraps (long notes)."""

    name: str
    frame: pd.DataFrame
    header: list[str]
    formats: list[str | None]
    widths: list[float]
    freeze: tuple[int, int] = (1, 0)
    autofilter: bool = True
    wrap: set[int] = field(default_factory=set)


def column_letter(j: int) -> str:
    """Spreadsheet letters of the 0-based column ``j`` (0 -> A, 26 -> AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


class _Strings:
    """The shared-strings table: each distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, text: str) -> int:
        self.count += 1
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def xml(self) -> str:
        items = []
        for text in self.index:
            clean = escape(_ILLEGAL.sub("", text)[:MAX_TEXT])
            space = ' xml:space="preserve"' if clean != clean.strip() or "\n" in clean else ""
            items.append(f"<si><t{space}>{clean}</t></si>")
        return (f'{_HEAD}<sst xmlns="{_MAIN}" count="{self.count}" '
                f'uniqueCount="{len(self.index)}">' + "".join(items) + "</sst>")


class _Styles:
    """Cell styles: the four fixed ones, then one per number format in use."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}

    def for_format(self, code: str | None) -> int:
        if code is None:
            return DEFAULT
        if code not in self.formats:
            self.formats[code] = 4 + len(self.formats)
        return self.formats[code]

    def xml(self) -> str:
        custom = {c: 164 + i for i, c in enumerate(c for c in self.formats
                                                  if c not in _BUILTIN_FORMATS)}
        num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(c)}"/>'
                           for c, i in custom.items())
        xfs = [
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
            'applyFill="1" applyBorder="1" applyAlignment="1">'
            '<alignment vertical="center" wrapText="1"/></xf>',
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>',
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
            '<alignment vertical="top" wrapText="1"/></xf>',
        ]
        for code in self.formats:
            fid = _BUILTIN_FORMATS.get(code, custom.get(code))
            xfs.append(f'<xf numFmtId="{fid}" fontId="0" fillId="0" borderId="0" xfId="0" '
                       'applyNumberFormat="1"/>')
        font = '<sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/>'
        side = '<{0} style="thin"><color rgb="FFB7C4D1"/></{0}>'
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>' if custom else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF4"/>'
            '<bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            f'<border>{"".join(side.format(s) for s in ("left", "right", "top", "bottom"))}'
            '<diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>'
        )


def _cells(values: pd.Series, letter: str, rows: pa.Array, style: int, strings: _Strings,
           text_style: int) -> pa.Array:
    """The ``<c>`` elements of one column for the rows numbered ``rows`` (text), built by Arrow's
    compute kernels; an empty string for a missing value."""
    arr = values.to_numpy()
    head = f'<c r="{letter}'
    s = f' s="{style}"' if style else ""
    kind = arr.dtype.kind
    if kind in "biuf":
        if kind == "b":
            arr = arr.astype(np.int8)
            s = ' t="b"'
        missing = ~np.isfinite(arr) if kind == "f" else None
        text = pc.cast(pa.array(arr, mask=missing), pa.string())  # shortest round-trip repr
        cells = pc.binary_join_element_wise(head, rows, f'"{s}><v>', text, "</v></c>", "")
        return pc.fill_null(cells, "")
    ts = f' s="{text_style}"' if text_style else ""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not all(isinstance(u, str) for u in uniques):  # mixed: numbers and text in one column
        return pa.array([_cell(head, int(i.as_py()), v, s, ts, strings)
                         for i, v in zip(rows, arr, strict=True)], pa.string())
    ids = np.array([strings.add(u) for u in uniques] + [0], dtype=np.int64)
    strings.count += int((codes >= 0).sum()) - len(uniques)
    quoted = np.array([u.startswith(FORMULA_START) for u in uniques] + [False])
    styles = pa.array(np.where(quoted[codes], f' s="{QUOTED}"', ts).astype(object), pa.string())
    text = pc.cast(pa.array(ids[codes], mask=codes < 0), pa.string())
    cells = pc.binary_join_element_wise(head, rows, '"', styles, ' t="s"><v>', text, "</v></c>",
                                        "")
    return pc.fill_null(cells, "")


def _cell(head: str, i: int, v: object, s: str, ts: str, strings: _Strings) -> str:
    """One ``<c>`` element of a column that mixes text and numbers."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, str):
        q = f' s="{QUOTED}"' if v.startswith(FORMULA_START) else ts
        return f'{head}{i}"{q} t="s"><v>{strings.add(v)}</v></c>'
    if isinstance(v, (bool, np.bool_)):
        return f'{head}{i}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, np.integer)):
        return f'{head}{i}"{s}><v>{int(v)}</v></c>'
    if isinstance(v, (float, np.floating)):
        return f'{head}{i}"{s}><v>{float(v)!r}</v></c>' if np.isfinite(v) else ""
    return f'{head}{i}"{ts} t="s"><v>{strings.add(str(v))}</v></c>'


def _bytes(array: pa.Array) -> memoryview:
    """The UTF-8 text of a string array's values, back to back (a view of its data buffer)."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:]
    data = array.buffers()[2]
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(offsets[0]):int(offsets[len(array)])]


CHUNK = 20_000  #: rows turned into XML at once (bounds the memory and Arrow's 32-bit offsets)


def _sheet_xml(sheet: Sheet, strings: _Strings, styles: _Styles,
               selected: bool) -> Iterator[bytes | memoryview]:
    df = sheet.frame
    n, k = len(df), len(df.columns)
    last = column_letter(max(k, 1) - 1)
    parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
             f'<dimension ref="A1:{last}{n + 1}"/>']
    rows, cols = sheet.freeze
    view = '<sheetView workbookViewId="0"' + (' tabSelected="1">' if selected else ">")
    if rows or cols:
        pane = "bottomRight" if rows and cols else ("bottomLeft" if rows else "topRight")
        split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
        view += (f'<pane{split} topLeftCell="{column_letter(cols)}{rows + 1}" '
                 f'activePane="{pane}" state="frozen"/><selection pane="{pane}"/>')
    parts.append(f"<sheetViews>{view}</sheetView></sheetViews>")
    if k:
        cols_xml = []
        for j, (width, fmt) in enumerate(zip(sheet.widths, sheet.formats, strict=True)):
            style = f' style="{styles.for_format(fmt)}"' if fmt else ""
            cols_xml.append(f'<col min="{j + 1}" max="{j + 1}" width="{width:.1f}" '
                            f'customWidth="1"{style}/>')
        parts.append("<cols>" + "".join(cols_xml) + "</cols>")
    head = "".join(f'<c r="{column_letter(j)}1" s="{HEADER}" t="s"><v>{strings.add(h)}</v></c>'
                   for j, h in enumerate(sheet.header))
    parts.append(f'<sheetData><row r="1">{head}</row>')
    yield "".join(parts).encode("utf-8")
    letters = [column_letter(j) for j in range(k)]
    cell_styles = [styles.for_format(f) for f in sheet.formats]
    for a in range(0, n if k else 0, CHUNK):
        part = df.iloc[a:a + CHUNK]
        numbers = pc.cast(pa.array(np.arange(a + 2, a + 2 + len(part))), pa.string())
        cells = [_cells(part.iloc[:, j], letters[j], numbers, cell_styles[j], strings,
                        WRAP if j in sheet.wrap else DEFAULT) for j in range(k)]
        yield _bytes(pc.binary_join_element_wise('<row r="', numbers, '">', *cells, "</row>", ""))
    tail = "</sheetData>"
    if sheet.autofilter and k:
        tail += f'<autoFilter ref="A1:{last}{n + 1}"/>'
    yield (tail + "</worksheet>").encode("utf-8")


def _store(zf: zipfile.ZipFile, name: str, parts: list[bytes | memoryview]) -> None:
    with zf.open(name, "w") as fh:
        for part in parts:
            fh.write(part)


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def write_xlsx(path: str | Path, sheets: Sequence[Sheet], title: str = "") -> Path:
    """Write ``sheets`` in order to ``path`` (the first one selected); ``title`` goes to the
    document properties. An unwritable path is an InputError naming the file."""
    out = Path(path)
    names = [s.name[:MAX_SHEET_NAME] for s in sheets]
    if len(set(names)) != len(names):
        raise InputError("two sheets share a name (31 characters at most) / 工作表重名", file=str(out))
    strings, styles = _Strings(), _Styles()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            # one thread compresses a sheet (zlib lets go of the GIL) while the next is built
            with ThreadPoolExecutor(max_workers=1) as pool:
                done = [pool.submit(_store, zf, f"xl/worksheets/sheet{i}.xml",
                                    list(_sheet_xml(sheet, strings, styles, i == 1)))
                        for i, sheet in enumerate(sheets, start=1)]
                for job in done:
                    job.result()
            n = len(sheets)
            overrides = "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, n + 1))
            zf.writestr("[Content_Types].xml", (
                f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides +
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
                'package.core-properties+xml"/></Types>'))
            zf.writestr("_rels/.rels", (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                '</Relationships>'))
            zf.writestr("docProps/core.xml", (
                f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
                '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
                f'XMLSchema-instance"><dc:title>{escape(title)}</dc:title><dc:creator>ronghe'
                f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
                '</cp:coreProperties>'))
            sheet_list = "".join(
                f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in enumerate(names, start=1))
            filters = "".join(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                f"{escape(_quote_sheet(name))}!$A$1:${column_letter(len(s.frame.columns) - 1)}$"
                f"{len(s.frame) + 1}</definedName>"
                for i, (name, s) in enumerate(zip(names, sheets, strict=True))
                if s.autofilter and len(s.frame.columns))
            zf.writestr("xl/workbook.xml", (
                f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews>'
                f'<workbookView activeTab="0"/></bookViews><sheets>{sheet_list}</sheets>'
                + (f"<definedNames>{filters}</definedNames>" if filters else "")
                + "</workbook>"))
            rels = "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
            zf.writestr("xl/_rels/workbook.xml.rels", (
                f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}'
                f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>'))
            zf.writestr("xl/styles.xml", styles.xml())
            zf.writestr("xl/sharedStrings.xml", strings.xml())
    except OSError as exc:
        raise InputError(f"cannot write the workbook ({exc.strerror or exc}) / 无法写入工作簿",
                         file=str(out)) from None
    return out
