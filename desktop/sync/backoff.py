"""Retry policy: exponential backoff with full jitter, ``Retry-After`` honoured up to a cap.

Pure functions of an injectable clock and random generator, so tests are deterministic.
"""
from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Callable

RETRY_AFTER_CAP = 600.0  # seconds: a server asking for longer is not obeyed beyond this


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    Returns None when the header is absent or unreadable; never a negative number.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unreadable
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT
        import datetime as _dt
        when = when.replace(tzinfo=_dt.timezone.utc)
    return max(0.0, when.timestamp() - now())


@dataclass
class Backoff:
    """Delay before the next attempt after ``failures`` consecutive failures.

    ``delay = uniform(0, min(cap, base * 2**(failures-1)))`` (full jitter, AWS architecture
    blog); a ``Retry-After`` from the server replaces it, capped at ``retry_after_cap``.
    A floor keeps a busy loop impossible even when the jitter draws zero.
    """

    base: float = 1.0
    cap: float = 300.0
    retry_after_cap: float = RETRY_AFTER_CAP
    floor: float = 0.05
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def ceiling(self, failures: int) -> float:
        exponent = min(max(failures - 1, 0), 62)
        return min(self.cap, self.base * (2 ** exponent))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return max(self.floor, min(float(retry_after), self.retry_after_cap))
        return max(self.floor, self.rng.uniform(0.0, self.ceiling(failures)))

    def failure(self, retry_after: float | None = None) -> float:
        """Record a failure; return the delay before the next attempt."""
        self.failures += 1
        return self.delay(self.failures, retry_after)

    def success(self) -> None:
        self.failures = 0
