"""Case handling: every reflection and every 1★/2★ assessment is a case of the branch of
its declaration (``docs/SERVER.md``, "Cases").

Usable without HTTP: functions take a connection, the acting ``Staff`` and plain values,
and raise ``CaseNotFound`` (404), ``CaseForbidden`` (403), ``CaseConflict`` (409) or
``CaseInvalid`` (422), all ``ApiError``s. A case of a branch the staff member does not work
for answers exactly like a missing one (``CaseNotFound``).

Roles: a viewer reads; a processor takes, reviews, notes and answers the cases of their
branches; a supervisor also assigns, closes, sees the escalated cases and keeps the
branch's answer templates; an administrator keeps the calendar and the settings and may act
as a supervisor in their branches.

Every function takes ``now`` (naive UTC, or aware) so tests can place "today" where they
need; every action is written to the audit trail (``case_events``, never changed), and every
change of a case re-stamps its submission so that the enterprise's feed carries it."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS
from domain.text import TextTooLong, clean_text

from . import calendar
from .bulk import insert_many, insert_numbered_values
from .catalog import get_meta, set_meta
from .enums import OPEN_CASE_STATES, AlertKind, CaseEvent, CaseState, Outcome, Role, SubmissionState
from .errors import ApiError
from .schema import (
    alerts as alerts_table, answer_templates, case_events, cases, catalog_targets, declarations, handling,
    staff_branches, submissions, users,
)
from .timeutil import utcnow

MAX_NOTE = 4000
MAX_ANSWER = 4000
MAX_TEMPLATE_NAME = 120
MAX_TEMPLATE_BODY = 4000
MAX_PER_PAGE = 200
ACTING_ROLES = (Role.PROCESSOR, Role.SUPERVISOR, Role.ADMIN)
LEADING_ROLES = (Role.SUPERVISOR, Role.ADMIN)
SETTINGS_KEY = "case_settings"


# ---- errors ---------------------------------------------------------------------------------

class CaseNotFound(ApiError):
    def __init__(self, message: str = "no such case") -> None:
        super().__init__(404, "not_found", message)


class CaseForbidden(ApiError):
    def __init__(self, message: str = "your role may not do this") -> None:
        super().__init__(403, "forbidden", message)


class CaseConflict(ApiError):
    def __init__(self, message: str = "the case is not in a state that allows this") -> None:
        super().__init__(409, "conflict", message)


class CaseInvalid(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(422, "validation_error", message)


# ---- who acts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Staff:
    user_id: int
    username: str
    display_name: str
    role: Role
    branches: frozenset[str]


def staff_for(conn: sa.Connection, user_id: int) -> Staff | None:
    """The staff member behind an account; None for enterprises, disabled or unknown accounts."""
    row = conn.execute(sa.select(users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.active)
                       .where(users.c.id == user_id)).first()
    if row is None or not row.active or row.role == Role.ENTERPRISE:
        return None
    branches = frozenset(conn.execute(sa.select(staff_branches.c.branch_code)
                                      .where(staff_branches.c.user_id == user_id)).scalars())
    return Staff(row.id, row.username, row.display_name, Role(row.role), branches)


def require_admin(staff: Staff, error: type[ApiError] = CaseForbidden) -> None:
    if staff.role != Role.ADMIN:
        raise error("only an administrator may do this")  # type: ignore[call-arg]


def _require_acting(staff: Staff) -> None:
    if staff.role not in ACTING_ROLES:
        raise CaseForbidden("a viewer reads cases but does not act on them")


def _require_leading(staff: Staff) -> None:
    if staff.role not in LEADING_ROLES:
        raise CaseForbidden("only a supervisor may do this")


# ---- settings (deadline targets) --------------------------------------------------------------

@dataclass(frozen=True)
class CaseSettings:
    ack_days: int = 1  # acknowledge (take, assign or start review) within this many working days
    answer_days: int = 5  # answer within this many working days
    warn_hours: int = 24  # alert when the deadline is this close
    console_url: str = ""  # the console's base URL for links in e-mails, e.g. https://hq.example/console


def case_settings(conn: sa.Connection) -> CaseSettings:
    raw = get_meta(conn, SETTINGS_KEY)
    if not raw:
        return CaseSettings()
    data = json.loads(raw)
    return CaseSettings(**{k: v for k, v in data.items() if k in CaseSettings.__dataclass_fields__})


def set_case_settings(conn: sa.Connection, staff: Staff, **values: Any) -> CaseSettings:
    """Change the deadline targets or the console's URL (administrators only)."""
    require_admin(staff)
    current = case_settings(conn).__dict__ | {k: v for k, v in values.items() if v is not None}
    for key in ("ack_days", "answer_days"):
        if not isinstance(current[key], int) or not 0 <= current[key] <= 60:
            raise CaseInvalid(f"{key}: a whole number of working days from 0 to 60")
    if current["ack_days"] > current["answer_days"]:
        raise CaseInvalid("the acknowledgement target cannot be later than the answer target")
    if not isinstance(current["warn_hours"], int) or not 0 <= current["warn_hours"] <= 720:
        raise CaseInvalid("warn_hours: a whole number of hours from 0 to 720")
    url = str(current["console_url"]).strip().rstrip("/")
    if url and not re.match(r"^https?://[^\s]{1,400}$", url):
        raise CaseInvalid("console_url: an http:// or https:// address")
    current["console_url"] = url
    settings = CaseSettings(**current)
    set_meta(conn, SETTINGS_KEY, json.dumps(settings.__dict__, sort_keys=True))
    return settings


# ---- what the service hands out ---------------------------------------------------------------

