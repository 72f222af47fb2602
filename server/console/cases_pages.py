"""The console's case pages on the case service ``server.cases``: the inbox, a case with
its actions (htmx partial updates; plain form posts work too), answer templates, alerts.

Every read and action goes through the case service with the signed-in staff member: the
service decides what a role and a branch may see and do (other branches' cases are "not
found"); the pages only leave out the buttons a role has no use for."""
from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from .. import calendar, cases
from ..errors import ApiError
from . import auth, i18n
from .auth import ConsoleUser, NotSignedIn
from .pages import acting_user, is_htmx, refusal
from .render import lang_of, render

router = APIRouter(prefix="/console", include_in_schema=False)

PER_PAGE = 50
INT_FILTERS = ("owner", "page")


def _staff(conn, user: ConsoleUser) -> "cases.Staff":  # noqa: ANN001
    staff = cases.staff_for(conn, user.user_id)
    if staff is None:
        raise NotSignedIn()
    return staff


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _common(conn, staff) -> dict[str, Any]:  # noqa: ANN001
    return {"unread_alerts": len(cases.alerts(conn, staff, unread_only=True))}


def _refused(request: Request, exc: ApiError, user: ConsoleUser, case_id: int | None = None) -> Response:
    back = f"/console/cases/{case_id}" if case_id else "/console/inbox"
    if isinstance(exc, cases.CaseNotFound):
        return refusal(request, 404, "Not found", "This case does not exist or belongs to another branch.", user)
    if isinstance(exc, cases.CaseForbidden):
        return refusal(request, 403, "Not allowed", "Your role may not do this.", user, back)
    title = "Conflict" if exc.status == 409 else "Invalid input"
    tr = i18n.translator(lang_of(request))
    general = ("The case has changed in the meantime; reload it and try again." if exc.status == 409
               else "The request was not accepted.")
    message = tr(general) + (f" ({exc.message})" if lang_of(request) == "en" else "")
    if is_htmx(request):
        return render(request, "flash.html", status=exc.status, message=message,
                      headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return render(request, "error.html", user=user, status=exc.status, title=tr(title), message=message, back=back)


# ---- inbox -------------------------------------------------------------------------------

@router.get("/inbox")
def inbox(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    q = request.query_params
    filters = {"state": q.get("state") or None, "owner_id": _int(q.get("owner")), "branch": q.get("branch") or None,
               "level": q.get("level") or None, "kind": q.get("kind") or None}
    page_no = max(_int(q.get("page")) or 1, 1)
    db = request.app.state.db
    with db.read() as conn:
        staff = _staff(conn, user)
        try:
            page = cases.inbox(conn, staff, **filters, page=page_no, per_page=PER_PAGE, now=auth.case_now())
        except ApiError as exc:
            return _refused(request, exc, user)
        owners: dict[int, Any] = {}
        for branch in sorted(staff.branches):
            for member in cases.assignable_staff(conn, staff, branch):
                owners.setdefault(member.user_id, member)
        common = _common(conn, staff)
    tr = i18n.translator(lang_of(request))
    kept = {k: v for k, v in q.items() if k in ("state", "owner", "branch", "level", "kind") and v}

    def pager_query(n: int) -> str:
        return urlencode({**kept, "page": n})
    return render(request, "inbox.html", pager_query=pager_query, user=user, staff=staff, page=page, filters=filters, page_no=page_no,
                  per_page=PER_PAGE, owners=sorted(owners.values(), key=lambda s: s.display_name),
                  title=tr("Inbox"), section="inbox", now=auth.case_now(), enums=i18n.ENUM_NAMES, **common)


# ---- a case ------------------------------------------------------------------------------

ACTING = ("processor", "supervisor", "admin")
LEADING = ("supervisor", "admin")
OPEN = ("new", "assigned", "in_review", "reopened")


def allowed_actions(staff, case) -> frozenset[str]:  # noqa: ANN001
    """The buttons worth showing, after the case service's rules (``server/cases.py``);
    the service still decides and refuses anything else."""
    role, state = str(staff.role), str(case.state)
    if role not in ACTING:
        return frozenset()
    mine = case.owner_id == staff.user_id
    leading = role in LEADING
    can: set[str] = set()
    if state in OPEN or state == "answered":
        can.add("note")
    if state in ("new", "reopened") and case.owner_id in (None, staff.user_id) and not (state == "reopened" and mine):
        can.add("take")
    if leading and state in OPEN:
        can.add("assign")
    if state in ("assigned", "reopened") and case.owner_id is not None and (mine or leading):
        can.add("review")
    if state == "in_review" and (mine or leading):
        can.add("answer")
    if leading and state == "answered":
        can.add("close")
    return frozenset(can)


def _case_context(conn, staff, case_id: int) -> dict[str, Any]:  # noqa: ANN001
    case = cases.get_case(conn, staff, case_id, now=auth.case_now())
    ctx: dict[str, Any] = {"case": case, "staff": staff, "templates": cases.templates(conn, staff, case.branch),
                           "assignable": [], "now": auth.case_now(), "enums": i18n.ENUM_NAMES,
                           "can": allowed_actions(staff, case),
                           # who the enterprise is and how to reach it: for the staff who handle
                           # cases, not for viewers (who monitor)
                           "show_identity": str(staff.role) in ACTING}
    if staff.role in ("supervisor", "admin"):
        ctx["assignable"] = cases.assignable_staff(conn, staff, case.branch)
    return ctx


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    db = request.app.state.db
    with db.write() as conn:  # the service records that the case was viewed
        staff = _staff(conn, user)
        try:
            ctx = _case_context(conn, staff, case_id)
        except ApiError as exc:
            return _refused(request, exc, user, None)
        common = _common(conn, staff)
    tr = i18n.translator(lang_of(request))
    return render(request, "case.html", user=user, title=tr("Case {id}", id=case_id), section="inbox",
                  **ctx, **common)


def _action(request: Request, user: ConsoleUser, case_id: int, run: Callable[[Any, Any], Any]) -> Response:
    db = request.app.state.db
    try:
        with db.write() as conn:
            staff = _staff(conn, user)
            run(conn, staff)
    except ApiError as exc:
        return _refused(request, exc, user, case_id)
    if not is_htmx(request):
        return RedirectResponse(f"/console/cases/{case_id}", status_code=303)
    with db.write() as conn:
        staff = _staff(conn, user)
        ctx = _case_context(conn, staff, case_id)
    return render(request, "case_main.html", user=user, updated=True, **ctx)


@router.post("/cases/{case_id}/take")
def take(request: Request, case_id: int, user: ConsoleUser = Depends(acting_user)) -> Response:
    return _action(request, user, case_id, lambda c, s: cases.take(c, s, case_id, now=auth.case_now()))


@router.post("/cases/{case_id}/assign")
def assign(request: Request, case_id: int, form: dict[str, str] = Depends(auth.form_data),
           user: ConsoleUser = Depends(acting_user)) -> Response:
    owner = _int(form.get("owner_id"))
    if owner is None:
        return refusal(request, 422, "Invalid input", "Choose who handles the case.", user,
                       f"/console/cases/{case_id}")
    return _action(request, user, case_id, lambda c, s: cases.assign(c, s, case_id, owner, now=auth.case_now()))


@router.post("/cases/{case_id}/review")
def start_review(request: Request, case_id: int, user: ConsoleUser = Depends(acting_user)) -> Response:
    return _action(request, user, case_id, lambda c, s: cases.start_review(c, s, case_id, now=auth.case_now()))


@router.post("/cases/{case_id}/note")
def add_note(request: Request, case_id: int, form: dict[str, str] = Depends(auth.form_data),
             user: ConsoleUser = Depends(acting_user)) -> Response:
    text = form.get("text", "").strip()
    if not text:
        return refusal(request, 422, "Invalid input", "Write the note first.", user, f"/console/cases/{case_id}")
    return _action(request, user, case_id, lambda c, s: cases.add_note(c, s, case_id, text, now=auth.case_now()))


@router.post("/cases/{case_id}/answer")
def answer(request: Request, case_id: int, form: dict[str, str] = Depends(auth.form_data),
           user: ConsoleUser = Depends(acting_user)) -> Response:
    outcome, text = form.get("outcome", ""), form.get("text", "").strip()
    if not outcome or not text:
        return refusal(request, 422, "Invalid input", "An answer needs both an outcome and a text.", user,
                       f"/console/cases/{case_id}")
    return _action(request, user, case_id,
                   lambda c, s: cases.answer(c, s, case_id, outcome=outcome, text=text, now=auth.case_now()))


@router.post("/cases/{case_id}/close")
def close(request: Request, case_id: int, user: ConsoleUser = Depends(acting_user)) -> Response:
    return _action(request, user, case_id, lambda c, s: cases.close(c, s, case_id, now=auth.case_now()))


@router.get("/cases/{case_id}/template")
def insert_template(request: Request, case_id: int, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    """The answer box filled from a template (to be edited before sending)."""
    template_id = _int(request.query_params.get("template_id"))
    with request.app.state.db.write() as conn:
        staff = _staff(conn, user)
        try:
            ctx = _case_context(conn, staff, case_id)
        except ApiError as exc:
            return _refused(request, exc, user, case_id)
    chosen = next((t for t in ctx["templates"] if t.id == template_id), None)
    text = cases.fill_template(chosen.body, ctx["case"]) if chosen else ""
    return render(request, "answer_text.html", user=user, text=text, focus=True)


# ---- answer templates (supervisors) ------------------------------------------------------

@router.get("/templates")
def templates_page(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    with request.app.state.db.read() as conn:
        staff = _staff(conn, user)
        if staff.role not in ("supervisor", "admin"):
            return refusal(request, 403, "Not allowed", "Your role may not do this.", user)
        by_branch = {b: cases.templates(conn, staff, b) for b in sorted(staff.branches)}
        common = _common(conn, staff)
    tr = i18n.translator(lang_of(request))
    edit = _int(request.query_params.get("edit"))
    return render(request, "templates.html", user=user, staff=staff, by_branch=by_branch, edit=edit,
                  title=tr("Answer templates"), section="templates", **common)


@router.post("/templates")
def save_template(request: Request, form: dict[str, str] = Depends(auth.form_data),
                  user: ConsoleUser = Depends(acting_user)) -> Response:
    try:
        with request.app.state.db.write() as conn:
            staff = _staff(conn, user)
            if form.get("delete"):
                cases.delete_template(conn, staff, _int(form.get("template_id")))
            else:
                cases.save_template(conn, staff, form.get("branch", ""), form.get("name", "").strip(),
                                    form.get("body", "").strip(), template_id=_int(form.get("template_id")))
    except ApiError as exc:
        return _refused(request, exc, user)
    return RedirectResponse("/console/templates", status_code=303)


# ---- alerts ------------------------------------------------------------------------------

@router.get("/alerts")
def alerts_page(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    with request.app.state.db.read() as conn:
        staff = _staff(conn, user)
        items = cases.alerts(conn, staff)
        common = _common(conn, staff)
    tr = i18n.translator(lang_of(request))
    return render(request, "alerts.html", user=user, items=items, title=tr("Alerts"), section="alerts", **common)


@router.post("/alerts/read")
def alerts_read(request: Request, form: dict[str, str] = Depends(auth.form_data),
                user: ConsoleUser = Depends(acting_user)) -> Response:
    with request.app.state.db.write() as conn:
        staff = _staff(conn, user)
        ids = [a.id for a in cases.alerts(conn, staff, unread_only=True)]
        cases.mark_alerts_read(conn, staff, ids)
    return RedirectResponse("/console/alerts", status_code=303)


# ---- holidays and deadline targets (administrators) --------------------------------------

def _calendar_page(request: Request, user: ConsoleUser, *, status: int = 200, message: str = "",
                   holidays_text: str | None = None) -> Response:
    with request.app.state.db.read() as conn:
        staff = _staff(conn, user)
        if staff.role != "admin":
            return refusal(request, 403, "Not allowed", "Your role may not do this.", user)
        days = calendar.holiday_list(conn)
        targets = cases.case_settings(conn)
        common = _common(conn, staff)
    tr = i18n.translator(lang_of(request))
    if holidays_text is None:
        holidays_text = "\n".join(f"{h.day.isoformat()} {h.name}" for h in days)
    return render(request, "calendar.html", user=user, status=status, message=message, holidays=days,
                  holidays_text=holidays_text, targets=targets, title=tr("Holidays and targets"),
                  section="calendar", **common)


@router.get("/calendar")
def calendar_page(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    return _calendar_page(request, user)


@router.post("/calendar/holidays")
def save_holidays(request: Request, form: dict[str, str] = Depends(auth.form_data),
                  user: ConsoleUser = Depends(acting_user)) -> Response:
    text = form.get("holidays", "")
    items = []
    for line in text.splitlines():
        day, _, name = line.strip().partition(" ")
        if day:
            items.append((day, name.strip()))
    try:
        with request.app.state.db.write() as conn:
            calendar.set_holidays(conn, _staff(conn, user), items)
    except ApiError as exc:
        if isinstance(exc, cases.CaseForbidden):
            return refusal(request, 403, "Not allowed", "Your role may not do this.", user)
        tr = i18n.translator(lang_of(request))
        return _calendar_page(request, user, status=exc.status, holidays_text=text,
                              message=tr("The holidays were not saved: {reason}", reason=exc.message))
    return RedirectResponse("/console/calendar", status_code=303)


@router.post("/calendar/targets")
def save_targets(request: Request, form: dict[str, str] = Depends(auth.form_data),
                 user: ConsoleUser = Depends(acting_user)) -> Response:
    tr = i18n.translator(lang_of(request))
    try:
        values = {k: int(form.get(k, "")) for k in ("ack_days", "answer_days", "warn_hours")}
    except ValueError:
        return _calendar_page(request, user, status=422, message=tr("Targets are whole numbers."))
    try:
        with request.app.state.db.write() as conn:
            cases.set_case_settings(conn, _staff(conn, user), **values)
    except ApiError as exc:
        if isinstance(exc, cases.CaseForbidden):
            return refusal(request, 403, "Not allowed", "Your role may not do this.", user)
        return _calendar_page(request, user, status=exc.status,
                              message=tr("The targets were not saved: {reason}", reason=exc.message))
    return RedirectResponse("/console/calendar", status_code=303)
