"""Qt-free rules of the enterprise-information plugin.

The form's values become a ``business_info`` payload validated by the shared
``domain.submissions.validate_business_info`` (the server runs the same function). The
plugin keeps, in its own data folder, the draft being typed and the last information sent,
so nothing typed is lost and the periodic reminder knows when it is due.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from domain.submissions import FieldError, SubmissionInvalid, validate_business_info

# Standard fields of the payload, then the extra fields customs collects for risk management.
STANDARD_FIELDS = ("tax_code", "name", "address", "phone", "email", "representative")
EXTRA_FIELDS = ("main_business", "employees", "charter_capital", "production_site", "usual_office")
REASONS = ("changed", "first_time", "periodic")
DEFAULT_PERIOD_DAYS = 180


@dataclass(frozen=True)
class Built:
    payload: dict[str, Any] | None
    errors: list[FieldError]


def build_payload(values: dict[str, Any]) -> Built:
    """Turn form values (field name → text) into a validated payload, or field errors."""
    raw: dict[str, Any] = {k: (values.get(k) or "") for k in STANDARD_FIELDS}
    raw["reason"] = values.get("reason") or None
    extra = {k: str(values[k]) for k in EXTRA_FIELDS if str(values.get(k) or "").strip()}
    errors: list[FieldError] = []
    employees = extra.get("employees", "").replace(".", "").replace(",", "").strip()
    if employees and not employees.isdigit():
        errors.append(FieldError("fields.employees", "must be a whole number"))
    elif employees:
        extra["employees"] = str(int(employees))
    capital = extra.get("charter_capital", "").replace(".", "").replace(",", "").replace(" ", "").strip()
    if capital and not capital.isdigit():
        errors.append(FieldError("fields.charter_capital", "must be an amount in đồng"))
    elif capital:
        extra["charter_capital"] = str(int(capital))
    raw["fields"] = extra
    try:
        payload = validate_business_info(raw)
    except SubmissionInvalid as exc:
        return Built(None, errors + exc.errors)
    if errors:
        return Built(None, errors)
    payload["fields"] = {k: v for k, v in payload["fields"].items() if v}
    return Built(payload, [])


def reminder_due(last_sent_at: datetime | None, today: date, period_days: int = DEFAULT_PERIOD_DAYS) -> bool:
    """The periodic reminder is due when nothing was ever sent or the last is too old."""
    if last_sent_at is None:
        return True
    return (today - last_sent_at.date()).days >= max(period_days, 1)


class LocalState:
    """The draft and the last information sent, as JSON files written atomically."""

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
            broken = path.with_suffix(path.suffix + ".damaged")
            os.replace(path, broken)
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

    def draft(self) -> dict[str, Any] | None:
        return self._read("draft.json")

    def save_draft(self, values: dict[str, Any]) -> None:
        self._write("draft.json", values)

    def clear_draft(self) -> None:
        (self.folder / "draft.json").unlink(missing_ok=True)

    def last_sent(self) -> dict[str, Any] | None:
        return self._read("last_sent.json")

    def record_sent(self, submission_id: str, payload: dict[str, Any], when: datetime | None = None) -> None:
        when = when or datetime.now(timezone.utc)
        self._write("last_sent.json", {"id": submission_id, "sent_at": when.isoformat(), "payload": payload})
        self.clear_draft()

    def last_sent_at(self) -> datetime | None:
        last = self.last_sent()
        if not last:
            return None
        try:
            return datetime.fromisoformat(last["sent_at"])
        except (KeyError, TypeError, ValueError):
            return None


def form_values_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Values to pre-fill the form from a payload sent before."""
    values = {k: payload.get(k, "") for k in STANDARD_FIELDS}
    values.update({k: v for k, v in (payload.get("fields") or {}).items() if k in EXTRA_FIELDS})
    return values
