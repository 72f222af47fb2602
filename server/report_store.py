"""Summary tables of the satisfaction reports, kept current at ingest.

The ingest counts the ratings of the assessments it is about to store (``counts_of()``,
``summary_rows()``, before it takes the write lock) and adds the counts in the transaction
that stores them (``apply_rows()``): ``report_weeks``, ``report_targets`` and
``report_reasons`` (schema.py), one upsert per table. A replayed
or duplicate item is never stored again, so it is never counted again; a batch that is
rolled back (a race with another request) takes its counts with it. ``rebuild()``
recomputes every summary from the ratings (the migration that creates the tables uses it,
and so can an operator after repairing data by hand).

Dimensions: the month and week (Monday) of the rating's day, the declaration's branch,
its flow ("I" import, "E" export, from the type code) and channel (0: none).
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any, Iterable, Iterator, Sequence

import sqlalchemy as sa

from domain.codes import TYPE_CODES

from .bulk import placeholder
from .schema import declarations, ratings, report_reasons, report_targets, report_weeks, submissions

ASSESSMENTS = 0  # ``stars`` of the report_weeks rows that count assessments
ALL = ""  # ``stage_code`` of the report_weeks / report_reasons rows that count every rating
FLOW_OF: dict[str, str] = {code: v[0] for code, v in TYPE_CODES.items()}

WeekKey = tuple[str, str, str, str, str, int, int]  # stage, month, week, branch, flow, channel, stars
TargetKey = tuple[str, str, str, str, int, str, int]  # kind, month, branch, flow, channel, code, stars
ReasonKey = tuple[str, str, str, str, int, int, str]  # stage, month, branch, flow, channel, stars, reason


def flow_of(type_code: str | None) -> str:
    return FLOW_OF.get(type_code or "", "")


_weeks: dict[str, str] = {}


def week_of(day: str) -> str:
    """The Monday of the ISO week of ``day`` (YYYY-MM-DD)."""
    w = _weeks.get(day)
    if w is None:
        d = date.fromisoformat(day)
        w = _weeks[day] = (d - timedelta(days=d.weekday())).isoformat()
    return w


class Counts:
    """The counts one set of assessments adds to the three summaries (``weeks``,
    ``targets``, ``reasons``: Counters of their keys).

    ``add`` lists the keys of an assessment; ``Counter.update`` counts them in C when a
    Counter is read, or once ``LISTED`` keys wait (a rebuild adds millions of assessments).
    Counting each key in Python took half as long again (12.7 against 8.3 µs an
    assessment of three ratings)."""

    LISTED = 50_000

    def __init__(self) -> None:
        self._counters: tuple[Counter[Any], ...] = (Counter(), Counter(), Counter())
        self._week_keys: list[WeekKey] = []
        self._target_keys: list[TargetKey] = []
        self._reason_keys: list[ReasonKey] = []

    def _count_listed(self) -> None:
        for counter, keys in zip(self._counters, (self._week_keys, self._target_keys, self._reason_keys)):
            if keys:
                counter.update(keys)
                keys.clear()

    @property
    def weeks(self) -> Counter[WeekKey]:
        self._count_listed()
        return self._counters[0]

    @property
    def targets(self) -> Counter[TargetKey]:
        self._count_listed()
        return self._counters[1]

    @property
    def reasons(self) -> Counter[ReasonKey]:
        self._count_listed()
        return self._counters[2]

    def add(self, day: str, branch: str, flow: str, channel: int | None, rated: Iterable[dict[str, Any]]) -> None:
        """One assessment: its day, its declaration's branch, flow and channel, and its
        ratings (``target_kind``, ``target_code``, ``stars``, ``reasons``)."""
        month, week, ch = day[:7], week_of(day), int(channel or 0)
        week_keys = self._week_keys
        add_week, add_target, add_reason = week_keys.append, self._target_keys.append, self._reason_keys.append
        add_week((ALL, month, week, branch, flow, ch, ASSESSMENTS))
        for r in rated:
            kind, code, stars = r["target_kind"], r["target_code"], int(r["stars"])
            add_week((ALL, month, week, branch, flow, ch, stars))
            add_target((kind, month, branch, flow, ch, code, stars))
            reasons = r.get("reasons") or ()
            for reason in reasons:
                add_reason((ALL, month, branch, flow, ch, stars, reason))
            if kind == "stage":  # a stage's ratings are also counted under the stage
                add_week((code, month, week, branch, flow, ch, stars))
                for reason in reasons:
                    add_reason((code, month, branch, flow, ch, stars, reason))
        if len(week_keys) >= self.LISTED:  # every assessment adds at least one week key
            self._count_listed()


_TABLES: tuple[tuple[sa.Table, tuple[str, ...]], ...] = (
    (report_weeks, ("stage_code", "month", "week", "branch_code", "flow", "channel", "stars")),
    (report_targets, ("target_kind", "month", "branch_code", "flow", "channel", "target_code", "stars")),
    (report_reasons, ("stage_code", "month", "branch_code", "flow", "channel", "stars", "reason")),
)


SummaryRows = list[tuple[str, list[tuple[Any, ...]]]]  # (upsert statement, its rows) per table


def summary_rows(counts: Counts, dialect: str) -> SummaryRows:
    """The upserts that add ``counts``: one ``INSERT … ON CONFLICT DO UPDATE SET n = n +
    excluded.n`` per table with its rows, for the driver's ``executemany`` (worked out before
    the ingest takes the write lock). On PostgreSQL the keys go in sorted order (two
    concurrent batches lock the same rows in the same order: no deadlock); SQLite has one
    writer at a time and takes them as they come."""
    mark = placeholder(dialect)
    out: SummaryRows = []
    for (table, keys), counter in zip(_TABLES, (counts.weeks, counts.targets, counts.reasons)):
        if not counter:
            continue
        cols = ", ".join(keys)
        sql = (f"INSERT INTO {table.name} ({cols}, n) VALUES ({', '.join([mark] * (len(keys) + 1))}) "
               f"ON CONFLICT ({cols}) DO UPDATE SET n = {table.name}.n + excluded.n")
        rows = [(*k, n) for k, n in counter.items()]
        if dialect != "sqlite":
            rows.sort()  # keys are unique: n never decides
        out.append((sql, rows))
    return out


def apply_rows(conn: sa.Connection, upserts: SummaryRows) -> None:
    """Run :func:`summary_rows`' upserts in the caller's transaction."""
    if not upserts:
        return
    cur = conn.connection.driver_connection.cursor()
    try:
        for sql, rows in upserts:
            cur.executemany(sql, rows)
    finally:
        cur.close()


def apply(conn: sa.Connection, counts: Counts) -> None:
    """Add the counts in the caller's transaction (:func:`summary_rows`, :func:`apply_rows`)."""
    apply_rows(conn, summary_rows(counts, conn.dialect.name))


