"""``GET /health``: the server answers and reaches its database."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from .. import health as service
from ..deps import DbDep
from ..models import HealthOut
from ..jsonbody import JsonRoute

router = APIRouter(tags=["health"], route_class=JsonRoute)


@router.get("/health", response_model=HealthOut)
def health(db: DbDep) -> dict[str, Any]:
    return service.check(db)
