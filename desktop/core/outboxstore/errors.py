"""What the outbox raises, and its write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` that
raises :class:`DiskFull` when the disk is full (the write is rolled back; nothing stored
before is touched)."""
from __future__ import annotations

import sqlite3

from desktop.core import sqlite as core_sqlite


class OutboxError(Exception):
    pass


class InvalidSubmission(OutboxError, ValueError):
    """The item cannot be queued (not JSON, too large, bad kind); nothing was stored."""


class DuplicateId(InvalidSubmission):
    """The id is already in the outbox with a different body."""


class DiskFull(OutboxError):
    """The disk (or the outbox's allowed size) is full: this write was not made. Everything
    stored before is intact; the caller keeps what it tried to store and may try again."""

    def __init__(self, message: str = "the disk is full: the outbox cannot store more") -> None:
        super().__init__(message)


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == getattr(sqlite3, "SQLITE_FULL", 13) or "database or disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno == 28  # ENOSPC


def _disk_full(exc: BaseException) -> DiskFull | None:
    return DiskFull() if is_disk_full(exc) else None


def write(conn: sqlite3.Connection) -> core_sqlite.transaction:
    """A write transaction on ``conn`` (used as ``with write(conn) as conn: …``)."""
    return core_sqlite.transaction(conn, translate=_disk_full)
