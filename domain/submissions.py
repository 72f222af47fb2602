"""Submission payloads (versioned JSON) and the rules both sides enforce.

The desktop plugins build payloads with these functions and validate them before the user
confirms; the server validates every item it ingests with the very same functions, so a
payload the desktop accepts is a payload the server accepts (and the reverse).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

from .codes import (
    DISSATISFIED_REASONS, LOW_RATING_MAX_STARS, SATISFIED_REASONS, TARGET_KINDS,
    can_assess, can_reflect, reasons_for,
)
from .text import TextTooLong, clean_text
from .validation import (
    InvalidEmail, InvalidPhone, InvalidTaxCode, normalize_company_phone, normalize_email, normalize_phone,
    normalize_tax_code,
)

SCHEMA_VERSION = 1
KINDS = ("assessment", "reflection", "business_info", "case_feedback")
MAX_COMMENT = 1200
MAX_DETAIL = 2000
MAX_NAME = 120
MAX_CONTENT = 2000
MAX_RATINGS = 50
BUSINESS_INFO_REASONS = ("changed", "first_time", "periodic")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class SubmissionInvalid(ValueError):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    """Stable serialisation used to compare bodies for idempotency (``json.dumps`` with
    these options, through one encoder instead of a new one per call)."""
    return _CANONICAL.encode(value)


class _Collector:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def text(self, field: str, value: Any, limit: int, *, required: bool, multiline: bool = False) -> str:
        if value is None or value == "":
            if required:
                self.add(field, "is required")
            return ""
        if not isinstance(value, str):
            self.add(field, "must be text")
            return ""
        try:
            cleaned = clean_text(value, limit, multiline=multiline)
        except TextTooLong as exc:
            self.add(field, f"is too long ({exc.length} characters, at most {exc.limit})")
            return ""
        if required and not cleaned:
            self.add(field, "is required")
        return cleaned

    def phone(self, field: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            self.add(field, "is required")
            return ""
        try:
            return normalize_phone(value)
        except InvalidPhone as exc:
            self.add(field, str(exc))
            return ""

    def raise_if_any(self) -> None:
        if self.errors:
            raise SubmissionInvalid(self.errors)


def _declaration_number(c: _Collector, value: Any) -> str:
    if not isinstance(value, str) or len(value) != 12 or not value.isdigit():
        c.add("declaration_number", "a declaration number has 12 digits")
        return ""
    return value


def validate_assessment(payload: Any, *, status: str | None = None, channel: int | None = None,
                        handled_by: Iterable[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Return the normalised assessment payload or raise :class:`SubmissionInvalid`.

    ``status``/``channel`` and ``handled_by`` (the declaration's handling records as
    ``(kind, code)`` pairs) are checked when given: the server always gives them.
    """
    c = _Collector()
    if not isinstance(payload, dict):
        raise SubmissionInvalid([FieldError("payload", "must be an object")])
    number = _declaration_number(c, payload.get("declaration_number"))
    if status is not None and not can_assess(status, channel):
        c.add("declaration_number", "this declaration cannot be assessed yet: goods are not released, "
                                    "brought to preservation or cleared")
    allowed = set(handled_by) if handled_by is not None else None
    ratings_in = payload.get("ratings")
    ratings: list[dict[str, Any]] = []
    any_low = False
    if not isinstance(ratings_in, list) or not ratings_in:
        c.add("ratings", "rate at least one official, team, stage or branch")
        ratings_in = []
    elif len(ratings_in) > MAX_RATINGS:
        c.add("ratings", f"at most {MAX_RATINGS} targets in one assessment")
        ratings_in = []
    seen: set[tuple[str, str]] = set()
    for i, r in enumerate(ratings_in):  # field names are written out only for an error
        if not isinstance(r, dict):
            c.add(f"ratings[{i}]", "must be an object")
            continue
        kind, code, stars = r.get("target_kind"), r.get("target_code"), r.get("stars")
        if not isinstance(kind, str) or kind not in TARGET_KINDS:
            c.add(f"ratings[{i}].target_kind", "must be official, team, stage or branch")
            continue
        if not isinstance(code, str) or not code or len(code) > 40:
            c.add(f"ratings[{i}].target_code", "is required")
            continue
        key = (kind, code)
        if key in seen:
            c.add(f"ratings[{i}]", "this target is rated twice")
            continue
        seen.add(key)
        if allowed is not None and key not in allowed:
            c.add(f"ratings[{i}]", "this target did not handle the declaration")
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            c.add(f"ratings[{i}].stars", "must be a whole number from 1 to 5")
            continue
        any_low |= stars <= LOW_RATING_MAX_STARS
        reasons = r.get("reasons") or []
        valid = reasons_for(stars)
        if not isinstance(reasons, list) or not reasons:
            c.add(f"ratings[{i}].reasons", "choose at least one reason")
            reasons = []
        elif len(reasons) == 1 and isinstance(reasons[0], str) and reasons[0] in valid:
            reasons = [reasons[0]]  # the usual case: one known reason
        else:
            bad = [x for x in reasons if not isinstance(x, str) or x not in valid]
            if bad:
                c.add(f"ratings[{i}].reasons", f"not a reason for {stars} stars: {', '.join(map(str, bad))[:200]}")
            reasons = sorted({x for x in reasons if isinstance(x, str) and x in valid})
        item: dict[str, Any] = {"target_kind": kind, "target_code": code, "stars": stars, "reasons": reasons}
        comment = r.get("comment")
        if comment is not None and comment != "":
            comment = c.text(f"ratings[{i}].comment", comment, MAX_COMMENT, required=False, multiline=True)
            if comment:
                item["comment"] = comment
        ratings.append(item)
    out: dict[str, Any] = {"declaration_number": number, "ratings": ratings}
    detail = c.text("detail", payload.get("detail"), MAX_DETAIL, required=any_low, multiline=True)
    contact_in = payload.get("contact")
    if any_low or contact_in:
        if not isinstance(contact_in, dict):
            c.add("contact", "a contact person (name and phone) is required for 1 or 2 stars")
        else:
            name = c.text("contact.name", contact_in.get("name"), MAX_NAME, required=True)
            phone = c.phone("contact.phone", contact_in.get("phone"))
            out["contact"] = {"name": name, "phone": phone}
    if detail:
        out["detail"] = detail
    c.raise_if_any()
    return out


