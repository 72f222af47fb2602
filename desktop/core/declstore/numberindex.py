"""Substring search of declaration numbers ("088740" finds 101088740120).

An FTS5 table with the trigram tokenizer (SQLite 3.34+) over the numbers, external content
= ``declarations``, kept in sync by triggers in the same transactions that write
declarations. A bulk load drops the triggers and rebuilds the index in one pass.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Callable, Sequence

from ..query import number_match
from .ddl import create_all, drop_all

SEARCH_TABLE = ("CREATE VIRTUAL TABLE IF NOT EXISTS decl_search USING fts5("
                "number, content='declarations', content_rowid='id', tokenize='trigram')")
SEARCH_TRIGGERS = {
    "decl_search_ai": "AFTER INSERT ON declarations BEGIN "
                      "INSERT INTO decl_search (rowid, number) VALUES (new.id, new.number); END",
    "decl_search_ad": "AFTER DELETE ON declarations BEGIN "
                      "INSERT INTO decl_search (decl_search, rowid, number) VALUES ('delete', old.id, old.number); END",
    "decl_search_au": "AFTER UPDATE OF number ON declarations BEGIN "
                      "INSERT INTO decl_search (decl_search, rowid, number) VALUES ('delete', old.id, old.number); "
                      "INSERT INTO decl_search (rowid, number) VALUES (new.id, new.number); END",
}
NUMBER_IDS_LIMIT = 5000  # more numbers than this match: the list query reads them itself


def create_search_index(conn: sqlite3.Connection) -> None:
    """Create the index and its triggers when missing; a new index is filled from the rows
    already stored (schema 1 → 2). Inside the caller's transaction."""
    had_search = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'decl_search'").fetchone() is not None
    conn.execute(SEARCH_TABLE)
    create_search_triggers(conn)
    if not had_search:
        rebuild_search_index(conn)


def rebuild_search_index(conn: sqlite3.Connection) -> None:
    """Fill the index again from every stored number (after a bulk load)."""
    conn.execute("INSERT INTO decl_search (decl_search) VALUES ('rebuild')")


def create_search_triggers(conn: sqlite3.Connection) -> None:
    create_all(conn, "TRIGGER", SEARCH_TRIGGERS)


def drop_search_triggers(conn: sqlite3.Connection) -> None:
    drop_all(conn, "TRIGGER", SEARCH_TRIGGERS)


def number_ids(run: Callable[[str, Sequence[Any]], sqlite3.Cursor], search: str) -> list[int] | None:
    """Ids of the declarations whose number contains the digits of a free search, when the
    search is a number substring (3 to 11 digits) matching at most :data:`NUMBER_IDS_LIMIT`
    declarations; otherwise None (the list query then uses the number range or reads the
    search index itself). ``run`` executes the lookup (cancellable by the list's queries)."""
    match = number_match(search)
    if match is None:
        return None
    ids = [r[0] for r in run("SELECT rowid FROM decl_search WHERE decl_search MATCH ? LIMIT ?",
                             (match, NUMBER_IDS_LIMIT + 1))]
    return ids if len(ids) <= NUMBER_IDS_LIMIT else None
