"""The list's queries: the ordered ids and the count of the declarations a filter selects.

They run on the list's worker thread and may be stopped from another thread
(:meth:`ListQuery.interrupt`) when a newer query replaces them. The SQL is built by
:mod:`desktop.core.query`; the partners and numbers a free search matches are looked up
first, so SQLite plans with literal ids.
"""
from __future__ import annotations

import sqlite3
import sys
import threading
from array import array
from contextlib import contextmanager
from itertools import chain
from typing import Any, Iterator, Sequence

from ..query import DEFAULT_SORT, DeclarationFilter, Sort, count_sql, select_ids_sql
from . import numberindex
from .partners import Partners


class QueryCancelled(Exception):
    """A query was interrupted because a newer one replaced it."""


class ListQuery:
    """The list's queries on one store connection."""

    def __init__(self, conn: sqlite3.Connection, partners: Partners) -> None:
        self.conn = conn
        self.partners = partners
        self._lock = threading.Lock()  # guards the cancel flag used by interrupt()
        self._cancelled = False

    @contextmanager
    def _cancellable(self) -> Iterator[None]:
        """Runs a query :meth:`interrupt` may stop: raises :class:`QueryCancelled` then."""
        with self._lock:
            self._cancelled = False
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc) and self._cancelled:
                raise QueryCancelled() from exc
            raise

    def _run(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        with self._cancellable():
            return self.conn.execute(sql, params)

    def interrupt(self) -> None:
        """Stop the query running on this connection (callable from any thread)."""
        with self._lock:
            self._cancelled = True
        try:
            self.conn.interrupt()
        except sqlite3.ProgrammingError:  # closed meanwhile
            pass

    def number_ids(self, search: str) -> list[int] | None:
        """See :func:`.numberindex.number_ids` (cancellable)."""
        return numberindex.number_ids(self._run, search)

    def _where_args(self, flt: DeclarationFilter) -> tuple[list[int] | None, list[int] | None]:
        return self.partners.matching(flt.search), self.number_ids(flt.search)

    def count_where(self, flt: DeclarationFilter) -> int:
        sql, params = count_sql(flt, *self._where_args(flt))
        return int(self._run(sql, params).fetchone()[0])

    def select_ids(self, flt: DeclarationFilter, sort: Sort = DEFAULT_SORT, *, limit: int | None = None) -> array:
        """The ordered ids of the declarations matching ``flt`` (an ``array``), the first
        ``limit`` of them when given.

        The whole result is read packed: SQLite concatenates fixed-width hexadecimal ids
        into one string inside a single step (during which Python's GIL is released), and
        Python turns it into an array with two C calls. Reading a million rows one tuple at
        a time would instead hold the GIL for most of the query and make the UI thread wait
        for it on every paint. Another thread may call :meth:`interrupt` to stop it: it
        raises :class:`QueryCancelled`.
        """
        with self._cancellable():
            sql, params = select_ids_sql(flt, sort, *self._where_args(flt))
            if limit is not None:
                return array("q", chain.from_iterable(self.conn.execute(sql + " LIMIT ?", [*params, int(limit)])))
            top = self.conn.execute("SELECT max(id) FROM declarations").fetchone()[0] or 0
            typecode, width = ("I", 8) if top < 2**32 and array("I").itemsize == 4 else ("q", 16)
            packed = self.conn.execute(
                f"SELECT group_concat(printf('%0{width}x', id), '') FROM ({sql})", params).fetchone()[0]
            ids = array(typecode)
            if packed:
                ids.frombytes(bytes.fromhex(packed))
                if sys.byteorder == "little":
                    ids.byteswap()  # printf wrote big-endian digits
            return ids

    def explain(self, flt: DeclarationFilter, sort: Sort = DEFAULT_SORT) -> list[str]:
        """SQLite's query plan of the list query (documentation and tests)."""
        sql, params = select_ids_sql(flt, sort, *self._where_args(flt))
        return [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
