"""The declaration list's query worker: filter and sort run in SQL on a thread of their own.

It first delivers the first :data:`FIRST_ROWS` ids (a ``LIMIT`` query that an index answers
in milliseconds) so the list shows rows at once, then the whole ordered id array. A new
query interrupts the running one (``sqlite3.Connection.interrupt``); results of a replaced
query are dropped by generation number. :class:`desktop.declarations.model.DeclarationTableModel`
owns one.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from array import array
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal

from .columns import Row
from .idcache import IdArrayCache, query_key
from desktop.core.query import DeclarationFilter, Sort
from desktop.core.store import DeclarationStore, QueryCancelled, StoreError

__all__ = ["QueryWorker", "BLOCK_SIZE", "FIRST_ROWS"]

log = logging.getLogger(__name__)

BLOCK_SIZE = 200  # rows read by id at once (the model's blocks; the worker prefetches the first)
FIRST_ROWS = 1000
WORKER_CACHE_MB = 16  # page cache of the query worker's connection (index scans)


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


def _user_message(exc: BaseException) -> str:
    text = str(exc)
    if "database is locked" in text or (isinstance(exc, sqlite3.OperationalError) and "locked" in text):
        return _t("The declaration store is busy (locked by another program). Try again in a moment.")
    if isinstance(exc, StoreError):
        return text
    if isinstance(exc, sqlite3.DatabaseError):
        return _t("The declaration store cannot be read: %1").replace("%1", text)
    return _t("The declaration list failed: %1").replace("%1", f"{type(exc).__name__}: {text}")


class QueryWorker(QObject):
    """Runs list queries on its own thread and connection; only the newest request matters.

    The thread is a daemon ``threading.Thread`` (it never holds the program open and
    cannot outlive a Qt object it owns); results come back as queued signals.
    ``connection_hook(conn)`` is called once on the worker's connection (tests use it to
    make queries slow and prove they are interrupted).
    """

    partial = Signal(int, object)  # generation, first ids (array)
    finished_ids = Signal(int, object, float)  # generation, all ids, seconds
    cancelled = Signal(int)
    failed = Signal(int, str)

    def __init__(self, store_path: Path, parent: QObject | None = None, *,
                 first_rows: int = FIRST_ROWS,
                 connection_hook: Callable[[sqlite3.Connection], None] | None = None,
                 busy_timeout: float = 5.0, id_cache: IdArrayCache | None = None):
        super().__init__(parent)
        self.id_cache = id_cache  # the last large id array, saved for the next start
        self.setObjectName("declaration-query")
        self.busy_timeout = busy_timeout
        self.store_path = Path(store_path)
        self.first_rows = first_rows
        self.connection_hook = connection_hook
        self._cond = threading.Condition()
        self._pending: tuple[int, DeclarationFilter, Sort, tuple[str, ...] | None] | None = None
        self._first_block: tuple[int, tuple[str, ...], array, dict[int, Row]] | None = None
        self._running: int | None = None
        self._stop = False
        self._store: DeclarationStore | None = None
        self._thread: threading.Thread | None = None
        self.interrupts = 0  # how many running queries were interrupted (diagnostics, tests)

    def submit(self, generation: int, flt: DeclarationFilter, sort: Sort,
               prefetch_marks: Sequence[str] | None = None) -> None:
        """Queue a query; a running older one is interrupted (called from the UI thread).

        ``prefetch_marks``: also read the rows of the first :data:`BLOCK_SIZE` ids (with the
        marks of these plugins) on the worker, for :meth:`take_first_block`."""
        with self._cond:
            if self._stop:
                return
            marks = tuple(prefetch_marks) if prefetch_marks is not None else None
            self._pending = (generation, flt, sort, marks)
            if self._running is not None and self._running < generation and self._store is not None:
                self._store.interrupt()
                self.interrupts += 1
            self._cond.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="declaration-query", daemon=True)
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stop = True
            self._pending = None
            if self._running is not None and self._store is not None:
                self._store.interrupt()
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _emit(self, signal_name: str, *args: Any) -> None:
        try:
            getattr(self, signal_name).emit(*args)
        except RuntimeError:  # the receiving objects are gone (the window closed)
            with self._cond:
                self._stop = True

    def _loop(self) -> None:  # worker thread
        try:
            while True:
                with self._cond:
                    while self._pending is None and not self._stop:
                        self._cond.wait()
                    if self._stop:
                        return
                    generation, flt, sort, marks = self._pending  # type: ignore[misc]
                    self._pending = None
                    self._running = generation
                try:
                    self._execute(generation, flt, sort, marks)
                finally:
                    with self._cond:
                        self._running = None
        finally:
            with self._cond:
                store, self._store = self._store, None
            if store is not None:
                store.close()

    def _superseded(self, generation: int) -> bool:
        with self._cond:
            return self._stop or (self._pending is not None and self._pending[0] > generation)

    def take_first_block(self, generation: int, mark_plugins: Sequence[str]) -> tuple[array, dict[int, Row]] | None:
        """The rows the worker read for the first ids of query ``generation`` (UI thread),
        or None when there are none for that query and these plugin marks."""
        with self._cond:
            block, self._first_block = self._first_block, None
        if block is None or block[0] != generation or block[1] != tuple(mark_plugins):
            return None
        return block[2], block[3]

    def _prefetch(self, generation: int, store: DeclarationStore, ids: array, marks: tuple[str, ...]) -> None:
        head = ids[:BLOCK_SIZE]
        try:
            rows = store.rows_by_ids(head, marks)
        except (StoreError, sqlite3.Error):
            return  # the UI thread reads (and reports) the block itself
        with self._cond:
            self._first_block = (generation, marks, head, rows)

    def _execute(self, generation: int, flt: DeclarationFilter, sort: Sort,
                 marks: tuple[str, ...] | None = None) -> None:
        start = time.perf_counter()
        try:
            if self._store is None:
                store = DeclarationStore(self.store_path, cache_mb=WORKER_CACHE_MB, timeout=self.busy_timeout)
                store.conn.execute("PRAGMA query_only = ON")
                if self.connection_hook is not None:
                    self.connection_hook(store.conn)
                with self._cond:
                    self._store = store
            store = self._store
            key = query_key(flt, sort) if self.id_cache is not None else None
            if key is not None and self.id_cache is not None:
                saved = self.id_cache.load(key, store.list_version())
                if saved is not None:  # nothing changed since it was saved: no query at all
                    if marks is not None and not self._superseded(generation):
                        self._prefetch(generation, store, saved[:self.first_rows or BLOCK_SIZE], marks)
                    self._emit("finished_ids", generation, saved, time.perf_counter() - start)
                    return
            first = store.select_ids(flt, sort, limit=self.first_rows) if self.first_rows else None
            if first is not None and marks is not None and not self._superseded(generation):
                self._prefetch(generation, store, first, marks)
            if first is not None and len(first) < self.first_rows:
                ids = first  # that was everything
            else:
                if first is not None and not self._superseded(generation):
                    self._emit("partial", generation, first)
                if self._superseded(generation):
                    self._emit("cancelled", generation)
                    return
                if key is None:
                    ids = store.select_ids(flt, sort)
                else:
                    store.conn.execute("BEGIN")  # the version and the ids from one snapshot
                    try:
                        version = store.list_version()
                        ids = store.select_ids(flt, sort)
                    finally:
                        if store.conn.in_transaction:
                            store.conn.execute("COMMIT")
                    if self.id_cache is not None and not self._superseded(generation):
                        self.id_cache.save(key, version, ids)
        except QueryCancelled:
            self._emit("cancelled", generation)
            return
        except (StoreError, sqlite3.Error, ValueError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
                self._emit("cancelled", generation)
                return
            log.warning("declaration list query failed: %s", exc)
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                # a broken connection is not reused
                if self._store is not None:
                    self._store.close()
                    self._store = None
            self._emit("failed", generation, _user_message(exc))
            return
        self._emit("finished_ids", generation, ids, time.perf_counter() - start)
