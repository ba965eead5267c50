"""One current value per cell, enforced by the database.

Until now "current" was only the flag ``observations.valid``: two imports committing at the same
time could both supersede the same old value and both insert a new one, leaving a cell with two
current values (``Store.panel()`` then fails for every result). This adds ``is_current``, TRUE on
the current row of a cell and NULL on every superseded one, with a unique index on
(region, year, variable, is_current). NULLs are distinct in a unique index on both engines, so the
history may hold any number of superseded rows while at most one row per cell is current. (A
partial unique index ``WHERE valid`` would say the same on PostgreSQL, but DuckDB has no partial
indexes; this design is the same on both.)

A store that already holds cells with several current values is repaired first, deterministically:
the value of the latest batch (largest batch id; within one batch the last row of the file) stays
current, the others become superseded by it. The number repaired is logged as a warning and
written to the audit log (action ``migrate``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEX = "uq_observations_current"


def upgrade() -> None:
    bind = op.get_bind()
    if not bind.execute(sa.text(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'observations' "
            "AND column_name = 'is_current' AND table_schema = current_schema()")).scalar():
        op.add_column("observations", sa.Column("is_current", sa.Boolean))  # else: see downgrade
    # the index first, while every is_current is NULL: DuckDB cannot create an index on a table
    # with updates outstanding in the same transaction
    op.create_index(INDEX, "observations", ["region", "year", "variable", "is_current"],
                    unique=True)
    repaired = _keep_latest(bind)
    op.execute("UPDATE observations SET is_current = true WHERE valid")
    if repaired:
        message = (f"{repaired} duplicate current values superseded by the latest batch of "
                   f"their cell / {repaired} 个重复的当前值已由最新批次取代")
        logging.getLogger("ronghe.store").warning(message)
        bind.execute(sa.text(
            "INSERT INTO audit_log (logged_at, username, action, target, detail, ip) "
            "VALUES (:at, 'migration', 'migrate', '0006', :detail, '')"),
            {"at": datetime.now(UTC).replace(tzinfo=None), "detail": message})


def _keep_latest(bind: sa.Connection) -> int:
    """Mark every current row but the latest of its cell superseded by the latest's batch;
    returns how many rows were marked."""
    rid = "ctid" if bind.dialect.name == "postgresql" else "rowid"
    result = bind.execute(sa.text(
        "UPDATE observations SET valid = false, superseded_by = d.winner FROM ("
        f"SELECT {rid} AS rid, first_value(batch_id) OVER w AS winner, row_number() OVER w AS rn "
        "FROM observations WHERE valid WINDOW w AS (PARTITION BY region, year, variable "
        'ORDER BY batch_id DESC, "row" DESC NULLS LAST, value DESC)) d '
        f"WHERE observations.{rid} = d.rid AND d.rn > 1"))
    return max(int(result.rowcount or 0), 0)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="observations")
    if op.get_bind().dialect.name == "duckdb":
        # DuckDB cannot drop a column in the transaction that dropped its index; the column is
        # left (NULL), ignored by the code of 0005, and reused by the next upgrade
        op.execute("UPDATE observations SET is_current = NULL")
    else:
        op.drop_column("observations", "is_current")
