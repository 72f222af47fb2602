"""The console's enterprise information pages (``/console/business-info``), on the
enterprise-information service ``server.business_info`` (docs/BUSINESS_INFO.md):

* collection plans with their progress (sent / fulfilled / pending / overdue), a new plan
  (enterprises by list of tax codes or by branch, due date), an ad hoc request with a reason;
* an enterprise's page: the latest information, every version (received, reason, account,
  workstation), the field-by-field difference between any two versions, its requests;
* exports as downloads (CSV, XLSX): the latest information of every enterprise, the changes
  received in a period.

Roles: the risk-management unit (administrators, supervisors) reads and creates; viewers
read only; processors have no access. The service checks the input (tax codes, accounts,
branch, reason); a refused form is shown again with what was typed and the reason."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from .. import business_info as service
from ..errors import ApiError
from domain.business_info import ROW_SECTIONS, diff, flatten, section_of
from domain.codes import OFFICES
from . import auth, i18n
from .auth import ConsoleUser
from .pages import acting_user, refusal
from .render import lang_of, render

router = APIRouter(prefix="/console/business-info", include_in_schema=False)

READ_ROLES = ("admin", "supervisor", "viewer")
WRITE_ROLES = ("admin", "supervisor")
HOME = "/console/business-info"

# the information's fields, in the form's order (labels translated in server/console/bi_i18n.py)
FIELD_NAMES = {
    "identity.tax_code": "Tax code", "identity.name": "Enterprise name", "identity.address": "Head office address",
    "identity.phone": "Phone", "identity.email": "Email", "identity.representative": "Legal representative",
    "contact.name": "Contact person", "contact.position": "Position", "contact.phone": "Contact's phone",
    "contact.email": "Contact's email", "business_lines": "Business lines (VSIC)",
    "trade.hs_chapters": "Main HS chapters", "trade.offices": "Usual customs units",
    "trade.turnover": "Yearly turnover (thousand million VND)",
}
SECTION_NAMES = {"bank_accounts": "Bank account", "sites": "Production site or warehouse",
                 "related_parties": "Related party", "other": "Other"}
REASON_NAMES = {"changed": "Changed by the enterprise", "first_time": "First time at a unit",
                "periodic": "Periodic collection", "requested": "Requested by customs"}
KIND_NAMES = {"periodic": "Periodic", "ad_hoc": "Ad hoc", "first_time": "First time"}
SOURCE_NAMES = {"submission": "Sent from Declarant Desk", "import": "Imported (earlier collection)"}


def field_label(path: str, tr: Any) -> str:
    if path in FIELD_NAMES:
        return tr(FIELD_NAMES[path])
    section = section_of(path)
    if section == "other":
        return tr("Other") + ": " + path.partition(".")[2]
    return tr(SECTION_NAMES.get(section, section))


def _today() -> date:
    """Today in Vietnam by the console's deadline clock (``auth.case_now``)."""
    return service.today_vn(auth.case_now())


def _can_read(user: ConsoleUser) -> bool:
    return user.role in READ_ROLES


def _not_allowed(request: Request, user: ConsoleUser) -> Response:
    return refusal(request, 403, "Not allowed", "Your role may not see the enterprise information.", user)


def _service_error(request: Request, exc: ApiError, user: ConsoleUser, back: str) -> Response:
    if exc.status == 404:
        return refusal(request, 404, "Not found", "There is no such enterprise, version or plan.", user, back)
    tr = i18n.translator(lang_of(request))
    return render(request, "error.html", user=user, status=exc.status, title=tr("Invalid input"),
                  message=tr("The service refused the input:") + " " + exc.message, back=back)


def _office_names(lang: str) -> list[tuple[str, str]]:
    return [(code, getattr(o, lang, o.vi)) for code, o in OFFICES.items()]


def _home(request: Request, user: ConsoleUser, *, status: int = 200, plan_form: dict[str, str] | None = None,
          plan_error: str = "", request_form: dict[str, str] | None = None, request_error: str = "",
          notice: str = "") -> Response:
    lang = lang_of(request)
    tr = i18n.translator(lang)
    today = _today()
    with request.app.state.db.read() as conn:
        plans = service.plans(conn, today=today)
    return render(request, "bi_plans.html", user=user, status=status, title=tr("Enterprise information"),
                  section="business_info", plans=plans, can_write=user.role in WRITE_ROLES,
                  offices=_office_names(lang), today=today.isoformat(), plan_form=plan_form or {},
                  plan_error=plan_error, request_form=request_form or {}, request_error=request_error,
                  notice=notice, default_year=today.year)


