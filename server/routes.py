"""HTTP API v1 (``docs/API.md``)."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from domain.codes import TARGET_KINDS, STATUSES
from domain.validation import InvalidTaxCode, normalize_tax_code

from . import __version__, feeds, reports
from .accounts import AccountError, as_api_error, create_user, normalise_username, open_session
from .catalog import read_catalog, target_names, upsert_targets
from .config import Settings
from .db import Database
from .deps import ANY_ROLE, STAFF, Principal, current_principal, get_db, get_settings, require
from .errors import ApiError, not_found, unauthorized
from .ingest import Item, PREFIX, ingest, server_ref
from .models import (
    AnswerIn, BatchIn, BatchOut, CatalogOut, CatalogUpdateIn, DeclarationIn, DeclarationOut, DeclarationsPage,
    ErrorOut, HealthOut, InboxPage, LoginIn, LoginOut, ReportOut, SubmissionsPage, UserIn, UserOut, UserPatch, UsersPage,
)
from .schema import catalog_targets, declarations, handling, sessions, submissions, users
from .security import (
    HashBusy, HashGate, RateLimited, admit_login, dummy_hash, forget_old_limits, hash_password, login_policy,
    settle_login,
)
from .timeutil import iso, to_utc_naive, utcnow

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad request"},
    401: {"model": ErrorOut, "description": "Not signed in, or the session expired (`token_expired`)"},
    403: {"model": ErrorOut, "description": "The account's role may not do this"},
    413: {"model": ErrorOut, "description": "Body too large"},
    422: {"model": ErrorOut, "description": "Validation error"},
    503: {"model": ErrorOut, "description": "Database unavailable; Retry-After given"},
}

router = APIRouter(prefix="/api/v1", responses=ERRORS)


# ---- health ----------------------------------------------------------------------------

@router.get("/health", response_model=HealthOut, tags=["health"])
def health(db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.read() as conn:
        conn.execute(sa.text("SELECT 1"))
    return {"ok": True, "version": __version__, "database": db.dialect}


# ---- auth ------------------------------------------------------------------------------

def _client_address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:100]


@router.post("/auth/login", response_model=LoginOut, tags=["auth"],
             responses={429: {"model": ErrorOut, "description": "Too many attempts; Retry-After given"}})
def login(body: LoginIn, request: Request, db: Database = Depends(get_db),
          settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    """Sign-in policy: docs/SERVER.md. The attempt is checked and counted in the database
    before the password is evaluated, and the evaluation takes one of this process's
    hashing slots (none free → 503 with Retry-After)."""
    try:
        name = normalise_username(body.username)
    except AccountError:
        name = body.username.strip().lower()[:64]
    policy = login_policy(settings)
    now = utcnow()
    with db.write() as conn:
        try:
            admission = admit_login(conn, name, _client_address(request), now, policy)
        except RateLimited as exc:
            raise ApiError(429, "rate_limited", "too many sign-in attempts; wait before trying again",
                           {"retry_after": exc.retry_after}, headers={"Retry-After": str(exc.retry_after)}) from None
        user = conn.execute(sa.select(users).where(users.c.username == name)).mappings().first()
    gate: HashGate = request.app.state.hash_gate
    try:
        ok = gate.verify(user["password_hash"] if user else dummy_hash(settings.argon2_profile), body.password)
    except HashBusy:
        with db.write() as conn:
            settle_login(conn, admission, now, signed_in=False)
        raise ApiError(503, "unavailable", "the server is busy signing others in; try again in a moment",
                       headers={"Retry-After": "1"}) from None
    if not ok or user is None or not user["active"]:
        with db.write() as conn:
            forget_old_limits(conn, now, policy)
        raise unauthorized("wrong username or password")
    with db.write() as conn:
        settle_login(conn, admission, now, signed_in=True)
        token, expires = open_session(conn, user["id"], settings)
    return {"token": token, "expires_at": iso(expires), "role": user["role"], "tax_code": user["tax_code"],
            "display_name": user["display_name"]}


@router.post("/auth/logout", status_code=204, response_class=Response, tags=["auth"])
def logout(principal: Principal = Depends(current_principal), db: Database = Depends(get_db)) -> Response:
    with db.write() as conn:
        conn.execute(sa.delete(sessions).where(sessions.c.token_hash == principal.token_hash))
    return Response(status_code=204)


# ---- users (admin) ---------------------------------------------------------------------

def _user_out(row: Any) -> dict[str, Any]:
    return {"id": row["id"], "username": row["username"], "role": row["role"], "display_name": row["display_name"],
            "tax_code": row["tax_code"], "active": bool(row["active"]), "created_at": iso(row["created_at"])}


@router.post("/users", response_model=UserOut, status_code=201, tags=["accounts"],
             responses={409: {"model": ErrorOut, "description": "The account exists"}})
def add_user(body: UserIn, _admin: Principal = Depends(require("admin")), db: Database = Depends(get_db),
             settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    try:
        with db.write() as conn:
            row = create_user(conn, username=body.username, password=body.password, role=body.role,
                              display_name=body.display_name, argon2_profile=settings.argon2_profile)
    except AccountError as exc:
        if "already exists" in str(exc):
            raise ApiError(409, "conflict", str(exc)) from None
        raise as_api_error(exc) from None
    return _user_out(row)


@router.get("/users", response_model=UsersPage, tags=["accounts"])
def list_users(role: Literal["enterprise", "processor", "viewer", "admin"] | None = None,
               _admin: Principal = Depends(require("admin")), db: Database = Depends(get_db)) -> dict[str, Any]:
    q = sa.select(users).order_by(users.c.id)
    if role:
        q = q.where(users.c.role == role)
    with db.read() as conn:
        return {"items": [_user_out(r) for r in conn.execute(q.limit(5000)).mappings()]}


@router.patch("/users/{username}", response_model=UserOut, tags=["accounts"],
              responses={404: {"model": ErrorOut}})
def patch_user(body: UserPatch, username: str = Path(max_length=64), admin: Principal = Depends(require("admin")),
               db: Database = Depends(get_db), settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    """Disable or enable an account, reset its password or rename it. Disabling or a new
    password closes the account's open sessions."""
    try:
        name = normalise_username(username)
    except AccountError:
        raise not_found(f"no account {username}") from None
    values: dict[str, Any] = {}
    if body.active is not None:
        values["active"] = body.active
    if body.display_name is not None:
        values["display_name"] = " ".join(body.display_name.split())
    if body.password is not None:
        values["password_hash"] = hash_password(body.password, settings.argon2_profile)
    with db.write() as conn:
        row = conn.execute(sa.select(users).where(users.c.username == name)).mappings().first()
        if row is None:
            raise not_found(f"no account {name}")
        if row["id"] == admin.user_id and body.active is False:
            raise ApiError(422, "validation_error", "an administrator cannot disable their own account")
        if values:
            conn.execute(sa.update(users).where(users.c.id == row["id"]).values(**values))
        if body.active is False or body.password is not None:
            conn.execute(sa.delete(sessions).where(sessions.c.user_id == row["id"]))
        row = conn.execute(sa.select(users).where(users.c.id == row["id"])).mappings().one()
    return _user_out(row)


