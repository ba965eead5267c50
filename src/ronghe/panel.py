"""The Panel: region-year observations of raw variables, with region metadata.

A panel is a wide frame indexed by ``(region, year)`` (region codes as strings, years as ints) with one
float column per raw variable, plus a ``regions`` frame indexed by region code (``name_zh``, ``name_en``,
``level``, ``parent``, ``province``). Files come in two forms, detected from the header:

- long: columns ``region, year, variable, value`` (optionally ``unit``, ``name``/``name_zh``, ``province``);
- wide: columns ``region, year`` then one column per variable (optionally ``name``/``name_zh``, ``province``).

Reading never guesses silently: a text cell in a numeric column, a duplicated (region, year) or a file
that is neither form raises :class:`~ronghe.errors.InputError` naming the file, row and column.
Row numbers are 1-based as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheWarning

REGION_ALIASES = ("region", "code", "region_code", "province_code", "地区代码", "代码")
YEAR_ALIASES = ("year", "年份", "年")
NAME_ALIASES = ("name_zh", "name", "region_name", "province_name_zh", "地区", "名称")
PROVINCE_ALIASES = ("province", "省份", "省")
META_COLUMNS = {"unit", "source", "name_en", "level", "parent"}


@dataclass(frozen=True)
class WideColumns:
    """The roles of a wide table's columns (one row per region-year): the region, year, name and
    province columns found by their aliases (None when absent) and the value columns (the rest,
    less the meta columns)."""

    region: Any
    year: Any
    name: Any
    province: Any
    values: list[Any]

    @classmethod
    def of(cls, columns: Sequence[Any]) -> WideColumns:
        lower = {str(c).lower(): c for c in columns}

        def find(aliases: tuple[str, ...]) -> Any:
            return next((lower[a] for a in aliases if a in lower), None)

        keys = find(REGION_ALIASES), find(YEAR_ALIASES), find(NAME_ALIASES), find(PROVINCE_ALIASES)
        skip = set(keys) | {c for c in columns if str(c).lower() in META_COLUMNS}
        return cls(*keys, [c for c in columns if c not in skip])


@dataclass
class Panel:
    """Region-year observations of raw variables.

    Attributes
    ----------
    data : DataFrame indexed by (region, year), one float column per variable.
    regions : DataFrame indexed by region code with at least ``name_zh`` and ``province``.
    units : unit of each variable where known.
    source : where the numbers come from (shown in every output).
    synthetic : True for generated data; every output then says so.
    shipped : True for a dataset shipped with ronghe (:mod:`ronghe.datasets`); outputs then name it
        by its source, not as the user's data.
    """

    data: pd.DataFrame
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    units: dict[str, str] = field(default_factory=dict)
    source: str = ""
    synthetic: bool = False
    shipped: bool = False

    def __post_init__(self) -> None:
        if list(self.data.index.names) != ["region", "year"]:
            raise InputError("panel data must be indexed by (region, year)")
        dup = self.data.index.duplicated()
        if dup.any():
            region, year = self.data.index[int(np.flatnonzero(dup)[0])]
            raise InputError(
                f"duplicated (region, year) = ({region}, {year}): one row per region and year",
                file=self.source or None,
            )
        self.data = _numeric(self.data, self.source).sort_index()
        if self.regions.empty:
            codes = self.data.index.get_level_values("region").unique()
            self.regions = pd.DataFrame(
                {"name_zh": codes, "province": [_province_of(c) for c in codes]},
                index=pd.Index(codes, name="region"),
            )
        for col in ("name_zh", "province"):
            if col not in self.regions:
                self.regions[col] = (
                    self.regions.index
                    if col == "name_zh"
                    else [_province_of(c) for c in self.regions.index]
                )

    @property
    def years(self) -> list[int]:
        return sorted(self.data.index.get_level_values("year").unique().tolist())

    @property
    def region_codes(self) -> list[str]:
        return self.data.index.get_level_values("region").unique().tolist()

    @property
    def variables(self) -> list[str]:
        return list(self.data.columns)

    def select(self, years: list[int] | None = None, regions: list[str] | None = None) -> Panel:
        """A sub-panel restricted to some years and/or regions."""
        d = self.data
        if years is not None:
            d = d[d.index.get_level_values("year").isin(years)]
        if regions is not None:
            d = d[d.index.get_level_values("region").isin(regions)]
        kept = d.index.get_level_values("region").unique()
        return Panel(
            d,
            self.regions.loc[self.regions.index.isin(kept)],
            dict(self.units),
            self.source,
            self.synthetic,
            self.shipped,
        )

    def to_long(self) -> pd.DataFrame:
        """Long form: region, year, variable, value (missing cells dropped)."""
        long = self.data.stack(future_stack=True).dropna().rename("value").reset_index()
        return long.rename(columns={long.columns[2]: "variable"})


def _numeric(data: pd.DataFrame, source: str) -> pd.DataFrame:
    """The data as float columns; a cell that is not a number, or is infinite, raises InputError
    naming the region, year and column (blanks and None are missing values)."""
    out = {}
    for name in data.columns:
        col = data[name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            num = col.astype(float)
        else:
            num = pd.to_numeric(col, errors="coerce").astype(float)
            blank = col.isna() | col.astype(str).str.strip().isin(["", "nan", "NaN", "NA", "None"])
            bad = num.isna() & ~blank
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                region, year = data.index[i]
                raise InputError(
                    f"region {region}, year {year}: not a number",
                    file=source or None, column=str(name), value=col.iloc[i],
                )
        inf = np.isinf(num.to_numpy())
        if inf.any():
            i = int(np.flatnonzero(inf)[0])
            region, year = data.index[i]
            raise InputError(
                f"region {region}, year {year}: an infinite value is not a measurement "
                "(leave the cell blank if it is missing)",
                file=source or None, column=str(name), value=col.iloc[i],
            )
        out[name] = num
    return pd.DataFrame(out, index=data.index, columns=data.columns)


def _province_of(code: object) -> str:
    s = str(code)
    return s[:2] if len(s) >= 2 and s[:2].isdigit() else ""


def _find(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    low = {str(c).strip().lower(): c for c in columns}
    for a in aliases:
        if a in low:
            return low[a]
    return None


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """One table of a file as raw cells: the first sheet of a workbook (or ``sheet``), read and
    decoded by the importer's readers (:mod:`ronghe.ingest.readers`: the same encodings, limits and
    errors as ``ronghe import``).

    The first non-blank row is the header; the frame's index holds each row's 1-based number as a
    spreadsheet shows it, and blank rows are dropped. A row with a value right of the last heading
    is an error naming the row, as in the importer.
    """
    from ronghe.ingest.readers import TEXT_SUFFIXES, read_sheets

    p = Path(path)
    workbook = p.suffix.lower() not in (*TEXT_SUFFIXES, ".parquet")
    table = read_sheets(p, only=(sheet if sheet is not None else 0) if workbook else None)[0]
    rows = [(i + 1, r) for i, r in enumerate(table.rows)
            if any(c is not None and c != "" for c in r)]
    if not rows:
        raise InputError("the file holds no table / 文件中没有数据表", file=p.name, sheet=table.name
                         if workbook else None)
    (_, header), body = rows[0], rows[1:]
    names = [_heading(c) for c in header]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for j, name in enumerate(names):
        if name in seen:
            raise InputError(f"column heading {name!r} appears twice / 列标题重复", file=p.name,
                             row=rows[0][0], column=name)
        seen.add(name or f"#{j + 1}")
    width = len(names)
    cells = []
    for number, r in body:
        if any(c is not None and c != "" for c in r[width:]):
            n = max(j for j, c in enumerate(r) if c is not None and c != "") + 1
            raise InputError(f"the row has {n} cells but the header has {width}: a separator too "
                             "many, or a value without a heading / 该行单元格多于表头", file=p.name,
                             row=number, value=",".join("" if c is None else str(c) for c in r[:n]))
        cells.append([None if c == "" else c for c in r[:width]] + [None] * (width - len(r)))
    frame = pd.DataFrame(cells, columns=names, index=[n for n, _ in body], dtype=object)
    return frame.loc[:, [bool(n) for n in names]]


def _heading(cell: object) -> str:
    """A header cell as a column name (2020.0 read from a workbook is '2020')."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _to_number(col: pd.Series, name: str, file: str) -> pd.Series:
    """A column as floats by the importer's cell rules (:func:`ronghe.ingest.cells.clean_cell`):
    yearbook no-data marks become NaN; a cell that is not a clean number (``abc``, ``inf``,
    ``1,23``) is an error naming its row and column; a stripped footnote mark is a warning."""
    from ronghe.ingest.cells import parse_column

    values, odd = parse_column(col.to_numpy())
    rows = col.index
    for k, cell in odd.items():
        if cell.status == "rejected":
            raise InputError(cell.reason, file=file, row=int(rows[k]), column=name,
                             value=col.iloc[k])
    notes = [k for k, cell in odd.items() if cell.note]
    if notes:
        k = notes[0]
        warnings.warn(f"{file}, column {name!r}: {odd[k].note} in {len(notes)} cell(s), first row "
                      f"{rows[k]} (value {col.iloc[k]!r}) / 已去除脚注符号", RongheWarning,
                      stacklevel=3)
    return pd.Series(values, index=col.index, dtype=float)