def _utc(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is not None:
        return now.astimezone(timezone.utc).replace(tzinfo=None)
    return now


def _ref(kind: str, seq: int) -> str:
    from .ingest import server_ref

    return server_ref(kind, seq)


@dataclass(frozen=True)
class CaseRow:
    """A case as the inbox lists it (times naive UTC)."""
    id: int
    ref: str
    kind: str
    state: CaseState
    branch: str
    owner_id: int | None
    owner_name: str | None
    declaration_number: str | None
    lowest_stars: int | None
    created_at: datetime
    ack_due: datetime
    answer_due: datetime
    due_at: datetime | None
    overdue: bool
    escalated: bool

    @property
    def deadline(self) -> datetime:
        """The deadline that counts now (acknowledgement, then answer)."""
        return self.due_at or self.answer_due

    @property
    def received_at(self) -> datetime:
        return self.created_at

    @property
    def level(self) -> str:
        """The lowest stars given (``1★``), empty for a reflection."""
        return f"{self.lowest_stars}★" if self.lowest_stars else ""


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str

    def __str__(self) -> str:
        return f"{self.name} · {self.phone}"


@dataclass(frozen=True)
class Enterprise:
    tax_code: str
    name: str | None

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})" if self.name else self.tax_code


@dataclass(frozen=True)
class Reason:
    code: str
    label: str  # Vietnamese
    label_en: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class HandlingRecord:
    kind: str  # branch|team|stage|official
    code: str
    name: str | None


@dataclass(frozen=True)
class Declaration:
    number: str
    type: str
    status: str
    channel: int | None
    registered_at: datetime
    cleared_at: datetime | None
    handling: tuple[HandlingRecord, ...]


@dataclass(frozen=True)
class Rating:
    target_kind: str
    target_code: str
    target_name: str | None
    stars: int
    reasons: tuple[Reason, ...]
    comment: str | None

    @property
    def kind(self) -> str:
        return self.target_kind


@dataclass(frozen=True)
class Event:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    event: CaseEvent
    detail: str | None


@dataclass(frozen=True)
class CaseDetail(CaseRow):
    declaration: Declaration | None = None
    ratings: tuple[Rating, ...] = ()
    content: str | None = None  # a reflection's text
    detail: str | None = None  # an assessment's account of what went wrong
    contact: Contact | None = None
    enterprise: Enterprise | None = None
    notes: tuple[Event, ...] = ()
    outcome: Outcome | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    reopen_comment: str | None = None
    reopened_at: datetime | None = None
    events: tuple[Event, ...] = ()

    @property
    def trail(self) -> tuple[Event, ...]:
        return self.events

    @property
    def handling(self) -> tuple[HandlingRecord, ...]:
        return self.declaration.handling if self.declaration else ()

    @property
    def comment(self) -> str:
        """What the enterprise wrote, in one text: a reflection's content, or an
        assessment's detail and its ratings' comments."""
        parts = [self.content, self.detail]
        parts += [f"{r.target_name or r.target_code}: {r.comment}" for r in self.ratings if r.comment]
        return "\n".join(p for p in parts if p)

    @property
    def can_reopen(self) -> bool:
        return self.state == CaseState.ANSWERED and self.reopened_at is None


@dataclass
class InboxPage:
    items: list[CaseRow]
    total: int
    counts: dict[str, int]  # per state, and "overdue"
    escalated: list[CaseRow] = field(default_factory=list)  # supervisors: overdue open cases
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class Template:
    id: int
    branch: str
    name: str
    body: str
    updated_at: datetime


@dataclass(frozen=True)
class Alert:
    id: int
    case_id: int | None
    ref: str | None
    kind: AlertKind
    at: datetime
    read: bool


# ---- inbox ------------------------------------------------------------------------------------

_owner = users.alias("owner")

_ROW_COLUMNS = (cases.c.id, cases.c.kind, cases.c.state, cases.c.branch_code, cases.c.owner_id,
                _owner.c.display_name.label("owner_name"), submissions.c.declaration_number, cases.c.lowest_stars,
                cases.c.created_at, cases.c.ack_due, cases.c.answer_due, cases.c.due_at, cases.c.escalated_at,
                cases.c.submission_seq)


def _rows_query() -> sa.Select:
    return sa.select(*_ROW_COLUMNS).select_from(
        cases.join(submissions, submissions.c.seq == cases.c.submission_seq)
        .outerjoin(_owner, _owner.c.id == cases.c.owner_id))


def _row(r: Any, now: datetime) -> CaseRow:
    return CaseRow(id=r.id, ref=_ref(r.kind, r.submission_seq), kind=r.kind, state=CaseState(r.state),
                   branch=r.branch_code, owner_id=r.owner_id, owner_name=r.owner_name,
                   declaration_number=r.declaration_number, lowest_stars=r.lowest_stars, created_at=r.created_at,
                   ack_due=r.ack_due, answer_due=r.answer_due, due_at=r.due_at,
                   overdue=r.due_at is not None and r.due_at < now,
                   escalated=r.due_at is not None and (r.escalated_at is not None or r.due_at < now))


def _scope(staff: Staff, branch: str | None) -> list[str]:
    if branch is not None:
        return [branch] if branch in staff.branches else []
    return sorted(staff.branches)


def _in(column: sa.ColumnElement, values: Sequence[str]) -> sa.ColumnElement[bool]:
    return column == values[0] if len(values) == 1 else column.in_(values)


