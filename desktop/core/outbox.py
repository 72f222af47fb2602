"""The durable outbox: a local SQLite queue of everything the user submits.

Rules (see ``docs/OUTBOX.md``):

* **Write first.** :meth:`Outbox.submit` commits the item (WAL, ``synchronous=FULL``,
  ``BEGIN IMMEDIATE``, busy timeout) before any network call; when it returns the item
  survives a crash or a power cut. The client UUID is the item's identity and its
  idempotency key on the server.
* **States**: ``pending`` → ``inflight`` (claimed under a lease by the one sender) →
  ``acked`` (the server stored it, now or before) or ``failed`` (the server rejected this
  item: a dead letter kept with the server's reason). A transient failure puts in-flight
  items back to ``pending``. Nothing is deleted and queued items never expire.
* **FIFO**: items are claimed in the order they were recorded.
* **Payloads** are versioned JSON (``kind``, ``schema``, ``payload``), NFC-normalised,
  never pickle.
* **Corruption**: :meth:`Outbox.open` runs an integrity check; a damaged file (or an empty,
  0-byte one) is moved aside (never deleted) and a fresh outbox is started;
  ``recovered_from`` names the old file. A single damaged row (text that is not UTF-8, a
  payload that is not JSON, a value of the wrong type) is **quarantined** on its own: moved
  byte for byte to the ``quarantine`` table, shown as damaged, never sent; every other item
  goes on being sent and read.
* **Retention**: once the server acknowledged an item and ``retention_days`` passed, its
  payload (names, phone numbers…) is dropped; id, hash, state, server reference, dates and
  declaration number stay as history and for idempotency.
* **Disk space**: the write-ahead log is bounded (checkpoint every
  ``WAL_AUTOCHECKPOINT_PAGES`` pages, truncated to ``JOURNAL_SIZE_LIMIT``); a full disk
  raises :class:`DiskFull` and nothing already stored is lost.

This module has no Qt: the sync engine, the Qt service and the tests all drive it directly.
One SQLite connection per thread.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

from desktop.core import sqlite as core_sqlite
from domain.text import nfc

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4  # 2: items.account; 3: number, payload_hash, pruned_at, error_kind, quarantine; 4: server_case
BUSY_TIMEOUT_MS = 10_000
MAX_ITEM_BYTES = 1_000_000  # a single payload must fit comfortably in a 2 MiB batch
# The write-ahead log is checkpointed every 100 pages (~400 KB) instead of SQLite's 1,000
# (~4 MB) and cut back to 512 KiB afterwards: on a nearly full disk the space goes to items,
# not to the log (one submission writes ~6 pages to the log).
WAL_AUTOCHECKPOINT_PAGES = 100
JOURNAL_SIZE_LIMIT = 512 * 1024
RETENTION_DAYS = 30  # payloads of acknowledged items are dropped after this many days
PRUNE_EVERY_S = 3600.0

PENDING, INFLIGHT, ACKED, FAILED = "pending", "inflight", "acked", "failed"
# a refusal that settles the item: the server already holds what it stands for
SETTLED_ELSEWHERE = "already_assessed"
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

_COLUMNS = ("seq", "id", "kind", "schema", "source", "account", "created_at", "payload", "size", "state", "attempts",
            "lease_owner", "lease_until", "last_error", "http_status", "code", "message", "server_ref",
            "received_at", "acked_at", "server_state", "verified", "outcome", "answer", "answered_at",
            "server_updated_at", "number", "payload_hash", "pruned_at", "error_kind", "server_case")
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
                   + ", ".join(c for c in _COLUMNS if c != "seq")
                   + ", reason TEXT, quarantined_at TEXT)")

# Column kinds, for the damage check of a row.
_TEXT_REQUIRED = ("id", "kind", "created_at", "state", "payload")
_TEXT_OPTIONAL = ("source", "account", "lease_owner", "last_error", "code", "message", "server_ref", "received_at",
                  "server_state", "outcome", "answer", "answered_at", "server_updated_at", "number", "payload_hash",
                  "error_kind")
_INT_REQUIRED = ("schema", "size", "attempts")
_INT_OPTIONAL = ("http_status", "verified")
_REAL_OPTIONAL = ("lease_until", "acked_at", "pruned_at")


def _damage_sql() -> str:
    """An SQL expression: NULL for a sound row, else why it cannot be used. Types and JSON are
    checked by SQLite itself; UTF-8 by one call of ``outbox_bad_utf8`` over every text value
    (joined with an ASCII separator, so a truncated sequence cannot mend with the next value)."""
    wrong_type = " OR ".join(
        [f"typeof({c})!='text'" for c in _TEXT_REQUIRED]
        + [f"typeof({c}) NOT IN ('text','null')" for c in _TEXT_OPTIONAL]
        + [f"typeof({c})!='integer'" for c in _INT_REQUIRED]
        + [f"typeof({c}) NOT IN ('integer','null')" for c in _INT_OPTIONAL]
        + [f"typeof({c}) NOT IN ('real','integer','null')" for c in _REAL_OPTIONAL])
    # the long payload last: each || copies what came before it
    joined = "||'|'||".join([c for c in _TEXT_REQUIRED if c != "payload"] + [f"coalesce({c},'')" for c in _TEXT_OPTIONAL]
                            + ["payload"])
    return ("CASE"
            f" WHEN {wrong_type} THEN 'a value has the wrong type'"
            f" WHEN outbox_bad_utf8(CAST({joined} AS BLOB)) THEN 'text that is not valid UTF-8'"
            " WHEN state NOT IN ('pending','inflight','acked','failed') THEN 'unknown state'"
            " WHEN length(id)!=36 THEN 'the id is not a UUID'"
            " WHEN schema < 1 THEN 'the schema is not a positive number'"
            " WHEN pruned_at IS NULL AND NOT json_valid(payload) THEN 'the payload is not JSON'"
            " WHEN pruned_at IS NOT NULL AND state!='acked' THEN 'the payload of an unsent item is missing'"
            " END")


_DAMAGE = _damage_sql()


def _bad_utf8(raw: bytes | None) -> int:
    if raw is None:
        return 0
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return 1
    return 0


class Undecodable(str):
    """Text read from the outbox that is not valid UTF-8: shown with replacement characters,
    the stored bytes in ``raw``. Reading never fails on such a value."""

    raw: bytes = b""


def _text_factory(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text = Undecodable(raw.decode("utf-8", "replace"))
        text.raw = raw
        return text


def _readable(value: Any) -> str | None:
    """A recovered text value, or None when it is not sound text."""
    return value if isinstance(value, str) and not isinstance(value, Undecodable) else None


def payload_hash(payload_json: str) -> str:
    return hashlib.sha256(payload_json.encode("utf-8")).hexdigest()


def declaration_number(payload: Any) -> str | None:
    """The declaration a payload is about (assessments, reflections), else None."""
    if isinstance(payload, dict):
        number = payload.get("declaration_number")
        if isinstance(number, str) and number:
            return number[:40]
    return None


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == getattr(sqlite3, "SQLITE_FULL", 13) or "database or disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno == 28  # ENOSPC


class OutboxError(Exception):
    pass


class InvalidSubmission(OutboxError, ValueError):
    """The item cannot be queued (not JSON, too large, bad kind); nothing was stored."""


class DuplicateId(InvalidSubmission):
    """The id is already in the outbox with a different body."""


class DiskFull(OutboxError):
    """The disk (or the outbox's allowed size) is full: this write was not made. Everything
    stored before is intact; the caller keeps what it tried to store and may try again."""

    def __init__(self, message: str = "the disk is full: the outbox cannot store more") -> None:
        super().__init__(message)


def normalise(value: Any, path: str = "payload") -> Any:
    """Deep copy with every string NFC-normalised; refuse anything that is not plain JSON."""
    if isinstance(value, str):
        return nfc(value)
    if value is None or isinstance(value, bool) or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidSubmission(f"{path}: numbers must be finite")
        return value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InvalidSubmission(f"{path}: keys must be text")
            out[nfc(k)] = normalise(v, f"{path}.{k}")
        return out
    if isinstance(value, (list, tuple)):
        return [normalise(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise InvalidSubmission(f"{path}: {type(value).__name__} cannot be sent (JSON values only)")


def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Claimed:
    """One item taken for sending, with its wire form ready."""

    id: str
    wire: str  # the JSON object for the batch, already serialised

    @staticmethod
    def build(item_id: str, kind: str, schema: int, created_at: str, payload_json: str) -> "Claimed":
        wire = ('{"id":' + json.dumps(item_id) + ',"kind":' + json.dumps(kind, ensure_ascii=False)
                + ',"schema":' + str(int(schema)) + ',"created_at":' + json.dumps(created_at)
                + ',"payload":' + payload_json + "}")
        return Claimed(item_id, wire)


def batch_body(items: Sequence[Claimed]) -> bytes:
    return ('{"items":[' + ",".join(c.wire for c in items) + "]}").encode("utf-8")


class Outbox:
    """The outbox store. Thread-safe: each thread gets its own SQLite connection."""

    def __init__(self, path: str | os.PathLike[str], *, clock=time.time, _checked: bool = False,
                 retention_days: float | None = RETENTION_DAYS) -> None:
        self.path = Path(path)
        self.clock = clock
        self.recovered_from: Path | None = None
        self.recovered_reason: str | None = None  # "empty" (0 bytes) or "damaged"
        self.retention_days = retention_days
        self._last_prune: float | None = None
        self._pool = core_sqlite.ConnectionPool(self._connect)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not _checked:
            self.recovered_from = self._check_or_move_aside()
        self._init_schema()
        # rows damaged on disk (a flipped byte) are set apart at start: one bad row never blocks the
        # rest. Here only the rows still to be sent (quick: the queue is short); the sync engine
        # checks the whole history once per run, in its own thread.
        self.quarantined_at_open = self.quarantine_damaged(open_only=True)
        self.prune_if_due()

    # -- opening, integrity ----------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], **kwargs: Any) -> "Outbox":
        return cls(path, **kwargs)

    def _connect(self) -> sqlite3.Connection:
        conn = core_sqlite.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, synchronous="FULL", pragmas={
            "wal_autocheckpoint": WAL_AUTOCHECKPOINT_PAGES,
            "journal_size_limit": JOURNAL_SIZE_LIMIT,
            "secure_delete": "ON",  # dropped payloads are overwritten, not left in free space
        })
        conn.text_factory = _text_factory  # a byte flipped on disk never makes a whole read fail
        conn.create_function("outbox_bad_utf8", 1, _bad_utf8, deterministic=True)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._pool.get()

    def _check_or_move_aside(self) -> Path | None:
        if not self.path.exists():
            return None
        problem = None
        if self.path.stat().st_size == 0:
            # SQLite writes its header as soon as an outbox is created (WAL mode): an empty file
            # is a damaged one (cut by a full disk, a copy that failed), not a new outbox
            problem = "the file is empty (0 bytes)"
        else:
            problem = self._integrity_problem()
        if problem is None:
            return None
        self.recovered_reason = "empty" if problem.startswith("the file is empty") else "damaged"
        return self._move_aside(problem)

    def _integrity_problem(self) -> str | None:
        problem = None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
                if rows != ["ok"]:
                    problem = "; ".join(map(str, rows[:5]))
                else:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                    if tables and "items" not in tables:
                        problem = "the file is not an outbox"
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
        return problem

    def _move_aside(self, problem: str) -> Path:
        try:
            target = core_sqlite.move_aside(self.path)
        except OSError as exc:  # Windows: another copy of the program still has it open
            raise OutboxError(f"the outbox {self.path} is damaged ({problem}) and cannot be moved aside "
                              f"({exc.strerror or exc}); close every copy of the program and start again") from exc
        log.error("the outbox %s is damaged (%s); it was moved to %s and a new one is started",
                  self.path, problem, target)
        return target

    def _init_schema(self) -> None:
        with self._write() as conn:
            for stmt in filter(None, (s.strip() for s in _DDL.split(";"))):
                conn.execute(stmt)
            conn.execute(_QUARANTINE_DDL)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutboxError(f"the outbox was written by a newer version (schema {version})")
            columns = {r[1] for r in conn.execute("PRAGMA table_info(items)")}
            for name, kind in _NEW_COLUMNS.items():  # schema 1 → 2 → 3
                if name not in columns:
                    conn.execute(f"ALTER TABLE items ADD COLUMN {name} {kind}")
            kept = {r[1] for r in conn.execute("PRAGMA table_info(quarantine)")}
            for name in _COLUMNS:  # the quarantine keeps every column of items, added ones too
                if name not in kept:
                    conn.execute(f"ALTER TABLE quarantine ADD COLUMN {name}")
            for stmt in filter(None, (s.strip() for s in _INDEXES.split(";"))):
                conn.execute(stmt)
            if version < 3:
                # what stays when a payload is dropped: the declaration number and the hash
                conn.execute(
                    "UPDATE items SET number=json_extract(payload, '$.declaration_number') "
                    "WHERE number IS NULL AND json_valid(payload) AND json_type(payload) = 'object' "
                    "AND json_type(payload, '$.declaration_number') = 'text'")
                conn.create_function("outbox_sha256", 1,
                                     lambda raw: hashlib.sha256(raw).hexdigest() if raw is not None else None,
                                     deterministic=True)
                conn.execute("UPDATE items SET payload_hash=outbox_sha256(CAST(payload AS BLOB)) "
                             "WHERE payload_hash IS NULL AND pruned_at IS NULL")
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self._pool.close()

    def _write(self):
        return core_sqlite.transaction(self.conn, translate=_disk_full)

    # -- damaged rows ------------------------------------------------------------------
    def quarantine_damaged(self, seqs: Iterable[int] | None = None, *, open_only: bool = False) -> int:
        """Move damaged rows (all of them, those of ``seqs``, or with ``open_only`` those waiting
        or refused) to the quarantine table, byte for byte, and return how many. They are never
        sent; the others are not affected. The search reads without blocking writers (about
        9 ms per 1,000 rows); only the damaged rows are moved in a write transaction."""
        if seqs is not None:
            found = [int(x) for x in seqs]
        else:
            where = "state IN ('pending', 'inflight', 'failed') AND " if open_only else ""
            found = [r[0] for r in self.conn.execute(f"SELECT seq FROM items WHERE {where}({_DAMAGE}) IS NOT NULL")]
        if not found:
            return 0
        cols = ", ".join(_COLUMNS)
        with self._write() as conn:
            bad = conn.execute(f"SELECT seq, {_DAMAGE} FROM items WHERE seq IN (SELECT value FROM json_each(?)) "
                               f"AND ({_DAMAGE}) IS NOT NULL", (json.dumps(found),)).fetchall()
            now = _now_iso()
            for seq, reason in bad:
                conn.execute(f"INSERT OR REPLACE INTO quarantine ({cols}, reason, quarantined_at) "
                             f"SELECT {cols}, ?, ? FROM items WHERE seq=?", (reason, now, seq))
                conn.execute("DELETE FROM items WHERE seq=?", (seq,))
        for seq, reason in bad:
            log.error("outbox item #%s is damaged (%s): it is set apart in the quarantine table, "
                      "the other items go on being sent", seq, reason)
        return len(bad)

    def damaged_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]

    def list_damaged(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Quarantined rows with what can be recovered (id, kind, dates, declaration number when
        readable); the stored bytes themselves stay untouched in the table."""
        out = []
        for row in self.conn.execute(
                f"SELECT {', '.join(_COLUMNS)}, reason, quarantined_at FROM quarantine ORDER BY seq DESC LIMIT ?",
                (limit,)):
            raw = dict(zip(_COLUMNS + ("reason", "quarantined_at"), row))
            item = {c: None for c in _COLUMNS}
            item.update({"seq": raw["seq"], "state": DAMAGED, "damaged": True, "reason": _readable(raw["reason"]),
                         "quarantined_at": _readable(raw["quarantined_at"])})
            for c in ("id", "kind", "created_at", "account", "source", "server_ref", "received_at", "answered_at",
                      "number"):
                item[c] = _readable(raw[c])
            for c in ("acked_at",):
                item[c] = raw[c] if isinstance(raw[c], (int, float)) else None
            item["sent"] = raw["state"] == ACKED
            if item["number"] is None:
                item["number"] = _number_from_damaged(raw["payload"])
            out.append(item)
        return out

    # -- recording -------------------------------------------------------------------
    def submit(self, kind: str, payload: Any, *, schema: int = 1, source: str | None = None,
               item_id: str | None = None, account: str | None = None) -> str:
        """Record one submission durably; return its UUID. No network is touched.

        ``account`` (the signed-in tax code) binds the item to that account: a declarant who
        works for several enterprises never sends one enterprise's item with another's
        sign-in. Items without an account go with whoever is signed in."""
        if not isinstance(kind, str) or not kind or len(kind) > 40 or not kind.replace("_", "").isalnum():
            raise InvalidSubmission("kind must be a short name such as 'assessment'")
        if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
            raise InvalidSubmission("schema must be a positive whole number")
        clean = normalise(payload)
        payload_json = json.dumps(clean, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        size = len(payload_json.encode("utf-8"))
        if size > MAX_ITEM_BYTES:
            raise InvalidSubmission(f"the submission is too large ({size} bytes, at most {MAX_ITEM_BYTES})")
        if item_id is None:
            item_id = str(uuid.uuid4())
        else:
            try:
                item_id = str(uuid.UUID(item_id))
            except (ValueError, AttributeError, TypeError):
                raise InvalidSubmission("the item id must be a UUID") from None
        created_at = _now_iso()
        digest = payload_hash(payload_json)
        with self._write() as conn:
            row = conn.execute("SELECT kind, schema, payload_hash, CAST(payload AS BLOB), pruned_at FROM items "
                               "WHERE id=?", (item_id,)).fetchone()
            if row is not None:
                stored = row[2] or (hashlib.sha256(row[3]).hexdigest() if row[4] is None and row[3] else None)
                if (row[0], row[1], stored) != (kind, schema, digest):
                    raise DuplicateId(f"{item_id} is already queued with a different content")
                return item_id
            conn.execute(
                "INSERT INTO items (id, kind, schema, source, account, created_at, payload, size, number, "
                "payload_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (item_id, kind, schema, source, account, created_at, payload_json, size,
                 declaration_number(clean), digest))
        return item_id

    # -- the sender's side -------------------------------------------------------------
    def reset_stale(self, *, keep_owner: str | None = None) -> int:
        """Return in-flight items to pending (called by the sender that holds the lock)."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET state='pending', lease_owner=NULL, lease_until=NULL "
                "WHERE state='inflight' AND (lease_owner IS NULL OR lease_owner IS NOT ?)", (keep_owner,))
            return cur.rowcount

    def claim(self, owner: str, *, limit: int = 500, max_bytes: int = 1_900_000,
              lease_seconds: float = 120.0, account: str | None = None) -> list[Claimed]:
        """Take the oldest pending items (and in-flight ones whose lease ran out) under a lease.

        With ``account``, only that account's items and items without one are taken."""
        now = self.clock()
        damaged = False
        with self._write() as conn:
            rows = conn.execute(
                f"SELECT seq, id, kind, schema, created_at, payload, size, {_DAMAGE} FROM items "
                "WHERE state IN ('pending', 'inflight') AND (state='pending' OR lease_until < ?) "
                "AND (? IS NULL OR account IS NULL OR account = ?) "
                "ORDER BY seq LIMIT ?", (now, account, account, limit)).fetchall()
            taken: list[Claimed] = []
            seqs: list[int] = []
            total = 20
            for seq, item_id, kind, schema, created_at, payload, size, problem in rows:
                if problem is not None:  # damaged on disk since the start: set apart below, never sent
                    damaged = True
                    continue
                if taken and total + size + 200 > max_bytes:
                    break
                total += size + 200
                taken.append(Claimed.build(item_id, kind, schema, created_at, payload))
                seqs.append(seq)
            if seqs:
                conn.execute(
                    "UPDATE items SET state='inflight', lease_owner=?, lease_until=?, attempts=attempts+1 "
                    "WHERE seq IN (SELECT value FROM json_each(?))",
                    (owner, now + lease_seconds, json.dumps(seqs)))
        if damaged:
            self.quarantine_damaged([r[0] for r in rows if r[-1] is not None])
            if not taken:
                return self.claim(owner, limit=limit, max_bytes=max_bytes, lease_seconds=lease_seconds,
                                  account=account)
        return taken

    def release(self, owner: str, ids: Iterable[str], error: str | None, kind: str | None = None) -> int:
        """Put items this owner holds back to pending after a transient failure. ``kind`` names
        the failure (offline, timeout, busy, …) so that the window can say it in the user's
        language; ``error`` is the technical detail."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET state='pending', lease_owner=NULL, lease_until=NULL, last_error=?, error_kind=? "
                "WHERE state='inflight' AND lease_owner=? AND id IN (SELECT value FROM json_each(?))",
                (error, kind if error is not None else None, owner, json.dumps(list(ids))))
            return cur.rowcount

    def apply_results(self, owner: str, results: Sequence[dict[str, Any]]) -> list[str]:
        """Apply per-item answers of one batch in one transaction; return the ids changed."""
        now = self.clock()
        acked, failed, again = [], [], []
        for r in results:
            status = r.get("status")
            http_status = r.get("http_status")
            http_status = http_status if isinstance(http_status, int) and not isinstance(http_status, bool) else None
            code = _text(r.get("code"), 80)
            message = _text(r.get("message"), 2000)
            if status == "rejected" and code == SETTLED_ELSEWHERE:
                # the declaration's final assessment exists (sent from another workstation of
                # the enterprise): settled, not a dead letter for the user to correct
                acked.append((http_status, code, message, _text(r.get("server_ref"), 80),
                              _text(r.get("received_at"), 64), now, r["id"]))
            elif status in ("accepted", "duplicate"):
                acked.append((http_status or (201 if status == "accepted" else 200), code, message,
                              _text(r.get("server_ref"), 80), _text(r.get("received_at"), 64), now, r["id"]))
            elif status == "rejected" and (http_status is None or 400 <= http_status <= 499):
                failed.append((http_status, code or "rejected", message or "rejected by the server",
                               owner, r["id"]))
            else:  # a per-item server trouble: try again later
                again.append(r["id"])
        with self._write() as conn:
            conn.executemany(
                "UPDATE items SET state='acked', http_status=?, code=?, message=?, server_ref=?, received_at=?, "
                "acked_at=?, lease_owner=NULL, lease_until=NULL, last_error=NULL, error_kind=NULL "
                "WHERE id=? AND state!='acked'", acked)
            conn.executemany(
                "UPDATE items SET state='failed', http_status=?, code=?, message=?, "
                "lease_owner=NULL, lease_until=NULL, last_error=NULL, error_kind=NULL "
                "WHERE state='inflight' AND lease_owner=? AND id=?", failed)
            if again:
                conn.execute(
                    "UPDATE items SET state='pending', lease_owner=NULL, lease_until=NULL, error_kind='busy', "
                    "last_error='the server could not process this item; it will be sent again' "
                    "WHERE state='inflight' AND lease_owner=? AND id IN (SELECT value FROM json_each(?))",
                    (owner, json.dumps(again)))
        return [r["id"] for r in results]

    def fail(self, owner: str, item_id: str, http_status: int | None, code: str, message: str) -> None:
        """Dead-letter one in-flight item the server refused as a whole request."""
        with self._write() as conn:
            conn.execute(
                "UPDATE items SET state='failed', http_status=?, code=?, message=?, lease_owner=NULL, "
                "lease_until=NULL WHERE state='inflight' AND lease_owner=? AND id=?",
                (http_status, code, message[:2000], owner, item_id))

    def retry_failed(self, ids: Iterable[str]) -> int:
        """The user asks to send dead letters again (same id, same content)."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET state='pending', last_error=NULL, error_kind=NULL WHERE state='failed' "
                "AND id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))
            return cur.rowcount

    def update_server_status(self, items: Iterable[dict[str, Any]]) -> list[str]:
        """Merge the server's processing state and answers (``GET /submissions``)."""
        rows = []
        for it in items:
            if not isinstance(it, dict) or not isinstance(it.get("id"), str):
                continue
            verified = it.get("verified")
            rows.append((_text(it.get("state"), 40), None if verified is None else int(bool(verified)),
                         _text(it.get("outcome"), 200), _text(it.get("answer"), 10000),
                         _text(it.get("answered_at"), 64), _text(it.get("updated_at"), 64),
                         case_json(it.get("case")), _text(it.get("server_ref"), 80), it["id"]))
        if not rows:
            return []
        changed = []
        with self._write() as conn:
            for row in rows:
                cur = conn.execute(
                    "UPDATE items SET server_state=?, verified=?, outcome=?, answer=?, answered_at=?, "
                    "server_updated_at=?, server_case=?, server_ref=COALESCE(server_ref, ?) WHERE id=?", row)
                if cur.rowcount:
                    changed.append(row[-1])
        return changed

    # -- reading -----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for state, n in self.conn.execute("SELECT state, count(*) FROM items GROUP BY state"):
            if state in out:
                out[state] = n
        return out

    def waiting(self) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM items WHERE state IN ('pending', 'inflight')").fetchone()[0]

    def waiting_ids(self, limit: int = 10_000) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM items WHERE state IN ('pending', 'inflight') ORDER BY seq LIMIT ?", (limit,))]

    def failed_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM items WHERE state='failed'").fetchone()[0]

    def get(self, item_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM items WHERE id=? AND ({_DAMAGE}) IS NULL",
                                (item_id,)).fetchone()
        return None if row is None else dict(zip(_COLUMNS, row))

    def states(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """What plugins see of their items. A damaged (quarantined) item is reported as
        ``failed`` with ``damaged: True`` and the code ``damaged``: it will not be sent, and the
        plugin may let the user send the entries again."""
        ids = list(ids)
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self.conn.execute(
                    f"SELECT {', '.join(_COLUMNS)} FROM items WHERE id IN (SELECT value FROM json_each(?)) "
                    f"AND ({_DAMAGE}) IS NULL", (json.dumps(chunk),)):
                out[row[1]] = public_view(dict(zip(_COLUMNS, row)))
            for row in self.conn.execute(
                    "SELECT id, kind, created_at, reason FROM quarantine "
                    "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(chunk),)):
                if isinstance(row[0], str) and row[0] not in out:
                    out[row[0]] = damaged_view(row[0], _readable(row[1]), _readable(row[2]), _readable(row[3]))
        return out

    def list_items(self, states: Sequence[str] = STATES, *, limit: int = 1000, newest_first: bool = True
             ) -> list[dict[str, Any]]:
        order = "DESC" if newest_first else "ASC"
        rows = self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM items WHERE state IN (SELECT value FROM json_each(?)) "
            f"AND ({_DAMAGE}) IS NULL ORDER BY seq {order} LIMIT ?", (json.dumps(list(states)), limit)).fetchall()
        return [dict(zip(_COLUMNS, r)) for r in rows]

    def body(self, item_id: str) -> dict[str, Any] | None:
        """The stored submission; ``payload`` is None (and ``pruned`` True) once the retention
        period dropped it."""
        row = self.conn.execute(f"SELECT kind, schema, payload, pruned_at FROM items WHERE id=? "
                                f"AND ({_DAMAGE}) IS NULL", (item_id,)).fetchone()
        if row is None:
            return None
        if row[3] is not None:
            return {"kind": row[0], "schema": row[1], "payload": None, "pruned": True}
        return {"kind": row[0], "schema": row[1], "payload": json.loads(row[2])}

    # -- retention of personal data -------------------------------------------------------
    def prune(self, retention_days: float | None = None) -> int:
        """Drop the payload of items the server acknowledged more than ``retention_days`` ago
        (default: this outbox's setting). Id, hash, state, server reference, dates and
        declaration number stay. The freed bytes are overwritten (``secure_delete``) and the
        write-ahead log is emptied, so the personal data is gone from the disk too."""
        days = self.retention_days if retention_days is None else retention_days
        if days is None:
            return 0
        now = self.clock()
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET payload='', pruned_at=? WHERE state='acked' AND pruned_at IS NULL "
                "AND acked_at IS NOT NULL AND acked_at < ?", (now, now - float(days) * 86400))
            pruned = cur.rowcount
        self._last_prune = now
        if pruned:
            log.info("the payload of %d acknowledged outbox item(s) older than %s days was dropped", pruned, days)
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:  # a reader holds the log: the next checkpoint does it
                log.info("the outbox log could not be emptied now: %s", exc)
        return pruned

    def prune_if_due(self) -> int:
        """:meth:`prune` at most once an hour (the sync engine calls this after each cycle)."""
        if self.retention_days is None:
            return 0
        if self._last_prune is not None and self.clock() - self._last_prune < PRUNE_EVERY_S:
            return 0
        try:
            return self.prune()
        except DiskFull:
            log.warning("the outbox could not drop old payloads: the disk is full")
            return 0

    # -- small key/value store for the sender -------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES(?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))


def damaged_view(item_id: str, kind: str | None, created_at: str | None, reason: str | None) -> dict[str, Any]:
    """What a plugin sees of a quarantined item: failed, never sent, marked ``damaged``."""
    return {
        "id": item_id, "kind": kind, "source": None, "account": None, "created_at": created_at,
        "state": PUBLIC_STATE[FAILED], "damaged": True, "attempts": 0, "last_error": reason,
        "http_status": None, "code": "damaged",
        "message": "the stored copy of this item was damaged on this computer; it was not sent",
        "server_ref": None, "received_at": None, "server_status": None, "verified": None,
        "outcome": None, "answer": None, "answered_at": None,
    }


def _number_from_damaged(payload: Any) -> str | None:
    """The declaration number of a damaged payload when it can still be read."""
    if isinstance(payload, Undecodable):
        text = payload  # the bytes that are not UTF-8 read as U+FFFD
    elif isinstance(payload, bytes):
        text = payload.decode("utf-8", "replace")
    elif isinstance(payload, str):
        text = payload
    else:
        return None
    try:
        number = declaration_number(json.loads(text))
    except ValueError:
        number = None
    if number is None:
        m = re.search(r'"declaration_number"\s*:\s*"(\d{12})"', text)
        number = m.group(1) if m else None
    return number if number is None or "\ufffd" not in number else None


def public_view(row: dict[str, Any]) -> dict[str, Any]:
    """What a plugin sees of one item (``HostApi.outbox_states``)."""
    return {
        "id": row["id"], "kind": row["kind"], "source": row["source"], "account": row["account"],
        "created_at": row["created_at"],
        "state": PUBLIC_STATE[row["state"]], "damaged": False, "attempts": row["attempts"],
        "last_error": row["last_error"],
        "http_status": row["http_status"], "code": row["code"], "message": row["message"],
        "server_ref": row["server_ref"], "received_at": row["received_at"],
        "server_status": row["server_state"],
        "verified": None if row["verified"] is None else bool(row["verified"]),
        "outcome": row["outcome"], "answer": row["answer"], "answered_at": row["answered_at"],
        "case": case_from_json(row.get("server_case")),
    }


_CASE_STATES = ("new", "assigned", "in_review", "answered", "closed", "reopened")


def case_json(value: Any) -> str | None:
    """Customs' case of a submission as the feed tells it, kept as small JSON (None: no case)."""
    if not isinstance(value, dict) or value.get("state") not in _CASE_STATES:
        return None
    keep = {"state": value["state"], "can_reopen": bool(value.get("can_reopen"))}
    for key in ("answer_due", "answered_at", "outcome"):
        if isinstance(value.get(key), str):
            keep[key] = nfc(value[key])[:64]
    return json.dumps(keep, ensure_ascii=False, sort_keys=True)


def case_from_json(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    return nfc(str(value))[:limit]


def _disk_full(exc: BaseException) -> DiskFull | None:
    return DiskFull() if is_disk_full(exc) else None
