"""inventory: workstation reports (versions, ring, plugin states, crash counts)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

``inventory_reports`` holds one row per report a workstation sends through its outbox
(server/inventory.py).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inventory_reports',
                    sa.Column('report_id', sa.String(length=64), nullable=False),
                    sa.Column('install_id', sa.String(length=32), nullable=False),
                    sa.Column('owner_tax_code', sa.String(length=20), nullable=False),
                    sa.Column('host_version', sa.String(length=32), nullable=False),
                    sa.Column('ring', sa.String(length=16), nullable=False),
                    sa.Column('os_version', sa.String(length=120), nullable=False),
                    sa.Column('plugins', sa.Text(), nullable=False),
                    sa.Column('crashes', sa.Integer(), server_default='0', nullable=False),
                    sa.Column('plugin_errors', sa.Integer(), server_default='0', nullable=False),
                    sa.Column('received_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_inventory_reports')))
    with op.batch_alter_table('inventory_reports', schema=None) as batch_op:
        batch_op.create_index('ix_inventory_install_received', ['install_id', 'received_at'], unique=False)
        batch_op.create_index('ix_inventory_received', ['received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inventory_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_inventory_received')
        batch_op.drop_index('ix_inventory_install_received')
    op.drop_table('inventory_reports')
