"""The console's test world, on top of the seeded demo database: staff of two branches
(a supervisor, processors, a viewer) and open cases of the demo enterprise's low ratings,
one of them holding an enterprise comment with HTML and a script in it.

Branch A is 03CC, branch B is 03CE. The cases were received on Wednesday 29 April 2026,
10:00 Vietnam time: the next working day is Monday 4 May (30 April and 1 May are public
holidays, then a weekend), so their acknowledgement deadline is 04/05/2026 10:00."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from domain.codes import DISSATISFIED_REASONS, can_assess
from domain.demo import DEFAULT_SEED, DEMO_COUNT, DEMO_ENTERPRISE, build_catalog, handling_for, iter_declarations
from server import cases
from server.accounts import create_user
from server.db import Database
from server.ingest import Item, _evaluate_and_store
from server.schema import cases as cases_table, staff_branches, submissions, users

BRANCH_A, BRANCH_B = "03CC", "03CE"
VN = timezone(timedelta(hours=7))
RECEIVED = datetime(2026, 4, 29, 10, 0, tzinfo=VN)  # Wednesday, before 30/4 and 1/5 and a weekend
ACK_DUE_LOCAL = "04/05/2026 10:00"
HOSTILE = 'Chậm trễ <script>alert("xss")</script><b>in đậm</b> & "trích dẫn"'
# extra staff (password: demo-<login>-2020)
STAFF = (("giamsat", "Phạm Thị Lan", "supervisor", (BRANCH_A,)),
         ("xulyb", "Đỗ Văn Bình", "processor", (BRANCH_B,)))
BRANCHES = {"xuly": (BRANCH_A,), "baocao": (BRANCH_A,), "quantri": (BRANCH_A, BRANCH_B)}
PASSWORDS = {login: f"demo-{login}-2020" for login, *_ in STAFF}


def utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _low_rating(d: Any, detail: str) -> dict[str, Any]:
    reasons = sorted(DISSATISFIED_REASONS)
    targets = handling_for(d.number, d.office_code, d.channel, d.status, build_catalog())
    return {"declaration_number": d.number, "detail": detail,
            "contact": {"name": "Vũ Thị Hồng", "phone": "0904567123"},
            "ratings": [{"target_kind": t.kind, "target_code": t.code, "stars": 1 if i == 0 else 2,
                         "reasons": [reasons[i % len(reasons)]]} for i, t in enumerate(targets)]}


def build(db: Database) -> dict[str, list[int]]:
    """Add the staff and the cases; returns the case ids per branch (the hostile comment is
    the first case of branch A)."""
    with db.write() as conn:
        for login, name, role, _branches in STAFF:
            create_user(conn, username=login, password=PASSWORDS[login], role=role, display_name=name,
                        argon2_profile="low", exist_ok=True)
        ids = dict(conn.execute(sa.select(users.c.username, users.c.id)).all())
        wanted = {**BRANCHES, **{login: b for login, _n, _r, b in STAFF}}
        conn.execute(sa.delete(staff_branches).where(staff_branches.c.user_id.in_([ids[u] for u in wanted])))
        conn.execute(sa.insert(staff_branches), [{"user_id": ids[u], "branch_code": b}
                                                 for u, bs in wanted.items() for b in bs])
    picked: dict[str, list[Any]] = {BRANCH_A: [], BRANCH_B: []}
    for d in iter_declarations(seed=DEFAULT_SEED, count=DEMO_COUNT, owner=DEMO_ENTERPRISE):
        if d.office_code in picked and can_assess(d.status, d.channel) and len(picked[d.office_code]) < 3:
            picked[d.office_code].append(d)
    items = []
    for branch, decls in picked.items():
        for n, d in enumerate(decls):
            detail = HOSTILE if (branch == BRANCH_A and n == 0) else "Thời gian kiểm tra hồ sơ kéo dài."
            items.append(Item(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"console-test:{d.number}")), kind="assessment",
                              schema=1, payload=_low_rating(d, detail), received_at=utc(RECEIVED) + timedelta(seconds=n)))
    for it in items:
        it.prepare()
    with db.write() as conn:
        _evaluate_and_store(conn, DEMO_ENTERPRISE.tax_code, items, utc(RECEIVED))
        rows = conn.execute(sa.select(submissions.c.seq, submissions.c.kind, submissions.c.declaration_number,
                                      submissions.c.received_at)
                            .where(submissions.c.client_id.in_([i.key for i in items]))).all()
        have = set(conn.execute(sa.select(cases_table.c.submission_seq)).scalars())
        office = {d.number: d.office_code for ds in picked.values() for d in ds}
        cases.open_cases(conn, [{"seq": r.seq, "kind": r.kind, "branch": office[r.declaration_number],
                                 "lowest_stars": 1, "received_at": r.received_at} for r in rows if r.seq not in have],
                         utc(RECEIVED))
        out: dict[str, list[int]] = {}
        for branch, decls in picked.items():
            numbers = [d.number for d in decls]
            out[branch] = [conn.execute(sa.select(cases_table.c.id).select_from(
                cases_table.join(submissions, submissions.c.seq == cases_table.c.submission_seq))
                .where(submissions.c.declaration_number == num)).scalar_one() for num in numbers]
    return out
