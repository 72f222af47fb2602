"""Satisfaction reports: share of "satisfied or above" (4-5 stars) and counts per level.

The unit is a rating: each target rated in an accepted assessment counts once. Filters:
a period (Vietnam calendar days, inclusive) and a branch (the declaration's office).
``group_by``: ``branch`` groups every rating by the declaration's branch; ``team``,
``stage`` and ``official`` group the ratings given to targets of that kind; ``month`` and
``day`` group by period.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from domain.codes import OFFICES, SATISFIED_MIN_STARS

from .catalog import target_names
from .enums import OPEN_STATES, TARGET_GROUPINGS, ReportGrouping, SubmissionState
from .errors import ApiError
from .schema import ratings, submissions

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
