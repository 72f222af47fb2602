"""Satisfaction reports: share of "satisfied or above" (4-5 stars) and counts per level.

The unit is a rating: each target rated in an accepted assessment counts once. Filters:
a period (Vietnam calendar days, inclusive) and a branch (the declaration's office).
``group_by``: ``branch`` groups every rating by the declaration's branch; ``team``,
``stage`` and ``official`` group the ratings given to targets of that kind; ``month`` and
``day`` group by period.

The console's dashboard (``View``, ``headline``, ``trend``, ``breakdown``, ``stages``,
``top_reasons``, ``rating_rows``, ``public_pack``) reads the summary tables of
``server/report_store.py``; docs/REPORTS.md.
"""
from __future__ import annotations

import calendar as _calendar
import json as _json
import re as _re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable, Iterator

import sqlalchemy as sa

from domain.codes import DISSATISFIED_REASONS, LOW_RATING_MAX_STARS, OFFICES, SATISFIED_MIN_STARS, SATISFIED_REASONS
from domain.text import nfc

from .catalog import get_meta, set_meta, target_names
from .enums import OPEN_STATES, TARGET_GROUPINGS, ReportGrouping, SubmissionState
from .errors import ApiError
from .report_store import ALL, ASSESSMENTS, FLOW_OF
from .schema import catalog_targets, declarations, ratings, report_reasons, report_targets, report_weeks, submissions

GROUP_BY: tuple[ReportGrouping, ...] = tuple(ReportGrouping)


def _percent(satisfied: int, total: int) -> float | None:
    return round(100.0 * satisfied / total, 1) if total else None


def _levels(counts: dict[int, int]) -> dict[str, int]:
    return {str(s): int(counts.get(s, 0)) for s in (5, 4, 3, 2, 1)}


def satisfaction(conn: sa.Connection, *, date_from: date | None, date_to: date | None,
                 group_by: ReportGrouping | str = ReportGrouping.NONE, branch: str | None = None) -> dict[str, Any]:
    """The report over a period (inclusive; ``None``: unbounded) and optionally one branch;
    422 ``validation_error`` when the period ends before it starts or the grouping is unknown."""
    if date_from and date_to and date_from > date_to:
        raise ApiError(422, "validation_error", "`from` is after `to`")
    try:
        group_by = ReportGrouping(group_by)
    except ValueError:
        raise ApiError(422, "validation_error", f"group_by is one of {', '.join(GROUP_BY)}") from None
    conds = []
    if date_from is not None:
        conds.append(ratings.c.rated_day >= date_from.isoformat())
    if date_to is not None:
        conds.append(ratings.c.rated_day <= date_to.isoformat())
    if branch:
        conds.append(ratings.c.branch_code == branch)

    totals: dict[int, int] = {}
    for stars, n in conn.execute(sa.select(ratings.c.stars, sa.func.count()).where(*conds).group_by(ratings.c.stars)):
        totals[int(stars)] = int(n)
    assessments = conn.execute(sa.select(sa.func.count(sa.distinct(ratings.c.submission_seq))).where(*conds)).scalar() or 0
    total = sum(totals.values())
    satisfied = sum(n for s, n in totals.items() if s >= SATISFIED_MIN_STARS)

    groups: list[dict[str, Any]] = []
    if group_by != ReportGrouping.NONE:
        if group_by == ReportGrouping.BRANCH:
            key = ratings.c.branch_code
            where = conds
        elif group_by in TARGET_GROUPINGS:
            key = ratings.c.target_code
            where = [*conds, ratings.c.target_kind == group_by]
        elif group_by == ReportGrouping.MONTH:
            key = sa.func.substr(ratings.c.rated_day, 1, 7)
            where = conds
        else:  # day
            key = ratings.c.rated_day
            where = conds
        per: dict[str, dict[int, int]] = {}
        for code, stars, n in conn.execute(sa.select(key.label("k"), ratings.c.stars, sa.func.count())
                                           .where(*where).group_by(key, ratings.c.stars)):
            per.setdefault(str(code), {})[int(stars)] = int(n)
        if group_by in TARGET_GROUPINGS or group_by == ReportGrouping.BRANCH:
            names = target_names(conn, [(group_by.value, c) for c in per])
        else:
            names = {}
        for code in sorted(per):
            counts = per[code]
            g_total = sum(counts.values())
            g_sat = sum(n for s, n in counts.items() if s >= SATISFIED_MIN_STARS)
            name = names.get((group_by.value, code)) or (OFFICES[code].vi if group_by == ReportGrouping.BRANCH
                                                         and code in OFFICES else code)
            groups.append({"kind": group_by, "code": code, "name": name, "total": g_total,
                           "satisfied_or_above": g_sat, "percent_satisfied": _percent(g_sat, g_total),
                           "by_level": _levels(counts)})
    return {"from": date_from.isoformat() if date_from else None, "to": date_to.isoformat() if date_to else None,
            "group_by": group_by, "branch": branch, "total": total, "satisfied_or_above": satisfied,
            "percent_satisfied": _percent(satisfied, total), "by_level": _levels(totals),
            "assessments": int(assessments), "groups": groups}


