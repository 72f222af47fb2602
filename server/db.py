"""One SQL layer for SQLite (embedded default) and PostgreSQL (production).

``Database.read()`` and ``Database.write()`` hand out a connection inside a transaction.
On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` (the write lock is taken at
once, so two writers never deadlock on a lock upgrade) and every connection uses WAL and a
busy timeout; the writers of one process queue on a lock of their own first, and the
writer processes of one database file (``serve --workers N``) on a lock file beside it
(``<database>-writer.lock``), so they take turns at once instead of in SQLite's busy
handler, which sleeps up to 100 ms between tries. On PostgreSQL the pool pre-pings and
connections time out.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 15_000
# The WAL is copied back into the database file (a checkpoint) once it holds this many pages
# (4 KiB each): SQLite's default of 1,000 made every fourth ingest batch copy and sync the
# pages it had just written; at 4,000 a page that several batches change (an index's, a
# summary's) is copied once for all of them. After a checkpoint the WAL is cut back to
# ``SQLITE_WAL_KEEP_BYTES``.
SQLITE_WAL_CHECKPOINT_PAGES = 4_000
SQLITE_WAL_KEEP_BYTES = 64 * 1024 * 1024


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "<invalid database URL>"


def create_engine(url: str, *, pool_size: int = 8) -> sa.Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # the connection used last is handed out first: its page cache is the likeliest to be
        # current (SQLite drops a connection's whole cache when another one has written since)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                                  pool_size=pool_size, max_overflow=8, pool_timeout=30, pool_use_lifo=True)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CHECKPOINT_PAGES}")
            cur.execute(f"PRAGMA journal_size_limit={SQLITE_WAL_KEEP_BYTES}")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA cache_size=-16384")  # 16 MiB of page cache per connection
            cur.execute("PRAGMA mmap_size=268435456")  # read through the OS page cache
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                                pool_timeout=30, connect_args={"connect_timeout": 10})
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")


class _FileTurn:
    """The write turn among the processes that write one SQLite file: an exclusive lock on
    a lock file beside it (``flock``; byte 0 through ``msvcrt`` on Windows), tried without
    blocking and again after a short sleep (0.2 ms growing to 1 ms) until a deadline, so a
    waiting writer starts within a millisecond of the one before it. The operating system
    releases it when its process ends, however it ends. Lock files are not the database:
    SQLite's own locks on the database file are untouched (on Linux ``flock`` and the POSIX
    locks SQLite uses do not interact, and the database file is never opened here)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def _try(self, fd: int) -> bool:
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)  # msvcrt locks from the file's position
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):  # flock, msvcrt: another process writes
            return False
        return True

    def acquire(self, timeout: float) -> bool:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fd, deadline, pause = self._fd, time.monotonic() + timeout, 0.0002
        while not self._try(fd):
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.001)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            os.lseek(self._fd, 0, os.SEEK_SET)
            msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL; None for an in-memory database."""
    path = make_url(normalise_url(url)).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return os.path.abspath(path)


class Database:
    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size)
        self.dialect = self.engine.dialect.name  # "sqlite" | "postgresql"
        # SQLite has one writer at a time: this process's writers wait here (woken as soon as
        # the writer before them commits) rather than in SQLite's busy handler (which sleeps
        # up to 100 ms between tries), for as long as SQLite would wait, then fail as SQLite
        # would (503 "unavailable"). Re-entrant: a nested write in the same thread reaches
        # SQLite's busy timeout as before instead of blocking forever.
        self._write_turn = threading.RLock() if self.dialect == "sqlite" else None
        self._write_depth = 0  # nested writes of the thread holding the turn
        # ... and the writers of other processes (``serve --workers N``) on a lock file
        path = _sqlite_file(url) if self.dialect == "sqlite" else None
        self._file_turn = _FileTurn(path + "-writer.lock") if path else None

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        turn = self._write_turn
        if turn is None:
            with self.engine.connect() as conn:
                with conn.begin():
                    yield conn
            return
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000  # as long as SQLite's busy timeout
        if not turn.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise _locked("another writer of this process")
        file_turn = self._file_turn if self._write_depth == 0 else None  # a nested write holds it already
        try:
            if file_turn is not None and not file_turn.acquire(max(0.0, deadline - time.monotonic())):
                raise _locked("another server process")
            self._write_depth += 1
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(sqlite_immediate=True)
                    with conn.begin():
                        yield conn
            finally:
                self._write_depth -= 1
                if file_turn is not None:
                    file_turn.release()
        finally:
            turn.release()

    def dispose(self) -> None:
        self.engine.dispose()
        if self._file_turn is not None:
            self._file_turn.close()


def _locked(by: str) -> sa.exc.OperationalError:
    """The error SQLite gives a writer whose busy timeout ran out (the API answers 503)."""
    return sa.exc.OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(f"database is locked (by {by})"))
