"""The console's satisfaction reports (``/console/reports``): the dashboard, the ratings
behind every figure, exports (CSV, XLSX) and the monthly public indicator pack.

Figures come from the summary tables (``server.reports``); the branches a user sees are
those of the case service's staff record (``server.cases``), as for cases. Raters are
protected: no page or export shows a processor or a viewer which declaration (hence which
enterprise) a rating came from, and an official's figures appear only when they rest on at
least k ratings (``server.reports.min_ratings``, set here by the administrator)."""
from __future__ import annotations

import importlib.util
import json
from datetime import date
from typing import Any, Iterator
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from .. import reports
from ..errors import ApiError
from ..exports import DAY, INT, PERCENT, TEXT, csv_stream, xlsx_stream
from ..timeutil import vn_day
from . import auth, i18n
from .auth import ConsoleUser
from .pages import acting_user, refusal
from .render import lang_of, render

router = APIRouter(prefix="/console/reports", include_in_schema=False)

PER_PAGE = 50
LEVELS = (5, 4, 3, 2, 1)
CHANNEL_NAMES = {1: "Green", 2: "Yellow", 3: "Red"}
FLOW_NAMES = {"I": "Import", "E": "Export"}
KIND_NAMES = {"branch": "Branch", "team": "Team", "official": "Official", "stage": "Stage", "month": "Month",
              "week": "Week", "total": "Total"}
SORTS = ("name", "total", "percent")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope_of(conn: Any, user: ConsoleUser) -> frozenset[str] | None:
    """The branches whose reports the user sees: the staff member's branches (as for
    cases); everything when the server has no case service."""
    if importlib.util.find_spec("server.cases") is None:
        return None
    from .. import cases

    staff = cases.staff_for(conn, user.user_id)
    if staff is None:
        raise auth.NotSignedIn()
    return frozenset(staff.branches)


def _view(request: Request, conn: Any, user: ConsoleUser) -> reports.View:
    today = auth.now()
    return reports.parse_view(request.query_params, today=date.fromisoformat(vn_day(today)),
                              scope=scope_of(conn, user))


def _refused(request: Request, exc: ApiError, user: ConsoleUser) -> Response:
    if exc.status == 403:
        message = ("An official's figures rest on too few ratings to be shown." if exc.code == "too_few_ratings"
                   else "These reports are not yours to see.")
        return refusal(request, 403, "Not allowed", message, user, "/console/reports")
    tr = i18n.translator(lang_of(request))
    return render(request, "error.html", user=user, status=exc.status, title=tr("Invalid input"),
                  message=tr("The report's filters are not valid.") + f" ({exc.message})", back="/console/reports")


def _fig(f: reports.Figure) -> dict[str, Any]:
    return {"key": f.key, "name": f.name, "total": f.total, "satisfied": f.satisfied, "percent": f.percent,
            "levels": {str(s): f.level(s) for s in LEVELS}, "hidden": f.hidden}


def _sorted(rows: list[reports.Figure], sort: str, desc: bool) -> list[reports.Figure]:
    if sort == "total":
        key = lambda f: (f.total, f.key)  # noqa: E731
    elif sort == "percent":
        key = lambda f: (f.percent if f.percent is not None else -1.0, f.key)  # noqa: E731
    else:
        key = lambda f: (f.name.casefold(), f.key)  # noqa: E731
    return sorted(rows, key=key, reverse=desc)


def _case_figures(conn: Any, view: reports.View) -> list[dict[str, Any]] | None:
    """Case handling per branch from the case service, when it offers them."""
    if importlib.util.find_spec("server.cases") is None:
        return None
    from .. import cases

    figures = getattr(cases, "report_figures", None)
    if figures is None:
        return None
    return figures(conn, branches=view.scope, branch=view.branch, day_from=view.day_from, day_to=view.day_to)


