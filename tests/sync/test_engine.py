"""Sync engine state machine against a scripted API (deterministic clock, no network)."""
from __future__ import annotations

import json
import random

import pytest

from desktop.core.api import AuthRequired, BadAnswer, Offline, RequestRejected, ServerBusy
from desktop.core.backoff import Backoff
from desktop.core.engine import AUTH, OFFLINE, ONLINE, SyncEngine
from desktop.core.lock import SenderLock
from desktop.core.outbox import ACKED, FAILED, INFLIGHT, PENDING, Outbox


class Clock:
    def __init__(self):
        self.t = 5_000_000.0

    def __call__(self):
        return self.t


class ScriptedApi:
    """post_batch answers from a script of exceptions/callables, then accepts everything."""

    def __init__(self):
        self.script: list = []
        self.calls: list[list[str]] = []
        self.stored: dict[str, dict] = {}
        self.reject: dict[str, tuple[int, str, str]] = {}

    def post_batch(self, body: bytes, ids):
        items = json.loads(body)["items"]
        assert [i["id"] for i in items] == list(ids)
        self.calls.append(list(ids))
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            if callable(step):
                return step(items)
        out = []
        for it in items:
            if it["id"] in self.reject:
                status, code, message = self.reject[it["id"]]
                out.append({"id": it["id"], "status": "rejected", "http_status": status,
                            "code": code, "message": message})
            elif it["id"] in self.stored:
                out.append({"id": it["id"], "status": "duplicate", "http_status": 200, "server_ref": "R"})
            else:
                self.stored[it["id"]] = it
                out.append({"id": it["id"], "status": "accepted", "http_status": 201, "server_ref": "R"})
        return out


class Session:
    def __init__(self, ok=True):
        self.ok = ok
        self.calls = 0
        self.invalidated = 0

    def reauthenticate(self):
        self.calls += 1
        return self.ok

    def invalidate(self):
        self.invalidated += 1


class TopRng(random.Random):
    def uniform(self, a, b):
        return b


@pytest.fixture
def env(tmp_path):
    clock = Clock()
    box = Outbox(tmp_path / "outbox.sqlite", clock=clock)
    api = ScriptedApi()
    statuses = []
    engine = SyncEngine(box, api, lock=SenderLock(tmp_path / "sender.lock"), clock=clock,
                        backoff=Backoff(base=1.0, cap=8.0, rng=TopRng()), batch_size=4,
                        on_status=lambda s: statuses.append(s))
    yield box, api, engine, clock, statuses
    box.close()


def test_delivers_everything_in_fifo_batches(env):
    box, api, engine, clock, statuses = env
    ids = [box.submit("assessment", {"n": i}) for i in range(10)]
    r = engine.sync_once()
    assert r.sent == 10 and r.batches == 3 and r.error is None
    assert api.calls == [ids[:4], ids[4:8], ids[8:]]
    assert box.counts()[ACKED] == 10
    assert engine.status.state == ONLINE and engine.status.waiting == 0
    assert set(r.changed) == set(ids)


@pytest.mark.parametrize("error", [
    Offline("connection refused"), Offline("timed out"), ServerBusy(500, None), ServerBusy(503, None),
    ServerBusy(408, None), BadAnswer("truncated JSON"), RequestRejected(404, "not_found", "no such path"),
    RuntimeError("a bug"),
])
def test_transient_errors_keep_items_and_back_off(env, error):
    box, api, engine, clock, statuses = env
    ids = [box.submit("assessment", {"n": i}) for i in range(3)]
    api.script = [error]
    r = engine.sync_once()
    assert r.sent == 0 and r.error
    assert box.counts() == {PENDING: 3, INFLIGHT: 0, ACKED: 0, FAILED: 0}
    assert box.get(ids[0])["last_error"]
    assert engine.status.state == OFFLINE
    assert engine.due_in() == pytest.approx(1.0)  # first failure: up to base
    # not yet due: an automatic attempt does nothing
    assert engine.sync_once().skipped and len(api.calls) == 1
    clock.t += 1.01
    r = engine.sync_once()
    assert r.sent == 3 and box.counts()[ACKED] == 3
    assert engine.status.state == ONLINE and engine.status.last_error is None


def test_backoff_grows_exponentially_and_resets(env):
    box, api, engine, clock, _ = env
    box.submit("assessment", {"n": 1})
    api.script = [Offline("down")] * 5
    delays = []
    for _ in range(5):
        engine.sync_once(force=True)
        delays.append(engine.due_in())
    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0]  # capped
    engine.sync_once(force=True)
    assert box.counts()[ACKED] == 1 and engine.backoff.failures == 0


def test_retry_after_is_honoured_even_when_forced(env):
    box, api, engine, clock, _ = env
    box.submit("assessment", {"n": 1})
    api.script = [ServerBusy(429, 30.0)]
    engine.sync_once()
    assert engine.due_in() == pytest.approx(30.0)
    clock.t += 10
    assert engine.sync_once(force=True).skipped
    assert len(api.calls) == 1
    clock.t += 20.5
    assert engine.sync_once().sent == 1


