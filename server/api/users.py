"""Accounts, managed by administrators."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path

from .. import accounts
from ..deps import AdminDep, DbDep, SettingsDep
from ..enums import Role
from ..models import ErrorOut, UserIn, UserOut, UserPatch, UsersPage
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/users", tags=["accounts"], route_class=JsonRoute)


@router.post("", response_model=UserOut, status_code=201,
             responses={409: {"model": ErrorOut, "description": "The account exists"}})
def add_user(body: UserIn, _admin: AdminDep, db: DbDep, settings: SettingsDep) -> dict[str, Any]:
    with db.write() as conn:
        row = accounts.add_user(conn, username=body.username, password=body.password, role=body.role,
                                display_name=body.display_name, argon2_profile=settings.argon2_profile)
    return accounts.describe_user(row)


@router.get("", response_model=UsersPage)
def list_users(_admin: AdminDep, db: DbDep, role: Role | None = None) -> dict[str, Any]:
    with db.read() as conn:
        return {"items": [accounts.describe_user(r) for r in accounts.list_users(conn, role)]}


@router.patch("/{username}", response_model=UserOut, responses={404: {"model": ErrorOut}})
def patch_user(body: UserPatch, admin: AdminDep, db: DbDep, settings: SettingsDep,
               username: str = Path(max_length=64)) -> dict[str, Any]:
    """Disable or enable an account, reset its password or rename it. Disabling or a new
    password closes the account's open sessions."""
    with db.write() as conn:
        row = accounts.update_user(conn, username, acting_user_id=admin.user_id, active=body.active,
                                   display_name=body.display_name, password=body.password,
                                   argon2_profile=settings.argon2_profile)
    return accounts.describe_user(row)
