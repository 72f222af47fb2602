"""One SQL layer for SQLite (embedded default) and PostgreSQL (production).

``Database.read()`` and ``Database.write()`` hand out a connection inside a transaction.
On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` (the write lock is taken at
once, so two writers never deadlock on a lock upgrade) and every connection uses WAL and a
busy timeout; the writers of one process queue on a lock of their own first, so they take
turns at once instead of in SQLite's busy handler, which sleeps between tries. On
PostgreSQL the pool pre-pings and connections time out.
"""
from __future__ import annotations

import contextlib
import sqlite3
import threading
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
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                                  pool_size=pool_size, max_overflow=8, pool_timeout=30)

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

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        turn = self._write_turn
        if turn is not None and not turn.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):  # as SQLite's busy timeout
            raise sa.exc.OperationalError("BEGIN IMMEDIATE", None,
                                          sqlite3.OperationalError("database is locked (by another writer)"))
        try:
            with self.engine.connect() as conn:
                if turn is not None:
                    conn.execution_options(sqlite_immediate=True)
                with conn.begin():
                    yield conn
        finally:
            if turn is not None:
                turn.release()

    def dispose(self) -> None:
        self.engine.dispose()
