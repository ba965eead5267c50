"""A wide panel in a table (or view) of a plain DuckDB file, read a range of regions at a time.

The table has one row per region-year: a region column (text or integer codes), a year column
(integer), optionally a name and a province column (the aliases of :mod:`ronghe.panel`: ``region``
or ``code``, ``year``, ``name_zh`` or ``name``, ``province`` ...) and numeric value columns, one
per variable (``ronghe evaluate data.duckdb --table panel``). :func:`layout` finds those columns
from the table's schema (no row is read); :func:`spans` cuts the region codes into consecutive
ranges of about equal numbers of rows in one statement (:func:`ronghe.store.bulk.spans_sql`, so a
region's years are never in two ranges); :func:`span_panel` reads one range as a
:class:`~ronghe.panel.Panel`, one statement, only the value columns asked for. The file is opened
read only (:func:`ronghe.store.bulk.read_only`): Dask workers may read it at the same time.

Errors are one line naming the file, the table and the column: no such file or table, no region
or year column, a year column that is not integer, a value column that is not numeric, an empty
region or year.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ronghe.errors import InputError
from ronghe.panel import REGION_ALIASES, YEAR_ALIASES, Panel, WideColumns
from ronghe.store.bulk import read_only, spans_sql

INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "UHUGEINT")
NUMERIC = (*INTEGER, "FLOAT", "DOUBLE", "REAL")
TEXT = ("VARCHAR",)


def quote(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Layout:
    """Where the panel is in a table: its quoted name and its columns by role."""

    file: str
    table: str  # as the file spells it
    schema: str
    region: str
    year: str
    name: str | None
    province: str | None
    values: tuple[str, ...]
    types: tuple[str, ...]  # of ``values``, as DuckDB names them

    @property
    def sql_name(self) -> str:
        return f"{quote(self.schema)}.{quote(self.table)}"

    def numeric(self, columns: list[str]) -> None:
        """An InputError for the first of ``columns`` that is not numeric."""
        kinds = dict(zip(self.values, self.types, strict=True))
        for c in columns:
            if kinds[c] not in NUMERIC and not kinds[c].startswith("DECIMAL"):
                raise InputError(f"数值列须为数字 / a value column must be numeric, not {kinds[c]}",
                                 file=f"{self.file}, table {self.table}", column=c)

    def where(self, years: list[int] | None) -> str:
        return "" if not years else (f"{quote(self.year)} IN "
                                     f"({', '.join(str(int(y)) for y in years)})")


def _connect(path: str | Path) -> Any:
    if not Path(path).is_file():
        raise InputError("没有这个 DuckDB 文件 / no such DuckDB file", file=str(path))
    try:
        return read_only(str(path))
    except Exception as exc:  # not a DuckDB file, locked by a writer
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"无法以只读方式打开 / cannot open read only: {reason}",
                         file=Path(path).name) from None


def layout(path: str | Path, table: str | None) -> Layout:
    """The columns of ``table`` in the DuckDB file ``path`` by role (module docstring); with
    ``table`` None, the file's only table."""
    file = Path(path).name
    con = _connect(path)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "ORDER BY table_schema, table_name").fetchall()
        listed = ", ".join(n if s == "main" else f"{s}.{n}" for s, n in tables) or "-"
        if table is None:
            if {"alembic_version", "observations"} <= {n for _, n in tables}:
                raise InputError("这是 ronghe 专题数据库，请用 --db / this is a ronghe store: "
                                 "give it as --db", file=file)
            if len(tables) != 1:
                raise InputError(f"请用 --table 指定表 / name the table with --table (the file "
                                 f"has: {listed})", file=file)
            schema, name = tables[0]
        else:
            hits = [(s, n) for s, n in tables if table in (n, f"{s}.{n}")] or [
                (s, n) for s, n in tables if table.lower() in (n.lower(), f"{s}.{n}".lower())]
            if len(hits) != 1:
                raise InputError(f"没有表 {table} / no table {table!r} (the file has: {listed})",
                                 file=file)
            schema, name = hits[0]
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
            "AND table_name = ? ORDER BY ordinal_position", [schema, name]).fetchall()
    finally:
        con.close()
    types = {str(c): str(d).upper() for c, d in columns}
    cols = WideColumns.of(list(types))
    where = f"{file}, table {name}"
    region, year = cols.region, cols.year
    for role, zh, col, aliases in (("region", "地区代码", region, REGION_ALIASES),
                                   ("year", "年份", year, YEAR_ALIASES)):
        if col is None:
            raise InputError(f"缺少{zh}列 / no {role} column (one of {', '.join(aliases)})",
                             file=where)
    assert region is not None and year is not None  # checked just above
    if types[year] not in INTEGER:
        raise InputError(f"年份列须为整数 / the year column must be integer, not {types[year]}",
                         file=where, column=year)
    if types[region] not in INTEGER + TEXT:
        raise InputError(f"地区代码列须为文本或整数 / the region column must be text or integer, "
                         f"not {types[region]}", file=where, column=region)
    values = tuple(cols.values)
    return Layout(file, name, schema, region, year, cols.name, cols.province, values,
                  tuple(types[c] for c in values))


