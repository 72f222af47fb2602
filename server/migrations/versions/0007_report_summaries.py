"""report summaries: ratings per month/week, per target and per reason

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-03

``report_weeks``, ``report_targets`` and ``report_reasons`` (server/report_store.py) hold
the counts the satisfaction dashboard reads; the ingest keeps them current. They are filled
here from the ratings already stored (with each declaration's flow and channel).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_weeks',
                    sa.Column('stage_code', sa.String(length=40), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('week', sa.String(length=10), nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=False),
                    sa.Column('flow', sa.String(length=1), nullable=False),
                    sa.Column('channel', sa.SmallInteger(), autoincrement=False, nullable=False),
                    sa.Column('stars', sa.SmallInteger(), autoincrement=False, nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('stage_code', 'month', 'week', 'branch_code', 'flow', 'channel', 'stars',
                                            name=op.f('pk_report_weeks')))
    op.create_table('report_targets',
                    sa.Column('target_kind', sa.String(length=16), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=False),
                    sa.Column('flow', sa.String(length=1), nullable=False),
                    sa.Column('channel', sa.SmallInteger(), autoincrement=False, nullable=False),
                    sa.Column('target_code', sa.String(length=40), nullable=False),
                    sa.Column('stars', sa.SmallInteger(), autoincrement=False, nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('target_kind', 'month', 'branch_code', 'flow', 'channel', 'target_code',
                                            'stars', name=op.f('pk_report_targets')))
    op.create_table('report_reasons',
                    sa.Column('stage_code', sa.String(length=40), nullable=False),
                    sa.Column('month', sa.String(length=7), nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=False),
                    sa.Column('flow', sa.String(length=1), nullable=False),
                    sa.Column('channel', sa.SmallInteger(), autoincrement=False, nullable=False),
                    sa.Column('stars', sa.SmallInteger(), autoincrement=False, nullable=False),
                    sa.Column('reason', sa.String(length=16), nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('stage_code', 'month', 'branch_code', 'flow', 'channel', 'stars', 'reason',
                                            name=op.f('pk_report_reasons')))
    from server import report_store

    report_store.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table('report_reasons')
    op.drop_table('report_targets')
    op.drop_table('report_weeks')