def inbox(conn: sa.Connection, staff: Staff, *, state: str | None = None, owner_id: int | None = None,
          branch: str | None = None, level: int | str | None = None, kind: str | None = None,
          escalated: bool | None = None, page: int = 1, per_page: int = 50,
          now: datetime | None = None) -> InboxPage:
    """The cases of the staff member's branches (or of one of them, ``branch``): the open
    ones by default, overdue first then by deadline; with ``state`` the cases in that state
    (answered and closed ones newest first). ``level``: the lowest stars (1 or 2);
    ``escalated=True``: only overdue cases. ``counts`` holds the number of cases per state
    and the number of overdue ones in the scope; ``escalated`` lists the overdue cases for
    supervisors (and administrators)."""
    now = _utc(now)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    if state is not None:
        try:
            state = CaseState(state)
        except ValueError:
            raise CaseInvalid(f"state must be one of {', '.join(CaseState)}") from None
    if level not in (None, ""):
        try:
            level = int(str(level).rstrip("★"))
        except ValueError:
            raise CaseInvalid("level is the lowest number of stars, 1 or 2") from None
    else:
        level = None
    scope = _scope(staff, branch)
    if not scope:
        return InboxPage([], 0, {}, [], page, per_page)
    where = [_in(cases.c.branch_code, scope)]
    if state is None or state in OPEN_CASE_STATES:
        where.append(cases.c.due_at.is_not(None))
    if state is not None:
        where.append(cases.c.state == state)
    if owner_id is not None:
        where.append(cases.c.owner_id == owner_id)
    if level is not None:
        where.append(cases.c.lowest_stars == level)
    if kind:
        where.append(cases.c.kind == kind)
    if escalated:
        where.append(cases.c.due_at < now)
    q = _rows_query().where(*where)
    if state is None or state in OPEN_CASE_STATES:
        q = q.order_by(cases.c.due_at, cases.c.id)
    else:
        q = q.order_by(cases.c.updated_at.desc(), cases.c.id.desc())
    rows = conn.execute(q.limit(per_page).offset((page - 1) * per_page)).all()
    total = conn.execute(sa.select(sa.func.count()).select_from(cases).where(*where)).scalar_one()
    counts = {s.value: 0 for s in CaseState}
    for s, n in conn.execute(sa.select(cases.c.state, sa.func.count()).where(_in(cases.c.branch_code, scope))
                             .group_by(cases.c.state)).all():
        counts[s] = n
    counts["overdue"] = conn.execute(sa.select(sa.func.count()).select_from(cases).where(
        _in(cases.c.branch_code, scope), cases.c.due_at < now)).scalar_one()
    esc: list[CaseRow] = []
    if staff.role in LEADING_ROLES:
        esc = [_row(r, now) for r in conn.execute(
            _rows_query().where(_in(cases.c.branch_code, scope), cases.c.due_at < now)
            .order_by(cases.c.due_at, cases.c.id).limit(per_page)).all()]
    return InboxPage([_row(r, now) for r in rows], total, counts, esc, page, per_page)


# ---- one case ---------------------------------------------------------------------------------

def _case_row(conn: sa.Connection, staff: Staff, case_id: Any, *, lock: bool = False) -> Any:
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise CaseNotFound() from None
    if not staff.branches or not 0 < case_id < 2**31:
        raise CaseNotFound()
    q = sa.select(cases).where(cases.c.id == case_id, _in(cases.c.branch_code, sorted(staff.branches)))
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    row = conn.execute(q).first()
    if row is None:
        raise CaseNotFound()
    return row


