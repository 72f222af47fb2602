"""What is read out of the outbox: counts for the status bar, the items of the queue window,
the states plugins see of their items, a stored submission. Damaged rows are never among
the items (they are in the quarantine, see :mod:`.damage`)."""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable, Sequence

from domain.text import nfc

from .damage import DAMAGE, damaged_view, readable
from .schema import COLUMNS, PUBLIC_STATE, SELECT_COLUMNS, STATES


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    out = {s: 0 for s in STATES}
    for state, n in conn.execute("SELECT state, count(*) FROM items GROUP BY state"):
        if state in out:
            out[state] = n
    return out


def waiting(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM items WHERE state IN ('pending', 'inflight')").fetchone()[0]


def waiting_ids(conn: sqlite3.Connection, limit: int) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT id FROM items WHERE state IN ('pending', 'inflight') ORDER BY seq LIMIT ?", (limit,))]


def failed_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM items WHERE state='failed'").fetchone()[0]


def get(conn: sqlite3.Connection, item_id: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {SELECT_COLUMNS} FROM items WHERE id=? AND ({DAMAGE}) IS NULL",
                       (item_id,)).fetchone()
    return None if row is None else dict(zip(COLUMNS, row))


def states(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """See :meth:`desktop.core.outbox.Outbox.states`."""
    ids = list(ids)
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = json.dumps(ids[start:start + 500])
        for row in conn.execute(
                f"SELECT {SELECT_COLUMNS} FROM items WHERE id IN (SELECT value FROM json_each(?)) "
                f"AND ({DAMAGE}) IS NULL", (chunk,)):
            out[row[1]] = public_view(dict(zip(COLUMNS, row)))
        for row in conn.execute(
                "SELECT id, kind, created_at, reason FROM quarantine "
                "WHERE id IN (SELECT value FROM json_each(?))", (chunk,)):
            if isinstance(row[0], str) and row[0] not in out:
                out[row[0]] = damaged_view(row[0], readable(row[1]), readable(row[2]), readable(row[3]))
    return out


def list_items(conn: sqlite3.Connection, states: Sequence[str], limit: int, newest_first: bool
               ) -> list[dict[str, Any]]:
    order = "DESC" if newest_first else "ASC"
    rows = conn.execute(
        f"SELECT {SELECT_COLUMNS} FROM items WHERE state IN (SELECT value FROM json_each(?)) "
        f"AND ({DAMAGE}) IS NULL ORDER BY seq {order} LIMIT ?", (json.dumps(list(states)), limit)).fetchall()
    return [dict(zip(COLUMNS, r)) for r in rows]


def body(conn: sqlite3.Connection, item_id: str) -> dict[str, Any] | None:
    """See :meth:`desktop.core.outbox.Outbox.body`."""
    row = conn.execute(f"SELECT kind, schema, payload, pruned_at FROM items WHERE id=? "
                       f"AND ({DAMAGE}) IS NULL", (item_id,)).fetchone()
    if row is None:
        return None
    if row[3] is not None:
        return {"kind": row[0], "schema": row[1], "payload": None, "pruned": True}
    return {"kind": row[0], "schema": row[1], "payload": json.loads(row[2])}


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
