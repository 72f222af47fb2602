"""``seed-demo``: the demo world of ``domain.demo`` in the server's database.

* the catalog (branches → teams → officials, stages);
* the two demo enterprises and the demo customs staff, with their demo passwords;
* the demo enterprise's declarations (exactly the desktop demo's, with the same handling
  records) and a few hundred declarations of the other enterprise;
* a realistic spread of past assessments and reflections, **only** for the other
  enterprise, so the demo user's declarations are all unrated at first;
* the case handling's staff (``CASE_STAFF``: a supervisor and a processor in each of two
  branches; the demo staff work for every branch) and the cases of those past submissions:
  all answered and closed but the newest few, which stay open with deadlines around today.

Idempotent: a fingerprint in ``meta`` makes a second run return at once; without it, rows
that exist are left alone and the assessments go through the idempotent ingest.
"""
from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, can_assess, can_reflect
from domain.demo import (
    DEFAULT_SEED, DEMO_COUNT, DEMO_ENTERPRISE, DEMO_STAFF, OTHER_ENTERPRISE, build_catalog, handling_for,
    iter_declarations,
)

from .accounts import create_user
from .catalog import get_meta, set_meta, upsert_targets
from .db import Database
from .enums import Role
from .ingest import Item, _evaluate_and_store
from .schema import cases as cases_table, declarations, handling, staff_branches
from .timeutil import to_utc_naive, utcnow

OTHER_COUNT = 400
SEED_KEY = "demo_seed"
_NS = uuid.UUID("6f1d3c1e-8b0e-4a53-9a57-2d0c6a0d2020")
# per rating: 5★ 78 %, 4★ 20.4 %, 3★ 1.1 %, 2★ 0.35 %, 1★ 0.15 % → about 98 % satisfied
_STAR_WEIGHTS = ((5, 780), (4, 204), (3, 11), (2, 4), (1, 1))
# login, name, role, demo password, branches (public demo data)
CASE_STAFF = (
    ("lanhdao", "Đỗ Quang Vinh", "supervisor", "demo-lanhdao-2020", ("03CC", "03TG")),
    ("xuly.cc", "Bùi Thị Lan", "processor", "demo-xulycc-2020", ("03CC",)),
    ("xuly.tg", "Hoàng Văn Nam", "processor", "demo-xulytg-2020", ("03TG",)),
)
OPEN_DEMO_CASES = 6


def fingerprint(seed: int, count: int, other_count: int) -> str:
    return f"v1:{seed}:{count}:{other_count}"