def inbox_counts(conn: sa.Connection) -> dict[str, int]:
    rows = conn.execute(sa.select(submissions.c.state, sa.func.count()).where(submissions.c.needs_answer == sa.true())
                        .group_by(submissions.c.state)).all()
    counts = {str(s): int(n) for s, n in rows}
    return {"open": sum(counts.get(s, 0) for s in OPEN_STATES), "answered": counts.get(SubmissionState.ANSWERED, 0)}


# ---- the console's dashboard (summary tables of ``server/report_store.py``) -----------------
#
# A view is a period of whole months (Vietnam calendar), optionally one branch, one flow
# (import/export), one channel and one professional stage, within the branches the user may
# see. Every figure is read from the summary tables; the ratings behind a figure are read
# from ``ratings`` (``rating_rows``), and their count is the figure's.

MIN_RATINGS_KEY = "report_min_ratings"
DEFAULT_MIN_RATINGS = 5
MAX_MONTHS = 60
FLOWS = ("I", "E")
CHANNELS = (1, 2, 3)
# roles that see which declaration (hence which enterprise) a rating came from, and comments
SEES_ENTERPRISE = frozenset({"supervisor", "admin"})
SEES_COMMENTS = frozenset({"supervisor", "admin"})
_MONTH = _re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def min_ratings(conn: sa.Connection) -> int:
    """k: per-official figures rest on at least k ratings or are not shown (admin setting)."""
    try:
        return max(int(get_meta(conn, MIN_RATINGS_KEY) or DEFAULT_MIN_RATINGS), 1)
    except ValueError:
        return DEFAULT_MIN_RATINGS


def set_min_ratings(conn: sa.Connection, k: int) -> None:
    if not 1 <= k <= 1000:
        raise ApiError(422, "validation_error", "k is a whole number from 1 to 1000")
    set_meta(conn, MIN_RATINGS_KEY, str(k))


