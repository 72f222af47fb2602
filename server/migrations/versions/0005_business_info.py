"""enterprise information collection: plans, requests (a feed) and versions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

* ``info_plans``: the risk-management unit's collection plans;
* ``info_requests``: what customs asks each enterprise for, a feed table stamped by the
  triggers of ``server/feeds.py``;
* ``info_versions``: every version of an enterprise's information, never changed nor
  deleted (triggers refuse both). The ``business_info`` submissions already stored become
  its first versions, in the order they were received.
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from server import feeds

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('info_plans',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('title', sa.String(length=300), nullable=False),
                    sa.Column('year', sa.Integer(), nullable=False),
                    sa.Column('due_date', sa.Date(), nullable=False),
                    sa.Column('scope', sa.String(length=16), nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=True),
                    sa.Column('created_by', sa.Integer(), nullable=True),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_info_plans_created_by_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_plans')))
    op.create_table('info_requests',
                    sa.Column('id', sa.String(length=36), nullable=False),
                    sa.Column('owner_tax_code', sa.String(length=14), nullable=False),
                    sa.Column('kind', sa.String(length=16), nullable=False),
                    sa.Column('plan_id', sa.Integer(), nullable=True),
                    sa.Column('office_code', sa.String(length=8), nullable=True),
                    sa.Column('reason', sa.Text(), nullable=True),
                    sa.Column('due_date', sa.Date(), nullable=True),
                    sa.Column('created_by', sa.Integer(), nullable=True),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('fulfilled_at', sa.DateTime(), nullable=True),
                    sa.Column('fulfilled_version', sa.Integer(), nullable=True),
                    sa.Column('change_tx', sa.BigInteger(), server_default='0', nullable=False),
                    sa.Column('change_seq', sa.BigInteger(), server_default='0', nullable=False),
                    sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                                            name=op.f('fk_info_requests_created_by_users')),
                    sa.ForeignKeyConstraint(['plan_id'], ['info_plans.id'],
                                            name=op.f('fk_info_requests_plan_id_info_plans')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_requests')),
                    sa.UniqueConstraint('plan_id', 'owner_tax_code', name=op.f('uq_info_requests_plan_id_owner_tax_code')))
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.create_index('ix_info_requests_owner_change', ['owner_tax_code', 'change_tx', 'change_seq'],
                              unique=False)
        batch_op.create_index('ix_info_requests_plan_id', ['plan_id'], unique=False)
    op.create_table('info_versions',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('owner_tax_code', sa.String(length=14), nullable=False),
                    sa.Column('number', sa.Integer(), nullable=False),
                    sa.Column('submission_seq', sa.Integer(), nullable=True),
                    sa.Column('source', sa.String(length=16), server_default='submission', nullable=False),
                    sa.Column('schema_version', sa.Integer(), nullable=False),
                    sa.Column('payload', sa.Text(), nullable=False),
                    sa.Column('reason', sa.String(length=16), nullable=False),
                    sa.Column('request_id', sa.String(length=36), nullable=True),
                    sa.Column('user_id', sa.Integer(), nullable=True),
                    sa.Column('account', sa.String(length=64), nullable=True),
                    sa.Column('workstation', sa.String(length=64), nullable=True),
                    sa.Column('received_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['submission_seq'], ['submissions.seq'],
                                            name=op.f('fk_info_versions_submission_seq_submissions')),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_info_versions_user_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_versions')),
                    sa.UniqueConstraint('owner_tax_code', 'number', name=op.f('uq_info_versions_owner_tax_code_number')),
                    sa.UniqueConstraint('submission_seq', name=op.f('uq_info_versions_submission_seq')))
    with op.batch_alter_table('info_versions', schema=None) as batch_op:
        batch_op.create_index('ix_info_versions_received_at', ['received_at'], unique=False)
    conn = op.get_bind()
    feeds.install_triggers(conn, 'info_requests')
    _backfill(conn)
    _install_immutability(conn)


def _backfill(conn: sa.Connection) -> None:
    from domain.business_info import as_v2
    from domain.submissions import canonical_json

    rows = conn.execute(sa.text("SELECT seq, owner_tax_code, schema_version, payload, received_at FROM submissions "
                                "WHERE kind = 'business_info' ORDER BY seq")).all()
    numbers: dict[str, int] = {}
    for r in rows:
        try:
            payload = as_v2(r.schema_version, json.loads(r.payload))
        except (ValueError, TypeError, AttributeError):
            continue
        n = numbers[r.owner_tax_code] = numbers.get(r.owner_tax_code, 0) + 1
        conn.execute(sa.text(
            "INSERT INTO info_versions (owner_tax_code, number, submission_seq, schema_version, payload, reason, "
            "received_at) VALUES (:o, :n, :s, :v, :p, :r, :t)"),
            {"o": r.owner_tax_code, "n": n, "s": r.seq, "v": r.schema_version, "p": canonical_json(payload),
             "r": payload.get("reason") or "changed", "t": r.received_at})


def _install_immutability(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            conn.execute(sa.text(f"CREATE TRIGGER info_versions_no_{event.lower()} BEFORE {event} ON info_versions "
                                 f"BEGIN SELECT RAISE(ABORT, 'versions of enterprise information are never "
                                 f"changed or deleted'); END"))
    else:
        conn.execute(sa.text(
            "CREATE OR REPLACE FUNCTION info_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'versions of enterprise information are never changed or deleted'; END $$"))
        conn.execute(sa.text("CREATE TRIGGER info_versions_immutable BEFORE UPDATE OR DELETE ON info_versions "
                             "FOR EACH ROW EXECUTE FUNCTION info_versions_immutable()"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("DROP TRIGGER IF EXISTS info_versions_no_update"))
        conn.execute(sa.text("DROP TRIGGER IF EXISTS info_versions_no_delete"))
    else:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS info_versions_immutable ON info_versions"))
        conn.execute(sa.text("DROP FUNCTION IF EXISTS info_versions_immutable()"))
    feeds.drop_triggers(conn, 'info_requests')
    with op.batch_alter_table('info_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_info_versions_received_at')
    op.drop_table('info_versions')
    with op.batch_alter_table('info_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_info_requests_plan_id')
        batch_op.drop_index('ix_info_requests_owner_change')
    op.drop_table('info_requests')
    op.drop_table('info_plans')
