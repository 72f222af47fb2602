"""Customs' processing inbox: reflections and low ratings to verify and answer."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from ..jsonbody import JsonRoute
from fastapi import APIRouter, Path, Query

from .. import processing
from ..deps import CaseReaderDep, DbDep, ProcessorDep
from ..enums import InboxFilter
from ..models import AnswerIn, ErrorOut, InboxPage

router = APIRouter(prefix="/inbox", tags=["processing"], route_class=JsonRoute)

ServerRef = Annotated[str, Path(max_length=20, pattern=processing.REF_PATTERN)]


@router.get("", response_model=InboxPage)
def inbox(_p: CaseReaderDep, db: DbDep, state: InboxFilter = InboxFilter.OPEN,
          since: str | None = Query(None, max_length=200), limit: int = Query(100, ge=1, le=500),
          kind: Literal["assessment", "reflection"] | None = None) -> dict[str, Any]:
    with db.read() as conn:
        return processing.inbox_page(conn, state=state, kind=kind, since=since, limit=limit)


@router.get("/{server_ref}", response_model=None,
            responses={200: {"description": "One inbox item"}, 404: {"model": ErrorOut}})
def inbox_item(_p: CaseReaderDep, db: DbDep, server_ref: ServerRef) -> dict[str, Any]:
    with db.read() as conn:
        return processing.inbox_item(conn, server_ref)


@router.post("/{server_ref}/review", responses={404: {"model": ErrorOut}})
def start_review(principal: ProcessorDep, db: DbDep, server_ref: ServerRef) -> dict[str, Any]:
    """Mark an item as being verified (state ``in_review``); the enterprise sees the change."""
    with db.write() as conn:
        return processing.start_review(conn, server_ref, user_id=principal.user_id)


@router.post("/{server_ref}/answer", responses={404: {"model": ErrorOut}})
def answer(body: AnswerIn, principal: ProcessorDep, db: DbDep, server_ref: ServerRef) -> dict[str, Any]:
    with db.write() as conn:
        return processing.answer(conn, server_ref, answered_by=principal.user_id, verified=body.verified,
                                 outcome=body.outcome, answer=body.answer)
