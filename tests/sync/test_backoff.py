"""Backoff policy and Retry-After parsing, with a deterministic clock and RNG."""
from __future__ import annotations

import random
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from desktop.core.backoff import Backoff
from desktop.core.http import parse_retry_after


class FixedRng(random.Random):
    """uniform(a, b) returns the top of the range: the ceiling of full jitter."""

    def uniform(self, a, b):
        return b


def test_ceiling_doubles_up_to_the_cap():
    b = Backoff(base=1.0, cap=60.0)
    assert [b.ceiling(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert b.ceiling(10_000) == 60.0  # no overflow after a very long outage


def test_full_jitter_stays_between_floor_and_ceiling():
    b = Backoff(base=1.0, cap=30.0, rng=random.Random(7))
    for failures in range(1, 30):
        for _ in range(50):
            d = b.delay(failures)
            assert b.floor <= d <= b.ceiling(failures)
    # jitter actually varies (not a constant delay)
    assert len({round(b.delay(5), 6) for _ in range(20)}) > 10


def test_failure_and_success_track_consecutive_failures():
    b = Backoff(base=2.0, cap=100.0, rng=FixedRng())
    assert b.failure() == 2.0
    assert b.failure() == 4.0
    assert b.failure() == 8.0
    b.success()
    assert b.failures == 0
    assert b.failure() == 2.0


def test_retry_after_is_honoured_up_to_the_cap():
    b = Backoff(base=1.0, cap=10.0, retry_after_cap=120.0, rng=FixedRng())
    assert b.failure(retry_after=42) == 42
    assert b.failure(retry_after=3600) == 120.0
    assert b.failure(retry_after=0) == b.floor  # never a busy loop


def test_parse_retry_after_seconds_and_dates():
    now = datetime(2026, 11, 20, 10, 0, 0, tzinfo=timezone.utc).timestamp()
    clock = lambda: now  # noqa: E731
    assert parse_retry_after("120", now=clock) == 120.0
    assert parse_retry_after(" 7 ", now=clock) == 7.0
    date = format_datetime(datetime(2026, 11, 20, 10, 0, 30, tzinfo=timezone.utc), usegmt=True)
    assert date.endswith("GMT")
    assert parse_retry_after(date, now=clock) == pytest.approx(30.0)
    past = format_datetime(datetime(2026, 11, 20, 9, 0, 0, tzinfo=timezone.utc), usegmt=True)
    assert parse_retry_after(past, now=clock) == 0.0
    for junk in (None, "", "soon", "-5", "nan", "Mon, 99 Foo 2026"):
        result = parse_retry_after(junk, now=clock)
        assert result is None or result == 0.0, junk
    assert parse_retry_after("-5", now=clock) == 0.0
    assert parse_retry_after("soon", now=clock) is None
