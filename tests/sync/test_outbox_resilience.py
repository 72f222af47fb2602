"""The outbox on a damaged or full disk, and what it keeps of personal data (no Qt).

* one damaged row (a flipped byte, a payload that is not JSON, a value of the wrong type) is
  set apart byte for byte; every other item is still sent and read;
* an empty (0-byte) outbox file is moved aside like any damaged file;
* the payload of acknowledged items is dropped after the retention period (the history and
  the idempotency stay), and the dropped bytes are gone from the files;
* the write-ahead log stays small, and a full disk gives a clear error with nothing lost.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.core.engine import SyncEngine
from desktop.core.lock import SenderLock
from desktop.core.outbox import (
    ACKED, FAILED, JOURNAL_SIZE_LIMIT, PENDING, DiskFull, DuplicateId, Outbox,
)

from .support import assessment_payloads, reflection_payloads
from .test_engine import ScriptedApi


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, as a damaged disk or another tool would write."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def _fill(path: Path, n: int = 200) -> tuple[Outbox, list[str]]:
    box = Outbox(path)
    ids = [box.submit("reflection", p, account="0100109106") for p in reflection_payloads(n)]
    return box, ids


def _send_all(box: Outbox, tmp_path: Path) -> tuple[ScriptedApi, int]:
    api = ScriptedApi()
    engine = SyncEngine(box, api, lock=SenderLock(tmp_path / "sender.lock"), batch_size=50)
    try:
        result = engine.sync_once(force=True)
    finally:
        engine.close()
    assert result.error is None
    return api, result.sent


# -- 1. one damaged row never blocks the outbox ------------------------------------------------

def test_a_flipped_byte_in_one_payload_is_quarantined_and_the_rest_is_sent(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box, ids = _fill(path, 201)
    box.close()
    victim = ids[100]
    raw = _raw(path)
    stored = raw.execute("SELECT CAST(payload AS BLOB) FROM items WHERE id=?", (victim,)).fetchone()[0]
    # flip one byte inside the content ("Phản ánh…"): the text is no longer valid UTF-8
    at = stored.index("Phản".encode()) + 1
    damaged = stored[:at] + bytes([stored[at] ^ 0xC0]) + stored[at + 1:]
    with pytest.raises(UnicodeDecodeError):
        damaged.decode("utf-8")
    raw.execute("UPDATE items SET payload=CAST(? AS TEXT) WHERE id=?", (damaged, victim))
    raw.close()

    box = Outbox(path)  # the file passes the integrity check: the row itself is set apart
    try:
        assert box.recovered_from is None
        assert box.quarantined_at_open == 1
        # every read works: counts, the window's list, the plugins' states
        assert box.counts()[PENDING] == 200
        assert len(box.list_items()) == 200
        states = box.states(ids)
        assert states[victim]["damaged"] is True and states[victim]["state"] == "failed"
        assert all(states[i]["state"] == "pending" and not states[i]["damaged"] for i in ids if i != victim)
        # the others are delivered, the damaged one never
        api, sent = _send_all(box, tmp_path)
        assert sent == 200 and set(api.stored) == set(ids) - {victim}
        assert box.counts()[ACKED] == 200
        # kept byte for byte, with what can be recovered for the window
        kept = box.conn.execute("SELECT CAST(payload AS BLOB), id, kind FROM quarantine").fetchone()
        assert kept == (damaged, victim, "reflection")
        [shown] = box.list_damaged()
        assert shown["id"] == victim and shown["kind"] == "reflection" and shown["created_at"]
        assert shown["number"] == reflection_payloads(201)[100]["declaration_number"]
        assert "UTF-8" in shown["reason"]
    finally:
        box.close()


def test_damage_that_appears_while_running_is_set_apart_at_the_next_claim(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box, ids = _fill(path, 30)
    raw = _raw(path)
    raw.execute("UPDATE items SET kind=CAST(x'7265666cff' AS TEXT) WHERE id=?", (ids[0],))
    raw.close()
    try:
        assert len(box.list_items()) == 29  # the window's read does not fail
        assert ids[0] not in box.states(ids[:3]) or box.states(ids[:3])[ids[0]]["state"] != "pending"
        claimed = box.claim("S")
        assert [c.id for c in claimed] == ids[1:]
        assert box.damaged_count() == 1 and box.get(ids[0]) is None
        assert box.states([ids[0]])[ids[0]]["damaged"] is True
        assert box.conn.execute("SELECT CAST(kind AS BLOB) FROM quarantine").fetchone()[0] == b"refl\xff"
    finally:
        box.close()


@pytest.mark.parametrize("column, value, why", [
    ("payload", "CAST('{\"declaration_number\": \"101272581640\", \"content\": \"cut' AS TEXT)", "not JSON"),
    ("schema", "'one'", "wrong type"),
    ("created_at", "x'0102'", "wrong type"),  # a blob where text belongs
    ("answer", "x'c3'", "wrong type"),
])
def test_rows_that_do_not_decode_for_any_reason_are_set_apart(tmp_path, column, value, why):
    path = tmp_path / "outbox.sqlite"
    box, ids = _fill(path, 12)
    box.close()
    raw = _raw(path)
    raw.execute(f"UPDATE items SET {column}={value} WHERE id=?", (ids[5],))
    before = raw.execute(f"SELECT quote({column}) FROM items WHERE id=?", (ids[5],)).fetchone()[0]
    raw.close()
    box = Outbox(path)
    try:
        assert box.quarantined_at_open == 1
        assert why in box.list_damaged()[0]["reason"]
        assert box.conn.execute(f"SELECT quote({column}) FROM quarantine").fetchone()[0] == before
        assert [c.id for c in box.claim("S")] == ids[:5] + ids[6:]
        assert box.list_damaged()[0]["id"] == ids[5]
    finally:
        box.close()


# -- 2. an empty file ------------------------------------------------------------------------------

def test_an_empty_outbox_file_is_moved_aside_and_reported(tmp_path):
    path = tmp_path / "outbox.sqlite"
    path.write_bytes(b"")
    box = Outbox(path)
    try:
        assert box.recovered_from is not None and box.recovered_reason == "empty"
        assert box.recovered_from.exists() and box.recovered_from.stat().st_size == 0
        assert "damaged" in box.recovered_from.name
        item = box.submit("reflection", reflection_payloads(1)[0])
        assert box.get(item)["state"] == PENDING
    finally:
        box.close()
    again = Outbox(path)  # a new outbox is never 0 bytes: no false alarm next time
    assert again.recovered_from is None
    again.close()


# -- 3. personal data at rest ------------------------------------------------------------------------

def test_payloads_of_acknowledged_items_are_dropped_after_the_retention_period(tmp_path):
    clock = Clock()
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path, clock=clock, retention_days=30)
    payloads = [p for p in assessment_payloads(40) if "contact" in p][:3]
    assert len(payloads) == 3
    sent, refused, waiting = (box.submit("assessment", p) for p in payloads)
    box.claim("S", limit=2)
    box.apply_results("S", [
        {"id": sent, "status": "accepted", "http_status": 201, "server_ref": "A-000042",
         "received_at": "2027-01-15T03:00:00Z"},
        {"id": refused, "status": "rejected", "http_status": 422, "code": "validation_error", "message": "no"},
    ])
    clock.t += 29 * 86400
    assert box.prune() == 0
    clock.t += 2 * 86400
    assert box.prune() == 1
    row = box.get(sent)
    assert row["state"] == ACKED and row["server_ref"] == "A-000042" and row["payload"] == ""
    assert row["number"] == payloads[0]["declaration_number"] and row["payload_hash"] and row["pruned_at"]
    assert row["created_at"] and row["acked_at"] and row["received_at"]
    assert box.body(sent) == {"kind": "assessment", "schema": 1, "payload": None, "pruned": True}
    assert box.states([sent])[sent]["state"] == "sent"
    # a refused item (it may be sent again) and a waiting one keep their content
    assert box.body(refused)["payload"] == payloads[1] and box.get(refused)["state"] == FAILED
    assert box.body(waiting)["payload"] == payloads[2]
    # idempotency still holds: same id + same body is a no-op, another body is refused
    assert box.submit("assessment", payloads[0], item_id=sent) == sent
    with pytest.raises(DuplicateId):
        box.submit("assessment", {**payloads[0], "detail": "khác"}, item_id=sent)
    assert box.list_items() and box.quarantine_damaged() == 0  # a dropped payload is not damage
    box.close()


def test_dropped_payload_bytes_do_not_stay_in_the_file(tmp_path):
    clock = Clock()
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path, clock=clock, retention_days=30)
    secret = "0912000111"
    payload = {"declaration_number": "101272581640", "name": "Trần Văn Bình", "phone": secret, "content": "x" * 300}
    item = box.submit("reflection", payload)
    box.claim("S")
    box.apply_results("S", [{"id": item, "status": "accepted", "http_status": 201, "server_ref": "R-1"}])
    clock.t += 31 * 86400
    assert box.prune_if_due() == 1
    assert box.prune_if_due() == 0  # at most once an hour
    box.close()
    for f in tmp_path.iterdir():
        if f.name.startswith("outbox.sqlite"):
            assert secret.encode() not in f.read_bytes(), f.name
    again = Outbox(path, clock=clock)
    assert again.get(item)["number"] == "101272581640" and again.get(item)["server_ref"] == "R-1"
    again.close()


def test_the_engine_prunes_after_a_cycle(tmp_path):
    clock = Clock()
    box = Outbox(tmp_path / "outbox.sqlite", clock=clock, retention_days=1)
    item = box.submit("reflection", reflection_payloads(1)[0])
    api = ScriptedApi()
    engine = SyncEngine(box, api, lock=SenderLock(tmp_path / "sender.lock"), clock=clock)
    try:
        assert engine.sync_once().sent == 1
        clock.t += 2 * 86400
        engine.sync_once(force=True)
        assert box.body(item)["pruned"] is True
    finally:
        engine.close()
        box.close()


def test_an_older_outbox_gets_numbers_and_hashes_when_upgraded(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path)
    item = box.submit("reflection", reflection_payloads(1)[0])
    box.close()
    raw = _raw(path)
    raw.execute("UPDATE items SET number=NULL, payload_hash=NULL")
    raw.execute("PRAGMA user_version=2")
    raw.close()
    box = Outbox(path)
    row = box.get(item)
    assert row["number"] == reflection_payloads(1)[0]["declaration_number"] and len(row["payload_hash"]) == 64
    assert box.submit("reflection", reflection_payloads(1)[0], item_id=item) == item
    box.close()


# -- 4. a disk that fills -----------------------------------------------------------------------------

def test_the_write_ahead_log_stays_small_while_many_items_are_recorded(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path)
    wal = Path(str(path) + "-wal")
    largest = 0
    try:
        for i, p in enumerate(reflection_payloads(1000)):
            box.submit("reflection", p)
            if i % 10 == 0:
                largest = max(largest, wal.stat().st_size)
        on_disk = sum(f.stat().st_size for f in tmp_path.iterdir() if f.name.startswith("outbox.sqlite"))
    finally:
        box.close()
    assert largest <= JOURNAL_SIZE_LIMIT + 64 * 1024, largest
    # 1,000 contacts' reflections fit in 2 MiB of free space, log included (about 95 used to)
    assert on_disk < 2 * 1024 * 1024, on_disk


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path)
    payloads = reflection_payloads(400)
    stored = [box.submit("reflection", p) for p in payloads[:20]]
    pages = box.conn.execute("PRAGMA page_count").fetchone()[0]
    box.conn.execute(f"PRAGMA max_page_count={pages}")  # no more room, as on a full disk
    with pytest.raises(DiskFull) as caught:
        for p in payloads[20:]:
            stored.append(box.submit("reflection", p))
    assert "disk is full" in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert "database or disk is full" in str(caught.value.__cause__)
    # everything recorded before is intact and readable; the outbox still works
    assert box.counts()[PENDING] == len(stored)
    assert [box.body(i)["payload"] for i in stored] == payloads[:len(stored)]
    box.conn.execute("PRAGMA max_page_count=1073741823")
    stored.append(box.submit("reflection", payloads[-1]))
    box.close()
    again = Outbox(path)
    assert again.counts()[PENDING] == len(stored)
    again.close()


def test_the_facade_turns_a_full_disk_into_a_sentence_for_people(tmp_path):
    from desktop.sync.integration import OutboxFacade

    box = Outbox(tmp_path / "outbox.sqlite")
    facade = OutboxFacade(box, None)
    first = facade.submit("reflection", reflection_payloads(1)[0])
    box.conn.execute(f"PRAGMA max_page_count={box.conn.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(DiskFull) as caught:
        for p in reflection_payloads(300):
            facade.submit("reflection", p)
    text = str(caught.value)
    assert "disk is full" in text and "safe" in text and "OperationalError" not in text
    assert box.body(first)["payload"] == reflection_payloads(1)[0]
    box.close()


def test_retention_setting(tmp_path):
    from desktop.settings import OUTBOX_RETENTION_DAYS, Settings

    s = Settings(tmp_path / "settings.ini")
    assert s.outbox_retention_days() == OUTBOX_RETENTION_DAYS == 30
    s.set_outbox_retention_days(7)
    assert s.outbox_retention_days() == 7
    with pytest.raises(ValueError):
        s.set_outbox_retention_days(0)
    s.set_json("sync/retention_days", "forever")
    assert s.outbox_retention_days() == 30
    assert json.loads(s.qsettings.value("sync/retention_days")) == "forever"


def test_plugins_read_a_damaged_item_as_damaged_in_their_language(tmp_path):
    from domain.errors import refusal_text

    path = tmp_path / "outbox.sqlite"
    box, ids = _fill(path, 3)
    box.close()
    raw = _raw(path)
    raw.execute("UPDATE items SET payload='{' WHERE id=?", (ids[1],))
    raw.close()
    box = Outbox(path)
    try:
        entry = box.states([ids[1]])[ids[1]]
        assert entry["code"] == "damaged" and entry["server_ref"] is None
        assert "hỏng" in refusal_text(entry["code"], "vi") and "damaged" in refusal_text(entry["code"], "en")
    finally:
        box.close()


def test_damage_in_the_history_is_set_apart_by_the_sync_worker_not_at_open(tmp_path):
    path = tmp_path / "outbox.sqlite"
    box, ids = _fill(path, 10)
    _send_all(box, tmp_path)
    box.close()
    raw = _raw(path)
    raw.execute("UPDATE items SET server_ref=CAST(x'52ff31' AS TEXT) WHERE id=?", (ids[3],))
    raw.close()
    box = Outbox(path)  # the start only checks what is still to be sent: quick with a long history
    try:
        assert box.quarantined_at_open == 0
        assert len(box.list_items()) == 9  # readers leave the damaged row out meanwhile
        api, _sent = _send_all(box, tmp_path)  # the worker's first cycle checks the whole history
        assert box.damaged_count() == 1 and box.list_damaged()[0]["id"] == ids[3]
        assert box.conn.execute("SELECT CAST(server_ref AS BLOB) FROM quarantine").fetchone()[0] == b"R\xff1"
    finally:
        box.close()
