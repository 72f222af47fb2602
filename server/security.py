"""Passwords (Argon2id), bearer tokens (random; only their hash is stored) and the login
rate limit (kept in the database, so it holds across server instances)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .schema import login_attempts

# "production": argon2-cffi's RFC 9106 low-memory profile (Argon2id, t=3, 64 MiB, p=4).
# "low": for tests and the local demo only (Argon2id, t=1, 1 MiB, p=1).
PROFILES = {
    "production": dict(time_cost=3, memory_cost=64 * 1024, parallelism=4),
    "low": dict(time_cost=1, memory_cost=1024, parallelism=1),
}


@lru_cache(maxsize=None)
def hasher(profile: str = "production") -> PasswordHasher:
    if profile not in PROFILES:
        raise SystemExit(f"unknown Argon2 profile {profile!r}: use production or low")
    return PasswordHasher(**PROFILES[profile])


def hash_password(password: str, profile: str = "production") -> str:
    return hasher(profile).hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(stored_hash, password)  # parameters come from the hash
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so that the answer takes the
# same time whether or not the username is known.
@lru_cache(maxsize=None)
def dummy_hash(profile: str) -> str:
    return hash_password(secrets.token_urlsafe(16), profile)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"too many attempts; retry in {retry_after} s")
        self.retry_after = retry_after


def check_login_rate(conn: sa.Connection, keys: list[tuple[str, int]], now: datetime, window: int) -> None:
    """Raise :class:`RateLimited` when any ``(scope_key, limit)`` had ``limit`` failed attempts
    in the sliding window; Retry-After is when the oldest counted attempt leaves it."""
    since = now - timedelta(seconds=window)
    worst = 0
    for key, limit in keys:
        rows = conn.execute(
            sa.select(login_attempts.c.at).where(login_attempts.c.scope_key == key, login_attempts.c.at > since)
            .order_by(login_attempts.c.at.desc()).limit(limit)).scalars().all()
        if len(rows) >= limit:
            oldest = rows[-1]
            wait = int((oldest + timedelta(seconds=window) - now).total_seconds()) + 1
            worst = max(worst, max(wait, 1))
    if worst:
        raise RateLimited(worst)


def record_failed_login(conn: sa.Connection, keys: list[str], now: datetime, window: int) -> None:
    conn.execute(sa.insert(login_attempts), [{"scope_key": k, "at": now} for k in keys])
    # keep the table small: forget attempts that left the window long ago
    conn.execute(sa.delete(login_attempts).where(login_attempts.c.at < now - timedelta(seconds=window * 4)))
