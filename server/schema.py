"""Tables (SQLAlchemy Core). The migrations in ``server/migrations`` create exactly these;
``tests/server/test_migrations.py`` checks that they agree."""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
})

# All times are naive UTC (timestamp without time zone); the API adds the offset.

# SQLite only: the feed clock (one row), advanced under the single writer's lock
feed_clock = sa.Table(
    "feed_clock", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.BigInteger, nullable=False),
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),  # enterprise|processor|viewer|admin
    sa.Column("display_name", sa.String(300), nullable=False),
    sa.Column("tax_code", sa.String(14), nullable=True),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 hex; the token itself is never stored
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
)

login_attempts = sa.Table(
    "login_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope_key", sa.String(160), nullable=False),  # "account:<name>" or "address:<ip>"
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_login_attempts_scope_at", "scope_key", "at"),
)

catalog_targets = sa.Table(
    "catalog_targets", metadata,
    sa.Column("kind", sa.String(16), primary_key=True),  # branch|team|stage|official
    sa.Column("code", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("parent", sa.String(40), nullable=True),  # team -> branch; official -> team
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
)

declarations = sa.Table(
    "declarations", metadata,
    sa.Column("number", sa.String(12), primary_key=True),
    sa.Column("owner_tax_code", sa.String(14), nullable=False),
    sa.Column("office_code", sa.String(8), nullable=False),
    sa.Column("type_code", sa.String(4), nullable=False),
    sa.Column("registered_at", sa.DateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("channel", sa.Integer, nullable=True),
    sa.Column("cleared_at", sa.DateTime, nullable=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # what the declaration list shows besides the above (migration 0002)
    sa.Column("partner", sa.String(300), nullable=True),
    sa.Column("total_value", sa.Numeric(18, 2), nullable=True),
    sa.Column("currency", sa.String(3), nullable=True),
    # the feed position of the row's last change (``server/feeds.py``), set by a trigger
    sa.Column("change_tx", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("ix_declarations_owner_change", "owner_tax_code", "change_tx", "change_seq"),
)

handling = sa.Table(
    "handling", metadata,
    sa.Column("declaration_number", sa.String(12), sa.ForeignKey("declarations.number", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("code", sa.String(40), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    # the client's UUID: permanent idempotency key
    sa.Column("client_id", sa.String(36), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("owner_tax_code", sa.String(14), nullable=False),
    sa.Column("declaration_number", sa.String(12), nullable=True),  # no index: no query looks it up (0011)
    # set to the declaration number for final assessments: one per declaration, guaranteed
    sa.Column("final_key", sa.String(12), nullable=True, unique=True),
    sa.Column("body_hash", sa.String(64), nullable=False),  # sha256 of canonical {kind, schema, payload}
    sa.Column("payload", sa.Text, nullable=False),  # normalised payload, canonical JSON
    sa.Column("created_at", sa.String(40), nullable=True),  # as the client said, informative only
    sa.Column("received_at", sa.DateTime, nullable=False),
    sa.Column("needs_answer", sa.Boolean, nullable=False),  # reflections and 1-2 star assessments
    sa.Column("state", sa.String(16), nullable=False),  # received|in_review|answered
    sa.Column("verified", sa.Boolean, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
    sa.Column("answer", sa.Text, nullable=True),
    sa.Column("answered_at", sa.DateTime, nullable=True),
    sa.Column("answered_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("change_tx", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("ix_submissions_owner_change", "owner_tax_code", "change_tx", "change_seq"),
    sa.Index("ix_submissions_inbox", "needs_answer", "state", "seq"),
)

# One row per rated target of an accepted assessment: the unit of the reports.
ratings = sa.Table(
    "ratings", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_seq", sa.Integer, sa.ForeignKey("submissions.seq", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("declaration_number", sa.String(12), nullable=False),
    sa.Column("branch_code", sa.String(8), nullable=False),  # office of the declaration
    sa.Column("target_kind", sa.String(16), nullable=False),
    sa.Column("target_code", sa.String(40), nullable=False),
    sa.Column("stars", sa.SmallInteger, nullable=False),
    sa.Column("rated_day", sa.String(10), nullable=False),  # YYYY-MM-DD, Vietnam time
    sa.Index("ix_ratings_day_branch", "rated_day", "branch_code"),
    sa.Index("ix_ratings_kind_code", "target_kind", "target_code"),
)

# Sign-in limits (migration 0003): one row per scope, locked and updated in the same short
# write transaction that admits a password evaluation (``server/security.py``).
#   "pair:<account>|<address>"  failed sign-ins of one account from one address (hard limit)
#   "address:<address>"         failed sign-ins from one address (hard limit)
#   "account:<account>"         failed sign-ins of one account from anywhere (growing delay)
#   "known:<account>|<address>" last successful sign-in of the account from that address
login_limits = sa.Table(
    "login_limits", metadata,
    sa.Column("scope_key", sa.String(200), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("started_at", sa.DateTime, nullable=False),  # window start; account: last counted failure
    sa.Column("not_before", sa.DateTime, nullable=True),  # account: next evaluation allowed from then
    sa.Index("ix_login_limits_started_at", "started_at"),
)

# Inventory (migration 0004, server/inventory.py): one row per workstation report (at most
# daily and at each version change): install id (random), versions, ring, OS, plugin states
# and crash/plugin-error counts since the previous report. Never personal data or content.
inventory_reports = sa.Table(
    "inventory_reports", metadata,
    sa.Column("report_id", sa.String(64), primary_key=True),  # the outbox item id
    sa.Column("install_id", sa.String(32), nullable=False),
    sa.Column("owner_tax_code", sa.String(20), nullable=False),  # the enterprise signed in
    sa.Column("host_version", sa.String(32), nullable=False),
    sa.Column("ring", sa.String(16), nullable=False),
    sa.Column("os_version", sa.String(120), nullable=False),
    sa.Column("plugins", sa.Text, nullable=False),  # JSON: [{"id", "version", "state"}]
    sa.Column("crashes", sa.Integer, nullable=False, server_default="0"),
    sa.Column("plugin_errors", sa.Integer, nullable=False, server_default="0"),
    sa.Column("received_at", sa.DateTime, nullable=False),
    sa.Index("ix_inventory_install_received", "install_id", "received_at"),
    sa.Index("ix_inventory_received", "received_at"),
)

# ---- enterprise information collection (migration 0005, ``server/business_info.py``) ------

# A yearly collection plan of the risk-management unit: enterprises by list or by branch.
info_plans = sa.Table(
    "info_plans", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),  # list|branch
    sa.Column("branch_code", sa.String(8), nullable=True),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# What customs asks one enterprise for: first time at a unit, periodic (a plan), ad hoc.
# A feed table (``server/feeds.py``): the enterprise's workstations fetch it.
info_requests = sa.Table(
    "info_requests", metadata,
    sa.Column("id", sa.String(36), primary_key=True),  # UUID
    sa.Column("owner_tax_code", sa.String(14), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # first_time|periodic|ad_hoc
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("info_plans.id"), nullable=True),
    sa.Column("office_code", sa.String(8), nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("fulfilled_at", sa.DateTime, nullable=True),
    sa.Column("fulfilled_version", sa.Integer, nullable=True),  # info_versions.id
    sa.Column("change_tx", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.UniqueConstraint("plan_id", "owner_tax_code"),
    sa.Index("ix_info_requests_owner_change", "owner_tax_code", "change_tx", "change_seq"),
    sa.Index("ix_info_requests_plan_id", "plan_id"),
)

# Every version an enterprise sent, never changed nor deleted (triggers refuse it), tied to
# the account of the session that sent it and to the workstation that recorded it.
info_versions = sa.Table(
    "info_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("owner_tax_code", sa.String(14), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),  # 1, 2, ... per enterprise
    # the submission it came with; None for a version customs imported (source "import")
    sa.Column("submission_seq", sa.Integer, sa.ForeignKey("submissions.seq"), nullable=True, unique=True),
    sa.Column("source", sa.String(16), nullable=False, server_default="submission"),  # submission|import
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # in the schema-2 shape, canonical JSON
    sa.Column("reason", sa.String(16), nullable=False),
    sa.Column("request_id", sa.String(36), nullable=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("account", sa.String(64), nullable=True),
    sa.Column("workstation", sa.String(64), nullable=True),
    sa.Column("received_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("owner_tax_code", "number"),
    sa.Index("ix_info_versions_received_at", "received_at"),
)

# ---- case handling (migration 0008, ``server/cases.py``) -----------------------------------

# Staff e-mail addresses for alerts (``server/alerts.py``); none for enterprises.
users.append_column(sa.Column("email", sa.String(254), nullable=True))

# Which branches a staff account works for (one or more); cases of other branches are
# invisible to it.
staff_branches = sa.Table(
    "staff_branches", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_code", sa.String(8), primary_key=True),
    sa.Index("ix_staff_branches_branch_code", "branch_code"),
)

# One case per reflection and per 1-2 star assessment, opened at ingest.
cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_seq", sa.Integer, sa.ForeignKey("submissions.seq"), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),  # assessment|reflection
    sa.Column("branch_code", sa.String(8), nullable=False),  # office of the declaration
    sa.Column("lowest_stars", sa.SmallInteger, nullable=True),  # assessments only
    sa.Column("state", sa.String(16), nullable=False),  # server.enums.CaseState
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("ack_due", sa.DateTime, nullable=False),
    sa.Column("answer_due", sa.DateTime, nullable=False),
    # the deadline that counts now: ack_due until acknowledged, then answer_due; NULL once
    # answered or closed (the inbox is "due_at IS NOT NULL ORDER BY due_at": overdue first)
    sa.Column("due_at", sa.DateTime, nullable=True),
    sa.Column("acknowledged_at", sa.DateTime, nullable=True),
    sa.Column("outcome", sa.String(24), nullable=True),  # server.enums.Outcome
    sa.Column("answer", sa.Text, nullable=True),
    sa.Column("answered_at", sa.DateTime, nullable=True),
    sa.Column("answered_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("closed_at", sa.DateTime, nullable=True),
    sa.Column("reopen_comment", sa.Text, nullable=True),
    sa.Column("reopened_at", sa.DateTime, nullable=True),  # set once: a case is reopened at most once
    sa.Column("escalated_at", sa.DateTime, nullable=True),  # the current deadline passed (supervisors alerted)
    sa.Column("due_alerted_at", sa.DateTime, nullable=True),  # "deadline near" sent for the current deadline
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_cases_branch_due", "branch_code", "due_at"),
    sa.Index("ix_cases_branch_state_updated", "branch_code", "state", "updated_at"),
    sa.Index("ix_cases_owner_due", "owner_id", "due_at"),
    sa.Index("ix_cases_due_at", "due_at"),
)

# The audit trail: every action on a case, who and when. Never changed nor deleted
# (triggers refuse both).
case_events = sa.Table(
    "case_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),  # NULL: the enterprise or the server
    sa.Column("event", sa.String(16), nullable=False),  # server.enums.CaseEvent
    sa.Column("detail", sa.Text, nullable=True),  # a note's text, an assignee, a reopen comment...
    sa.Index("ix_case_events_case_id_id", "case_id", "id"),
)

# Answer templates of a branch, kept by its supervisors.
answer_templates = sa.Table(
    "answer_templates", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("branch_code", sa.String(8), nullable=False),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("branch_code", "name"),
)

# Public holidays of the business calendar (working days: Monday to Friday minus these).
holidays = sa.Table(
    "holidays", metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
)

# Console alerts, one row per staff member alerted; read or not.
alerts = sa.Table(
    "alerts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=True),
    sa.Column("kind", sa.String(16), nullable=False),  # server.enums.AlertKind
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("read_at", sa.DateTime, nullable=True),
    sa.Index("ix_alerts_user_id_read_at", "user_id", "read_at"),
)

# E-mails waiting to be sent (``server/alerts.py``), sent off the request path and retried.
mail_queue = sa.Table(
    "mail_queue", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("to_addr", sa.String(254), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sent_at", sa.DateTime, nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Index("ix_mail_queue_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),
)

# ---- satisfaction report summaries (``server/report_store.py``) ---------------------------
# Kept current by the ingest in the same transaction as the ratings they count (and rebuilt
# from the ratings by the migration that creates them). ``flow`` is the declaration's
# direction ("I" import, "E" export, "" unknown type), ``channel`` its channel (0: none).

# Per month and week (the Monday; a week crossing a month's end has a row in each month),
# branch, flow and channel: ratings per star level. ``stage_code`` "" counts every rating;
# a stage's code counts the ratings given to that professional stage. ``stars`` 0 (with
# ``stage_code`` "") counts assessments.
report_weeks = sa.Table(
    "report_weeks", metadata,
    sa.Column("stage_code", sa.String(40), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("week", sa.String(10), primary_key=True),
    sa.Column("branch_code", sa.String(8), primary_key=True),
    sa.Column("flow", sa.String(1), primary_key=True),
    sa.Column("channel", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("stars", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
)

# Per month, branch, flow, channel and rated target: ratings per star level.
report_targets = sa.Table(
    "report_targets", metadata,
    sa.Column("target_kind", sa.String(16), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("branch_code", sa.String(8), primary_key=True),
    sa.Column("flow", sa.String(1), primary_key=True),
    sa.Column("channel", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("target_code", sa.String(40), primary_key=True),
    sa.Column("stars", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
)

# Per month, branch, flow, channel, star level and reason: how often the reason was given
# (``stage_code`` as in ``report_weeks``).
report_reasons = sa.Table(
    "report_reasons", metadata,
    sa.Column("stage_code", sa.String(40), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("branch_code", sa.String(8), primary_key=True),
    sa.Column("flow", sa.String(1), primary_key=True),
    sa.Column("channel", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("stars", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("reason", sa.String(16), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)
