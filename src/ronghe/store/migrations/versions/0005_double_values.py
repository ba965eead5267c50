"""Values in double precision on every engine.

``sa.Float`` is DOUBLE PRECISION on PostgreSQL but single precision (FLOAT, 24-bit mantissa) on
DuckDB, so a DuckDB store kept about seven significant digits: 1483.752 came back as
1483.751953125. This widens ``observations.value`` and the catalogue's ``min_value`` /
``max_value`` to ``DOUBLE``. Values stored before this migration keep the rounding they already
had (a store rebuilt from the files holds them exactly).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (("observations", "value", False), ("indicators", "min_value", True),
           ("indicators", "max_value", True))


def upgrade() -> None:
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=sa.Double(), existing_type=sa.Float(),
                        existing_nullable=nullable)


def downgrade() -> None:
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=sa.Float(), existing_type=sa.Double(),
                        existing_nullable=nullable)
