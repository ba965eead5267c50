"""The store at village size: streamed bulk import of a wide table, and the panel pivoted in SQL.

Import (:func:`import_wide`, called by :meth:`ronghe.store.Store.import_wide`): a wide table (a
Parquet file, or a DataFrame) with columns ``region``, ``year`` and one column per catalogue
variable is read ``chunk_rows`` region-years at a time (Parquet: pyarrow record batches), so the
import holds one chunk in Python whatever the file's size. Each chunk is checked (known variables,
integer years, region codes of at most 12 characters, finite values within the catalogue's
plausible range, a region-year once in the chunk) and appended to a staging table inside the
import's single transaction — DuckDB unpivots the registered chunk in SQL into a regular table
named after the batch, PostgreSQL receives the unpivoted chunk through ``COPY`` into a temporary
table (``ON COMMIT DROP``) — and the batch is then written by the same two statements as every
other import: superseding the current values of the staged cells, inserting the staged rows as
current. Missing cells (NULL or NaN) are not stored. The store's rules hold unchanged: one
transaction (a failure or a killed process leaves nothing), one batch with provenance (file name,
sha256, row = the region-year's 1-based position in the file), one current value per cell (the
unique index; a region-year given twice in the file is an :class:`~ronghe.errors.InputError`).

Panel (:func:`wide_frame`, called by :meth:`ronghe.store.Store.panel`): the current values are
pivoted by the database (``max(value) FILTER (WHERE variable = …)`` grouped by region and year;
on PostgreSQL one statement per range of about ``chunk_rows`` region-years, read through the
unique index; on DuckDB one statement, its hash aggregate spilling to disk when needed), so the
long table — 36 times as many rows as the panel, with two text columns — is never built in pandas.
The frame equals the one the long-table pivot gave: rows sorted by (region, year), columns by
variable name, NaN where a cell has no value.

Out of core (:class:`ronghe.chain.sources.StoreSource`): :func:`spans` cuts the stored region-years
into consecutive ranges of region codes of about equal size (:func:`spans_sql`, one statement, so
a region's years are never in two ranges), and :func:`span_query` pivots one range with the
regions' names and provinces, one statement per partition. A DuckDB file is read through
:func:`read_only` connections, so that several processes (Dask workers) can read it at once.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ronghe.errors import InputError
from ronghe.store import schema as t

#: Region-years per chunk of an import or of the panel's pivot (36 variables: about 2 million values).
CHUNK_ROWS = 50_000
KEYS = ("region", "year")
#: Environment variables bounding every DuckDB database ronghe opens (:func:`duckdb_settings`).
MEMORY_ENV = "RONGHE_DUCKDB_MEMORY"
THREADS_ENV = "RONGHE_DUCKDB_THREADS"
#: The default memory limit: this share of the machine's RAM, at least MEMORY_FLOOR bytes.
MEMORY_SHARE = 0.5
MEMORY_FLOOR = 1024**3
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)", re.IGNORECASE)
_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def _ram_bytes() -> int | None:
    """The machine's physical memory (None where the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows)
        return None


def memory_limit(memory: str | None = None) -> str:
    """The memory limit of ronghe's DuckDB databases, as DuckDB's ``memory_limit`` takes it:
    ``memory`` (a size such as ``"2GB"`` or ``"512MiB"``, or a share of the machine's RAM such
    as ``"25%"``), else the environment variable ``RONGHE_DUCKDB_MEMORY``, else
    :data:`MEMORY_SHARE` of the RAM but at least :data:`MEMORY_FLOOR`. DuckDB's own default, 80 %
    of the RAM, leaves little for the Python side of the process (a panel in pandas, the chain)
    and for other processes; half keeps a township import (28 million values, which holds about
    5 GB of its own index entries until it commits) working on a 16 GB machine. A ValueError
    names a value that is neither a size nor a share."""
    text = (memory if memory is not None else os.environ.get(MEMORY_ENV, "")).strip()
    if _SIZE.fullmatch(text):
        return text.replace(" ", "")
    share = _SHARE.fullmatch(text)
    fraction = float(share.group(1)) / 100 if share else MEMORY_SHARE
    ram = _ram_bytes()
    if (text and share is None) or not 0 < fraction <= 1 or (share and ram is None):
        origin = "" if memory is not None else f" ({MEMORY_ENV})"
        raise ValueError(f"DuckDB memory limit {text!r}{origin} is not a size such as 4GB or "
                         "512MB, nor a share of the RAM within (0, 100]% / 内存上限须为 4GB、512MB "
                         "或 25% 这样的值")
    floor = 0 if share else MEMORY_FLOOR
    return f"{max(int((ram or 0) * fraction), floor) // 1024**2}MiB"


