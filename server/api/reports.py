"""Satisfaction reports for customs staff."""
from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query

from .. import reports
from ..deps import DbDep, StaffDep
from ..enums import ReportGrouping
from ..models import ReportOut
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/reports", tags=["reports"], route_class=JsonRoute)


@router.get("/satisfaction", response_model=ReportOut, response_model_by_alias=True)
def satisfaction_report(_p: StaffDep, db: DbDep,
                        date_from: date | None = Query(None, alias="from"),
                        date_to: date | None = Query(None, alias="to"),
                        group_by: ReportGrouping = ReportGrouping.NONE,
                        branch: str | None = Query(None, max_length=8, pattern=r"^[A-Za-z0-9]+$")) -> dict[str, Any]:
    with db.read() as conn:
        return reports.satisfaction(conn, date_from=date_from, date_to=date_to, group_by=group_by, branch=branch)
