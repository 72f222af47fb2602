"""The report summaries (server/report_store.py) always equal a recomputation from the raw
ratings: after random ingest, replays of whole batches, duplicates inside a batch and
batches that mix new and known items — on SQLite and PostgreSQL."""
from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import report_store
from server.db import Database
from server.migrate import upgrade
from tests.server.report_data import add_declarations, items_for, raw_ratings, seed_catalog, send
from datetime import datetime


def _truth(conn) -> report_store.Counts:
    """The summaries computed here from the raw rows, without report_store's code."""
    c = report_store.Counts()
    seen: set[int] = set()
    for r in raw_ratings(conn):
        from datetime import date, timedelta
        d = date.fromisoformat(r["day"])
        week = (d - timedelta(days=d.weekday())).isoformat()
        base = (r["month"], week, r["branch"], r["flow"], r["channel"])
        if r["seq"] not in seen:
            seen.add(r["seq"])
            c.weeks[("", *base, 0)] += 1
        c.weeks[("", *base, r["stars"])] += 1
        if r["kind"] == "stage":
            c.weeks[(r["code"], *base, r["stars"])] += 1
        c.targets[(r["kind"], r["month"], r["branch"], r["flow"], r["channel"], r["code"], r["stars"])] += 1
        for reason in r["reasons"]:
            c.reasons[("", r["month"], r["branch"], r["flow"], r["channel"], r["stars"], reason)] += 1
            if r["kind"] == "stage":
                c.reasons[(r["code"], r["month"], r["branch"], r["flow"], r["channel"], r["stars"], reason)] += 1
    return c


def _assert_consistent(db: Database) -> None:
    with db.read() as conn:
        stored, truth = report_store.stored(conn), _truth(conn)
    assert stored.weeks == +truth.weeks
    assert stored.targets == +truth.targets
    assert stored.reasons == +truth.reasons


@pytest.fixture
def report_db(empty_db_url):
    db = Database(empty_db_url)
    upgrade(db.engine)
    seed_catalog(db)
    yield db
    db.dispose()


def test_summaries_follow_random_ingest_replays_and_duplicates(report_db):
    db = report_db
    numbers = add_declarations(db, 240, random.Random(7))
    sent: list = []
    state = {"next": 0}

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(new=st.integers(0, 25), replay=st.integers(0, 10), dup=st.integers(0, 4), seed=st.integers(0, 10**6))
    def step(new: int, replay: int, dup: int, seed: int) -> None:
        rng = random.Random(seed)
        fresh_numbers = numbers[state["next"]:state["next"] + new]
        state["next"] += len(fresh_numbers)
        fresh = items_for(db, fresh_numbers, rng, datetime(2025, 1, 20), 70)  # across month and week ends
        batch = fresh + rng.sample(sent, min(replay, len(sent)))  # replays of stored items
        batch += [rng.choice(batch) for _ in range(dup if batch else 0)]  # the same item twice in a batch
        rng.shuffle(batch)
        if batch:
            send(db, batch)
            send(db, batch)  # the whole batch again: nothing counted twice
        sent.extend(fresh)
        _assert_consistent(db)

    step()
    assert state["next"] > 0
    with db.read() as conn:
        assert sum(n for k, n in report_store.stored(conn).weeks.items() if k[0] == "" and k[-1] == 0) == len(sent)


def test_rebuild_recomputes_what_the_ingest_kept(report_db):
    db = report_db
    numbers = add_declarations(db, 60, random.Random(3))
    send(db, items_for(db, numbers, random.Random(4), datetime(2025, 3, 1), 40))
    with db.read() as conn:
        before = report_store.stored(conn)
    with db.write() as conn:
        report_store.rebuild(conn)
    with db.read() as conn:
        after = report_store.stored(conn)
    assert after.weeks == before.weeks and after.targets == before.targets and after.reasons == before.reasons
    assert sum(after.targets.values()) == sum(Counter({k: v for k, v in after.weeks.items()
                                                       if k[0] == "" and k[-1] != 0}).values())


def test_counts_do_not_depend_on_when_the_listed_keys_are_counted(monkeypatch):
    """``Counts`` lists keys and counts them later: read in the middle, counted every few
    assessments (as a rebuild of millions does) or only at the end, the counts are those
    computed here key by key; the listed keys never pile up beyond ``LISTED``."""
    rng = random.Random(11)
    kinds = ("official", "team", "stage", "branch")
    assessments = []
    for _ in range(300):
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rated = [{"target_kind": rng.choice(kinds), "target_code": f"T{rng.randint(1, 9)}", "stars": rng.randint(1, 5),
                  "reasons": rng.sample(["R1", "R2", "R3", "R4"], rng.randint(0, 3))} for _ in range(rng.randint(1, 4))]
        assessments.append((day, rng.choice(["B1", "B2"]), rng.choice(["I", "E"]), rng.choice([None, 1, 2, 3]), rated))
    weeks, targets, reasons = Counter(), Counter(), Counter()
    for day, branch, flow, channel, rated in assessments:
        d = datetime.strptime(day, "%Y-%m-%d").date()
        base = (day[:7], d.fromordinal(d.toordinal() - d.weekday()).isoformat(), branch, flow, channel or 0)
        weeks[("", *base, 0)] += 1
        for r in rated:
            weeks[("", *base, r["stars"])] += 1
            if r["target_kind"] == "stage":
                weeks[(r["target_code"], *base, r["stars"])] += 1
            targets[(r["target_kind"], day[:7], branch, flow, channel or 0, r["target_code"], r["stars"])] += 1
            for reason in r["reasons"]:
                reasons[("", day[:7], branch, flow, channel or 0, r["stars"], reason)] += 1
                if r["target_kind"] == "stage":
                    reasons[(r["target_code"], day[:7], branch, flow, channel or 0, r["stars"], reason)] += 1
    for listed in (7, report_store.Counts.LISTED):
        monkeypatch.setattr(report_store.Counts, "LISTED", listed)
        counts = report_store.Counts()
        for i, a in enumerate(assessments):
            counts.add(*a)
            assert len(counts._week_keys) < listed + 9  # at most 1 + 2 per rating come with one assessment
            if i == 150:
                assert sum(counts.weeks.values()) > 0  # read in the middle
        assert (counts.weeks, counts.targets, counts.reasons) == (weeks, targets, reasons)
