"""The console's inbox page (``server.cases.inbox``, server time) on a generated database of
1,000,000 stored assessments, on SQLite and PostgreSQL.

Generation is done in SQL (a recursive CTE on SQLite, ``generate_series`` on PostgreSQL):
every 10th assessment is a low rating with a case (100,000 cases over 9 branches), every
200th case still open with deadlines from two weeks ago to two weeks ahead. Each figure is
printed next to a baseline measured in the same run: ``SELECT count(*) FROM cases``.
Target: an inbox page (50 rows, counts, escalated list) within 200 ms.

    python bench/console.py [--assessments 1000000] [--backends sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from server import cases  # noqa: E402
from server.db import Database  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.timeutil import utcnow  # noqa: E402

BRANCHES = ("03CC", "03CE", "03TG", "03EE", "03NK", "03PA", "03PJ", "03PL", "03CD")


def generate(db: Database, n: int) -> float:
    started = time.perf_counter()
    upgrade(db.engine)
    pg = db.dialect == "postgresql"
    series = ("generate_series(1, :n) AS g(i)" if pg else
              "(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < :n) SELECT i FROM g) AS g")
    now = "now() AT TIME ZONE 'UTC'" if pg else "datetime('now')"
    ts = (lambda expr: f"({now} + ({expr}) * interval '1 hour')") if pg else \
        (lambda expr: f"datetime('now', ({expr}) || ' hours')")
    with db.write() as conn:
        conn.execute(sa.text(
            "INSERT INTO users (username, role, display_name, password_hash, active, created_at) VALUES "
            "('bench.sup', 'supervisor', 'Bench supervisor', 'x', true, CURRENT_TIMESTAMP)"
            if pg else
            "INSERT INTO users (username, role, display_name, password_hash, active, created_at) VALUES "
            "('bench.sup', 'supervisor', 'Bench supervisor', 'x', 1, CURRENT_TIMESTAMP)"))
        uid = conn.execute(sa.text("SELECT id FROM users WHERE username = 'bench.sup'")).scalar_one()
        conn.execute(sa.text("INSERT INTO staff_branches (user_id, branch_code) VALUES (:u, '03CC')"), {"u": uid})
        low = "(i % 10 = 0)"
        conn.execute(sa.text(
            "INSERT INTO submissions (client_id, kind, schema_version, owner_tax_code, declaration_number, final_key, "
            "body_hash, payload, received_at, needs_answer, state, updated_at) "
            f"SELECT 'bench-' || i, 'assessment', 1, '0100000000', lpad(CAST(i AS text), 12, '0'), "
            f"lpad(CAST(i AS text), 12, '0'), 'h', '{{}}', {ts('-i / 100')}, {low}, 'answered', {ts('-i / 100')} "
            f"FROM {series}" if pg else
            "INSERT INTO submissions (client_id, kind, schema_version, owner_tax_code, declaration_number, final_key, "
            "body_hash, payload, received_at, needs_answer, state, updated_at) "
            f"SELECT 'bench-' || i, 'assessment', 1, '0100000000', substr('000000000000' || i, -12), "
            f"substr('000000000000' || i, -12), 'h', '{{}}', {ts('-i / 100')}, {low}, 'answered', {ts('-i / 100')} "
            f"FROM {series}"), {"n": n})
        open_ = "(s.seq % 2000 = 0)"
        due = ts("(s.seq % 673) - 336")
        branch = "CASE (s.seq / 10) % 9 " + " ".join(f"WHEN {i} THEN '{b}'" for i, b in enumerate(BRANCHES)) + " END"
        conn.execute(sa.text(
            "INSERT INTO cases (submission_seq, kind, branch_code, lowest_stars, state, created_at, ack_due, "
            "answer_due, due_at, outcome, answer, answered_at, closed_at, updated_at) "
            f"SELECT s.seq, 'assessment', {branch}, 1 + s.seq % 2, "
            f"CASE WHEN {open_} THEN 'new' ELSE 'closed' END, s.received_at, {due}, {due}, "
            f"CASE WHEN {open_} THEN {due} END, CASE WHEN {open_} THEN NULL ELSE 'partly' END, "
            f"CASE WHEN {open_} THEN NULL ELSE 'ok' END, s.received_at, s.received_at, s.received_at "
            "FROM submissions s WHERE s.needs_answer"))
    with db.write() as conn:
        conn.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started


def timed(fn, repeat: int = 15) -> float:  # noqa: ANN001
    fn()  # warm
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000


def run(name: str, url: str, n: int) -> None:
    db = Database(url)
    try:
        gen = generate(db, n)
        with db.read() as conn:
            uid = conn.execute(sa.text("SELECT id FROM users WHERE username = 'bench.sup'")).scalar_one()
            staff = cases.staff_for(conn, uid)
            total = conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one()
            subs = conn.execute(sa.text("SELECT count(*) FROM submissions")).scalar_one()
        now = utcnow()

        def baseline() -> None:
            with db.read() as conn:
                conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one()

        def page(**kw) -> None:  # noqa: ANN003
            with db.read() as conn:
                cases.inbox(conn, staff, now=now, **kw)

        base = timed(baseline)
        print(f"[{name}] {subs:,} assessments, {total:,} cases generated in {gen:.1f} s")
        print(f"[{name}] baseline SELECT count(*) FROM cases: {base:.1f} ms")
        for label, kw in (("inbox page 1 (open, overdue first)", {}), ("inbox page 5", {"page": 5}),
                          ("inbox, level 1 filter", {"level": 1}), ("inbox, closed cases", {"state": "closed"}),
                          ("inbox, escalated only", {"escalated": True})):
            ms = timed(lambda: page(**kw))
            print(f"[{name}] {label}: {ms:.1f} ms ({ms / base:.2f}x baseline; target <= 200 ms)")
    finally:
        db.dispose()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--assessments", type=int, default=1_000_000)
    p.add_argument("--backends", default="sqlite,postgresql")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="dd-bench-console-") as tmp:
        for name in args.backends.split(","):
            if name == "sqlite":
                run(name, f"sqlite:///{tmp}/console.db", args.assessments)
            elif name == "postgresql":
                from tests.server.pgcluster import PgCluster, find_bin_dir

                bin_dir = find_bin_dir()
                if bin_dir is None:
                    print("[postgresql] skipped: PostgreSQL binaries not found")
                    continue
                cluster = PgCluster(bin_dir).start()
                try:
                    run(name, cluster.create_database("bench"), args.assessments)
                finally:
                    cluster.stop()
            else:
                raise SystemExit(f"unknown backend {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
