"""drop the indexes of the earlier ``(updated_at, key)`` feeds

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

The enterprise feeds of declarations and submissions read by position (``change_tx``,
``change_seq``: ``server/feeds.py``) through ``ix_*_owner_change`` since revision 0002; no
query reads ``ix_declarations_owner_updated`` nor ``ix_submissions_owner_updated`` any more,
and every insert and state change paid for keeping them.
"""
from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_INDEXES = (
    ("declarations", "ix_declarations_owner_updated", ["owner_tax_code", "updated_at", "number"]),
    ("submissions", "ix_submissions_owner_updated", ["owner_tax_code", "updated_at", "seq"]),
)


def upgrade() -> None:
    for table, name, _columns in _INDEXES:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)
