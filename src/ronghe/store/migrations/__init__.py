"""Alembic migrations of the store schema (run by Store.init)."""
