"""The thematic database (专题数据库): schema, Alembic migrations and the :class:`Store` API."""

from ronghe.store.store import (
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