def _declaration_rows(decls: list[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    cat = build_catalog()
    rows, hrows = [], []
    for d in decls:
        registered = to_utc_naive(d.registered_at)
        cleared = to_utc_naive(d.cleared_at) if d.cleared_at else None
        rows.append({"number": d.number, "owner_tax_code": d.owner_tax_code, "office_code": d.office_code,
                     "type_code": d.type_code, "registered_at": registered, "status": d.status,
                     "channel": d.channel, "cleared_at": cleared, "updated_at": cleared or registered,
                     **_list_columns(d)})
        for pos, t in enumerate(handling_for(d.number, d.office_code, d.channel, d.status, cat)):
            hrows.append({"declaration_number": d.number, "kind": t.kind, "code": t.code, "position": pos})
    return rows, hrows


def _list_columns(d: Any) -> dict[str, Any]:
    return {"partner": d.partner, "total_value": round(d.invoice_value, 2), "currency": "USD"}


def demo_list_columns(mark: str) -> list[dict[str, Any]]:
    """Partner, total value and currency of every declaration of the demo world seeded
    with the fingerprint ``mark`` (for the migration that added these columns)."""
    try:
        _v, seed, count, other_count = mark.split(":")
        seed_i, count_i, other_i = int(seed), int(count), int(other_count)
    except ValueError:
        return []
    decls = [*iter_declarations(seed=seed_i, count=count_i, owner=DEMO_ENTERPRISE),
             *iter_declarations(seed=seed_i, count=other_i, owner=OTHER_ENTERPRISE)]
    return [{"number": d.number, **_list_columns(d)} for d in decls]


def _past_submissions(decls: list[Any], seed: int) -> list[Item]:
    rng = random.Random(f"{seed}:past-assessments")
    stars_pool = [s for s, w in _STAR_WEIGHTS for _ in range(w)]
    sat, dis = sorted(SATISFIED_REASONS), sorted(DISSATISFIED_REASONS)
    items: list[Item] = []
    cat = build_catalog()
    for d in decls:
        targets = handling_for(d.number, d.office_code, d.channel, d.status, cat)
        if can_assess(d.status, d.channel) and rng.random() < 0.9:
            ratings, low = [], False
            for t in targets:
                stars = rng.choice(stars_pool)
                low |= stars <= 2
                pool = dis if stars <= 2 else sat
                ratings.append({"target_kind": t.kind, "target_code": t.code, "stars": stars,
                                "reasons": sorted(rng.sample(pool, rng.choice((1, 1, 2))))})
            payload: dict[str, Any] = {"declaration_number": d.number, "ratings": ratings}
            if low:
                payload["detail"] = "Thời gian kiểm tra hồ sơ kéo dài, phải bổ sung chứng từ nhiều lần."
                payload["contact"] = {"name": "Vũ Thị Hồng", "phone": "0904567123"}
            when = (d.cleared_at or d.registered_at) + timedelta(hours=rng.randrange(1, 72))
            items.append(Item(id=str(uuid.uuid5(_NS, f"a:{d.number}")), kind="assessment", schema=1,
                              payload=payload, received_at=to_utc_naive(when)))
        elif can_reflect(d.status, d.channel) and targets and rng.random() < 0.3:
            t = targets[-1]
            items.append(Item(id=str(uuid.uuid5(_NS, f"r:{d.number}")), kind="reflection", schema=1, payload={
                "declaration_number": d.number, "name": "Vũ Thị Hồng", "phone": "0904567123",
                "content": "Đề nghị hướng dẫn bổ sung hồ sơ chứng nhận xuất xứ cho lô hàng này.",
                "targets": [{"target_kind": t.kind, "target_code": t.code}]},
                received_at=to_utc_naive(d.registered_at + timedelta(hours=2))))
    return items


def seed_demo(db: Database, *, argon2_profile: str = "production", seed: int = DEFAULT_SEED,
              count: int = DEMO_COUNT, other_count: int = OTHER_COUNT) -> bool:
    """Seed the demo world; False when it was already there (nothing changed)."""
    mark = fingerprint(seed, count, other_count)
    with db.read() as conn:
        if get_meta(conn, SEED_KEY) == mark:
            return False
    cat = build_catalog()
    with db.write() as conn:
        upsert_targets(conn, [{"kind": t.kind, "code": t.code, "name": t.name, "parent": t.parent}
                              for t in cat.all()])
        for ent in (DEMO_ENTERPRISE, OTHER_ENTERPRISE):
            create_user(conn, username=ent.tax_code, password=ent.password, role=Role.ENTERPRISE,
                        display_name=ent.name, argon2_profile=argon2_profile, exist_ok=True)
        for login, name, role, password in DEMO_STAFF:
            create_user(conn, username=login, password=password, role=role, display_name=name,
                        argon2_profile=argon2_profile, exist_ok=True)
    demo = list(iter_declarations(seed=seed, count=count, owner=DEMO_ENTERPRISE))
    other = list(iter_declarations(seed=seed, count=other_count, owner=OTHER_ENTERPRISE))
    rows, hrows = _declaration_rows(demo + other)
    with db.write() as conn:
        known: set[str] = set()
        numbers = [r["number"] for r in rows]
        for i in range(0, len(numbers), 500):
            known.update(conn.execute(sa.select(declarations.c.number)
                                      .where(declarations.c.number.in_(numbers[i:i + 500]))).scalars())
        new_rows = [r for r in rows if r["number"] not in known]
        if new_rows:
            conn.execute(sa.insert(declarations), new_rows)
            conn.execute(sa.insert(handling), [h for h in hrows if h["declaration_number"] not in known])
    items = _past_submissions(other, seed)
    for i in range(0, len(items), 500):
        chunk = items[i:i + 500]
        for it in chunk:
            it.prepare()
        with db.write() as conn:
            _evaluate_and_store(conn, OTHER_ENTERPRISE.tax_code, chunk, utcnow())
    _seed_cases(db, argon2_profile, [t.code for t in cat.all() if t.kind == "branch"])
    from .business_info import seed_demo_collection  # enterprise information collection

    seed_demo_collection(db)
    with db.write() as conn:
        set_meta(conn, SEED_KEY, mark)
    return True


def _seed_cases(db: Database, argon2_profile: str, branches: list[str]) -> None:
    """The case handling's demo staff and branches; the past cases answered and closed
    (through the case service, so their audit trails are complete) but the newest few."""
    from . import calendar, cases

    with db.write() as conn:
        ids: dict[str, int] = {}
        for login, name, role, password in DEMO_STAFF:
            ids[login] = create_user(conn, username=login, password=password, role=role, display_name=name,
                                     argon2_profile=argon2_profile, exist_ok=True)["id"]
            _give_branches(conn, ids[login], branches)
        for login, name, role, password, mine in CASE_STAFF:
            ids[login] = create_user(conn, username=login, password=password, role=role, display_name=name,
                                     argon2_profile=argon2_profile, exist_ok=True)["id"]
            _give_branches(conn, ids[login], mine)
        rows = conn.execute(sa.select(cases_table.c.id, cases_table.c.branch_code, cases_table.c.created_at)
                            .where(cases_table.c.state == "new").order_by(cases_table.c.created_at)).all()
        processor = {b: ids[login] for login, _n, role, _p, mine in CASE_STAFF if role == "processor" for b in mine}
        admin = cases.staff_for(conn, ids["quantri"])
        assert admin is not None
        for r in rows[:-OPEN_DEMO_CASES] if len(rows) > OPEN_DEMO_CASES else []:
            who = cases.staff_for(conn, processor.get(r.branch_code, ids["xuly"]))
            assert who is not None
            at = r.created_at + timedelta(hours=3)
            cases.take(conn, who, r.id, now=at)
            cases.start_review(conn, who, r.id, now=at + timedelta(hours=1))
            cases.answer(conn, who, r.id, outcome=cases.Outcome.PARTLY, now=at + timedelta(days=2),
                         text="Chi cục đã kiểm tra và hướng dẫn lại thủ tục cho doanh nghiệp.")
            cases.close(conn, admin, r.id, now=at + timedelta(days=4))
        # the newest stay open, received over the last days: some due soon, some overdue
        hol = calendar.holidays(conn)
        now = utcnow()
        for back, r in enumerate(reversed(rows[-OPEN_DEMO_CASES:])):
            received = now - timedelta(days=back * 2, hours=2)
            ack = calendar.add_working_days(received, 1, hol)
            conn.execute(sa.update(cases_table).where(cases_table.c.id == r.id).values(
                created_at=received, ack_due=ack, answer_due=calendar.add_working_days(received, 5, hol), due_at=ack))


def _give_branches(conn: sa.Connection, user_id: int, branches: Any) -> None:
    have = set(conn.execute(sa.select(staff_branches.c.branch_code).where(staff_branches.c.user_id == user_id)).scalars())
    new = [{"user_id": user_id, "branch_code": b} for b in branches if b not in have]
    if new:
        conn.execute(sa.insert(staff_branches), new)
