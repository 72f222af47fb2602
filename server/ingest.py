"""Batch ingest of submissions with per-item results.

Every refusal carries a stable ``code`` (``ITEM_CODES``), which the desktop turns into the
user's language (``domain.errors``); ``message`` is English detail for logs and support. A
refusal with ``already_assessed`` names the declaration's existing final assessment in
``server_ref``.

One transaction per batch: the declarations, their handling records, the ids already
stored and the declarations that already have a final assessment are read once for the
whole batch, the accepted items are written with one multi-row insert each for submissions
and ratings.

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
import operator
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from domain.submissions import (
    BUSINESS_INFO_SCHEMAS, SCHEMA_VERSION, SubmissionInvalid, canonical_json, is_low_rating, validate_assessment,
    validate_business_info, validate_case_feedback, validate_reflection,
)

from . import feeds, report_store
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
_CHUNK = 5000

Validator = Callable[..., dict[str, Any]]
_VALIDATORS: dict[str, Validator] = {
    "assessment": validate_assessment,
    "reflection": validate_reflection,
    "business_info": validate_business_info,
    "case_feedback": validate_case_feedback,
}


def server_ref(kind: str, seq: int) -> str:
    return f"{PREFIX.get(kind, 'X')}-{seq:06d}"


def body_hash(kind: str, schema: int, payload: Any, payload_json: str | None = None) -> str:
    """SHA-256 of ``canonical_json({"kind", "schema", "payload"})``; ``payload_json`` is the
    payload's canonical JSON when already at hand (the same text is then built without
    serialising the payload twice: keys sort as kind < payload < schema)."""
    if payload_json is None:
        payload_json = canonical_json(payload)
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


def _plainly_fine(payload: Any) -> bool:
    """True when the payload encodes as UTF-8 JSON with finite numbers and is nested at most
    ``MAX_DEPTH`` deep (then :func:`screen` has nothing to say); False: look closer."""
    try:
        json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # UnicodeEncodeError is a ValueError
        return False
    level, depth = [payload], 0  # the containers at ``depth``
    while level:
        children = [v for c in level for v in (c.values() if isinstance(c, dict) else c)]
        if children and depth + 1 > MAX_DEPTH:
            return False
        level = [v for v in children if isinstance(v, (dict, list))]
        depth += 1
    return True


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i:i + _CHUNK] for i in range(0, len(values), _CHUNK)] or []


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLAlchemy's storage format for DateTime on SQLite
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def insert_many(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Multi-row insert through the driver's own ``executemany`` on this connection (same
    transaction). For thousands of plain rows per batch this skips the per-row parameter
    processing of the SQL toolkit, which costs more than the database's own work. Values
    are converted here exactly as the toolkit stores them (tests read them back through it)."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = conn.dialect.name
    dbapi_conn = conn.connection.driver_connection
    values = operator.itemgetter(*columns)
    marks = "?" if dialect == "sqlite" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([marks] * len(columns))})"
    if dialect == "sqlite":
        # the toolkit stores DateTime as text on SQLite; booleans are integers already
        times = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, sa.DateTime)]
        if times:
            text: dict[datetime, str] = {}
            data = []
            for r in rows:
                t = list(values(r))
                for i in times:
                    v = t[i]
                    if v is not None:
                        t[i] = text.get(v) or text.setdefault(v, _sqlite_value(v))
                data.append(tuple(t))
        else:
            data = [values(r) for r in rows]
    elif dialect == "postgresql":
        data = [values(r) for r in rows]
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        conn.execute(sa.insert(table), rows)
        return
    cur = dbapi_conn.cursor()
    try:
        cur.executemany(sql, data)
    except conn.dialect.loaded_dbapi.IntegrityError as exc:  # as the toolkit would raise it
        raise sa.exc.IntegrityError(sql, None, exc) from exc
    finally:
        cur.close()


def in_values(conn: sa.Connection, column: sa.ColumnElement, values: Sequence[str]) -> sa.ColumnElement[bool]:
    """``column IN (values)`` with the list sent as one parameter: a PostgreSQL array, or a
    JSON array read by SQLite's ``json_each``. Hundreds of literal bind parameters cost
    more to build and expand than the query itself."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(sa.String)))
    if conn.dialect.name == "sqlite":
        each = sa.func.json_each(sa.bindparam(None, json.dumps(list(values)), type_=sa.String)).table_valued("value")
        return column.in_(sa.select(each.c.value))
    return column.in_(list(values))


