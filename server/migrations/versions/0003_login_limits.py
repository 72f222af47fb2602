"""sign-in limits: one counter row per scope

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

``login_limits`` replaces the per-attempt rows of ``login_attempts`` (kept, no longer
written): each scope (account and address, address, account, known address) is one row
that is locked, checked and counted before the password is evaluated, so concurrent
attempts cannot outrun the limit.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_limits',
                    sa.Column('scope_key', sa.String(length=200), nullable=False),
                    sa.Column('count', sa.Integer(), server_default='0', nullable=False),
                    sa.Column('started_at', sa.DateTime(), nullable=False),
                    sa.Column('not_before', sa.DateTime(), nullable=True),
                    sa.PrimaryKeyConstraint('scope_key', name=op.f('pk_login_limits')))
    with op.batch_alter_table('login_limits', schema=None) as batch_op:
        batch_op.create_index('ix_login_limits_started_at', ['started_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_limits', schema=None) as batch_op:
        batch_op.drop_index('ix_login_limits_started_at')
    op.drop_table('login_limits')
