"""feed positions taken for a whole batch (SQLite)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

On SQLite the insert trigger of a feed table now leaves alone a row that was inserted with a
position already reserved from the feed clock (``server.feeds.take_positions``: one clock
update for a whole ingest batch under the write lock, instead of two updates per row).
PostgreSQL's trigger is unchanged.
"""
from __future__ import annotations

from alembic import op

from server import feeds

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_TABLES = ("declarations", "submissions")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for table in _TABLES:
        feeds.drop_triggers(conn, table)
        feeds.install_triggers(conn, table)


def downgrade() -> None:
    """The earlier trigger stamped every insert; the current one is correct for it too."""
