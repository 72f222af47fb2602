"""Batch ingest of submissions with per-item results.

Every refusal carries a stable ``code`` (``ITEM_CODES``), which the desktop turns into the
user's language (``domain.errors``); ``message`` is English detail for logs and support. A
refusal with ``already_assessed`` names the declaration's existing final assessment in
``server_ref``.

Two transactions per batch: a read transaction reads the declarations, their handling
records, the ids already stored and the declarations that already have a final assessment
once for the whole batch, and the batch is evaluated and its rows built outside the write
lock; one write transaction then stores the accepted items with one multi-row insert each
for submissions and ratings, after checking that what the evaluation read has not changed
(``_ingest_before_the_lock``). Only the storing holds SQLite's single write lock, so the
server's worker processes evaluate their batches at the same time.

Idempotency: the client's UUID is under a permanent unique constraint. The body hash is the
SHA-256 of the canonical JSON of ``{"kind", "schema", "payload"}`` with the payload in the
normal form of the shared rules (``domain.submissions``), so a replay that differs only in
Unicode normalisation or spacing is still the same body. Same id and same body → the
original result; same id and another body → 422 ``conflict``. When two requests race with
the same id (or two final assessments for one declaration), the unique constraint stops the
second insert; the batch is then rolled back and evaluated again, and the second request
sees the first one's row as a duplicate (or a conflict). Nothing is counted before that.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, NamedTuple

import orjson
import sqlalchemy as sa

from domain.submissions import (
    BUSINESS_INFO_SCHEMAS, SCHEMA_VERSION, SubmissionInvalid, canonical_json, is_low_rating, validate_assessment,
    validate_business_info, validate_case_feedback, validate_reflection,
)

from . import feeds, report_store
from .bulk import chunks, driver_values, in_values, insert_numbered_values, insert_values, placeholder, select_in
from .db import Database
from .enums import CaseState
from .schema import cases, declarations, handling, ratings, submissions
from .timeutil import iso, utcnow, vn_day

log = logging.getLogger("server.ingest")

PREFIX = {"assessment": "A", "reflection": "R", "business_info": "B", "case_feedback": "F"}
# the stable codes of a refused item (docs/API.md); what they mean to a person: domain.errors
ITEM_CODES = ("validation_error", "invalid_content", "schema_unsupported", "id_conflict", "declaration_unknown",
              "declaration_not_yours", "not_own_tax_code", "already_assessed", "case_unknown", "case_not_answered",
              "case_reopen_used")
MAX_ATTEMPTS = 6

Validator = Callable[..., dict[str, Any]]
_VALIDATORS: dict[str, Validator] = {
    "assessment": validate_assessment,
    "reflection": validate_reflection,
    "business_info": validate_business_info,
    "case_feedback": validate_case_feedback,
}


def server_ref(kind: str, seq: int) -> str:
    return f"{PREFIX.get(kind, 'X')}-{seq:06d}"


# bytes.translate table: a digit becomes "0", a point or an exponent ".", anything else a
# space; b"0." in the result finds a digit followed by a point or an exponent (a float may
# be there) in one table pass and one substring search (a regular expression took twice as long)
_FRACTION_MARKS = bytes(48 if 48 <= b <= 57 else 46 if b in b".eE" else 32 for b in range(256))


def canonical_text(value: Any) -> str:
    """:func:`domain.submissions.canonical_json` of ``value``, written by orjson (several
    times faster) when that gives the same text: for text, integers of 64 bits, booleans,
    null, lists and objects with text keys it does; floats it may write otherwise
    (``0.00001`` for ``1e-05``, null for infinity), so a text where a digit meets a point
    or an exponent, or with a null, and whatever orjson refuses, is written by the standard
    library."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, an integer over 64 bits, a key not text...
        return canonical_json(value)
    if b"null" in data or b"0." in data.translate(_FRACTION_MARKS):
        return canonical_json(value)
    return data.decode()


