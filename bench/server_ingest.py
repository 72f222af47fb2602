#!/usr/bin/env python3
"""Ingest benchmark of the feedback server: batches vs one item per request.

For each database (SQLite file; PostgreSQL in a throw-away cluster with fsync on) the
server runs as a child process (``python -m server serve``) on loopback. The benchmark
sends ``--items`` final assessments (three rated targets each, a realistic share of low
ratings with detail and contact) in batches of ``--batch``, one request at a time over
one keep-alive connection, then sends ``--baseline-items`` other assessments one per
request the same way. It prints items/s and the p50/p99 latency of a request for both,
and the ratio between them (measured in the same run, on the same machine).

On a shared machine one run moves by a fifth with what else runs. ``--rounds N`` sends N
sets of ``--items`` (other declarations each time, to the same server) and prints every
round's items/s, their median and best; the figures and the ratio are then those of the
median round.

    python bench/server_ingest.py                     # 100,000 items, SQLite and PostgreSQL
    python bench/server_ingest.py --items 20000 --backends sqlite --rounds 5
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, can_assess  # noqa: E402
from domain.demo import Enterprise, handling_for, iter_declarations  # noqa: E402
from domain.validation import make_tax_code  # noqa: E402

BENCH = Enterprise(tax_code=make_tax_code("020055555") or "", name="Công ty TNHH Đo tải", address="Hải Phòng",
                   password="bench-password-2026")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str, n_declarations: int) -> list:
    """Migrate, seed the catalog, the bench enterprise and its declarations; return the
    assessable declarations."""
    from server.accounts import create_user
    from server.catalog import upsert_targets
    from server.db import Database
    from server.migrate import upgrade
    from server.schema import declarations, handling
    from server.seed import _declaration_rows
    from domain.demo import build_catalog

    db = Database(url)
    upgrade(db.engine)
    with db.write() as conn:
        upsert_targets(conn, [{"kind": t.kind, "code": t.code, "name": t.name, "parent": t.parent}
                              for t in build_catalog().all()])
        create_user(conn, username=BENCH.tax_code, password=BENCH.password, role="enterprise",
                    display_name=BENCH.name, argon2_profile="low")
    decls = [d for d in iter_declarations(seed=7, count=n_declarations, owner=BENCH) if can_assess(d.status, d.channel)]
    everything = list(iter_declarations(seed=7, count=n_declarations, owner=BENCH))
    for i in range(0, len(everything), 5000):
        rows, hrows = _declaration_rows(everything[i:i + 5000])
        with db.write() as conn:
            conn.execute(sa.insert(declarations), rows)
            conn.execute(sa.insert(handling), hrows)
    db.dispose()
    return decls


def make_items(decls: list, seed: int) -> list[dict]:
    rng = random.Random(seed)
    sat, dis = sorted(SATISFIED_REASONS), sorted(DISSATISFIED_REASONS)
    items = []
    for d in decls:
        ratings, low = [], False
        for t in handling_for(d.number, d.office_code, d.channel, d.status)[:3]:
            stars = rng.choice((5, 5, 5, 5, 4, 4, 4, 3, 2, 1))
            low |= stars <= 2
            ratings.append({"target_kind": t.kind, "target_code": t.code, "stars": stars,
                            "reasons": [rng.choice(dis if stars <= 2 else sat)]})
        p = {"declaration_number": d.number, "ratings": ratings}
        if low:
            p["detail"] = "Thời gian kiểm tra hồ sơ kéo dài, phải bổ sung chứng từ nhiều lần."
            p["contact"] = {"name": "Nguyễn Văn Hải", "phone": "0987654321"}
        items.append({"id": str(uuid.uuid4()), "kind": "assessment", "schema": 1,
                      "created_at": "2026-11-20T10:15:00+07:00", "payload": p})
    return items


def start_server(url: str, workers: int, *, wrapper: Sequence[str] = (), env_extra: dict[str, str] | None = None,
                 timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """``python -m server serve`` on a free loopback port (run by ``wrapper``, e.g. valgrind),
    once it answers its health check; returns the process and the base URL."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DD_SERVER_ARGON2": "low", **(env_extra or {})}
    proc = subprocess.Popen([*wrapper, sys.executable, "-m", "server", "serve", "--db", url, "--port", str(port),
                             "--workers", str(workers), "--log-level", "warning"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the server did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))
        time.sleep(0.2)


