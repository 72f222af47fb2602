"""Request context: the app's database and settings, and the signed-in principal, with the
``Annotated`` aliases every handler declares them with (``DbDep``, ``SettingsDep``,
``AdminDep``...).

A session ends ``session_idle_seconds`` after its last use and ``token_ttl_seconds`` after
sign-in at the latest; both answer 401 ``token_expired`` (``server.accounts``)."""
from __future__ import annotations

from typing import Annotated, Callable

from fastapi import Depends, Request

from .accounts import TOUCH_EVERY, Principal, principal_for_token
from .config import Settings
from .db import Database
from .enums import ANY_ROLE, STAFF, Role
from .errors import forbidden


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def current_principal(request: Request, db: DbDep, settings: SettingsDep) -> Principal:
    return principal_for_token(db, bearer_token(request), settings)


def require(*roles: Role) -> Callable[..., Principal]:
    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in roles:
            raise forbidden(f"this needs one of the roles: {', '.join(roles)}")
        return principal
    dependency.__name__ = f"require_{'_'.join(roles)}"
    return dependency


# ---- who may call: one alias per role set ---------------------------------------------------

PrincipalDep = Annotated[Principal, Depends(current_principal)]
"""Any signed-in account."""
AnyRoleDep = Annotated[Principal, Depends(require(*ANY_ROLE))]
EnterpriseDep = Annotated[Principal, Depends(require(Role.ENTERPRISE))]
StaffDep = Annotated[Principal, Depends(require(*STAFF))]
AdminDep = Annotated[Principal, Depends(require(Role.ADMIN))]
ProcessorDep = Annotated[Principal, Depends(require(Role.PROCESSOR))]
CaseReaderDep = Annotated[Principal, Depends(require(Role.PROCESSOR, Role.ADMIN))]
"""Who may read the processing inbox: processors and administrators."""

__all__ = ["ANY_ROLE", "STAFF", "TOUCH_EVERY", "AdminDep", "AnyRoleDep", "CaseReaderDep", "DbDep", "EnterpriseDep",
           "Principal", "PrincipalDep", "ProcessorDep", "SettingsDep", "StaffDep", "bearer_token",
           "current_principal", "get_db", "get_settings", "require"]
