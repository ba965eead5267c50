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

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ronghe.errors import InputError

REGION_ALIASES = ("region", "code", "region_code", "province_code", "地区代码", "代码")
YEAR_ALIASES = ("year", "年份", "年")
NAME_ALIASES = ("name_zh", "name", "region_name", "province_name_zh", "地区", "名称")
PROVINCE_ALIASES = ("province", "省份", "省")
META_COLUMNS = {"unit", "source", "name_en", "level", "parent"}


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
    """

    data: pd.DataFrame
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    units: dict[str, str] = field(default_factory=dict)
    source: str = ""
    synthetic: bool = False

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
    """Read a CSV (UTF-8, UTF-8-BOM or GBK), XLSX/XLS (python-calamine) or Parquet file as text-preserving
    frame. Raises InputError for an unreadable file."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=str(p))
    suffix = p.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            sep = "\t" if suffix == ".tsv" else ","
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    return pd.read_csv(p, sep=sep, dtype=str, encoding=enc, keep_default_na=False)
                except UnicodeDecodeError:
                    continue
            raise InputError("cannot decode the file as UTF-8 or GBK", file=str(p))
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            return pd.read_excel(
                p, sheet_name=sheet or 0, dtype=str, engine="calamine", keep_default_na=False
            )
        if suffix == ".parquet":
            return pd.read_parquet(p)
    except InputError:
        raise
    except Exception as exc:  # the reader libraries raise many types; name the file and the reason
        raise InputError(
            f"cannot read the file ({type(exc).__name__}: {exc})", file=str(p)
        ) from None
    raise InputError(f"unsupported file type {suffix!r} (use .csv, .xlsx or .parquet)", file=str(p))


def _to_number(col: pd.Series, name: str, file: str, offset: int = 2) -> pd.Series:
    """Convert a column to float: blanks become NaN, anything else non-numeric is an error."""
    if pd.api.types.is_numeric_dtype(col):
        return col.astype(float)
    text = col.astype(str).str.strip()
    blank = text.isin(["", "nan", "NaN", "NA", "None"])
    num = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = num.isna() & ~blank
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            "text in a numeric column", file=file, row=i + offset, column=name, value=col.iloc[i]
        )
    return num.astype(float)


def read_panel(path: str | Path, layout: str = "auto", sheet: str | int | None = None) -> Panel:
    """Read a panel file in long or wide form (see module docstring).

    Parameters
    ----------
    layout : "auto", "long" or "wide".
    """
    file = str(path)
    df = read_table(path, sheet)
    cols = [str(c) for c in df.columns]
    df.columns = cols
    rcol, ycol = _find(cols, REGION_ALIASES), _find(cols, YEAR_ALIASES)
    if rcol is None or ycol is None:
        raise InputError(
            "needs a 'region' (code) column and a 'year' column; found " + ", ".join(cols[:8]),
            file=file,
        )
    ncol, pcol = _find(cols, NAME_ALIASES), _find(cols, PROVINCE_ALIASES)
    if layout == "auto":
        layout = "long" if {"variable", "value"} <= {c.lower() for c in cols} else "wide"
    region = df[rcol].astype(str).str.strip()
    years = _to_number(df[ycol], ycol, file)
    if years.isna().any():
        i = int(np.flatnonzero(years.isna().to_numpy())[0])
        raise InputError("missing year", file=file, row=i + 2, column=ycol)
    year = years.astype(int)
    units: dict[str, str] = {}
    if layout == "long":
        vcol, valcol = _find(cols, ("variable",)), _find(cols, ("value",))
        if vcol is None or valcol is None:
            raise InputError("long layout needs 'variable' and 'value' columns", file=file)
        value = _to_number(df[valcol], valcol, file)
        long = pd.DataFrame(
            {"region": region, "year": year, "variable": df[vcol].astype(str), "value": value}
        )
        dup = long.duplicated(["region", "year", "variable"], keep="first")
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(
                f"duplicated (region, year, variable) = ({region.iloc[i]}, "
                f"{year.iloc[i]}, {long['variable'].iloc[i]})",
                file=file,
                row=i + 2,
            )
        data = long.pivot(index=["region", "year"], columns="variable", values="value")
        data.columns.name = None
        ucol = _find(cols, ("unit",))
        if ucol is not None:
            units = dict(zip(df[vcol].astype(str), df[ucol].astype(str), strict=True))
    elif layout == "wide":
        key = pd.DataFrame({"region": region, "year": year})
        dup = key.duplicated(keep="first")
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(
                f"duplicated (region, year) = ({region.iloc[i]}, {year.iloc[i]})",
                file=file,
                row=i + 2,
            )
        skip = {rcol, ycol, ncol, pcol} | {c for c in cols if c.lower() in META_COLUMNS}
        values = {c: _to_number(df[c], c, file) for c in cols if c not in skip}
        if not values:
            raise InputError("no variable columns besides region and year", file=file)
        data = pd.DataFrame(values)
        data.index = pd.MultiIndex.from_frame(key)
    else:
        raise InputError(f"unknown layout {layout!r} (use auto, long or wide)", file=file)
    first = pd.DataFrame({"region": region}).drop_duplicates("region").index
    meta = pd.DataFrame(index=pd.Index(region.iloc[first].to_numpy(), name="region"))
    meta["name_zh"] = df[ncol].iloc[first].astype(str).to_numpy() if ncol else meta.index
    meta["province"] = (
        df[pcol].iloc[first].astype(str).to_numpy()
        if pcol
        else [_province_of(c) for c in meta.index]
    )
    return Panel(data.astype(float), meta, units, source=Path(file).name)
