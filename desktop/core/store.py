"""The local declaration store: one SQLite file (WAL), Qt-free.

One :class:`DeclarationStore` = one connection, used by one thread; every thread that reads
or writes opens its own store on the same path (WAL lets readers run while a writer
commits). The list's query worker, the list model, the sync engine and plugins each have
their own.

The class is the store's one entry point; its parts live in :mod:`desktop.core.declstore`:
the tables and their upgrade (:mod:`~desktop.core.declstore.schema`), the number index
(:mod:`~desktop.core.declstore.numberindex`), the list version the saved id arrays depend on
(:mod:`~desktop.core.declstore.listversion`), bulk loads (:mod:`~desktop.core.declstore.bulk`),
feed merges and handling records (:mod:`~desktop.core.declstore.feed`), the list's queries
(:mod:`~desktop.core.declstore.listing`), reads by number or id
(:mod:`~desktop.core.declstore.reads`) and the plugins' marks
(:mod:`~desktop.core.declstore.marks`).
"""
from __future__ import annotations

import sqlite3
from array import array
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from desktop.core import sqlite as core_sqlite

from .declstore import feed, listversion, reads, schema
from .declstore.bulk import write_declarations
from .declstore.feed import FeedProblem
from .declstore.listing import ListQuery, QueryCancelled
from .declstore.marks import marks_of, set_marks
from .declstore.partners import Partners
from .declstore.rows import ROW_COLUMNS, declaration_row, to_local_iso
from .declstore.schema import StoreError
from .query import DEFAULT_SORT, DeclarationFilter, Sort

__all__ = ["DeclarationStore", "StoreError", "QueryCancelled", "FeedProblem", "ROW_COLUMNS",
           "to_local_iso", "declaration_row"]