# ---- catalog ---------------------------------------------------------------------------

@router.get("/catalog", response_model=CatalogOut, tags=["catalog"],
            responses={304: {"description": "Not modified (If-None-Match matched)"}})
def get_catalog(request: Request, _p: Principal = Depends(require(*ANY_ROLE)),
                db: Database = Depends(get_db)) -> Any:
    with db.read() as conn:
        data = read_catalog(conn)
    etag = f'"{data["version"]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    inm = request.headers.get("if-none-match", "")
    if inm.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in inm.split(",")]:
        return Response(status_code=304, headers=headers)
    return JSONResponse(CatalogOut.model_validate(data).model_dump(), headers=headers)


@router.put("/catalog", response_model=CatalogOut, tags=["catalog"])
def put_catalog(body: CatalogUpdateIn, _admin: Principal = Depends(require("admin")),
                db: Database = Depends(get_db)) -> Any:
    with db.write() as conn:
        known_branches = set(conn.execute(sa.select(catalog_targets.c.code)
                                          .where(catalog_targets.c.kind == "branch")).scalars())
        known_teams = set(conn.execute(sa.select(catalog_targets.c.code)
                                       .where(catalog_targets.c.kind == "team")).scalars())
        known_branches |= {t.code for t in body.targets if t.kind == "branch"}
        known_teams |= {t.code for t in body.targets if t.kind == "team"}
        for i, t in enumerate(body.targets):
            if t.kind == "team" and t.parent not in known_branches:
                raise ApiError(422, "validation_error", f"targets[{i}]: a team belongs to a known branch")
            if t.kind == "official" and t.parent not in known_teams:
                raise ApiError(422, "validation_error", f"targets[{i}]: an official belongs to a known team")
        upsert_targets(conn, [t.model_dump() for t in body.targets])
        data = read_catalog(conn)
    return JSONResponse(CatalogOut.model_validate(data).model_dump(), headers={"ETag": f'"{data["version"]}"'})


