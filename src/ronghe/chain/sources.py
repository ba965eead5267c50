"""Where the out-of-core chain (:mod:`ronghe.chain.partitioned`) reads its partitions.

A source cuts a panel that need not fit in memory into parts, each holding all years of its
regions (the within-region steps — ``lag``/``growth``, the imputation within a region — need
them together). A part is a small picklable description (a file, or a range of region codes and
where to read it) whose ``read()`` returns the :class:`~ronghe.panel.Panel` of its regions,
restricted to ``settings.years``; the runner maps ``read`` over the parts in this process or on
Dask workers, so every worker must be able to open the source under the same path or URL.

- :class:`ParquetFolder`: one part per ``.parquet`` file of a folder (:func:`read_partition`);
  a region whose rows are in two files is refused by the runner.
- :class:`DuckDBTable`: a wide table of a plain DuckDB file (region, year, [name, province],
  variables...: :mod:`ronghe.store.duck_table`), cut into consecutive ranges of region codes of
  about ``rows`` region-years each; each part is one ``SELECT`` of the value columns the
  framework reads. The file is opened read only, which DuckDB allows to any number of
  processes at once (not while a process writes to it).
- :class:`StoreSource`: the current values of a ronghe store (DuckDB file or PostgreSQL), cut
  the same way (:meth:`ronghe.store.Store.spans`); each part is pivoted by the database in one
  statement (:func:`ronghe.store.store.span_panel`), never as the long table in pandas.

A range of region codes holds whole regions by construction: the ranges are cut between codes.
The number of parts is ceil(region-years / ``rows``) with ``rows`` = :data:`DEFAULT_ROWS` unless
given, the parts about equal (bounded memory: a part's arrays, about 3 KB a region-year).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from ronghe.errors import InputError
from ronghe.panel import Panel, WideColumns, read_panel

if TYPE_CHECKING:
    from ronghe.store.duck_table import Layout

#: Region-years per part of a database source unless given (about 0.7 GB of chain arrays).
DEFAULT_ROWS = 200_000
Years = tuple[int, ...] | None


class Part(Protocol):
    """One partition: whole regions, read in one go."""

    @property
    def name(self) -> str: ...

    def read(self) -> Panel: ...


class Source(Protocol):
    """Cuts a panel into parts; ``variables`` are the columns the framework reads (a source may
    read only those), ``years`` those of the settings (all when None)."""

    def parts(self, years: list[int] | None, variables: set[str]) -> list[Part]: ...


def _years(years: list[int] | None) -> Years:
    return tuple(int(y) for y in years) if years else None


def partition_rows(rows: int | None) -> int:
    """``rows`` region-years per part (checked positive), :data:`DEFAULT_ROWS` when None."""
    if rows is not None and rows < 1:
        raise InputError(f"每个分区的行数须为正整数 / rows per partition must be a positive "
                         f"integer, got {rows}")
    return rows or DEFAULT_ROWS


# ------------------------------------------------------------------ Parquet folder
def partitions(folder: str | Path) -> list[Path]:
    """The Parquet files of ``folder`` in name order (an InputError when there are none)."""
    files = sorted(Path(folder).glob("*.parquet"))
    if not files:
        raise InputError("文件夹中没有 .parquet 文件 / no .parquet file in the folder",
                         file=str(folder))
    return files


def read_partition(path: str | Path) -> Panel:
    """One partition as a Panel. A wide table whose region column is text (or integer codes),
    whose year column is integer and whose other columns (besides name, province and the meta
    columns of :mod:`ronghe.panel`) are all numeric is taken as typed, column by column; any
    other file goes through :func:`ronghe.panel.read_panel` and its cell-by-cell rules."""
    df = pd.read_parquet(path)
    cols = WideColumns.of(list(df.columns))
    rcol, ycol, ncol, pcol, values = cols.region, cols.year, cols.name, cols.province, cols.values
    typed = (
        rcol is not None and ycol is not None and values
        and (pd.api.types.is_string_dtype(df[rcol]) or pd.api.types.is_integer_dtype(df[rcol]))
        and pd.api.types.is_integer_dtype(df[ycol]) and not df[rcol].isna().any()
        and all(pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
                for c in values)
    )
    if not typed:
        return read_panel(path)
    region = df[rcol].astype(str).to_numpy()
    data = df[values].astype(float)
    data.index = pd.MultiIndex.from_arrays([region, df[ycol].to_numpy()], names=["region", "year"])
    first = ~pd.Series(region).duplicated().to_numpy()
    meta = pd.DataFrame(index=pd.Index(region[first], name="region"))
    if ncol is not None:
        meta["name_zh"] = df[ncol].to_numpy()[first].astype(str)
    if pcol is not None:
        meta["province"] = df[pcol].to_numpy()[first].astype(str)
    return Panel(data, meta, source=Path(path).name)


@dataclass(frozen=True)
class ParquetPart:
    """One Parquet file."""

    path: str
    years: Years = None

    @property
    def name(self) -> str:
        return Path(self.path).name

    def read(self) -> Panel:
        panel = read_partition(self.path)
        return panel.select(years=list(self.years)) if self.years else panel


@dataclass(frozen=True)
class ParquetFolder:
    """The ``.parquet`` files of a folder, one part each (name order)."""

    folder: str | Path

    def parts(self, years: list[int] | None, variables: set[str]) -> list[Part]:
        return [ParquetPart(str(f), _years(years)) for f in partitions(self.folder)]


# ------------------------------------------------------------------ DuckDB table
@dataclass(frozen=True)
class TablePart:
    """The regions ``first``..``last`` of a DuckDB table."""

    path: str
    layout: Layout
    first: Any
    last: Any
    columns: tuple[str, ...]
    years: Years = None

    @property
    def name(self) -> str:
        return f"{self.layout.table} [{self.first} … {self.last}]"

    def read(self) -> Panel:
        from ronghe.store.duck_table import span_panel

        return span_panel(self.path, self.layout, self.first, self.last, list(self.columns),
                          list(self.years) if self.years else None)


@dataclass(frozen=True)
class DuckDBTable:
    """A wide table of the DuckDB file ``path`` (``table`` None: the file's only table), about
    ``rows`` region-years a part (:data:`DEFAULT_ROWS` when None)."""

    path: str | Path
    table: str | None = None
    rows: int | None = None

    def parts(self, years: list[int] | None, variables: set[str]) -> list[Part]:
        from ronghe.store import duck_table

        lay = duck_table.layout(self.path, self.table)
        columns = [c for c in lay.values if c in variables]
        lay.numeric(columns)
        spans = duck_table.spans(self.path, lay, years, partition_rows(self.rows))
        if not spans:
            raise InputError(f"表中没有所选年份的数据 / the table has no rows{_in(years)}",
                             file=f"{lay.file}, table {lay.table}")
        return [TablePart(str(self.path), lay, lo, hi, tuple(columns), _years(years))
                for lo, hi, _ in spans]


def _in(years: list[int] | None) -> str:
    return f" in the years {', '.join(map(str, years))}" if years else ""


# ------------------------------------------------------------------ ronghe store
@dataclass(frozen=True)
class StorePart:
    """The regions ``first``..``last`` of a store, the ``variables`` pivoted to columns."""

    url: str
    variables: tuple[str, ...]
    first: str
    last: str
    years: Years = None

    @property
    def name(self) -> str:
        return f"[{self.first} … {self.last}]"

    def read(self) -> Panel:
        from ronghe.store.store import span_panel

        return span_panel(self.url, list(self.variables), self.first, self.last,
                          list(self.years) if self.years else None)


@dataclass(frozen=True)
class StoreSource:
    """The current values of the store at ``url`` (a DuckDB file or a server URL, as ``--db``),
    about ``rows`` region-years a part."""

    url: str | Path
    rows: int | None = None

    def parts(self, years: list[int] | None, variables: set[str]) -> list[Part]:
        from ronghe.store import Store

        store = Store(self.url)
        try:  # closed before the parts are read: a DuckDB file is then opened read only
            names, spans = store.spans(years, partition_rows(self.rows))
        finally:
            store.close()
        if not spans:
            raise InputError(f"库中没有所选年份的数据 / the store has no values{_in(years)}",
                             file=Path(str(self.url)).name)
        columns = tuple(n for n in names if n in variables)
        return [StorePart(store.url, columns, lo, hi, _years(years)) for lo, hi, _ in spans]

