"""Answer templates of a branch (``server.cases``): its staff read them, its supervisors
keep them."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from .. import cases
from ..deps import DbDep
from ..models import ErrorOut, Text
from .cases import StaffMember, jsonable
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/templates", tags=["cases"], route_class=JsonRoute)

TemplateId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class TemplateIn(BaseModel):
    branch: str = Field(min_length=1, max_length=8)
    name: Text = Field(min_length=1, max_length=cases.MAX_TEMPLATE_NAME)
    body: Text = Field(min_length=1, max_length=cases.MAX_TEMPLATE_BODY)


@router.get("")
def list_templates(staff: StaffMember, db: DbDep, branch: str = Query(max_length=8)) -> list[dict[str, Any]]:
    with db.read() as conn:
        return jsonable(cases.templates(conn, staff, branch))


@router.post("", status_code=201, responses={403: {"model": ErrorOut}, 409: {"model": ErrorOut}})
def create_template(body: TemplateIn, staff: StaffMember, db: DbDep) -> dict[str, Any]:
    with db.write() as conn:
        return jsonable(cases.save_template(conn, staff, body.branch, body.name, body.body))


@router.put("/{template_id}", responses={404: {"model": ErrorOut}, 409: {"model": ErrorOut}})
def update_template(body: TemplateIn, staff: StaffMember, db: DbDep, template_id: TemplateId) -> dict[str, Any]:
    with db.write() as conn:
        return jsonable(cases.save_template(conn, staff, body.branch, body.name, body.body, template_id))


@router.delete("/{template_id}", status_code=204, responses={404: {"model": ErrorOut}})
def delete_template(staff: StaffMember, db: DbDep, template_id: TemplateId) -> None:
    with db.write() as conn:
        cases.delete_template(conn, staff, template_id)