# ---- declarations ----------------------------------------------------------------------

def _declarations_page(conn: sa.Connection, rows: list[Any]) -> list[dict[str, Any]]:
    numbers = [r.number for r in rows]
    per: dict[str, list[tuple[str, str]]] = {}
    for i in range(0, len(numbers), 500):
        for h in conn.execute(sa.select(handling.c.declaration_number, handling.c.kind, handling.c.code)
                              .where(handling.c.declaration_number.in_(numbers[i:i + 500]))
                              .order_by(handling.c.declaration_number, handling.c.position)):
            per.setdefault(h.declaration_number, []).append((h.kind, h.code))
    names = target_names(conn, [k for hs in per.values() for k in hs])
    return [{"number": r.number, "office_code": r.office_code, "type_code": r.type_code,
             "registered_at": iso(r.registered_at), "status": r.status, "channel": r.channel,
             "cleared_at": iso(r.cleared_at), "updated_at": iso(r.updated_at), "partner": r.partner,
             "total_value": float(r.total_value) if r.total_value is not None else None, "currency": r.currency,
             "handling": [{"kind": k, "code": c, "name": names.get((k, c), c)} for k, c in per.get(r.number, [])]}
            for r in rows]


@router.get("/declarations", response_model=DeclarationsPage, tags=["declarations"])
def list_declarations(since: str | None = Query(None, max_length=200),
                      limit: int = Query(500, ge=1, le=1000),
                      tax_code: str | None = Query(None, max_length=14, pattern=r"^\d{10}(-\d{3})?$",
                                                   description="staff only: one enterprise"),
                      principal: Principal = Depends(require(*ANY_ROLE)),
                      db: Database = Depends(get_db)) -> dict[str, Any]:
    q = sa.select(declarations)
    if principal.role == "enterprise":
        q = q.where(declarations.c.owner_tax_code == principal.tax_code)
    elif tax_code:
        q = q.where(declarations.c.owner_tax_code == tax_code)
    with db.read() as conn:
        page = feeds.read_page(conn, q, declarations, since, limit)
        items = _declarations_page(conn, page.rows)
    return {"items": items, "next_cursor": page.next_cursor, "has_more": page.has_more}


@router.put("/declarations/{number}", response_model=DeclarationOut, tags=["declarations"])
def put_declaration(body: DeclarationIn, number: str = Path(pattern=r"^\d{12}$"),
                    _admin: Principal = Depends(require("admin")), db: Database = Depends(get_db)) -> dict[str, Any]:
    """What the clearance system reports about a declaration (the stand-in feed's source)."""
    try:
        owner = normalize_tax_code(body.owner_tax_code)
    except InvalidTaxCode as exc:
        raise ApiError(422, "validation_error", f"owner_tax_code: {exc}") from None
    try:
        registered = to_utc_naive(datetime.fromisoformat(body.registered_at))
        cleared = to_utc_naive(datetime.fromisoformat(body.cleared_at)) if body.cleared_at else None
    except ValueError:
        raise ApiError(422, "validation_error", "registered_at and cleared_at are ISO 8601 times") from None
    with db.write() as conn:
        wanted = {(h.kind, h.code) for h in body.handling}
        known = set(target_names(conn, wanted | {("branch", body.office_code)}))
        if ("branch", body.office_code) not in known:
            raise ApiError(422, "validation_error", f"office_code: {body.office_code} is not a branch in the catalog")
        missing = sorted(wanted - known)
        if missing:
            raise ApiError(422, "validation_error", "handling: not in the catalog: "
                           + ", ".join(f"{k} {c}" for k, c in missing[:10]))
        values = {"owner_tax_code": owner, "office_code": body.office_code, "type_code": body.type_code,
                  "registered_at": registered, "status": body.status, "channel": body.channel,
                  "cleared_at": cleared, "updated_at": utcnow(), "partner": body.partner,
                  "total_value": body.total_value, "currency": body.currency}
        if conn.execute(sa.update(declarations).where(declarations.c.number == number).values(**values)).rowcount == 0:
            conn.execute(sa.insert(declarations).values(number=number, **values))
        conn.execute(sa.delete(handling).where(handling.c.declaration_number == number))
        if body.handling:
            conn.execute(sa.insert(handling), [{"declaration_number": number, "kind": h.kind, "code": h.code,
                                                "position": i} for i, h in enumerate(body.handling)])
        row = conn.execute(sa.select(declarations).where(declarations.c.number == number)).one()
        return _declarations_page(conn, [row])[0]


# ---- submissions -----------------------------------------------------------------------