def dashboard_data(conn: Any, view: reports.View, *, sort: str = "name", desc: bool = False) -> dict[str, Any]:
    k = reports.min_ratings(conn)
    head = reports.headline(conn, view)
    prev = reports.headline(conn, view.previous())
    level, rows = reports.breakdown(conn, view, k)
    return {
        "k": k, "headline": head, "previous": prev,
        "change": (round(head.percent - prev.percent, 1) if head.percent is not None and prev.percent is not None
                   else None),
        "trend": reports.trend(conn, view), "level": level, "rows": _sorted(rows, sort, desc),
        "stages": reports.stages(conn, view), "reasons": reports.top_reasons(conn, view),
        "cases": _case_figures(conn, view),
    }


def _choices(conn: Any, view: reports.View) -> dict[str, Any]:
    branches = reports._names(conn, "branch")
    visible = sorted(b for b in branches if view.scope is None or b in view.scope)
    return {"branches": [(b, branches[b]) for b in visible],
            "stages": sorted(reports._names(conn, "stage").items()),
            "team_name": reports._names(conn, "team").get(view.team or "", view.team or ""),
            "branch_name": branches.get(view.branch or "", view.branch or "")}


@router.get("")
def dashboard(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    q = request.query_params
    sort = q.get("sort") if q.get("sort") in SORTS else "name"
    desc = q.get("dir") == "desc"
    db = request.app.state.db
    lang = lang_of(request)
    tr = i18n.translator(lang)
    with db.read() as conn:
        try:
            view = _view(request, conn, user)
            data = dashboard_data(conn, view, sort=sort, desc=desc)
        except ApiError as exc:
            return _refused(request, exc, user)
        choices = _choices(conn, view)

    def link(path: str = "", **extra: Any) -> str:
        return f"/console/reports{path}?" + urlencode(view.query(**extra))

    def ratings_link(**flt: Any) -> str:
        f = {k: v for k, v in flt.items() if v is not None}
        return "/console/reports/ratings?" + urlencode({**view.query(), **{k: str(v) for k, v in f.items()}})

    def sort_link(column: str) -> str:
        d = "desc" if sort == column and not desc else "asc"
        return link(sort=column, dir=d)

    chart = {
        "levels": {"labels": [tr("{n} stars", n=s) for s in LEVELS],
                   "values": [data["headline"].level(s) for s in LEVELS], "label": tr("Ratings")},
        "trend": {"labels": [f.key for f in data["trend"]], "values": [f.percent for f in data["trend"]],
                  "counts": [f.total for f in data["trend"]], "label": tr("% satisfied or above")},
        "lang": lang,
    }
    return render(request, "reports.html", user=user, title=tr("Satisfaction reports"), section="reports",
                  view=view, d=data, levels=LEVELS, sort=sort, desc=desc, link=link, ratings_link=ratings_link,
                  sort_link=sort_link, chart_json=json.dumps(chart, ensure_ascii=False).replace("<", "\\u003c"), fmt_pct=_fmt_pct(lang),
                  fmt_int=_fmt_int(lang), channel_names=CHANNEL_NAMES, flow_names=FLOW_NAMES,
                  reason_name=lambda code: reports.reason_name(code, lang), **choices)


def _fmt_pct(lang: str):  # noqa: ANN202
    def fmt(value: float | None) -> str:
        if value is None:
            return "—"
        text = f"{value:.1f}"
        return (text.replace(".", ",") + " %") if lang == "vi" else text + "%"
    return fmt


def _fmt_int(lang: str):  # noqa: ANN202
    def fmt(value: int | None) -> str:
        if value is None:
            return "—"
        text = f"{value:,}"
        return text.replace(",", ".") if lang == "vi" else text
    return fmt


@router.get("/ratings")
def ratings_list(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    db = request.app.state.db
    lang = lang_of(request)
    tr = i18n.translator(lang)
    try:
        page_no = max(int(request.query_params.get("page") or 1), 1)
    except ValueError:
        page_no = 1
    with db.read() as conn:
        try:
            view = _view(request, conn, user)
            flt = reports.parse_filter(request.query_params)
            k = reports.min_ratings(conn)
            total = reports.rating_count(conn, view, flt)
            rows = list(reports.rating_rows(conn, view, flt, role=user.role, k=k, limit=PER_PAGE,
                                            offset=(page_no - 1) * PER_PAGE, lang=lang))
        except ApiError as exc:
            return _refused(request, exc, user)
        choices = _choices(conn, view)
        target_name = (reports._names(conn, flt.target_kind).get(flt.target_code or "", flt.target_code)
                       if flt.target_kind else None)
    base = {**view.query(), **flt.query()}

    def page_link(n: int) -> str:
        return "/console/reports/ratings?" + urlencode({**base, "page": str(n)})

    return render(request, "reports_ratings.html", user=user, title=tr("Ratings behind a figure"),
                  section="reports", view=view, flt=flt, rows=rows, total=total, page_no=page_no,
                  per_page=PER_PAGE, page_link=page_link, back="/console/reports?" + urlencode(view.query()),
                  export_query=urlencode(base), target_name=target_name, kind_names=KIND_NAMES,
                  sees_enterprise=user.role in reports.SEES_ENTERPRISE, sees_comments=user.role in reports.SEES_COMMENTS,
                  fmt_int=_fmt_int(lang), channel_names=CHANNEL_NAMES, flow_names=FLOW_NAMES, **choices)


# ---- exports ------------------------------------------------------------------------------

def _download(name: str, fmt: str, header: list[str], rows: Iterator[list[Any]], types: list[str]) -> Response:
    if fmt == "xlsx":
        body, media = xlsx_stream(name, header, rows, types), XLSX
    else:
        body, media = csv_stream(header, rows), "text/csv; charset=utf-8"
    return StreamingResponse(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="{name}.{fmt}"', "cache-control": "no-store"})


VIEW_HEADER = ("Group", "Code", "Name", "Ratings", "5 stars", "4 stars", "3 stars", "2 stars", "1 star",
               "Satisfied or above", "% satisfied or above")
VIEW_TYPES = [TEXT, TEXT, TEXT, INT, INT, INT, INT, INT, INT, INT, PERCENT]


def view_rows(data: dict[str, Any], tr: Any) -> Iterator[list[Any]]:
    """The dashboard view as one table: the headline, the trend, the breakdown level shown
    and the stages (an official below k: name only, "not enough data")."""
    def row(kind: str, f: reports.Figure, name: str | None = None) -> list[Any]:
        label = tr(KIND_NAMES[kind])
        if f.hidden:
            return [label, f.key, name if name is not None else f.name, None, None, None, None, None, None, None, None]
        return [label, f.key, name if name is not None else f.name, f.total, *(f.level(s) for s in LEVELS),
                f.satisfied, f.percent]
    yield row("total", data["headline"], tr("All ratings of the view"))
    for f in data["trend"]:
        yield row("week" if len(f.key) == 10 else "month", f, "")
    for f in data["rows"]:
        yield row(data["level"], f)
    for f in data["stages"]:
        yield row("stage", f)


@router.get("/export.{fmt}")
def export_view(request: Request, fmt: str, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if fmt not in ("csv", "xlsx"):
        return refusal(request, 404, "Not found", "There is no such export.", user, "/console/reports")
    lang = lang_of(request)
    tr = i18n.translator(lang)
    with request.app.state.db.read() as conn:
        try:
            view = _view(request, conn, user)
            data = dashboard_data(conn, view)
        except ApiError as exc:
            return _refused(request, exc, user)
    rows = list(view_rows(data, tr))
    return _download(f"satisfaction-{view.month_from}-{view.month_to}", fmt, [tr(h) for h in VIEW_HEADER],
                     iter(rows), VIEW_TYPES)


@router.get("/ratings.{fmt}")
def export_ratings(request: Request, fmt: str, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    """The ratings of the view (one period, the filters), streamed row by row."""
    if fmt not in ("csv", "xlsx"):
        return refusal(request, 404, "Not found", "There is no such export.", user, "/console/reports")
    lang = lang_of(request)
    tr = i18n.translator(lang)
    db = request.app.state.db
    with db.read() as conn:  # refuse before the download starts
        try:
            view = _view(request, conn, user)
            flt = reports.parse_filter(request.query_params)
            k = reports.min_ratings(conn)
            list(reports.rating_rows(conn, view, flt, role=user.role, k=k, limit=1, lang=lang))
        except ApiError as exc:
            return _refused(request, exc, user)
    sees_decl, sees_comment = user.role in reports.SEES_ENTERPRISE, user.role in reports.SEES_COMMENTS
    header = ["Day", "Branch", "Branch name", "Flow", "Channel", "Rated", "Code", "Name", "Stars", "Reasons"]
    types = [DAY, TEXT, TEXT, TEXT, INT, TEXT, TEXT, TEXT, INT, TEXT]
    if sees_decl:
        header.append("Declaration")
        types.append(TEXT)
    if sees_comment:
        header.append("Comment")
        types.append(TEXT)

    def rows() -> Iterator[list[Any]]:
        with db.read() as conn:
            for r in reports.rating_rows(conn, view, flt, role=user.role, k=k, lang=lang, stream=True):
                out = [r["day"], r["branch"], r["branch_name"], tr(FLOW_NAMES.get(r["flow"], "")) if r["flow"] else "",
                       r["channel"], tr(KIND_NAMES[r["target_kind"]]), r["target_code"],
                       r["target_name"] or (tr("not enough data") if r["hidden"] else ""), r["stars"],
                       "; ".join(r["reasons"])]
                if sees_decl:
                    out.append(r["declaration"])
                if sees_comment:
                    out.append(r["comment"])
                yield out
    return _download(f"ratings-{view.month_from}-{view.month_to}", fmt, [tr(h) for h in header], rows(), types)


PUBLIC_HEADER = ("month", "branch", "branch_name", "ratings", "level_5", "level_4", "level_3", "level_2", "level_1",
                 "percent_satisfied_or_above")


@router.get("/public.{fmt}")
def public_pack(request: Request, fmt: str, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    """The monthly public indicator pack of every branch (published data: not scoped)."""
    if fmt not in ("csv", "json"):
        return refusal(request, 404, "Not found", "There is no such export.", user, "/console/reports")
    with request.app.state.db.read() as conn:
        try:
            view = _view(request, conn, user)
        except ApiError as exc:
            return _refused(request, exc, user)
        k = reports.min_ratings(conn)
        pack = reports.public_pack(conn, view.month_from, view.month_to, k)
    name = f"satisfaction-public-{view.month_from}-{view.month_to}"
    if fmt == "json":
        body = {"indicator": "percent_satisfied_or_above", "definition": "ratings of 4 or 5 stars over all ratings",
                "from": view.month_from, "to": view.month_to, "min_cell": k, "rows": pack}
        return Response(json.dumps(body, ensure_ascii=False, indent=1), media_type="application/json",
                        headers={"content-disposition": f'attachment; filename="{name}.json"'})
    rows = ([p["month"], p["branch"], p["branch_name"], p["ratings"], *(p["levels"][str(s)] for s in LEVELS),
             p["percent_satisfied"]] for p in pack)
    return _download(name, "csv", list(PUBLIC_HEADER), rows, [])


@router.post("/settings")
def save_settings(request: Request, form: dict[str, str] = Depends(auth.form_data),
                  user: ConsoleUser = Depends(acting_user)) -> Response:
    if user.role != "admin":
        return refusal(request, 403, "Not allowed", "Your role may not do this.", user, "/console/reports")
    try:
        k = int(form.get("k", ""))
        with request.app.state.db.write() as conn:
            reports.set_min_ratings(conn, k)
    except (ValueError, ApiError):
        return refusal(request, 422, "Invalid input", "k is a whole number from 1 to 1000.", user, "/console/reports")
    return RedirectResponse("/console/reports", status_code=303)