class DeclarationStore:
    """The declaration store at ``path`` (created when missing)."""

    def __init__(self, path: Path | str, *, timeout: float = 5.0, create: bool = True, cache_mb: int = 16):
        self.path = Path(path)
        self.feed_problems: list[tuple[str, str]] = []
        self._cache_pragma = -1000 * int(cache_mb)
        if not create and not self.path.exists():
            raise StoreError(f"the declaration store {self.path} does not exist")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = core_sqlite.connect(self.path, timeout=timeout, check_same_thread=True, pragmas={
                "foreign_keys": "OFF",
                "cache_size": self._cache_pragma,  # page cache of this connection
                "temp_store": "MEMORY",
            })
        except OSError as exc:
            raise StoreError(f"cannot open the declaration store {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the declaration store {self.path} cannot be read: {exc}") from exc
        try:
            schema.prepare(self.conn, self.path)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"the declaration store {self.path} cannot be read: {exc}") from exc
        self._partners = Partners(self.conn)
        self._query = ListQuery(self.conn, self._partners)

    def _write(self) -> core_sqlite.transaction:
        return core_sqlite.transaction(self.conn)

    def close(self) -> None:
        try:
            # Keep the planner's statistics current for stores that grow through feed
            # merges rather than a bulk load (which runs ANALYZE itself): cheap, sampled.
            self.conn.execute("PRAGMA analysis_limit=1000")
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # read-only or damaged database: statistics are only an optimisation
        try:
            self.conn.close()
        except sqlite3.Error:  # pragma: no cover - closing a broken connection
            pass

    def __enter__(self) -> "DeclarationStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- meta --------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        return listversion.read_meta(self.conn, key)

    def set_meta(self, key: str, value: str | None) -> None:
        with self._write():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def list_version(self) -> tuple[str, int, int]:
        """What the list's answers depend on: (store id, write count, largest id). Read it in
        the same transaction as the ids it describes."""
        return listversion.list_version(self.conn)

    # ---- writes ------------------------------------------------------------------------------
    def insert_many(self, declarations: Iterable[Any], *, bulk: bool | None = None,
                    batch: int = 20_000, progress: Callable[[int], None] | None = None,
                    stage: Callable[[str], None] | None = None) -> int:
        """Insert (or replace by number) declarations such as :class:`domain.demo.Declaration`
        (or :func:`declaration_row` tuples).

        ``bulk`` (default: when the store is empty) loads in one transaction with the
        secondary indexes dropped and rebuilt afterwards, which is several times faster for
        large loads. ``progress(n)`` is called after each batch, ``stage(name)`` before the
        index build ("indexes") and the statistics ("statistics"). Returns the number of rows.
        """
        if bulk is None:
            bulk = self.count() == 0
        return write_declarations(self.conn, self._partners, declarations, bulk=bulk, batch=batch,
                                  progress=progress, stage=stage, cache_pragma=self._cache_pragma)

    def upsert_from_feed(self, items: list[Mapping[str, Any]]) -> list[str]:
        """Merge feed items (docs/API.md "Declarations feed"); return the changed numbers.

        Known numbers get their status, channel, cleared_at (and office, type, registration
        time when sent) updated; unknown ones are inserted; ``handling`` replaces the stored
        records. An item that cannot be understood is skipped and listed in
        :attr:`feed_problems` as ``(number, reason)``: it never blocks the others.
        """
        self.feed_problems = []
        return feed.merge_feed(self.conn, self._partners, items, self.feed_problems)

    def set_handling(self, number: str, records: Iterable[Mapping[str, Any]]) -> None:
        clean = feed.clean_handling(records)
        with self._write():
            feed.replace_handling(self.conn, number, clean)

    def insert_handling_many(self, items: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]) -> None:
        """Store handling records of many declarations in one transaction (demo loads)."""
        feed.insert_handling_many(self.conn, items)

    def set_handling_source(self, source: str) -> None:
        """``"derived"``: declarations without stored handling records get the ones
        :func:`domain.demo.handling_for` derives from their number (demo databases)."""
        if source not in ("stored", "derived"):
            raise ValueError(source)
        self.set_meta("handling", source)

    # ---- reads -------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM declarations").fetchone()[0])

    def is_empty(self) -> bool:
        """True when the store holds no declaration (answered at once, whatever its size)."""
        return self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM declarations)").fetchone()[0] == 1

    def numbers(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT number FROM declarations")]

    def get(self, number: str) -> dict[str, Any] | None:
        return reads.get(self.conn, number)

    def ids_for_numbers(self, numbers: Iterable[str]) -> dict[str, int]:
        return reads.ids_for_numbers(self.conn, numbers)

    def rows_by_ids(self, ids: Sequence[int], mark_plugins: Sequence[str] = ()) -> dict[int, dict[str, Any]]:
        """Rows for ``ids`` (one query), each with ``marks: {plugin_id: value}`` for the
        plugins asked for (joined in SQL: a plugin column costs no extra query)."""
        return reads.rows_by_ids(self.conn, ids, mark_plugins)

    def handling(self, number: str) -> list[dict[str, str]]:
        return reads.handling(self.conn, number)

    # ---- the list's query (run on a worker thread, cancellable) ---------------------------------
    def number_ids(self, search: str) -> list[int] | None:
        """Ids of the declarations whose number contains the digits of a free search, when
        the search is a number substring (3 to 11 digits) matching at most
        :data:`~desktop.core.declstore.numberindex.NUMBER_IDS_LIMIT` declarations; otherwise
        None (the list query then uses the number range or reads the search index itself)."""
        return self._query.number_ids(search)

    def count_where(self, flt: DeclarationFilter) -> int:
        return self._query.count_where(flt)

    def select_ids(self, flt: DeclarationFilter, sort: Sort = DEFAULT_SORT, *, limit: int | None = None) -> array:
        """The ordered ids of the declarations matching ``flt`` (an ``array``), the first
        ``limit`` of them when given; :class:`QueryCancelled` when :meth:`interrupt` stopped
        it (see :meth:`ListQuery.select_ids <desktop.core.declstore.listing.ListQuery.select_ids>`)."""
        return self._query.select_ids(flt, sort, limit=limit)

    def interrupt(self) -> None:
        """Stop the query running on this store's connection (callable from any thread)."""
        self._query.interrupt()

    def explain(self, flt: DeclarationFilter, sort: Sort = DEFAULT_SORT) -> list[str]:
        """SQLite's query plan of the list query (documentation and tests)."""
        return self._query.explain(flt, sort)

    # ---- marks of plugins ----------------------------------------------------------------------
    def set_mark(self, plugin_id: str, number: str, value: str | None) -> None:
        self.set_marks(plugin_id, {number: value})

    def set_marks(self, plugin_id: str, marks: Mapping[str, str | None]) -> None:
        """Set (``None``: clear) one plugin's marks on several declarations in one transaction."""
        set_marks(self.conn, plugin_id, marks)

    def marks(self, plugin_id: str, numbers: Iterable[str]) -> dict[str, str]:
        return marks_of(self.conn, plugin_id, numbers)

