"""Feeds that never skip a committed change (``server/feeds.py``, docs/SERVER.md "Feeds").

The proof runs two server processes on one database (SQLite and PostgreSQL), writers that
hold their transactions open for a while (the case that made a time-ordered cursor skip
rows), batch ingest over HTTP at the same time, and a client that polls the whole time,
alternating between the two servers. Every committed change must reach the client exactly
once: each row's newest state arrives, and no state arrives twice.
"""
from __future__ import annotations

import base64
import json
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from server import feeds
from server.db import Database
from server.errors import ApiError
from server.migrate import upgrade
from server.schema import declarations, submissions
from server.timeutil import utcnow

from . import data
from .conftest import ENTERPRISE_A, PASSWORDS, item
from .test_migrations_cli import ROOT, _env

RUN_SECONDS = 6.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, db_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "server", "serve", "--db", db_url, "--port", str(self.port),
                                      "--log-level", "warning"], env=_env(), cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(self.url + "/api/v1/health", timeout=2).raise_for_status()
                return
            except httpx.HTTPError:
                assert self.proc.poll() is None, self.proc.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _reflections(n: int) -> list[dict[str, Any]]:
    decls = [d for d in data.demo_declarations() if d.status in ("released", "cleared", "preservation")]
    return [item("reflection", data.reflection(decls[i % len(decls)], content=f"Phản ánh số {i}"))
            for i in range(n)]


def test_every_committed_change_reaches_a_polling_client_exactly_once(db_url, backend):
    servers = [ServerProcess(db_url), ServerProcess(db_url)]
    db = Database(db_url)
    stop = threading.Event()
    errors: list[BaseException] = []
    inserted: set[str] = set()
    seen: list[tuple[str, str, str | None]] = []  # (id, state, outcome) in arrival order
    polls = [0]
    lock = threading.Lock()
    try:
        for s in servers:
            s.wait_ready()
        r = httpx.post(servers[0].url + "/api/v1/auth/login", timeout=10,
                       json={"username": ENTERPRISE_A, "password": PASSWORDS[ENTERPRISE_A]})
        assert r.status_code == 200, r.text
        token = r.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        pool = _reflections(4000)

        def guard(fn):
            def run(*args):
                try:
                    fn(*args)
                except BaseException as exc:  # noqa: BLE001 - reported by the test
                    errors.append(exc)
                    stop.set()
            return run

        @guard
        def ingest_writer(k: int) -> None:
            rng = random.Random(k)
            with httpx.Client(timeout=30) as c:
                while not stop.is_set():
                    batch = [pool.pop() for _ in range(min(rng.randint(1, 20), len(pool)))]
                    if not batch:
                        return
                    r = c.post(servers[rng.randrange(2)].url + "/api/v1/submissions/batch", headers=headers,
                               json={"items": batch})
                    assert r.status_code == 200, r.text
                    with lock:
                        inserted.update(res["id"] for res in r.json()["results"] if res["status"] == "accepted")
                    time.sleep(rng.random() * 0.05)

        @guard
        def slow_answerer(k: int) -> None:
            """Answers in transactions held open for up to 0.4 s: a row written early in a
            long transaction commits after rows written later in short ones."""
            rng = random.Random(100 + k)
            n = 0
            while not stop.is_set():
                with lock:
                    candidates = sorted(inserted)
                if not candidates:
                    time.sleep(0.02)
                    continue
                client_id = rng.choice(candidates)
                n += 1
                with db.write() as conn:
                    conn.execute(sa.update(submissions).where(submissions.c.client_id == client_id).values(
                        state="answered", outcome=f"w{k}-{n}", answer="Đã xác minh.", answered_at=utcnow(),
                        updated_at=utcnow()))
                    time.sleep(rng.random() * 0.4 if backend == "postgresql" else rng.random() * 0.05)
                time.sleep(rng.random() * 0.1)  # let the ingest have the (SQLite) write lock too

        cursor: list[str | None] = [None]

        def poll_once(c: httpx.Client, i: int) -> int:
            params = {"limit": 200} if cursor[0] is None else {"since": cursor[0], "limit": 200}
            r = c.get(servers[i % 2].url + "/api/v1/submissions", headers=headers, params=params)
            assert r.status_code == 200, r.text
            page = r.json()
            for it in page["items"]:
                seen.append((it["id"], it["state"], it["outcome"]))
            cursor[0] = page["next_cursor"]
            polls[0] += 1
            return len(page["items"])

        @guard
        def poller() -> None:
            with httpx.Client(timeout=30) as c:
                i = 0
                while not stop.is_set():
                    poll_once(c, i)
                    i += 1
                    time.sleep(0.01)

        threads = [threading.Thread(target=ingest_writer, args=(k,)) for k in range(3)]
        threads += [threading.Thread(target=slow_answerer, args=(k,)) for k in range(3)]
        threads.append(threading.Thread(target=poller))
        for t in threads:
            t.start()
        time.sleep(RUN_SECONDS)
        stop.set()
        for t in threads:
            t.join(60)
        assert not errors, errors
        # after the writers stop, the client catches up
        with httpx.Client(timeout=30) as c:
            empty = 0
            for i in range(1000):
                empty = empty + 1 if poll_once(c, i) == 0 else 0
                if empty >= 3:
                    break
    finally:
        for s in servers:
            s.stop()

    with db.read() as conn:
        final = {r.client_id: (r.state, r.outcome) for r in conn.execute(
            sa.select(submissions.c.client_id, submissions.c.state, submissions.c.outcome)
            .where(submissions.c.owner_tax_code == ENTERPRISE_A))}
    db.dispose()
    answered = sum(1 for state, _ in final.values() if state == "answered")
    assert len(final) >= 40 and answered >= 20, (len(final), answered)  # the run did exercise the feed
    assert inserted == set(final)
    last: dict[str, tuple[str, str | None]] = {}
    for cid, state, outcome in seen:
        last[cid] = (state, outcome)
    missing = {cid: st for cid, st in final.items() if last.get(cid) != st}
    assert not missing, f"{len(missing)} of {len(final)} rows never reached the client in their final state"
    assert len(seen) == len(set(seen)), "a change reached the client twice"
    print(f"\nfeed proof ({backend}): {len(final)} items, {answered} answered, {len(seen)} changes delivered "
          f"in {polls[0]} polls, none missing, none twice")