def body_hash(kind: str, schema: int, payload: Any, payload_json: str | None = None) -> str:
    """SHA-256 of ``canonical_json({"kind", "schema", "payload"})``; ``payload_json`` is the
    payload's canonical JSON when already at hand (the same text is then built without
    serialising the payload twice: keys sort as kind < payload < schema)."""
    if payload_json is None:
        payload_json = canonical_text(payload)
    kind_json = f'"{kind}"' if kind in PREFIX else canonical_json(kind)
    text = f'{{"kind":{kind_json},"payload":{payload_json},"schema":{int(schema)}}}'
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Item:
    id: str  # as sent (echoed back)
    kind: str
    schema: int
    payload: Any
    created_at: str | None = None
    received_at: datetime | None = None  # seeding only: a past receipt time

    key: str = ""
    _hash: str | None = None

    def prepare(self) -> None:
        self.key = self.id.lower()

    @property
    def hash(self) -> str:
        """Hash of the body in normal form (computed only when an id is seen again)."""
        if self._hash is None:
            validator = _VALIDATORS.get(self.kind)
            payload = self.payload
            if validator is not None and (self.schema == SCHEMA_VERSION or self.kind == "business_info"):
                try:
                    payload = (validator(self.payload, schema=self.schema) if self.kind == "business_info"
                               else validator(self.payload))
                except SubmissionInvalid:
                    pass
            self._hash = body_hash(self.kind, self.schema, payload)
        return self._hash

    @property
    def declaration_number(self) -> str | None:
        if self.kind in ("assessment", "reflection") and isinstance(self.payload, dict):
            n = self.payload.get("declaration_number")
            if isinstance(n, str) and len(n) == 12 and n.isdigit():
                return n
        return None


def _result(item: Item, status: str, http_status: int, code: str | None = None, message: str | None = None,
            *, details: list[dict[str, str]] | None = None, ref: str | None = None,
            received_at: datetime | None = None) -> dict[str, Any]:
    return {"id": item.id, "status": status, "http_status": http_status, "code": code, "message": message,
            "details": details, "server_ref": ref, "received_at": iso(received_at)}


def _rejected(item: Item, http_status: int, code: str, message: str,
              details: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return _result(item, "rejected", http_status, code, message, details=details)


MAX_DEPTH = 32


def screen(item: "Item") -> dict[str, Any] | None:
    """Refuse an item whose content no rule can handle, before anything else reads it: text
    that is not valid Unicode (a lone surrogate such as ``"\\ud800"`` cannot be encoded as
    UTF-8, hashed or stored), numbers that are not finite (``1e400`` reads as infinity) and
    nesting deeper than ``MAX_DEPTH``. The item alone is refused: 422 ``invalid_content``."""
    if _plainly_fine(item.payload):  # the common case: one C-speed pass, no walk over every string
        return None
    stack: list[tuple[Any, str, int]] = [(item.payload, "payload", 0)]
    while stack:
        value, path, depth = stack.pop()
        problem = None
        if depth > MAX_DEPTH:
            problem = f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(value, str):
            if not _encodable(value):
                problem = "contains text that is not valid Unicode (a lone surrogate)"
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                problem = "a number is too large"
        elif isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(k, str) or not _encodable(k):
                    problem = "a field name is not valid Unicode text (a lone surrogate)"
                    break
                stack.append((v, f"{path}.{k}", depth + 1))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
        if problem is not None:
            field = path.removeprefix("payload.").removeprefix("payload") or "payload"
            if not _encodable(field):
                field = field.encode("utf-8", "backslashreplace").decode("ascii", "replace")
            return _rejected(item, 422, "invalid_content", f"{field}: {problem}",
                             [{"field": field[:200], "message": problem}])
    return None


_SCREEN_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)  # ``json.dumps`` with these options


def _utf8_json(payload: Any) -> bytes:
    """The payload as UTF-8 JSON; ValueError, TypeError or RecursionError when it has text
    that is not valid Unicode, a number that is not finite, or is nested too deep. orjson
    writes most payloads; it writes a number that is not finite as null and refuses
    integers over 64 bits, so those, and any null, go to the standard library."""
    try:
        data = orjson.dumps(payload)
    except TypeError:
        data = b"null"
    if b"null" in data:
        return _SCREEN_JSON.encode(payload).encode("utf-8")  # UnicodeEncodeError is a ValueError
    return data


