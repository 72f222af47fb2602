"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_targets',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('parent', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('kind', 'code', name=op.f('pk_catalog_targets'))
    )
    op.create_table('declarations',
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('owner_tax_code', sa.String(length=14), nullable=False),
    sa.Column('office_code', sa.String(length=8), nullable=False),
    sa.Column('type_code', sa.String(length=4), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.Integer(), nullable=True),
    sa.Column('cleared_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_declarations'))
    )
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_index('ix_declarations_owner_updated', ['owner_tax_code', 'updated_at', 'number'], unique=False)

    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scope_key', sa.String(length=160), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_scope_at', ['scope_key', 'at'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('tax_code', sa.String(length=14), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('handling',
    sa.Column('declaration_number', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['declaration_number'], ['declarations.number'], name=op.f('fk_handling_declaration_number_declarations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('declaration_number', 'kind', 'code', name=op.f('pk_handling'))
    )
    op.create_table('sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('submissions',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('owner_tax_code', sa.String(length=14), nullable=False),
    sa.Column('declaration_number', sa.String(length=12), nullable=True),
    sa.Column('final_key', sa.String(length=12), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('needs_answer', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by'], ['users.id'], name=op.f('fk_submissions_answered_by_users')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_submissions')),
    sa.UniqueConstraint('client_id', name=op.f('uq_submissions_client_id')),
    sa.UniqueConstraint('final_key', name=op.f('uq_submissions_final_key'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_declaration_number'), ['declaration_number'], unique=False)
        batch_op.create_index('ix_submissions_inbox', ['needs_answer', 'state', 'seq'], unique=False)
        batch_op.create_index('ix_submissions_owner_updated', ['owner_tax_code', 'updated_at', 'seq'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_seq', sa.Integer(), nullable=False),
    sa.Column('declaration_number', sa.String(length=12), nullable=False),
    sa.Column('branch_code', sa.String(length=8), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target_code', sa.String(length=40), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.Column('rated_day', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['submission_seq'], ['submissions.seq'], name=op.f('fk_ratings_submission_seq_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_day_branch', ['rated_day', 'branch_code'], unique=False)
        batch_op.create_index('ix_ratings_kind_code', ['target_kind', 'target_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_submission_seq'), ['submission_seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_submission_seq'))
        batch_op.drop_index('ix_ratings_kind_code')
        batch_op.drop_index('ix_ratings_day_branch')

    op.drop_table('ratings')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_owner_updated')
        batch_op.drop_index('ix_submissions_inbox')
        batch_op.drop_index(batch_op.f('ix_submissions_declaration_number'))

    op.drop_table('submissions')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_sessions_expires_at'))

    op.drop_table('sessions')
    op.drop_table('handling')
    op.drop_table('users')
    op.drop_table('meta')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_scope_at')

    op.drop_table('login_attempts')
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_declarations_owner_updated')

    op.drop_table('declarations')
    op.drop_table('catalog_targets')
