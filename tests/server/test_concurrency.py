"""Concurrent duplicates over real HTTP: the same id (or two final assessments for one
declaration) sent at the same moment is stored exactly once."""
from __future__ import annotations

import threading
import uuid

import httpx
import pytest
import sqlalchemy as sa

from server import ingest as ingest_module
from server.db import Database
from server.embedded import start_server
from server.ingest import Item, ingest
from server.schema import ratings, submissions

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


def _between_read_and_write(monkeypatch, action) -> dict[str, int]:
    """Run ``action()`` once, after the ingest has read and evaluated a batch and before it
    takes the write lock; count the batch's reads of what is stored (one per evaluation)."""
    calls = {"read": 0, "action": 0}
    real_read, real_prepare = ingest_module._read_known, ingest_module._prepare

    def counting_read(conn, owner, items):
        calls["read"] += 1
        return real_read(conn, owner, items)

    def prepare_then_act(owner, evaluation, now, dialect):
        if calls["action"] == 0:
            calls["action"] += 1
            action()
        return real_prepare(owner, evaluation, now, dialect)

    monkeypatch.setattr(ingest_module, "_read_known", counting_read)
    monkeypatch.setattr(ingest_module, "_prepare", prepare_then_act)
    return calls


def test_lost_race_is_evaluated_again(db_url, monkeypatch):
    """Another instance commits the same id between our read and our write: the unique
    constraint stops our insert, the batch is evaluated again and answers a duplicate."""
    db, rival = Database(db_url), Database(db_url)
    d, = data.assessable(1)
    payload = data.assessment(d)
    key = str(uuid.uuid4())

    def rival_stores_it() -> None:
        other = Item(id=key, kind="assessment", schema=1, payload=payload)
        (first,) = ingest(rival, ENTERPRISE_A, [other])
        assert first["status"] == "accepted"

    try:
        calls = _between_read_and_write(monkeypatch, rival_stores_it)
        (res,) = ingest(db, ENTERPRISE_A, [Item(id=key, kind="assessment", schema=1, payload=payload)])
        assert calls == {"read": 3, "action": 1}  # the rival's evaluation, ours, ours again
        assert res["status"] == "duplicate"
        assert _rows(db, client_id=key) == 1
    finally:
        db.dispose()
        rival.dispose()


def test_a_declaration_changed_before_the_write_is_evaluated_again(db_url, monkeypatch):
    """The clearance system changes a declaration after a batch about it was evaluated and
    before it is stored (no constraint would notice): the batch is evaluated again under
    the write lock and answered by the declaration as it now is."""
    from domain.codes import Status
    from server.schema import declarations

    db = Database(db_url)
    first, second = data.assessable(2)

    def back_to_channeled(number: str):
        def action() -> None:
            with db.write() as conn:
                conn.execute(sa.update(declarations).where(declarations.c.number == number)
                             .values(status=Status.CHANNELED.value))
        return action

    try:
        calls = _between_read_and_write(monkeypatch, lambda: None)  # nothing changes: one evaluation
        (res,) = ingest(db, ENTERPRISE_A, [Item(id=str(uuid.uuid4()), kind="assessment", schema=1,
                                                payload=data.assessment(first))])
        assert res["status"] == "accepted" and calls == {"read": 1, "action": 1}
        calls = _between_read_and_write(monkeypatch, back_to_channeled(second.number))
        (res,) = ingest(db, ENTERPRISE_A, [Item(id=str(uuid.uuid4()), kind="assessment", schema=1,
                                                payload=data.assessment(second))])
        assert calls == {"read": 2, "action": 1}
        assert (res["status"], res["code"]) == ("rejected", "validation_error"), res
        assert _rows(db, declaration_number=second.number) == 0
    finally:
        db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # PostgreSQL writers do not take turns
