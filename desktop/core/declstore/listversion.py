"""The list version: what a saved id array of the list depends on.

Every write to the declarations bumps ``meta.list_version`` (triggers, so writes of any
program version count): an id array saved with a version is still the list's answer while
the version is unchanged (see :class:`desktop.declarations.idcache.IdArrayCache`).
``meta.list_store`` names this store file, so an array saved for another file never
applies. No schema version is needed: the triggers are added when missing, and an older
program keeps them firing.
"""
from __future__ import annotations

import os
import sqlite3

from .ddl import create_all, drop_all

BUMP = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'list_version'"
VERSION_TRIGGERS = {
    "decl_version_ai": f"AFTER INSERT ON declarations BEGIN {BUMP}; END",
    "decl_version_ad": f"AFTER DELETE ON declarations BEGIN {BUMP}; END",
    "decl_version_au": f"AFTER UPDATE ON declarations BEGIN {BUMP}; END",
}


def has_version_triggers(conn: sqlite3.Connection) -> bool:
    """True when the triggers and the store's id are all there (nothing to write)."""
    have = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'decl_version_%'")}
    return have == set(VERSION_TRIGGERS) and read_meta(conn, "list_store") is not None


def create_version_triggers(conn: sqlite3.Connection) -> None:
    """Give the store its id and counter and create the triggers, where missing."""
    # a random id (os.urandom: importing uuid cost start-up time)
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('list_store', ?)", (os.urandom(16).hex(),))
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('list_version', '0')")
    create_all(conn, "TRIGGER", VERSION_TRIGGERS)


def drop_version_triggers(conn: sqlite3.Connection) -> None:
    """For a bulk load: one bump for the whole load (:data:`BUMP`), not one per row."""
    drop_all(conn, "TRIGGER", VERSION_TRIGGERS)


def list_version(conn: sqlite3.Connection) -> tuple[str, int, int]:
    """(store id, write count, largest id). Read it in the same transaction as the ids it
    describes."""
    store = read_meta(conn, "list_store") or ""
    version = int(read_meta(conn, "list_version") or 0)
    top = conn.execute("SELECT max(id) FROM declarations").fetchone()[0] or 0
    return store, version, int(top)


def read_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """The store's ``meta`` value of ``key`` (None when not set)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None
