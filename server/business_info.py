"""Enterprise information collection (``docs/BUSINESS_INFO.md``): collection plans and
requests of the risk-management unit, every version an enterprise sends, the difference
between two versions, exports; the enterprise's requests feed.

The service functions take a connection and plain values (the console calls them
directly); the router under ``/api/v1/business-info`` is a thin JSON layer over them.

A version is recorded in the transaction that stores the ``business_info`` submission
(:func:`record_versions`, called by the ingest). It is tied to

* the **account** of the session that posted the batch: :class:`SessionCapture` keeps the
  bearer token of ``POST /api/v1/submissions/batch`` for the request, and the version's
  ``user_id``/``account`` are those of the session with that token;
* the **workstation** that recorded it: the ``workstation`` field of the payload (schema 2),
  a random id the desktop keeps in its data folder.

Versions are never changed nor deleted: database triggers refuse it (migration 0005).
"""
from __future__ import annotations

import contextvars
import csv
import hashlib
import io
import json
import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Iterable, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from domain.business_info import RELATIONS, SITE_KINDS, TURNOVER_RANGES, as_v2, diff, flatten, vsic_codes
from domain.codes import OFFICES
from domain.submissions import canonical_json
from domain.validation import InvalidTaxCode, normalize_tax_code

from .deps import DbDep, EnterpriseDep, Principal, StaffDep, require
from .enums import Role
from .errors import ApiError
from .feeds import read_page
from .jsonbody import JsonRoute
from .models import ErrorOut, Text
from .schema import declarations, info_plans, info_requests, info_versions, sessions, submissions, users
from .timeutil import VN, iso, utcnow

PREFIX = "/api/v1/business-info"
REQUEST_KINDS = ("first_time", "periodic", "ad_hoc")
MAX_PLAN_ENTERPRISES = 5000

# ---- the submitting session ---------------------------------------------------------------

_batch_token: contextvars.ContextVar[str | None] = contextvars.ContextVar("business_info_batch_token", default=None)


