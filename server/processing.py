"""Customs' handling of submissions: the processing inbox (reflections and low ratings,
``needs_answer``), taking an item into review, answering it, and the enterprise's feed of
its submissions' states (``server.feeds``).

Usable without HTTP: functions take a connection and plain values and raise ``ApiError``
(404 for an unknown reference, 422 for a refused answer, 400 for a bad cursor). Items are
plain dicts in the API's shape (``docs/API.md``)."""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from domain.text import TextTooLong, clean_text

from . import feeds, reports
from .enums import OPEN_STATES, InboxFilter, Role, SubmissionState
from .errors import ApiError, not_found
from .ingest import PREFIX, server_ref
from .schema import cases, submissions, users
from .timeutil import iso

REF_PATTERN = r"^[A-Z]-\d{1,12}$"
MAX_SEQ = 2**31 - 1  # submissions.seq is a 32-bit integer column
MAX_OUTCOME = 500
MAX_ANSWER = 4000


def parse_ref(ref: str) -> tuple[str, int]:
    """``A-12`` → (``assessment``, 12); 404 when it cannot name a submission."""
    prefix, _, digits = ref.partition("-")
    kinds = {v: k for k, v in PREFIX.items()}
    if prefix not in kinds or not digits.isdigit() or len(digits) > 12 or int(digits) > MAX_SEQ:
        raise not_found(f"no submission {ref}")
    return kinds[prefix], int(digits)


# ---- the enterprise's view: its submissions and their states -------------------------------

def _case(r: Any) -> dict[str, Any] | None:
    """The case of a submission as the enterprise's desktop tracks it (None: no case)."""
    if r.case_state is None:
        return None
    return {"state": r.case_state, "answer_due": iso(r.case_answer_due), "answered_at": iso(r.case_answered_at),
            "outcome": r.case_outcome, "can_reopen": r.case_state == "answered" and r.case_reopened_at is None}


def _status(r: Any) -> dict[str, Any]:
    return {"id": r.client_id, "kind": r.kind, "server_ref": server_ref(r.kind, r.seq),
            "declaration_number": r.declaration_number, "received_at": iso(r.received_at),
            "state": SubmissionState(r.state), "verified": r.verified, "outcome": r.outcome, "answer": r.answer,
            "answered_at": iso(r.answered_at), "updated_at": iso(r.updated_at), "payload": json.loads(r.payload),
            "case": _case(r)}


def submissions_page(conn: sa.Connection, owner_tax_code: str, *, since: str | None,
                     limit: int) -> dict[str, Any]:
    """One page of an enterprise's submissions feed after the cursor ``since``: every
    submission once, and again after each change of its state (``items``, ``next_cursor``,
    ``has_more``)."""
    q = sa.select(submissions.c.seq, submissions.c.client_id, submissions.c.kind, submissions.c.declaration_number,
                  submissions.c.received_at, submissions.c.state, submissions.c.verified, submissions.c.outcome,
                  submissions.c.answer, submissions.c.answered_at, submissions.c.updated_at, submissions.c.payload,
                  submissions.c.change_tx, submissions.c.change_seq, cases.c.state.label("case_state"),
                  cases.c.answer_due.label("case_answer_due"), cases.c.answered_at.label("case_answered_at"),
                  cases.c.outcome.label("case_outcome"), cases.c.reopened_at.label("case_reopened_at")) \
        .select_from(submissions.outerjoin(cases, cases.c.submission_seq == submissions.c.seq)) \
        .where(submissions.c.owner_tax_code == owner_tax_code)
    result = feeds.read_page(conn, q, submissions, since, limit)
    return {"items": [_status(r) for r in result.rows], "next_cursor": result.next_cursor,
            "has_more": result.has_more}


# ---- customs' view: the inbox ---------------------------------------------------------------

def _inbox_item(r: Any) -> dict[str, Any]:
    payload = json.loads(r.payload)
    stars = [x["stars"] for x in payload.get("ratings", [])] if r.kind == "assessment" else []
    return {"server_ref": server_ref(r.kind, r.seq), "id": r.client_id, "kind": r.kind, "tax_code": r.owner_tax_code,
            "enterprise": r.display_name, "declaration_number": r.declaration_number,
            "lowest_stars": min(stars) if stars else None, "payload": payload, "received_at": iso(r.received_at),
            "state": SubmissionState(r.state), "verified": r.verified, "outcome": r.outcome, "answer": r.answer,
            "answered_at": iso(r.answered_at)}


