"""Sign-in and sign-out (bearer tokens)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from .. import accounts
from ..deps import DbDep, PrincipalDep, SettingsDep
from ..models import ErrorOut, LoginIn, LoginOut
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/auth", tags=["auth"], route_class=JsonRoute)


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:100]


@router.post("/login", response_model=LoginOut,
             responses={429: {"model": ErrorOut, "description": "Too many attempts; Retry-After given"}})
def login(body: LoginIn, request: Request, db: DbDep, settings: SettingsDep) -> dict[str, Any]:
    """Sign-in policy: docs/SERVER.md. The attempt is checked and counted in the database
    before the password is evaluated, and the evaluation takes one of this process's
    hashing slots (none free → 503 with Retry-After)."""
    return accounts.sign_in(db, request.app.state.hash_gate, settings, username=body.username,
                            password=body.password, address=client_address(request))


@router.post("/logout", status_code=204, response_class=Response)
def logout(principal: PrincipalDep, db: DbDep) -> Response:
    with db.write() as conn:
        accounts.close_session(conn, principal.token_hash)
    return Response(status_code=204)