def test_per_item_rejection_is_a_dead_letter_with_the_reason(env):
    box, api, engine, clock, _ = env
    ids = [box.submit("assessment", {"n": i}) for i in range(3)]
    api.reject[ids[1]] = (422, "validation_error", "detail: is required")
    r = engine.sync_once()
    assert r.sent == 2 and r.failed == 1
    row = box.get(ids[1])
    assert row["state"] == FAILED and row["code"] == "validation_error" and row["message"] == "detail: is required"
    assert engine.status.failed == 1
    # dead letters are not resent automatically
    engine.sync_once(force=True)
    assert api.calls == [ids]


def test_whole_request_rejection_is_bisected_to_the_culprit(env):
    box, api, engine, clock, _ = env
    ids = [box.submit("assessment", {"n": i}) for i in range(4)]
    bad = ids[2]

    def refuse_if_bad(items):
        if any(i["id"] == bad for i in items):
            raise RequestRejected(400, "bad_request", "payload is not valid")
        return [{"id": i["id"], "status": "accepted"} for i in items]

    api.script = [refuse_if_bad] * 10
    engine.sync_once()
    assert box.get(bad)["state"] == FAILED and box.get(bad)["message"] == "payload is not valid"
    assert all(box.get(i)["state"] == ACKED for i in ids if i != bad)


def test_expired_token_signs_in_again_silently(env):
    box, api, engine, clock, _ = env
    engine.session = Session(ok=True)
    box.submit("assessment", {"n": 1})
    api.script = [AuthRequired(401, "token_expired")]
    r = engine.sync_once()
    assert r.sent == 1 and engine.session.calls == 1 and not engine.paused


def test_refused_sign_in_pauses_until_resumed(env):
    box, api, engine, clock, statuses = env
    engine.session = Session(ok=False)
    box.submit("assessment", {"n": 1})
    api.script = [AuthRequired(401, "unauthorized")]
    r = engine.sync_once()
    assert r.sent == 0 and engine.paused and engine.status.state == AUTH
    assert box.counts()[PENDING] == 1
    assert engine.sync_once(force=True).skipped  # paused: nothing is sent
    assert len(api.calls) == 1
    engine.resume()
    assert engine.sync_once().sent == 1


def test_forbidden_without_session_pauses(env):
    box, api, engine, clock, _ = env
    box.submit("assessment", {"n": 1})
    api.script = [AuthRequired(403, "forbidden")]
    engine.sync_once()
    assert engine.paused and box.counts()[PENDING] == 1


def test_malformed_results_never_lose_items(env):
    box, api, engine, clock, _ = env
    ids = [box.submit("assessment", {"n": i}) for i in range(2)]
    # the API layer raises BadAnswer for mismatched results; an odd per-item status is retried
    api.script = [lambda items: [{"id": items[0]["id"], "status": "accepted"},
                                 {"id": items[1]["id"], "status": "rejected", "http_status": 500}]]
    engine.sync_once()
    assert box.get(ids[0])["state"] == ACKED and box.get(ids[1])["state"] == PENDING
    engine.sync_once(force=True)
    assert box.get(ids[1])["state"] == ACKED


def test_one_sender_at_a_time(env, tmp_path):
    box, api, engine, clock, _ = env
    box.submit("assessment", {"n": 1})
    other = SenderLock(tmp_path / "sender.lock")
    assert other.acquire()
    try:
        r = engine.sync_once()
        assert r.busy_elsewhere and api.calls == [] and engine.status.other_sender
    finally:
        other.release()
    assert engine.sync_once().sent == 1


def test_stale_inflight_items_are_sent_at_start(env):
    box, api, engine, clock, _ = env
    ids = [box.submit("assessment", {"n": i}) for i in range(3)]
    box.claim("a-crashed-process", limit=3, lease_seconds=3600)
    assert box.counts()[INFLIGHT] == 3
    r = engine.sync_once()
    assert r.sent == 3 and api.calls == [ids]


def test_pipelining_never_sends_two_requests_at_once(env):
    import threading
    import time as _time

    box, api, engine, clock, _ = env
    ids = [box.submit("assessment", {"n": i}) for i in range(18)]
    active, peak = [0], [0]
    lock = threading.Lock()
    inner = api.post_batch

    def slow_post(body, sent_ids):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            _time.sleep(0.02)
            return inner(body, sent_ids)
        finally:
            with lock:
                active[0] -= 1

    api.post_batch = slow_post
    r = engine.sync_once()
    assert r.sent == 18 and peak[0] == 1
    assert [i for call in api.calls for i in call] == ids  # FIFO across batches
    engine.close()


def test_lock_is_kept_until_the_request_on_the_wire_ends(env, monkeypatch):
    """A local error while a batch is in flight: the cycle waits for the request before it
    releases the sender lock, so no other process can resend those items meanwhile."""
    import time as _time

    box, api, engine, clock, _ = env
    for i in range(8):
        box.submit("assessment", {"n": i})
    active = [0]
    inner = api.post_batch

    def slow(body, ids):
        active[0] += 1
        try:
            _time.sleep(0.2)
            return inner(body, ids)
        finally:
            active[0] -= 1

    api.post_batch = slow
    original_apply = engine._apply

    def failing_apply(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "_apply", failing_apply)
    # first batch answers, second is posted, then applying the first fails mid-flight
    with pytest.raises(RuntimeError):
        engine.sync_once()
    assert len(api.calls) == 2 and active[0] == 0  # the second request ended before the lock was given up
    monkeypatch.setattr(engine, "_apply", original_apply)
    engine.close()