def duckdb_settings(database: str | None, memory: str | None = None) -> dict[str, str]:
    """The settings ronghe gives a DuckDB database it opens: ``memory_limit``
    (:func:`memory_limit`), ``threads`` when ``RONGHE_DUCKDB_THREADS`` is set, and for an
    in-memory database a ``temp_directory`` of its own in the system's temporary folder (DuckDB
    creates it when it first spills and removes it on close; a file's is ``<file>.tmp`` beside
    it). DuckDB keeps its buffers — tables, the unique index of ``observations``, hash tables —
    within the limit, writing what does not fit to the temporary directory."""
    out = {"memory_limit": memory_limit(memory)}
    threads = os.environ.get(THREADS_ENV, "").strip()
    if threads:
        if not threads.isdigit() or int(threads) < 1:
            raise ValueError(f"{THREADS_ENV}={threads!r} is not a positive whole number / "
                             "线程数须为正整数")
        out["threads"] = threads
    if database in (None, "", ":memory:"):
        out["temp_directory"] = str(Path(tempfile.gettempdir())
                                    / f"ronghe-duckdb-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    return out


def apply_settings(con: Any, settings: dict[str, str]) -> None:
    """``SET`` each of ``settings`` on the DuckDB connection ``con`` (they hold for its whole
    database). Set after opening rather than as the open's configuration, so that a read-only
    connection of the same process (:func:`read_only`) still matches the open database's
    configuration."""
    for key, value in settings.items():
        con.execute(f"SET {key} = '{value}'")


def chunks(source: str | Path | pd.DataFrame, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The wide table ``chunk_rows`` rows at a time, as DataFrames with region and year columns."""
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index() if set(KEYS) <= set(source.index.names) else source
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start : start + chunk_rows]
        return
    import pyarrow.parquet as pq

    try:
        reader = pq.ParquetFile(source)
    except Exception as exc:  # not a Parquet file, unreadable
        raise InputError(f"cannot read Parquet: {exc} / 无法读取 Parquet 文件",
                         file=Path(source).name) from None
    for batch in reader.iter_batches(batch_size=chunk_rows):
        yield batch.to_pandas()


def variables_of(columns: pd.Index, catalogue: pd.DataFrame, file: str) -> list[str]:
    """The value columns of a wide table, each a catalogue variable (else InputError)."""
    missing = [k for k in KEYS if k not in columns]
    if missing:
        raise InputError(f"a wide table needs the columns region and year (missing "
                         f"{', '.join(missing)}) / 宽表须有 region 与 year 列", file=file)
    names = [str(c) for c in columns if c not in KEYS]
    unknown = [c for c in names if c not in catalogue.index]
    if unknown:
        raise InputError("unknown variable: use an id of the catalogue / 指标不在目录中",
                         file=file, column=unknown[0])
    if not names:
        raise InputError("no variable columns / 没有指标列", file=file)
    return names


def checked(chunk: pd.DataFrame, variables: list[str], catalogue: pd.DataFrame, file: str,
            first_row: int) -> pd.DataFrame:
    """One chunk with text regions, int64 years, float64 values and its 1-based file rows
    (``row``); raises InputError naming the file row and column of the first bad cell."""
    rows = np.arange(first_row, first_row + len(chunk))
    region = chunk["region"].astype(str).str.strip()
    long_code = (region.str.len() > 12).to_numpy() | region.isna().to_numpy()
    if long_code.any():
        i = int(np.argmax(long_code))
        raise InputError("region code longer than 12 characters / 区划代码过长", file=file,
                         row=int(rows[i]), column="region", value=chunk["region"].iloc[i])
    year = pd.to_numeric(chunk["year"], errors="coerce").to_numpy(dtype=float)
    bad_year = ~np.isfinite(year) | (year != np.round(year))
    if bad_year.any():
        i = int(np.argmax(bad_year))
        raise InputError("year is not a year / 年份无效", file=file, row=int(rows[i]),
                         column="year", value=chunk["year"].iloc[i])
    out = pd.DataFrame({"region": region.to_numpy(dtype=object), "year": year.astype("int64"),
                        "row": rows})
    twice = out.duplicated(list(KEYS)).to_numpy()
    if twice.any():
        i = int(np.argmax(twice))
        raise InputError("this region and year are given twice / 同一地区同一年份出现两次",
                         file=file, row=int(rows[i]))
    for v in variables:
        try:
            x = pd.to_numeric(chunk[v], errors="raise").to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise InputError("not a number / 不是数值", file=file, column=v) from None
        lo, hi = (catalogue.at[v, k] for k in ("min_value", "max_value"))
        bad = np.isinf(x) | (x < (-np.inf if pd.isna(lo) else float(lo))) | (
            x > (np.inf if pd.isna(hi) else float(hi)))
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError("value outside the catalogue's plausible range / 数值超出合理范围",
                             file=file, row=int(rows[i]), column=v, value=x[i])
        out[v] = x
    return out


def _raw(conn: sa.Connection) -> Any:
    """The DBAPI driver's own connection (duckdb or psycopg) under a SQLAlchemy connection."""
    raw = conn.connection.driver_connection
    assert raw is not None  # an open connection always has one
    return raw


def stage_name(batch_id: int) -> str:
    return f"ronghe_bulk_{batch_id}"


def create_stage(conn: sa.Connection, name: str) -> None:
    """The staging table of one batch, dropped before the transaction ends (temporary on
    PostgreSQL, a regular table in DuckDB's file so that it need not fit in memory)."""
    temp = "TEMPORARY " if conn.dialect.name == "postgresql" else ""
    conn.execute(sa.text(
        f"CREATE {temp}TABLE {name} (region varchar(12), year integer, variable varchar(64), "
        'value double precision, "row" bigint)'))


def append_stage(conn: sa.Connection, name: str, chunk: pd.DataFrame,
                 variables: list[str]) -> int:
    """Append a checked chunk, unpivoted, without its missing cells; returns the values added."""
    if conn.dialect.name == "duckdb":
        raw = _raw(conn)
        view = f"{name}_chunk"
        wide = chunk.rename(columns={v: f"c{j}" for j, v in enumerate(variables)})
        raw.register(view, wide)
        try:
            cases = " ".join(f"WHEN 'c{j}' THEN '{v}'" for j, v in enumerate(variables))
            raw.execute(
                f"INSERT INTO {name} SELECT region, year, CASE variable {cases} END, value, "
                f'"row" FROM (UNPIVOT {view} ON {", ".join(wide.columns[3:])} INTO NAME variable '
                "VALUE value) WHERE value IS NOT NULL AND NOT isnan(value)")
            return int(np.isfinite(chunk[variables].to_numpy()).sum())
        finally:
            raw.unregister(view)
    values = chunk[variables].to_numpy()
    ok = np.isfinite(values)
    where = np.nonzero(ok)
    long = pd.DataFrame({
        "region": chunk["region"].to_numpy()[where[0]],
        "year": chunk["year"].to_numpy()[where[0]],
        "variable": np.asarray(variables, dtype=object)[where[1]],
        "value": values[where],
        "row": chunk["row"].to_numpy()[where[0]],
    })
    buf = io.StringIO()
    long.to_csv(buf, index=False, header=False, float_format="%.17g")
    with _raw(conn).cursor() as cur, cur.copy(
            f"COPY {name} FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(buf.getvalue())
    return len(long)


def write_stage(conn: sa.Connection, name: str, batch_id: int, units: dict[str, str]) -> int:
    """Supersede the current values of the staged cells, insert the staged rows as current, drop
    the stage; returns the number of values superseded."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ANALYZE {name}"))
    superseded = max(int(conn.execute(sa.text(
        "UPDATE observations SET valid = false, is_current = NULL, superseded_by = :b "
        f"FROM {name} s WHERE observations.valid AND observations.region = s.region "
        "AND observations.year = s.year AND observations.variable = s.variable"
    ), {"b": batch_id}).rowcount or 0), 0)
    unit_rows = ", ".join(f"(:v{j}, :u{j})" for j in range(len(units)))
    params: dict[str, object] = {"b": batch_id}
    for j, (v, u) in enumerate(units.items()):
        params[f"v{j}"], params[f"u{j}"] = v, u
    conn.execute(sa.text(
        "INSERT INTO observations (batch_id, region, year, variable, value, unit, sheet, "
        '"row", "column", valid, superseded_by, is_current) SELECT :b, s.region, s.year, '
        's.variable, s.value, u.unit, NULL, s."row", NULL, true, NULL, true '
        f"FROM {name} s JOIN (VALUES {unit_rows}) AS u(variable, unit) "
        "ON u.variable = s.variable"), params)
    conn.execute(sa.text(f"DROP TABLE {name}"))
    return superseded


def repeated_cell(conn: sa.Connection, name: str) -> tuple[str, int] | None:
    """A (region, year) staged more than once (a file that repeats a region-year across chunks)."""
    row = conn.execute(sa.text(
        f"SELECT region, year FROM {name} GROUP BY region, year, variable HAVING count(*) > 1 "
        "LIMIT 1")).first()
    return None if row is None else (str(row[0]), int(row[1]))


def _filters(variables: list[str] | None, years: list[int] | None,
             regions: list[str] | None) -> list[sa.ColumnElement[bool]]:
    o = t.observations
    where: list[sa.ColumnElement[bool]] = [o.c.valid]
    if variables is not None:
        where.append(o.c.variable.in_(list(variables)))
    if years is not None:
        where.append(o.c.year.in_([int(y) for y in years]))
    if regions is not None:
        where.append(o.c.region.in_([str(r) for r in regions]))
    return where


def _fetch(conn: sa.Connection, query: sa.Select) -> pd.DataFrame:
    if conn.dialect.name == "duckdb":
        sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        return _raw(conn).execute(sql).df()
    return pd.read_sql(query, conn)


def _region_ranges(conn: sa.Connection, where: list[sa.ColumnElement[bool]],
                   chunk_rows: int) -> list[tuple[str, str]]:
    """Consecutive (first, last) region codes, in the database's order, of about ``chunk_rows``
    region-years each."""
    o = t.observations
    codes = _fetch(conn, sa.select(o.c.region, sa.func.count(sa.distinct(o.c.year)).label("n"))
                   .where(*where).group_by(o.c.region).order_by(o.c.region))
    ends = np.cumsum(codes["n"].to_numpy(dtype="int64"))
    ranges = []
    start = 0
    while start < len(codes):
        done = int(ends[start - 1]) if start else 0
        stop = max(int(np.searchsorted(ends, done + chunk_rows, side="right")), start + 1)
        ranges.append((str(codes["region"].iat[start]), str(codes["region"].iat[stop - 1])))
        start = stop
    return ranges


def spans_sql(counts: str, rows: int) -> str:
    """SQL giving consecutive ranges ``(lo, hi, n)`` of the keys of ``counts`` (a query of
    ``(key, n)`` rows, one per key), ``n`` summed, cut into ceil(total / rows) ranges of about
    equal total: each key falls in the range of the running total before it, so a key's rows
    are never split. Standard SQL (DuckDB and PostgreSQL)."""
    total = "CAST(sum(n) OVER () AS DOUBLE PRECISION)"
    before = ("CAST(sum(n) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n "
              "AS DOUBLE PRECISION)")
    parts = f"ceil({total} / {int(rows)})"
    return (f"SELECT min(k) AS lo, max(k) AS hi, sum(n) AS n FROM (SELECT k, n, "
            f"floor({before} * {parts} / {total}) AS b FROM ({counts}) AS c(k, n)) AS s "
            "GROUP BY b ORDER BY lo")


def read_only(path: str) -> Any:
    """A read-only DuckDB connection to the file ``path``, which any number of processes may hold
    at once; when this process already has the file open for writing (DuckDB refuses a second
    configuration in one process), a connection sharing that open database, with the
    configuration it was opened with (plain, or that of duckdb-engine: a :class:`Store`). DuckDB's
    progress bar (drawn on the terminal by long statements) is off; a database this call opens is
    bounded by :func:`duckdb_settings` (a shared one keeps its opener's)."""
    import duckdb
    import duckdb_engine

    agent = f"duckdb_engine/{duckdb_engine.__version__}(sqlalchemy/{sa.__version__})"
    tries: list[dict[str, Any]] = [{"read_only": True}, {},
                                   {"config": {"custom_user_agent": agent}}]
    for i, kwargs in enumerate(tries):
        try:
            con = duckdb.connect(path, **kwargs)
            break
        except duckdb.ConnectionException as exc:
            if "different configuration" not in str(exc) or i == len(tries) - 1:
                raise
    con.execute("SET enable_progress_bar = false")
    if i == 0:
        apply_settings(con, duckdb_settings(path))
    return con


def _years(years: list[int] | None) -> list[sa.ColumnElement[bool]]:
    return [] if not years else [t.observations.c.year.in_([int(y) for y in years])]


def spans(conn: sa.Connection, years: list[int] | None, rows: int
          ) -> tuple[list[str], list[tuple[str, str, int]]]:
    """The stored variables (sorted) and the ranges of region codes (:func:`spans_sql`) of the
    region-years with a current value in ``years`` (all when None)."""
    o = t.observations
    where = [o.c.valid, *_years(years)]
    names = sorted(str(v) for v in conn.execute(
        sa.select(o.c.variable).where(*where).distinct()).scalars())
    counts = (sa.select(o.c.region, sa.func.count(sa.distinct(o.c.year)))
              .where(*where).group_by(o.c.region))
    sql = str(counts.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    got = conn.execute(sa.text(spans_sql(sql, rows))).all()
    return names, [(str(lo), str(hi), int(n)) for lo, hi, n in got]


def span_query(names: list[str], lo: str, hi: str, years: list[int] | None) -> sa.Select:
    """The current values of the regions lo..hi (inclusive, the database's order) pivoted to
    columns ``c0, c1, ...`` (``names`` in order) by (region, year), with the region's stored
    ``name_zh`` and ``province`` (NULL for a code not in the division list)."""
    o, r = t.observations, t.regions
    cells = [sa.func.max(o.c.value).filter(o.c.variable == v).label(f"c{j}")
             for j, v in enumerate(names)]
    pivot = (sa.select(o.c.region, o.c.year, *cells)
             .where(o.c.valid, o.c.region.between(lo, hi), *_years(years))
             .group_by(o.c.region, o.c.year).subquery())
    return (sa.select(pivot, r.c.name_zh, r.c.province)
            .select_from(pivot.outerjoin(r, r.c.code == pivot.c.region))
            .order_by(pivot.c.region, pivot.c.year))


def span_frame(url: str, names: list[str], lo: str, hi: str, years: list[int] | None
               ) -> pd.DataFrame:
    """:func:`span_query` run on the store at ``url`` (a DuckDB file read only, or a server)."""
    query = span_query(names, lo, hi, years)
    engine = sa.create_engine(url)
    try:
        if engine.dialect.name == "duckdb":
            sql = str(query.compile(dialect=engine.dialect,
                                    compile_kwargs={"literal_binds": True}))
            raw = read_only(str(engine.url.database))
            try:
                return raw.execute(sql).df()
            finally:
                raw.close()
        with engine.connect() as conn:
            return pd.read_sql(query, conn)
    finally:
        engine.dispose()


def wide_frame(conn: sa.Connection, variables: list[str] | None, years: list[int] | None,
               regions: list[str] | None, chunk_rows: int | None = None
               ) -> tuple[pd.DataFrame, dict[str, str]] | None:
    """The current values as a wide frame indexed by (region, year), and each variable's unit
    (that of its first value in (region, year) order); None when nothing matches."""
    o = t.observations
    # DuckDB aggregates out of core in one statement (a range of regions would be a scan of the
    # whole table, not being sorted by region); PostgreSQL reads each range through the index
    where = _filters(variables, years, regions)
    names = sorted(str(v) for v in conn.execute(
        sa.select(o.c.variable).where(*where).distinct()).scalars())
    if not names:
        return None
    first = conn.execute(sa.select(o.c.variable, o.c.unit).where(*where)
                         .distinct(o.c.variable)
                         .order_by(o.c.variable, o.c.region, o.c.year)).all()
    units = {str(v): u or "" for v, u in first}
    cells = [sa.func.max(o.c.value).filter(o.c.variable == v).label(f"c{j}")
             for j, v in enumerate(names)]
    pivot = (sa.select(o.c.region, o.c.year, *cells).group_by(o.c.region, o.c.year)
             .order_by(o.c.region, o.c.year))
    if conn.dialect.name == "duckdb" and chunk_rows is None:
        parts = [_fetch(conn, pivot.where(*where))]
    else:
        parts = [_fetch(conn, pivot.where(*where, o.c.region >= lo, o.c.region <= hi))
                 for lo, hi in _region_ranges(conn, where, chunk_rows or CHUNK_ROWS)]
    data = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    del parts
    index = pd.MultiIndex.from_arrays(
        [data["region"].to_numpy(dtype=object), data["year"].to_numpy(dtype="int64")],
        names=list(KEYS))
    frame = pd.DataFrame(data[[f"c{j}" for j in range(len(names))]].to_numpy(dtype=float),
                         index=index, columns=pd.Index(names))
    del data
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index()
    return frame, units