def validate_reflection(payload: Any, *, status: str | None = None, channel: int | None = None,
                        handled_by: Iterable[tuple[str, str]] | None = None) -> dict[str, Any]:
    c = _Collector()
    if not isinstance(payload, dict):
        raise SubmissionInvalid([FieldError("payload", "must be an object")])
    number = _declaration_number(c, payload.get("declaration_number"))
    if status is not None and not can_reflect(status, channel):
        c.add("declaration_number", "a reflection can be sent once the declaration has a channel")
    name = c.text("name", payload.get("name"), MAX_NAME, required=True)
    phone = c.phone("phone", payload.get("phone"))
    content = c.text("content", payload.get("content"), MAX_CONTENT, required=True, multiline=True)
    allowed = set(handled_by) if handled_by is not None else None
    targets = []
    targets_in = payload.get("targets") or []
    if not isinstance(targets_in, list):
        c.add("targets", "must be a list of targets")
        targets_in = []
    for i, t in enumerate(targets_in):
        kind, code = (t.get("target_kind"), t.get("target_code")) if isinstance(t, dict) else (None, None)
        if not isinstance(kind, str) or kind not in TARGET_KINDS or not isinstance(code, str) \
                or not code or len(code) > 40:
            c.add(f"targets[{i}]", "must name a target kind and code")
            continue
        key = (kind, code)
        if allowed is not None and key not in allowed:
            c.add(f"targets[{i}]", "this target did not handle the declaration")
        targets.append({"target_kind": key[0], "target_code": key[1]})
    c.raise_if_any()
    return {"declaration_number": number, "name": name, "phone": phone, "content": content, "targets": targets}