def month_add(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    total = y * 12 + (m - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def months_between(a: str, b: str) -> int:
    return (int(b[:4]) * 12 + int(b[5:7])) - (int(a[:4]) * 12 + int(a[5:7])) + 1


def month_days(month: str) -> tuple[str, str]:
    y, m = int(month[:4]), int(month[5:7])
    return f"{month}-01", f"{month}-{_calendar.monthrange(y, m)[1]:02d}"


@dataclass(frozen=True)
class View:
    month_from: str
    month_to: str
    branch: str | None = None
    flow: str | None = None
    channel: int | None = None
    stage: str | None = None
    team: str | None = None  # drill-down: the officials of this team (within ``branch``)
    trend: str = "month"  # month|week
    scope: frozenset[str] | None = None  # the branches the user may see; None: all

    @property
    def months(self) -> int:
        return months_between(self.month_from, self.month_to)

    def previous(self) -> "View":
        """The period of the same length just before."""
        return replace(self, month_from=month_add(self.month_from, -self.months),
                       month_to=month_add(self.month_from, -1))

    @property
    def day_from(self) -> str:
        return month_days(self.month_from)[0]

    @property
    def day_to(self) -> str:
        return month_days(self.month_to)[1]

    def query(self, **extra: Any) -> dict[str, str]:
        """The view as query parameters (for links), with ``extra`` added or removed (None)."""
        q = {"from": self.month_from, "to": self.month_to, "branch": self.branch, "flow": self.flow,
             "channel": str(self.channel) if self.channel else None, "stage": self.stage, "team": self.team,
             "trend": self.trend if self.trend != "month" else None}
        q.update({k: (None if v is None else str(v)) for k, v in extra.items()})
        return {k: v for k, v in q.items() if v}


def parse_view(params: Any, *, today: date, scope: frozenset[str] | None) -> View:
    """A view from query parameters (``from``/``to`` YYYY-MM, ``branch``, ``flow`` I|E,
    ``channel`` 1-3, ``stage``, ``team``, ``trend`` month|week); by default the twelve months
    up to ``today``'s. 422 for a malformed value; 403 ``branch_forbidden`` for a branch
    outside ``scope``."""
    def get(name: str) -> str | None:
        v = params.get(name)
        return v.strip() if isinstance(v, str) and v.strip() else None

    this_month = today.strftime("%Y-%m")
    month_to = get("to") or this_month
    month_from = get("from") or month_add(month_to, -11)
    for name, v in (("from", month_from), ("to", month_to)):
        if not _MONTH.match(v):
            raise ApiError(422, "validation_error", f"`{name}` is a month: YYYY-MM")
    if month_from > month_to:
        raise ApiError(422, "validation_error", "`from` is after `to`")
    if months_between(month_from, month_to) > MAX_MONTHS:
        raise ApiError(422, "validation_error", f"a period is at most {MAX_MONTHS} months")
    flow = get("flow")
    if flow is not None and flow not in FLOWS:
        raise ApiError(422, "validation_error", "flow is I (import) or E (export)")
    channel_text = get("channel")
    channel = None
    if channel_text is not None:
        if channel_text not in ("1", "2", "3"):
            raise ApiError(422, "validation_error", "channel is 1, 2 or 3")
        channel = int(channel_text)
    branch, stage, team = get("branch"), get("stage"), get("team")
    for name, v in (("branch", branch), ("stage", stage), ("team", team)):
        if v is not None and (len(v) > 40 or not _re.match(r"^[A-Za-z0-9_-]+$", v)):
            raise ApiError(422, "validation_error", f"{name}: not a catalog code")
    if branch is not None and scope is not None and branch not in scope:
        raise ApiError(403, "branch_forbidden", "this branch's reports are not yours to see")
    if team is not None and branch is None:
        raise ApiError(422, "validation_error", "a team is chosen within its branch")
    trend = get("trend") or "month"
    if trend not in ("month", "week"):
        raise ApiError(422, "validation_error", "trend is month or week")
    return View(month_from, month_to, branch, flow, channel, stage, team, trend, scope)


def _where(table: sa.Table, v: View) -> list[Any]:
    c = [table.c.month >= v.month_from, table.c.month <= v.month_to]
    if v.branch:
        c.append(table.c.branch_code == v.branch)
    elif v.scope is not None:
        c.append(table.c.branch_code.in_(sorted(v.scope)) if v.scope else sa.false())
    if v.flow:
        c.append(table.c.flow == v.flow)
    if v.channel:
        c.append(table.c.channel == v.channel)
    return c


@dataclass
class Figure:
    """Ratings per level of one group; ``hidden`` when it rests on fewer than k ratings and
    may not be shown (an official's figures)."""
    key: str
    name: str
    by_level: dict[int, int] = field(default_factory=dict)
    hidden: bool = False
    assessments: int | None = None

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def satisfied(self) -> int:
        return sum(n for s, n in self.by_level.items() if s >= SATISFIED_MIN_STARS)

    @property
    def percent(self) -> float | None:
        return _percent(self.satisfied, self.total)

    def level(self, stars: int) -> int:
        return self.by_level.get(stars, 0)


def _figures(rows: Iterable[Any], names: dict[str, str] | None = None) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for key, stars, n in rows:
        key = str(key)
        f = out.get(key)
        if f is None:
            f = out[key] = Figure(key, (names or {}).get(key, key))
        f.by_level[int(stars)] = f.by_level.get(int(stars), 0) + int(n)
    return out


def headline(conn: sa.Connection, v: View) -> Figure:
    t = report_weeks
    rows = conn.execute(sa.select(t.c.stars, sa.func.sum(t.c.n)).where(t.c.stage_code == (v.stage or ALL), *_where(t, v))
                        .group_by(t.c.stars)).all()
    f = Figure("total", "")
    for stars, n in rows:
        if int(stars) == ASSESSMENTS:
            f.assessments = int(n or 0)
        else:
            f.by_level[int(stars)] = int(n or 0)
    if v.stage:  # one rating of a stage per assessment
        f.assessments = f.total
    f.assessments = f.assessments or 0
    return f


def trend(conn: sa.Connection, v: View) -> list[Figure]:
    t = report_weeks
    key = t.c.week if v.trend == "week" else t.c.month
    rows = conn.execute(sa.select(key, t.c.stars, sa.func.sum(t.c.n))
                        .where(t.c.stage_code == (v.stage or ALL), t.c.stars != ASSESSMENTS, *_where(t, v))
                        .group_by(key, t.c.stars).order_by(key)).all()
    return list(_figures(rows).values())


def _names(conn: sa.Connection, kind: str) -> dict[str, str]:
    names = {r.code: r.name for r in conn.execute(sa.select(catalog_targets.c.code, catalog_targets.c.name)
                                                  .where(catalog_targets.c.kind == kind))}
    if kind == "branch":
        for code, office in OFFICES.items():
            names.setdefault(code, office.vi)
    return names


def team_officials(conn: sa.Connection, team: str) -> list[str]:
    return list(conn.execute(sa.select(catalog_targets.c.code).where(catalog_targets.c.kind == "official",
                                                                     catalog_targets.c.parent == team)).scalars())


def official_counts(conn: sa.Connection, v: View) -> dict[str, int]:
    """Ratings per official in the view (every official, for the k rule)."""
    t = report_targets
    return {str(code): int(n) for code, n in conn.execute(
        sa.select(t.c.target_code, sa.func.sum(t.c.n)).where(t.c.target_kind == "official", *_where(t, v))
        .group_by(t.c.target_code))}


def breakdown(conn: sa.Connection, v: View, k: int) -> tuple[str, list[Figure]]:
    """The table of the view's level: branches; with a branch, its teams; with a team, its
    officials (each hidden below k ratings). With a stage, branches only (teams and
    officials are rated apart from stages)."""
    if v.stage or not v.branch:
        t = report_weeks
        rows = conn.execute(sa.select(t.c.branch_code, t.c.stars, sa.func.sum(t.c.n))
                            .where(t.c.stage_code == (v.stage or ALL), t.c.stars != ASSESSMENTS, *_where(t, v))
                            .group_by(t.c.branch_code, t.c.stars)).all()
        figs = _figures(rows, _names(conn, "branch"))
        return "branch", sorted(figs.values(), key=lambda f: f.key)
    t = report_targets
    if v.team:
        codes = team_officials(conn, v.team)
        rows = conn.execute(sa.select(t.c.target_code, t.c.stars, sa.func.sum(t.c.n))
                            .where(t.c.target_kind == "official", t.c.target_code.in_(codes) if codes else sa.false(),
                                   *_where(t, v)).group_by(t.c.target_code, t.c.stars)).all()
        figs = _figures(rows, _names(conn, "official"))
        for f in figs.values():
            if f.total < k:
                f.hidden, f.by_level = True, {}
        return "official", sorted(figs.values(), key=lambda f: f.key)
    rows = conn.execute(sa.select(t.c.target_code, t.c.stars, sa.func.sum(t.c.n))
                        .where(t.c.target_kind == "team", *_where(t, v)).group_by(t.c.target_code, t.c.stars)).all()
    figs = _figures(rows, _names(conn, "team"))
    return "team", sorted(figs.values(), key=lambda f: f.key)


def stages(conn: sa.Connection, v: View) -> list[Figure]:
    t = report_targets
    conds = [t.c.target_kind == "stage", *_where(t, v)]
    if v.stage:
        conds.append(t.c.target_code == v.stage)
    rows = conn.execute(sa.select(t.c.target_code, t.c.stars, sa.func.sum(t.c.n)).where(*conds)
                        .group_by(t.c.target_code, t.c.stars)).all()
    return sorted(_figures(rows, _names(conn, "stage")).values(), key=lambda f: f.key)


def top_reasons(conn: sa.Connection, v: View, limit: int = 5) -> dict[str, list[tuple[str, int]]]:
    """The most frequent reasons given with satisfied (4-5★) and dissatisfied (1-2★) ratings."""
    t = report_reasons
    out: dict[str, list[tuple[str, int]]] = {}
    for group, cond in (("satisfied", t.c.stars >= SATISFIED_MIN_STARS), ("dissatisfied", t.c.stars <= LOW_RATING_MAX_STARS)):
        total = sa.func.sum(t.c.n)
        rows = conn.execute(sa.select(t.c.reason, total).where(t.c.stage_code == (v.stage or ALL), cond, *_where(t, v))
                            .group_by(t.c.reason).order_by(total.desc(), t.c.reason).limit(limit)).all()
        out[group] = [(str(r), int(n)) for r, n in rows]
    return out


def reason_name(code: str, lang: str) -> str:
    c = SATISFIED_REASONS.get(code) or DISSATISFIED_REASONS.get(code)
    return (c.vi if lang == "vi" else c.en) if c else code


@dataclass(frozen=True)
class RatingFilter:
    """Which ratings of a view a list shows (the figure it explains)."""
    target_kind: str | None = None
    target_code: str | None = None
    stars: tuple[int, ...] = ()
    week: str | None = None  # the Monday: that week's days within the period
    month: str | None = None

    def query(self) -> dict[str, str]:
        q = {"kind": self.target_kind, "code": self.target_code, "stars": ",".join(map(str, self.stars)) or None,
             "week": self.week, "month": self.month}
        return {k: v for k, v in q.items() if v}


def parse_filter(params: Any) -> RatingFilter:
    kind, code = params.get("kind") or None, params.get("code") or None
    if kind is not None and kind not in ("branch", "team", "official", "stage"):
        raise ApiError(422, "validation_error", "kind is branch, team, official or stage")
    if (kind is None) != (code is None):
        raise ApiError(422, "validation_error", "kind and code go together")
    if code is not None and not _re.match(r"^[A-Za-z0-9_-]{1,40}$", code):
        raise ApiError(422, "validation_error", "code: not a catalog code")
    stars: tuple[int, ...] = ()
    if params.get("stars"):
        try:
            stars = tuple(sorted({int(s) for s in str(params["stars"]).split(",")}))
        except ValueError:
            raise ApiError(422, "validation_error", "stars: levels 1 to 5, separated by commas") from None
        if any(not 1 <= s <= 5 for s in stars):
            raise ApiError(422, "validation_error", "stars: levels 1 to 5, separated by commas")
    week, month = params.get("week") or None, params.get("month") or None
    if week is not None:
        try:
            if date.fromisoformat(week).weekday() != 0:
                raise ValueError
        except ValueError:
            raise ApiError(422, "validation_error", "week: the Monday, YYYY-MM-DD") from None
    if month is not None and not _MONTH.match(month):
        raise ApiError(422, "validation_error", "month: YYYY-MM")
    return RatingFilter(kind, code, stars, week, month)


def _narrow(v: View, f: RatingFilter) -> View:
    """The view narrowed to a branch figure's branch, or to one month."""
    if f.target_kind == "branch" and f.target_code:
        if v.scope is not None and f.target_code not in v.scope:
            raise ApiError(403, "branch_forbidden", "this branch's reports are not yours to see")
        v = replace(v, branch=f.target_code)
    if f.month:
        if not v.month_from <= f.month <= v.month_to:
            raise ApiError(422, "validation_error", "month: outside the period")
        v = replace(v, month_from=f.month, month_to=f.month)
    return v


def rating_count(conn: sa.Connection, v: View, f: RatingFilter) -> int:
    """How many ratings a list shows: the figure it explains, read from the summaries."""
    v = _narrow(v, f)
    if f.target_kind in ("team", "official", "stage"):
        t = report_targets
        conds = [t.c.target_kind == f.target_kind, t.c.target_code == f.target_code, *_where(t, v)]
        if v.stage and f.target_kind == "stage" and f.target_code != v.stage:
            return 0
        if v.stage and f.target_kind != "stage":
            return 0
    else:
        t = report_weeks
        conds = [t.c.stage_code == (v.stage or ALL), t.c.stars != ASSESSMENTS, *_where(t, v)]
        if f.week:
            conds.append(t.c.week == f.week)
    if f.stars:
        conds.append(t.c.stars.in_(f.stars))
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(t.c.n), 0)).where(*conds)).scalar() or 0)


