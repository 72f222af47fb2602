"""Retry policy: exponential backoff with full jitter, ``Retry-After`` honoured up to a cap.

Pure functions of an injectable clock and random generator, so tests are deterministic.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

RETRY_AFTER_CAP = 600.0  # seconds: a server asking for longer is not obeyed beyond this


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
