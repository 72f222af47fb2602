"""Staff accounts and their branches (administrators assign branches and e-mail addresses)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from .. import cases
from ..deps import DbDep
from ..models import ErrorOut
from .cases import StaffMember, jsonable
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/staff", tags=["cases"], route_class=JsonRoute)


@router.get("")
def list_staff(staff: StaffMember, db: DbDep) -> list[dict[str, Any]]:
    """Staff accounts with their branches (administrators: all; others: their branches')."""
    with db.read() as conn:
        return jsonable(cases.staff_list(conn, staff))


class StaffPatch(BaseModel):
    branches: list[str] | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)


@router.patch("/{username}", responses={404: {"model": ErrorOut}})
def update_staff(body: StaffPatch, staff: StaffMember, db: DbDep,
                 username: str = Path(max_length=64)) -> dict[str, Any]:
    with db.write() as conn:
        cases.require_admin(staff)
        if body.branches is not None:
            cases.set_branches(conn, staff, username, body.branches)
        if "email" in body.model_fields_set:
            cases.set_email(conn, staff, username, body.email)
        row = next((s for s in cases.staff_list(conn, staff) if s["username"] == username.strip().lower()), None)
    if row is None:
        raise cases.CaseNotFound(f"no staff account {username}")
    return jsonable(row)
