"""Opaque cursors: ``(updated_at, tie-breaker)`` pairs, base64url-encoded JSON."""
from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from .errors import ApiError


def encode(updated_at: datetime, key: Any) -> str:
    raw = json.dumps([updated_at.isoformat(timespec="microseconds"), key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, key_type: type) -> tuple[datetime, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, key = json.loads(raw)
        if not isinstance(key, key_type) or isinstance(key, bool):
            raise ValueError("bad key")
        return datetime.fromisoformat(when).replace(tzinfo=None), key
    except Exception:  # noqa: BLE001 - any malformed cursor is the client's mistake
        raise ApiError(400, "bad_request", "the cursor is not valid; start again without `since`") from None