def _client_time(value: str | None) -> str | None:
    """The client's creation time is informative: kept when it is ISO 8601, else dropped."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


@router.post("/submissions/batch", response_model=BatchOut, tags=["submissions"],
             responses={429: {"model": ErrorOut}})
def post_batch(body: BatchIn, principal: Principal = Depends(require("enterprise")),
               db: Database = Depends(get_db)) -> Any:
    if not principal.tax_code:
        raise ApiError(403, "forbidden", "this account has no tax code")
    items = [Item(id=i.id, kind=i.kind, schema=i.schema_, payload=i.payload, created_at=_client_time(i.created_at))
             for i in body.items]
    # the results are built by the ingest in the documented shape: sent as they are
    return JSONResponse({"results": ingest(db, principal.tax_code, items)})


def _status_out(r: Any) -> dict[str, Any]:
    return {"id": r.client_id, "kind": r.kind, "server_ref": server_ref(r.kind, r.seq),
            "declaration_number": r.declaration_number, "received_at": iso(r.received_at), "state": r.state,
            "verified": r.verified, "outcome": r.outcome, "answer": r.answer, "answered_at": iso(r.answered_at),
            "updated_at": iso(r.updated_at), "payload": json.loads(r.payload)}


@router.get("/submissions", response_model=SubmissionsPage, tags=["submissions"])
def list_submissions(since: str | None = Query(None, max_length=200), limit: int = Query(500, ge=1, le=1000),
                     principal: Principal = Depends(require("enterprise")),
                     db: Database = Depends(get_db)) -> dict[str, Any]:
    q = sa.select(submissions.c.seq, submissions.c.client_id, submissions.c.kind, submissions.c.declaration_number,
                  submissions.c.received_at, submissions.c.state, submissions.c.verified, submissions.c.outcome,
                  submissions.c.answer, submissions.c.answered_at, submissions.c.updated_at, submissions.c.payload,
                  submissions.c.change_tx, submissions.c.change_seq) \
        .where(submissions.c.owner_tax_code == principal.tax_code)
    with db.read() as conn:
        page = feeds.read_page(conn, q, submissions, since, limit)
    return {"items": [_status_out(r) for r in page.rows], "next_cursor": page.next_cursor, "has_more": page.has_more}


# ---- processing (customs) --------------------------------------------------------------

REF_PATTERN = r"^[A-Z]-\d{1,12}$"
MAX_SEQ = 2**31 - 1  # submissions.seq is a 32-bit integer column


def _parse_ref(ref: str) -> tuple[str, int]:
    prefix, _, digits = ref.partition("-")
    kinds = {v: k for k, v in PREFIX.items()}
    if prefix not in kinds or not digits.isdigit() or len(digits) > 12 or int(digits) > MAX_SEQ:
        raise not_found(f"no submission {ref}")
    return kinds[prefix], int(digits)


def _inbox_item(r: Any) -> dict[str, Any]:
    payload = json.loads(r.payload)
    stars = [x["stars"] for x in payload.get("ratings", [])] if r.kind == "assessment" else []
    return {"server_ref": server_ref(r.kind, r.seq), "id": r.client_id, "kind": r.kind, "tax_code": r.owner_tax_code,
            "enterprise": r.display_name, "declaration_number": r.declaration_number,
            "lowest_stars": min(stars) if stars else None, "payload": payload, "received_at": iso(r.received_at),
            "state": r.state, "verified": r.verified, "outcome": r.outcome, "answer": r.answer,
            "answered_at": iso(r.answered_at)}


_INBOX_COLUMNS = (submissions.c.seq, submissions.c.client_id, submissions.c.kind, submissions.c.owner_tax_code,
                  submissions.c.declaration_number, submissions.c.payload, submissions.c.received_at,
                  submissions.c.state, submissions.c.verified, submissions.c.outcome, submissions.c.answer,
                  submissions.c.answered_at, users.c.display_name)


def _inbox_query() -> sa.Select:
    return sa.select(*_INBOX_COLUMNS).select_from(
        submissions.outerjoin(users, sa.and_(users.c.username == submissions.c.owner_tax_code,
                                             users.c.role == "enterprise")))


@router.get("/inbox", response_model=InboxPage, tags=["processing"])
def inbox(state: Literal["open", "answered", "all"] = "open", since: str | None = Query(None, max_length=200),
          limit: int = Query(100, ge=1, le=500), kind: Literal["assessment", "reflection"] | None = None,
          _p: Principal = Depends(require("processor", "admin")), db: Database = Depends(get_db)) -> dict[str, Any]:
    q = _inbox_query().where(submissions.c.needs_answer == sa.true())
    if state == "open":
        q = q.where(submissions.c.state.in_(("received", "in_review")))
    elif state == "answered":
        q = q.where(submissions.c.state == "answered")
    if kind:
        q = q.where(submissions.c.kind == kind)
    if since:
        try:
            after = int(since)
            if not 0 <= after <= MAX_SEQ:
                raise ValueError(since)
        except ValueError:
            raise ApiError(400, "bad_request", "the cursor is not valid; start again without `since`") from None
        q = q.where(submissions.c.seq > after)
    with db.read() as conn:
        rows = conn.execute(q.order_by(submissions.c.seq).limit(limit + 1)).all()
        open_count = reports.inbox_counts(conn)["open"]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [_inbox_item(r) for r in rows], "total_open": open_count,
            "next_cursor": str(rows[-1].seq) if rows else since, "has_more": more}


def _inbox_row(conn: sa.Connection, ref: str) -> Any:
    kind, seq = _parse_ref(ref)
    row = conn.execute(_inbox_query().where(submissions.c.seq == seq, submissions.c.kind == kind,
                                            submissions.c.needs_answer == sa.true())).first()
    if row is None:
        raise not_found(f"no reflection or low rating {ref} in the inbox")
    return row


@router.get("/inbox/{server_ref}", response_model=None, tags=["processing"],
            responses={200: {"description": "One inbox item"}, 404: {"model": ErrorOut}})
def inbox_item(server_ref: str = Path(max_length=20, pattern=REF_PATTERN), _p: Principal = Depends(require("processor", "admin")),
               db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.read() as conn:
        return _inbox_item(_inbox_row(conn, server_ref))


@router.post("/inbox/{server_ref}/review", tags=["processing"], responses={404: {"model": ErrorOut}})
def start_review(server_ref: str = Path(max_length=20, pattern=REF_PATTERN), principal: Principal = Depends(require("processor")),
                 db: Database = Depends(get_db)) -> dict[str, Any]:
    """Mark an item as being verified (state ``in_review``); the enterprise sees the change."""
    with db.write() as conn:
        row = _inbox_row(conn, server_ref)
        if row.state == "received":
            conn.execute(sa.update(submissions).where(submissions.c.seq == row.seq)
                         .values(state="in_review", updated_at=utcnow()))
        row = _inbox_row(conn, server_ref)
        return _inbox_item(row)


@router.post("/inbox/{server_ref}/answer", tags=["processing"], responses={404: {"model": ErrorOut}})
def answer(body: AnswerIn, server_ref: str = Path(max_length=20, pattern=REF_PATTERN),
           principal: Principal = Depends(require("processor")), db: Database = Depends(get_db)) -> dict[str, Any]:
    from domain.text import TextTooLong, clean_text

    try:
        outcome = clean_text(body.outcome, 500)
        text = clean_text(body.answer, 4000, multiline=True)
    except TextTooLong as exc:
        raise ApiError(422, "validation_error", str(exc)) from None
    if not outcome or not text:
        raise ApiError(422, "validation_error", "an outcome and an answer are required")
    now = utcnow()
    with db.write() as conn:
        row = _inbox_row(conn, server_ref)
        conn.execute(sa.update(submissions).where(submissions.c.seq == row.seq).values(
            state="answered", verified=body.verified, outcome=outcome, answer=text, answered_at=now,
            answered_by=principal.user_id, updated_at=now))
        return _inbox_item(_inbox_row(conn, server_ref))


# ---- reports ---------------------------------------------------------------------------

@router.get("/reports/satisfaction", response_model=ReportOut, response_model_by_alias=True, tags=["reports"])
def satisfaction_report(date_from: date | None = Query(None, alias="from"), date_to: date | None = Query(None, alias="to"),
                        group_by: Literal["none", "branch", "team", "stage", "official", "month", "day"] = "none",
                        branch: str | None = Query(None, max_length=8, pattern=r"^[A-Za-z0-9]+$"),
                        _p: Principal = Depends(require(*STAFF)), db: Database = Depends(get_db)) -> dict[str, Any]:
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, "validation_error", "`from` is after `to`")
    with db.read() as conn:
        return reports.satisfaction(conn, date_from=date_from, date_to=date_to, group_by=group_by, branch=branch)


# ---- reference codes (no sign-in needed: public labels) ---------------------------------

@router.get("/codes", tags=["catalog"])
def codes() -> dict[str, Any]:
    return {"statuses": {k: {"vi": c.vi, "en": c.en} for k, c in STATUSES.items()},
            "target_kinds": {k: {"vi": c.vi, "en": c.en} for k, c in TARGET_KINDS.items()}}
