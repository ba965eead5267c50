"""The thematic database (专题数据库): schema, Alembic migrations, the :class:`Store` API and the web
platform's persistence (:mod:`ronghe.store.platform`). Needs the ``store`` extra (SQLAlchemy,
Alembic, DuckDB): without it, importing this package raises the one-line install hint."""

from importlib.util import find_spec

from ronghe.words.extras import missing_extra

for _module in ("sqlalchemy", "alembic", "duckdb", "duckdb_engine"):
    if find_spec(_module) is None:
        raise missing_extra("store", _module)

from ronghe.store.store import (  # noqa: E402 - after the check of the extra
    DEFAULT_DB,
    ImportResult,
    Store,
    StoreConflict,
    StoreError,
    StoreStatus,
    database_url,
)

__all__ = ["DEFAULT_DB", "ImportResult", "Store", "StoreConflict", "StoreError", "StoreStatus",
           "database_url"]