def _names(conn: sa.Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    pairs = list(pairs)
    if not pairs:
        return {}
    codes = sorted({c for _k, c in pairs})
    rows = conn.execute(sa.select(catalog_targets.c.kind, catalog_targets.c.code, catalog_targets.c.name)
                        .where(catalog_targets.c.code.in_(codes))).all()
    return {(r.kind, r.code): r.name for r in rows}


def _reason(code: str, stars: int) -> Reason:
    table = DISSATISFIED_REASONS if stars <= 2 else SATISFIED_REASONS
    c = table.get(code)
    return Reason(code, c.label("vi") if c else code, c.label("en") if c else code)


def _events(conn: sa.Connection, case_id: int) -> tuple[Event, ...]:
    actor = users.alias("actor")
    rows = conn.execute(sa.select(case_events, actor.c.display_name)
                        .select_from(case_events.outerjoin(actor, actor.c.id == case_events.c.actor_id))
                        .where(case_events.c.case_id == case_id).order_by(case_events.c.id)).all()
    return tuple(Event(r.id, r.at, r.actor_id, r.display_name, CaseEvent(r.event), r.detail) for r in rows)


def _detail(conn: sa.Connection, row: Any, now: datetime) -> CaseDetail:
    r = conn.execute(_rows_query().where(cases.c.id == row.id)).one()
    base = _row(r, now)
    sub = conn.execute(sa.select(submissions.c.payload, submissions.c.owner_tax_code, submissions.c.kind)
                       .where(submissions.c.seq == row.submission_seq)).one()
    payload = json.loads(sub.payload)
    number = payload.get("declaration_number")
    decl = conn.execute(sa.select(declarations).where(declarations.c.number == number)).first() if number else None
    hrows = conn.execute(sa.select(handling.c.kind, handling.c.code).where(handling.c.declaration_number == number)
                         .order_by(handling.c.position)).all() if number else []
    ratings_in = payload.get("ratings", []) if sub.kind == "assessment" else []
    names = _names(conn, [(h.kind, h.code) for h in hrows] + [(x["target_kind"], x["target_code"]) for x in ratings_in]
                   + ([("branch", row.branch_code)]))
    declaration = None
    if decl is not None:
        declaration = Declaration(decl.number, decl.type_code, decl.status, decl.channel, decl.registered_at,
                                  decl.cleared_at, tuple(HandlingRecord(h.kind, h.code, names.get((h.kind, h.code)))
                                                         for h in hrows))
    ratings = tuple(Rating(x["target_kind"], x["target_code"], names.get((x["target_kind"], x["target_code"])),
                           x["stars"], tuple(_reason(c, x["stars"]) for c in x.get("reasons", [])), x.get("comment"))
                    for x in ratings_in)
    if sub.kind == "reflection":
        contact = Contact(payload.get("name", ""), payload.get("phone", ""))
    elif payload.get("contact"):
        contact = Contact(payload["contact"].get("name", ""), payload["contact"].get("phone", ""))
    else:
        contact = None
    ent_name = conn.execute(sa.select(users.c.display_name).where(users.c.username == sub.owner_tax_code,
                                                                  users.c.role == Role.ENTERPRISE)).scalar()
    events = _events(conn, row.id)
    return CaseDetail(**base.__dict__, declaration=declaration, ratings=ratings,
                      content=payload.get("content") if sub.kind == "reflection" else None,
                      detail=payload.get("detail"), contact=contact,
                      enterprise=Enterprise(sub.owner_tax_code, ent_name),
                      notes=tuple(e for e in events if e.event == CaseEvent.NOTED),
                      outcome=Outcome(row.outcome) if row.outcome else None, answer=row.answer,
                      answered_at=row.answered_at, closed_at=row.closed_at, reopen_comment=row.reopen_comment,
                      reopened_at=row.reopened_at, events=events)


def get_case(conn: sa.Connection, staff: Staff, case_id: int, *, now: datetime | None = None) -> CaseDetail:
    """A case with everything about it; records that the staff member viewed it (the
    connection must be a writing one). ``CaseNotFound`` for another branch's case."""
    now = _utc(now)
    row = _case_row(conn, staff, case_id)
    _event(conn, row.id, staff.user_id, CaseEvent.VIEWED, None, now)
    return _detail(conn, row, now)


def case_by_ref(conn: sa.Connection, staff: Staff, ref: str) -> int:
    """The case id of a submission reference (``A-000012``); ``CaseNotFound`` otherwise."""
    from .processing import parse_ref

    try:
        kind, seq = parse_ref(ref)
    except ApiError:
        raise CaseNotFound() from None
    row = conn.execute(sa.select(cases.c.id, cases.c.branch_code).where(cases.c.submission_seq == seq,
                                                                        cases.c.kind == kind)).first()
    if row is None or row.branch_code not in staff.branches:
        raise CaseNotFound()
    return row.id


# ---- changes ----------------------------------------------------------------------------------

_SUBMISSION_STATE = {CaseState.NEW: SubmissionState.RECEIVED, CaseState.ASSIGNED: SubmissionState.RECEIVED,
                     CaseState.IN_REVIEW: SubmissionState.IN_REVIEW, CaseState.REOPENED: SubmissionState.IN_REVIEW,
                     CaseState.ANSWERED: SubmissionState.ANSWERED, CaseState.CLOSED: SubmissionState.ANSWERED}


def _event(conn: sa.Connection, case_id: int, actor_id: int | None, event: CaseEvent, detail: str | None,
           now: datetime) -> None:
    conn.execute(sa.insert(case_events).values(case_id=case_id, at=now, actor_id=actor_id, event=event,
                                               detail=detail))


def _update(conn: sa.Connection, row: Any, now: datetime, **values: Any) -> None:
    """Change a case and re-stamp its submission (same transaction): the enterprise's feed
    carries the change; the submission's earlier ``state`` follows the case's."""
    conn.execute(sa.update(cases).where(cases.c.id == row.id).values(updated_at=now, **values))
    sub: dict[str, Any] = {"updated_at": now}
    if "state" in values:
        sub["state"] = _SUBMISSION_STATE[CaseState(values["state"])]
    conn.execute(sa.update(submissions).where(submissions.c.seq == row.submission_seq).values(**sub))


def _acknowledge(row: Any, now: datetime) -> dict[str, Any]:
    """Values that mark a case acknowledged: from now on its answer deadline counts."""
    if row.acknowledged_at is not None:
        return {}
    return {"acknowledged_at": now, "due_at": row.answer_due, "escalated_at": None, "due_alerted_at": None}


def _assignable(conn: sa.Connection, user_id: int, branch: str) -> bool:
    return conn.execute(sa.select(users.c.id).select_from(users.join(staff_branches, staff_branches.c.user_id == users.c.id))
                        .where(users.c.id == user_id, users.c.active == sa.true(),
                               users.c.role.in_([Role.PROCESSOR, Role.SUPERVISOR]),
                               staff_branches.c.branch_code == branch)).first() is not None


def take(conn: sa.Connection, staff: Staff, case_id: int, *, now: datetime | None = None) -> None:
    """A processor (or supervisor) takes a new or reopened case that nobody handles."""
    now = _utc(now)
    _require_acting(staff)
    row = _case_row(conn, staff, case_id, lock=True)
    if row.state not in (CaseState.NEW, CaseState.REOPENED) or row.owner_id not in (None, staff.user_id):
        raise CaseConflict("only a new or reopened case that nobody handles can be taken")
    state = CaseState.ASSIGNED if row.state == CaseState.NEW else CaseState.REOPENED
    _update(conn, row, now, owner_id=staff.user_id, state=state, **_acknowledge(row, now))
    _event(conn, row.id, staff.user_id, CaseEvent.TAKEN, None, now)


def assign(conn: sa.Connection, staff: Staff, case_id: int, owner_id: int, *, now: datetime | None = None) -> None:
    """A supervisor gives an open case to a processor (or supervisor) of its branch."""
    now = _utc(now)
    _require_leading(staff)
    row = _case_row(conn, staff, case_id, lock=True)
    if row.state not in OPEN_CASE_STATES:
        raise CaseConflict("only an open case can be assigned")
    if not _assignable(conn, owner_id, row.branch_code):
        raise CaseInvalid("the case can only be given to an active processor or supervisor of its branch")
    state = CaseState.ASSIGNED if row.state == CaseState.NEW else CaseState(row.state)
    _update(conn, row, now, owner_id=owner_id, state=state, **_acknowledge(row, now))
    name = conn.execute(sa.select(users.c.display_name).where(users.c.id == owner_id)).scalar()
    _event(conn, row.id, staff.user_id, CaseEvent.ASSIGNED, name, now)


def _require_owner_or_leading(staff: Staff, row: Any) -> None:
    if row.owner_id != staff.user_id and staff.role not in LEADING_ROLES:
        raise CaseForbidden("only the case's owner or a supervisor may do this")


def start_review(conn: sa.Connection, staff: Staff, case_id: int, *, now: datetime | None = None) -> None:
    """The owner starts verifying an assigned (or reopened) case: state ``in_review``."""
    now = _utc(now)
    _require_acting(staff)
    row = _case_row(conn, staff, case_id, lock=True)
    if row.state not in (CaseState.ASSIGNED, CaseState.REOPENED) or row.owner_id is None:
        raise CaseConflict("a case is taken or assigned before its review starts")
    _require_owner_or_leading(staff, row)
    _update(conn, row, now, state=CaseState.IN_REVIEW, **_acknowledge(row, now))
    _event(conn, row.id, staff.user_id, CaseEvent.REVIEW_STARTED, None, now)


def add_note(conn: sa.Connection, staff: Staff, case_id: int, text: str, *, now: datetime | None = None) -> None:
    """An internal note (never shown to the enterprise), in the audit trail."""
    now = _utc(now)
    _require_acting(staff)
    row = _case_row(conn, staff, case_id)
    try:
        text = clean_text(text, MAX_NOTE, multiline=True)
    except TextTooLong as exc:
        raise CaseInvalid(str(exc)) from None
    if not text:
        raise CaseInvalid("a note needs a text")
    _event(conn, row.id, staff.user_id, CaseEvent.NOTED, text, now)


def _clean_answer(outcome: Any, text: str) -> tuple[Outcome, str]:
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise CaseInvalid(f"outcome must be one of {', '.join(Outcome)}") from None
    try:
        text = clean_text(text or "", MAX_ANSWER, multiline=True)
    except TextTooLong as exc:
        raise CaseInvalid(str(exc)) from None
    if not text:
        raise CaseInvalid("an answer to the enterprise is required")
    return outcome, text


def _verified(outcome: Outcome) -> bool | None:
    return {Outcome.SUBSTANTIATED: True, Outcome.NOT_SUBSTANTIATED: False}.get(outcome)


def _write_answer(conn: sa.Connection, row: Any, user_id: int, outcome: Outcome, text: str, now: datetime,
                  legacy_outcome: str | None = None) -> None:
    _update(conn, row, now, state=CaseState.ANSWERED, outcome=outcome, answer=text, answered_at=now,
            answered_by=user_id, due_at=None, **({} if row.acknowledged_at else {"acknowledged_at": now}))
    conn.execute(sa.update(submissions).where(submissions.c.seq == row.submission_seq).values(
        verified=_verified(outcome), outcome=legacy_outcome or outcome.value, answer=text, answered_at=now,
        answered_by=user_id))
    _event(conn, row.id, user_id, CaseEvent.ANSWERED, f"{outcome.value}: {text}", now)


def answer(conn: sa.Connection, staff: Staff, case_id: int, *, outcome: Outcome | str, text: str,
           now: datetime | None = None) -> None:
    """Answer a case under review: the verification outcome and the answer to the
    enterprise, both required (422 otherwise). The enterprise then accepts it or reopens
    the case once."""
    now = _utc(now)
    _require_acting(staff)
    row = _case_row(conn, staff, case_id, lock=True)
    outcome, text = _clean_answer(outcome, text)
    if row.state != CaseState.IN_REVIEW:
        raise CaseConflict("only a case under review can be answered")
    _require_owner_or_leading(staff, row)
    _write_answer(conn, row, staff.user_id, outcome, text, now)


def close(conn: sa.Connection, staff: Staff, case_id: int, *, now: datetime | None = None) -> None:
    """A supervisor closes an answered case (the enterprise's acceptance closes it too)."""
    now = _utc(now)
    _require_acting(staff)
    row = _case_row(conn, staff, case_id, lock=True)
    _require_leading(staff)
    if row.state != CaseState.ANSWERED or not row.outcome or not row.answer:
        raise CaseConflict("only an answered case (outcome and answer given) can be closed")
    _update(conn, row, now, state=CaseState.CLOSED, closed_at=now)
    _event(conn, row.id, staff.user_id, CaseEvent.CLOSED, None, now)


# ---- the enterprise's word (kind case_feedback, server/ingest.py) ----------------------------

def apply_feedback(conn: sa.Connection, case_id: int, action: str, comment: str | None, now: datetime) -> None:
    """Apply an accepted ``case_feedback`` (checked by the ingest): ``accept`` closes the
    case; ``reopen`` puts it back in the branch's inbox with new deadlines (once)."""
    row = conn.execute(sa.select(cases).where(cases.c.id == case_id)).one()
    if action == "accept":
        _update(conn, row, now, state=CaseState.CLOSED, closed_at=now)
        _event(conn, row.id, None, CaseEvent.ACCEPTED, comment, now)
        _event(conn, row.id, None, CaseEvent.CLOSED, None, now)
        return
    settings = case_settings(conn)
    hol = calendar.holidays(conn)
    ack_due = calendar.add_working_days(now, settings.ack_days, hol)
    answer_due = calendar.add_working_days(now, settings.answer_days, hol)
    _update(conn, row, now, state=CaseState.REOPENED, reopen_comment=comment, reopened_at=now, ack_due=ack_due,
            answer_due=answer_due, due_at=ack_due, acknowledged_at=None, escalated_at=None, due_alerted_at=None)
    _event(conn, row.id, None, CaseEvent.REOPENED, comment, now)
    from . import alerts

    alerts.notify_branch(conn, row.branch_code, row.id, AlertKind.REOPENED, now, owner_id=row.owner_id)


# the columns of a case the ingest opens (``plan_openings``), after its ``submission_seq``;
# no owner yet, the other times NULL
OPENING_COLUMNS = ("kind", "branch_code", "lowest_stars", "state", "created_at", "ack_due", "answer_due", "due_at",
                   "updated_at")


@dataclass
class Openings:
    """The cases a batch opens, worked out before the ingest takes the write lock (deadlines
    from the case settings and the holidays, who is alerted about a 1★ case): ``places[i]``
    is the place of case i's submission among the rows the ingest inserts, ``values[i]`` its
    ``OPENING_COLUMNS`` for the driver."""
    places: list[Any]
    values: list[Any]
    received: list[datetime]
    one_star: list[tuple[int, str]]  # (case i, branch)
    audience: Any  # alerts.Audience of the 1★ cases' branches


def plan_openings(conn: sa.Connection, rows: Sequence[tuple[Any, dict[str, Any]]]) -> Openings:
    """``rows``: (place, ``kind``, ``branch``, ``lowest_stars``, ``received_at``) of each case
    to open; ``conn`` reads the settings, the holidays and the staff to alert."""
    from . import alerts
    from .bulk import driver_values

    settings = case_settings(conn)
    deadlines = calendar.Deadlines(calendar.holidays(conn))
    out = []
    for _place, r in rows:
        received = r["received_at"]
        ack_due = deadlines.after(received, settings.ack_days)
        out.append({"kind": r["kind"], "branch_code": r["branch"], "lowest_stars": r["lowest_stars"],
                    "state": CaseState.NEW.value, "created_at": received, "ack_due": ack_due,
                    "answer_due": deadlines.after(received, settings.answer_days), "due_at": ack_due,
                    "updated_at": received})
    one_star = [(i, r["branch"]) for i, (_place, r) in enumerate(rows) if r["lowest_stars"] == 1]
    return Openings([place for place, _r in rows], driver_values(conn.dialect.name, cases, OPENING_COLUMNS, out),
                    [r["received_at"] for _place, r in rows], one_star,
                    alerts.audience(conn, (branch for _i, branch in one_star)) if one_star else None)


def open_planned(conn: sa.Connection, plan: Openings, seqs: Sequence[int], now: datetime) -> None:
    """Open the planned cases (at ingest, in its write transaction) of the submissions
    numbered ``seqs`` (by place): one insert per table for the batch; a 1★ assessment
    alerts its branch."""
    if not plan.values:
        return
    from . import alerts

    ids = insert_numbered_values(conn, cases, "id", ("submission_seq", *OPENING_COLUMNS),
                                 [(seqs[place], *values) for place, values in zip(plan.places, plan.values)],
                                 unique="submission_seq")
    insert_many(conn, case_events, [{"case_id": case_id, "at": received, "event": CaseEvent.OPENED.value}
                                    for case_id, received in zip(ids, plan.received)])  # no actor, no detail: NULL
    if plan.one_star:
        alerts.notify_cases(conn, [(branch, ids[i], None) for i, branch in plan.one_star], AlertKind.NEW_ONE_STAR,
                            now, ahead=plan.audience)


def open_cases(conn: sa.Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    """Open a case for each stored submission that needs an answer, in the caller's
    transaction. ``rows``: ``seq``, ``kind``, ``branch``, ``lowest_stars``, ``received_at``."""
    open_planned(conn, plan_openings(conn, list(enumerate(rows))), [r["seq"] for r in rows], now)


# ---- deadlines: escalation and "deadline near" alerts -------------------------------------

def check_deadlines(conn: sa.Connection, *, now: datetime | None = None) -> dict[str, int]:
    """Escalate the open cases whose deadline passed (audit event, alert to the branch's
    supervisors) and alert the branch about deadlines within ``warn_hours``, once per
    deadline. Run periodically (``server/alerts.py``); returns the numbers done."""
    from . import alerts

    now = _utc(now)
    settings = case_settings(conn)
    lock = {"skip_locked": True} if conn.dialect.name == "postgresql" else None
    q = sa.select(cases.c.id, cases.c.branch_code).where(
        cases.c.due_at < now, cases.c.escalated_at.is_(None)).order_by(cases.c.id).limit(1000)
    late = conn.execute(q.with_for_update(**lock) if lock else q).all()
    for r in late:
        conn.execute(sa.update(cases).where(cases.c.id == r.id).values(escalated_at=now, due_alerted_at=now))
        _event(conn, r.id, None, CaseEvent.ESCALATED, None, now)
    alerts.notify_cases(conn, [(r.branch_code, r.id, None) for r in late], AlertKind.ESCALATED, now,
                        roles=LEADING_ROLES)
    q = sa.select(cases.c.id, cases.c.branch_code, cases.c.owner_id).where(
        cases.c.due_at >= now, cases.c.due_at < now + timedelta(hours=settings.warn_hours),
        cases.c.due_alerted_at.is_(None)).order_by(cases.c.id).limit(1000)
    near = conn.execute(q.with_for_update(**lock) if lock else q).all()
    for r in near:
        conn.execute(sa.update(cases).where(cases.c.id == r.id).values(due_alerted_at=now))
    alerts.notify_cases(conn, [(r.branch_code, r.id, r.owner_id) for r in near], AlertKind.DUE_SOON, now)
    return {"escalated": len(late), "due_soon": len(near)}


# ---- answer templates -------------------------------------------------------------------------

def templates(conn: sa.Connection, staff: Staff, branch: str) -> list[Template]:
    """A branch's answer templates (any staff member of the branch reads them)."""
    if branch not in staff.branches:
        return []
    rows = conn.execute(sa.select(answer_templates).where(answer_templates.c.branch_code == branch)
                        .order_by(answer_templates.c.name, answer_templates.c.id)).all()
    return [Template(r.id, r.branch_code, r.name, r.body, r.updated_at) for r in rows]


def save_template(conn: sa.Connection, staff: Staff, branch: str, name: str, body: str,
                  template_id: int | None = None, *, now: datetime | None = None) -> Template:
    """Create or change a template of a branch (its supervisors)."""
    now = _utc(now)
    _require_leading(staff)
    if branch not in staff.branches:
        raise CaseNotFound("no such branch among yours")
    try:
        name = clean_text(name or "", MAX_TEMPLATE_NAME)
        body = clean_text(body or "", MAX_TEMPLATE_BODY, multiline=True)
    except TextTooLong as exc:
        raise CaseInvalid(str(exc)) from None
    if not name or not body:
        raise CaseInvalid("a template needs a name and a text")
    unknown = sorted(set(re.findall(r"\{([^{}]*)\}", body)) - set(PLACEHOLDERS))
    if unknown:
        raise CaseInvalid(f"unknown placeholder {{{unknown[0]}}}; use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
    clash = conn.execute(sa.select(answer_templates.c.id).where(
        answer_templates.c.branch_code == branch, answer_templates.c.name == name)).scalar()
    if clash is not None and clash != template_id:
        raise CaseConflict(f"the branch already has a template named {name}")
    values = {"branch_code": branch, "name": name, "body": body, "updated_by": staff.user_id, "updated_at": now}
    if template_id is None:
        template_id = conn.execute(sa.insert(answer_templates).values(**values)
                                   .returning(answer_templates.c.id)).scalar_one()
    else:
        done = conn.execute(sa.update(answer_templates).where(
            answer_templates.c.id == template_id, answer_templates.c.branch_code.in_(sorted(staff.branches)))
            .values(**values)).rowcount
        if not done:
            raise CaseNotFound("no such template")
    return Template(template_id, branch, name, body, now)


def delete_template(conn: sa.Connection, staff: Staff, template_id: int | None) -> None:
    _require_leading(staff)
    done = conn.execute(sa.delete(answer_templates).where(
        answer_templates.c.id == template_id,
        answer_templates.c.branch_code.in_(sorted(staff.branches) or [""]))).rowcount if template_id else 0
    if not done:
        raise CaseNotFound("no such template")


PLACEHOLDERS = ("so_to_khai", "ngay_tiep_nhan", "doanh_nghiep", "ma_ho_so", "ma_so_thue", "han_tra_loi")


def fill_template(body: str, case: CaseDetail) -> str:
    """The template's text with the case's values in its placeholders: ``{so_to_khai}``
    (declaration number), ``{ngay_tiep_nhan}`` (date received, dd/mm/yyyy, Vietnam time),
    ``{doanh_nghiep}`` (enterprise name), ``{ma_ho_so}`` (the case's reference),
    ``{ma_so_thue}`` (tax code), ``{han_tra_loi}`` (answer due date). Other braces are kept."""
    from .timeutil import VN

    def local_day(value: datetime | None) -> str:
        if value is None:
            return ""
        return value.replace(tzinfo=timezone.utc).astimezone(VN).strftime("%d/%m/%Y")

    values = {"so_to_khai": case.declaration_number or "", "ngay_tiep_nhan": local_day(case.created_at),
              "doanh_nghiep": (case.enterprise.name or case.enterprise.tax_code) if case.enterprise else "",
              "ma_ho_so": case.ref, "ma_so_thue": case.enterprise.tax_code if case.enterprise else "",
              "han_tra_loi": local_day(case.answer_due)}
    return re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), body)


# ---- staff of a branch ------------------------------------------------------------------------

def assignable_staff(conn: sa.Connection, staff: Staff, branch: str) -> list[Staff]:
    """Processors and supervisors of one of the staff member's branches, by name."""
    if branch not in staff.branches:
        return []
    ids = conn.execute(sa.select(users.c.id).select_from(users.join(staff_branches, staff_branches.c.user_id == users.c.id))
                       .where(staff_branches.c.branch_code == branch, users.c.active == sa.true(),
                              users.c.role.in_([Role.PROCESSOR, Role.SUPERVISOR]))
                       .order_by(users.c.display_name, users.c.id)).scalars().all()
    return [s for i in ids if (s := staff_for(conn, i)) is not None]


def set_branches(conn: sa.Connection, staff: Staff, username: str, branches: Iterable[str]) -> list[str]:
    """Give a staff account its branches (administrators only); 404 for an unknown or
    enterprise account, 422 for an unknown branch."""
    require_admin(staff)
    wanted = sorted({str(b).strip().upper() for b in branches})
    row = conn.execute(sa.select(users.c.id, users.c.role).where(users.c.username == username.strip().lower())).first()
    if row is None or row.role == Role.ENTERPRISE:
        raise ApiError(404, "not_found", f"no staff account {username}")
    known = set(conn.execute(sa.select(catalog_targets.c.code).where(catalog_targets.c.kind == "branch")).scalars())
    unknown = [b for b in wanted if b not in known]
    if unknown:
        raise CaseInvalid(f"unknown branch {unknown[0]}")
    conn.execute(sa.delete(staff_branches).where(staff_branches.c.user_id == row.id))
    if wanted:
        conn.execute(sa.insert(staff_branches), [{"user_id": row.id, "branch_code": b} for b in wanted])
    return wanted


def staff_list(conn: sa.Connection, staff: Staff) -> list[dict[str, Any]]:
    """Staff accounts with their branches (administrators see all; others their branches')."""
    q = sa.select(users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.email, users.c.active) \
        .where(users.c.role != Role.ENTERPRISE).order_by(users.c.username)
    branch_rows = conn.execute(sa.select(staff_branches.c.user_id, staff_branches.c.branch_code)).all()
    by_user: dict[int, list[str]] = {}
    for uid, b in branch_rows:
        by_user.setdefault(uid, []).append(b)
    out = []
    for r in conn.execute(q).all():
        mine = sorted(by_user.get(r.id, []))
        if staff.role != Role.ADMIN and not set(mine) & staff.branches:
            continue
        out.append({"id": r.id, "username": r.username, "display_name": r.display_name, "role": Role(r.role),
                    "email": r.email if staff.role == Role.ADMIN else None, "active": bool(r.active),
                    "branches": mine})
    return out


def set_email(conn: sa.Connection, staff: Staff, username: str, email: str | None) -> None:
    """A staff account's e-mail address for alerts (administrators only)."""
    require_admin(staff)
    value = (email or "").strip() or None
    if value is not None:
        from domain.validation import InvalidEmail, normalize_email

        try:
            value = normalize_email(value)
        except InvalidEmail:
            raise CaseInvalid("not an e-mail address") from None
    done = conn.execute(sa.update(users).where(users.c.username == username.strip().lower(),
                                               users.c.role != Role.ENTERPRISE).values(email=value)).rowcount
    if not done:
        raise ApiError(404, "not_found", f"no staff account {username}")


# ---- alerts -----------------------------------------------------------------------------------

def alerts(conn: sa.Connection, staff: Staff, *, unread_only: bool = False, limit: int = 200) -> list[Alert]:
    """The staff member's console alerts, newest first (cases of branches they no longer
    work for are left out)."""
    q = sa.select(alerts_table.c.id, alerts_table.c.case_id, alerts_table.c.kind, alerts_table.c.created_at,
                  alerts_table.c.read_at, cases.c.kind.label("case_kind"), cases.c.submission_seq,
                  cases.c.branch_code) \
        .select_from(alerts_table.outerjoin(cases, cases.c.id == alerts_table.c.case_id)) \
        .where(alerts_table.c.user_id == staff.user_id)
    if unread_only:
        q = q.where(alerts_table.c.read_at.is_(None))
    rows = conn.execute(q.order_by(alerts_table.c.id.desc()).limit(limit)).all()
    return [Alert(r.id, r.case_id, _ref(r.case_kind, r.submission_seq) if r.case_id else None, AlertKind(r.kind),
                  r.created_at, r.read_at is not None)
            for r in rows if r.case_id is None or r.branch_code in staff.branches]


def unread_count(conn: sa.Connection, staff: Staff) -> int:
    """The badge: the number of unread alerts."""
    return len(alerts(conn, staff, unread_only=True, limit=1000))


def mark_alerts_read(conn: sa.Connection, staff: Staff, ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Mark some of the staff member's alerts read (others' ids are ignored)."""
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    return conn.execute(sa.update(alerts_table).where(alerts_table.c.user_id == staff.user_id,
                                                      alerts_table.c.id.in_(ids), alerts_table.c.read_at.is_(None))
                        .values(read_at=_utc(now))).rowcount


# ---- the earlier JSON inbox (server/processing.py) ---------------------------------------

def legacy_scope(conn: sa.Connection, user_id: int, seq: int) -> Any:
    """The case of a submission for the earlier ``/inbox`` endpoints: within the account's
    branches when it has any (an account without branches keeps the earlier, unscoped
    behaviour). ``CaseNotFound`` otherwise."""
    row = conn.execute(sa.select(cases).where(cases.c.submission_seq == seq)).first()
    if row is None:
        raise CaseNotFound()
    mine = set(conn.execute(sa.select(staff_branches.c.branch_code).where(staff_branches.c.user_id == user_id)).scalars())
    if mine and row.branch_code not in mine:
        raise CaseNotFound()
    return row


def legacy_review(conn: sa.Connection, user_id: int, seq: int, *, now: datetime | None = None) -> None:
    """``POST /inbox/{ref}/review``: a new or assigned case goes under review (taken by the
    caller when nobody handles it); otherwise nothing changes."""
    now = _utc(now)
    row = legacy_scope(conn, user_id, seq)
    if row.state not in (CaseState.NEW, CaseState.ASSIGNED, CaseState.REOPENED):
        return
    values = {"state": CaseState.IN_REVIEW, **_acknowledge(row, now)}
    if row.owner_id is None:
        values["owner_id"] = user_id
        _event(conn, row.id, user_id, CaseEvent.TAKEN, None, now)
    _update(conn, row, now, **values)
    _event(conn, row.id, user_id, CaseEvent.REVIEW_STARTED, None, now)


def legacy_answer(conn: sa.Connection, user_id: int, seq: int, *, verified: bool | None, outcome_text: str,
                  text: str, now: datetime | None = None) -> None:
    """``POST /inbox/{ref}/answer``: answer (or answer again) a case; ``verified`` true →
    substantiated, false → not substantiated, none → partly. The one-line outcome text is
    kept on the submission as before."""
    now = _utc(now)
    row = legacy_scope(conn, user_id, seq)
    if row.state == CaseState.CLOSED:
        raise CaseConflict("the case is closed")
    outcome = Outcome.PARTLY if verified is None else (Outcome.SUBSTANTIATED if verified else Outcome.NOT_SUBSTANTIATED)
    if row.owner_id is None:
        conn.execute(sa.update(cases).where(cases.c.id == row.id).values(owner_id=user_id))
        _event(conn, row.id, user_id, CaseEvent.TAKEN, None, now)
    _write_answer(conn, row, user_id, outcome, text, now, legacy_outcome=outcome_text)
    conn.execute(sa.update(submissions).where(submissions.c.seq == row.submission_seq).values(verified=verified))


# ---- figures for the reports -----------------------------------------------------------------

def report_figures(conn: sa.Connection, *, branches: frozenset[str] | None, branch: str | None,
                   day_from: str, day_to: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Case handling per branch for the satisfaction dashboard: of the cases opened in the
    period (Vietnam days ``day_from``..``day_to``), the share answered by their deadline and
    the median number of working days to the answer; and the cases open and overdue now.
    ``branches``: the branches the reader may see (None: all)."""
    now = now or utcnow()
    start = datetime.fromisoformat(day_from) - timedelta(hours=7)  # Vietnam midnight in naive UTC
    end = datetime.fromisoformat(day_to) + timedelta(days=1, hours=-7)
    c = cases.c
    scope = [branch] if branch else (sorted(branches) if branches is not None else None)

    def scoped(q: sa.Select) -> sa.Select:
        return q.where(c.branch_code.in_(scope)) if scope is not None else q

    answered = conn.execute(scoped(sa.select(c.branch_code, c.created_at, c.answered_at, c.answer_due)
                                   .where(c.created_at >= start, c.created_at < end,
                                          c.answered_at.is_not(None)))).all()
    current = conn.execute(scoped(sa.select(
        c.branch_code, sa.func.count().label("open"),
        sa.func.sum(sa.case((c.due_at < now, 1), else_=0)).label("overdue"))
        .where(c.state.in_([s.value for s in OPEN_CASE_STATES])).group_by(c.branch_code))).all()
    holidays = calendar.holidays(conn)
    cumulative: dict[date, int] = {}
    if answered:
        first = min(vn_date(r.created_at) for r in answered)
        last = max(vn_date(r.answered_at) for r in answered)
        count, day = 0, first
        while day <= last:
            count += calendar.is_working_day(day, holidays)
            cumulative[day] = count
            day += timedelta(days=1)
    per: dict[str, dict[str, Any]] = {}
    for r in answered:
        f = per.setdefault(r.branch_code, {"answered": 0, "on_time": 0, "days": []})
        f["answered"] += 1
        f["on_time"] += r.answered_at <= r.answer_due
        f["days"].append(cumulative[vn_date(r.answered_at)] - cumulative[vn_date(r.created_at)])
    for r in current:
        f = per.setdefault(r.branch_code, {"answered": 0, "on_time": 0, "days": []})
        f["open"], f["overdue"] = int(r.open), int(r.overdue or 0)
    out = []
    for code in sorted(per):
        f = per[code]
        days = sorted(f["days"])
        median = None
        if days:
            mid = len(days) // 2
            median = float(days[mid]) if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
        out.append({"branch": code, "answered": f["answered"],
                    "on_time_percent": round(100 * f["on_time"] / f["answered"], 1) if f["answered"] else None,
                    "median_working_days": median, "open": f.get("open", 0), "overdue": f.get("overdue", 0)})
    return out


def vn_date(value: datetime) -> date:
    """The Vietnam calendar day of a naive UTC time."""
    return (value + timedelta(hours=7)).date()
