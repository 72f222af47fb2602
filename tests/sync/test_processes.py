"""Crash tests (SIGKILL at random moments, many times) and two processes on one data dir."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.outbox import ACKED, FAILED, INFLIGHT, PENDING, Outbox
from desktop.core.session import KEYRING_SERVICE

from .support import PASSWORD, USERNAME, reflection_payloads, same_body

ROOT = Path(__file__).resolve().parents[2]


def store_password_for_children():
    # the children read it from the credential store, like the program does
    from tests.support.test_keyring import FileTestKeyring

    FileTestKeyring().set_password(KEYRING_SERVICE, USERNAME, PASSWORD)


def start_child(data: Path, url: str, *, batch: int, submit: int = 0, seed: int = 0,
                announce: bool = False) -> subprocess.Popen:
    env = dict(os.environ)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sync.child", "--data", str(data), "--url", url, "--user", USERNAME,
         "--batch", str(batch), "--submit", str(submit), "--seed", str(seed)] + (["--announce"] if announce else []),
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_ready(proc: subprocess.Popen, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        event = json.loads(line)
        if event["event"] == "ready":
            return event
        if event["event"] == "error":
            raise AssertionError(event)
    raise AssertionError(f"child never became ready: {proc.stderr.read()}")


def finish(proc: subprocess.Popen, timeout: float = 120.0) -> dict:
    out, err = proc.communicate(timeout=timeout)
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    done = [e for e in events if e["event"] == "done"]
    assert proc.returncode == 0 and done, f"child failed ({proc.returncode}): {events[-3:]} {err[-2000:]}"
    return done[0]


def prefill(data: Path, n: int, seed: int = 7) -> dict[str, dict]:
    box = Outbox(data / "outbox.sqlite")
    sent = {}
    for p in reflection_payloads(n, seed=seed):
        sent[box.submit("reflection", p)] = {"kind": "reflection", "schema": 1, "payload": p}
    box.close()
    return sent


def check_exactly_once(server, data: Path, expected: dict[str, dict] | None = None) -> int:
    box = Outbox(data / "outbox.sqlite")
    try:
        counts = box.counts()
        assert counts[PENDING] == 0 and counts[INFLIGHT] == 0 and counts[FAILED] == 0, counts
        rows = box.list_items([ACKED], limit=10**7)
        local = {r["id"]: box.body(r["id"]) for r in rows}
    finally:
        box.close()
    if expected is not None:
        assert set(local) == set(expected), "the outbox lost or invented items"
    stored = server.stored()
    assert set(stored) == set(local), (len(stored), len(local))
    assert all(same_body(stored[i], local[i]) for i in local)
    return len(local)


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path, server):
    """A client syncing thousands of items (and recording new ones meanwhile) is killed with
    SIGKILL at random moments, 20 times, and restarted each time."""
    store_password_for_children()
    data = tmp_path / "client"
    data.mkdir()
    expected = prefill(data, 2000)
    recorded: set[str] = set()  # ids whose submit() returned in a child that was then killed
    rng = random.Random(20201)
    kills = killed_mid_flight = 0
    for run in range(20):
        proc = start_child(data, server.url, batch=20, submit=60, seed=run, announce=True)
        wait_ready(proc)
        time.sleep(rng.uniform(0.02, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        out = proc.stdout.read()
        proc.stdout.close()
        proc.stderr.close()
        for line in out.splitlines():
            if line.endswith("}"):
                event = json.loads(line)
                if event.get("event") == "recorded":
                    recorded.add(event["id"])
        kills += proc.returncode == -signal.SIGKILL
        box = Outbox(data / "outbox.sqlite")
        killed_mid_flight += box.counts()[INFLIGHT] > 0
        box.close()
    # restart once more without interruption: everything goes out
    done = finish(start_child(data, server.url, batch=50))
    assert done["waiting"] == 0
    assert kills >= 15, f"only {kills} runs were killed"
    assert killed_mid_flight >= 1, "no kill hit a batch in flight"
    assert recorded, "no run recorded anything before it was killed"
    total = check_exactly_once(server, data)
    box = Outbox(data / "outbox.sqlite")
    try:
        in_outbox = {r["id"] for r in box.list_items(limit=10**7)}
    finally:
        box.close()
    assert set(expected) <= in_outbox and recorded <= in_outbox, "a recorded submission was lost"
    assert total >= len(expected) + len(recorded)


@pytest.mark.slow
def test_two_processes_on_one_data_dir_never_double_send(tmp_path, server, proxy):
    store_password_for_children()
    data = tmp_path / "client"
    data.mkdir()
    expected = prefill(data, 3000)
    a = start_child(data, proxy.url, batch=20, submit=150, seed=1)
    b = start_child(data, proxy.url, batch=20, submit=150, seed=2)
    done_a, done_b = finish(a), finish(b)
    for d in (done_a, done_b):
        for item_id in d["submitted"]:
            expected[item_id] = None
    assert done_a["busy"] + done_b["busy"] > 0, "the two processes never contended"
    assert done_a["sent"] + done_b["sent"] == len(expected)
    # every item reached the server once: nothing was sent twice
    twice = [i for i, c in proxy.sent_ids.items() if c > 1]
    assert not twice, f"{len(twice)} items were sent more than once"
    assert set(proxy.sent_ids) == set(expected)
    assert check_exactly_once(server, data) == len(expected)
