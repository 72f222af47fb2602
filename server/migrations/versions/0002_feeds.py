"""feeds that never skip a change; the declaration list's columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

* ``change_tx``/``change_seq`` on the feed tables, stamped by triggers (``server/feeds.py``);
  the rows that exist get positions in their earlier ``(updated_at, key)`` order.
* ``partner``, ``total_value`` and ``currency`` on declarations: what the desktop's list
  shows. Rows of the demo world are filled from ``domain.demo``; other rows stay empty
  until the clearance system reports them again.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server import feeds

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_KEYS = {"declarations": ("number", ("updated_at", "number")), "submissions": ("seq", ("updated_at", "seq"))}


def upgrade() -> None:
    op.create_table('feed_clock',
                    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('value', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_clock')))
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('total_value', sa.Numeric(18, 2), nullable=True))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), nullable=True))
    for table in _KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('change_tx', sa.BigInteger(), server_default='0', nullable=False))
            batch_op.add_column(sa.Column('change_seq', sa.BigInteger(), server_default='0', nullable=False))
    conn = op.get_bind()
    _fill_demo_columns(conn)
    for table, (key, order) in _KEYS.items():
        feeds.number_existing_rows(conn, table, key, order)
        feeds.install_triggers(conn, table)
    op.create_index('ix_declarations_owner_change', 'declarations', ['owner_tax_code', 'change_tx', 'change_seq'])
    op.create_index('ix_submissions_owner_change', 'submissions', ['owner_tax_code', 'change_tx', 'change_seq'])


def _fill_demo_columns(conn: sa.Connection) -> None:
    """A database seeded with the demo world gets the demo's partners and values."""
    seeded = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'demo_seed'")).scalar()
    if not seeded:
        return
    from server.seed import demo_list_columns

    rows = demo_list_columns(seeded)
    if rows:
        conn.execute(sa.text("UPDATE declarations SET partner = :partner, total_value = :total_value, "
                             "currency = :currency WHERE number = :number"), rows)


def downgrade() -> None:
    conn = op.get_bind()
    for table in _KEYS:
        feeds.drop_triggers(conn, table)
    op.drop_index('ix_submissions_owner_change', table_name='submissions')
    op.drop_index('ix_declarations_owner_change', table_name='declarations')
    for table in _KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('change_seq')
            batch_op.drop_column('change_tx')
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_column('currency')
        batch_op.drop_column('total_value')
        batch_op.drop_column('partner')
    op.drop_table('feed_clock')