def counts_of(stored: Sequence[tuple[int, Any, dict[str, Any]]], rows: Sequence[dict[str, Any]],
              decls: dict[str, Any], days: dict[Any, str]) -> Counts:
    """The ingest's hook, before it takes the write lock (:func:`apply` adds the result in
    its write transaction): ``stored`` are its ``(index, item, normalised payload)`` to
    insert, ``rows`` their submission rows (same order), ``decls`` the declarations read
    (with ``office_code``, ``type_code``, ``channel``), ``days`` the receipt time → Vietnam
    day map of the ratings."""
    counts = Counts()
    for (_idx, item, norm), row in zip(stored, rows):
        if item.kind != "assessment":
            continue
        decl = decls[norm["declaration_number"]]
        counts.add(days[row["received_at"]], decl.office_code, flow_of(getattr(decl, "type_code", None)),
                   decl.channel, norm["ratings"])
    return counts


def _stored_assessments(conn: sa.Connection, chunk: int = 5000) -> Iterator[tuple[str, str, str, int, list[dict]]]:
    """Every stored assessment as (day, branch, flow, channel, ratings with their reasons),
    read from the ratings (day, branch, stars) and the stored payload (reasons)."""
    last = 0
    while True:
        seqs = conn.execute(sa.select(ratings.c.submission_seq).distinct().where(ratings.c.submission_seq > last)
                            .order_by(ratings.c.submission_seq).limit(chunk)).scalars().all()
        if not seqs:
            return
        lo, hi = seqs[0], seqs[-1]
        q = (sa.select(ratings.c.submission_seq, ratings.c.rated_day, ratings.c.branch_code, ratings.c.target_kind,
                       ratings.c.target_code, ratings.c.stars, declarations.c.type_code, declarations.c.channel,
                       submissions.c.payload)
             .join(submissions, submissions.c.seq == ratings.c.submission_seq)
             .outerjoin(declarations, declarations.c.number == ratings.c.declaration_number)
             .where(ratings.c.submission_seq.between(lo, hi)).order_by(ratings.c.submission_seq, ratings.c.id))
        current: int | None = None
        head: tuple[str, str, str, int] = ("", "", "", 0)
        rated: list[dict[str, Any]] = []
        reasons_of: dict[tuple[str, str], list[str]] = {}
        for r in conn.execute(q):
            if r.submission_seq != current:
                if current is not None:
                    yield (*head, rated)
                current, rated = r.submission_seq, []
                head = (r.rated_day, r.branch_code, flow_of(r.type_code), int(r.channel or 0))
                try:
                    payload = json.loads(r.payload)
                    reasons_of = {(x["target_kind"], x["target_code"]): list(x.get("reasons") or ())
                                  for x in payload.get("ratings", ())}
                except (ValueError, TypeError, KeyError, AttributeError):
                    reasons_of = {}
            rated.append({"target_kind": r.target_kind, "target_code": r.target_code, "stars": r.stars,
                          "reasons": reasons_of.get((r.target_kind, r.target_code), [])})
        if current is not None:
            yield (*head, rated)
        last = hi


def recompute(conn: sa.Connection) -> Counts:
    """The summaries as they follow from the stored ratings."""
    counts = Counts()
    for day, branch, flow, channel, rated in _stored_assessments(conn):
        counts.add(day, branch, flow, channel, rated)
    return counts


def rebuild(conn: sa.Connection) -> None:
    """Empty the summaries and recompute them from the ratings (in the caller's transaction)."""
    for table, _keys in _TABLES:
        conn.execute(sa.delete(table))
    apply(conn, recompute(conn))


def stored(conn: sa.Connection) -> Counts:
    """The summaries as stored (zero counts left out), comparable with ``recompute()``."""
    counts = Counts()
    for (table, keys), counter in zip(_TABLES, (counts.weeks, counts.targets, counts.reasons)):
        cols = [table.c[k] for k in keys]
        for row in conn.execute(sa.select(*cols, table.c.n).where(table.c.n != 0)):
            counter[tuple(row[:-1])] = int(row[-1])  # type: ignore[index]
    return counts
