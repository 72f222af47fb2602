"""The outbox store and its state machine (no network, no Qt)."""
from __future__ import annotations

import json
import sqlite3
import threading
import unicodedata
import uuid

import pytest

from desktop.core.outbox import (
    ACKED, FAILED, INFLIGHT, PENDING, SCHEMA_VERSION, DuplicateId, InvalidSubmission, Outbox, batch_body,
)


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def outbox(tmp_path, clock):
    box = Outbox(tmp_path / "outbox.sqlite", clock=clock)
    yield box
    box.close()


def test_pragmas_wal_and_full_sync(outbox):
    assert outbox.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert outbox.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_submit_is_durable_before_returning(outbox, tmp_path):
    item_id = outbox.submit("assessment", {"declaration_number": "101272581640", "x": 1}, source="satisfaction")
    uuid.UUID(item_id)
    # another connection (another process would see the same) reads it committed
    other = sqlite3.connect(tmp_path / "outbox.sqlite")
    row = other.execute("SELECT id, kind, schema, state, source, payload FROM items").fetchone()
    assert row[:5] == (item_id, "assessment", 1, PENDING, "satisfaction")
    assert json.loads(row[5]) == {"declaration_number": "101272581640", "x": 1}
    other.close()


def test_payload_is_nfc_normalised_and_json_only(outbox):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Lan")
    item_id = outbox.submit("reflection", {"name": nfd, "list": [nfd], nfd: True})
    body = outbox.body(item_id)
    assert body["payload"]["name"] == "Nguyễn Thị Lan"
    assert unicodedata.is_normalized("NFC", body["payload"]["name"])
    assert body["payload"]["list"] == ["Nguyễn Thị Lan"]
    assert "Nguyễn Thị Lan" in body["payload"]
    for bad in ({"x": {1, 2}}, {"x": b"raw"}, {"x": float("nan")}, {1: "x"}, {"x": object()}):
        with pytest.raises(InvalidSubmission):
            outbox.submit("assessment", bad)
    for kind in ("", "a b", "x" * 41, None):
        with pytest.raises(InvalidSubmission):
            outbox.submit(kind, {})
    with pytest.raises(InvalidSubmission):
        outbox.submit("assessment", {}, schema=0)
    with pytest.raises(InvalidSubmission):
        outbox.submit("assessment", {"big": "x" * 1_100_000})
    assert outbox.counts()[PENDING] == 1


def test_client_id_is_the_idempotency_key(outbox):
    item_id = str(uuid.uuid4())
    assert outbox.submit("assessment", {"a": 1}, item_id=item_id) == item_id
    assert outbox.submit("assessment", {"a": 1}, item_id=item_id) == item_id  # same body: no new row
    with pytest.raises(DuplicateId):
        outbox.submit("assessment", {"a": 2}, item_id=item_id)
    with pytest.raises(InvalidSubmission):
        outbox.submit("assessment", {"a": 1}, item_id="not-a-uuid")
    assert outbox.counts()[PENDING] == 1


def test_claim_is_fifo_under_a_lease(outbox, clock):
    ids = [outbox.submit("assessment", {"n": i}) for i in range(10)]
    first = outbox.claim("A", limit=4, lease_seconds=60)
    assert [c.id for c in first] == ids[:4]
    # a second claimer does not get leased items
    second = outbox.claim("B", limit=4, lease_seconds=600)
    assert [c.id for c in second] == ids[4:8]
    row = outbox.get(ids[0])
    assert row["state"] == INFLIGHT and row["lease_owner"] == "A" and row["attempts"] == 1
    # when A's lease runs out, its items can be claimed again, oldest first
    clock.t += 61
    third = outbox.claim("C", limit=10, lease_seconds=60)
    assert [c.id for c in third] == ids[:4] + ids[8:10]
    assert outbox.get(ids[0])["lease_owner"] == "C"


