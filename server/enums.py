"""The server's closed sets of values, defined once: account roles, submission states, the
inbox's state filter, the report groupings, and the case handling's states, outcomes, audit
events and alerts.

They are ``StrEnum``s: a member *is* its wire value (``Role.ADMIN == "admin"``), so the
database columns, JSON bodies and query parameters keep the same strings, and plain strings
read back from the database compare equal to the members."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """An account's role (`users.role`)."""
    ENTERPRISE = "enterprise"
    PROCESSOR = "processor"
    VIEWER = "viewer"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    """A branch head: assigns cases, sees everything of the branch, handles escalations and
    keeps the branch's answer templates."""


ANY_ROLE: tuple[Role, ...] = tuple(Role)
STAFF: tuple[Role, ...] = (Role.PROCESSOR, Role.VIEWER, Role.ADMIN, Role.SUPERVISOR)
"""Customs staff: every role but the enterprise."""


class SubmissionState(StrEnum):
    """Where customs is with a submission (`submissions.state`): received, being verified,
    answered. Only reflections and low ratings (`needs_answer`) move past `received`."""
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    ANSWERED = "answered"


OPEN_STATES: tuple[SubmissionState, ...] = (SubmissionState.RECEIVED, SubmissionState.IN_REVIEW)
"""States of an item still waiting for customs' answer."""


class InboxFilter(StrEnum):
    """The inbox's `state` filter: open items (received or in review), answered ones, or all."""
    OPEN = "open"
    ANSWERED = "answered"
    ALL = "all"


class ReportGrouping(StrEnum):
    """How the satisfaction report groups its ratings (`server.reports`)."""
    NONE = "none"
    BRANCH = "branch"
    TEAM = "team"
    STAGE = "stage"
    OFFICIAL = "official"
    MONTH = "month"
    DAY = "day"


TARGET_GROUPINGS: tuple[ReportGrouping, ...] = (ReportGrouping.TEAM, ReportGrouping.STAGE, ReportGrouping.OFFICIAL)
"""Groupings by the rated target of that kind (the others group every rating)."""


# ---- case handling (server/cases.py) ------------------------------------------------------

class CaseState(StrEnum):
    """Where a case is (`cases.state`): new → assigned → in review → answered → closed; an
    answered case the enterprise reopens is `reopened` (once), back in the branch's inbox."""
    NEW = "new"
    ASSIGNED = "assigned"
    IN_REVIEW = "in_review"
    ANSWERED = "answered"
    CLOSED = "closed"
    REOPENED = "reopened"


OPEN_CASE_STATES: tuple[CaseState, ...] = (CaseState.NEW, CaseState.ASSIGNED, CaseState.IN_REVIEW,
                                           CaseState.REOPENED)
"""States of a case still waiting for customs' answer (in the inbox, with a deadline)."""


class Outcome(StrEnum):
    """What the verification found (`cases.outcome`)."""
    SUBSTANTIATED = "substantiated"
    PARTLY = "partly"
    NOT_SUBSTANTIATED = "not_substantiated"


class CaseEvent(StrEnum):
    """An entry of a case's audit trail (`case_events.event`)."""
    OPENED = "opened"
    VIEWED = "viewed"
    ASSIGNED = "assigned"
    TAKEN = "taken"
    REVIEW_STARTED = "review_started"
    NOTED = "noted"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    REOPENED = "reopened"
    CLOSED = "closed"
    ESCALATED = "escalated"


class AlertKind(StrEnum):
    """Why a staff member is alerted (`alerts.kind`)."""
    NEW_ONE_STAR = "new_one_star"
    DUE_SOON = "due_soon"
    ESCALATED = "escalated"
    REOPENED = "reopened"