@router.get("")
def plans_page(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if not _can_read(user):
        return _not_allowed(request, user)
    tr = i18n.translator(lang_of(request))
    q = request.query_params
    notice = (tr("The plan was created: {n} requests sent.", n=q.get("sent", "")) if q.get("created") else
              tr("The request was sent to {tax_code}.", tax_code=q.get("to", "")) if q.get("requested") else "")
    return _home(request, user, notice=notice)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


@router.post("/plans")
def create_plan(request: Request, form: dict[str, str] = Depends(auth.form_data),
                user: ConsoleUser = Depends(acting_user)) -> Response:
    if user.role not in WRITE_ROLES:
        return refusal(request, 403, "Not allowed", "Your role may not do this.", user, HOME)
    tr = i18n.translator(lang_of(request))
    kept = {k: form.get(k, "")[:20000] for k in ("title", "year", "due_date", "scope", "tax_codes", "branch")}
    title = kept["title"].strip()
    due = _date(kept["due_date"])
    try:
        year = int(kept["year"])
    except ValueError:
        year = 0
    problem = ""
    if not title or len(title) > 300:
        problem = tr("Give the plan a title (at most 300 characters).")
    elif not 2000 <= year <= 2100:
        problem = tr("The year is a number from 2000 to 2100.")
    elif due is None:
        problem = tr("Choose the due date.")
    elif due < _today():
        problem = tr("The due date has passed.")
    codes = [c for c in kept["tax_codes"].replace(",", "\n").replace(";", "\n").split() if c]
    by_branch = kept["scope"] == "branch"
    if not problem and not by_branch and not codes:
        problem = tr("List the enterprises' tax codes, one a line.")
    if not problem and by_branch and kept["branch"] not in OFFICES:
        problem = tr("Choose the branch.")
    if problem:
        return _home(request, user, status=422, plan_form=kept, plan_error=problem)
    try:
        with request.app.state.db.write() as conn:
            plan = service.create_plan(conn, title=title, year=year, due_date=due,  # type: ignore[arg-type]
                                       tax_codes=None if by_branch else codes,
                                       branch=kept["branch"] if by_branch else None,
                                       created_by=user.user_id, now=auth.case_now())
    except ApiError as exc:
        return _home(request, user, status=exc.status, plan_form=kept,
                     plan_error=tr("The service refused the plan:") + " " + exc.message)
    return RedirectResponse(f"{HOME}/plans/{plan['id']}?created=1", status_code=303)


@router.post("/requests")
def create_request(request: Request, form: dict[str, str] = Depends(auth.form_data),
                   user: ConsoleUser = Depends(acting_user)) -> Response:
    if user.role not in WRITE_ROLES:
        return refusal(request, 403, "Not allowed", "Your role may not do this.", user, HOME)
    tr = i18n.translator(lang_of(request))
    kept = {k: form.get(k, "")[:2000] for k in ("tax_code", "reason", "due_date")}
    due = _date(kept["due_date"]) if kept["due_date"].strip() else None
    problem = ""
    if not kept["tax_code"].strip():
        problem = tr("Give the enterprise's tax code.")
    elif not kept["reason"].strip():
        problem = tr("An ad hoc request needs a reason.")
    elif kept["due_date"].strip() and due is None:
        problem = tr("The due date is not a date.")
    elif due is not None and due < _today():
        problem = tr("The due date has passed.")
    if problem:
        return _home(request, user, status=422, request_form=kept, request_error=problem)
    try:
        with request.app.state.db.write() as conn:
            made = service.create_request(conn, tax_code=kept["tax_code"], kind="ad_hoc", reason=kept["reason"],
                                          due_date=due, created_by=user.user_id, now=auth.case_now())
    except ApiError as exc:
        return _home(request, user, status=exc.status, request_form=kept,
                     request_error=tr("The service refused the request:") + " " + exc.message)
    return RedirectResponse(f"{HOME}/enterprises/{quote(made['tax_code'])}?requested=1", status_code=303)


@router.get("/plans/{plan_id}")
def plan_page(request: Request, plan_id: int, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if not _can_read(user):
        return _not_allowed(request, user)
    tr = i18n.translator(lang_of(request))
    if not 1 <= plan_id < 2**31:
        return refusal(request, 404, "Not found", "There is no such enterprise, version or plan.", user, HOME)
    try:
        with request.app.state.db.read() as conn:
            plan = service.plan(conn, plan_id, today=_today())
    except ApiError as exc:
        return _service_error(request, exc, user, HOME)
    return render(request, "bi_plan.html", user=user, title=plan["title"], section="business_info", plan=plan,
                  created=bool(request.query_params.get("created")), kind_names=KIND_NAMES,
                  office_name=lambda c: getattr(OFFICES[c], lang_of(request), c) if c in OFFICES else (c or ""),
                  notice=tr("The plan was created: {n} requests sent.", n=plan["progress"]["sent"])
                  if request.query_params.get("created") else "")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@router.get("/enterprise")
def find_enterprise(request: Request, tax_code: str = "", user: ConsoleUser = Depends(auth.current_user)) -> Response:
    """The search box's target: on to the enterprise's page."""
    if not _can_read(user):
        return _not_allowed(request, user)
    code = "".join(tax_code.split())[:20]
    if not code:
        return RedirectResponse(HOME, status_code=303)
    return RedirectResponse(f"{HOME}/enterprises/{quote(code, safe='')}", status_code=303)


@router.get("/enterprises/{tax_code}")
def enterprise_page(request: Request, tax_code: str, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if not _can_read(user):
        return _not_allowed(request, user)
    lang = lang_of(request)
    tr = i18n.translator(lang)
    q = request.query_params
    today = _today()
    try:
        with request.app.state.db.read() as conn:
            items = service.versions(conn, tax_code[:20])
            requests = service.requests_of(conn, tax_code[:20], today=today)
            latest = service.version(conn, tax_code[:20]) if items else None
            numbers = [v["number"] for v in items]
            older, newer = _int(q.get("from")), _int(q.get("to"))
            compared = None
            if len(numbers) >= 2 or (older is not None and newer is not None):
                if older is None or newer is None:
                    older, newer = numbers[-2], numbers[-1]
                if older not in numbers or newer not in numbers:
                    return refusal(request, 404, "Not found", "There is no such enterprise, version or plan.",
                                   user, f"{HOME}/enterprises/{quote(tax_code[:20], safe='')}")
                a, b = service.version(conn, tax_code[:20], older), service.version(conn, tax_code[:20], newer)
                compared = {"from": a, "to": b, "rows": _diff_rows(a["info"], b["info"], tr)}
    except ApiError as exc:
        return _service_error(request, exc, user, HOME)
    if not items and not requests:
        return refusal(request, 404, "Not found", "There is no such enterprise, version or plan.", user, HOME)
    owner = service._owner(tax_code[:20])
    name = flatten(latest["info"]).get("identity.name", "") if latest else ""
    return render(request, "bi_enterprise.html", user=user, title=f"{owner} {name}".strip(),
                  section="business_info", tax_code=owner, name=name, versions=list(reversed(items)),
                  latest=latest, latest_rows=_info_rows(latest["info"], tr) if latest else [],
                  compared=compared, requests=requests, kind_names=KIND_NAMES, reason_names=REASON_NAMES,
                  source_names=SOURCE_NAMES, can_write=user.role in WRITE_ROLES,
                  requested=bool(q.get("requested")))


def _info_rows(info: dict[str, Any], tr: Any) -> list[tuple[str, str]]:
    return [(field_label(path, tr), value) for path, value in flatten(info).items()]


def _diff_rows(old: dict[str, Any], new: dict[str, Any], tr: Any) -> list[dict[str, Any]]:
    """Every field of both versions, in the form's order, the changed ones marked."""
    changed = {c.field: c for c in diff(old, new)}
    before, after = flatten(old), flatten(new)
    rows = []
    for path in list(after) + [p for p in before if p not in after]:
        c = changed.get(path)
        state = "same" if c is None else "added" if c.before is None else "removed" if c.after is None else "changed"
        rows.append({"field": path, "label": field_label(path, tr), "before": before.get(path, ""),
                     "after": after.get(path, ""), "state": state})
    order = {s: i for i, s in enumerate(("identity", "contact", "business_lines", "trade") + ROW_SECTIONS + ("other",))}
    return sorted(rows, key=lambda r: order.get(section_of(r["field"]), 99))


# ---- exports ------------------------------------------------------------------------------

@router.get("/exports/latest.{fmt}")
def export_latest(request: Request, fmt: str, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if not _can_read(user):
        return _not_allowed(request, user)
    if fmt not in ("csv", "xlsx"):
        return refusal(request, 404, "Not found", "There is no such export.", user, HOME)
    with request.app.state.db.read() as conn:
        header, rows = service.latest_table(conn)
    response = service.export(header, rows, fmt, "thong-tin-doanh-nghiep")
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/exports/changes.{fmt}")
def export_changes(request: Request, fmt: str, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if not _can_read(user):
        return _not_allowed(request, user)
    if fmt not in ("csv", "xlsx"):
        return refusal(request, 404, "Not found", "There is no such export.", user, HOME)
    start = _date(request.query_params.get("from", ""))
    end = _date(request.query_params.get("to", ""))
    if start is None or end is None or end < start or (end - start).days > 366 or start.year < 2000 \
            or end.year > 2100:
        return refusal(request, 422, "Invalid input",
                       "The period runs from one day to another, at most a year apart, between 2000 and 2100.",
                       user, HOME)
    with request.app.state.db.read() as conn:
        header, rows = service.changes_table(conn, start, end)
    response = service.export(header, rows, fmt, f"thay-doi-{start.isoformat()}-{end.isoformat()}")
    response.headers["cache-control"] = "no-store"
    return response


def day(value: str | date | None) -> str:
    """A day as dd/mm/yyyy."""
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return d.strftime("%d/%m/%Y")


from .render import env as _env  # noqa: E402

_env.filters["bi_day"] = day