def test_claim_respects_the_byte_budget(outbox):
    for i in range(10):
        outbox.submit("assessment", {"blob": "x" * 10_000, "n": i})
    claimed = outbox.claim("A", limit=500, max_bytes=35_000)
    assert 2 <= len(claimed) <= 3
    assert len(batch_body(claimed)) <= 35_000
    # a single item larger than the budget is still sent alone (never stuck)
    rest = outbox.claim("A", limit=500, max_bytes=100)
    assert len(rest) == 1


def test_batch_body_is_the_wire_contract(outbox):
    item_id = outbox.submit("assessment", {"name": "Đình Vũ"}, schema=1)
    body = json.loads(batch_body(outbox.claim("A")).decode("utf-8"))
    (item,) = body["items"]
    assert item["id"] == item_id and item["kind"] == "assessment" and item["schema"] == 1
    assert item["payload"] == {"name": "Đình Vũ"}
    assert "+" in item["created_at"] or item["created_at"].endswith("Z") or "-" in item["created_at"][19:]


def test_results_move_items_to_acked_or_dead_letter(outbox):
    a, b, c, d = (outbox.submit("assessment", {"n": i}) for i in range(4))
    outbox.claim("A")
    outbox.apply_results("A", [
        {"id": a, "status": "accepted", "http_status": 201, "server_ref": "A-000001", "received_at": "t1"},
        {"id": b, "status": "duplicate", "http_status": 200, "server_ref": "A-000000", "received_at": "t0"},
        {"id": c, "status": "rejected", "http_status": 422, "code": "validation_error",
         "message": "ratings[0].stars: must be a whole number from 1 to 5"},
        {"id": d, "status": "rejected", "http_status": 503, "code": "internal", "message": "try later"},
    ])
    assert outbox.get(a)["state"] == ACKED and outbox.get(a)["server_ref"] == "A-000001"
    assert outbox.get(b)["state"] == ACKED and outbox.get(b)["server_ref"] == "A-000000"
    dead = outbox.get(c)
    assert dead["state"] == FAILED and dead["http_status"] == 422
    assert dead["message"] == "ratings[0].stars: must be a whole number from 1 to 5"
    assert outbox.get(d)["state"] == PENDING  # a per-item 5xx is retried, not dropped
    states = outbox.states([a, c, "missing"])
    assert states[a]["state"] == "sent" and states[c]["state"] == "failed"
    assert states[c]["code"] == "validation_error" and "missing" not in states
    # the user may send a dead letter again; it keeps its id
    assert outbox.retry_failed([c]) == 1
    assert outbox.get(c)["state"] == PENDING
    assert outbox.counts() == {PENDING: 2, INFLIGHT: 0, ACKED: 2, FAILED: 0}


def test_release_and_stale_reset(outbox):
    ids = [outbox.submit("assessment", {"n": i}) for i in range(6)]
    outbox.claim("A", limit=3)
    outbox.claim("B", limit=3)
    assert outbox.release("A", ids[:3], "connection refused") == 3
    assert outbox.get(ids[0])["state"] == PENDING and outbox.get(ids[0])["last_error"] == "connection refused"
    assert outbox.release("A", ids[3:], "x") == 0  # A cannot release B's items
    assert outbox.reset_stale() == 3  # a new sender at start: every in-flight row is stale
    assert outbox.counts()[INFLIGHT] == 0
    assert [c.id for c in outbox.claim("C", limit=6)] == ids  # FIFO survives the reset


def test_acknowledgement_wins_even_after_the_lease_moved(outbox, clock):
    (a,) = [outbox.submit("assessment", {"n": 1})]
    outbox.claim("A", lease_seconds=1)
    clock.t += 5
    outbox.claim("B")
    outbox.apply_results("A", [{"id": a, "status": "accepted", "server_ref": "A-1"}])
    assert outbox.get(a)["state"] == ACKED  # the server has it: never send it again


def test_server_status_updates(outbox):
    a = outbox.submit("assessment", {"n": 1})
    outbox.claim("A")
    outbox.apply_results("A", [{"id": a, "status": "accepted", "server_ref": "A-7"}])
    changed = outbox.update_server_status([
        {"id": a, "state": "answered", "verified": True, "outcome": "upheld", "answer": "Đã xử lý",
         "answered_at": "2026-11-21T09:00:00+07:00"},
        {"id": "unknown", "state": "received"}, "junk", {"no": "id"}])
    assert changed == [a]
    view = outbox.states([a])[a]
    assert view["server_status"] == "answered" and view["verified"] is True and view["answer"] == "Đã xử lý"


