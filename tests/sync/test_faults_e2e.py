"""End to end against the real server on loopback, through the fault-injecting proxy:
after the faults stop, the server holds every submission exactly once, with the exact
content."""
from __future__ import annotations

import time

import pytest

from desktop.core.api import ApiClient
from desktop.core.backoff import Backoff
from desktop.core.engine import OFFLINE, ONLINE, SyncEngine
from desktop.core.lock import sender_lock_for
from desktop.core.outbox import ACKED, FAILED, INFLIGHT, PENDING, Outbox
from desktop.core.session import Session

from .faultproxy import FAULTS
from .support import PASSWORD, USERNAME, assessment_payloads, reflection_payloads, same_body


class FixedPasswords:
    def get_password(self, username):
        return PASSWORD if username == USERNAME else None

    def set_password(self, username, password):
        return True

    def delete_password(self, username):
        pass


def make_client(tmp_path, url, *, batch=10, read_timeout=1.0):
    outbox = Outbox(tmp_path / "client" / "outbox.sqlite")
    session = Session(url, username=USERNAME, passwords=FixedPasswords())
    # signed in with a roomy timeout (a password check on a busy machine can take longer than
    # a read timeout under test); the engine's calls get ``read_timeout``
    assert session.reauthenticate(api=ApiClient(url, token=session.token, timeout=(5.0, 30.0)))
    api = ApiClient(url, token=session.token, timeout=(1.0, read_timeout))
    engine = SyncEngine(outbox, api, lock=sender_lock_for(outbox.path), session=session,
                        backoff=Backoff(base=0.02, cap=0.2), batch_size=batch)
    return outbox, engine


def queue(outbox, n_reflections, n_assessments, server=None):
    sent = {}
    for p in assessment_payloads(n_assessments, exclude=server.assessed() if server else frozenset()):
        sent[outbox.submit("assessment", p, source="satisfaction")] = {"kind": "assessment", "schema": 1, "payload": p}
    for p in reflection_payloads(n_reflections):
        sent[outbox.submit("reflection", p, source="satisfaction")] = {"kind": "reflection", "schema": 1, "payload": p}
    return sent


def drive(engine, outbox, *, seconds=60.0):
    deadline = time.monotonic() + seconds
    while outbox.waiting() and time.monotonic() < deadline:
        engine.sync_once(force=False)
        time.sleep(min(engine.due_in() or 0.0, 0.3) + 0.005)
    return outbox.waiting()


def assert_exactly_once(server, outbox, sent):
    stored = server.stored()
    missing = [i for i in sent if i not in stored]
    assert not missing, f"{len(missing)} submissions never reached the server"
    extra = [i for i in stored if i not in sent]
    assert not extra, f"the server holds {len(extra)} unknown submissions"
    wrong = [i for i in sent if not same_body(stored[i], sent[i])]
    assert not wrong, f"{len(wrong)} submissions differ from what was sent, e.g. {stored[wrong[0]]} != {sent[wrong[0]]}"
    counts = outbox.counts()
    assert counts[ACKED] == len(sent) and counts[PENDING] == counts[INFLIGHT] == counts[FAILED] == 0


def test_every_fault_once_then_exactly_once(tmp_path, server, proxy):
    outbox, engine = make_client(tmp_path, proxy.url, batch=8)
    sent = queue(outbox, 70, 10, server)
    # first the server cannot be reached at all
    proxy.refuse_connections()
    r = engine.sync_once(force=True)
    assert r.sent == 0 and engine.status.state == OFFLINE and outbox.counts()[PENDING] == 80
    proxy.accept_connections()
    # then every kind of fault, between successful batches
    for fault in FAULTS:
        proxy.add(fault)
    left = drive(engine, outbox)
    assert left == 0
    assert all(proxy.counts[f] == 1 for f in FAULTS), proxy.counts
    assert proxy.counts["refuse"] == 1
    assert engine.status.state == ONLINE
    assert_exactly_once(server, outbox, sent)
    # batches lost after the server committed came back as duplicates with the original ref
    refs = [outbox.get(i)["server_ref"] for i in sent]
    assert all(refs) and len(set(refs)) == len(refs)


def test_chaos_then_exactly_once(tmp_path, server, proxy):
    outbox, engine = make_client(tmp_path, proxy.url, batch=20)
    sent = queue(outbox, 260, 40, server)
    proxy.chaos(0.6)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and outbox.waiting():
        engine.sync_once(force=True)
        time.sleep(0.01)
    assert sum(proxy.counts.values()) >= 5, proxy.counts
    proxy.clear()
    assert drive(engine, outbox) == 0
    assert_exactly_once(server, outbox, sent)


@pytest.mark.parametrize("fault", ["http503_seconds", "http503_date", "http429"])
def test_retry_after_is_honoured(tmp_path, server, proxy, fault):
    proxy.retry_after = 2
    outbox, engine = make_client(tmp_path, proxy.url)
    queue(outbox, 3, 0)
    proxy.add(fault)
    r = engine.sync_once(force=True)
    assert r.error and engine.status.state == OFFLINE
    # the date form has one-second resolution
    assert 0.9 <= engine.due_in() <= 2.05
    assert engine.sync_once(force=True).skipped  # not even "Sync now" overrides the server
    time.sleep(engine.due_in() + 0.01)
    assert engine.sync_once().sent == 3


def test_timeouts_bound_every_call(tmp_path, server, proxy):
    outbox, engine = make_client(tmp_path, proxy.url, read_timeout=0.5)
    queue(outbox, 2, 0)
    proxy.stall_seconds = 5.0
    proxy.add("stall")
    t0 = time.monotonic()
    r = engine.sync_once(force=True)
    elapsed = time.monotonic() - t0
    assert r.error and "time" in r.error.lower()
    assert elapsed < 3.5  # the 5 s stall was cut by the 0.5 s read timeout
    assert outbox.counts()[PENDING] == 2


def test_rejected_item_is_a_dead_letter_with_the_reason(tmp_path, server, proxy):
    outbox, engine = make_client(tmp_path, proxy.url)
    good = reflection_payloads(2)
    ids = [outbox.submit("reflection", p) for p in good]
    bad_payload = dict(assessment_payloads(1, exclude=server.assessed())[0])
    bad_payload["ratings"] = [dict(bad_payload["ratings"][0], stars=9)]
    bad = outbox.submit("assessment", bad_payload)
    drive(engine, outbox)
    row = outbox.get(bad)
    assert row["state"] == FAILED and row["http_status"] == 422 and row["message"]
    assert all(outbox.get(i)["state"] == ACKED for i in ids)
    assert bad not in server.stored()


def test_expired_token_is_renewed_from_the_keyring(tmp_path, server, proxy):
    outbox, engine = make_client(tmp_path, proxy.url)
    queue(outbox, 3, 0)
    engine.session._token = "not-a-valid-token"  # what an expired token looks like to the server
    r = engine.sync_once(force=True)
    assert r.sent == 3 and not engine.paused
