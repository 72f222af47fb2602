"""The catalog of what an enterprise can rate (ETag: its version)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from .. import catalog
from ..deps import AdminDep, AnyRoleDep, DbDep
from ..models import CatalogOut, CatalogUpdateIn
from ..jsonbody import JsonRoute

router = APIRouter(prefix="/catalog", tags=["catalog"], route_class=JsonRoute)


def _etag(data: dict[str, Any]) -> str:
    return f'"{data["version"]}"'


def _matches(if_none_match: str, etag: str) -> bool:
    return if_none_match.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]


@router.get("", response_model=CatalogOut, responses={304: {"description": "Not modified (If-None-Match matched)"}})
def get_catalog(request: Request, _p: AnyRoleDep, db: DbDep) -> Any:
    with db.read() as conn:
        data = catalog.read_catalog(conn)
    etag = _etag(data)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    return JSONResponse(CatalogOut.model_validate(data).model_dump(), headers=headers)


@router.put("", response_model=CatalogOut)
def put_catalog(body: CatalogUpdateIn, _admin: AdminDep, db: DbDep) -> Any:
    with db.write() as conn:
        data = catalog.update_catalog(conn, [t.model_dump() for t in body.targets])
    return JSONResponse(CatalogOut.model_validate(data).model_dump(), headers={"ETag": _etag(data)})