def _plainly_fine(payload: Any) -> bool:
    """True when the payload encodes as UTF-8 JSON with finite numbers and is nested at most
    ``MAX_DEPTH`` deep (then :func:`screen` has nothing to say); False: look closer."""
    try:
        text = _utf8_json(payload)
    except (ValueError, TypeError, RecursionError):
        return False
    if isinstance(payload, dict) and text.count(b"{") + text.count(b"[") <= MAX_DEPTH:
        return True  # every container opens a bracket (so may text): too few for that depth
    level, depth = [payload], 0  # the containers at ``depth``
    while level:
        if depth >= MAX_DEPTH and any(level):  # a value below this level is nested too deep
            return False
        level = [v for c in level for v in (c.values() if isinstance(c, dict) else c) if isinstance(v, (dict, list))]
        depth += 1
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _same_owner(owner: str, principal_tax: str) -> bool:
    return owner == principal_tax


# ---- what the database already holds about a batch -----------------------------------------

@dataclass
class _Known:
    """What is stored about a batch, read once before its items are evaluated: the rows of
    its ids (``existing``), the declarations it speaks of with their handling records
    (``kind``, ``code``) and final assessments, and the cases of its ``case_feedback``."""
    existing: dict[str, Any]
    decls: dict[str, Any]
    handled: dict[str, list[tuple[str, str]]]
    finals: dict[str, Any]
    targets: dict[str, _Target]


class _Declaration(NamedTuple):
    """What the evaluation and the summaries read of a declaration."""
    number: str
    owner_tax_code: str
    office_code: str
    status: str
    channel: int | None
    type_code: str


_STORED = (submissions.c.client_id, submissions.c.body_hash, submissions.c.seq, submissions.c.kind,
           submissions.c.received_at, submissions.c.owner_tax_code)


def _read_known(conn: sa.Connection, owner: str, items: list[Item]) -> _Known:
    keys = list(dict.fromkeys(i.key for i in items))
    existing: dict[str, Any] = {}
    for chunk in chunks(keys):
        for r in conn.execute(sa.select(*_STORED).where(in_values(conn, submissions.c.client_id, chunk))).all():
            existing[r.client_id] = r
    known = _Known(existing, {}, {}, {}, {})
    _read_declarations(conn, list({n for i in items if (n := i.declaration_number)}), known, set(keys))
    # the cases that case_feedback items speak of: by the client id of their submission
    known.targets = _feedback_targets(conn, owner, items)
    return known


def _read_declarations(conn: sa.Connection, numbers: list[str], known: _Known, wanted: set[str]) -> None:
    """The declarations ``numbers``, their handling records and final assessments into
    ``known``; a final assessment with one of the ``wanted`` ids joins ``known.existing``."""
    d = declarations.c
    for r in select_in(conn, [getattr(d, f) for f in _Declaration._fields], d.number, numbers):
        known.decls[r[0]] = _Declaration._make(r)
    handled = known.handled
    for number, kind, code in select_in(conn, [handling.c.declaration_number, handling.c.kind, handling.c.code],
                                        handling.c.declaration_number, numbers):
        entry = handled.get(number)
        if entry is None:
            handled[number] = [(kind, code)]
        else:
            entry.append((kind, code))
    for chunk in chunks(numbers):
        for r in conn.execute(sa.select(submissions.c.final_key, *_STORED)
                              .where(in_values(conn, submissions.c.final_key, chunk))).all():
            known.finals[r.final_key] = r
            # committed by a concurrent request after the id lookup (PostgreSQL reads each
            # statement at its own snapshot): it is the stored row of that id
            if r.client_id in wanted and r.client_id not in known.existing:
                known.existing[r.client_id] = r


# ---- evaluating the items --------------------------------------------------------------

