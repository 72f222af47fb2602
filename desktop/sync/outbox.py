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
* **Corruption**: :meth:`Outbox.open` runs an integrity check; a damaged file is moved
  aside (never deleted) and a fresh outbox is started; ``recovered_from`` names the old file.

This module has no Qt: the sync engine, the Qt service and the tests all drive it directly.
One SQLite connection per thread.
"""
from __future__ import annotations

import json
import logging
import math
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

from domain.text import nfc

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: items.account
BUSY_TIMEOUT_MS = 10_000
MAX_ITEM_BYTES = 1_000_000  # a single payload must fit comfortably in a 2 MiB batch

PENDING, INFLIGHT, ACKED, FAILED = "pending", "inflight", "acked", "failed"
STATES = (PENDING, INFLIGHT, ACKED, FAILED)
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
    server_updated_at TEXT
);
CREATE INDEX IF NOT EXISTS items_open ON items(seq) WHERE state IN ('pending', 'inflight');
CREATE INDEX IF NOT EXISTS items_state ON items(state, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_COLUMNS = ("seq", "id", "kind", "schema", "source", "account", "created_at", "payload", "size", "state", "attempts",
            "lease_owner", "lease_until", "last_error", "http_status", "code", "message", "server_ref",
            "received_at", "acked_at", "server_state", "verified", "outcome", "answer", "answered_at",
            "server_updated_at")


class OutboxError(Exception):
    pass


class InvalidSubmission(OutboxError, ValueError):
    """The item cannot be queued (not JSON, too large, bad kind); nothing was stored."""


class DuplicateId(InvalidSubmission):
    """The id is already in the outbox with a different body."""


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

    def __init__(self, path: str | os.PathLike[str], *, clock=time.time, _checked: bool = False) -> None:
        self.path = Path(path)
        self.clock = clock
        self.recovered_from: Path | None = None
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not _checked:
            self.recovered_from = self._check_or_move_aside()
        self._init_schema()

    # -- opening, integrity ----------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], **kwargs: Any) -> "Outbox":
        return cls(path, **kwargs)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("the outbox could not switch to WAL mode (journal mode %s)", mode)
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _check_or_move_aside(self) -> Path | None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
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
        if problem is None:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.stem}.damaged-{stamp}-{n}{self.path.suffix}")
        log.error("the outbox %s is damaged (%s); it is moved to %s and a new one is started",
                  self.path, problem, target)
        try:
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    os.replace(src, Path(str(target) + suffix))
        except OSError as exc:  # Windows: another copy of the program still has it open
            raise OutboxError(f"the outbox {self.path} is damaged ({problem}) and cannot be moved aside "
                              f"({exc.strerror or exc}); close every copy of the program and start again") from exc
        return target

    def _init_schema(self) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for stmt in filter(None, (s.strip() for s in _DDL.split(";"))):
                conn.execute(stmt)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            columns = {r[1] for r in conn.execute("PRAGMA table_info(items)")}
            if "account" not in columns:  # schema 1 → 2
                conn.execute("ALTER TABLE items ADD COLUMN account TEXT")
            if version > SCHEMA_VERSION:
                raise OutboxError(f"the outbox was written by a newer version (schema {version})")
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    def _write(self):
        return _Tx(self.conn)

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
        with self._write() as conn:
            row = conn.execute("SELECT kind, schema, payload FROM items WHERE id=?", (item_id,)).fetchone()
            if row is not None:
                if tuple(row) != (kind, schema, payload_json):
                    raise DuplicateId(f"{item_id} is already queued with a different content")
                return item_id
            conn.execute(
                "INSERT INTO items (id, kind, schema, source, account, created_at, payload, size) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (item_id, kind, schema, source, account, created_at, payload_json, size))
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
        with self._write() as conn:
            rows = conn.execute(
                "SELECT seq, id, kind, schema, created_at, payload, size FROM items "
                "WHERE state IN ('pending', 'inflight') AND (state='pending' OR lease_until < ?) "
                "AND (? IS NULL OR account IS NULL OR account = ?) "
                "ORDER BY seq LIMIT ?", (now, account, account, limit)).fetchall()
            taken: list[Claimed] = []
            seqs: list[int] = []
            total = 20
            for seq, item_id, kind, schema, created_at, payload, size in rows:
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
        return taken

    def release(self, owner: str, ids: Iterable[str], error: str | None) -> int:
        """Put items this owner holds back to pending after a transient failure."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE items SET state='pending', lease_owner=NULL, lease_until=NULL, last_error=? "
                "WHERE state='inflight' AND lease_owner=? AND id IN (SELECT value FROM json_each(?))",
                (error, owner, json.dumps(list(ids))))
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
            if status in ("accepted", "duplicate"):
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
                "acked_at=?, lease_owner=NULL, lease_until=NULL, last_error=NULL "
                "WHERE id=? AND state!='acked'", acked)
            conn.executemany(
                "UPDATE items SET state='failed', http_status=?, code=?, message=?, "
                "lease_owner=NULL, lease_until=NULL, last_error=NULL "
                "WHERE state='inflight' AND lease_owner=? AND id=?", failed)
            if again:
                conn.execute(
                    "UPDATE items SET state='pending', lease_owner=NULL, lease_until=NULL, "
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
                "UPDATE items SET state='pending', last_error=NULL WHERE state='failed' "
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
                         _text(it.get("server_ref"), 80), it["id"]))
        if not rows:
            return []
        changed = []
        with self._write() as conn:
            for row in rows:
                cur = conn.execute(
                    "UPDATE items SET server_state=?, verified=?, outcome=?, answer=?, answered_at=?, "
                    "server_updated_at=?, server_ref=COALESCE(server_ref, ?) WHERE id=?", row)
                if cur.rowcount:
                    changed.append(row[-1])
        return changed

    # -- reading -----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for state, n in self.conn.execute("SELECT state, count(*) FROM items GROUP BY state"):
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
        row = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM items WHERE id=?", (item_id,)).fetchone()
        return None if row is None else dict(zip(_COLUMNS, row))

    def states(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(ids)
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self.conn.execute(
                    f"SELECT {', '.join(_COLUMNS)} FROM items WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(chunk),)):
                out[row[1]] = public_view(dict(zip(_COLUMNS, row)))
        return out

    def list_items(self, states: Sequence[str] = STATES, *, limit: int = 1000, newest_first: bool = True
             ) -> list[dict[str, Any]]:
        order = "DESC" if newest_first else "ASC"
        rows = self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM items WHERE state IN (SELECT value FROM json_each(?)) "
            f"ORDER BY seq {order} LIMIT ?", (json.dumps(list(states)), limit)).fetchall()
        return [dict(zip(_COLUMNS, r)) for r in rows]

    def body(self, item_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT kind, schema, payload FROM items WHERE id=?", (item_id,)).fetchone()
        if row is None:
            return None
        return {"kind": row[0], "schema": row[1], "payload": json.loads(row[2])}

    # -- small key/value store for the sender -------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES(?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))


def public_view(row: dict[str, Any]) -> dict[str, Any]:
    """What a plugin sees of one item (``HostApi.outbox_states``)."""
    return {
        "id": row["id"], "kind": row["kind"], "source": row["source"], "account": row["account"],
        "created_at": row["created_at"],
        "state": PUBLIC_STATE[row["state"]], "attempts": row["attempts"], "last_error": row["last_error"],
        "http_status": row["http_status"], "code": row["code"], "message": row["message"],
        "server_ref": row["server_ref"], "received_at": row["received_at"],
        "server_status": row["server_state"],
        "verified": None if row["verified"] is None else bool(row["verified"]),
        "outcome": row["outcome"], "answer": row["answer"], "answered_at": row["answered_at"],
    }


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    return nfc(str(value))[:limit]


class _Tx:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` on any error)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
