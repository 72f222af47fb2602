"""The store's tables and secondary indexes, and bringing a file to the current schema.

Tables:

* ``declarations`` — one row per declaration; ``id`` is the row id the list model keeps in
  its ordered id array; ``number`` is unique.
* ``partners`` — distinct partner names with their accent-insensitive key, so that a
  partner search scans the partners, not a million declarations.
* ``handling`` — who handled a declaration (branch, team, stages, officials), as the
  server's feed sends it. A demo database made from :mod:`domain.demo` may instead derive
  the records from the number (``meta.handling = 'derived'``): stored records always win.
* ``marks`` — a free-form tag per (plugin, declaration), filterable and sortable in SQL.
* ``decl_search`` — the number index (:mod:`.numberindex`); ``meta`` also holds the list
  version (:mod:`.listversion`).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core import sqlite as core_sqlite

from .ddl import create_all, drop_all
from .listversion import create_version_triggers, has_version_triggers
from .numberindex import create_search_index

SCHEMA_VERSION = 2  # 2: trigram index of the numbers (substring search)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partners (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    fold TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS declarations (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    first_number   TEXT,
    branch_index   INTEGER NOT NULL DEFAULT 0,
    branch_total   INTEGER NOT NULL DEFAULT 0,
    registered_at  TEXT NOT NULL,
    office_code    TEXT NOT NULL DEFAULT '',
    type_code      TEXT NOT NULL DEFAULT '',
    direction      TEXT NOT NULL DEFAULT '',
    partner_id     INTEGER REFERENCES partners(id),
    transport      TEXT NOT NULL DEFAULT '',
    bill_of_lading TEXT NOT NULL DEFAULT '',
    invoice_no     TEXT NOT NULL DEFAULT '',
    invoice_value  REAL,
    tax_total      INTEGER,
    status         TEXT NOT NULL,
    channel        INTEGER,
    cleared_at     TEXT,
    note           TEXT NOT NULL DEFAULT '',
    owner_tax_code TEXT NOT NULL DEFAULT '',
    updated_at     TEXT
);
CREATE TABLE IF NOT EXISTS handling (
    number TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    code   TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (number, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS marks (
    plugin_id  TEXT NOT NULL,
    number     TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plugin_id, number)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS marks_value ON marks (plugin_id, value);
"""

# Secondary indexes of declarations: dropped during a bulk load, created after it.
# (x, registered_at) pairs serve "filter by x, newest first" and "sort by x" without a sort step.
INDEXES = {
    # covering: the default "newest first" order with the common filters evaluated in the
    # index (and the number for the mark probe), so first rows come without a sort
    "decl_registered": "ON declarations (registered_at, number, status, channel, direction, office_code, cleared_at, partner_id)",
    "decl_status": "ON declarations (status, registered_at)",
    "decl_channel": "ON declarations (channel, registered_at)",
    "decl_office": "ON declarations (office_code, registered_at)",
    "decl_type": "ON declarations (type_code, registered_at)",
    "decl_direction": "ON declarations (direction, registered_at)",
    "decl_partner": "ON declarations (partner_id, registered_at)",
    "decl_value": "ON declarations (invoice_value, registered_at)",
    "decl_cleared": "ON declarations (cleared_at, registered_at)",
}


class StoreError(RuntimeError):
    """The store cannot be opened or read; the message is fit for the user."""


def prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file at ``path`` (open on ``conn``) to the current schema: create it, upgrade
    an older one, add the list version's triggers when missing. Raises :class:`StoreError`
    for a file of a newer program, :class:`sqlite3.DatabaseError` for one that cannot be read."""
    _create_or_upgrade(conn, path)
    if not has_version_triggers(conn):
        with core_sqlite.transaction(conn):
            create_version_triggers(conn)


def _create_or_upgrade(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StoreError(f"the declaration store {path} was written by a newer version "
                         f"(schema {version}; this program knows {SCHEMA_VERSION})")
    with core_sqlite.transaction(conn):
        for stmt in _SCHEMA.split(";"):
            if stmt.strip():
                conn.execute(stmt)
        create_indexes(conn)
        create_search_index(conn)  # version 1 -> 2: filled from the existing rows
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def create_indexes(conn: sqlite3.Connection) -> None:
    create_all(conn, "INDEX", INDEXES)


def drop_indexes(conn: sqlite3.Connection) -> None:
    drop_all(conn, "INDEX", INDEXES)
