"""Web platform: users, region assignments, API tokens, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQUENCES = ("user_id_seq", "api_token_id_seq", "audit_id_seq")


def _id(seq: str) -> sa.Column:
    return sa.Column("id", sa.BigInteger, server_default=sa.text(f"nextval('{seq}')"),
                     primary_key=True)


def upgrade() -> None:
    for seq in SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(seq)))
    op.create_table(
        "users",
        _id("user_id_seq"),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "user_regions",
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "region"),
    )
    op.create_table(
        "api_tokens",
        _id("api_token_id_seq"),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "audit_log",
        _id("audit_id_seq"),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.Text),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("ip", sa.String(64)),
    )


def downgrade() -> None:
    for table in ("audit_log", "api_tokens", "user_regions", "users"):
        op.drop_table(table)
    for seq in SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(seq)))