# ---- cursors --------------------------------------------------------------------------------

def test_cursor_round_trip_and_refusals():
    p = feeds.Position(123, 456)
    assert feeds.decode(p.encode()) == p
    assert feeds.decode(None) == feeds.START
    for bad in ("garbage", "e30", base64.urlsafe_b64encode(b'{"v":2,"tx":-1,"seq":0}').decode(),
                base64.urlsafe_b64encode(b'{"v":2,"tx":true,"seq":0}').decode(),
                base64.urlsafe_b64encode(b'["not a time", 5]').decode()):
        with pytest.raises(ApiError):
            feeds.decode(bad)


def test_cursor_of_the_earlier_format_is_accepted_once_from_the_start(api):
    old = base64.urlsafe_b64encode(json.dumps(["2026-11-01T00:00:00.000000", "999999999999"]).encode()).decode()
    first = api.get("/api/v1/declarations", ENTERPRISE_A, params={"since": old, "limit": 5}).json()
    fresh = api.get("/api/v1/declarations", ENTERPRISE_A, params={"limit": 5}).json()
    assert [i["number"] for i in first["items"]] == [i["number"] for i in fresh["items"]]
    assert feeds.decode(first["next_cursor"]) != feeds.START  # a cursor of the new format follows


def test_feed_carries_the_list_columns_and_pages_through_everything(api):
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 1000} | ({"since": cursor} if cursor else {})
        page = api.get("/api/v1/declarations", ENTERPRISE_A, params=params).json()
        seen += [i["number"] for i in page["items"]]
        if page["items"]:
            sample = page["items"][0]
            assert sample["partner"] and sample["currency"] == "USD" and sample["total_value"] > 0
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert sorted(seen) == sorted(d.number for d in data.demo_declarations())
    assert len(seen) == len(set(seen))
    # nothing changed: the same cursor gives an empty page
    assert api.get("/api/v1/declarations", ENTERPRISE_A, params={"since": cursor}).json()["items"] == []
    # a change moves the declaration after the cursor, once
    d = data.demo_declarations()[0]
    body = {"owner_tax_code": ENTERPRISE_A, "office_code": d.office_code, "type_code": d.type_code,
            "registered_at": d.registered_at.isoformat(), "status": "cleared", "channel": 1,
            "cleared_at": d.registered_at.isoformat(), "partner": "Đối tác mới", "total_value": 12.5,
            "currency": "EUR", "handling": []}
    assert api.put(f"/api/v1/declarations/{d.number}", "quantri", json=body).status_code == 200
    page = api.get("/api/v1/declarations", ENTERPRISE_A, params={"since": cursor}).json()
    assert [(i["number"], i["partner"], i["currency"]) for i in page["items"]] == [(d.number, "Đối tác mới", "EUR")]


# ---- the migration ----------------------------------------------------------------------------

def test_migration_numbers_existing_rows_in_their_earlier_order(empty_db_url):
    db = Database(empty_db_url)
    try:
        upgrade(db.engine, "0001")
        t0 = utcnow()
        with db.write() as conn:
            for i, number in enumerate(("100000000030", "100000000010", "100000000020")):
                conn.execute(sa.text(
                    "INSERT INTO declarations (number, owner_tax_code, office_code, type_code, registered_at, "
                    "status, updated_at) VALUES (:n, :o, '03CE', 'A11', :t, 'cleared', :u)"),
                    {"n": number, "o": ENTERPRISE_A, "t": t0, "u": t0.replace(microsecond=i)})
        upgrade(db.engine)
        with db.read() as conn:
            order = [r.number for r in conn.execute(sa.select(declarations.c.number)
                                                    .order_by(declarations.c.change_tx, declarations.c.change_seq))]
            top = conn.execute(sa.select(sa.func.max(declarations.c.change_seq))).scalar_one()
        assert order == ["100000000030", "100000000010", "100000000020"]
        # a write after the migration lands after every migrated row
        with db.write() as conn:
            conn.execute(sa.update(declarations).where(declarations.c.number == "100000000030")
                         .values(status="cancelled"))
        with db.read() as conn:
            row = conn.execute(sa.select(declarations.c.change_tx, declarations.c.change_seq)
                               .where(declarations.c.number == "100000000030")).one()
        assert (row.change_tx, row.change_seq) > (0, top)
        with db.read() as conn:
            page = feeds.read_page(conn, sa.select(declarations), declarations,
                                   feeds.Position(0, top).encode(), 10)
        assert [r.number for r in page.rows] == ["100000000030"]
    finally:
        db.dispose()
