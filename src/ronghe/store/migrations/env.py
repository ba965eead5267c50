"""Alembic environment for ronghe's store: always run programmatically by
:meth:`ronghe.store.Store.init`, which hands over an open connection in ``config.attributes``."""

from alembic import context

from ronghe.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