class _Refused(Exception):
    """An item's answer is settled before it is stored (a refusal, or the answer of an id
    already known)."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class _Evaluation:
    """The items of one batch checked in order against what is stored and against each
    other: ``results`` holds each item's answer once settled (None for the accepted, a
    ``("same-as", index)`` for a repeat of an earlier item), ``accepted`` the
    ``(index, item, normalised payload)`` to store."""

    def __init__(self, owner: str, known: _Known, count: int) -> None:
        self.owner = owner
        self.known = known
        self.results: list[Any] = [None] * count
        self.accepted: list[tuple[int, Item, dict[str, Any]]] = []
        self._seen: dict[str, tuple[Item, int]] = {}  # key -> (first item in this batch, its index)
        self._finals: set[str] = set()  # declarations given their final assessment in this batch

    def evaluate(self, idx: int, item: Item) -> None:
        refused = screen(item)
        if refused is not None:
            self.results[idx] = refused
            return
        try:
            self._check_identity(idx, item)  # 1. a known id is answered from what is stored, whatever else changed
            self._check_envelope(item)  # 2.
            decl = self._declaration(item)  # 3. ownership and existence of the declaration
            norm = self._apply_rules(item, decl)  # 4.
            self._check_final(item, norm)  # 5. one final assessment per declaration
            self.accepted.append((idx, item, norm))
        except _Refused as refusal:
            self.results[idx] = refusal.result
        except Exception:  # noqa: BLE001 - one item's trouble never fails the whole batch
            log.exception("unexpected error evaluating one item of a batch")
            self.results[idx] = _rejected(item, 500, "internal", "the server could not evaluate this item; "
                                                                 "it will be evaluated again when sent again")

    def _check_identity(self, idx: int, item: Item) -> None:
        if item.key in self._seen:
            first, first_idx = self._seen[item.key]
            if first.hash != item.hash:
                raise _Refused(_rejected(item, 422, "id_conflict", "this id is already used in this batch for a different body"))
            raise _Refused(("same-as", first_idx))
        self._seen[item.key] = (item, idx)
        old = self.known.existing.get(item.key)
        if old is None:
            return
        if not _same_owner(old.owner_tax_code, self.owner):
            raise _Refused(_rejected(item, 422, "id_conflict", "this id is already used by another submission"))
        if old.body_hash != item.hash:
            raise _Refused(_rejected(item, 422, "id_conflict", "this id was already received with a different body; "
                                                               "a changed submission needs a new id"))
        raise _Refused(_result(item, "duplicate", 200, ref=server_ref(old.kind, old.seq), received_at=old.received_at))

    @staticmethod
    def _check_envelope(item: Item) -> None:
        if item.schema != SCHEMA_VERSION and not (item.kind == "business_info" and item.schema in BUSINESS_INFO_SCHEMAS):
            raise _Refused(_rejected(item, 422, "schema_unsupported", f"schema {item.schema} of {item.kind} is not "
                                                                      f"supported (this server reads {SCHEMA_VERSION})"))

    def _declaration(self, item: Item) -> Any:
        """The stored declaration an assessment or reflection speaks of (None for the other kinds)."""
        if item.kind not in ("assessment", "reflection"):
            return None
        number = item.declaration_number
        if number is None:
            raise _Refused(_rejected(item, 422, "validation_error", "declaration_number: a declaration number has 12 digits",
                                     [{"field": "declaration_number", "message": "a declaration number has 12 digits"}]))
        decl = self.known.decls.get(number)
        if decl is None:
            raise _Refused(_rejected(item, 404, "declaration_unknown", f"the declaration {number} is not known to customs"))
        if not _same_owner(decl.owner_tax_code, self.owner):
            raise _Refused(_rejected(item, 403, "declaration_not_yours", f"the declaration {number} belongs to another enterprise"))
        return decl

    def _apply_rules(self, item: Item, decl: Any) -> dict[str, Any]:
        """The shared rules, with the declaration's status, channel and handling records;
        then what only the server can check. Returns the normalised payload."""
        try:
            if decl is not None:
                norm = _VALIDATORS[item.kind](item.payload, status=decl.status, channel=decl.channel,
                                              handled_by=self.known.handled.get(decl.number, []))
            elif item.kind == "business_info":
                norm = validate_business_info(item.payload, schema=item.schema)
            else:
                norm = _VALIDATORS[item.kind](item.payload)
        except SubmissionInvalid as exc:
            details = [e.as_dict() for e in exc.errors]
            raise _Refused(_rejected(item, 422, "validation_error", str(exc)[:1000], details)) from None
        if item.kind == "case_feedback":
            refused = _check_feedback(item, norm, self.known.targets)
            if refused is not None:
                raise _Refused(refused)
        if item.kind == "business_info":
            if (norm.get("tax_code") or norm["identity"]["tax_code"]).split("-")[0] != self.owner.split("-")[0]:
                raise _Refused(_rejected(item, 403, "not_own_tax_code", "an enterprise sends information about itself only"))
        return norm

    def _check_final(self, item: Item, norm: dict[str, Any]) -> None:
        if item.kind != "assessment":
            return
        number = norm["declaration_number"]
        prior = self.known.finals.get(number)
        if prior is not None or number in self._finals:
            ref = server_ref("assessment", prior.seq) if prior is not None else None
            raise _Refused(_result(item, "rejected", 409, "already_assessed",
                                   f"the declaration {number} already has its final assessment "
                                   f"({ref or 'an earlier item of this batch'}); only one is accepted per declaration",
                                   ref=ref, received_at=prior.received_at if prior is not None else None))
        self._finals.add(number)


# ---- storing the accepted items ----------------------------------------------------------

def _submission_row(item: Item, norm: dict[str, Any], owner: str, known: _Known, now: datetime) -> dict[str, Any]:
    """The ``submissions`` row of an accepted item (its body hash is now the normal form's)."""
    if item.kind == "case_feedback":
        number = known.targets[norm["submission_id"]].declaration_number
    else:
        number = norm.get("declaration_number") if item.kind != "business_info" else None
    received = item.received_at or now
    payload_json = canonical_text(norm)
    item._hash = body_hash(item.kind, item.schema, norm, payload_json)
    return {
        "client_id": item.key, "kind": item.kind, "schema_version": item.schema, "owner_tax_code": owner,
        "declaration_number": number, "final_key": number if item.kind == "assessment" else None,
        "body_hash": item._hash, "payload": payload_json, "created_at": (item.created_at or None),
        "received_at": received, "needs_answer": item.kind == "reflection" or
        (item.kind == "assessment" and is_low_rating(norm)),
        "state": "received", "updated_at": received,
    }  # verified, outcome, answer, answered_at and answered_by: NULL until customs answers


# the columns of a submission row that the ingest writes (``_submission_row``), in the order
# of the values ``_prepare`` works out; ``seq`` (and on SQLite ``change_seq``) are numbered
# when the rows are inserted
SUBMISSION_COLUMNS = ("client_id", "kind", "schema_version", "owner_tax_code", "declaration_number", "final_key",
                      "body_hash", "payload", "created_at", "received_at", "needs_answer", "state", "updated_at")
# the columns of a ratings row; ``_prepare`` works out all but the first
RATING_COLUMNS = ("submission_seq", "declaration_number", "branch_code", "target_kind", "target_code", "stars",
                  "rated_day")


@dataclass
class _Prepared:
    """What a batch's accepted items become, worked out before the write lock is taken, so
    that the lock is held for the database's own work: the submission rows (canonical text
    and hash) and their values for the driver, the values of their ratings, the report
    summaries' upserts, the cases to open and the enterprise's word on its cases. Ratings
    and cases name their submission by its place ``j`` among the accepted items: its
    ``seq`` is given when it is inserted."""
    rows: list[dict[str, Any]]
    values: list[Any]
    ratings: list[tuple[int, tuple[Any, ...]]]
    summaries: report_store.SummaryRows
    cases: list[tuple[int, dict[str, Any]]]
    feedback: list[tuple[int, str, str | None]]
    openings: Any = None  # cases.Openings, read with ``_plan_openings``


def _plan_openings(conn: sa.Connection, prepared: _Prepared) -> None:
    """Work out the cases to open (deadlines, who to alert) with ``conn``."""
    if prepared.cases:
        from . import cases as case_service

        prepared.openings = case_service.plan_openings(conn, prepared.cases)


def _prepare(owner: str, evaluation: _Evaluation, now: datetime, dialect: str) -> _Prepared:
    accepted, known = evaluation.accepted, evaluation.known
    rows = [_submission_row(item, norm, owner, known, now) for _idx, item, norm in accepted]
    days: dict[datetime, str] = {}
    rated: list[tuple[int, tuple[Any, ...]]] = []
    opened: list[tuple[int, dict[str, Any]]] = []
    feedback: list[tuple[int, str, str | None]] = []
    for j, ((_idx, item, norm), row) in enumerate(zip(accepted, rows)):
        kind = item.kind
        decl = known.decls[norm["declaration_number"]] if kind in ("assessment", "reflection") else None
        if row["needs_answer"]:
            stars = [r["stars"] for r in norm.get("ratings", [])] if kind == "assessment" else []
            opened.append((j, {"kind": kind, "branch": decl.office_code, "lowest_stars": min(stars) if stars else None,
                               "received_at": row["received_at"]}))
        elif kind == "case_feedback":
            feedback.append((known.targets[norm["submission_id"]].case_id, norm["action"], norm.get("comment")))
        if kind == "assessment":
            received = row["received_at"]
            day = days.get(received) or days.setdefault(received, vn_day(received))
            number, branch = decl.number, decl.office_code
            rated.extend((j, (number, branch, r["target_kind"], r["target_code"], r["stars"], day))
                         for r in norm["ratings"])
    counts = report_store.counts_of(accepted, rows, known.decls, days)
    return _Prepared(rows, driver_values(dialect, submissions, SUBMISSION_COLUMNS, rows), rated,
                     report_store.summary_rows(counts, dialect), opened, feedback)


def _store(conn: sa.Connection, owner: str, evaluation: _Evaluation, prepared: _Prepared, now: datetime) -> list[int]:
    """Store the accepted items and what follows from them (business information versions,
    ratings and the report summaries, cases, the enterprise's word on its cases); returns
    the ``seq`` of each, in their order. On SQLite the batch takes its feed positions in one
    clock update."""
    accepted, rows = evaluation.accepted, prepared.rows
    counters = [("change_seq", feeds.take_positions(conn, len(rows)))] if conn.dialect.name == "sqlite" else []
    seqs = insert_numbered_values(conn, submissions, "seq", SUBMISSION_COLUMNS, prepared.values, unique="client_id",
                                  counters=counters)
    infos = [(seq, item.schema, norm, row["received_at"])
             for (_i, item, norm), row, seq in zip(accepted, rows, seqs) if item.kind == "business_info"]
    if infos:  # every version of the enterprise's information is kept (server/business_info.py)
        from .business_info import record_versions

        record_versions(conn, owner, infos)
    if prepared.ratings:
        insert_values(conn, ratings, RATING_COLUMNS, [(seqs[j], *values) for j, values in prepared.ratings])
    report_store.apply_rows(conn, prepared.summaries)  # the report summaries, same transaction
    if prepared.cases or prepared.feedback:  # cases of reflections and low ratings, the enterprise's word on them
        from . import cases as case_service

        if prepared.openings is None:
            _plan_openings(conn, prepared)
        if prepared.openings is not None:
            case_service.open_planned(conn, prepared.openings, seqs, now)
        for case_id, action, comment in prepared.feedback:
            case_service.apply_feedback(conn, case_id, action, comment, now)
    return seqs


def _accepted(evaluation: _Evaluation, rows: list[dict[str, Any]], seqs: list[int]) -> None:
    """Set the answers of the stored items (after the write lock is released)."""
    results = evaluation.results
    for (idx, item, _norm), row, seq in zip(evaluation.accepted, rows, seqs):
        results[idx] = _result(item, "accepted", 201, ref=server_ref(item.kind, seq), received_at=row["received_at"])


def _answers(items: list[Item], results: list[Any]) -> list[dict[str, Any]]:
    """Every item's answer, in the batch's order: a repeat of an earlier item (same id and
    body) gets that item's answer under its own id, a duplicate where the first was accepted."""
    out: list[dict[str, Any]] = []
    for idx, res in enumerate(results):
        if isinstance(res, tuple):  # the same id and body twice in one batch
            first = results[res[1]]
            assert isinstance(first, dict)
            res = dict(first, id=items[idx].id)
            if first["status"] == "accepted":
                res.update(status="duplicate", http_status=200)
        out.append(res)
    return out


def _evaluate(owner: str, known: _Known, items: list[Item]) -> _Evaluation:
    evaluation = _Evaluation(owner, known, len(items))
    for idx, item in enumerate(items):
        evaluation.evaluate(idx, item)
    return evaluation


def _evaluate_and_store(conn: sa.Connection, owner: str, items: list[Item], now: datetime) -> list[dict[str, Any]]:
    """Evaluate a batch (``Item.prepare`` done) and store what it accepts, in the caller's
    write transaction; returns the answer of every item."""
    evaluation = _evaluate(owner, _read_known(conn, owner, items), items)
    if evaluation.accepted:
        prepared = _prepare(owner, evaluation, now, conn.dialect.name)
        _accepted(evaluation, prepared.rows, _store(conn, owner, evaluation, prepared, now))
    return _answers(items, evaluation.results)


_DECLARATIONS_MARK = ("SELECT change_tx, change_seq FROM declarations WHERE owner_tax_code = {} "
                      "ORDER BY change_tx DESC, change_seq DESC LIMIT 1")  # one step down an index


def _declarations_mark(conn: sa.Connection, owner: str) -> Any:
    """The feed position of the enterprise's newest declaration change: every insert and
    update of a declaration moves it (a database trigger, ``server/feeds.py``), and its
    handling records change only with it (``server/declarations.py``). Read through the
    driver: the statement costs ~10 µs, building and compiling it with the toolkit ~200."""
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(_DECLARATIONS_MARK.format(placeholder(conn.dialect.name)), (owner,))
        return cur.fetchone()
    finally:
        cur.close()


def _targets_mark(targets: dict[str, _Target]) -> dict[str, tuple[Any, ...]]:
    return {k: (t.case_id, t.state, t.reopened, t.declaration_number) for k, t in targets.items()}


def _ingest_before_the_lock(db: Database, owner: str, items: list[Item], now: datetime) -> list[dict[str, Any]]:
    """Read what is stored about the batch in a short read transaction, then evaluate it
    and work out what it becomes with no transaction open, so that other writers (the
    server's other processes) write meanwhile; then take the write lock only to store.

    The evaluation stands if, under the lock, nothing it read has changed in a way no
    constraint catches: the enterprise's declarations (their status, channel and handling
    records) and the cases its ``case_feedback`` items speak of; otherwise the batch is
    evaluated again under the lock. A client id or a final assessment stored meanwhile is
    caught by its unique constraint (``ingest`` evaluates the batch again). A batch that
    accepts nothing (replays, refusals) writes nothing."""
    with db.read() as conn:
        known = _read_known(conn, owner, items)
        declarations_then = _declarations_mark(conn, owner)
    targets_then = _targets_mark(known.targets)  # before the evaluation moves their states on
    evaluation = _evaluate(owner, known, items)
    if not evaluation.accepted:
        return _answers(items, evaluation.results)
    prepared = _prepare(owner, evaluation, now, db.dialect)
    if prepared.cases:
        with db.read() as conn:
            _plan_openings(conn, prepared)
    with db.write() as conn:
        if _declarations_mark(conn, owner) != declarations_then or (
                targets_then and _targets_mark(_feedback_targets(conn, owner, items)) != targets_then):
            log.info("what a batch was evaluated against changed before it was stored; evaluating it again")
            return _evaluate_and_store(conn, owner, items, now)
        seqs = _store(conn, owner, evaluation, prepared, now)
    _accepted(evaluation, prepared.rows, seqs)
    return _answers(items, evaluation.results)


@dataclass
class _Target:
    """The case a ``case_feedback`` item speaks of, as this batch leaves it."""
    case_id: int
    state: str
    reopened: bool
    declaration_number: str | None


def _feedback_targets(conn: sa.Connection, owner: str, items: list[Item]) -> dict[str, _Target]:
    ids = list({str(i.payload.get("submission_id", "")).lower() for i in items
                if i.kind == "case_feedback" and isinstance(i.payload, dict)} - {""})
    found: dict[str, _Target] = {}
    for chunk in chunks(ids):
        for r in conn.execute(sa.select(submissions.c.client_id, submissions.c.declaration_number, cases.c.id,
                                        cases.c.state, cases.c.reopened_at)
                              .select_from(submissions.join(cases, cases.c.submission_seq == submissions.c.seq))
                              .where(in_values(conn, submissions.c.client_id, chunk),
                                     submissions.c.owner_tax_code == owner)).all():
            found[r.client_id] = _Target(r.id, r.state, r.reopened_at is not None, r.declaration_number)
    return found


def _check_feedback(item: Item, norm: dict[str, Any], targets: dict[str, _Target]) -> dict[str, Any] | None:
    """Refuse the enterprise's word on a case that is not its own (or has no case), not
    answered, or already reopened once; otherwise note its effect for the items after it."""
    target = targets.get(norm["submission_id"])
    if target is None:
        return _rejected(item, 404, "case_unknown", "no case of yours for this submission")
    if target.state != CaseState.ANSWERED:
        return _rejected(item, 409, "case_not_answered", f"the case is {target.state}, not answered")
    if norm["action"] == "reopen":
        if target.reopened:
            return _rejected(item, 409, "case_reopen_used", "a case is reopened once only")
        target.state, target.reopened = CaseState.REOPENED, True
    else:
        target.state = CaseState.CLOSED
    return None


# On SQLite a process ingests one batch at a time. Evaluating is Python work under the
# interpreter lock, and so is every row SQLite writes (the driver takes the lock back for
# each): two batches in one process take as long as one after the other, hold twice the
# memory (the collector's threshold, ``server.app.GC_THRESHOLDS``, is set for one), and the
# one holding the write lock waits for the interpreter lock while the other evaluates.
# Batches run side by side in the server's processes (``serve --workers N``), which meet
# only at the write lock. (PostgreSQL does its work in its own processes: there a process
# waits on the network while it writes, and another batch of the same process runs.)
# Re-entrant: an ingest started inside another (the tests' rival requests) does not wait
# for itself.
_ONE_AT_A_TIME = threading.RLock()


def ingest(db: Database, owner_tax_code: str, items: list[Item], now: datetime | None = None) -> list[dict[str, Any]]:
    if any(item.kind == "inventory" for item in items):  # workstation reports: server/inventory.py
        from .inventory import ingest_mixed

        return ingest_mixed(db, owner_tax_code, items, now, ingest)
    for item in items:
        item.prepare()
    if db.dialect != "sqlite":
        return _ingest(db, owner_tax_code, items, now)
    with _ONE_AT_A_TIME:
        return _ingest(db, owner_tax_code, items, now)


def _ingest(db: Database, owner_tax_code: str, items: list[Item], now: datetime | None) -> list[dict[str, Any]]:
    last: Exception | None = None
    for attempt in range(MAX_ATTEMPTS):
        try:
            if attempt == 0:
                return _ingest_before_the_lock(db, owner_tax_code, items, now or utcnow())
            with db.write() as conn:  # after a lost race: evaluated under the lock (on SQLite no race is left)
                return _evaluate_and_store(conn, owner_tax_code, items, now or utcnow())
        except sa.exc.IntegrityError as exc:
            # a concurrent request stored one of these ids (or a final assessment) first:
            # evaluate the batch again; it now sees that row
            log.info("ingest race on attempt %d; evaluating the batch again", attempt + 1)
            last = exc
    assert last is not None
    raise last