def _codes(col: pd.Series, what: str, file: str) -> pd.Series:
    """Region (or province) codes as text: a code read as the number 330102.0 is '330102'; a
    blank is an error naming the row."""
    from ronghe.ingest.match import code_text

    blank = col.isna()
    if blank.any():
        raise InputError(f"missing {what} / 缺少{'地区代码' if what == 'region code' else '省份'}",
                         file=file, row=int(col.index[int(np.flatnonzero(blank)[0])]),
                         column=col.name)
    return col.map(code_text)


def _years(col: pd.Series, file: str) -> pd.Series:
    """Years by the importer's rule (2020, 2020.0, '2020年'; 1900-2099)."""
    from ronghe.ingest.headers import parse_year

    try:
        plain = np.array(col.to_numpy(), dtype=float)
        if ((plain >= 1900) & (plain <= 2099) & (plain == np.round(plain))).all():
            return pd.Series(plain.astype(int), index=col.index)
    except (TypeError, ValueError):
        pass
    for number, cell in col.items():
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            raise InputError("missing year / 缺少年份", file=file, row=int(number), column=col.name)
        if parse_year(cell) is None:
            raise InputError("year cell is not a year / 年份无效", file=file, row=int(number),
                             column=col.name, value=cell)
    return col.map(parse_year).astype(int)


