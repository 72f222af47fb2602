"""The plugin's own small SQLite store (in ``HostApi.data_dir()``), without Qt.

* ``drafts``: what the user typed in a form, saved on every change (debounced by the
  widget), restored when the form is reopened, deleted when the submission is recorded;
* ``submissions``: what the plugin handed to the host's outbox — the outbox id, the
  declaration, the kind, a snapshot of the payload exactly as sent, and the last known
  delivery state, server reference, processing state and answer;
* ``meta``: small values (the last contact person used, to pre-fill the next form).

Submissions that another workstation of the enterprise sent come from the server's feed
(``HostApi.enterprise_submissions``) and are kept with ``origin = 'remote'``: a declaration
rated anywhere shows as rated here, with its stars, state and answer. A local assessment
that the server refused because the declaration already had one (``already_assessed``) is
superseded by the remote one instead of waiting to be corrected.

Payloads are JSON, never pickle. The outbox of the host remains the source of truth for
delivery; this store only remembers what the plugin needs to show.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from desktop.plugin_api import move_aside, sqlite_connect, sqlite_transaction
from domain.text import nfc

from .core import RatingState, state_from_outbox

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (number, kind)
);
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    server_ref TEXT,
    server_state TEXT,
    verified INTEGER,
    outcome TEXT,
    answer TEXT,
    answered_at TEXT,
    error_code TEXT,
    error_message TEXT,
    answer_seen INTEGER NOT NULL DEFAULT 0,
    superseded_by TEXT,
    updated_at TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'local',
    case_info TEXT
);
CREATE INDEX IF NOT EXISTS submissions_number ON submissions (number, kind);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
SCHEMA_VERSION = 3  # 2: submissions.origin (local, or remote: sent from another workstation); 3: case_info

FINAL_STATES = (RatingState.ANSWERED.value, RatingState.REJECTED.value)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class PluginStore:
    """One connection, used from the UI thread (every statement is a few small rows)."""

    @classmethod
    def open_or_recover(cls, path: Path) -> tuple["PluginStore", Path | None]:
        """Open the store; a damaged file is moved aside (never deleted) and a fresh one
        started. Returns the store and where the damaged file went (None if all was well).
        The submissions themselves are safe in the host's outbox either way."""
        path = Path(path)
        try:
            store = cls(path)
            if store._db.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                return store, None
            store.close()
        except sqlite3.DatabaseError:
            pass
        moved = move_aside(path)
        return cls(path), moved

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite_connect(self.path, timeout=5.0, synchronous="FULL")
        self._db.row_factory = sqlite3.Row
        self._db.executescript(SCHEMA)
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(submissions)")}
            if "origin" not in columns:
                self._db.execute("ALTER TABLE submissions ADD COLUMN origin TEXT NOT NULL DEFAULT 'local'")
            if "case_info" not in columns:
                self._db.execute("ALTER TABLE submissions ADD COLUMN case_info TEXT")
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _tx(self):
        return sqlite_transaction(self._db, lock=self._lock)

    # ---- drafts ---------------------------------------------------------------------------
    def save_draft(self, number: str, kind: str, data: Mapping[str, Any]) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO drafts (number, kind, data, updated_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (number, kind) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                       (number, kind, json.dumps(data, ensure_ascii=False), _now()))

    def load_draft(self, number: str, kind: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM drafts WHERE number = ? AND kind = ?", (number, kind)).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row["data"])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def delete_draft(self, number: str, kind: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM drafts WHERE number = ? AND kind = ?", (number, kind))

    def draft_numbers(self, kind: str) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT number FROM drafts WHERE kind = ? ORDER BY updated_at",
                                                   (kind,))]

    # ---- submissions ----------------------------------------------------------------------
    def record_submission(self, submission_id: str, number: str, kind: str, payload: Mapping[str, Any],
                          *, replaces: str | None = None) -> None:
        """Remember what was handed to the outbox and drop the draft, in one transaction."""
        self.record_intent(submission_id, number, kind, payload)
        self.confirm(submission_id, submission_id, replaces=replaces)

    def record_intent(self, submission_id: str, number: str, kind: str, payload: Mapping[str, Any]) -> None:
        """Step 1 of sending: note what is about to go into the outbox (the draft stays).

        If the program dies before :meth:`confirm`, :meth:`intents` lists it at the next
        start so that it can be reconciled with the outbox (which knows the id or not)."""
        now = _now()
        with self._tx() as db:
            db.execute("INSERT INTO submissions (id, number, kind, payload, created_at, state, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, 'recording', ?)",
                       (submission_id, number, kind, json.dumps(payload, ensure_ascii=False), now, now))

    def confirm(self, intent_id: str, outbox_id: str, *, replaces: str | None = None) -> None:
        """Step 2: the outbox holds the item (under ``outbox_id``): queued, draft dropped."""
        with self._tx() as db:
            row = db.execute("SELECT number, kind FROM submissions WHERE id = ?", (intent_id,)).fetchone()
            if row is None:
                raise KeyError(intent_id)
            db.execute("UPDATE submissions SET id = ?, state = 'queued', updated_at = ? WHERE id = ?",
                       (outbox_id, _now(), intent_id))
            if replaces:
                db.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (outbox_id, replaces))
            db.execute("DELETE FROM drafts WHERE number = ? AND kind = ?", (row["number"], row["kind"]))

    def discard_intent(self, intent_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM submissions WHERE id = ? AND state = 'recording'", (intent_id,))

    def intents(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._row(r) for r in self._db.execute("SELECT * FROM submissions WHERE state = 'recording'")]

    def _row(self, row: sqlite3.Row) -> dict[str, Any]:
        d = dict(row)
        try:
            d["payload"] = json.loads(d["payload"])
        except ValueError:
            d["payload"] = {}
        d["verified"] = None if d["verified"] is None else bool(d["verified"])
        d["answer_seen"] = bool(d["answer_seen"])
        try:
            d["case"] = json.loads(d.pop("case_info") or "null")
        except ValueError:
            d["case"] = None
        return d

    def submission(self, submission_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return self._row(row) if row else None

    def submissions(self, *, kind: str | None = None, number: str | None = None,
                    include_superseded: bool = True) -> list[dict[str, Any]]:
        sql = "SELECT * FROM submissions WHERE 1=1"
        args: list[Any] = []
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        if number:
            sql += " AND number = ?"
            args.append(number)
        if not include_superseded:
            sql += " AND superseded_by IS NULL"
        sql += " AND state != 'recording'"
        sql += " ORDER BY created_at DESC, rowid DESC"
        with self._lock:
            return [self._row(r) for r in self._db.execute(sql, args)]

    def assessment(self, number: str) -> dict[str, Any] | None:
        """The declaration's current assessment (the last one not replaced by a resend)."""
        rows = self.submissions(kind="assessment", number=number, include_superseded=False)
        return rows[0] if rows else None

    def open_ids(self) -> list[str]:
        """Submissions whose state can still change (not rejected; answered ones too, in case
        the answer is revised — but only until it was seen)."""
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT id FROM submissions WHERE superseded_by IS NULL AND state NOT IN ('rejected', 'recording') "
                "AND origin = 'local' AND NOT (state = 'answered' AND answer_seen = 1)")]

    def current_marks(self, number: str | None = None) -> dict[str, tuple[str | None, int, int]]:
        """Per declaration (every one, or this one): (state of its current assessment or None,
        lowest stars, reflections) — what its mark is made of."""
        out: dict[str, tuple[str | None, int, int]] = {}
        for row in self.submissions(kind="assessment", number=number, include_superseded=False):
            if row["number"] in out:
                continue
            stars = [int(r.get("stars") or 0) for r in row["payload"].get("ratings") or []]
            out[row["number"]] = (row["state"], min(stars) if stars else 0, 0)
        sql = "SELECT number, COUNT(*) FROM submissions WHERE kind = 'reflection' AND state != 'recording'"
        args: list[Any] = []
        if number:
            sql += " AND number = ?"
            args.append(number)
        with self._lock:
            counts = self._db.execute(sql + " GROUP BY number", args).fetchall()
        for n, count in counts:
            state, stars, _ = out.get(n, (None, 0, 0))
            out[n] = (state, stars, int(count))
        return out

    def all_ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT id FROM submissions WHERE state != 'recording'")]

    def apply_states(self, states: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Store what the outbox knows now. Returns the rows that changed, each with
        ``new_answer`` True when an answer arrived that was not there before."""
        changed: list[dict[str, Any]] = []
        with self._tx() as db:
            for sid, entry in states.items():
                row = db.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone()
                if row is None or row["state"] == "recording" or not isinstance(entry, Mapping):
                    continue
                new_state = state_from_outbox(entry).value
                answer = entry.get("answer")
                answer = nfc(str(answer)) if answer else row["answer"]
                verified = entry.get("verified")
                values = {
                    "state": new_state,
                    "server_ref": entry.get("server_ref") or row["server_ref"],
                    "server_state": entry.get("server_status") or row["server_state"],
                    "verified": row["verified"] if verified is None else int(bool(verified)),
                    "outcome": entry.get("outcome") or row["outcome"],
                    "answer": answer,
                    "answered_at": entry.get("answered_at") or row["answered_at"],
                    "error_code": (entry.get("code") or row["error_code"])
                    if new_state == "rejected" else None,
                    "error_message": (entry.get("message") or row["error_message"])
                    if new_state == "rejected" else None,
                    "case_info": _case_info(entry, row["case_info"]),
                }
                new_answer = bool(answer) and answer != row["answer"]
                if all(values[k] == row[k] for k in values) and not new_answer:
                    continue
                values["answer_seen"] = 0 if new_answer else row["answer_seen"]
                values["updated_at"] = _now()
                db.execute("UPDATE submissions SET " + ", ".join(f"{k} = ?" for k in values) + " WHERE id = ?",
                           [*values.values(), sid])
                out = self._row(db.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone())
                out["new_answer"] = new_answer
                out["previous_state"] = row["state"]
                changed.append(out)
        return changed

    def import_remote(self, entries: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Keep what other workstations of the enterprise sent (``origin`` "remote" entries
        of the host); returns the rows that are new or changed (with ``new_answer``). A
        local assessment of the same declaration that is not delivered, or was refused, is
        superseded by the remote one: the declaration has its assessment."""
        changed: list[dict[str, Any]] = []
        with self._tx() as db:
            for sid, entry in entries.items():
                if not isinstance(entry, Mapping) or entry.get("origin") != "remote":
                    continue
                kind = entry.get("kind")
                payload = entry.get("payload") if isinstance(entry.get("payload"), Mapping) else {}
                number = entry.get("declaration_number") or payload.get("declaration_number")
                if kind not in ("assessment", "reflection") or not isinstance(number, str):
                    continue
                row = db.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone()
                if row is not None and row["origin"] != "remote":
                    continue  # sent from here after all: the outbox tells its state
                answer = entry.get("answer")
                answer = nfc(str(answer)) if answer else None
                verified = entry.get("verified")
                values = {
                    "number": number, "kind": kind, "payload": json.dumps(payload, ensure_ascii=False),
                    "state": state_from_outbox(entry).value, "server_ref": entry.get("server_ref"),
                    "server_state": entry.get("server_status"),
                    "verified": None if verified is None else int(bool(verified)),
                    "outcome": entry.get("outcome"), "answer": answer, "answered_at": entry.get("answered_at"),
                    "case_info": _case_info(entry, row["case_info"] if row is not None else None),
                }
                new_answer = bool(answer) and (row is None or answer != row["answer"])
                if row is not None and all(values[k] == row[k] for k in values):
                    continue
                now = _now()
                if row is None:
                    created = str(entry.get("received_at") or now)
                    db.execute("INSERT INTO submissions (id, number, kind, payload, created_at, state, server_ref, "
                               "server_state, verified, outcome, answer, answered_at, answer_seen, updated_at, origin, "
                               "case_info) VALUES (:id, :number, :kind, :payload, :created, :state, :server_ref, "
                               ":server_state, :verified, :outcome, :answer, :answered_at, :seen, :now, 'remote', "
                               ":case_info)",
                               {**values, "id": sid, "created": created, "now": now, "seen": 0 if answer else 1})
                else:
                    db.execute("UPDATE submissions SET " + ", ".join(f"{k} = :{k}" for k in values)
                               + ", answer_seen = :seen, updated_at = :now WHERE id = :id",
                               {**values, "id": sid, "now": now, "seen": 0 if new_answer else row["answer_seen"]})
                if kind == "assessment":
                    db.execute("UPDATE submissions SET superseded_by = ? WHERE number = ? AND kind = 'assessment' "
                               "AND origin = 'local' AND superseded_by IS NULL AND state IN ('queued', 'rejected')",
                               (sid, number))
                out = self._row(db.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone())
                out["new_answer"] = new_answer
                out["previous_state"] = row["state"] if row is not None else None
                changed.append(out)
        return changed

    def supersede_elsewhere(self, submission_id: str) -> str | None:
        """A local assessment the server refused because the declaration already has one
        (``already_assessed``): it stops being the declaration's assessment; the remote one
        (when known) is. Returns the declaration number, or None if nothing changed."""
        with self._tx() as db:
            row = db.execute("SELECT number, superseded_by FROM submissions WHERE id = ? AND kind = 'assessment'",
                             (submission_id,)).fetchone()
            if row is None or row["superseded_by"] is not None:
                return None
            remote = db.execute("SELECT id FROM submissions WHERE number = ? AND kind = 'assessment' "
                                "AND origin = 'remote' ORDER BY created_at DESC LIMIT 1", (row["number"],)).fetchone()
            db.execute("UPDATE submissions SET superseded_by = ?, updated_at = ? WHERE id = ?",
                       (remote[0] if remote else "remote", _now(), submission_id))
            return row["number"]

    def feedback(self) -> dict[str, dict[str, Any]]:
        """Per case (the submission it was opened for): the latest word the enterprise sent on
        customs' answer (kind ``case_feedback``), with its delivery state."""
        out: dict[str, dict[str, Any]] = {}
        for row in reversed(self.submissions(kind="case_feedback")):  # oldest first: the newest wins
            target = row["payload"].get("submission_id")
            if isinstance(target, str):
                out[target] = row
        return out

    def mark_answers_seen(self, ids: Iterable[str]) -> None:
        with self._tx() as db:
            db.executemany("UPDATE submissions SET answer_seen = 1 WHERE id = ?", [(i,) for i in ids])

    def unseen_answers(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._row(r) for r in self._db.execute(
                "SELECT * FROM submissions WHERE answer IS NOT NULL AND answer != '' AND answer_seen = 0 "
                "ORDER BY updated_at")]

    # ---- meta ----------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       (key, value))


def _case_info(entry: Mapping[str, Any], current: str | None) -> str | None:
    """Customs' case of a submission (state, deadline, whether it may be reopened) as JSON;
    kept as it was when the entry does not tell."""
    case = entry.get("case")
    if not isinstance(case, Mapping):
        return current
    return json.dumps(dict(case), ensure_ascii=False, sort_keys=True)
