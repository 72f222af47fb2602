"""Writing many declarations at once (a demo database, the first fill of a store).

A bulk load into an empty store runs in one transaction with the secondary indexes, the
number index's triggers and the list version's triggers dropped, and builds them once at the
end; into a filled store rows are upserted by number with every trigger in place.
"""
from __future__ import annotations

import sqlite3
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from desktop.core import sqlite as core_sqlite

from . import listversion, numberindex, schema
from .partners import Partners
from .rows import INSERT, UPSERT, insert_params, vn_now_text


def write_declarations(conn: sqlite3.Connection, partners: Partners, declarations: Iterable[Any], *,
                       bulk: bool, batch: int, progress: Callable[[int], None] | None,
                       stage: Callable[[str], None] | None, cache_pragma: int) -> int:
    """See :meth:`desktop.core.store.DeclarationStore.insert_many`; ``cache_pragma`` is the
    connection's usual ``cache_size``, restored after a bulk load."""
    it = iter(declarations)
    if bulk:
        _fast_load_pragmas(conn)
    try:
        with core_sqlite.transaction(conn):
            if bulk:
                schema.drop_indexes(conn)
                numberindex.drop_search_triggers(conn)  # the search index is rebuilt in one pass
                listversion.drop_version_triggers(conn)
            total = _write_batches(conn, partners, it, bulk, batch, progress)
            if bulk:
                if stage is not None:
                    stage("indexes")
                _rebuild_after_bulk(conn)
    except BaseException:
        partners.forget()  # ids of rolled-back partners are gone
        raise
    finally:
        if bulk:
            _usual_pragmas(conn, cache_pragma)
    if bulk:
        if stage is not None:
            stage("statistics")
        # full statistics: with sampled ones SQLite picks poor plans for the list queries
        conn.execute("ANALYZE")
    return total


def _fast_load_pragmas(conn: sqlite3.Connection) -> None:
    """One big transaction into an empty store: a rollback journal in memory (pages are
    written once, not to the WAL and again at checkpoint), a large page cache and helper
    threads for the index sorts. :func:`_usual_pragmas` restores everything afterwards."""
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    conn.execute("PRAGMA threads = 2")


def _usual_pragmas(conn: sqlite3.Connection, cache_pragma: int) -> None:
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = {cache_pragma}")
    conn.execute("PRAGMA threads = 0")
    conn.execute("PRAGMA journal_mode = WAL")


def _write_batches(conn: sqlite3.Connection, partners: Partners, it: Iterator[Any], bulk: bool, batch: int,
                   progress: Callable[[int], None] | None) -> int:
    now = vn_now_text()
    total = 0
    sql = INSERT if bulk else UPSERT
    while True:
        chunk = [insert_params(d, partners.id_of, now) for d in islice(it, batch)]
        if not chunk:
            return total
        if bulk:
            try:
                conn.executemany(sql, chunk)
            except sqlite3.IntegrityError:
                conn.executemany(UPSERT, chunk)  # repeated numbers: last one wins
        else:
            conn.executemany(sql, chunk)
        total += len(chunk)
        if progress is not None:
            progress(total)


def _rebuild_after_bulk(conn: sqlite3.Connection) -> None:
    """The indexes and triggers a bulk load dropped, built once over all the rows; the list
    version moves on by one."""
    schema.create_indexes(conn)
    numberindex.rebuild_search_index(conn)
    numberindex.create_search_triggers(conn)
    listversion.create_version_triggers(conn)
    conn.execute(listversion.BUMP)