def test_a_batch_is_evaluated_while_another_process_writes(db_url):
    """Only the storing holds SQLite's write lock: while another writer (another worker
    process) holds it, a batch is read, evaluated and its rows built; it then waits for its
    turn and is stored after the other writer commits."""
    db, other = Database(db_url), Database(db_url)  # two lock files opened: as two processes
    d, = data.assessable(1)
    prepared, holding, release = threading.Event(), threading.Event(), threading.Event()
    real_prepare = ingest_module._prepare
    out: list = []

    def prepare(owner, evaluation, now, dialect):
        result = real_prepare(owner, evaluation, now, dialect)
        prepared.set()
        return result

    def writer() -> None:
        with other.write():
            holding.set()
            release.wait(20)

    holder = threading.Thread(target=writer)
    sender = threading.Thread(target=lambda: out.append(ingest(db, ENTERPRISE_A, [Item(
        id=str(uuid.uuid4()), kind="assessment", schema=1, payload=data.assessment(d))])))
    ingest_module._prepare = prepare
    try:
        holder.start()
        assert holding.wait(10)
        sender.start()
        assert prepared.wait(20)  # evaluated and built while the other writer holds the lock
        sender.join(0.3)
        assert sender.is_alive() and not out  # and waits for its turn to store
        release.set()
        sender.join(20)
        assert out and out[0][0]["status"] == "accepted"
        assert _rows(db, declaration_number=d.number) == 1
    finally:
        ingest_module._prepare = real_prepare
        release.set()
        holder.join(10)
        db.dispose()
        other.dispose()


def test_a_case_answered_on_meanwhile_is_evaluated_again(db_url, monkeypatch):
    """The enterprise's word on a case that another request reopened after this batch was
    evaluated: evaluated again under the write lock, the case is no longer answered."""
    from server import cases
    from server.enums import CaseState

    from .test_cases import answered_case, feedback, staff

    db = Database(db_url)
    try:
        case_id, cid = answered_case(db)

        def reopened_meanwhile() -> None:
            it = feedback(cid, "reopen", "Chưa thỏa đáng.")
            (res,) = ingest(db, ENTERPRISE_A, [Item(id=it["id"], kind=it["kind"], schema=1, payload=it["payload"])])
            assert res["status"] == "accepted"

        calls = _between_read_and_write(monkeypatch, reopened_meanwhile)
        it = feedback(cid, "accept")
        (res,) = ingest(db, ENTERPRISE_A, [Item(id=it["id"], kind=it["kind"], schema=1, payload=it["payload"])])
        assert calls == {"read": 3, "action": 1}  # the rival's evaluation, ours, ours again under the lock
        assert (res["http_status"], res["code"]) == (409, "case_not_answered"), res
        with db.write() as conn:
            assert cases.get_case(conn, staff(db, "lanhdao"), case_id).state == CaseState.REOPENED
    finally:
        db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # PostgreSQL batches of one process overlap
def test_a_process_ingests_one_batch_at_a_time_on_sqlite(db_url, monkeypatch):
    """Two batches in one process: the second is not read before the first is stored (its
    evaluation would compete with the first one's writing for the interpreter lock)."""
    db = Database(db_url)
    first, second = data.assessable(2)
    reads, inside, release = [], threading.Event(), threading.Event()
    real_read, real_prepare = ingest_module._read_known, ingest_module._prepare

    def counting_read(conn, owner, items):
        reads.append(items[0].payload["declaration_number"])
        return real_read(conn, owner, items)

    def slow_prepare(owner, evaluation, now, dialect):
        if not inside.is_set():
            inside.set()
            release.wait(20)
        return real_prepare(owner, evaluation, now, dialect)

    monkeypatch.setattr(ingest_module, "_read_known", counting_read)
    monkeypatch.setattr(ingest_module, "_prepare", slow_prepare)
    out: list = []

    def send(d) -> None:
        out.append(ingest(db, ENTERPRISE_A, [Item(id=str(uuid.uuid4()), kind="assessment", schema=1,
                                                  payload=data.assessment(d))])[0]["status"])

    a = threading.Thread(target=send, args=(first,))
    b = threading.Thread(target=send, args=(second,))
    try:
        a.start()
        assert inside.wait(20)
        b.start()
        b.join(0.3)
        assert reads == [first.number]  # the second batch waits for its turn
        release.set()
        a.join(20)
        b.join(20)
        assert reads == [first.number, second.number] and out == ["accepted", "accepted"]
    finally:
        release.set()
        db.dispose()
