"""Concurrent duplicates over real HTTP: the same id (or two final assessments for one
declaration) sent at the same moment is stored exactly once."""
from __future__ import annotations

import threading
import uuid

import httpx
import pytest
import sqlalchemy as sa

from server import bulk, ingest as ingest_module
from server.db import Database
from server.embedded import start_server
from server.ingest import Item, ingest
from server.schema import ratings, submissions
from server.timeutil import utcnow

from . import data
from .conftest import ENTERPRISE_A, PASSWORDS, item, settings_for

THREADS = 8


@pytest.fixture
def live(db_url):
    srv = start_server(db_url, settings=settings_for(db_url))
    try:
        r = httpx.post(srv.url + "/api/v1/auth/login", timeout=10,
                       json={"username": ENTERPRISE_A, "password": PASSWORDS[ENTERPRISE_A]})
        yield srv, {"Authorization": f"Bearer {r.json()['token']}"}
    finally:
        srv.stop()


def _race(url: str, headers: dict, bodies: list[dict]) -> list[dict]:
    barrier = threading.Barrier(len(bodies))
    out: list = [None] * len(bodies)

    def send(i: int) -> None:
        with httpx.Client(timeout=30) as c:
            barrier.wait()
            r = c.post(url + "/api/v1/submissions/batch", headers=headers, json=bodies[i])
            out[i] = (r.status_code, r.json())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(o is not None for o in out)
    assert all(status == 200 for status, _ in out), out
    return [body["results"][0] for _, body in out]


def _rows(db: Database, **where) -> int:
    with db.read() as conn:
        q = sa.select(sa.func.count()).select_from(submissions)
        for k, v in where.items():
            q = q.where(submissions.c[k] == v)
        return conn.execute(q).scalar()


def test_same_id_at_once_is_stored_once(live):
    srv, headers = live
    for d in data.assessable(3):
        it = item("assessment", data.assessment(d, 2))
        results = _race(srv.url, headers, [{"items": [it]} for _ in range(THREADS)])
        statuses = sorted(r["status"] for r in results)
        assert statuses == ["accepted"] + ["duplicate"] * (THREADS - 1)
        assert len({r["server_ref"] for r in results}) == 1
        assert _rows(srv.db, client_id=it["id"]) == 1
        with srv.db.read() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(ratings)
                             .where(ratings.c.declaration_number == d.number)).scalar()
        assert n == len(it["payload"]["ratings"])


def test_two_final_assessments_at_once(live):
    srv, headers = live
    d = data.assessable(4)[3]
    bodies = [{"items": [item("assessment", data.assessment(d, 5 - i % 2))]} for i in range(THREADS)]
    results = _race(srv.url, headers, bodies)
    assert sorted((r["status"], r["http_status"]) for r in results) == \
        [("accepted", 201)] + [("rejected", 409)] * (THREADS - 1)
    assert _rows(srv.db, declaration_number=d.number) == 1


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_lost_race_is_evaluated_again(db_url, backend):
    """Another instance commits the same id between our read and our insert: the unique
    constraint stops our insert, the batch is evaluated again and answers a duplicate.
    (PostgreSQL only: SQLite takes the write lock at BEGIN IMMEDIATE, so the race cannot
    happen there.)"""
    assert backend == "postgresql"
    db = Database(db_url)
    rival = Database(db_url)
    d, = data.assessable(1)
    payload = data.assessment(d)
    key = str(uuid.uuid4())
    calls = {"n": 0, "rival": 0}
    real_evaluate = ingest_module._evaluate_and_store
    real_insert = bulk.insert_many  # the submissions' insert (bulk.insert_numbered)

    def counting(conn, owner, items, now):
        calls["n"] += 1
        return real_evaluate(conn, owner, items, now)

    def racing_insert(conn, table, rows):
        if table is submissions and calls["rival"] == 0:
            calls["rival"] += 1  # the rival commits the same id after our read
            other = Item(id=key, kind="assessment", schema=1, payload=payload)
            other.prepare()
            with rival.write() as c2:
                real_evaluate(c2, ENTERPRISE_A, [other], utcnow())
        return real_insert(conn, table, rows)

    try:
        ingest_module._evaluate_and_store = counting
        bulk.insert_many = racing_insert
        (res,) = ingest(db, ENTERPRISE_A, [Item(id=key, kind="assessment", schema=1, payload=payload)])
    finally:
        ingest_module._evaluate_and_store = real_evaluate
        bulk.insert_many = real_insert
    assert calls["n"] == 2
    assert res["status"] == "duplicate"
    assert _rows(db, client_id=key) == 1
    db.dispose()
    rival.dispose()