def test_concurrent_submitters_lose_nothing(tmp_path):
    box = Outbox(tmp_path / "o.sqlite")
    errors = []

    def work(n):
        try:
            for i in range(100):
                box.submit("assessment", {"t": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert box.counts()[PENDING] == 400
    box.close()


def test_damaged_outbox_is_moved_aside_not_deleted(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path)
    for i in range(50):
        box.submit("assessment", {"n": i, "pad": "y" * 500})
    box.close()
    size = path.stat().st_size
    with open(path, "r+b") as fh:  # scribble over pages after the header
        fh.seek(4096)
        fh.write(b"\xde\xad\xbe\xef" * 2048)
    fresh = Outbox(path)
    assert fresh.recovered_from is not None
    assert fresh.recovered_from.exists() and fresh.recovered_from.stat().st_size == size
    assert "damaged" in fresh.recovered_from.name
    assert fresh.counts()[PENDING] == 0  # a fresh, working store
    fresh.submit("assessment", {"n": 1})
    assert fresh.counts()[PENDING] == 1
    fresh.close()


def test_not_a_database_is_moved_aside(tmp_path):
    path = tmp_path / "outbox.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    box = Outbox(path)
    assert box.recovered_from is not None
    assert box.recovered_from.read_bytes().startswith(b"this is not sqlite")
    box.close()
    again = Outbox(path)  # the fresh store passes the check
    assert again.recovered_from is None
    again.close()


def test_the_file_check_before_opening(tmp_path):
    """``outboxstore.damage.check_file``: a missing or sound outbox stays; an empty file or
    another database is moved aside (with why), never deleted."""
    from desktop.core.outboxstore.damage import check_file

    path = tmp_path / "outbox.sqlite"
    assert check_file(path, 1000) == (None, None)
    Outbox(path).close()
    assert check_file(path, 1000) == (None, None)
    path.unlink()
    path.write_bytes(b"")
    moved, reason = check_file(path, 1000)
    assert reason == "empty" and moved.exists() and not path.exists()
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (x)")
    other.close()
    moved, reason = check_file(path, 1000)
    assert reason == "damaged" and moved.exists() and not path.exists()


def test_items_go_only_with_the_account_that_recorded_them(outbox):
    a = outbox.submit("assessment", {"n": 1}, account="0200123457")
    b = outbox.submit("assessment", {"n": 2}, account="0200987651")
    c = outbox.submit("assessment", {"n": 3})  # no account: goes with whoever is signed in
    assert [x.id for x in outbox.claim("S", account="0200123457")] == [a, c]
    assert outbox.get(b)["state"] == PENDING
    assert [x.id for x in outbox.claim("S", account="0200987651")] == [b]


def test_schema_1_outbox_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE items (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
        " schema INTEGER NOT NULL, source TEXT, created_at TEXT NOT NULL, payload TEXT NOT NULL, size INTEGER NOT NULL,"
        " state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, lease_owner TEXT,"
        " lease_until REAL, last_error TEXT, http_status INTEGER, code TEXT, message TEXT, server_ref TEXT,"
        " received_at TEXT, acked_at REAL, server_state TEXT, verified INTEGER, outcome TEXT, answer TEXT,"
        " answered_at TEXT, server_updated_at TEXT);"
        "INSERT INTO items (id, kind, schema, created_at, payload, size) VALUES"
        " ('9b2f7c8e-3d4a-4f6b-8c1d-2e3f4a5b6c7d', 'reflection', 1, '2026-11-20T10:00:00+07:00', '{}', 2);"
        "PRAGMA user_version=1;")
    conn.close()
    box = Outbox(path)
    assert box.recovered_from is None
    assert box.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [c.id for c in box.claim("S", account="0200123457")] == ["9b2f7c8e-3d4a-4f6b-8c1d-2e3f4a5b6c7d"]
    box.close()
