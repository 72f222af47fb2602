"""HTTP API v1 (``docs/API.md``): one router per resource, all under ``/api/v1``.

Handlers are thin: they parse the request, call a service module of ``server`` (which
holds the SQL and the rules, and is usable without HTTP) and shape the response."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..models import ErrorOut
from . import (
    auth, cases, catalog, codes, declarations, health, holidays, processing, reports, staff, submissions, templates,
    users,
)

PREFIX = "/api/v1"

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad request"},
    401: {"model": ErrorOut, "description": "Not signed in, or the session expired (`token_expired`)"},
    403: {"model": ErrorOut, "description": "The account's role may not do this"},
    413: {"model": ErrorOut, "description": "Body too large"},
    422: {"model": ErrorOut, "description": "Validation error"},
    503: {"model": ErrorOut, "description": "Database unavailable; Retry-After given"},
}

router = APIRouter(prefix=PREFIX, responses=ERRORS)
# the order is the OpenAPI description's order
for _module in (health, auth, users, catalog, declarations, submissions, processing, cases, templates, holidays, staff,
                reports, codes):
    router.include_router(_module.router)

__all__ = ["ERRORS", "PREFIX", "router"]
