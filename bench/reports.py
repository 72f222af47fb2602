"""Satisfaction reports on real volumes, on SQLite and PostgreSQL.

    python bench/reports.py [--assessments N] [--backends sqlite,postgresql] [--repeat R]

Generates N assessments (about 4 ratings each) over three years with bulk inserts (not
through HTTP) — declarations, submissions with their payload, ratings — and fills the
summary tables, then prints for each backend:

* each dashboard view's server time (the same functions the console page calls), median
  of R runs, against a naive ``GROUP BY`` over the raw ratings (joined to the declarations
  for flow and channel) computing the same figures, measured in the same run;
* a one-year export of the raw ratings streamed to nowhere: time and peak memory;
* the ingest cost of the summaries: items/s through the real ingest with and without the
  summary upserts (5,000 assessments in batches of 500, on the same database), in one
  process and then in two processes at once (5,000 each), as the server's processes
  ingest.

Figures only: nothing passes or fails on timing. PostgreSQL runs in a throw-away cluster
(tests/server/pgcluster.py).
"""
from __future__ import annotations

import argparse
import json
import queue
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench._common import peak_rss_mb, rss_mb  # noqa: E402
from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, TYPE_CODES  # noqa: E402
from domain.demo import build_catalog, handling_for  # noqa: E402

OWNER = "0300000001"
START = date(2023, 12, 1)
DAYS = 3 * 365
TYPES = tuple(TYPE_CODES)
SAT, DIS = sorted(SATISFIED_REASONS), sorted(DISSATISFIED_REASONS)


def generate(db, n: int, seed: int = 1) -> None:  # noqa: ANN001
    from server import report_store
    from server.catalog import upsert_targets
    from server.bulk import insert_many
    from server.schema import declarations, handling, ratings, submissions

    cat = build_catalog()
    offices = [b.code for b in cat.branches]
    with db.write() as conn:
        upsert_targets(conn, [{"kind": t.kind, "code": t.code, "name": t.name, "parent": t.parent}
                              for t in (*cat.branches, *cat.teams, *cat.stages, *cat.officials)])
    rng = random.Random(seed)
    handling_cache: dict[tuple[str, int, int], list] = {}
    chunk = 20_000
    seq = 0
    t0 = time.perf_counter()
    for start in range(0, n, chunk):
        drows, hrows, srows, rrows = [], [], [], []
        counts = report_store.Counts()
        for i in range(start, min(n, start + chunk)):
            type_code = rng.choice(TYPES)
            number = f"{'10' if TYPE_CODES[type_code][0] == 'I' else '30'}{i:010d}"
            office, channel = rng.choice(offices), rng.choice((1, 1, 1, 2, 3))
            day = START + timedelta(days=rng.randrange(DAYS))
            at = datetime(day.year, day.month, day.day, 3)
            drows.append({"number": number, "owner_tax_code": OWNER, "office_code": office, "type_code": type_code,
                          "registered_at": at, "status": "cleared", "channel": channel, "cleared_at": at,
                          "updated_at": at, "change_tx": 0, "change_seq": 0})
            key = (office, channel, i % 7)
            targets = handling_cache.get(key)
            if targets is None:
                targets = handling_cache[key] = handling_for(number, office, channel, "cleared", cat)
            for pos, t in enumerate(targets):
                hrows.append({"declaration_number": number, "kind": t.kind, "code": t.code, "position": pos})
            chosen = rng.sample(targets, min(len(targets), 4))
            rated = []
            for t in chosen:
                stars = rng.choices((5, 4, 3, 2, 1), (70, 22, 5, 2, 1))[0]
                rated.append({"target_kind": t.kind, "target_code": t.code, "stars": stars,
                              "reasons": [rng.choice(DIS if stars <= 2 else SAT)]})
            seq += 1
            day_text = day.isoformat()
            srows.append({"seq": seq, "client_id": str(uuid.UUID(int=rng.getrandbits(128))), "kind": "assessment",
                          "schema_version": 1, "owner_tax_code": OWNER, "declaration_number": number,
                          "final_key": number, "body_hash": "0" * 64,
                          "payload": json.dumps({"declaration_number": number, "ratings": rated},
                                                separators=(",", ":")),
                          "created_at": None, "received_at": at, "needs_answer": False, "state": "received",
                          "updated_at": at, "change_tx": 0, "change_seq": 0})
            for r in rated:
                rrows.append({"submission_seq": seq, "declaration_number": number, "branch_code": office,
                              "target_kind": r["target_kind"], "target_code": r["target_code"], "stars": r["stars"],
                              "rated_day": day_text})
            counts.add(day_text, office, TYPE_CODES[type_code][0], channel, rated)
        with db.write() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET session_replication_role = replica")  # no feed triggers for the bulk load
            insert_many(conn, declarations, drows)
            insert_many(conn, handling, hrows)
            insert_many(conn, submissions, srows)
            insert_many(conn, ratings, rrows)
            report_store.apply(conn, counts)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET session_replication_role = origin")
        print(f"  generated {min(n, start + chunk):,} assessments ({time.perf_counter() - t0:.0f} s)", flush=True)
    with db.write() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('submissions', 'seq'), {seq})")
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")