def _cpu_seconds(servers: Sequence[int]) -> float | None:
    """User+system CPU time of the server processes and their children (Linux /proc);
    None without any or elsewhere."""
    if not servers:
        return None
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        pids = list(servers)
        for pid in servers:
            children = Path(f"/proc/{pid}/task/{pid}/children")
            if children.exists():
                pids += [int(c) for c in children.read_text().split()]
        total = 0
        for p in pids:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks
    except (OSError, ValueError, IndexError):
        return None


def login(base: str, timeout: float = 30) -> str:
    return httpx.post(base + "/api/v1/auth/login", timeout=timeout,
                      json={"username": BENCH.tax_code, "password": BENCH.password}).json()["token"]


def send(base: str | Sequence[str], token: str, items: list[dict], per_request: int,
         server_pids: int | Sequence[int] | None = None, *, timeout: float = 120, senders: int = 1) -> dict:
    """Send ``items`` in requests of ``per_request`` from ``senders`` clients at once, each
    one request at a time over its own keep-alive connection (as workstations do); with
    several ``base`` URLs (server instances) sender k sends to instance k mod N, as a load
    balancer in front of them would spread the clients."""
    bases = [base] if isinstance(base, str) else list(base)
    pids = [server_pids] if isinstance(server_pids, int) else list(server_pids or ())
    bodies = [json.dumps({"items": items[i:i + per_request]}, ensure_ascii=False).encode()
              for i in range(0, len(items), per_request)]
    latencies: list[float] = []
    accepted = [0] * senders
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    failures: list[str] = []

    def sender(k: int, mine: list[bytes], url: str) -> None:
        try:
            with httpx.Client(base_url=url, timeout=timeout, headers=headers) as client:
                for body in mine:
                    t0 = time.perf_counter()
                    r = client.post("/api/v1/submissions/batch", content=body)
                    latencies.append(time.perf_counter() - t0)
                    if r.status_code != 200:
                        failures.append(f"HTTP {r.status_code}: {r.text[:300]}")
                        return
                    accepted[k] += sum(1 for x in r.json()["results"] if x["status"] == "accepted")
        except httpx.HTTPError as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

    cpu0 = _cpu_seconds(pids)
    threads = [threading.Thread(target=sender, args=(k, bodies[k::senders], bases[k % len(bases)]))
               for k in range(senders)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(failures[0])
    cpu1 = _cpu_seconds(pids)
    latencies.sort()
    return {"items": len(items), "requests": len(bodies), "accepted": sum(accepted), "seconds": elapsed,
            "items_per_s": len(items) / elapsed,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "server_cpu_us_per_item": None if cpu0 is None or cpu1 is None else 1e6 * (cpu1 - cpu0) / len(items)}


def run_backend(name: str, url: str, args: argparse.Namespace) -> dict:
    batched = args.items * args.rounds
    total = batched + args.baseline_items
    t0 = time.perf_counter()
    decls = prepare_database(url, int(total * 1.15) + 500)
    if len(decls) < total:
        raise SystemExit(f"only {len(decls)} assessable declarations for {total} items")
    print(f"[{name}] database prepared in {time.perf_counter() - t0:.1f} s "
          f"({len(decls)} assessable declarations)", flush=True)
    rounds_items = [make_items(decls[i * args.items:(i + 1) * args.items], 1 + i) for i in range(args.rounds)]
    single_items = make_items(decls[batched:total], args.rounds + 1)
    servers = [start_server(url, args.workers) for _ in range(args.instances)]
    bases, pids = [b for _p, b in servers], [p.pid for p, _b in servers]
    try:
        token = login(bases[0])
        rounds = [send(bases, token, items, args.batch, pids, senders=args.senders) for items in rounds_items]
        single = send(bases, token, single_items, 1, pids, senders=args.senders)
    finally:
        for proc, _base in servers:
            proc.terminate()
        for proc, _base in servers:
            proc.wait(30)
    for label, res in [*((f"batch round {i + 1}", r) for i, r in enumerate(rounds)), ("single", single)]:
        if res["accepted"] != res["items"]:
            raise SystemExit(f"[{name}] {label}: only {res['accepted']} of {res['items']} accepted")
    batch = sorted(rounds, key=lambda r: r["items_per_s"])[len(rounds) // 2]  # the median round (upper of two)
    return {"backend": name, "batch": batch, "rounds": [r["items_per_s"] for r in rounds], "single": single,
            "ratio": batch["items_per_s"] / single["items_per_s"]}


def _cpu(res: dict) -> str:
    cpu = res.get("server_cpu_us_per_item")
    return "" if cpu is None else f", server CPU {cpu:6.0f} us/item"


def report(r: dict, args: argparse.Namespace) -> None:
    b, s = r["batch"], r["single"]
    print(f"\n== {r['backend']} ==")
    print(f"batches of {args.batch}: {b['items']:>7} items in {b['requests']:>5} requests, {b['seconds']:8.1f} s, "
          f"{b['items_per_s']:9.0f} items/s, latency per request p50 {b['p50_ms']:7.1f} ms, p99 {b['p99_ms']:7.1f} ms"
          f"{_cpu(b)}")
    print(f"one per request: {s['items']:>7} items in {s['requests']:>5} requests, {s['seconds']:8.1f} s, "
          f"{s['items_per_s']:9.0f} items/s, latency per request p50 {s['p50_ms']:7.1f} ms, p99 {s['p99_ms']:7.1f} ms"
          f"{_cpu(s)}")
    if len(r["rounds"]) > 1:
        print(f"batch rounds: {', '.join(f'{x:.0f}' for x in r['rounds'])} items/s; median "
              f"{statistics.median(r['rounds']):.0f}, best {max(r['rounds']):.0f} "
              "(the figures above: the median round)")
    print(f"batch / one-per-request throughput: {r['ratio']:.1f}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None:
        print(f"load average (1 min) at the end: {load:.2f}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--items", type=int, default=100_000, help="items sent in batches")
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--baseline-items", type=int, default=5_000,
                   help="items sent one per request (the baseline; default 5,000 to keep the run short)")
    p.add_argument("--backends", default="sqlite,postgresql")
    p.add_argument("--instances", type=int, default=2,
                   help="server instances (`serve` processes, one port each) on the same database")
    p.add_argument("--workers", type=int, default=1, help="worker processes of each instance (`serve --workers`)")
    p.add_argument("--senders", type=int, default=2,
                   help="clients sending at once, each one request at a time over its own connection, "
                        "spread over the instances")
    p.add_argument("--rounds", type=int, default=1, help="sets of --items sent in batches (median and best printed)")
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args()
    if min(args.rounds, args.instances, args.workers, args.senders) < 1:
        p.error("--rounds, --instances, --workers and --senders: at least 1")
    results = []
    with tempfile.TemporaryDirectory(prefix="dd-bench-") as tmp:
        for name in args.backends.split(","):
            if name == "sqlite":
                results.append(run_backend(name, f"sqlite:///{tmp}/bench.db", args))
            elif name == "postgresql":
                sys.path.insert(0, str(ROOT))
                from tests.server.pgcluster import PgCluster, find_bin_dir

                bin_dir = find_bin_dir()
                if bin_dir is None:
                    print("[postgresql] skipped: PostgreSQL binaries not found", flush=True)
                    continue
                cluster = PgCluster(bin_dir, durable=True).start()
                try:
                    results.append(run_backend(name, cluster.create_database("bench"), args))
                finally:
                    cluster.stop()
            else:
                raise SystemExit(f"unknown backend {name}")
            report(results[-1], args)
    print(f"\nmachine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; server and client on loopback")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
