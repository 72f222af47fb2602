"""Request context: the app's database and settings, and the signed-in principal.

A session ends ``session_idle_seconds`` after its last use and ``token_ttl_seconds`` after
sign-in at the latest; both answer 401 ``token_expired``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import sqlalchemy as sa
from fastapi import Depends, Request

from .accounts import session_deadline
from .config import Settings
from .db import Database
from .errors import forbidden, unauthorized
from .schema import sessions, users
from .security import token_hash
from .timeutil import utcnow


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: str
    display_name: str
    tax_code: str | None
    token_hash: str


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


# a session's idle deadline is moved forward at most once a minute (one write per minute
# of use, not one per request)
TOUCH_EVERY = timedelta(seconds=60)


def current_principal(request: Request, db: Database = Depends(get_db),
                      settings: Settings = Depends(get_settings)) -> Principal:
    token = bearer_token(request)
    if not token or len(token) > 200:
        raise unauthorized("sign in first: send Authorization: Bearer <token>")
    digest = token_hash(token)
    with db.read() as conn:
        row = conn.execute(
            sa.select(sessions.c.expires_at, sessions.c.created_at, users.c.id, users.c.username, users.c.role, users.c.display_name,
                      users.c.tax_code, users.c.active)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == digest)).first()
    if row is None:
        raise unauthorized("the session is unknown or was closed; sign in again")
    now = utcnow()
    if row.expires_at <= now:
        raise unauthorized("the session has expired; sign in again", code="token_expired")
    if not row.active:
        raise unauthorized("this account is disabled")
    deadline = session_deadline(row.created_at, now, settings)
    if deadline - row.expires_at >= TOUCH_EVERY:
        with db.write() as conn:
            conn.execute(sa.update(sessions).where(sessions.c.token_hash == digest, sessions.c.expires_at > now)
                         .values(expires_at=deadline))
    return Principal(row.id, row.username, row.role, row.display_name, row.tax_code, digest)


def require(*roles: str) -> Callable[..., Principal]:
    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in roles:
            raise forbidden(f"this needs one of the roles: {', '.join(roles)}")
        return principal
    dependency.__name__ = f"require_{'_'.join(roles)}"
    return dependency


ANY_ROLE = ("enterprise", "processor", "viewer", "admin")
STAFF = ("processor", "viewer", "admin")
