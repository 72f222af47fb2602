#!/usr/bin/env python3
"""Outbox and sync benchmark: prints figures, never pass/fail.

    python bench/sync.py [--items 10000] [--naive-items N] [--batch 500]

1. **Record**: ``--items`` submissions are recorded in the outbox while offline; the time to
   durably record one (``BEGIN IMMEDIATE`` … ``COMMIT`` with ``synchronous=FULL``) is
   measured for each: median and p99.
2. **Deliver**: the network "comes back" (the sync service starts against the real feedback
   server on loopback, SQLite): time until every item is acknowledged, while the UI thread
   runs a 5 ms timer that measures the longest event-loop stall.
   The same items are also recorded, in the same run, into an outbox with SQLite's default
   write-ahead log settings (checkpoint every 1,000 pages, log never cut back): the cost of
   the bounded log, and the largest log file of each.
3. **Naive baseline**, same run, same server: one HTTP request per item, sequential.
   With ``--naive-items`` smaller than ``--items`` the naive time is measured on that many
   items and scaled linearly (said so in the output).

Targets (issue 4): 10,000 delivered in ≤ 3 s; ≥ 30× the naive client; record ≤ 5 ms median;
no UI stall over 50 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def payloads(n: int) -> list[dict]:
    from domain.codes import can_reflect
    from domain.demo import handling_for, iter_declarations
    from domain.submissions import validate_reflection

    decls = [d for d in iter_declarations() if can_reflect(d.status, d.channel)]
    out = []
    for i in range(n):
        d = decls[i % len(decls)]
        t = handling_for(d.number, d.office_code, d.channel, d.status)[i % 3]
        out.append(validate_reflection({
            "declaration_number": d.number, "name": "Phạm Thị Lan", "phone": "0912345678",
            "content": f"Phản ánh số {i}: thủ tục tại {d.office_code} kéo dài, đề nghị hướng dẫn rõ hơn.",
            "targets": [{"target_kind": t.kind, "target_code": t.code}]}))
    return out


class ServerProcess:
    """The real server in a separate process, as on a workstation (the server is remote):
    its work does not compete with the client for the interpreter lock."""

    SCRIPT = (
        "import sys, time\n"
        "from server.embedded import start_server\n"
        "srv = start_server(sys.argv[1], seed_demo=True)\n"
        "print(srv.url, flush=True)\n"
        "sys.stdin.read()\n"
        "srv.stop()\n"
    )

    def __init__(self, db: Path) -> None:
        import subprocess

        self.proc = subprocess.Popen([sys.executable, "-c", self.SCRIPT, f"sqlite:///{db}"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit("the server did not start")

    def stop(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(30)
        except Exception:
            self.proc.kill()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--naive-items", type=int, default=None, help="default: same as --items")
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    naive_n = args.naive_items or args.items

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.core.api import ApiClient
    from desktop.core.cache import SyncCache
    from desktop.core.outbox import Outbox
    from desktop.sync.service import ServiceConfig, SyncService
    from desktop.core.session import Session
    from domain.demo import DEMO_ENTERPRISE

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="dd-bench-sync-"))
    print(f"work dir: {work}")
    print("starting the feedback server in its own process (SQLite, demo data) ...", flush=True)
    server = ServerProcess(work / "server.sqlite")

    class NoKeyring:
        def get_password(self, u):
            return None

        def set_password(self, u, p):
            return False

        def delete_password(self, u):
            pass

    try:
        items = payloads(args.items + naive_n)
        # -- 1. record offline (and the same with SQLite's default log settings) ------------
        import desktop.core.outbox as outbox_module

        def record(path: Path) -> tuple[Outbox, list[float], int]:
            box = Outbox(path)
            wal = Path(str(path) + "-wal")
            times, largest = [], 0
            for i, p in enumerate(items[: args.items]):
                t0 = time.perf_counter()
                box.submit("reflection", p, source="bench")
                times.append((time.perf_counter() - t0) * 1000)
                if i % 20 == 0 and wal.exists():
                    largest = max(largest, wal.stat().st_size)
            return box, times, largest

        bounded = (outbox_module.WAL_AUTOCHECKPOINT_PAGES, outbox_module.JOURNAL_SIZE_LIMIT)
        outbox_module.WAL_AUTOCHECKPOINT_PAGES, outbox_module.JOURNAL_SIZE_LIMIT = 1000, -1
        try:
            default_box, default_ms, default_wal = record(work / "default-wal" / "outbox.sqlite")
            default_box.close()
        finally:
            outbox_module.WAL_AUTOCHECKPOINT_PAGES, outbox_module.JOURNAL_SIZE_LIMIT = bounded
        outbox, record_ms, bounded_wal = record(work / "client" / "outbox.sqlite")
        print(f"recorded {args.items} submissions offline")

        # -- 2. the network comes back: the sync service delivers, the UI thread is watched --
        session = Session(server.url, username=DEMO_ENTERPRISE.tax_code, passwords=NoKeyring())
        session.sign_in(DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password)
        config = ServiceConfig(server_url=server.url, data_dir=work / "client", batch_size=args.batch,
                               refresh_interval_ms=3_600_000)
        service = SyncService(config, outbox, session, SyncCache(work / "client" / "cache.sqlite"))
        done = {"t": None}
        first_sent = {"t": None}
        status_seen = []

        def on_status(s: dict) -> None:
            status_seen.append(s["state"])
            if s["state"] == "syncing" and first_sent["t"] is None and s.get("last_success"):
                first_sent["t"] = time.perf_counter()
            if s["state"] == "online" and s["waiting"] == 0 and done["t"] is None:
                done["t"] = time.perf_counter()
                app.quit()

        service.status_changed.connect(on_status)
        clock = QElapsedTimer()
        ticks = {"last": 0, "worst": 0, "n": 0}

        def tick() -> None:
            now = clock.elapsed()
            ticks["worst"] = max(ticks["worst"], now - ticks["last"])
            ticks["last"] = now
            ticks["n"] += 1

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        QTimer.singleShot(120_000, app.quit)
        clock.start()
        timer.start()
        t0 = time.perf_counter()
        service.start()
        app.exec()
        timer.stop()
        service.shutdown()
        counts = outbox.counts()
        if done["t"] is None or counts["acked"] != args.items:
            print(f"delivery did not finish: {counts}, states {status_seen[-5:]}")
            return 1
        deliver_s = done["t"] - t0
        outbox.close()

        # -- 3. naive client: one request per item ------------------------------------------
        import json
        import uuid

        api = ApiClient(server.url, token=session.token)
        naive_items = items[args.items: args.items + naive_n]
        t1 = time.perf_counter()
        for p in naive_items:
            item_id = str(uuid.uuid4())
            body = json.dumps({"items": [{"id": item_id, "kind": "reflection", "schema": 1,
                                          "created_at": "2026-11-20T10:00:00+07:00", "payload": p}]},
                              ensure_ascii=False).encode("utf-8")
            res = api.post_batch(body, [item_id])
            assert res[0]["status"] == "accepted", res
        naive_measured = time.perf_counter() - t1
        naive_s = naive_measured * args.items / naive_n
        api.close()
    finally:
        server.stop()

    print()
    print(f"Outbox and sync benchmark ({args.items} items, batches of {args.batch}, loopback server on SQLite)")
    print(f"  record one submission durably: median {statistics.median(record_ms):.3f} ms, "
          f"p99 {pct(record_ms, 99):.3f} ms, max {max(record_ms):.3f} ms   (target: median <= 5 ms)")
    print(f"    same items, SQLite's default log settings: median {statistics.median(default_ms):.3f} ms, "
          f"p99 {pct(default_ms, 99):.3f} ms; bounded / default median: "
          f"{statistics.median(record_ms) / statistics.median(default_ms):.2f}x, total "
          f"{sum(record_ms) / sum(default_ms):.2f}x")
    print(f"    largest write-ahead log: bounded {bounded_wal / 1024:.0f} KiB, default {default_wal / 1024:.0f} KiB")
    print(f"  deliver {args.items} after the network comes back: {deliver_s:.3f} s "
          f"({args.items / deliver_s:,.0f} items/s)   (target: <= 3 s for 10,000)")
    scaled = "" if naive_n == args.items else f" (measured on {naive_n} items in {naive_measured:.2f} s, scaled)"
    if first_sent["t"] is not None:
        print(f"    (first batch of {args.batch} acknowledged {1000 * (first_sent['t'] - t0):.0f} ms after start)")
    print(f"  naive client, one request per item: {naive_s:.2f} s{scaled}")
    print(f"  speed-up over the naive client: {naive_s / deliver_s:.1f}x   (target: >= 30x)")
    print(f"  longest UI-thread stall during delivery: {ticks['worst']} ms over {ticks['n']} timer ticks "
          f"(target: <= 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
