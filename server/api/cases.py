"""Cases (``server.cases``): the branch's inbox, one case, the actions of a role, and the
signed-in staff member's alerts. Other branches' cases answer 404, like missing ones."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from .. import cases
from ..deps import DbDep, StaffDep
from ..enums import CaseState, Outcome
from ..models import ErrorOut, Text
from ..timeutil import iso
from ..jsonbody import JsonRoute

router = APIRouter(tags=["cases"], route_class=JsonRoute)

CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}, 409: {"model": ErrorOut}}


def jsonable(value: Any) -> Any:
    """Service objects as JSON: times in ISO 8601 with the Vietnam offset."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, cases.CaseRow):
            out["deadline"] = iso(value.deadline)
        return out
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def staff_of(db: DbDep, principal: StaffDep) -> cases.Staff:
    with db.read() as conn:
        staff = cases.staff_for(conn, principal.user_id)
    if staff is None:  # pragma: no cover - StaffDep admits active staff only
        raise cases.CaseForbidden()
    return staff


StaffMember = Annotated[cases.Staff, Depends(staff_of)]


@router.get("/cases")
def list_cases(staff: StaffMember, db: DbDep, state: CaseState | None = None, owner_id: int | None = Query(None, ge=1),
               branch: str | None = Query(None, max_length=8), level: int | None = Query(None, ge=1, le=5),
               kind: Literal["assessment", "reflection"] | None = None, escalated: bool | None = None,
               page: int = Query(1, ge=1, le=100_000),
               per_page: int = Query(50, ge=1, le=cases.MAX_PER_PAGE)) -> dict[str, Any]:
    """The branch's cases: open ones overdue first then by deadline, or those of one state;
    counts per state and overdue; the escalated (overdue) cases for supervisors."""
    with db.read() as conn:
        return jsonable(cases.inbox(conn, staff, state=state, owner_id=owner_id, branch=branch, level=level,
                                    kind=kind, escalated=escalated, page=page, per_page=per_page))


@router.get("/cases/{case_id}", responses=NOT_FOUND)
def get_case(staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    """One case with its declaration, ratings, contact, notes, answer and audit trail (the
    view is recorded in the trail)."""
    with db.write() as conn:
        return jsonable(cases.get_case(conn, staff, case_id))


def _done(db: DbDep, staff: cases.Staff, case_id: int) -> dict[str, Any]:
    with db.read() as conn:
        row = conn.execute(cases.sa.select(cases.cases.c.state).where(cases.cases.c.id == case_id)).scalar_one()
    return {"id": case_id, "state": row}


@router.post("/cases/{case_id}/take", responses=NOT_FOUND)
def take_case(staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    with db.write() as conn:
        cases.take(conn, staff, case_id)
    return _done(db, staff, case_id)


class AssignIn(BaseModel):
    owner_id: int = Field(ge=1, le=2**31 - 1)


@router.post("/cases/{case_id}/assign", responses=NOT_FOUND)
def assign_case(body: AssignIn, staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    with db.write() as conn:
        cases.assign(conn, staff, case_id, body.owner_id)
    return _done(db, staff, case_id)


@router.post("/cases/{case_id}/review", responses=NOT_FOUND)
def review_case(staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    with db.write() as conn:
        cases.start_review(conn, staff, case_id)
    return _done(db, staff, case_id)


class NoteIn(BaseModel):
    text: Text = Field(min_length=1, max_length=cases.MAX_NOTE)


@router.post("/cases/{case_id}/notes", responses=NOT_FOUND)
def note_case(body: NoteIn, staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    with db.write() as conn:
        cases.add_note(conn, staff, case_id, body.text)
    return _done(db, staff, case_id)


class CaseAnswerIn(BaseModel):
    outcome: Outcome
    text: Text = Field(min_length=1, max_length=cases.MAX_ANSWER)


@router.post("/cases/{case_id}/answer", responses=NOT_FOUND)
def answer_case(body: CaseAnswerIn, staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    with db.write() as conn:
        cases.answer(conn, staff, case_id, outcome=body.outcome, text=body.text)
    return _done(db, staff, case_id)


@router.post("/cases/{case_id}/close", responses=NOT_FOUND)
def close_case(staff: StaffMember, db: DbDep, case_id: CaseId) -> dict[str, Any]:
    with db.write() as conn:
        cases.close(conn, staff, case_id)
    return _done(db, staff, case_id)


# ---- alerts ----

@router.get("/alerts")
def list_alerts(staff: StaffMember, db: DbDep, unread_only: bool = False) -> dict[str, Any]:
    """The signed-in staff member's alerts, newest first, and the number unread (the badge)."""
    with db.read() as conn:
        items = cases.alerts(conn, staff, unread_only=unread_only)
        unread = cases.unread_count(conn, staff)
    return {"items": jsonable(items), "unread": unread}


class AlertsReadIn(BaseModel):
    ids: list[int] = Field(max_length=1000)


@router.post("/alerts/read")
def read_alerts(body: AlertsReadIn, staff: StaffMember, db: DbDep) -> dict[str, Any]:
    with db.write() as conn:
        marked = cases.mark_alerts_read(conn, staff, body.ids)
        unread = cases.unread_count(conn, staff)
    return {"marked": marked, "unread": unread}