class SessionCapture:
    """ASGI middleware: remembers, for the duration of ``POST /api/v1/submissions/batch``,
    the bearer token it was sent with, so that :func:`record_versions` can tie a version
    to the account of that session (the handler runs in a worker thread that inherits the
    context)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST" \
                or not str(scope.get("path", "")).endswith("/submissions/batch"):
            await self.app(scope, receive, send)
            return
        token = None
        for name, value in scope.get("headers") or []:
            if name == b"authorization":
                scheme, _, rest = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer" and rest.strip():
                    token = rest.strip()
        reset = _batch_token.set(token)
        try:
            await self.app(scope, receive, send)
        finally:
            _batch_token.reset(reset)


def _session_account(conn: sa.Connection) -> tuple[int | None, str | None]:
    token = _batch_token.get()
    if not token:
        return None, None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    row = conn.execute(sa.select(users.c.id, users.c.username).select_from(
        sessions.join(users, users.c.id == sessions.c.user_id)).where(sessions.c.token_hash == digest)).first()
    return (row.id, row.username) if row is not None else (None, None)


# ---- versions -----------------------------------------------------------------------------

def today_vn(now: datetime | None = None) -> date:
    return ((now or utcnow()) + timedelta(hours=7)).date()


def record_versions(conn: sa.Connection, owner: str, stored: Iterable[tuple[int, int, dict[str, Any], datetime]]) -> list[int]:
    """Record the ``business_info`` submissions just stored — ``(submission seq, schema,
    normalised payload, received at)`` — as the owner's next versions, and mark the
    owner's open requests fulfilled (the newest information answers every request made
    before it). Returns the new version ids."""
    stored = list(stored)
    if not stored:
        return []
    user_id, account = _session_account(conn)
    last = conn.execute(sa.select(sa.func.max(info_versions.c.number))
                        .where(info_versions.c.owner_tax_code == owner)).scalar() or 0
    ids = []
    for seq, schema, payload, received in stored:
        last += 1
        shaped = as_v2(schema, payload)
        vid = conn.execute(sa.insert(info_versions).values(
            owner_tax_code=owner, number=last, submission_seq=seq, schema_version=schema,
            payload=canonical_json(shaped), reason=shaped.get("reason") or "changed",
            request_id=shaped.get("request_id"), user_id=user_id, account=account, source="submission",
            workstation=shaped.get("workstation"), received_at=received)
            .returning(info_versions.c.id)).scalar_one()
        ids.append(vid)
        conn.execute(sa.update(info_requests)
                     .where(info_requests.c.owner_tax_code == owner, info_requests.c.fulfilled_at.is_(None),
                            sa.or_(info_requests.c.created_at <= received,
                                   info_requests.c.id == (shaped.get("request_id") or "")))
                     .values(fulfilled_at=received, fulfilled_version=vid))
    return ids


def _version_row(r: Any, *, with_payload: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": r.number, "received_at": iso(r.received_at), "reason": r.reason, "request_id": r.request_id,
        "account": r.account, "workstation": r.workstation, "schema": r.schema_version, "source": r.source,
        "server_ref": f"B-{r.submission_seq:06d}" if r.submission_seq is not None else None,
    }
    if with_payload:
        out["info"] = json.loads(r.payload)
    return out


def _owner(tax_code: str) -> str:
    try:
        return normalize_tax_code(tax_code)
    except InvalidTaxCode:
        raise ApiError(404, "not_found", "no enterprise has this tax code") from None


def versions(conn: sa.Connection, tax_code: str) -> list[dict[str, Any]]:
    """Every version of an enterprise, oldest first, with the number of fields each
    changed from the one before."""
    rows = conn.execute(sa.select(info_versions).where(info_versions.c.owner_tax_code == _owner(tax_code))
                        .order_by(info_versions.c.number)).all()
    out, prev = [], None
    for r in rows:
        info = json.loads(r.payload)
        item = _version_row(r, with_payload=False)
        item["changes"] = len(diff(prev, info)) if prev is not None else None
        out.append(item)
        prev = info
    return out


def version(conn: sa.Connection, tax_code: str, number: int | None = None) -> dict[str, Any]:
    """One version (``number`` None: the latest), with the information."""
    q = sa.select(info_versions).where(info_versions.c.owner_tax_code == _owner(tax_code))
    q = q.where(info_versions.c.number == number) if number is not None else q.order_by(info_versions.c.number.desc())
    r = conn.execute(q.limit(1)).first()
    if r is None:
        raise ApiError(404, "not_found", "this enterprise has no such version of its information")
    return _version_row(r)


def diff_versions(conn: sa.Connection, tax_code: str, older: int, newer: int) -> dict[str, Any]:
    """The field-by-field difference from version ``older`` to version ``newer``."""
    a, b = version(conn, tax_code, older), version(conn, tax_code, newer)
    return {"tax_code": _owner(tax_code), "from": {k: v for k, v in a.items() if k != "info"},
            "to": {k: v for k, v in b.items() if k != "info"},
            "changes": [c.as_dict() for c in diff(a["info"], b["info"])]}


# ---- plans and requests ---------------------------------------------------------------------

def _enterprise_accounts(conn: sa.Connection, codes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(codes), 500):
        found.update(conn.execute(sa.select(users.c.tax_code).where(
            users.c.role == Role.ENTERPRISE, users.c.tax_code.in_(codes[i:i + 500]))).scalars())
    return found


def _tax_codes(values: Iterable[str]) -> list[str]:
    codes, bad = [], []
    for v in values:
        try:
            codes.append(normalize_tax_code(v))
        except InvalidTaxCode:
            bad.append(v)
    if bad:
        raise ApiError(422, "validation_error", f"not valid tax codes: {', '.join(bad[:10])}",
                       [{"field": "tax_codes", "message": f"not a valid tax code: {b}"} for b in bad[:50]])
    return list(dict.fromkeys(codes))


def create_plan(conn: sa.Connection, *, title: str, year: int, due_date: date, tax_codes: list[str] | None = None,
                branch: str | None = None, created_by: int | None = None,
                now: datetime | None = None) -> dict[str, Any]:
    """A collection plan and one periodic request per enterprise: those listed, or those
    that declared at ``branch``. Every enterprise needs an account (it fetches its
    requests with it)."""
    now = now or utcnow()
    if (tax_codes is None) == (branch is None):
        raise ApiError(422, "validation_error", "give either the enterprises' tax codes or a branch")
    if branch is not None:
        if branch not in OFFICES:
            raise ApiError(422, "validation_error", f"unknown branch {branch}",
                           [{"field": "branch", "message": "unknown branch"}])
        owners = sorted(conn.execute(sa.select(declarations.c.owner_tax_code).distinct()
                                     .where(declarations.c.office_code == branch)).scalars())
        owners = sorted(_enterprise_accounts(conn, owners))
    else:
        owners = _tax_codes(tax_codes or [])
        unknown = sorted(set(owners) - _enterprise_accounts(conn, owners))
        if unknown:
            raise ApiError(422, "validation_error", f"no enterprise account for {', '.join(unknown[:10])}",
                           [{"field": "tax_codes", "message": f"no enterprise account: {u}"} for u in unknown[:50]])
    if not owners:
        raise ApiError(422, "validation_error", "the plan has no enterprise",
                       [{"field": "tax_codes" if branch is None else "branch", "message": "no enterprise"}])
    if len(owners) > MAX_PLAN_ENTERPRISES:
        raise ApiError(422, "validation_error", f"at most {MAX_PLAN_ENTERPRISES} enterprises in one plan")
    plan_id = conn.execute(sa.insert(info_plans).values(
        title=title, year=year, due_date=due_date, scope="branch" if branch else "list", branch_code=branch,
        created_by=created_by, created_at=now).returning(info_plans.c.id)).scalar_one()
    conn.execute(sa.insert(info_requests), [
        {"id": str(uuid.uuid4()), "owner_tax_code": o, "kind": "periodic", "plan_id": plan_id, "office_code": branch,
         "reason": None, "due_date": due_date, "created_by": created_by, "created_at": now} for o in owners])
    return plan(conn, plan_id, today=today_vn(now))


def create_request(conn: sa.Connection, *, tax_code: str, kind: str = "ad_hoc", reason: str | None = None,
                   due_date: date | None = None, office_code: str | None = None, created_by: int | None = None,
                   now: datetime | None = None) -> dict[str, Any]:
    """An ad hoc request (a reason is required) or a first-time request at a unit
    (``office_code`` required; one per enterprise and unit)."""
    now = now or utcnow()
    owner = _tax_codes([tax_code])[0]
    if owner not in _enterprise_accounts(conn, [owner]):
        raise ApiError(422, "validation_error", f"no enterprise account for {owner}",
                       [{"field": "tax_code", "message": "no enterprise account"}])
    if kind not in ("ad_hoc", "first_time"):
        raise ApiError(422, "validation_error", "a request is ad_hoc or first_time (periodic ones come with a plan)")
    if kind == "ad_hoc" and not (reason or "").strip():
        raise ApiError(422, "validation_error", "an ad hoc request needs a reason",
                       [{"field": "reason", "message": "is required"}])
    if office_code is not None and office_code not in OFFICES:
        raise ApiError(422, "validation_error", f"unknown customs unit {office_code}",
                       [{"field": "office_code", "message": "unknown customs unit"}])
    if kind == "first_time":
        if office_code is None:
            raise ApiError(422, "validation_error", "a first-time request names the customs unit",
                           [{"field": "office_code", "message": "is required"}])
        prior = conn.execute(sa.select(info_requests.c.id).where(
            info_requests.c.owner_tax_code == owner, info_requests.c.kind == "first_time",
            info_requests.c.office_code == office_code)).scalar()
        if prior is not None:
            return request(conn, prior, today=today_vn(now))
    rid = str(uuid.uuid4())
    conn.execute(sa.insert(info_requests).values(
        id=rid, owner_tax_code=owner, kind=kind, plan_id=None, office_code=office_code,
        reason=(reason or "").strip() or None, due_date=due_date, created_by=created_by, created_at=now))
    return request(conn, rid, today=today_vn(now))


def _request_row(r: Any, today: date, plan_titles: dict[int, str] | None = None) -> dict[str, Any]:
    due = r.due_date if not isinstance(r.due_date, str) else date.fromisoformat(r.due_date)
    fulfilled = r.fulfilled_at is not None
    return {
        "id": r.id, "tax_code": r.owner_tax_code, "kind": r.kind, "plan_id": r.plan_id,
        "plan_title": (plan_titles or {}).get(r.plan_id) if r.plan_id else None,
        "office_code": r.office_code, "reason": r.reason, "due_date": due.isoformat() if due else None,
        "created_at": iso(r.created_at), "state": "fulfilled" if fulfilled else "pending",
        "fulfilled_at": iso(r.fulfilled_at), "overdue": bool(not fulfilled and due is not None and due < today),
    }


def _titles(conn: sa.Connection, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return dict(conn.execute(sa.select(info_plans.c.id, info_plans.c.title).where(info_plans.c.id.in_(wanted))).all())


def request(conn: sa.Connection, request_id: str, *, today: date | None = None) -> dict[str, Any]:
    r = conn.execute(sa.select(info_requests).where(info_requests.c.id == request_id)).first()
    if r is None:
        raise ApiError(404, "not_found", "no such request")
    return _request_row(r, today or today_vn(), _titles(conn, [r.plan_id]))


def _progress(conn: sa.Connection, plan_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    out = {p: {"sent": 0, "fulfilled": 0, "pending": 0, "overdue": 0} for p in plan_ids}
    if not plan_ids:
        return out
    fulfilled = info_requests.c.fulfilled_at.is_not(None)
    q = sa.select(info_requests.c.plan_id, sa.func.count(),
                  sa.func.sum(sa.case((fulfilled, 1), else_=0)),
                  sa.func.sum(sa.case((sa.and_(~fulfilled, info_requests.c.due_date < today), 1), else_=0))
                  ).where(info_requests.c.plan_id.in_(plan_ids)).group_by(info_requests.c.plan_id)
    for pid, sent, done, late in conn.execute(q).all():
        out[pid] = {"sent": int(sent), "fulfilled": int(done or 0), "pending": int(sent) - int(done or 0),
                    "overdue": int(late or 0)}
    return out


def _plan_row(r: Any, progress: dict[str, int]) -> dict[str, Any]:
    due = r.due_date if not isinstance(r.due_date, str) else date.fromisoformat(r.due_date)
    return {"id": r.id, "title": r.title, "year": r.year, "due_date": due.isoformat(), "scope": r.scope,
            "branch": r.branch_code, "created_at": iso(r.created_at), "progress": progress}


def plans(conn: sa.Connection, *, year: int | None = None, today: date | None = None) -> list[dict[str, Any]]:
    """Collection plans, newest first, with their progress (sent / fulfilled / pending /
    overdue requests)."""
    q = sa.select(info_plans).order_by(info_plans.c.id.desc())
    if year is not None:
        q = q.where(info_plans.c.year == year)
    rows = conn.execute(q).all()
    progress = _progress(conn, [r.id for r in rows], today or today_vn())
    return [_plan_row(r, progress[r.id]) for r in rows]


def plan(conn: sa.Connection, plan_id: int, *, today: date | None = None) -> dict[str, Any]:
    """One plan, its progress and its requests (one per enterprise)."""
    today = today or today_vn()
    r = conn.execute(sa.select(info_plans).where(info_plans.c.id == plan_id)).first()
    if r is None:
        raise ApiError(404, "not_found", "no such collection plan")
    out = _plan_row(r, _progress(conn, [plan_id], today)[plan_id])
    rows = conn.execute(sa.select(info_requests).where(info_requests.c.plan_id == plan_id)
                        .order_by(info_requests.c.owner_tax_code)).all()
    out["requests"] = [_request_row(x, today, {r.id: r.title}) for x in rows]
    return out


def requests_of(conn: sa.Connection, tax_code: str, *, today: date | None = None) -> list[dict[str, Any]]:
    """Every request made to an enterprise, newest first (the console's enterprise page)."""
    rows = conn.execute(sa.select(info_requests).where(info_requests.c.owner_tax_code == _owner(tax_code))
                        .order_by(info_requests.c.created_at.desc(), info_requests.c.id)).all()
    titles = _titles(conn, [r.plan_id for r in rows])
    return [_request_row(r, today or today_vn(), titles) for r in rows]


def requests_feed(conn: sa.Connection, tax_code: str, *, since: str | None, limit: int,
                  today: date | None = None) -> dict[str, Any]:
    """The enterprise's requests feed (``server/feeds.py``): every request made to it and
    every change of state, never skipping one."""
    q = sa.select(info_requests).where(info_requests.c.owner_tax_code == tax_code)
    page = read_page(conn, q, info_requests, since, limit)
    titles = _titles(conn, [r.plan_id for r in page.rows])
    today = today or today_vn()
    return {"items": [_request_row(r, today, titles) for r in page.rows], "next_cursor": page.next_cursor,
            "has_more": page.has_more}


# ---- exports ----------------------------------------------------------------------------------

LATEST_COLUMNS = (
    ("identity.tax_code", "Mã số thuế"), ("identity.name", "Tên doanh nghiệp"), ("identity.address", "Địa chỉ trụ sở"),
    ("identity.phone", "Điện thoại"), ("identity.email", "Thư điện tử"),
    ("identity.representative", "Người đại diện theo pháp luật"), ("contact.name", "Người liên hệ"),
    ("contact.position", "Chức vụ"), ("contact.phone", "Điện thoại người liên hệ"),
    ("contact.email", "Thư điện tử người liên hệ"), ("business_lines", "Ngành nghề (VSIC)"),
    ("trade.hs_chapters", "Chương HS hàng hóa chính"), ("trade.offices", "Đơn vị hải quan thường làm thủ tục"),
    ("trade.turnover", "Kim ngạch hằng năm (tỷ đồng)"),
)
ROW_COLUMNS = (("bank_accounts", "Tài khoản ngân hàng"), ("sites", "Cơ sở sản xuất, kho bãi"),
               ("related_parties", "Bên liên quan"))


def _joined_rows(info: dict[str, Any], section: str) -> str:
    flat = flatten(info)
    return "\n".join(v for k, v in flat.items() if k.startswith(section + "["))


def latest_table(conn: sa.Connection) -> tuple[list[str], list[list[Any]]]:
    """The latest information of every enterprise: one row each."""
    newest = sa.select(info_versions.c.owner_tax_code, sa.func.max(info_versions.c.number).label("n")) \
        .group_by(info_versions.c.owner_tax_code).subquery()
    rows = conn.execute(sa.select(info_versions).join(newest, sa.and_(
        newest.c.owner_tax_code == info_versions.c.owner_tax_code, newest.c.n == info_versions.c.number))
        .order_by(info_versions.c.owner_tax_code)).all()
    header = ["Phiên bản", "Ngày nhận", "Lý do"] + [label for _k, label in LATEST_COLUMNS] + \
        [label for _k, label in ROW_COLUMNS] + ["Tài khoản gửi", "Máy trạm"]
    table = []
    for r in rows:
        info = json.loads(r.payload)
        flat = flatten(info)
        table.append([r.number, iso(r.received_at), r.reason] + [flat.get(k, "") for k, _l in LATEST_COLUMNS]
                     + [_joined_rows(info, k) for k, _l in ROW_COLUMNS] + [r.account or "", r.workstation or ""])
    return header, table


def changes_table(conn: sa.Connection, start: date, end: date) -> tuple[list[str], list[list[Any]]]:
    """The changes received in a period (Vietnam days ``start`` to ``end`` included): one
    row per changed field of every version received then, against the version before."""
    lo = datetime.combine(start, datetime.min.time()) - timedelta(hours=7)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time()) - timedelta(hours=7)
    rows = conn.execute(sa.select(info_versions).where(info_versions.c.received_at >= lo,
                                                       info_versions.c.received_at < hi)
                        .order_by(info_versions.c.owner_tax_code, info_versions.c.number)).all()
    header = ["Mã số thuế", "Phiên bản", "Ngày nhận", "Lý do", "Trường", "Trước", "Sau", "Tài khoản gửi", "Máy trạm"]
    table: list[list[Any]] = []
    for r in rows:
        prev = conn.execute(sa.select(info_versions.c.payload).where(
            info_versions.c.owner_tax_code == r.owner_tax_code, info_versions.c.number == r.number - 1)).scalar()
        for ch in diff(json.loads(prev) if prev else None, json.loads(r.payload)):
            table.append([r.owner_tax_code, r.number, iso(r.received_at), r.reason, ch.field, ch.before or "",
                          ch.after or "", r.account or "", r.workstation or ""])
    return header, table


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows([[_safe_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def to_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe_cell(v) for v in row])
    for col in ws.columns:
        width = max((len(str(c.value or "").split("\n")[0]) for c in col), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export(header: list[str], rows: list[list[Any]], fmt: str, name: str) -> Response:
    body = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, name)
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


# ---- HTTP -----------------------------------------------------------------------------------

class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text = Field(min_length=1, max_length=300)
    year: int = Field(ge=2000, le=2100)
    due_date: date
    tax_codes: list[Text] | None = Field(None, max_length=MAX_PLAN_ENTERPRISES)
    branch: Text | None = Field(None, max_length=8)


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tax_code: Text = Field(max_length=20)
    kind: Literal["ad_hoc", "first_time"] = "ad_hoc"
    reason: Text | None = Field(None, max_length=2000)
    due_date: date | None = None
    office_code: Text | None = Field(None, max_length=8)


TaxCode = Path(max_length=20)
PlannerDep = Annotated[Principal, Depends(require(Role.PROCESSOR, Role.ADMIN))]
"""Who may create plans and requests: processors and administrators."""
NOT_FOUND = {404: {"model": ErrorOut}}
router = APIRouter(prefix=PREFIX, tags=["business-info"], route_class=JsonRoute)


@router.get("/requests", response_model=None)
def enterprise_requests(principal: EnterpriseDep, db: DbDep, since: str | None = Query(None, max_length=200),
                        limit: int = Query(200, ge=1, le=1000)) -> dict[str, Any]:
    """The signed-in enterprise's requests feed: ``{items, next_cursor, has_more}``."""
    if not principal.tax_code:
        raise ApiError(403, "forbidden", "this account has no tax code")
    with db.read() as conn:
        return requests_feed(conn, principal.tax_code, since=since, limit=limit)


@router.post("/plans", response_model=None, status_code=201)
def post_plan(body: PlanIn, principal: PlannerDep, db: DbDep) -> dict[str, Any]:
    with db.write() as conn:
        return create_plan(conn, title=body.title, year=body.year, due_date=body.due_date, tax_codes=body.tax_codes,
                           branch=body.branch, created_by=principal.user_id)


@router.get("/plans", response_model=None)
def get_plans(_p: StaffDep, db: DbDep, year: int | None = Query(None, ge=2000, le=2100)) -> dict[str, Any]:
    with db.read() as conn:
        return {"items": plans(conn, year=year)}


@router.get("/plans/{plan_id}", response_model=None, responses=NOT_FOUND)
def get_plan(_p: StaffDep, db: DbDep, plan_id: int = Path(ge=1, le=2**31 - 1)) -> dict[str, Any]:
    with db.read() as conn:
        return plan(conn, plan_id)


@router.post("/requests", response_model=None, status_code=201)
def post_request(body: RequestIn, principal: PlannerDep, db: DbDep) -> dict[str, Any]:
    with db.write() as conn:
        return create_request(conn, tax_code=body.tax_code, kind=body.kind, reason=body.reason,
                              due_date=body.due_date, office_code=body.office_code, created_by=principal.user_id)


@router.get("/enterprises/{tax_code}/requests", response_model=None)
def get_enterprise_requests(_p: StaffDep, db: DbDep, tax_code: str = TaxCode) -> dict[str, Any]:
    with db.read() as conn:
        return {"items": requests_of(conn, tax_code)}


@router.get("/enterprises/{tax_code}/versions", response_model=None)
def get_versions(_p: StaffDep, db: DbDep, tax_code: str = TaxCode) -> dict[str, Any]:
    with db.read() as conn:
        return {"items": versions(conn, tax_code)}


@router.get("/enterprises/{tax_code}/latest", response_model=None, responses=NOT_FOUND)
def get_latest(_p: StaffDep, db: DbDep, tax_code: str = TaxCode) -> dict[str, Any]:
    with db.read() as conn:
        return version(conn, tax_code)


@router.get("/enterprises/{tax_code}/versions/{number}", response_model=None, responses=NOT_FOUND)
def get_version(_p: StaffDep, db: DbDep, tax_code: str = TaxCode,
                number: int = Path(ge=1, le=2**31 - 1)) -> dict[str, Any]:
    with db.read() as conn:
        return version(conn, tax_code, number)


@router.get("/enterprises/{tax_code}/diff", response_model=None, responses=NOT_FOUND)
def get_diff(_p: StaffDep, db: DbDep, tax_code: str = TaxCode,
             from_: int = Query(alias="from", ge=1, le=2**31 - 1),
             to: int = Query(ge=1, le=2**31 - 1)) -> dict[str, Any]:
    with db.read() as conn:
        return diff_versions(conn, tax_code, from_, to)


@router.get("/exports/latest.{fmt}", response_model=None, response_class=Response)
def export_latest(_p: StaffDep, db: DbDep, fmt: Literal["csv", "xlsx"]) -> Response:
    with db.read() as conn:
        header, rows = latest_table(conn)
    return export(header, rows, fmt, "thong-tin-doanh-nghiep")


@router.get("/exports/changes.{fmt}", response_model=None, response_class=Response)
def export_changes(_p: StaffDep, db: DbDep, fmt: Literal["csv", "xlsx"], from_: date = Query(alias="from"),
                   to: date = Query()) -> Response:
    if to < from_ or (to - from_).days > 366 or from_.year < 2000 or to.year > 2100:
        raise ApiError(422, "validation_error", "the period runs from `from` to `to`, at most a year, "
                                                "between 2000 and 2100",
                       [{"field": "to", "message": "before `from` or more than a year after it"}])
    with db.read() as conn:
        header, rows = changes_table(conn, from_, to)
    return export(header, rows, fmt, f"thay-doi-{from_.isoformat()}-{to.isoformat()}")


# ---- the demo world ------------------------------------------------------------------------

DEMO_PLAN_TITLE = "Thu thập thông tin doanh nghiệp định kỳ năm 2026"


def seed_demo_collection(db: Any, now: datetime | None = None) -> bool:
    """The demo's collection: the demo enterprise's information as customs holds it from
    last year's collection (an imported version: no submission, account nor workstation) and
    a yearly plan with a pending periodic request for both demo enterprises (due a month
    after the demo's "today"). False when it is already there."""
    from domain.business_info import demo_last_version
    from domain.demo import DEMO_END, DEMO_ENTERPRISE, OTHER_ENTERPRISE

    with db.read() as conn:
        if conn.execute(sa.select(info_plans.c.id).where(info_plans.c.title == DEMO_PLAN_TITLE)).first():
            return False
    with db.write() as conn:
        conn.execute(sa.insert(info_versions).values(
            owner_tax_code=DEMO_ENTERPRISE.tax_code, number=1, submission_seq=None, schema_version=2,
            payload=canonical_json(demo_last_version()), reason="periodic", source="import",
            received_at=datetime(2025, 12, 15, 2, 31)))
    with db.write() as conn:
        create_plan(conn, title=DEMO_PLAN_TITLE, year=2026, due_date=DEMO_END.date() + timedelta(days=30),
                    tax_codes=[DEMO_ENTERPRISE.tax_code, OTHER_ENTERPRISE.tax_code], now=now)
    return True


def install(app: FastAPI) -> None:
    """Register the router and the session capture (one line in ``server/app.py``)."""
    app.include_router(router)
    app.add_middleware(SessionCapture)


__all__ = [
    "RELATIONS", "REQUEST_KINDS", "SITE_KINDS", "TURNOVER_RANGES", "changes_table", "create_plan", "create_request",
    "diff_versions", "install", "latest_table", "plan", "plans", "record_versions", "request", "requests_feed",
    "requests_of", "router", "to_csv", "to_xlsx", "version", "versions", "vsic_codes",
]
