"""The thematic database (专题数据库) schema, in SQLAlchemy Core.

Tables:

- ``regions``: division codes with names, level, parent and the years the code is valid;
- ``code_changes``: old code -> new code in a year, kind rename | upgrade | recode | merge | split |
  transfer (:func:`ronghe.regions.history.code_changes`);
- ``indicators``: the variable catalogue (unit, merge rule, valid range);
- ``import_batches``: one row per imported file (name, sha256, time, user, source note, counts);
- ``observations``: one value of a variable for a region and year, with the batch that brought it and
  the cell it came from. A later batch never overwrites a value: it marks it ``valid = false`` and sets
  ``superseded_by`` to its own id, so the full history stays queryable. ``is_current`` (TRUE on
  the current row, NULL otherwise) carries a unique index, so the database itself refuses a second
  current value for a cell, whoever writes it;
- ``runs``: stored study settings (YAML text and its hash).

Ids come from sequences (DuckDB has no SERIAL), which PostgreSQL supports as well. The migration in
``ronghe/store/migrations`` creates exactly these tables; this module is the reference the code queries.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def serial_id(sequence: str) -> sa.Column:
    """The ``id`` primary key of a table, a BIGINT drawn from the sequence named ``sequence``
    (created with the metadata): what SERIAL is on PostgreSQL, written so DuckDB has it too."""
    seq = sa.Sequence(sequence, metadata=metadata)
    return sa.Column("id", sa.BigInteger, seq, server_default=seq.next_value(), primary_key=True)


regions = sa.Table(
    "regions", metadata,
    sa.Column("code", sa.String(12), primary_key=True),
    sa.Column("name_zh", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text),
    sa.Column("level", sa.String(16)),
    sa.Column("parent", sa.String(12)),
    sa.Column("province", sa.String(2)),
    sa.Column("valid_from", sa.Integer),
    sa.Column("valid_to", sa.Integer),
)

code_changes = sa.Table(
    "code_changes", metadata,
    serial_id("code_change_id_seq"),
    sa.Column("old_code", sa.String(12), nullable=False),
    sa.Column("new_code", sa.String(12), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("note", sa.Text),
)

indicators = sa.Table(
    "indicators", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name_zh", sa.Text),
    sa.Column("name_en", sa.Text),
    sa.Column("unit", sa.Text),
    sa.Column("merge", sa.String(16)),
    sa.Column("min_value", sa.Double),
    sa.Column("max_value", sa.Double),
    sa.Column("positive", sa.Boolean),
)

import_batches = sa.Table(
    "import_batches", metadata,
    serial_id("import_batch_id_seq"),
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

observations = sa.Table(
    "observations", metadata,
    sa.Column("batch_id", sa.BigInteger, nullable=False),
    sa.Column("region", sa.String(12), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("variable", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("unit", sa.Text),
    sa.Column("sheet", sa.Text),
    sa.Column("row", sa.Integer),
    sa.Column("column", sa.String(8)),
    sa.Column("valid", sa.Boolean, nullable=False),
    sa.Column("superseded_by", sa.BigInteger),
    # migration 0006: TRUE on the current row, NULL on superseded ones; the unique index allows one
    # current row per cell (NULLs are distinct), enforced by the database on both engines
    sa.Column("is_current", sa.Boolean),
    sa.Index("uq_observations_current", "region", "year", "variable", "is_current", unique=True),
)

runs = sa.Table(
    "runs", metadata,
    serial_id("run_id_seq"),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("settings_yaml", sa.Text, nullable=False),
    sa.Column("settings_hash", sa.String(64), nullable=False),
    sa.Column("note", sa.Text),
)

# -- web platform (migration 0002): users, region assignments, API tokens, audit log -------------
users = sa.Table(
    "users", metadata,
    serial_id("user_id_seq"),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
)

user_regions = sa.Table(
    "user_regions", metadata,
    sa.Column("user_id", sa.BigInteger, nullable=False),
    sa.Column("region", sa.String(12), nullable=False),
    sa.PrimaryKeyConstraint("user_id", "region"),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    serial_id("api_token_id_seq"),
    sa.Column("user_id", sa.BigInteger, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    serial_id("audit_id_seq"),
    sa.Column("logged_at", sa.DateTime(), nullable=False),
    sa.Column("username", sa.Text),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("detail", sa.Text),
    sa.Column("ip", sa.String(64)),
)

# -- web platform (migration 0003): server-side sessions, failed logins --------------------------
# A session row is keyed by the SHA-256 of the random id the signed cookie carries; failed logins
# are counted per (user name, client address) by every worker of the platform.
web_sessions = sa.Table(
    "web_sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("expires_at", sa.DateTime(), nullable=False),
    sa.Index("ix_web_sessions_user_id", "user_id"),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("ip", sa.String(64), nullable=False),
    sa.Column("failed_at", sa.DateTime(), nullable=False),
    sa.Index("ix_login_failures_user_ip", "username", "ip"),
)

# -- web platform (migration 0004): evaluation settings ------------------------------------------
# Every change the administrator makes is a new row; the row with the largest id is in force, and
# no row at all means the defaults (the seed framework with ``Settings()``).
web_settings = sa.Table(
    "web_settings", metadata,
    serial_id("web_settings_id_seq"),
    sa.Column("framework", sa.String(64), nullable=False),
    sa.Column("settings_yaml", sa.Text, nullable=False),
    sa.Column("settings_hash", sa.String(64), nullable=False),
    sa.Column("changed_at", sa.DateTime(), nullable=False),
    sa.Column("changed_by", sa.Text),
)
