"""Web platform: the evaluation settings an administrator chooses, with their history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQUENCE = "web_settings_id_seq"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence(SEQUENCE)))
    op.create_table(
        "web_settings",
        sa.Column("id", sa.BigInteger, server_default=sa.text(f"nextval('{SEQUENCE}')"),
                  primary_key=True),
        sa.Column("framework", sa.String(64), nullable=False),
        sa.Column("settings_yaml", sa.Text, nullable=False),
        sa.Column("settings_hash", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("web_settings")
    op.execute(sa.schema.DropSequence(sa.Sequence(SEQUENCE)))
