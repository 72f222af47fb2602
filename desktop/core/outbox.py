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
* **Corruption**: :class:`Outbox` runs an integrity check when it opens the file; a damaged file (or an empty,
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
One SQLite connection per thread. It holds the queue itself (record, claim under a lease,
acknowledge, release); the file's schema, damage and quarantine, the reads of the queue
window and the retention of payloads are in :mod:`desktop.core.outboxstore`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from desktop.core import sqlite as core_sqlite
from domain.text import nfc

from .outboxstore import damage, retention, views
from .outboxstore.errors import DiskFull, DuplicateId, InvalidSubmission, OutboxError, write
from .outboxstore.schema import (
    ACKED, DAMAGED, FAILED, INFLIGHT, PENDING, SCHEMA_VERSION, STATES, declaration_number, local_now_text,
    prepare,
)
from .outboxstore.views import case_json

__all__ = [
    "Outbox", "Claimed", "batch_body", "normalise", "payload_hash", "declaration_number",
    "OutboxError", "InvalidSubmission", "DuplicateId", "DiskFull",
    "PENDING", "INFLIGHT", "ACKED", "FAILED", "STATES", "DAMAGED", "SETTLED_ELSEWHERE",
    "SCHEMA_VERSION", "BUSY_TIMEOUT_MS", "MAX_ITEM_BYTES", "WAL_AUTOCHECKPOINT_PAGES", "JOURNAL_SIZE_LIMIT",
    "RETENTION_DAYS", "PRUNE_EVERY_S",
]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
MAX_ITEM_BYTES = 1_000_000  # a single payload must fit comfortably in a 2 MiB batch
# The write-ahead log is checkpointed every 100 pages (~400 KB) instead of SQLite's 1,000
# (~4 MB) and cut back to 512 KiB afterwards: on a nearly full disk the space goes to items,
# not to the log (one submission writes ~6 pages to the log).
WAL_AUTOCHECKPOINT_PAGES = 100
JOURNAL_SIZE_LIMIT = 512 * 1024
RETENTION_DAYS = 30  # payloads of acknowledged items are dropped after this many days
PRUNE_EVERY_S = 3600.0

# a refusal that settles the item: the server already holds what it stands for
SETTLED_ELSEWHERE = "already_assessed"


def payload_hash(payload_json: str) -> str:
    return hashlib.sha256(payload_json.encode("utf-8")).hexdigest()


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

    def __init__(self, path: str | os.PathLike[str], *, clock=time.time,
                 retention_days: float | None = RETENTION_DAYS) -> None:
        self.path = Path(path)
        self.clock = clock
        self.recovered_from: Path | None = None
        self.recovered_reason: str | None = None  # "empty" (0 bytes) or "damaged"
        self.retention_days = retention_days
        self._last_prune: float | None = None
        self._pool = core_sqlite.ConnectionPool(self._connect)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered_from, self.recovered_reason = damage.check_file(self.path, BUSY_TIMEOUT_MS)
        with self._write() as conn:
            prepare(conn)
        # rows damaged on disk (a flipped byte) are set apart at start: one bad row never blocks the
        # rest. Here only the rows still to be sent (quick: the queue is short); the sync engine
        # checks the whole history once per run, in its own thread.
        self.quarantined_at_open = self.quarantine_damaged(open_only=True)
        self.prune_if_due()

    # -- connections -----------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = core_sqlite.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, synchronous="FULL", pragmas={
            "wal_autocheckpoint": WAL_AUTOCHECKPOINT_PAGES,
            "journal_size_limit": JOURNAL_SIZE_LIMIT,
            "secure_delete": "ON",  # dropped payloads are overwritten, not left in free space
        })
        damage.install(conn)  # a byte flipped on disk never makes a whole read fail
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._pool.get()

    def close(self) -> None:
        self._pool.close()

    def _write(self):
        return write(self.conn)

    # -- damaged rows ------------------------------------------------------------------
    def quarantine_damaged(self, seqs: Iterable[int] | None = None, *, open_only: bool = False) -> int:
        """Move damaged rows (all of them, those of ``seqs``, or with ``open_only`` those waiting
        or refused) to the quarantine table, byte for byte, and return how many. They are never
        sent; the others are not affected. The search reads without blocking writers (about
        9 ms per 1,000 rows); only the damaged rows are moved in a write transaction."""
        return damage.quarantine(self.conn, seqs, open_only=open_only)

    def damaged_count(self) -> int:
        return damage.damaged_count(self.conn)

    def list_damaged(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Quarantined rows with what can be recovered (id, kind, dates, declaration number when
        readable); the stored bytes themselves stay untouched in the table."""
        return damage.list_damaged(self.conn, limit)

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
        created_at = local_now_text()
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
                f"SELECT seq, id, kind, schema, created_at, payload, size, {damage.DAMAGE} FROM items "
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

    # -- reading (the queue window, the status bar, plugins): see outboxstore.views -------
    def counts(self) -> dict[str, int]:
        return views.counts(self.conn)

    def waiting(self) -> int:
        return views.waiting(self.conn)

    def waiting_ids(self, limit: int = 10_000) -> list[str]:
        return views.waiting_ids(self.conn, limit)

    def failed_count(self) -> int:
        return views.failed_count(self.conn)

    def get(self, item_id: str) -> dict[str, Any] | None:
        return views.get(self.conn, item_id)

    def states(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """What plugins see of their items. A damaged (quarantined) item is reported as
        ``failed`` with ``damaged: True`` and the code ``damaged``: it will not be sent, and the
        plugin may let the user send the entries again."""
        return views.states(self.conn, ids)

    def list_items(self, states: Sequence[str] = STATES, *, limit: int = 1000, newest_first: bool = True
             ) -> list[dict[str, Any]]:
        return views.list_items(self.conn, states, limit, newest_first)

    def body(self, item_id: str) -> dict[str, Any] | None:
        """The stored submission; ``payload`` is None (and ``pruned`` True) once the retention
        period dropped it."""
        return views.body(self.conn, item_id)

    # -- retention of personal data: see outboxstore.retention ---------------------------
    def prune(self, retention_days: float | None = None) -> int:
        """Drop the payload of items the server acknowledged more than ``retention_days`` ago
        (default: this outbox's setting). Id, hash, state, server reference, dates and
        declaration number stay. The freed bytes are overwritten (``secure_delete``) and the
        write-ahead log is emptied, so the personal data is gone from the disk too."""
        days = self.retention_days if retention_days is None else retention_days
        if days is None:
            return 0
        now = self.clock()
        pruned = retention.drop_payloads(self.conn, now, days)
        self._last_prune = now
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


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    return nfc(str(value))[:limit]
