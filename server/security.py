"""Passwords (Argon2id), bearer tokens (random; only their hash is stored), the sign-in
limits (kept in the database, so they hold across server processes) and the bound on
concurrent password hashing (per process).

Sign-in policy (docs/SERVER.md, "Sign-in policy"): before a password is evaluated, one
short write transaction locks the counter rows of the attempt's scopes, checks them and
counts the attempt (:func:`admit_login`); only then is the password hashed. A successful
sign-in gives its count back (:func:`settle_login`). So concurrent attempts, in one process
or many, never evaluate more passwords than the limits allow.

* per (account, address): at most ``max_per_pair`` failures in a fixed window → 429;
* per address: at most ``max_per_address`` failures in the window → 429;
* per account, from any address: after ``account_free`` failures each further evaluation
  waits a delay that doubles (1, 2, 4 … s) up to ``account_max_delay``; never a lock, and
  addresses the account signed in from successfully in the last ``known_days`` days do not
  wait at all (strangers can slow an account down, not lock its owner out).
"""
from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Callable, Iterator

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .schema import login_limits

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


@dataclass(frozen=True)
class LoginPolicy:
    window: int = 15 * 60
    max_per_pair: int = 10
    max_per_address: int = 50
    account_free: int = 5
    account_max_delay: int = 60
    known_days: int = 30

    def account_delay(self, failures: int) -> int:
        """Seconds before the account's next evaluation after ``failures`` counted failures."""
        if failures < self.account_free:
            return 0
        return min(2 ** min(failures - self.account_free, 30), self.account_max_delay)


@dataclass(frozen=True)
class Admission:
    """An admitted attempt: the scope rows it was counted in."""
    pair: str
    address: str
    account: str
    known: str


def _seconds_until(when: datetime, now: datetime) -> int:
    return max(int((when - now).total_seconds() + 0.999), 1)


def _ensure_rows(conn: sa.Connection, keys: list[str], now: datetime) -> None:
    rows = [{"scope_key": k, "count": 0, "started_at": now, "not_before": None} for k in keys]
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(login_limits).on_conflict_do_nothing(index_elements=["scope_key"]), rows)


def admit_login(conn: sa.Connection, account: str, address: str, now: datetime, policy: LoginPolicy) -> Admission:
    """Check and count one sign-in attempt, atomically, before its password is evaluated.

    ``conn`` is in a write transaction (SQLite: ``BEGIN IMMEDIATE``, so writers are serial;
    PostgreSQL: the scope rows are locked with ``SELECT … FOR UPDATE`` in key order).
    Raises :class:`RateLimited` without counting anything when a limit is reached."""
    adm = Admission(pair=f"pair:{account}|{address}", address=f"address:{address}", account=f"account:{account}",
                    known=f"known:{account}|{address}")
    keys = sorted((adm.pair, adm.address, adm.account))
    _ensure_rows(conn, keys, now)
    rows = {r.scope_key: r for r in conn.execute(
        sa.select(login_limits).where(login_limits.c.scope_key.in_(keys + [adm.known]))
        .order_by(login_limits.c.scope_key).with_for_update())}
    window = timedelta(seconds=policy.window)
    fresh = {k: (rows[k].count if rows[k].started_at > now - window else 0) for k in keys}
    waits = []
    for key, limit in ((adm.pair, policy.max_per_pair), (adm.address, policy.max_per_address)):
        if fresh[key] >= limit:
            waits.append(_seconds_until(rows[key].started_at + window, now))
    known = rows.get(adm.known)
    is_known = known is not None and known.started_at > now - timedelta(days=policy.known_days)
    acc = rows[adm.account]
    if (not is_known and fresh[adm.account] >= policy.account_free and acc.not_before is not None
            and acc.not_before > now):
        waits.append(_seconds_until(acc.not_before, now))
    if waits:
        raise RateLimited(max(waits))
    for key in (adm.pair, adm.address):
        started = rows[key].started_at if fresh[key] else now
        conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == key)
                     .values(count=fresh[key] + 1, started_at=started))
    failures = fresh[adm.account] + 1
    conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == adm.account)
                 .values(count=failures, started_at=now,
                         not_before=now + timedelta(seconds=policy.account_delay(failures))))
    return adm


def settle_login(conn: sa.Connection, adm: Admission, now: datetime, *, signed_in: bool) -> None:
    """Give back the count of an admitted attempt that did not fail: it signed in
    (``signed_in``: the address becomes known for the account) or its password was never
    evaluated (the server was busy)."""
    for key in (adm.pair, adm.address, adm.account):
        conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == key, login_limits.c.count > 0)
                     .values(count=login_limits.c.count - 1))
    if signed_in:
        if conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == adm.known)
                        .values(started_at=now)).rowcount == 0:
            _ensure_rows(conn, [adm.known], now)
    else:
        conn.execute(sa.update(login_limits).where(login_limits.c.scope_key == adm.account)
                     .values(not_before=None))


def forget_old_limits(conn: sa.Connection, now: datetime, policy: LoginPolicy) -> None:
    """Keep the table small: counters whose window ended long ago, and old known addresses."""
    old_counter = now - timedelta(seconds=max(policy.window, policy.account_max_delay) * 4)
    conn.execute(sa.delete(login_limits).where(
        login_limits.c.started_at < old_counter, ~login_limits.c.scope_key.startswith("known:")))
    conn.execute(sa.delete(login_limits).where(
        login_limits.c.started_at < now - timedelta(days=policy.known_days), login_limits.c.scope_key.startswith("known:")))


class HashBusy(Exception):
    """Every password-hashing slot of this process is taken."""


class HashGate:
    """Bounds the number of passwords hashed at once in one process, so that a burst of
    sign-ins cannot take the server's memory: each Argon2id evaluation holds the profile's
    memory cost (64 MiB for ``production``) for its duration. ``slots`` comes from the
    memory allowed for hashing divided by that cost."""

    WAIT_SECONDS = 0.25  # a short wait for a slot smooths a burst; beyond it: HashBusy

    def __init__(self, memory_mib: int, profile: str = "production") -> None:
        per_hash_kib = PROFILES.get(profile, PROFILES["production"])["memory_cost"]
        self.slots = max(1, (memory_mib * 1024) // per_hash_kib)
        self._sem = threading.BoundedSemaphore(self.slots)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        if not self._sem.acquire(timeout=self.WAIT_SECONDS):
            raise HashBusy()
        try:
            yield
        finally:
            self._sem.release()

    def verify(self, stored_hash: str, password: str, check: Callable[[str, str], bool] | None = None) -> bool:
        with self.slot():
            return (check or verify_password)(stored_hash, password)


def login_policy(settings) -> LoginPolicy:  # noqa: ANN001 - server.config.Settings
    return LoginPolicy(window=settings.login_window_seconds, max_per_pair=settings.login_max_per_account_address,
                       max_per_address=settings.login_max_per_address,
                       account_free=settings.login_account_free_failures,
                       account_max_delay=settings.login_account_max_delay_seconds,
                       known_days=settings.login_known_address_days)
