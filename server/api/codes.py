"""Reference codes: public labels, no sign-in needed."""
from __future__ import annotations

from typing import Any

from ..jsonbody import JsonRoute
from fastapi import APIRouter

from domain.codes import STATUSES, TARGET_KINDS

router = APIRouter(tags=["catalog"], route_class=JsonRoute)


@router.get("/codes")
def codes() -> dict[str, Any]:
    return {"statuses": {k: {"vi": c.vi, "en": c.en} for k, c in STATUSES.items()},
            "target_kinds": {k: {"vi": c.vi, "en": c.en} for k, c in TARGET_KINDS.items()}}