def _raw_query(v: View, f: RatingFilter, *, with_payload: bool) -> sa.Select:
    v = _narrow(v, f)
    day_from, day_to = v.day_from, v.day_to
    if f.week:
        end = (date.fromisoformat(f.week) + timedelta(days=6)).isoformat()
        day_from, day_to = max(day_from, f.week), min(day_to, end)
    r, d = ratings, declarations
    cols = [r.c.id, r.c.submission_seq, r.c.rated_day, r.c.branch_code, r.c.target_kind, r.c.target_code, r.c.stars,
            r.c.declaration_number, d.c.type_code, d.c.channel]
    if with_payload:
        cols.append(submissions.c.payload)
    q = sa.select(*cols).select_from(r.outerjoin(d, d.c.number == r.c.declaration_number))
    if with_payload:
        q = q.join(submissions, submissions.c.seq == r.c.submission_seq)
    q = q.where(r.c.rated_day >= day_from, r.c.rated_day <= day_to)
    if v.branch:
        q = q.where(r.c.branch_code == v.branch)
    elif v.scope is not None:
        q = q.where(r.c.branch_code.in_(sorted(v.scope)) if v.scope else sa.false())
    if v.flow:
        q = q.where(d.c.type_code.in_(sorted(c for c, fl in FLOW_OF.items() if fl == v.flow)))
    if v.channel:
        q = q.where(d.c.channel == v.channel)
    if v.stage:
        q = q.where(r.c.target_kind == "stage", r.c.target_code == v.stage)
    if f.target_kind in ("team", "official", "stage"):
        q = q.where(r.c.target_kind == f.target_kind, r.c.target_code == f.target_code)
    if f.stars:
        q = q.where(r.c.stars.in_(f.stars))
    return q