def _median_ms(fn, repeat: int) -> float:  # noqa: ANN001
    fn()  # warm the caches
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def naive(conn, v) -> None:  # noqa: ANN001
    """The same figures as a dashboard view, by GROUP BY over the raw ratings."""
    from server.report_store import FLOW_OF
    from server.schema import declarations as d, ratings as r

    conds = [r.c.rated_day >= v.day_from, r.c.rated_day <= v.day_to]
    if v.branch:
        conds.append(r.c.branch_code == v.branch)
    if v.flow:
        conds.append(d.c.type_code.in_([c for c, f in FLOW_OF.items() if f == v.flow]))
    if v.channel:
        conds.append(d.c.channel == v.channel)
    if v.stage:
        conds += [r.c.target_kind == "stage", r.c.target_code == v.stage]
    j = r.join(d, d.c.number == r.c.declaration_number)
    month = sa.func.substr(r.c.rated_day, 1, 7)
    for prev in (False, True):
        w = v.previous() if prev else v
        c2 = [r.c.rated_day >= w.day_from, r.c.rated_day <= w.day_to, *conds[2:]]
        conn.execute(sa.select(r.c.stars, sa.func.count()).select_from(j).where(*c2).group_by(r.c.stars)).all()
    conn.execute(sa.select(sa.func.count(sa.distinct(r.c.submission_seq))).select_from(j).where(*conds)).all()
    conn.execute(sa.select(month, r.c.stars, sa.func.count()).select_from(j).where(*conds).group_by(month, r.c.stars)).all()
    if v.branch and v.team:
        key, extra = r.c.target_code, [r.c.target_kind == "official"]
    elif v.branch:
        key, extra = r.c.target_code, [r.c.target_kind == "team"]
    else:
        key, extra = r.c.branch_code, []
    conn.execute(sa.select(key, r.c.stars, sa.func.count()).select_from(j).where(*conds, *extra)
                 .group_by(key, r.c.stars)).all()
    conn.execute(sa.select(r.c.target_code, r.c.stars, sa.func.count()).select_from(j)
                 .where(*conds, r.c.target_kind == "stage").group_by(r.c.target_code, r.c.stars)).all()


def views(last: str):  # noqa: ANN201
    from server.reports import View, month_add

    first12 = month_add(last, -11)
    return [
        ("12 months, all branches", View(first12, last)),
        ("36 months, all branches, by week", View(month_add(last, -35), last, trend="week")),
        ("12 months, one branch (its teams)", View(first12, last, branch="03CC")),
        ("12 months, one team (its officials)", View(first12, last, branch="03CC", team="03CC-TT")),
        ("12 months, export flow, red channel, a stage", View(first12, last, flow="E", channel=3, stage="KTT")),
        ("1 month, all branches", View(last, last)),
    ]


