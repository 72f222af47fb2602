"""The server's closed sets of values, defined once: account roles, submission states, the
inbox's state filter and the report groupings.

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


ANY_ROLE: tuple[Role, ...] = tuple(Role)
STAFF: tuple[Role, ...] = (Role.PROCESSOR, Role.VIEWER, Role.ADMIN)
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