def _reasons_and_comment(payload: str | None, kind: str, code: str) -> tuple[list[str], str]:
    if not payload:
        return [], ""
    try:
        for x in _json.loads(payload).get("ratings", ()):
            if x.get("target_kind") == kind and x.get("target_code") == code:
                return list(x.get("reasons") or ()), str(x.get("comment") or "")
    except (ValueError, AttributeError, TypeError):
        pass
    return [], ""


def rating_rows(conn: sa.Connection, v: View, f: RatingFilter, *, role: str, k: int, limit: int | None = None,
                offset: int = 0, lang: str = "vi", stream: bool = False) -> Iterator[dict[str, Any]]:
    """The ratings behind a figure, newest first, as the user's role may see them: the
    declaration (hence the enterprise) only for ``SEES_ENTERPRISE``, the comment only for
    ``SEES_COMMENTS``; an official resting on fewer than k ratings in the view is not named.
    A list of one official below k is refused (403 ``too_few_ratings``)."""
    counts = official_counts(conn, _narrow(v, replace(f, target_kind=None, target_code=None)))
    if f.target_kind == "official" and counts.get(f.target_code or "", 0) < k:
        raise ApiError(403, "too_few_ratings", "fewer ratings than the reports' minimum: not shown")
    q = _raw_query(v, f, with_payload=True).order_by(ratings.c.rated_day.desc(), ratings.c.id.desc())
    if limit is not None:
        q = q.limit(limit).offset(offset)
    names: dict[str, dict[str, str]] = {kind: _names(conn, kind) for kind in ("branch", "team", "official", "stage")}
    sees_decl, sees_comment = role in SEES_ENTERPRISE, role in SEES_COMMENTS
    result = conn.execution_options(stream_results=True, yield_per=2000).execute(q) if stream else conn.execute(q)
    for row in result:
        hidden = row.target_kind == "official" and counts.get(row.target_code, 0) < k
        reasons, comment = _reasons_and_comment(row.payload, row.target_kind, row.target_code)
        out: dict[str, Any] = {
            "day": row.rated_day, "branch": row.branch_code, "branch_name": names["branch"].get(row.branch_code, ""),
            "flow": FLOW_OF.get(row.type_code or "", ""), "channel": row.channel,
            "target_kind": row.target_kind, "target_code": "" if hidden else row.target_code,
            "target_name": "" if hidden else names.get(row.target_kind, {}).get(row.target_code, row.target_code),
            "hidden": hidden, "stars": int(row.stars),
            "reasons": [nfc(reason_name(x, lang)) for x in reasons],
        }
        if sees_decl:
            out["declaration"] = row.declaration_number
        if sees_comment:
            out["comment"] = nfc(comment)
        yield out


