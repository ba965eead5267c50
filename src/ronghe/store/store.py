"""The thematic database: open, migrate, import, query and export.

``Store("ronghe.duckdb")`` opens (or creates) a DuckDB file through duckdb-engine;
``Store("postgresql+psycopg://user@host/db")`` a PostgreSQL server. ``init()`` runs the Alembic
migrations shipped in ``ronghe/store/migrations`` and loads the division list and the variable
catalogue when those tables are empty.

Safety rules an import follows:

- a file whose sha256 is already recorded is not imported again (a no-op that says so);
- everything an import writes (batch row, superseded flags, new values) happens in one transaction, so
  an error or a killed process leaves the database as it was;
- a dry run reads and validates but opens no write transaction;
- a value for a (region, year, variable) that already has one supersedes it: the old row stays, marked
  ``valid = false`` with ``superseded_by`` set, and :meth:`Store.history` shows both;
- a cell has at most one current value, enforced by the database (a unique index, migration 0006):
  when two writers race for the same cells, the one that commits second meets a conflict, rolls
  back and tries again from the start (up to ``WRITE_ATTEMPTS`` times, with growing randomised
  pauses), now superseding what the first stored, so the later writer wins; if it still cannot
  commit it stores nothing and raises :class:`StoreConflict`;
- a correction of single values (:meth:`Store.write_values`) is a batch like any other (layout
  ``edit``, the reason as its source), validated by the same cell rules as a file.
- a DuckDB store works within a memory limit (``Store(memory=...)``, ``RONGHE_DUCKDB_MEMORY``,
  default half the RAM: :func:`ronghe.store.bulk.memory_limit`), spilling to ``<file>.tmp``; a
  write that runs out of it is a :class:`StoreError` that stored nothing (an import holds the
  unique-index entries of its new values in memory until it commits: a village table is imported
  as several files, docs/scale.md).

Wide township and village tables go through :meth:`Store.import_wide` and the panel is pivoted in
SQL (:mod:`ronghe.store.bulk`, which holds the SQL of those two paths). This module is longer than
600 lines because :class:`Store` is the one facade over import, correction, queries and runs, each
method sharing the transaction and retry rules above.

Bulk rows go through the engine's native bulk path (DuckDB: a registered DataFrame; PostgreSQL:
``COPY``) inside the same transaction, since row-by-row inserts are far too slow for yearbook panels.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from alembic.ddl.impl import DefaultImpl

from ronghe.errors import InputError, RongheError
from ronghe.excel.xlsx import column_letter
from ronghe.ingest import ValidationReport, read_file
from ronghe.ingest.headers import parse_year
from ronghe.ingest.tables import file_sha256, jump_records
from ronghe.panel import Panel
from ronghe.store import bulk
from ronghe.store import schema as t

DEFAULT_DB = "ronghe.duckdb"
STAGE = "ronghe_stage"
INDICATOR_COLUMNS = ("name_zh", "name_en", "unit", "merge", "min_value", "max_value", "positive")
STAGE_COLUMNS = ["region", "year", "variable", "value", "unit", "sheet", "row", "column"]
EDIT = "edit"  # file name and layout of a correction batch
EDIT_COLUMNS = ["region", "year", "variable", "value"]
WRITE_ATTEMPTS = 8  # tries of a write transaction that meets a concurrent writer
CURRENT_INDEX = "uq_observations_current"


#: The source recorded for batches of ronghe's synthetic generator (``ronghe serve --demo``); a
#: store with any batch of it yields a panel marked synthetic.
SYNTHETIC_SOURCE = "ronghe synthetic demo panel / 合成演示数据"

class StoreError(RongheError):
    """The database cannot be opened, is not initialised, or refused an operation."""


class StoreConflict(StoreError):
    """Concurrent writers kept conflicting on the same values; nothing of this write was stored."""

    def __init__(self) -> None:
        super().__init__("another write to the same values was in progress; nothing was stored, "
                         "please try again / 其他用户正在写入相同的数据，本次未保存，请重试")


class _DuckDBImpl(DefaultImpl):
    """Tell Alembic how to migrate DuckDB (transactional DDL, like PostgreSQL)."""

    __dialect__ = "duckdb"
    transactional_ddl = True


def database_url(db: str | Path | None) -> str:
    """SQLAlchemy URL for a ``--db`` value: a path means a DuckDB file; ``postgresql://`` is given
    the psycopg driver."""
    text = str(db) if db is not None else DEFAULT_DB
    if "://" not in text:
        return f"duckdb:///{text}"
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix):]
    return text


@dataclass
class ImportResult:
    """Outcome of importing one file. ``status`` is ``imported``, ``unchanged`` (same sha256 already
    stored) or ``dry-run``."""

    file: str
    sha256: str
    status: str
    batch_id: int | None
    layout: str
    n_values: int
    n_superseded: int
    report: ValidationReport = field(default_factory=ValidationReport)


@dataclass
class EditResult(ImportResult):
    """Outcome of :meth:`Store.write_values`. ``status`` is ``imported``, ``unchanged`` (every
    value was already stored) or ``dry-run``; ``n_values`` counts the values that change, listed
    in ``changes`` (columns region, year, variable, unit, old, new, old_batch; old and old_batch
    are missing for a cell that had no value); ``n_unchanged`` counts the rows that already held
    their value."""

    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_unchanged: int = 0


@dataclass
class StoreStatus:
    url: str
    revision: str | None
    regions: int
    indicators: int
    batches: int
    values: int
    superseded: int
    variables: list[str]
    years: list[int]

    def lines(self) -> list[str]:
        span = f"{self.years[0]}–{self.years[-1]}" if self.years else "–"
        return [
            f"数据库 database: {self.url} (schema {self.revision or 'not initialised / 未初始化'})",
            f"地区 regions: {self.regions}; 指标 catalogue variables: {self.indicators}",
            f"导入批次 import batches: {self.batches}; 当前值 current values: {self.values}; "
            f"历史值 superseded values: {self.superseded}",
            f"变量 variables with data: {len(self.variables)}; 年份 years: {span}",
        ]


class Store:
    """A thematic database at ``url`` (a DuckDB path or any SQLAlchemy URL; see module docstring)."""

    def __init__(self, url: str | Path | None = None, *, memory: str | None = None) -> None:
        """``memory``: the memory limit of a DuckDB store (``"4GB"``, ``"25%"`` of the RAM;
        default ``RONGHE_DUCKDB_MEMORY``, else half the RAM: see
        :func:`ronghe.store.bulk.memory_limit`), set on every connection; DuckDB writes what does
        not fit to ``<file>.tmp``. The limit holds for the whole database in this process (the
        last store opened on a file sets it). Ignored for PostgreSQL, whose server manages its
        own memory."""
        self.url = database_url(url)
        try:
            self.engine = sa.create_engine(self.url)
        except Exception as exc:  # bad URL or missing driver: one line for the user
            raise StoreError(f"cannot open database {self.url!r}: {exc}") from None
        if self.engine.dialect.name not in ("duckdb", "postgresql"):
            raise StoreError(f"unsupported database {self.engine.dialect.name!r}: use a DuckDB "
                             "file or a postgresql+psycopg:// URL / 仅支持 DuckDB 与 PostgreSQL")
        if self.engine.dialect.name == "duckdb":
            database = self.engine.url.database
            try:
                bulk.duckdb_settings(database, memory)
            except ValueError as exc:
                raise StoreError(str(exc)) from None

            def bound(dbapi: object, _record: object) -> None:
                bulk.apply_settings(dbapi, bulk.duckdb_settings(database, memory))

            sa.event.listen(self.engine, "connect", bound)

    def _connect(self) -> sa.Connection:
        try:
            return self.engine.connect()
        except Exception as exc:  # server down, locked file, wrong password
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"cannot connect to {self.engine.url!r}: {reason}") from None

    def close(self) -> None:
        self.engine.dispose()

    # -- schema ---------------------------------------------------------------------------------
    def revision(self) -> str | None:
        """The Alembic revision the database is at (None when not initialised). A DuckDB file that
        does not exist is not created by asking."""
        database = self.engine.url.database
        if (self.engine.dialect.name == "duckdb" and database not in (None, "", ":memory:")
                and not Path(database).exists()):
            return None
        with self._connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def init(self, regions: pd.DataFrame | None = None,
             catalogue: pd.DataFrame | None = None) -> None:
        """Create or upgrade the schema, then load reference data into empty tables.

        ``regions`` defaults to ``divisions(history=True)`` (:mod:`ronghe.regions.divisions`),
        ``catalogue`` to the built-in frameworks' variables (given frames replace the stored ones),
        and the code changes to :func:`ronghe.regions.history.code_changes`.
        """
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("ronghe.store") / "migrations"))
        with self._connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
        with self.engine.begin() as conn:
            if regions is None and not conn.execute(sa.select(sa.func.count()).select_from(
                    t.regions)).scalar():
                regions = _builtin_regions()
            if regions is not None:
                conn.execute(t.regions.delete())
                conn.execute(t.regions.insert(), _region_rows(regions))
            if catalogue is None and not conn.execute(sa.select(sa.func.count()).select_from(
                    t.indicators)).scalar():
                catalogue = _builtin_catalogue()
            if catalogue is not None:
                conn.execute(t.indicators.delete())
                rows = [{"id": str(i), **{k: _py(r.get(k)) for k in INDICATOR_COLUMNS}}
                        for i, r in catalogue.iterrows()]
                if rows:
                    conn.execute(t.indicators.insert(), rows)
        if not self.code_changes().shape[0]:
            self.import_code_changes(_builtin_code_changes())

    def _require(self) -> None:
        if self.revision() is None:
            raise StoreError(f"database {self.url} is not initialised; run `ronghe db init` / "
                             "数据库未初始化")

    def status(self) -> StoreStatus:
        rev = self.revision()
        if rev is None:
            return StoreStatus(self.url, None, 0, 0, 0, 0, 0, [], [])
        with self._connect() as conn:
            def count(table: sa.Table, *where: sa.ColumnElement) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table)
                                        .where(*where)).scalar_one())

            o = t.observations
            variables = conn.execute(sa.select(o.c.variable).where(o.c.valid).distinct()
                                     .order_by(o.c.variable)).scalars().all()
            years = conn.execute(sa.select(o.c.year).where(o.c.valid).distinct()
                                 .order_by(o.c.year)).scalars().all()
            return StoreStatus(self.url, rev, count(t.regions), count(t.indicators),
                               count(t.import_batches), count(o, o.c.valid), count(o, ~o.c.valid),
                               list(variables), [int(y) for y in years])

    # -- reference data -------------------------------------------------------------------------
    def catalogue(self) -> pd.DataFrame:
        """The stored variable catalogue indexed by id."""
        with self._connect() as conn:
            frame = _frame(sa.select(t.indicators), conn)
        return frame.set_index("id")

    def regions(self) -> pd.DataFrame:
        """The stored division list indexed by code."""
        with self._connect() as conn:
            frame = _frame(sa.select(t.regions), conn)
        return frame.set_index("code")

    def code_changes(self) -> pd.DataFrame:
        """The stored county code changes (old_code, new_code, year, kind, note)."""
        with self._connect() as conn:
            return _frame(sa.select(t.code_changes).order_by(t.code_changes.c.id), conn)

    def import_code_changes(self, changes: pd.DataFrame) -> int:
        """Replace the stored code changes (columns old_code, new_code, year, kind, note)."""
        rows = [{k: _py(r.get(k)) for k in ("old_code", "new_code", "year", "kind", "note")}
                for r in changes.to_dict("records")]
        with self.engine.begin() as conn:
            conn.execute(t.code_changes.delete())
            if rows:
                conn.execute(t.code_changes.insert(), rows)
        return len(rows)

    # -- import ---------------------------------------------------------------------------------
    def import_file(self, path: str | Path, *, layout: str = "auto", source: str = "",
                    user: str | None = None, dry_run: bool = False,
                    jump: float = 3.0) -> ImportResult:
        """Read, validate and store one file (see module docstring for the safety rules)."""
        return self.import_files([path], layout=layout, source=source, user=user,
                                 dry_run=dry_run, jump=jump)[0]

    def import_files(self, paths: list[str | Path], *, layout: str = "auto", source: str = "",
                     user: str | None = None, dry_run: bool = False,
                     jump: float = 3.0, mappings: list | None = None) -> list[ImportResult]:
        """Read and validate every file first, then store them all in one transaction (one batch
        per file): if any file fails, nothing at all is stored. Files already imported (same
        sha256, or repeated in ``paths``) are skipped with status ``unchanged``. ``mappings``:
        one column mapping for every file, or one per file (:mod:`ronghe.ingest.mapping`)."""
        if mappings and len(mappings) not in (1, len(paths)):
            raise InputError(f"give one mapping for all files or one per file ({len(paths)}), "
                             f"not {len(mappings)} / 列映射数量与文件数量不符")
        per_file = (list(mappings) * len(paths) if mappings and len(mappings) == 1
                    else list(mappings or [None] * len(paths)))
        initialised = self.revision() is not None
        if initialised:
            catalogue, regions = self.catalogue(), self.regions()
        else:  # what init() will load
            catalogue, regions = _builtin_catalogue(), _builtin_regions()
        results: list[ImportResult] = []
        pending = []
        seen: dict[str, int | None] = {}
        for path, mapping in zip(paths, per_file, strict=True):
            p = Path(path)
            sha = file_sha256(p) if p.is_file() else ""
            known = seen[sha] if sha in seen else self._batch_by_sha(sha) if sha else None
            if sha in seen or known is not None:
                results.append(ImportResult(p.name, sha, "unchanged", known, "", 0, 0))
                continue
            got = read_file(p, catalogue=catalogue, regions=regions, layout=layout, jump=jump,
                            mapping=mapping)
            seen[got.sha256] = None
            report = got.report + self._jumps_against_store(got.values, got.file, jump)
            results.append(ImportResult(got.file, got.sha256, "dry-run" if dry_run else "imported",
                                        None, got.layout, len(got.values), 0, report))
            pending.append((len(results) - 1, got))
        if dry_run or not pending:
            return results
        if not initialised:
            self.init()

        def write() -> None:
            with self.engine.begin() as conn:
                for i, got in pending:
                    r = results[i]
                    r.batch_id, r.n_superseded = self._write_batch(
                        conn, got.values, file_name=got.file, sha256=got.sha256, source=source,
                        user=user, layout=got.layout, counts={
                            "n_cells": got.n_cells, "n_missing": r.report.count("missing"),
                            "n_rejected": r.report.count("error"),
                            "n_warnings": r.report.count("warning")})

        def stored_meanwhile() -> bool:
            """Files that a concurrent import stored first become ``unchanged``."""
            done = [(i, got, self._batch_by_sha(got.sha256)) for i, got in pending]
            done = [d for d in done if d[2] is not None]
            for i, got, batch in done:
                results[i].status, results[i].batch_id, results[i].n_values = "unchanged", batch, 0
                pending.remove((i, got))
            return bool(done)

        _retrying(write, stored_meanwhile, lambda: bool(pending))
        return results

    def _batch_by_sha(self, sha: str) -> int | None:
        if self.revision() is None:
            return None
        with self._connect() as conn:
            return conn.execute(sa.select(t.import_batches.c.id)
                                .where(t.import_batches.c.sha256 == sha)).scalar()

    def _jumps_against_store(self, values: pd.DataFrame, file: str,
                             jump: float) -> ValidationReport:
        """Jumps from a stored value of year t-1 to a new value of year t (same region, variable)
        where the file itself has no value for t-1."""
        if values.empty or self.revision() is None:
            return ValidationReport()
        o = t.observations
        years = sorted({int(y) - 1 for y in values["year"].unique()})
        with self._connect() as conn:
            old = _frame(sa.select(o.c.region, o.c.year, o.c.variable, o.c.value).where(
                o.c.valid, o.c.variable.in_(values["variable"].unique().tolist()),
                o.c.year.in_(years)), conn)
        if old.empty:
            return ValidationReport()
        key = ["region", "year", "variable"]
        old = old[~old.set_index(key).index.isin(values.set_index(key).index)]
        prev = old.assign(year=old["year"].astype(int) + 1).rename(columns={"value": "prev"})
        records = jump_records(values.merge(prev, on=key), jump, file)
        return ValidationReport.from_records(records) if records else ValidationReport()

    def import_frame(self, values: pd.DataFrame, *, file_name: str, sha256: str, source: str = "",
                     user: str | None = None, layout: str = "", counts: dict | None = None
                     ) -> tuple[int, int]:
        """Store clean long values (columns region, year, variable, value, unit, sheet, row,
        column) as one batch in one transaction; returns (batch id, number of values superseded)."""
        self._require()
        with self.engine.begin() as conn:
            return self._write_batch(conn, values, file_name=file_name, sha256=sha256,
                                     source=source, user=user, layout=layout, counts=counts)

    def import_wide(self, source: str | Path | pd.DataFrame, *, file_name: str | None = None,
                    sha256: str | None = None, source_text: str = "", user: str | None = None,
                    units: dict[str, str] | None = None,
                    chunk_rows: int = bulk.CHUNK_ROWS) -> ImportResult:
        """Store a wide table (a Parquet file or a DataFrame with columns region, year and one per
        catalogue variable) as one batch in one transaction, streamed ``chunk_rows`` region-years
        at a time (:mod:`ronghe.store.bulk`): the bulk path for township and village panels.
        ``units`` defaults to the catalogue's; a file whose sha256 is already stored is
        ``unchanged``. A DataFrame needs ``file_name`` and ``sha256`` (its identity)."""
        if isinstance(source, pd.DataFrame):
            if file_name is None or sha256 is None:
                raise InputError("a frame needs a file_name and a sha256 / 数据框须给出名称与哈希")
        else:
            file_name = file_name or Path(source).name
            sha256 = sha256 or file_sha256(Path(source))
        if self.revision() is None:
            self.init()
        known = self._batch_by_sha(sha256)
        if known is not None:
            return ImportResult(file_name, sha256, "unchanged", known, "wide", 0, 0)
        catalogue = self.catalogue()
        result = ImportResult(file_name, sha256, "imported", None, "wide", 0, 0)

        def write() -> None:
            with self.engine.begin() as conn:
                batch_id = int(conn.execute(t.import_batches.insert().values(
                    file_name=file_name, sha256=sha256, imported_at=_utcnow(),
                    user_name=user or _user(), source=source_text, layout="wide", n_values=0,
                    ).returning(t.import_batches.c.id)).scalar_one())
                stage = bulk.stage_name(batch_id)
                bulk.create_stage(conn, stage)
                n_rows = n_values = 0
                variables: list[str] = []
                for chunk in bulk.chunks(source, chunk_rows):
                    if not variables:
                        variables = bulk.variables_of(chunk.columns, catalogue, file_name)
                    clean = bulk.checked(chunk, variables, catalogue, file_name, n_rows + 1)
                    n_values += bulk.append_stage(conn, stage, clean, variables)
                    n_rows += len(chunk)
                if not variables:
                    raise InputError("the table has no rows / 表中没有数据", file=file_name)
                twice = bulk.repeated_cell(conn, stage)
                if twice is not None:
                    raise InputError(f"region {twice[0]} and year {twice[1]} are given more than "
                                     "once / 同一地区同一年份出现多次", file=file_name)
                catalogue_units = catalogue["unit"].fillna("")
                chosen = {v: (units or {}).get(v, str(catalogue_units.get(v, "")))
                          for v in variables}
                superseded = bulk.write_stage(conn, stage, batch_id, chosen)
                conn.execute(t.import_batches.update().where(t.import_batches.c.id == batch_id)
                             .values(n_values=n_values, n_superseded=superseded,
                                     n_cells=n_rows * len(variables),
                                     n_missing=n_rows * len(variables) - n_values))
                result.batch_id, result.n_values, result.n_superseded = (
                    batch_id, n_values, superseded)

        def stored_meanwhile() -> bool:
            batch = self._batch_by_sha(sha256)
            if batch is not None:
                result.status, result.batch_id, result.n_values = "unchanged", batch, 0
            return batch is not None

        _retrying(write, stored_meanwhile, lambda: False)
        return result

    def _write_batch(self, conn: sa.Connection, values: pd.DataFrame, *, file_name: str,
                     sha256: str, source: str, user: str | None, layout: str,
                     counts: dict | None) -> tuple[int, int]:
        stage = values.reindex(columns=STAGE_COLUMNS).astype(
            {"year": "int64", "value": "float64", "row": "int64"})
        batch_id = int(conn.execute(t.import_batches.insert().values(
            file_name=file_name, sha256=sha256, imported_at=_utcnow(),
            user_name=user or _user(), source=source, layout=layout,
            n_values=len(stage), **(counts or {})).returning(t.import_batches.c.id)).scalar_one())
        _load_stage(conn, stage)
        superseded = max(int(conn.execute(sa.text(
            "UPDATE observations SET valid = false, is_current = NULL, superseded_by = :b "
            f"FROM {STAGE} s WHERE observations.valid AND observations.region = s.region "
            "AND observations.year = s.year AND observations.variable = s.variable"
        ), {"b": batch_id}).rowcount or 0), 0)
        conn.execute(sa.text(
            "INSERT INTO observations (batch_id, region, year, variable, value, unit, sheet, "
            '"row", "column", valid, superseded_by, is_current) SELECT :b, region, year, '
            f'variable, value, unit, sheet, "row", "column", true, NULL, true FROM {STAGE}'),
            {"b": batch_id})
        _drop_stage(conn)
        conn.execute(t.import_batches.update().where(t.import_batches.c.id == batch_id)
                     .values(n_superseded=superseded))
        return batch_id, superseded

    def write_values(self, values: pd.DataFrame, *, source: str, user: str | None = None,
                     dry_run: bool = False, jump: float = 3.0) -> EditResult:
        """Correct single values: store the rows of ``values`` that change a stored value as one
        batch (file name and layout ``edit``, ``source`` = the reason, which is required), in one
        transaction.

        ``values`` has columns region (a stored region code), year, variable (a catalogue id) and
        value (a number, or text as a yearbook cell holds it: ``"12,345.6"``). Row n of the frame
        is "row n" (1-based) in errors. Each value goes through the import's cell rules (it is
        read as a one-sheet long-layout table by :func:`ronghe.ingest.read_file`: number
        cleaning, the catalogue's plausible range, year-on-year jump warnings); any error, an
        unknown region or variable, a bad year or a cell given twice raises
        :class:`~ronghe.errors.InputError` naming the row and reason, and nothing is stored.

        Rows whose value equals the current one change nothing; when no row changes anything the
        result is ``unchanged`` (``batch_id``: the batch holding those values, if it is one) and
        nothing is written, so a repeated submission is a no-op like a re-imported file. The
        batch's sha256 is the SHA-256 of the sorted lines "region, year, variable, value, id of
        the batch whose value it replaces" (tab-separated, value as Python's shortest round-trip
        repr) of the changed rows: a superseded value never becomes current again, so the same
        text cannot come twice except from two identical corrections racing, and the loser of
        such a race reports ``unchanged``.
        """
        self._require()
        reason = source.strip()
        if not reason:
            raise InputError("a correction needs a reason / 修正须说明理由", file=EDIT)
        regions, catalogue = self.regions(), self.catalogue()
        frame = _edit_rows(values, regions.index, catalogue.index)
        clean, report = self._read_edit(frame, catalogue, regions, jump)
        result = EditResult(file=EDIT, sha256="", status="dry-run", batch_id=None, layout=EDIT,
                            n_values=0, n_superseded=0, report=report, n_unchanged=len(clean))

        def write() -> None:
            with self._connect() if dry_run else self.engine.begin() as conn:
                current = _with_current(conn, clean)
                changed = current[~current["same"]]
                result.n_values = len(changed)
                result.n_unchanged = len(clean) - len(changed)
                result.changes = changed[["region", "year", "variable", "unit", "old", "value",
                                          "old_batch"]].rename(columns={"value": "new"})
                result.changes = result.changes.reset_index(drop=True)
                if changed.empty:
                    result.status = "unchanged"
                    holders = current["old_batch"].unique()
                    result.batch_id = int(holders[0]) if len(holders) == 1 else None
                    return
                result.sha256 = _edit_sha256(changed)
                if dry_run:
                    return
                result.batch_id, result.n_superseded = self._write_batch(
                    conn, changed, file_name=EDIT, sha256=result.sha256, source=reason,
                    user=user, layout=EDIT, counts={
                        "n_cells": len(clean), "n_missing": 0, "n_rejected": 0,
                        "n_warnings": report.count("warning")})
                result.status = "imported"

        def stored_meanwhile() -> bool:
            """An identical correction was stored first (see above): this one is unchanged."""
            batch = self._batch_by_sha(result.sha256) if result.sha256 else None
            if batch is None:
                return False
            result.status, result.batch_id = "unchanged", batch
            result.n_values, result.n_superseded, result.n_unchanged = 0, 0, len(clean)
            result.changes = result.changes.iloc[:0]
            return True

        _retrying(write, stored_meanwhile, lambda: False)
        return result

    def _read_edit(self, frame: pd.DataFrame, catalogue: pd.DataFrame, regions: pd.DataFrame,
                   jump: float) -> tuple[pd.DataFrame, ValidationReport]:
        """Validate checked edit rows as a long-layout CSV through :func:`read_file`; returns the
        values (row = edit row) and the warnings, or raises InputError for the first bad cell."""
        names = {column_letter(j): c for j, c in enumerate(EDIT_COLUMNS)}
        with tempfile.TemporaryDirectory(prefix="ronghe-edit-") as tmp:
            path = Path(tmp) / f"{EDIT}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(EDIT_COLUMNS)
                writer.writerows(frame[EDIT_COLUMNS].itertuples(index=False, name=None))
            got = read_file(path, catalogue=catalogue, regions=regions, layout="long", jump=jump)
        issues = got.report.issues.assign(
            file=EDIT, row=got.report.issues["row"] - 1,  # the CSV's row 1 is its header
            column=got.report.issues["column"].map(names))
        bad = issues[issues["severity"].isin(["error", "missing"])].sort_values("row")
        if len(bad):
            first = bad.iloc[0]
            reason = first["reason"] if first["severity"] == "error" else "no value / 缺少数值"
            if len(bad) > 1:
                reason += f" (and {len(bad) - 1} more rows with errors / 另有 {len(bad) - 1} 行有误)"
            raise InputError(reason, file=EDIT, row=int(first["row"]), column=first["column"],
                             value=first["raw"])
        clean = got.values.astype({"region": str, "variable": str, "unit": str}).assign(
            sheet="", row=got.values["row"] - 1, column="")
        report = ValidationReport(issues) + self._jumps_against_store(clean, EDIT, jump)
        return clean[STAGE_COLUMNS], report

    # -- queries --------------------------------------------------------------------------------
    def observations(self, variables: list[str] | None = None, years: list[int] | None = None,
                     regions: list[str] | None = None, current: bool = True,
                     columns: list[str] | None = None) -> pd.DataFrame:
        """Stored observations in long form (current values only unless ``current=False``)."""
        self._require()
        o = t.observations
        q = sa.select(*(o.c[c] for c in columns)) if columns else sa.select(o)
        if current:
            q = q.where(o.c.valid)
        if variables is not None:
            q = q.where(o.c.variable.in_(list(variables)))
        if years is not None:
            q = q.where(o.c.year.in_([int(y) for y in years]))
        if regions is not None:
            q = q.where(o.c.region.in_([str(r) for r in regions]))
        with self._connect() as conn:
            return _frame(q.order_by(o.c.region, o.c.year, o.c.variable), conn)

    def panel(self, variables: list[str] | None = None, years: list[int] | None = None,
              regions: list[str] | None = None) -> Panel:
        """Current values as a :class:`~ronghe.panel.Panel` (wide, indexed by region and year),
        pivoted by the database a range of regions at a time (:func:`ronghe.store.bulk.wide_frame`),
        never as a long table in pandas."""
        self._require()
        with self._connect() as conn:
            got = bulk.wide_frame(conn, variables, years, regions)
        if got is None:
            raise StoreError("no stored values match the selection / 没有符合条件的数据")
        data, units = got
        meta = _region_meta(self.regions(), data.index.get_level_values("region").unique())
        batches = self.batches()
        source = "; ".join(sorted(set(batches["source"].dropna()) - {""})) or self.url
        # generated data says so: any batch from ronghe's synthetic generator makes the panel
        # synthetic (corrections on top of invented numbers do not make them real)
        synthetic = bool((batches["source"].fillna("") == SYNTHETIC_SOURCE).any())
        return Panel(data, meta, units, source=source, synthetic=synthetic)

    def spans(self, years: list[int] | None = None, rows: int = bulk.CHUNK_ROWS
              ) -> tuple[list[str], list[tuple[str, str, int]]]:
        """The stored variables and consecutive ranges ``(first, last, region-years)`` of region
        codes, about ``rows`` region-years each, a region's years never in two ranges: the
        partitions of the out-of-core chain (:func:`ronghe.store.bulk.spans`); each is read by
        :func:`span_panel`."""
        self._require()
        with self._connect() as conn:
            return bulk.spans(conn, years, rows)

    def batches(self) -> pd.DataFrame:
        """All import batches, oldest first."""
        self._require()
        with self._connect() as conn:
            return _frame(sa.select(t.import_batches).order_by(t.import_batches.c.id), conn)

    def history(self, region: str, year: int, variable: str) -> pd.DataFrame:
        """Every value ever imported for one cell, oldest first, with the batch that brought it
        (file name, time, source and user)."""
        self._require()
        o, b = t.observations, t.import_batches
        q = (sa.select(o.c.value, o.c.unit, o.c.valid, o.c.superseded_by, o.c.batch_id,
                       b.c.file_name, b.c.imported_at, b.c.source, b.c.user_name, o.c.sheet,
                       o.c.row, o.c.column)
             .join(b, b.c.id == o.c.batch_id)
             .where(o.c.region == str(region), o.c.year == int(year), o.c.variable == variable)
             .order_by(o.c.batch_id))
        with self._connect() as conn:
            return _frame(q, conn)

    def export_frame(self, wide: bool = False) -> pd.DataFrame:
        """Current values for export: long form with region names and provenance (region,
        name_zh, year, variable, value, unit, batch_id, file_name, source, sheet, row, column),
        or the wide panel (``wide=True``). The front ends write it (``ronghe db export`` through
        :func:`ronghe.report.tables.write_table`, which keeps stored text from becoming a
        spreadsheet formula)."""
        if wide:
            return self.panel().data.reset_index()
        obs = self.observations()
        if obs.empty:
            raise StoreError("nothing to export: the database holds no values / 数据库中没有数据")
        names = self.regions()["name_zh"]
        batches = self.batches().set_index("id")
        return obs.assign(
            name_zh=obs["region"].map(names),
            file_name=obs["batch_id"].map(batches["file_name"]),
            source=obs["batch_id"].map(batches["source"]),
        )[["region", "name_zh", "year", "variable", "value", "unit", "batch_id", "file_name",
           "source", "sheet", "row", "column"]]

    # -- runs -----------------------------------------------------------------------------------
    def save_run(self, settings_yaml: str, note: str = "") -> int:
        """Store a study's settings (YAML text); returns the run id. The hash is SHA-256 of the
        UTF-8 text."""
        self._require()
        digest = hashlib.sha256(settings_yaml.encode("utf-8")).hexdigest()
        with self.engine.begin() as conn:
            return int(conn.execute(t.runs.insert().values(
                created_at=_utcnow(), settings_yaml=settings_yaml,
                settings_hash=digest, note=note).returning(t.runs.c.id)).scalar_one())

    def runs(self) -> pd.DataFrame:
        self._require()
        with self._connect() as conn:
            return _frame(sa.select(t.runs).order_by(t.runs.c.id), conn)


def span_panel(url: str, variables: list[str], first: str, last: str,
               years: list[int] | None = None) -> Panel:
    """The panel of the regions ``first``..``last`` (a range of :meth:`Store.spans`) with the
    stored ``variables`` as columns, pivoted by the database in one statement
    (:func:`ronghe.store.bulk.span_query`); a DuckDB file is opened read only, so that other
    processes may read it at the same time. Rows, values and region names are those of
    :meth:`Store.panel` for these regions."""
    frame = bulk.span_frame(database_url(url), variables, first, last, years)
    index = pd.MultiIndex.from_arrays(
        [frame["region"].to_numpy(dtype=object), frame["year"].to_numpy(dtype="int64")],
        names=list(bulk.KEYS))
    data = pd.DataFrame(frame[[f"c{j}" for j in range(len(variables))]].to_numpy(dtype=float),
                        index=index, columns=pd.Index(variables))
    names = frame.drop_duplicates("region").set_index("region")[["name_zh", "province"]]
    meta = _region_meta(names, data.index.get_level_values("region").unique())
    return Panel(data, meta, source=f"{Path(str(url)).name} [{first} … {last}]")


def _region_meta(regions: pd.DataFrame, codes: pd.Index) -> pd.DataFrame:
    """The stored division list's rows of ``codes``; a code not in it is named by itself and
    placed in the province of its first two digits."""
    meta = regions.reindex(codes)
    meta.index.name = "region"
    meta["name_zh"] = meta["name_zh"].fillna(pd.Series(codes, index=codes))
    meta["province"] = meta["province"].fillna(pd.Series(codes.str[:2], index=codes))
    return meta


def _retrying(write: Callable[[], None], stored_meanwhile: Callable[[], bool],
              still_to_do: Callable[[], bool]) -> None:
    """Run the write transaction ``write`` until it commits. When it fails on a unique key, ask
    ``stored_meanwhile`` whether a concurrent writer stored the same thing first (then what is
    left, per ``still_to_do``, is tried again, or nothing is); when it fails on a concurrency
    conflict (another writer's current value, a write-write conflict, a deadlock or a
    serialisation failure), pause 20 ms x 2^attempt (randomised by ±50 %, at most 1 s) and try
    again, at most :data:`WRITE_ATTEMPTS` times, then raise :class:`StoreConflict`. A write that
    ran out of the database's memory is not tried again: :class:`StoreError` (nothing stored)."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            write()
            return
        except Exception as exc:
            reason = _out_of_memory(exc)
            if reason is not None:
                raise StoreError(
                    f"the database ran out of memory ({reason}); nothing was stored. A DuckDB "
                    "import holds the unique-index entries of all its new values in memory until "
                    f"it commits (100-200 bytes per value): raise {bulk.MEMORY_ENV} or import the "
                    "table as several smaller files / 数据库内存不足，未保存任何数据") from None
            if not isinstance(exc, sa.exc.DBAPIError):
                raise
            if isinstance(exc, sa.exc.IntegrityError) and stored_meanwhile():
                if not still_to_do():
                    return
                continue
            if not _is_conflict(exc):
                raise
        if attempt + 1 < WRITE_ATTEMPTS:
            time.sleep(min(1.0, 0.02 * 2 ** attempt) * random.uniform(0.5, 1.5))
    raise StoreConflict()


