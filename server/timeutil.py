"""Times: stored as naive UTC, shown with the Vietnam offset (+07:00)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache

VN = timezone(timedelta(hours=7), "ICT")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_utc_naive(value: datetime) -> datetime:
    """Aware → naive UTC; a naive value is taken as Vietnam local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


@lru_cache(maxsize=4096)
def _iso(value: datetime) -> str:
    return value.replace(tzinfo=timezone.utc).astimezone(VN).isoformat(timespec="seconds")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # some drivers hand back text
        value = datetime.fromisoformat(value)
    return _iso(value)


def vn_day(value: datetime) -> str:
    """The Vietnam calendar day of a naive UTC time."""
    return value.replace(tzinfo=timezone.utc).astimezone(VN).date().isoformat()
