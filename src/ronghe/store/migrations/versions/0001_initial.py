"""Initial schema: regions, code changes, indicators, import batches, observations, runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SEQUENCES = ("import_batch_id_seq", "code_change_id_seq", "run_id_seq")


def _id(seq: str) -> sa.Column:
    return sa.Column("id", sa.BigInteger, server_default=sa.text(f"nextval('{seq}')"),
                     primary_key=True)


def upgrade() -> None:
    for seq in SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(seq)))
    op.create_table(
        "regions",
        sa.Column("code", sa.String(12), primary_key=True),
        sa.Column("name_zh", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text),
        sa.Column("level", sa.String(16)),
        sa.Column("parent", sa.String(12)),
        sa.Column("province", sa.String(2)),
        sa.Column("valid_from", sa.Integer),
        sa.Column("valid_to", sa.Integer),
    )
    op.create_table(
        "code_changes",
        _id("code_change_id_seq"),
        sa.Column("old_code", sa.String(12), nullable=False),
        sa.Column("new_code", sa.String(12), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_zh", sa.Text),
        sa.Column("name_en", sa.Text),
        sa.Column("unit", sa.Text),
        sa.Column("merge", sa.String(16)),
        sa.Column("min_value", sa.Float),
        sa.Column("max_value", sa.Float),
        sa.Column("positive", sa.Boolean),
    )
    op.create_table(
        "import_batches",
        _id("import_batch_id_seq"),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("layout", sa.Text),
        sa.Column("n_cells", sa.Integer),
        sa.Column("n_values", sa.Integer),
        sa.Column("n_missing", sa.Integer),
        sa.Column("n_rejected", sa.Integer),
        sa.Column("n_warnings", sa.Integer),
        sa.Column("n_superseded", sa.Integer),
    )
    op.create_table(
        "observations",
        sa.Column("batch_id", sa.BigInteger, nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("variable", sa.String(64), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.Text),
        sa.Column("sheet", sa.Text),
        sa.Column("row", sa.Integer),
        sa.Column("column", sa.String(8)),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("superseded_by", sa.BigInteger),
    )
    if op.get_bind().dialect.name == "postgresql":
        # DuckDB scans columnar data fast and its ART indexes slow bulk loads; PostgreSQL needs these.
        op.create_index("ix_observations_key", "observations", ["variable", "region", "year"])
        op.create_index("ix_observations_batch", "observations", ["batch_id"])
    op.create_table(
        "runs",
        _id("run_id_seq"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("settings_yaml", sa.Text, nullable=False),
        sa.Column("settings_hash", sa.String(64), nullable=False),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    for table in ("runs", "observations", "import_batches", "indicators", "code_changes",
                  "regions"):
        op.drop_table(table)
    for seq in SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(seq)))