BUSINESS_INFO_SCHEMAS = (1, 2)


def validate_business_info(payload: Any, *, schema: int = 1) -> dict[str, Any]:
    """The enterprise's information (kind ``business_info``). Schema 2 is the full form
    (``domain.business_info``); schema 1, the earlier identity and free fields, is still
    accepted with the same rules for what both have: a valid e-mail address
    (``email-validator``), a company phone that is a mobile or a landline, and the legal
    representative required."""
    if schema == 2:
        from .business_info import validate_v2

        return validate_v2(payload)
    c = _Collector()
    if not isinstance(payload, dict):
        raise SubmissionInvalid([FieldError("payload", "must be an object")])
    tax_code = ""
    try:
        tax_code = normalize_tax_code(str(payload.get("tax_code", "")))
    except InvalidTaxCode as exc:
        c.add("tax_code", str(exc))
    out: dict[str, Any] = {"tax_code": tax_code}
    out["name"] = c.text("name", payload.get("name"), 300, required=True)
    out["address"] = c.text("address", payload.get("address"), 500, required=True)
    out["phone"] = ""
    if payload.get("phone"):
        try:
            out["phone"] = normalize_company_phone(str(payload.get("phone")))
        except InvalidPhone as exc:
            c.add("phone", str(exc))
    email = c.text("email", payload.get("email"), 254, required=False)
    if email:
        try:
            email = normalize_email(email)
        except InvalidEmail:
            c.add("email", "is not an e-mail address")
    out["email"] = email
    out["representative"] = c.text("representative", payload.get("representative"), MAX_NAME, required=True)
    reason = payload.get("reason")
    if reason not in BUSINESS_INFO_REASONS:
        c.add("reason", "must be changed, first_time or periodic")
    out["reason"] = reason
    fields = payload.get("fields") or {}
    if not isinstance(fields, dict) or len(fields) > 50:
        c.add("fields", "must be an object with at most 50 entries")
        fields = {}
    out["fields"] = {str(k)[:60]: c.text(f"fields.{k}", v, 1000, required=False, multiline=True)
                     for k, v in fields.items() if isinstance(v, str)}
    c.raise_if_any()
    return out


CASE_ACTIONS = ("accept", "reopen")
MAX_CASE_COMMENT = 2000
_UUID_LEN = 36


def validate_case_feedback(payload: Any) -> dict[str, Any]:
    """The enterprise's word on customs' answer to one of its cases (a reflection or a low
    rating): ``accept`` it, or ``reopen`` the case once with a comment (kind
    ``case_feedback``, schema 1). ``submission_id`` is the client id of the assessment or
    reflection the case was opened for. Whether the case is answered and may still be
    reopened is for the server to check against what it holds."""
    c = _Collector()
    if not isinstance(payload, dict):
        raise SubmissionInvalid([FieldError("payload", "must be an object")])
    sid = payload.get("submission_id")
    if not isinstance(sid, str) or len(sid) != _UUID_LEN or sid.count("-") != 4 \
            or not all(ch in "0123456789abcdefABCDEF-" for ch in sid):
        c.add("submission_id", "must be the id of a submission")
        sid = ""
    action = payload.get("action")
    if action not in CASE_ACTIONS:
        c.add("action", "must be accept or reopen")
    comment = c.text("comment", payload.get("comment"), MAX_CASE_COMMENT, required=action == "reopen",
                     multiline=True)
    c.raise_if_any()
    out: dict[str, Any] = {"submission_id": sid.lower(), "action": action}
    if comment:
        out["comment"] = comment
    return out


def is_low_rating(payload: dict[str, Any]) -> bool:
    return any(r["stars"] <= LOW_RATING_MAX_STARS for r in payload.get("ratings", []))


__all__ = [
    "SCHEMA_VERSION", "KINDS", "FieldError", "SubmissionInvalid", "canonical_json",
    "validate_assessment", "validate_reflection", "validate_business_info", "validate_case_feedback", "is_low_rating",
    "SATISFIED_REASONS", "DISSATISFIED_REASONS",
]
