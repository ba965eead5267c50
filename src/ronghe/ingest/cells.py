"""Clean one yearbook cell into a number, a missing value or a rejection with a reason.

Hand-written on purpose: no maintained library knows the conventions of Chinese statistical
yearbooks. The rules, applied in this order to a text cell:

1. footnote marks are removed from the end (enclosed numbers: circled ①–㊿ and ❶, parenthesised
   ⑴, with a full stop ⒈; superscript digits, ``*``, ``#``,
   ``△``, ``▲``, ``†``, ``‡``) and reported as a warning, since they often mean "provisional" or
   "different definition";
2. the text is NFKC-normalised, which turns full-width digits and punctuation (``１２３，４５６．７``) into
   ASCII; footnotes are stripped first because NFKC would turn ``①`` into the digit 1;
3. the yearbook marks for "no data" (blank, ``—``, ``…``, ``-``, ``/``, ``NA``) become a missing value;
4. thousands separators are removed only where they are well-formed (``1,234,567.8``); anything else
   with a comma is rejected rather than guessed;
5. a trailing ``%`` or ``‰`` is returned as the cell's own unit;
6. what is left must be a plain decimal number (no ``inf``, ``nan``, hex or words), finite and of
   magnitude below 1e15.

Numeric cells (from XLSX or Parquet) skip the text rules but still get rule 6. Booleans, dates and
error texts (``#DIV/0!`` typed into a CSV) are rejected, as is formula text (``=SUM(…)``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MISSING_MARKS = frozenset(
    {"", "-", "--", "---", "—", "——", "–", "──", "…", "……", "...", "/", "na", "n/a", "n.a.",
     "nan", "none", "null"}
)
_ENCLOSED = ((0x2460, 0x249B),  # ① … ⑳, ⑴ … ⒇, ⒈ … ⒛
             (0x24EA, 0x24FF),  # ⓪, ⓫ … ⓴, ⓵ … ⓾, ⓿
             (0x2776, 0x2793),  # ❶ … ❿, ➀ … ➉, ➊ … ➓
             (0x3251, 0x325F), (0x32B1, 0x32BF))  # ㉑ … ㉟, ㊱ … ㊿
FOOTNOTE_CHARS = (
    "".join(chr(c) for lo, hi in _ENCLOSED for c in range(lo, hi + 1))
    + "¹²³⁰⁴⁵⁶⁷⁸⁹*#△▲†‡"
)
MAX_ABS = 1e15
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Cell:
    """Outcome of cleaning one cell.

    status is ``"ok"`` (value set), ``"missing"`` (a yearbook no-data mark or a blank) or
    ``"rejected"`` (reason set). ``note`` is a warning attached to an ok value (a stripped footnote);
    ``unit`` is a unit written inside the cell (``%`` or ``‰``), else ``None``.
    """

    status: str
    value: float | None = None
    reason: str = ""
    note: str = ""
    unit: str | None = None


MISSING = Cell("missing", reason="no data mark")


def _check_magnitude(x: float) -> Cell:
    if not math.isfinite(x):
        return Cell("rejected", reason="not a finite number")
    if abs(x) >= MAX_ABS:
        return Cell("rejected", reason="implausibly large number (|x| >= 1e15)")
    return Cell("ok", value=float(x))


def clean_cell(raw: object) -> Cell:
    """Clean one cell as read from a CSV, XLSX or Parquet file (see the module docstring).

    >>> clean_cell("１２，３４５．６①")
    Cell(status='ok', value=12345.6, reason='', note="footnote mark '①' removed", unit=None)
    >>> clean_cell("—").status
    'missing'
    """
    if raw is None:
        return MISSING
    if isinstance(raw, bool):
        return Cell("rejected", reason="a true/false cell is not a number")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and math.isnan(raw):
            return MISSING
        return _check_magnitude(float(raw))
    if not isinstance(raw, str):
        return Cell("rejected", reason=f"a {type(raw).__name__} cell is not a number")
    text = raw.strip()
    note = ""
    marks = ""
    while text and text[-1] in FOOTNOTE_CHARS:
        marks = text[-1] + marks
        text = text[:-1].rstrip()
    if marks:
        note = f"footnote mark {marks!r} removed"
    text = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    if text.lower() in MISSING_MARKS or set(text) <= set("-—–…./"):
        return Cell("missing", reason="no data mark", note=note)
    if text.startswith("="):
        return Cell("rejected", reason="formula without a stored result")
    if text.startswith("#"):
        return Cell("rejected", reason="spreadsheet error value")
    unit = None
    if text[-1] in "%‰":
        unit, text = text[-1], text[:-1]
    if "," in text:
        if not _THOUSANDS.fullmatch(text):
            return Cell("rejected", reason="malformed thousands separators")
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        return Cell("rejected", reason="not a number")
    out = _check_magnitude(float(text))
    if out.status != "ok":
        return out
    return Cell("ok", value=out.value, note=note, unit=unit)


def parse_column(cells: Sequence[object]) -> tuple[np.ndarray, dict[int, Cell]]:
    """Values of a column of raw cells by :func:`clean_cell`'s rules, for a reader that has no unit
    catalogue (``ronghe evaluate``): NaN where a cell is missing or rejected, the number as
    written otherwise (a ``%`` in the cell is kept as its unit, not divided).

    Returns the values and, by position, the :class:`Cell` of every cell with something to report
    (rejected, or ok with a note or a unit). A column of plain numbers and plain decimal text is
    converted at once (numpy parses the text); a cell that is not finite or not below 1e15 after
    that, and every cell of any other column, goes through :func:`clean_cell`.
    """
    out = _at_once(cells)
    todo = range(len(cells)) if out is None else np.flatnonzero(~(np.abs(out) < MAX_ABS))
    if out is None:
        out = np.full(len(cells), np.nan)
    odd: dict[int, Cell] = {}
    for k in map(int, todo):
        cell = clean_cell(cells[k])
        out[k] = cell.value if cell.status == "ok" else np.nan
        if cell.status == "rejected" or cell.note or cell.unit:
            odd[k] = cell
    return out, odd


def _at_once(cells: Sequence[object]) -> np.ndarray | None:
    """The column as floats when numpy's reading of it agrees with :func:`clean_cell` wherever it
    succeeds (no booleans, no ``1_000``, which Python's float() accepts), else None."""
    if not set(map(type, cells)) <= {str, float, int, type(None)}:
        return None
    if any("_" in c for c in cells if type(c) is str):
        return None
    try:
        return np.array(cells, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None
