"""Qt-free rules of the enterprise-information plugin.

The form's values are a ``business_info`` payload of schema 2 (``domain.business_info``),
validated by the shared ``domain.submissions.validate_business_info`` (the server runs the
same function). The plugin keeps, in its own data folder, the draft being typed, the item
being handed to the outbox (so a crash between the two writes cannot lose or double it),
the last version sent, and a random id of this workstation.
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from desktop.plugin_api import move_aside
from domain.business_info import SCHEMA, Change, as_v2, diff
from domain.submissions import FieldError, SubmissionInvalid, validate_business_info

IDENTITY_FIELDS = ("tax_code", "name", "address", "phone", "email", "representative")
CONTACT_FIELDS = ("name", "position", "phone", "email")
REASONS = ("changed", "first_time", "periodic")  # "requested" comes with an ad hoc request
REQUEST_REASON = {"periodic": "periodic", "first_time": "first_time", "ad_hoc": "requested"}
ROW_COLUMNS = {
    "bank_accounts": ("bank", "number", "currency"),
    "sites": ("kind", "address", "phone"),
    "related_parties": ("name", "tax_code", "country", "relation"),
}


def empty_values() -> dict[str, Any]:
    return {"reason": "", "request_id": "", "identity": {k: "" for k in IDENTITY_FIELDS},
            "contact": {k: "" for k in CONTACT_FIELDS}, "business_lines": [],
            "trade": {"hs_chapters": [], "offices": [], "turnover": ""},
            "bank_accounts": [], "sites": [], "related_parties": []}


@dataclass(frozen=True)
class Built:
    payload: dict[str, Any] | None
    errors: list[FieldError]


def build_payload(values: dict[str, Any], workstation: str | None = None) -> Built:
    """Turn the form's values into a validated schema-2 payload, or field errors."""
    raw = json.loads(json.dumps(values))  # a copy the rules may not alter
    if not raw.get("request_id"):
        raw.pop("request_id", None)
    if workstation:
        raw["workstation"] = workstation
    try:
        return Built(validate_business_info(raw, schema=SCHEMA), [])
    except SubmissionInvalid as exc:
        return Built(None, exc.errors)


def values_from_payload(payload: dict[str, Any], schema: int = SCHEMA) -> dict[str, Any]:
    """Values to pre-fill the form from a version sent before (schema 1 or 2); the reason
    and request are chosen again."""
    info = as_v2(schema, payload)
    values = empty_values()
    for key in ("identity", "contact", "trade"):
        values[key].update({k: v for k, v in (info.get(key) or {}).items() if k in values[key]})
    for key in ("business_lines", "bank_accounts", "sites", "related_parties"):
        values[key] = list(info.get(key) or [])
    return values


def changes(last: dict[str, Any] | None, payload: dict[str, Any]) -> list[Change]:
    """What the confirmation shows: the changes since the last version, field by field."""
    return diff(last, payload)


# ---- requests from customs -------------------------------------------------------------------

def due_of(request: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(request.get("due_date")))
    except ValueError:
        return None


def is_overdue(request: dict[str, Any], today: date) -> bool:
    due = due_of(request)
    return request.get("state") != "fulfilled" and due is not None and due < today


def pending_requests(requests: Iterable[dict[str, Any]], answered: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Requests still to answer, the most urgent first (no due date last). ``answered``:
    ids this workstation has already answered, whose fulfilment the feed has not brought
    yet."""
    done = set(answered)
    pending = [r for r in requests if r.get("state") != "fulfilled" and r.get("id") not in done]
    return sorted(pending, key=lambda r: (due_of(r) or date.max, str(r.get("created_at") or ""), str(r.get("id"))))


# ---- local files ----------------------------------------------------------------------------

class LocalState:
    """The draft, the item being sent and the last version sent, as JSON files written
    atomically; and this workstation's id."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _read(self, name: str) -> dict[str, Any] | None:
        path = self.folder / name
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # a damaged file is kept aside for inspection, never silently overwritten
            move_aside(path, companions=())
            return None
        return data if isinstance(data, dict) else None

    def _write(self, name: str, data: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def workstation(self) -> str:
        """A random id of this workstation (never personal), created on first use."""
        path = self.folder / "workstation.id"
        try:
            text = path.read_text("ascii").strip().lower()
            if len(text) == 32 and all(c in "0123456789abcdef" for c in text):
                return text
        except (OSError, UnicodeDecodeError):
            pass
        new = secrets.token_hex(16)
        try:
            path.write_text(new + "\n", "ascii")
        except OSError:
            pass
        return new

    def draft(self) -> dict[str, Any] | None:
        draft = self._read("draft.json")
        return draft if draft and draft.get("schema") == SCHEMA else None

    def save_draft(self, values: dict[str, Any]) -> None:
        self._write("draft.json", {**values, "schema": SCHEMA})

    def clear_draft(self) -> None:
        (self.folder / "draft.json").unlink(missing_ok=True)

    # sending: note the item first, hand it to the outbox, then record it as sent
    def begin_send(self, payload: dict[str, Any]) -> str:
        item_id = str(uuid.uuid4())
        self._write("sending.json", {"id": item_id, "payload": payload})
        return item_id

    def sending(self) -> dict[str, Any] | None:
        return self._read("sending.json")

    def last_sent(self) -> dict[str, Any] | None:
        last = self._read("last_sent.json")
        if last and isinstance(last.get("payload"), dict):
            last.setdefault("schema", 1)
            return last
        return None

    def record_sent(self, submission_id: str, payload: dict[str, Any], when: datetime | None = None) -> None:
        when = when or datetime.now(timezone.utc)
        self._write("last_sent.json", {"id": submission_id, "sent_at": when.isoformat(), "schema": SCHEMA,
                                       "payload": payload})
        self.clear_draft()
        (self.folder / "sending.json").unlink(missing_ok=True)

    def last_sent_at(self) -> datetime | None:
        last = self.last_sent()
        try:
            return datetime.fromisoformat(last["sent_at"]) if last else None
        except (KeyError, TypeError, ValueError):
            return None

    def answered(self) -> list[str]:
        data = self._read("answered.json") or {}
        return [str(x) for x in data.get("ids") or []]

    def add_answered(self, request_id: str) -> None:
        ids = self.answered()
        if request_id not in ids:
            self._write("answered.json", {"ids": (ids + [request_id])[-200:]})


def latest_version(local: dict[str, Any] | None, remote: Iterable[dict[str, Any]]) -> tuple[int, dict[str, Any]] | None:
    """The last version the enterprise sent, from this workstation (``local``, as
    :meth:`LocalState.last_sent`) or another (``remote``: submission entries of kind
    ``business_info`` from the host), as ``(schema, payload)``."""
    best: tuple[str, int, dict[str, Any]] | None = None
    if local:
        best = (str(local.get("sent_at") or ""), int(local.get("schema") or 1), local["payload"])
    for entry in remote:
        if entry.get("kind") != "business_info" or not isinstance(entry.get("payload"), dict):
            continue
        when = _utc_text(entry.get("received_at"))
        if best is None or when > _utc_text(best[0]):
            payload = entry["payload"]
            schema = SCHEMA if "identity" in payload else 1
            best = (when, schema, payload)
    return (best[1], best[2]) if best else None


def _utc_text(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value)).astimezone(timezone.utc).isoformat()
    except ValueError:
        return ""