def spans(path: str | Path, lay: Layout, years: list[int] | None, rows: int
          ) -> list[tuple[Any, Any, int]]:
    """Consecutive ranges ``(first, last, rows)`` of region codes (the column's own order), about
    ``rows`` rows each; an InputError for an empty region or year."""
    con = _connect(path)
    try:
        empty = con.execute(
            f"SELECT count(*) FILTER (WHERE {quote(lay.region)} IS NULL), count(*) FILTER "
            f"(WHERE {quote(lay.year)} IS NULL) FROM {lay.sql_name}").fetchone()
        assert empty is not None  # an aggregate always has a row
        for col, n in zip((lay.region, lay.year), empty, strict=True):
            if n:
                raise InputError(f"{n} 行为空 / {n} rows are empty", file=f"{lay.file}, table "
                                 f"{lay.table}", column=col)
        cond = lay.where(years)
        counts = (f"SELECT {quote(lay.region)}, count(*) FROM {lay.sql_name} "
                  f"{'WHERE ' + cond if cond else ''} GROUP BY 1")
        return [(lo, hi, int(n)) for lo, hi, n in con.execute(spans_sql(counts, rows)).fetchall()]
    finally:
        con.close()


def span_panel(path: str | Path, lay: Layout, first: Any, last: Any, columns: list[str],
               years: list[int] | None) -> Panel:
    """The rows of the regions ``first``..``last`` with the value ``columns`` (each checked
    numeric by :meth:`Layout.numeric`), in one statement."""
    meta = [c for c in (lay.name, lay.province) if c is not None]
    cond = lay.where(years)
    sql = (f"SELECT {', '.join(quote(c) for c in (lay.region, lay.year, *meta, *columns))} FROM "
           f"{lay.sql_name} WHERE {quote(lay.region)} BETWEEN ? AND ? "
           f"{'AND ' + cond if cond else ''} ORDER BY 1, 2")
    con = _connect(path)
    try:
        df = con.execute(sql, [first, last]).df()
    finally:
        con.close()
    region = df[lay.region].astype(str).to_numpy(dtype=object)
    data = pd.DataFrame(df[list(columns)].to_numpy(dtype=float), columns=pd.Index(columns),
                        index=pd.MultiIndex.from_arrays(
                            [region, df[lay.year].to_numpy(dtype="int64")],
                            names=["region", "year"]))
    once = ~pd.Series(region).duplicated().to_numpy()
    regions = pd.DataFrame(index=pd.Index(region[once], name="region"))
    if lay.name is not None:
        regions["name_zh"] = df[lay.name].to_numpy()[once].astype(str)
    if lay.province is not None:
        regions["province"] = df[lay.province].to_numpy()[once].astype(str)
    return Panel(data, regions, source=f"{lay.file}, table {lay.table} [{first} … {last}]")

