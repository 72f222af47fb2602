"""A client process for the crash and two-process tests: the Qt-free engine, nothing else.

``python -m tests.sync.child --data DIR --url URL [--batch N] [--submit K]``

Signs in with the password from the credential store (the tests' file keyring), optionally
records ``K`` new reflections while it syncs, and delivers the outbox until it is empty.
Prints one JSON line per event on stdout ("ready", "cycle", "done").
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path


def emit(**fields) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--submit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--announce", action="store_true", help="print each id once its submit returned")
    args = ap.parse_args(argv)

    from desktop.core.api import ApiClient
    from desktop.core.backoff import Backoff
    from desktop.core.engine import SyncEngine
    from desktop.core.lock import sender_lock_for
    from desktop.core.outbox import Outbox
    from desktop.core.session import Session
    from tests.sync.support import reflection_payloads

    data = Path(args.data)
    outbox = Outbox(data / "outbox.sqlite")
    session = Session(args.url, username=args.user)
    api = ApiClient(args.url, token=session.token, timeout=(2.0, 10.0))
    if not session.reauthenticate(api=api):
        emit(event="error", message="sign-in with the stored password failed")
        return 3
    engine = SyncEngine(outbox, api, lock=sender_lock_for(outbox.path), session=session,
                        backoff=Backoff(base=0.05, cap=0.5), batch_size=args.batch)
    emit(event="ready", waiting=outbox.waiting())

    submitted: list[str] = []
    submitter = None
    if args.submit:
        payloads = reflection_payloads(args.submit, seed=1000 + args.seed)

        def submit_all() -> None:
            for p in payloads:
                item_id = outbox.submit("reflection", p, source="child")
                submitted.append(item_id)
                if args.announce:
                    emit(event="recorded", id=item_id)
                time.sleep(0.001)

        submitter = threading.Thread(target=submit_all)
        submitter.start()

    busy = sent = cycles = 0
    deadline = time.monotonic() + args.max_seconds
    while time.monotonic() < deadline:
        r = engine.sync_once()
        cycles += 1
        busy += r.busy_elsewhere
        sent += r.sent
        if r.error:
            emit(event="cycle", error=r.error)
        if engine.paused:
            emit(event="error", message="paused: sign-in needed")
            return 4
        finished = submitter is None or not submitter.is_alive()
        if finished and outbox.waiting() == 0:
            break
        time.sleep(max(0.005, min(engine.due_in() or 0.0, 0.5)) if (r.skipped or r.error or r.busy_elsewhere
                                                                    or r.sent == 0) else 0)
    if submitter is not None:
        submitter.join()
    engine.close()
    left = outbox.waiting()
    emit(event="done", sent=sent, busy=busy, cycles=cycles, submitted=submitted, waiting=left)
    outbox.close()
    return 0 if left == 0 else 5


if __name__ == "__main__":
    sys.exit(main())
