"""Damage on disk, kept from blocking the queue.

* A damaged outbox file (the integrity check fails, or it is empty: 0 bytes) is moved aside,
  never deleted, and a fresh outbox is started.
* A single damaged row (text that is not UTF-8, a payload that is not JSON, a value of the
  wrong type) is **quarantined** on its own: moved byte for byte to the ``quarantine``
  table, shown as damaged, never sent; every other item goes on being sent and read.
  Reading never fails on such a value: text that is not UTF-8 comes back as
  :class:`Undecodable`.
"""
from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterable

from desktop.core import sqlite as core_sqlite

from .errors import OutboxError, write
from .schema import ACKED, COLUMNS, DAMAGED, FAILED, PUBLIC_STATE, SELECT_COLUMNS, declaration_number, local_now_text

log = logging.getLogger(__name__)

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


#: why a row of ``items`` is damaged, NULL when it is sound (needs :func:`install`)
DAMAGE = _damage_sql()


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


def install(conn: sqlite3.Connection) -> None:
    """Make a new connection tolerant of damaged text and able to evaluate :data:`DAMAGE`."""
    conn.text_factory = _text_factory  # a byte flipped on disk never makes a whole read fail
    conn.create_function("outbox_bad_utf8", 1, _bad_utf8, deterministic=True)


def readable(value: Any) -> str | None:
    """A recovered text value, or None when it is not sound text."""
    return value if isinstance(value, str) and not isinstance(value, Undecodable) else None


# ---- a damaged file -----------------------------------------------------------------------------

def check_file(path: Path, timeout_ms: int) -> tuple[Path | None, str | None]:
    """Check the outbox file at ``path`` before it is opened: ``(None, None)`` when it is sound
    or missing, else ``(where it was moved, "empty" or "damaged")``."""
    if not path.exists():
        return None, None
    if path.stat().st_size == 0:
        # SQLite writes its header as soon as an outbox is created (WAL mode): an empty file
        # is a damaged one (cut by a full disk, a copy that failed), not a new outbox
        problem: str | None = "the file is empty (0 bytes)"
    else:
        problem = _integrity_problem(path, timeout_ms)
    if problem is None:
        return None, None
    reason = "empty" if problem.startswith("the file is empty") else "damaged"
    return _move_aside(path, problem), reason


def _integrity_problem(path: Path, timeout_ms: int) -> str | None:
    problem = None
    try:
        conn = sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout={timeout_ms}")
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


def _move_aside(path: Path, problem: str) -> Path:
    try:
        target = core_sqlite.move_aside(path)
    except OSError as exc:  # Windows: another copy of the program still has it open
        raise OutboxError(f"the outbox {path} is damaged ({problem}) and cannot be moved aside "
                          f"({exc.strerror or exc}); close every copy of the program and start again") from exc
    log.error("the outbox %s is damaged (%s); it was moved to %s and a new one is started",
              path, problem, target)
    return target


# ---- damaged rows -------------------------------------------------------------------------------

def quarantine(conn: sqlite3.Connection, seqs: Iterable[int] | None = None, *, open_only: bool = False) -> int:
    """See :meth:`desktop.core.outbox.Outbox.quarantine_damaged`."""
    if seqs is not None:
        found = [int(x) for x in seqs]
    else:
        where = "state IN ('pending', 'inflight', 'failed') AND " if open_only else ""
        found = [r[0] for r in conn.execute(f"SELECT seq FROM items WHERE {where}({DAMAGE}) IS NOT NULL")]
    if not found:
        return 0
    with write(conn) as tx:
        bad = tx.execute(f"SELECT seq, {DAMAGE} FROM items WHERE seq IN (SELECT value FROM json_each(?)) "
                         f"AND ({DAMAGE}) IS NOT NULL", (json.dumps(found),)).fetchall()
        now = local_now_text()
        for seq, reason in bad:
            tx.execute(f"INSERT OR REPLACE INTO quarantine ({SELECT_COLUMNS}, reason, quarantined_at) "
                       f"SELECT {SELECT_COLUMNS}, ?, ? FROM items WHERE seq=?", (reason, now, seq))
            tx.execute("DELETE FROM items WHERE seq=?", (seq,))
    for seq, reason in bad:
        log.error("outbox item #%s is damaged (%s): it is set apart in the quarantine table, "
                  "the other items go on being sent", seq, reason)
    return len(bad)


def damaged_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]


def list_damaged(conn: sqlite3.Connection, limit: int = 1000) -> list[dict[str, Any]]:
    """Quarantined rows with what can be recovered (id, kind, dates, declaration number when
    readable); the stored bytes themselves stay untouched in the table."""
    out = []
    for row in conn.execute(
            f"SELECT {SELECT_COLUMNS}, reason, quarantined_at FROM quarantine ORDER BY seq DESC LIMIT ?",
            (limit,)):
        raw = dict(zip(COLUMNS + ("reason", "quarantined_at"), row))
        item = {c: None for c in COLUMNS}
        item.update({"seq": raw["seq"], "state": DAMAGED, "damaged": True, "reason": readable(raw["reason"]),
                     "quarantined_at": readable(raw["quarantined_at"])})
        for c in ("id", "kind", "created_at", "account", "source", "server_ref", "received_at", "answered_at",
                  "number"):
            item[c] = readable(raw[c])
        for c in ("acked_at",):
            item[c] = raw[c] if isinstance(raw[c], (int, float)) else None
        item["sent"] = raw["state"] == ACKED
        if item["number"] is None:
            item["number"] = _number_from_damaged(raw["payload"])
        out.append(item)
    return out


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
