"""The thematic database (专题数据库): schema, Alembic migrations, the :class:`Store` API and the web
platform's persistence (:mod:`ronghe.store.platform`)."""

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
