"""The outbox file (``outbox.sqlite``): its tables and columns, the states of an item, and
bringing an older outbox to the current schema in place.

Tables: ``items`` (the queue and its history), ``quarantine`` (damaged rows, byte for byte,
see :mod:`.damage`), ``meta`` (a small key/value store of the sender).
"""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from typing import Any

from .errors import OutboxError

SCHEMA_VERSION = 4  # 2: items.account; 3: number, payload_hash, pruned_at, error_kind, quarantine; 4: server_case

PENDING, INFLIGHT, ACKED, FAILED = "pending", "inflight", "acked", "failed"
STATES = (PENDING, INFLIGHT, ACKED, FAILED)
DAMAGED = "damaged"  # a quarantined row (not a state of the items table)
# what HostApi callers see (plugins): the in-flight lease is an internal detail
PUBLIC_STATE = {PENDING: "pending", INFLIGHT: "sending", ACKED: "sent", FAILED: "failed"}

_DDL = """
CREATE TABLE IF NOT EXISTS items (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    schema       INTEGER NOT NULL,
    source       TEXT,
    account      TEXT,  -- who recorded it (tax code): only that account's session sends it
    created_at   TEXT NOT NULL,
    payload      TEXT NOT NULL,
    size         INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'inflight', 'acked', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  REAL,
    last_error   TEXT,
    http_status  INTEGER,
    code         TEXT,
    message      TEXT,
    server_ref   TEXT,
    received_at  TEXT,
    acked_at     REAL,
    server_state TEXT,
    verified     INTEGER,
    outcome      TEXT,
    answer       TEXT,
    answered_at  TEXT,
    server_updated_at TEXT,
    number       TEXT,  -- the declaration number of the payload (kept after the payload is dropped)
    payload_hash TEXT,  -- sha256 of the payload as stored: idempotency after the payload is dropped
    pruned_at    REAL,  -- when the payload was dropped (retention): payload is '' from then on
    error_kind   TEXT,  -- the kind of the last transient failure (offline, timeout, busy…)
    server_case  TEXT   -- customs' case for this item (JSON from the feed): state, deadline, reopening
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
"""

COLUMNS = ("seq", "id", "kind", "schema", "source", "account", "created_at", "payload", "size", "state", "attempts",
           "lease_owner", "lease_until", "last_error", "http_status", "code", "message", "server_ref",
           "received_at", "acked_at", "server_state", "verified", "outcome", "answer", "answered_at",
           "server_updated_at", "number", "payload_hash", "pruned_at", "error_kind", "server_case")
SELECT_COLUMNS = ", ".join(COLUMNS)
_NEW_COLUMNS = {"account": "TEXT", "number": "TEXT", "payload_hash": "TEXT", "pruned_at": "REAL",
                "error_kind": "TEXT", "server_case": "TEXT"}

_INDEXES = """
CREATE INDEX IF NOT EXISTS items_open ON items(seq) WHERE state IN ('pending', 'inflight');
CREATE INDEX IF NOT EXISTS items_state ON items(state, seq);
CREATE INDEX IF NOT EXISTS items_unpruned ON items(acked_at) WHERE state='acked' AND pruned_at IS NULL
"""

# A damaged row is moved here as it is: the columns have no declared type, so every value is
# copied byte for byte (text that is not UTF-8 included) by INSERT … SELECT.
_QUARANTINE_DDL = ("CREATE TABLE IF NOT EXISTS quarantine (seq INTEGER PRIMARY KEY, "
                   + ", ".join(c for c in COLUMNS if c != "seq")
                   + ", reason TEXT, quarantined_at TEXT)")


def local_now_text() -> str:
    """The local time with its offset, as ``created_at`` and ``quarantined_at`` keep it."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def declaration_number(payload: Any) -> str | None:
    """The declaration a payload is about (assessments, reflections), else None: the
    ``number`` column, kept after the payload is dropped."""
    if isinstance(payload, dict):
        number = payload.get("declaration_number")
        if isinstance(number, str) and number:
            return number[:40]
    return None


def prepare(conn: sqlite3.Connection) -> None:
    """Create the tables, or upgrade an older outbox to :data:`SCHEMA_VERSION`, inside the
    caller's write transaction. :class:`OutboxError` for an outbox of a newer program."""
    for stmt in _statements(_DDL):
        conn.execute(stmt)
    conn.execute(_QUARANTINE_DDL)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise OutboxError(f"the outbox was written by a newer version (schema {version})")
    _add_missing_columns(conn)
    for stmt in _statements(_INDEXES):
        conn.execute(stmt)
    if version < 3:
        _fill_number_and_hash(conn)
    if version < SCHEMA_VERSION:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _statements(script: str) -> list[str]:
    return list(filter(None, (s.strip() for s in script.split(";"))))


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    columns = {r[1] for r in conn.execute("PRAGMA table_info(items)")}
    for name, kind in _NEW_COLUMNS.items():  # schema 1 → 2 → 3
        if name not in columns:
            conn.execute(f"ALTER TABLE items ADD COLUMN {name} {kind}")
    kept = {r[1] for r in conn.execute("PRAGMA table_info(quarantine)")}
    for name in COLUMNS:  # the quarantine keeps every column of items, added ones too
        if name not in kept:
            conn.execute(f"ALTER TABLE quarantine ADD COLUMN {name}")


def _fill_number_and_hash(conn: sqlite3.Connection) -> None:
    """Schema 3: what stays when a payload is dropped, the declaration number and the hash."""
    conn.execute(
        "UPDATE items SET number=json_extract(payload, '$.declaration_number') "
        "WHERE number IS NULL AND json_valid(payload) AND json_type(payload) = 'object' "
        "AND json_type(payload, '$.declaration_number') = 'text'")
    conn.create_function("outbox_sha256", 1,
                         lambda raw: hashlib.sha256(raw).hexdigest() if raw is not None else None,
                         deterministic=True)
    conn.execute("UPDATE items SET payload_hash=outbox_sha256(CAST(payload AS BLOB)) "
                 "WHERE payload_hash IS NULL AND pruned_at IS NULL")
