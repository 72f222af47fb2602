"""The server's own state, as ``GET /api/v1/health`` reports it."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from . import __version__
from .db import Database


def check(db: Database) -> dict[str, Any]:
    """Reach the database (an unreachable one raises, answered 503 by the API) and report
    the server's version and the database kind."""
    with db.read() as conn:
        conn.execute(sa.text("SELECT 1"))
    return {"ok": True, "version": __version__, "database": db.dialect}