def _same_owner(owner: str, principal_tax: str) -> bool:
    return owner == principal_tax


def _evaluate_and_store(conn: sa.Connection, owner: str, items: list[Item], now: datetime) -> list[dict[str, Any]]:
    keys = list(dict.fromkeys(i.key for i in items))
    wanted = set(keys)
    existing: dict[str, Any] = {}
    for chunk in _chunks(keys):
        for r in conn.execute(sa.select(submissions.c.client_id, submissions.c.body_hash, submissions.c.seq,
                                        submissions.c.kind, submissions.c.received_at, submissions.c.owner_tax_code)
                              .where(in_values(conn, submissions.c.client_id, chunk))).all():
            existing[r.client_id] = r
    numbers = list({n for i in items if (n := i.declaration_number)})
    decls: dict[str, Any] = {}
    handled: dict[str, list[tuple[str, str]]] = {}
    finals: dict[str, Any] = {}
    for chunk in _chunks(numbers):
        for r in conn.execute(sa.select(declarations.c.number, declarations.c.owner_tax_code,
                                        declarations.c.office_code, declarations.c.status, declarations.c.channel,
                                        declarations.c.type_code)
                              .where(in_values(conn, declarations.c.number, chunk))).all():
            decls[r.number] = r
        for number, kind, code in conn.execute(sa.select(handling.c.declaration_number, handling.c.kind, handling.c.code)
                                               .where(in_values(conn, handling.c.declaration_number, chunk))).all():
            handled.setdefault(number, []).append((kind, code))
        for r in conn.execute(sa.select(submissions.c.final_key, submissions.c.seq, submissions.c.client_id,
                                        submissions.c.body_hash, submissions.c.kind, submissions.c.received_at,
                                        submissions.c.owner_tax_code)
                              .where(in_values(conn, submissions.c.final_key, chunk))).all():
            finals[r.final_key] = r
            # committed by a concurrent request after the id lookup above (PostgreSQL reads
            # each statement at its own snapshot): it is the stored row of that id
            if r.client_id in wanted and r.client_id not in existing:
                existing[r.client_id] = r

    # the cases that case_feedback items speak of: by the client id of their submission
    targets = _feedback_targets(conn, owner, items)

    results: list[dict[str, Any] | None] = [None] * len(items)
    seen: dict[str, tuple[Item, int]] = {}  # key -> (first item in this batch, its index)
    batch_finals: dict[str, Item] = {}
    to_insert: list[tuple[int, Item, dict[str, Any]]] = []

    for idx, item in enumerate(items):
        refused = screen(item)
        if refused is not None:
            results[idx] = refused
            continue
        try:
            # 1. identity first: a known id is answered from what is stored, whatever else changed
            if item.key in seen:
                first, first_idx = seen[item.key]
                if first.hash != item.hash:
                    results[idx] = _rejected(item, 422, "id_conflict", "this id is already used in this batch for a different body")
                else:
                    results[idx] = ("same-as", first_idx)  # type: ignore[assignment]
                continue
            seen[item.key] = (item, idx)
            old = existing.get(item.key)
            if old is not None:
                if not _same_owner(old.owner_tax_code, owner):
                    results[idx] = _rejected(item, 422, "id_conflict", "this id is already used by another submission")
                elif old.body_hash != item.hash:
                    results[idx] = _rejected(item, 422, "id_conflict",
                                             "this id was already received with a different body; "
                                             "a changed submission needs a new id")
                else:
                    results[idx] = _result(item, "duplicate", 200, ref=server_ref(old.kind, old.seq),
                                           received_at=old.received_at)
                continue
            # 2. envelope
            if item.schema != SCHEMA_VERSION and not (item.kind == "business_info"
                                                      and item.schema in BUSINESS_INFO_SCHEMAS):
                results[idx] = _rejected(item, 422, "schema_unsupported",
                                         f"schema {item.schema} of {item.kind} is not supported (this server reads {SCHEMA_VERSION})")
                continue
            # 3. ownership and existence of the declaration
            decl = None
            if item.kind in ("assessment", "reflection"):
                number = item.declaration_number
                if number is None:
                    results[idx] = _rejected(item, 422, "validation_error", "declaration_number: a declaration number has 12 digits",
                                             [{"field": "declaration_number", "message": "a declaration number has 12 digits"}])
                    continue
                decl = decls.get(number)
                if decl is None:
                    results[idx] = _rejected(item, 404, "declaration_unknown", f"the declaration {number} is not known to customs")
                    continue
                if not _same_owner(decl.owner_tax_code, owner):
                    results[idx] = _rejected(item, 403, "declaration_not_yours", f"the declaration {number} belongs to another enterprise")
                    continue
            # 4. the shared rules, with the declaration's status, channel and handling records
            try:
                if decl is not None:
                    norm = _VALIDATORS[item.kind](item.payload, status=decl.status, channel=decl.channel,
                                                  handled_by=handled.get(decl.number, []))
                elif item.kind == "business_info":
                    norm = validate_business_info(item.payload, schema=item.schema)
                else:
                    norm = _VALIDATORS[item.kind](item.payload)
            except SubmissionInvalid as exc:
                details = [e.as_dict() for e in exc.errors]
                results[idx] = _rejected(item, 422, "validation_error", str(exc)[:1000], details)
                continue
            if item.kind == "case_feedback":
                refused = _check_feedback(item, norm, targets)
                if refused is not None:
                    results[idx] = refused
                    continue
            if item.kind == "business_info":
                if (norm.get("tax_code") or norm["identity"]["tax_code"]).split("-")[0] != owner.split("-")[0]:
                    results[idx] = _rejected(item, 403, "not_own_tax_code", "an enterprise sends information about itself only")
                    continue
            # 5. one final assessment per declaration
            if item.kind == "assessment":
                number = norm["declaration_number"]
                prior = finals.get(number)
                if prior is not None or number in batch_finals:
                    ref = server_ref("assessment", prior.seq) if prior is not None else None
                    results[idx] = _result(item, "rejected", 409, "already_assessed",
                                           f"the declaration {number} already has its final assessment "
                                           f"({ref or 'an earlier item of this batch'}); only one is accepted per "
                                           f"declaration", ref=ref,
                                           received_at=prior.received_at if prior is not None else None)
                    continue
                batch_finals[number] = item
            to_insert.append((idx, item, norm))
        except Exception:  # noqa: BLE001 - one item's trouble never fails the whole batch
            log.exception("unexpected error evaluating one item of a batch")
            results[idx] = _rejected(item, 500, "internal", "the server could not evaluate this item; "
                                                            "it will be evaluated again when sent again")

    if to_insert:
        rows = []
        for _idx, item, norm in to_insert:
            if item.kind == "case_feedback":
                number = targets[norm["submission_id"]].declaration_number
            else:
                number = norm.get("declaration_number") if item.kind != "business_info" else None
            received = item.received_at or now
            payload_json = canonical_json(norm)
            item._hash = body_hash(item.kind, item.schema, norm, payload_json)
            rows.append({
                "client_id": item.key, "kind": item.kind, "schema_version": item.schema, "owner_tax_code": owner,
                "declaration_number": number, "final_key": number if item.kind == "assessment" else None,
                "body_hash": item._hash, "payload": payload_json, "created_at": (item.created_at or None),
                "received_at": received, "needs_answer": item.kind == "reflection" or
                (item.kind == "assessment" and is_low_rating(norm)),
                "state": "received", "verified": None, "outcome": None, "answer": None, "answered_at": None,
                "answered_by": None, "updated_at": received,
            })
        # one multi-row insert, then the sequence numbers read back by id (portable, and
        # faster than RETURNING row by row)
        if conn.dialect.name == "sqlite":  # feed positions for the batch in one clock update
            first = feeds.take_positions(conn, len(rows))
            for i, row in enumerate(rows):
                row["change_seq"] = first + i
        insert_many(conn, submissions, rows)
        seq_of: dict[str, int] = {}
        new_keys = [r["client_id"] for r in rows]
        for chunk in _chunks(new_keys):
            seq_of.update((r[0], r[1]) for r in conn.execute(sa.select(submissions.c.client_id, submissions.c.seq)
                                                             .where(in_values(conn, submissions.c.client_id, chunk))).all())
        infos = [(seq_of[row["client_id"]], item.schema, norm, row["received_at"])
                 for (_i, item, norm), row in zip(to_insert, rows) if item.kind == "business_info"]
        if infos:  # every version of the enterprise's information is kept (server/business_info.py)
            from .business_info import record_versions

            record_versions(conn, owner, infos)
        rating_rows = []
        case_rows: list[dict[str, Any]] = []
        feedback: list[tuple[int, str, str | None]] = []
        days: dict[datetime, str] = {}
        for (idx, item, norm), row in zip(to_insert, rows):
            seq = seq_of[row["client_id"]]
            results[idx] = _result(item, "accepted", 201, ref=server_ref(item.kind, seq), received_at=row["received_at"])
            if row["needs_answer"]:
                decl = decls[norm["declaration_number"]]
                stars = [r["stars"] for r in norm.get("ratings", [])] if item.kind == "assessment" else []
                case_rows.append({"seq": seq, "kind": item.kind, "branch": decl.office_code,
                                  "lowest_stars": min(stars) if stars else None, "received_at": row["received_at"]})
            elif item.kind == "case_feedback":
                feedback.append((targets[norm["submission_id"]].case_id, norm["action"], norm.get("comment")))
            if item.kind == "assessment":
                decl = decls[norm["declaration_number"]]
                day = days.get(row["received_at"]) or days.setdefault(row["received_at"], vn_day(row["received_at"]))
                for r in norm["ratings"]:
                    rating_rows.append({"submission_seq": seq, "declaration_number": decl.number,
                                        "branch_code": decl.office_code, "target_kind": r["target_kind"],
                                        "target_code": r["target_code"], "stars": r["stars"], "rated_day": day})
        if rating_rows:
            insert_many(conn, ratings, rating_rows)
            report_store.record(conn, to_insert, rows, decls, days)  # the report summaries, same transaction
        if case_rows or feedback:  # cases of reflections and low ratings, the enterprise's word on them
            from . import cases as case_service

            case_service.open_cases(conn, case_rows, now)
            for case_id, action, comment in feedback:
                case_service.apply_feedback(conn, case_id, action, comment, now)

    out: list[dict[str, Any]] = []
    for idx, res in enumerate(results):
        if isinstance(res, tuple):  # the same id and body twice in one batch
            first = results[res[1]]
            assert isinstance(first, dict)
            res = dict(first, id=items[idx].id)
            if first["status"] == "accepted":
                res.update(status="duplicate", http_status=200)
        out.append(res)  # type: ignore[arg-type]
    return out


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
    for chunk in _chunks(ids):
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


def ingest(db: Database, owner_tax_code: str, items: list[Item], now: datetime | None = None) -> list[dict[str, Any]]:
    if any(item.kind == "inventory" for item in items):  # workstation reports: server/inventory.py
        from .inventory import ingest_mixed

        return ingest_mixed(db, owner_tax_code, items, now, ingest)
    for item in items:
        item.prepare()
    last: Exception | None = None
    for attempt in range(MAX_ATTEMPTS):
        try:
            with db.write() as conn:
                return _evaluate_and_store(conn, owner_tax_code, items, now or utcnow())
        except sa.exc.IntegrityError as exc:
            # a concurrent request stored one of these ids (or a final assessment) first:
            # evaluate the batch again; it now sees that row
            log.info("ingest race on attempt %d; evaluating the batch again", attempt + 1)
            last = exc
    assert last is not None
    raise last