def read_panel(path: str | Path, layout: str = "auto", sheet: str | int | None = None) -> Panel:
    """Read a panel file in long or wide form (see module docstring).

    Cells are read, decoded and cleaned by the importer's rules (:func:`read_table`,
    :func:`ronghe.ingest.cells.clean_cell`), so ``ronghe evaluate`` accepts and refuses what
    ``ronghe import`` does, with the same messages.

    Parameters
    ----------
    layout : "auto", "long" or "wide".
    """
    file = Path(path).name
    df = read_table(path, sheet)
    cols = [str(c) for c in df.columns]
    rcol, ycol = _find(cols, REGION_ALIASES), _find(cols, YEAR_ALIASES)
    if rcol is None or ycol is None:
        raise InputError(
            "needs a 'region' (code) column and a 'year' column; found " + ", ".join(map(repr, cols[:8])),
            file=file,
        )
    ncol, pcol = _find(cols, NAME_ALIASES), _find(cols, PROVINCE_ALIASES)
    if layout == "auto":
        layout = "long" if {"variable", "value"} <= {c.lower() for c in cols} else "wide"
    region = _codes(df[rcol], "region code", file)
    year = _years(df[ycol], file)
    units: dict[str, str] = {}
    if layout == "long":
        vcol, valcol = _find(cols, ("variable",)), _find(cols, ("value",))
        if vcol is None or valcol is None:
            raise InputError("long layout needs 'variable' and 'value' columns", file=file)
        value = _to_number(df[valcol], valcol, file)
        variable = df[vcol].map(lambda c: "" if c is None else _heading(c))
        long = pd.DataFrame(
            {"region": region, "year": year, "variable": variable, "value": value}
        )
        dup = long.duplicated(["region", "year", "variable"], keep="first")
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(
                f"duplicated (region, year, variable) = ({region.iloc[i]}, "
                f"{year.iloc[i]}, {long['variable'].iloc[i]})",
                file=file,
                row=int(df.index[i]),
            )
        data = long.pivot(index=["region", "year"], columns="variable", values="value")
        data.columns.name = None
        ucol = _find(cols, ("unit",))
        if ucol is not None:
            units = {v: "" if u is None else str(u) for v, u in zip(variable, df[ucol], strict=True)}
    elif layout == "wide":
        key = pd.DataFrame({"region": region, "year": year})
        dup = key.duplicated(keep="first")
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(
                f"duplicated (region, year) = ({region.iloc[i]}, {year.iloc[i]})",
                file=file,
                row=int(df.index[i]),
            )
        skip = {rcol, ycol, ncol, pcol} | {c for c in cols if c.lower() in META_COLUMNS}
        values = {c: _to_number(df[c], c, file) for c in cols if c not in skip}
        if not values:
            raise InputError("no variable columns besides region and year", file=file)
        data = pd.DataFrame(values)
        data.index = pd.MultiIndex.from_frame(key)
    else:
        raise InputError(f"unknown layout {layout!r} (use auto, long or wide)", file=file)
    first = ~region.duplicated()
    meta = pd.DataFrame(index=pd.Index(region[first].to_numpy(), name="region"))
    meta["name_zh"] = (
        df.loc[first, ncol].map(lambda c: "" if c is None else str(c)).to_numpy()
        if ncol else meta.index
    )
    meta["province"] = (
        df.loc[first, pcol].map(lambda c: "" if c is None else _heading(c)).to_numpy()
        if pcol
        else [_province_of(c) for c in meta.index]
    )
    return Panel(data.astype(float), meta, units, source=file)
