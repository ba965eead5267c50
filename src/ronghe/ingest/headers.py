"""Recognising a yearbook table's header: the heading words of region, year, variable, value and
unit columns, the header row (and a second header row under it), the data columns it heads, and
the layout it implies; parsing year headings and column letters. Used by :mod:`ronghe.ingest.tables`,
whose docstring describes the layouts and the two-row header rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.ingest.cells import clean_cell
from ronghe.ingest.match import Where
from ronghe.ingest.units import UNITS, normalise_unit, split_header

if TYPE_CHECKING:
    pass

LAYOUTS = ("auto", "long", "per-year", "per-variable", "variable-year")
CODE_HEADERS = {"region", "code", "region_code", "代码", "地区代码", "区划代码", "行政区划代码",
                "统计用区划代码"}
NAME_HEADERS = {"name", "name_zh", "region_name", "地区", "地区名称", "名称", "县(市、区)", "县(市,区)",
                "县市区", "县", "区县", "县区", "单位名称", "地区(县)", "县(市)", "县市", "市县",
                "县(市、区、旗)", "区域", "地名"}
PROVINCE_HEADERS = {"province", "省", "省份", "所属省份", "省(区、市)", "省区市"}
YEAR_HEADERS = {"year", "年份", "年", "年度"}
VARIABLE_HEADERS = {"variable", "indicator", "指标", "变量", "指标代码", "指标名称"}
VALUE_HEADERS = {"value", "数值", "值", "数据"}
UNIT_HEADERS = {"unit", "单位", "计量单位"}
SKIP_HEADERS = {"序号", "备注", "no.", "no", "remark", "remarks", "note"}
TOTAL_NAMES = {"合计", "总计", "全省", "全市", "全区", "全国", "全县", "total", "sum"}
FOOTER_PREFIXES = ("注", "资料来源", "说明", "note", "source")
FOOTER_STARTS = frozenset("注资说NnSs")
VALUE_COLUMNS = ["region", "year", "variable", "value", "unit", "sheet", "row", "column"]
_YEAR = re.compile(r"((?:19|20)\d\d)(?:\.0+)?(?:年|年度)?")
_SHEET_UNIT = re.compile(r"^(?:单位|unit)[:：]\s*(\S+)\s*$", re.IGNORECASE)


def _key(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def parse_year(cell: object) -> int | None:
    """2020, 2020.0, '2020', '2020年', '２０２０年度' -> 2020; anything else -> None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return int(cell) if float(cell).is_integer() and 1900 <= cell <= 2099 else None
    m = _YEAR.fullmatch(_key(cell)) if cell is not None else None
    return int(m.group(1)) if m else None


class _Catalogue:
    """Variable lookup by id, Chinese or English name (case- and width-insensitive)."""

    def __init__(self, catalogue: pd.DataFrame | None) -> None:
        self.frame = catalogue if catalogue is not None and not catalogue.empty else None
        self.lookup: dict[str, str] = {}
        if self.frame is not None:
            for vid, row in self.frame.iterrows():
                for k in (vid, row.get("name_zh"), row.get("name_en")):
                    if isinstance(k, str) and k:
                        self.lookup.setdefault(_key(k), str(vid))

    def resolve(self, header: object, parent: object = None,
                **where: Unpack[Where]) -> tuple[str, str | None]:
        """Variable id and unit of a column heading; ``parent`` is the heading above it in a
        two-row header (see the module docstring for the names tried)."""
        name, unit = split_header(header)
        names = [name]
        if parent is not None:
            top, top_unit = split_header(parent)
            m = _SHEET_UNIT.match(name)
            bare = m.group(1) if m else name
            if unit is None and normalise_unit(bare) in UNITS:
                name, unit = "", bare
            unit = unit or top_unit
            total = not name or _key(name) in TOTAL_NAMES
            names = [top] if total else [name, name + top, top + name]
        if self.frame is None:
            return names[0], unit
        vid = next((v for v in map(self.lookup.get, map(_key, names)) if v is not None), None)
        if vid is None:
            tried = " / ".join(map(repr, dict.fromkeys(names)))
            raise InputError(f"unknown variable {tried}: not in the catalogue (use an id or name "
                             "from `ronghe db status`) / 指标不在目录中", **where)
        return vid, unit

    def unit(self, vid: str) -> str:
        return str(self.frame.at[vid, "unit"]) if self.frame is not None else ""

    def bounds(self, vid: str) -> tuple[float, float, bool]:
        if self.frame is None:
            return -np.inf, np.inf, False
        row = self.frame.loc[vid]
        lo = -np.inf if pd.isna(row["min_value"]) else float(row["min_value"])
        hi = np.inf if pd.isna(row["max_value"]) else float(row["max_value"])
        return lo, hi, bool(row["positive"])


