"""case handling: cases, their audit trail, answer templates, holidays, alerts, e-mails

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

* ``staff_branches``: the branches each staff account works for; ``users.email`` for
  alert e-mails;
* ``cases``: one per reflection and per 1-2 star assessment (``server/cases.py``); the
  submissions already stored that need an answer get theirs here, in their present state
  (received → new, in review → in_review, answered → answered with the outcome
  substantiated / not substantiated / partly from ``verified`` true / false / empty);
* ``case_events``: the audit trail, never changed nor deleted (triggers refuse both);
* ``answer_templates``, ``holidays`` (Vietnam's public holidays 2025-2027 loaded),
  ``alerts`` and ``mail_queue``.
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_CHUNK = 5000


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    op.create_table('staff_branches',
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                            name=op.f('fk_staff_branches_user_id_users')),
                    sa.PrimaryKeyConstraint('user_id', 'branch_code', name=op.f('pk_staff_branches')))
    op.create_index('ix_staff_branches_branch_code', 'staff_branches', ['branch_code'])
    op.create_table('cases',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('submission_seq', sa.Integer(), nullable=False),
                    sa.Column('kind', sa.String(length=16), nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=False),
                    sa.Column('lowest_stars', sa.SmallInteger(), nullable=True),
                    sa.Column('state', sa.String(length=16), nullable=False),
                    sa.Column('owner_id', sa.Integer(), nullable=True),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('ack_due', sa.DateTime(), nullable=False),
                    sa.Column('answer_due', sa.DateTime(), nullable=False),
                    sa.Column('due_at', sa.DateTime(), nullable=True),
                    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
                    sa.Column('outcome', sa.String(length=24), nullable=True),
                    sa.Column('answer', sa.Text(), nullable=True),
                    sa.Column('answered_at', sa.DateTime(), nullable=True),
                    sa.Column('answered_by', sa.Integer(), nullable=True),
                    sa.Column('closed_at', sa.DateTime(), nullable=True),
                    sa.Column('reopen_comment', sa.Text(), nullable=True),
                    sa.Column('reopened_at', sa.DateTime(), nullable=True),
                    sa.Column('escalated_at', sa.DateTime(), nullable=True),
                    sa.Column('due_alerted_at', sa.DateTime(), nullable=True),
                    sa.Column('updated_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['submission_seq'], ['submissions.seq'],
                                            name=op.f('fk_cases_submission_seq_submissions')),
                    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_cases_owner_id_users')),
                    sa.ForeignKeyConstraint(['answered_by'], ['users.id'], name=op.f('fk_cases_answered_by_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
                    sa.UniqueConstraint('submission_seq', name=op.f('uq_cases_submission_seq')))
    op.create_index('ix_cases_branch_due', 'cases', ['branch_code', 'due_at'])
    op.create_index('ix_cases_branch_state_updated', 'cases', ['branch_code', 'state', 'updated_at'])
    op.create_index('ix_cases_owner_due', 'cases', ['owner_id', 'due_at'])
    op.create_index('ix_cases_due_at', 'cases', ['due_at'])
    op.create_table('case_events',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('case_id', sa.Integer(), nullable=False),
                    sa.Column('at', sa.DateTime(), nullable=False),
                    sa.Column('actor_id', sa.Integer(), nullable=True),
                    sa.Column('event', sa.String(length=16), nullable=False),
                    sa.Column('detail', sa.Text(), nullable=True),
                    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
                    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_events_actor_id_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events')))
    op.create_index('ix_case_events_case_id_id', 'case_events', ['case_id', 'id'])
    op.create_table('answer_templates',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('branch_code', sa.String(length=8), nullable=False),
                    sa.Column('name', sa.String(length=120), nullable=False),
                    sa.Column('body', sa.Text(), nullable=False),
                    sa.Column('updated_by', sa.Integer(), nullable=True),
                    sa.Column('updated_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['updated_by'], ['users.id'],
                                            name=op.f('fk_answer_templates_updated_by_users')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_templates')),
                    sa.UniqueConstraint('branch_code', 'name', name=op.f('uq_answer_templates_branch_code_name')))
    holidays = op.create_table('holidays',
                               sa.Column('day', sa.Date(), nullable=False),
                               sa.Column('name', sa.String(length=200), nullable=False),
                               sa.PrimaryKeyConstraint('day', name=op.f('pk_holidays')))
    op.create_table('alerts',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('case_id', sa.Integer(), nullable=True),
                    sa.Column('kind', sa.String(length=16), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('read_at', sa.DateTime(), nullable=True),
                    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                            name=op.f('fk_alerts_user_id_users')),
                    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_alerts_case_id_cases')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')))
    op.create_index('ix_alerts_user_id_read_at', 'alerts', ['user_id', 'read_at'])
    op.create_table('mail_queue',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('to_addr', sa.String(length=254), nullable=False),
                    sa.Column('subject', sa.String(length=300), nullable=False),
                    sa.Column('body', sa.Text(), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
                    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
                    sa.Column('sent_at', sa.DateTime(), nullable=True),
                    sa.Column('last_error', sa.String(length=500), nullable=True),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_queue')))
    op.create_index('ix_mail_queue_sent_at_next_attempt_at', 'mail_queue', ['sent_at', 'next_attempt_at'])
    conn = op.get_bind()
    _audit_triggers(conn)
    from server.calendar import seed_rows

    op.bulk_insert(holidays, seed_rows())
    _cases_for_stored_submissions(conn)


def _audit_triggers(conn: sa.Connection) -> None:
    """The audit trail refuses updates and deletes, whatever the code path."""
    if conn.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            conn.execute(sa.text(f"CREATE TRIGGER case_events_no_{action.lower()} BEFORE {action} ON case_events "
                                 f"BEGIN SELECT RAISE(ABORT, 'the audit trail is never changed'); END"))
    else:
        conn.execute(sa.text(
            "CREATE OR REPLACE FUNCTION case_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'the audit trail is never changed'; END $$"))
        conn.execute(sa.text("CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events "
                             "FOR EACH ROW EXECUTE FUNCTION case_events_refuse()"))


def _cases_for_stored_submissions(conn: sa.Connection) -> None:
    from server import calendar
    from server.cases import CaseSettings

    settings = CaseSettings()
    hol = calendar.holidays(conn)
    rows = conn.execute(sa.text(
        "SELECT s.seq, s.kind, s.payload, s.received_at, s.state, s.verified, s.answer, s.answered_at, "
        "s.answered_by, d.office_code FROM submissions s JOIN declarations d ON d.number = s.declaration_number "
        "WHERE s.needs_answer ORDER BY s.seq")).all() if conn.dialect.name == "postgresql" else conn.execute(sa.text(
            "SELECT s.seq, s.kind, s.payload, s.received_at, s.state, s.verified, s.answer, s.answered_at, "
            "s.answered_by, d.office_code FROM submissions s JOIN declarations d ON d.number = s.declaration_number "
            "WHERE s.needs_answer = 1 ORDER BY s.seq")).all()
    cases_t = sa.table('cases', *(sa.column(c) for c in (
        'submission_seq', 'kind', 'branch_code', 'lowest_stars', 'state', 'owner_id', 'created_at', 'ack_due',
        'answer_due', 'due_at', 'acknowledged_at', 'outcome', 'answer', 'answered_at', 'answered_by',
        'updated_at')))
    for i in range(0, len(rows), _CHUNK):
        out = []
        for r in rows[i:i + _CHUNK]:
            received = _dt(r.received_at)
            answered = _dt(r.answered_at)
            payload = json.loads(r.payload)
            stars = [x["stars"] for x in payload.get("ratings", [])] if r.kind == "assessment" else []
            ack_due = calendar.add_working_days(received, settings.ack_days, hol)
            answer_due = calendar.add_working_days(received, settings.answer_days, hol)
            state = {"received": "new", "in_review": "in_review"}.get(r.state, "answered")
            outcome = None
            if state == "answered":
                outcome = {True: "substantiated", False: "not_substantiated"}.get(
                    None if r.verified is None else bool(r.verified), "partly")
            out.append({"submission_seq": r.seq, "kind": r.kind, "branch_code": r.office_code,
                        "lowest_stars": min(stars) if stars else None, "state": state,
                        "owner_id": r.answered_by, "created_at": received, "ack_due": ack_due,
                        "answer_due": answer_due,
                        "due_at": None if state == "answered" else (answer_due if state == "in_review" else ack_due),
                        "acknowledged_at": None if state == "new" else (answered or received),
                        "outcome": outcome, "answer": r.answer if state == "answered" else None,
                        "answered_at": answered, "answered_by": r.answered_by, "updated_at": answered or received})
        if out:
            conn.execute(sa.insert(cases_t), out)
    conn.execute(sa.text("INSERT INTO case_events (case_id, at, actor_id, event, detail) "
                         "SELECT id, created_at, NULL, 'opened', NULL FROM cases ORDER BY id"))


def _dt(value):  # noqa: ANN001, ANN202 - SQLite hands back text
    from datetime import datetime

    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("DROP TRIGGER IF EXISTS case_events_no_update"))
        conn.execute(sa.text("DROP TRIGGER IF EXISTS case_events_no_delete"))
    else:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS case_events_no_change ON case_events"))
        conn.execute(sa.text("DROP FUNCTION IF EXISTS case_events_refuse()"))
    op.drop_index('ix_mail_queue_sent_at_next_attempt_at', table_name='mail_queue')
    op.drop_table('mail_queue')
    op.drop_index('ix_alerts_user_id_read_at', table_name='alerts')
    op.drop_table('alerts')
    op.drop_table('holidays')
    op.drop_table('answer_templates')
    op.drop_index('ix_case_events_case_id_id', table_name='case_events')
    op.drop_table('case_events')
    for name in ('ix_cases_due_at', 'ix_cases_owner_due', 'ix_cases_branch_state_updated', 'ix_cases_branch_due'):
        op.drop_index(name, table_name='cases')
    op.drop_table('cases')
    op.drop_index('ix_staff_branches_branch_code', table_name='staff_branches')
    op.drop_table('staff_branches')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')