def bench_backend(name: str, url: str, n: int, repeat: int) -> dict:
    from server import report_store, reports
    from server.console.reports import dashboard_data
    from server.db import Database
    from server.exports import csv_stream
    from server.ingest import Item, ingest
    from server.migrate import upgrade

    db = Database(url)
    upgrade(db.engine)
    t = time.perf_counter()
    generate(db, n)
    print(f"{name}: {n:,} assessments generated in {time.perf_counter() - t:.0f} s")
    with db.read() as conn:
        nr = conn.execute(sa.text("SELECT count(*) FROM ratings")).scalar()
        ns = conn.execute(sa.text("SELECT count(*) FROM report_weeks")).scalar()
        nt = conn.execute(sa.text("SELECT count(*) FROM report_targets")).scalar()
    print(f"{name}: {nr:,} ratings; summary rows: report_weeks {ns:,}, report_targets {nt:,}")
    last = (START + timedelta(days=DAYS - 1)).strftime("%Y-%m")
    out = {"backend": name, "assessments": n, "ratings": nr, "views": []}
    print(f"{'view':48} {'summaries':>10} {'GROUP BY':>10} {'ratio':>7}")
    for label, v in views(last):
        with db.read() as conn:
            fast = _median_ms(lambda: dashboard_data(conn, v), repeat)
            slow = _median_ms(lambda: naive(conn, v), max(1, repeat // 2))
        out["views"].append({"view": label, "summaries_ms": round(fast, 1), "group_by_ms": round(slow, 1)})
        print(f"{label:48} {fast:8.1f}ms {slow:8.1f}ms {slow / fast:6.1f}x", flush=True)
    with db.read() as conn:
        v = reports.View(reports.month_add(last, -11), last)
        ratings_page = _median_ms(lambda: list(reports.rating_rows(conn, v, reports.RatingFilter(), role="viewer",
                                                                   k=5, limit=50)), repeat)
    print(f"{'ratings behind a figure (page 1 of 12 months)':48} {ratings_page:8.1f}ms")
    out["ratings_page_ms"] = round(ratings_page, 1)
    # a one-year export, streamed
    before = rss_mb()
    t = time.perf_counter()
    rows = 0
    with db.read() as conn:
        gen = ([r["day"], r["branch"], r["target_kind"], r["target_code"], r["stars"], "; ".join(r["reasons"])]
               for r in reports.rating_rows(conn, v, reports.RatingFilter(), role="viewer", k=5, stream=True))
        for chunk in csv_stream(["day", "branch", "kind", "code", "stars", "reasons"], gen):
            rows += chunk.count(b"\n")
    secs = time.perf_counter() - t
    print(f"export of 12 months: {rows - 1:,} ratings in {secs:.1f} s; RSS {before:.0f} → peak {peak_rss_mb():.0f} MB")
    out["export"] = {"rows": rows - 1, "seconds": round(secs, 1), "rss_before_mb": round(before),
                     "peak_rss_mb": round(peak_rss_mb())}
    # the ingest cost of the summaries
    from tests.server.report_data import add_declarations, build_payload

    rng = random.Random(5)
    numbers = add_declarations(db, 30_000, rng, start=9_000_000_00)
    with db.read() as conn:
        payloads = [build_payload(conn, num, rng, low_share=0.02) for num in numbers]
    received = datetime(2026, 10, 1, 3)

    def run(items_payloads, label: str) -> float:  # noqa: ANN001
        items = [Item(id=str(uuid.uuid4()), kind="assessment", schema=1, payload=p, received_at=received)
                 for p in items_payloads]
        t = time.perf_counter()
        for i in range(0, len(items), 500):
            for r in ingest(db, "0312345678", items[i:i + 500]):
                assert r["status"] == "accepted", r
        return len(items) / (time.perf_counter() - t)

    real = report_store.counts_of
    report_store.counts_of = lambda *a, **k: report_store.Counts()  # noqa: E731 - nothing to add
    try:
        without = run(payloads[:5000], "without")
    finally:
        report_store.counts_of = real
    with_ = run(payloads[5000:10000], "with")
    print(f"ingest: {without:,.0f} items/s without the summaries, {with_:,.0f} items/s with them "
          f"(cost {100 * (without - with_) / without:.0f} %)")
    out["ingest"] = {"without": round(without), "with": round(with_)}
    db.dispose()
    # the same with two processes at once, as the server's processes ingest (docs/SERVER.md)
    two_without = ingest_in_processes(url, [payloads[10000:15000], payloads[15000:20000]], received, False)
    two_with = ingest_in_processes(url, [payloads[20000:25000], payloads[25000:30000]], received, True)
    print(f"ingest, two processes at once: {two_without:,.0f} items/s without the summaries, {two_with:,.0f} "
          f"items/s with them (cost {100 * (two_without - two_with) / two_without:.0f} %)")
    out["ingest_two_processes"] = {"without": round(two_without), "with": round(two_with)}
    return out


def _ingest_child(url: str, payloads: list, received: datetime, summaries: bool, start, results) -> None:  # noqa: ANN001
    """One process of :func:`ingest_in_processes`: ready, wait for the others, ingest."""
    from server import report_store
    from server.app import tune_gc
    from server.db import Database
    from server.ingest import Item, ingest

    if not summaries:
        report_store.counts_of = lambda *a, **k: report_store.Counts()  # nothing to add
    db = Database(url)
    tune_gc()
    items = [Item(id=str(uuid.uuid4()), kind="assessment", schema=1, payload=p, received_at=received)
             for p in payloads]
    start.wait()
    t0 = time.monotonic()
    accepted = 0
    for i in range(0, len(items), 500):
        accepted += sum(r["status"] == "accepted" for r in ingest(db, "0312345678", items[i:i + 500]))
    results.put((accepted, len(items), t0, time.monotonic()))
    db.dispose()


def ingest_in_processes(url: str, shares: list[list], received: datetime, summaries: bool) -> float:
    """Items/s of ``len(shares)`` processes ingesting their share at once (batches of 500),
    from the first one's start to the last one's end."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(len(shares)), ctx.Queue()
    procs = [ctx.Process(target=_ingest_child, args=(url, share, received, summaries, start, results))
             for share in shares]
    for proc in procs:
        proc.start()
    done: list = []
    while len(done) < len(procs):
        try:
            done.append(results.get(timeout=5))
        except queue.Empty:
            if any(proc.exitcode not in (None, 0) for proc in procs):
                raise SystemExit("an ingesting process failed") from None
    for proc in procs:
        proc.join(60)
    if any(accepted != n for accepted, n, _t0, _t1 in done):
        raise SystemExit(f"not every item was accepted: {done}")
    return sum(n for _a, n, _t0, _t1 in done) / (max(t1 for *_x, t1 in done) - min(t0 for *_x, t0, _t1 in done))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assessments", type=int, default=250_000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    results = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if backend == "sqlite":
                results.append(bench_backend("sqlite", f"sqlite:///{tmp}/reports.db", args.assessments, args.repeat))
            else:
                from tests.server.pgcluster import PgCluster, find_bin_dir

                bin_dir = find_bin_dir()
                if bin_dir is None:
                    print("postgresql: no initdb/pg_ctl found, skipped")
                    continue
                cluster = PgCluster(bin_dir)
                cluster.start()
                try:
                    url = cluster.create_database("bench_reports")
                    results.append(bench_backend("postgresql", url, args.assessments, args.repeat))
                finally:
                    cluster.stop()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