@dataclass
class _Header:
    row: int
    code: int | None
    name: int | None
    province: int | None
    year: int | None
    variable: int | None
    value: int | None
    unit: int | None
    data: list[int]
    tops: list[int | None]
    sub: int | None
    sheet_unit: str | None

    @property
    def body(self) -> int:
        """Index of the first row below the header."""
        return (self.row if self.sub is None else self.sub) + 1


def _is_heading(cell: object) -> bool:
    """A cell that can head a column: a year, or text that is neither a number nor a no-data mark."""
    return parse_year(cell) is not None or (isinstance(cell, str)
                                            and clean_cell(cell).status == "rejected")


def _text(cell: object) -> str:
    """A heading as text for the report (a year read as 2020.0 shows as 2020)."""
    return str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell)


def _year_heading(cell: object) -> int | None:
    """The year of a second-row heading (``2020``, ``2020年(万元)``), else None."""
    return None if cell is None else parse_year(split_header(cell)[0])


def _continues(grid: np.ndarray, i: int, region: list[int], free: list[int]) -> bool:
    """Whether row ``i + 1`` is a second header row below header row ``i`` (module docstring);
    ``region`` are the code/name columns, ``free`` the columns that may hold data."""
    if i + 2 >= grid.shape[0]:
        return False
    line, below = grid[i + 1], grid[i + 2]
    if any(line[j] is not None for j in region) or all(below[j] is None for j in region):
        return False
    cells = [j for j, c in enumerate(line) if c is not None]
    return (bool(cells) and set(cells) <= set(free)
            and all(_is_heading(line[j]) for j in cells))


def _data_columns(grid: np.ndarray, i: int, sub: int | None, keys: list[str],
                  free: list[int]) -> tuple[list[int], list[int | None]]:
    """Data columns of header row ``i`` (second row ``sub``) and, for each, the column of its
    first-row heading: itself, or the heading carried right across blank cells (module
    docstring)."""
    if sub is None:
        data = [j for j in free if keys[j]]
        return data, list(data)
    data, tops = [], []
    allowed = set(free)
    top = None
    for j in range(grid.shape[1]):
        if j not in allowed:
            top = None
            continue
        if keys[j]:
            top = j
        elif grid[sub, j] is None:
            top = None
            continue
        data.append(j)
        tops.append(top)
    return data, tops


def _find_header(grid: np.ndarray) -> _Header | None:
    for i in range(min(20, grid.shape[0])):
        keys = [_key(c) if c is not None else "" for c in grid[i]]
        if not any(k in CODE_HEADERS or k in NAME_HEADERS for k in keys):
            continue

        def first(names: set[str], keys: list[str] = keys) -> int | None:
            return next((j for j, k in enumerate(keys) if k in names), None)

        roles = {
            "code": first(CODE_HEADERS), "name": first(NAME_HEADERS),
            "province": first(PROVINCE_HEADERS), "year": first(YEAR_HEADERS),
            "variable": first(VARIABLE_HEADERS), "value": first(VALUE_HEADERS),
            "unit": first(UNIT_HEADERS),
        }
        used = {j for j in roles.values() if j is not None}
        free = [j for j, k in enumerate(keys) if j not in used and k not in SKIP_HEADERS]
        region = [j for j in (roles["code"], roles["name"]) if j is not None]
        sub = i + 1 if _continues(grid, i, region, free) else None
        data, tops = _data_columns(grid, i, sub, keys, free)
        sheet_unit = None
        for above in grid[:i].ravel():
            m = _SHEET_UNIT.match(unicodedata.normalize("NFKC", str(above))) if above else None
            if m:
                sheet_unit = m.group(1)
        return _Header(i, data=data, tops=tops, sub=sub, sheet_unit=sheet_unit, **roles)
    return None


def _header_width(grid: np.ndarray, h: _Header) -> int:
    """Columns the header spans: up to its last heading in either header row."""
    heads = [j for r in {h.row, h.body - 1} for j, c in enumerate(grid[r]) if c is not None]
    return max(heads, default=-1) + 1


def _grid(rows: Sequence[Sequence[object]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    grid = np.empty((len(rows), width), dtype=object)
    for i, r in enumerate(rows):
        grid[i, : len(r)] = [None if c == "" else c for c in r]
    return grid


def _detect(header: _Header, grid: np.ndarray) -> str:
    if header.variable is not None and header.value is not None:
        return "long"
    if header.sub is None:
        heads = [grid[header.row, j] for j in header.data]
        years = sum(parse_year(h) is not None for h in heads)
        return "per-variable" if heads and years * 2 >= len(heads) else "per-year"
    years = sum(_year_heading(grid[header.sub, j]) is not None for j in header.data)
    if header.data and years * 2 >= len(header.data):
        return "variable-year" if any(t is not None for t in header.tops) else "per-variable"
    return "per-year"