def _out_of_memory(exc: Exception) -> str | None:
    """DuckDB's first line when ``exc`` (raised by DuckDB directly or through SQLAlchemy) is
    running out of its memory limit, in a statement or at the commit; else None."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    kind = type(orig).__name__
    if kind == "OutOfMemoryException" or (kind == "TransactionException"
                                          and "could not allocate" in text):
        return text
    return None


def _is_conflict(exc: sa.exc.DBAPIError) -> bool:
    """Whether a failed write met a concurrent writer (and may succeed when run again)."""
    orig = exc.orig
    if type(orig).__name__ == "TransactionException":  # DuckDB: write-write or commit conflict
        return True
    sqlstate = getattr(orig, "sqlstate", None)  # PostgreSQL (psycopg)
    if sqlstate in ("40001", "40P01"):  # serialisation failure, deadlock
        return True
    if sqlstate == "23505":
        return getattr(getattr(orig, "diag", None), "constraint_name", None) == CURRENT_INDEX
    return isinstance(exc, sa.exc.IntegrityError) and "is_current" in str(orig)  # DuckDB


def _utcnow() -> datetime:
    """Current UTC time without tzinfo (times are stored as naive UTC: DuckDB's TIMESTAMPTZ needs
    pytz to be read back)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


def _py(v: object) -> object:
    """A pandas/NumPy scalar as a plain Python value (NaN -> None) for SQL parameters."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return v.item() if hasattr(v, "item") else v


def _region_rows(regions: pd.DataFrame) -> list[dict]:
    cols = ("name_zh", "name_en", "level", "parent", "province", "valid_from", "valid_to")
    rows = []
    for code, r in regions.iterrows():
        row: dict[str, object] = {"code": str(code)}
        for c in cols:
            row[c] = _py(r[c]) if c in r.index else None
        if row["province"] is None:
            row["province"] = str(code)[:2]
        rows.append(row)
    return rows


def _builtin_regions() -> pd.DataFrame:
    """The 2023 list and the codes retired since 1981 (with their years of use), so a table of an
    earlier year is accepted by code and by name (:mod:`ronghe.ingest.match`)."""
    from ronghe.regions.divisions import divisions

    return divisions(history=True)


def _builtin_catalogue() -> pd.DataFrame:
    from ronghe.ingest.catalogue import builtin_catalogue

    return builtin_catalogue()


def _builtin_code_changes() -> pd.DataFrame:
    from ronghe.regions.history import code_changes

    return code_changes()


def _edit_rows(values: pd.DataFrame, regions: pd.Index, variables: pd.Index) -> pd.DataFrame:
    """The rows of a correction with text region codes, integer years and catalogue variable
    ids, each named exactly; raises InputError (row n = the frame's n-th row) for an unknown
    region or variable, a year that is not one, or a cell given twice."""
    missing = [c for c in EDIT_COLUMNS if c not in values.columns]
    if missing:
        raise InputError(f"corrections need the columns {', '.join(EDIT_COLUMNS)} (missing "
                         f"{', '.join(missing)}) / 缺少列", file=EDIT)
    if values.empty:
        raise InputError("no values to correct / 没有要修正的数值", file=EDIT)
    rows = []
    seen: dict[tuple[str, int, str], int] = {}
    for n, (region, year, variable, value) in enumerate(
            values[EDIT_COLUMNS].itertuples(index=False, name=None), start=1):
        code, var, y = str(region).strip(), str(variable).strip(), parse_year(year)
        if code not in regions:
            raise InputError("unknown region code / 区划代码不存在", file=EDIT, row=n,
                             column="region", value=code)
        if y is None:
            raise InputError("year is not a year / 年份无效", file=EDIT, row=n, column="year",
                             value=year)
        if var not in variables:
            raise InputError("unknown variable: use an id of the catalogue / 指标不在目录中",
                             file=EDIT, row=n, column="variable", value=var)
        if (code, y, var) in seen:
            raise InputError(f"the value of ({code}, {y}, {var}) is also given in row "
                             f"{seen[code, y, var]} / 同一数值出现两次", file=EDIT, row=n)
        seen[code, y, var] = n
        rows.append((code, y, var, value))
    return pd.DataFrame(rows, columns=EDIT_COLUMNS)


def _with_current(conn: sa.Connection, values: pd.DataFrame) -> pd.DataFrame:
    """``values`` (:data:`STAGE_COLUMNS`, ``row`` unique) with the current stored value of each
    cell (``old``) and the batch that stored it (``old_batch``), both missing for a cell without
    one, and ``same``: whether the new value equals the old one as the column stores values. The
    comparison casts the new value to the column's type in SQL because DuckDB's FLOAT is single
    precision (1483.752 comes back as 1483.751953125 and must still count as the same value)."""
    stage = values.reindex(columns=STAGE_COLUMNS).astype(
        {"year": "int64", "value": "float64", "row": "int64"})
    stored = t.observations.c.value.type.compile(dialect=conn.dialect)
    _load_stage(conn, stage)
    rows = conn.execute(sa.text(
        f'SELECT s."row", o.value, o.batch_id, o.value = CAST(s.value AS {stored}) FROM {STAGE} s '
        "LEFT JOIN observations o ON o.valid AND o.region = s.region AND o.year = s.year "
        "AND o.variable = s.variable")).all()
    _drop_stage(conn)
    current = pd.DataFrame(rows, columns=["row", "old", "old_batch", "same"]).astype(
        {"row": "int64", "old": "float64", "old_batch": "Int64"})
    current["same"] = current["same"].fillna(False).astype(bool)
    return stage.merge(current, on="row")


def _edit_sha256(changed: pd.DataFrame) -> str:
    """SHA-256 of a correction's canonical text (see :meth:`Store.write_values`)."""
    lines = sorted(
        f"{r.region}\t{int(r.year)}\t{r.variable}\t{float(r.value)!r}\t"
        f"{'' if pd.isna(r.old_batch) else int(r.old_batch)}"
        for r in changed.itertuples(index=False))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _frame(query: sa.Select, conn: sa.Connection) -> pd.DataFrame:
    """Run a SELECT into a DataFrame; on DuckDB through its native columnar fetch (pandas' row-wise
    read_sql is orders of magnitude slower on millions of rows)."""
    if conn.dialect.name == "duckdb":
        sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        return bulk._raw(conn).execute(sql).df()
    return pd.read_sql(query, conn)


def _load_stage(conn: sa.Connection, stage: pd.DataFrame) -> None:
    """Put the staged values where SQL in this transaction can see them as table ``ronghe_stage``."""
    if conn.dialect.name == "duckdb":
        bulk._raw(conn).register(STAGE, stage)
        return
    conn.execute(sa.text(
        f"CREATE TEMPORARY TABLE {STAGE} (region varchar(12), year integer, variable varchar(64), "
        'value double precision, unit text, sheet text, "row" integer, "column" varchar(8)) '
        "ON COMMIT DROP"))  # also dropped after each batch: one transaction may hold several
    buf = io.StringIO()
    stage.to_csv(buf, index=False, header=False)
    with bulk._raw(conn).cursor() as cur, cur.copy(
            f"COPY {STAGE} FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(buf.getvalue())


def _drop_stage(conn: sa.Connection) -> None:
    if conn.dialect.name == "duckdb":
        bulk._raw(conn).unregister(STAGE)
    else:
        conn.execute(sa.text(f"DROP TABLE {STAGE}"))