# ---- the public indicator pack -------------------------------------------------------------

def public_pack(conn: sa.Connection, month_from: str, month_to: str, k: int) -> list[dict[str, Any]]:
    """Per branch and month: ratings per level and the share satisfied or above, nothing
    else (no comments, no officials, no enterprises). Small cells are suppressed (None): a
    level count from 1 to k-1, and then the next smallest count of the row so that no
    suppressed cell follows from the total; a row of fewer than k ratings shows nothing
    but that it exists."""
    t = report_weeks
    rows = conn.execute(sa.select(t.c.month, t.c.branch_code, t.c.stars, sa.func.sum(t.c.n))
                        .where(t.c.stage_code == ALL, t.c.stars != ASSESSMENTS, t.c.month >= month_from,
                               t.c.month <= month_to)
                        .group_by(t.c.month, t.c.branch_code, t.c.stars)).all()
    per: dict[tuple[str, str], dict[int, int]] = {}
    for month, branch, stars, n in rows:
        per.setdefault((str(month), str(branch)), {})[int(stars)] = int(n)
    names = _names(conn, "branch")
    out = []
    for (month, branch), counts in sorted(per.items()):
        total = sum(counts.values())
        sat = sum(n for s, n in counts.items() if s >= SATISFIED_MIN_STARS)
        levels: dict[str, int | None] = {str(s): counts.get(s, 0) for s in (5, 4, 3, 2, 1)}
        suppressed = total < k
        if suppressed:
            levels = {s: None for s in levels}
        else:
            small = [s for s, n in levels.items() if n and n < k]
            if len(small) == 1:  # one hidden cell would follow from the total: hide the next smallest
                rest = sorted((n, s) for s, n in levels.items() if s not in small and n)
                if rest:
                    small.append(rest[0][1])
            for s in small:
                levels[s] = None
        out.append({"month": month, "branch": branch, "branch_name": nfc(names.get(branch, branch)),
                    "ratings": None if suppressed else total, "levels": levels,
                    "percent_satisfied": None if suppressed else _percent(sat, total), "suppressed": suppressed})
    return out
