"""SQLite plumbing shared by every local store: opening a connection with its pragmas, one
connection per thread, ``BEGIN IMMEDIATE`` transactions, and moving a damaged file aside.

Qt-free. Plugins reach it through :mod:`desktop.plugin_api`.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

log = logging.getLogger(__name__)

#: the files SQLite keeps next to a database in WAL mode; they travel with it
COMPANIONS = ("-wal", "-shm")


def connect(path: str | os.PathLike[str], *, timeout: float = 5.0, synchronous: str = "NORMAL",
            wal: bool = True, check_same_thread: bool = False,
            pragmas: Mapping[str, Any] | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit, see :func:`transaction`)
    with a busy timeout, WAL journal, the given ``synchronous`` level and further ``pragmas``
    (name → value, applied in order)."""
    conn = sqlite3.connect(os.fspath(path), timeout=timeout, isolation_level=None,
                           check_same_thread=check_same_thread)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        if wal:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("%s could not switch to WAL mode (journal mode %s)", path, mode)
        conn.execute(f"PRAGMA synchronous={synchronous}")
        for name, value in (pragmas or {}).items():
            conn.execute(f"PRAGMA {name}={value}")
    except BaseException:
        conn.close()
        raise
    return conn


class ConnectionPool:
    """One connection per thread, made by ``factory`` on first use; :meth:`close` closes
    every connection it made."""

    def __init__(self, factory: Callable[[], sqlite3.Connection]) -> None:
        self._factory = factory
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._factory()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()


class transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error (the error goes on).

    ``lock``, when given, is held for the whole transaction (a connection shared between
    threads). ``translate`` maps an :class:`sqlite3.Error` raised by BEGIN, COMMIT or the body
    to another exception to raise instead (or None to keep it), e.g. a "disk full" error."""

    def __init__(self, conn: sqlite3.Connection, *, lock: Any = None, immediate: bool = True,
                 translate: Callable[[BaseException], BaseException | None] | None = None) -> None:
        self.conn = conn
        self.lock = lock
        self.immediate = immediate
        self.translate = translate

    def _raise_translated(self, exc: BaseException) -> None:
        if self.translate is not None:
            other = self.translate(exc)
            if other is not None:
                raise other from exc

    def __enter__(self) -> sqlite3.Connection:
        if self.lock is not None:
            self.lock.acquire()
        try:
            self.conn.execute("BEGIN IMMEDIATE" if self.immediate else "BEGIN")
        except BaseException as exc:
            if self.lock is not None:
                self.lock.release()
            self._raise_translated(exc)
            raise
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc_type is None:
                try:
                    self.conn.execute("COMMIT")
                    return False
                except sqlite3.Error as commit_exc:
                    self._rollback()
                    self._raise_translated(commit_exc)
                    raise
            self._rollback()
            if exc is not None:
                self._raise_translated(exc)
            return False
        finally:
            if self.lock is not None:
                self.lock.release()

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def damaged_name(path: str | os.PathLike[str], *, now: datetime | None = None) -> Path:
    """Where a damaged ``path`` goes: ``<stem>.damaged-<YYYYmmdd-HHMMSS>[-<n>]<suffix>`` next
    to it, the first such name that neither it nor its companions take yet (an earlier damaged
    file is never overwritten)."""
    path = Path(path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        tail = f"-{n}" if n > 1 else ""
        target = path.with_name(f"{path.stem}.damaged-{stamp}{tail}{path.suffix}")
        if not any(Path(str(target) + extra).exists() for extra in ("", *COMPANIONS)):
            return target
        n += 1


def move_aside(path: str | os.PathLike[str], *, companions: tuple[str, ...] = COMPANIONS,
               now: datetime | None = None) -> Path:
    """Move a damaged file (and its WAL companions) to :func:`damaged_name` and return the new
    path; nothing is deleted. Raises :class:`OSError` when the file cannot be moved (another
    program holds it open on Windows)."""
    path = Path(path)
    target = damaged_name(path, now=now)
    for extra in ("", *companions):
        src = Path(str(path) + extra)
        if src.exists():
            os.replace(src, Path(str(target) + extra))
    return target


# ---- IN lists ------------------------------------------------------------------------------

def chunks(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size`` (an ``IN (?,…)`` list stays under SQLite's
    limit of parameters)."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def placeholders(n: int) -> str:
    """``?,?,…`` for ``n`` parameters."""
    return ",".join("?" * n)
