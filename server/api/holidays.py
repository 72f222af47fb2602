"""The business calendar and the case settings (administrators change them): public
holidays, deadline targets, the console's address for e-mail links, the SMTP server."""
from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from .. import alerts, calendar, cases
from ..deps import DbDep
from ..models import Text
from .cases import StaffMember, jsonable
from ..jsonbody import JsonRoute

router = APIRouter(tags=["calendar"], route_class=JsonRoute)


class HolidayIn(BaseModel):
    day: date
    name: Text = Field(min_length=1, max_length=200)


class HolidaysIn(BaseModel):
    items: list[HolidayIn] = Field(max_length=calendar.MAX_HOLIDAYS)


@router.get("/holidays")
def list_holidays(_staff: StaffMember, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        return jsonable(calendar.holiday_list(conn))


@router.put("/holidays")
def replace_holidays(body: HolidaysIn, staff: StaffMember, db: DbDep) -> list[dict[str, Any]]:
    """Replace the list of public holidays (administrators)."""
    with db.write() as conn:
        return jsonable(calendar.set_holidays(conn, staff, [(h.day, h.name) for h in body.items]))


class CaseSettingsIn(BaseModel):
    ack_days: int | None = Field(None, ge=0, le=60)
    answer_days: int | None = Field(None, ge=0, le=60)
    warn_hours: int | None = Field(None, ge=0, le=720)
    console_url: str | None = Field(None, max_length=400)


@router.get("/case-settings")
def get_case_settings(_staff: StaffMember, db: DbDep) -> dict[str, Any]:
    with db.read() as conn:
        return jsonable(cases.case_settings(conn))


@router.put("/case-settings")
def put_case_settings(body: CaseSettingsIn, staff: StaffMember, db: DbDep) -> dict[str, Any]:
    with db.write() as conn:
        return jsonable(cases.set_case_settings(conn, staff, **body.model_dump()))


class MailSettingsIn(BaseModel):
    enabled: bool | None = None
    host: str | None = Field(None, max_length=254)
    port: int | None = Field(None, ge=1, le=65535)
    sender: str | None = Field(None, max_length=254)
    starttls: bool | None = None
    user: str | None = Field(None, max_length=254)
    timeout_seconds: int | None = Field(None, ge=1, le=120)


@router.get("/mail-settings")
def get_mail_settings(staff: StaffMember, db: DbDep) -> dict[str, Any]:
    cases.require_admin(staff)
    with db.read() as conn:
        return jsonable(alerts.mail_settings(conn))


@router.put("/mail-settings")
def put_mail_settings(body: MailSettingsIn, staff: StaffMember, db: DbDep) -> dict[str, Any]:
    """SMTP settings for alert e-mails; the password is read from ``DD_SERVER_SMTP_PASSWORD``."""
    with db.write() as conn:
        return jsonable(alerts.set_mail_settings(conn, staff, **body.model_dump()))
