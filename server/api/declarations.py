"""The declarations feed, and the clearance system's stand-in writes (administrators)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from .. import declarations
from ..deps import AdminDep, AnyRoleDep, DbDep
from ..enums import Role
from ..models import DeclarationIn, DeclarationOut, DeclarationsPage
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/declarations", tags=["declarations"], route_class=JsonRoute)


@router.get("", response_model=DeclarationsPage)
def list_declarations(principal: AnyRoleDep, db: DbDep,
                      since: str | None = Query(None, max_length=200),
                      limit: int = Query(500, ge=1, le=1000),
                      tax_code: str | None = Query(None, max_length=14, pattern=r"^\d{10}(-\d{3})?$",
                                                   description="staff only: one enterprise")) -> dict[str, Any]:
    # an enterprise sees its own declarations whatever it asks for (none without a tax code)
    owner = (principal.tax_code or "") if principal.role == Role.ENTERPRISE else (tax_code or None)
    with db.read() as conn:
        return declarations.page(conn, owner_tax_code=owner, since=since, limit=limit)


@router.put("/{number}", response_model=DeclarationOut)
def put_declaration(body: DeclarationIn, _admin: AdminDep, db: DbDep,
                    number: str = Path(pattern=r"^\d{12}$")) -> dict[str, Any]:
    """What the clearance system reports about a declaration (the stand-in feed's source)."""
    with db.write() as conn:
        return declarations.record(
            conn, number, owner_tax_code=body.owner_tax_code, office_code=body.office_code,
            type_code=body.type_code, registered_at=body.registered_at, status=body.status, channel=body.channel,
            cleared_at=body.cleared_at, partner=body.partner, total_value=body.total_value, currency=body.currency,
            handled_by=[(h.kind, h.code) for h in body.handling])
