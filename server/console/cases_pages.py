"""The console's case pages (inbox, case, templates, calendar, alerts), on the case
service ``server.cases``."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/console", include_in_schema=False)