_INBOX_COLUMNS = (submissions.c.seq, submissions.c.client_id, submissions.c.kind, submissions.c.owner_tax_code,
                  submissions.c.declaration_number, submissions.c.payload, submissions.c.received_at,
                  submissions.c.state, submissions.c.verified, submissions.c.outcome, submissions.c.answer,
                  submissions.c.answered_at, users.c.display_name)


def _inbox_query() -> sa.Select:
    return sa.select(*_INBOX_COLUMNS).select_from(
        submissions.outerjoin(users, sa.and_(users.c.username == submissions.c.owner_tax_code,
                                             users.c.role == Role.ENTERPRISE))
    ).where(submissions.c.needs_answer == sa.true())


def inbox_page(conn: sa.Connection, *, state: InboxFilter = InboxFilter.OPEN, kind: str | None = None,
               since: str | None = None, limit: int = 100) -> dict[str, Any]:
    """Inbox items in arrival order after the cursor ``since`` (a plain sequence number),
    of one state filter and optionally one kind: ``items``, ``total_open`` (all open items),
    ``next_cursor``, ``has_more``."""
    q = _inbox_query()
    if state == InboxFilter.OPEN:
        q = q.where(submissions.c.state.in_(OPEN_STATES))
    elif state == InboxFilter.ANSWERED:
        q = q.where(submissions.c.state == SubmissionState.ANSWERED)
    if kind:
        q = q.where(submissions.c.kind == kind)
    if since:
        try:
            after = int(since)
            if not 0 <= after <= MAX_SEQ:
                raise ValueError(since)
        except ValueError:
            raise ApiError(400, "bad_request", "the cursor is not valid; start again without `since`") from None
        q = q.where(submissions.c.seq > after)
    rows = conn.execute(q.order_by(submissions.c.seq).limit(limit + 1)).all()
    open_count = reports.inbox_counts(conn)["open"]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_inbox_item(r) for r in rows], "total_open": open_count,
            "next_cursor": str(rows[-1].seq) if rows else since, "has_more": more}


def _inbox_row(conn: sa.Connection, ref: str) -> Any:
    kind, seq = parse_ref(ref)
    row = conn.execute(_inbox_query().where(submissions.c.seq == seq, submissions.c.kind == kind)).first()
    if row is None:
        raise not_found(f"no reflection or low rating {ref} in the inbox")
    return row


def inbox_item(conn: sa.Connection, ref: str) -> dict[str, Any]:
    """One inbox item by its server reference (``R-7``); 404 when it is not in the inbox."""
    return _inbox_item(_inbox_row(conn, ref))


def start_review(conn: sa.Connection, ref: str, *, user_id: int) -> dict[str, Any]:
    """Mark a received item as being verified (``in_review``; the enterprise sees the
    change): its case goes under review, taken by the caller when nobody handles it
    (``server.cases.legacy_review``). An item already in review or answered is left as it
    is. Returns the item."""
    from . import cases as case_service

    row = _inbox_row(conn, ref)
    case_service.legacy_review(conn, user_id, row.seq)
    return inbox_item(conn, ref)


def answer(conn: sa.Connection, ref: str, *, answered_by: int, verified: bool | None, outcome: str,
           answer: str) -> dict[str, Any]:
    """Answer an item (state ``answered``): whether the facts were confirmed, the outcome
    (one line, at most 500 characters) and the answer (at most 4000). Both are required;
    422 ``validation_error`` otherwise. Answering again replaces the answer. The case is
    answered through the case service with the outcome substantiated (``verified`` true),
    not substantiated (false) or partly (empty). Returns the item."""
    from . import cases as case_service

    try:
        outcome = clean_text(outcome, MAX_OUTCOME)
        text = clean_text(answer, MAX_ANSWER, multiline=True)
    except TextTooLong as exc:
        raise ApiError(422, "validation_error", str(exc)) from None
    if not outcome or not text:
        raise ApiError(422, "validation_error", "an outcome and an answer are required")
    row = _inbox_row(conn, ref)
    case_service.legacy_answer(conn, answered_by, row.seq, verified=verified, outcome_text=outcome, text=text)
    return inbox_item(conn, ref)
