"""Randomised report data for the report tests: declarations of one enterprise spread over
branches, import/export types and channels, each with its handling records, and
assessments sent through the real ingest (``server.ingest.ingest``) on chosen days; plus an
independent computation of the reports' figures straight from the raw tables."""
from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, TYPE_CODES
from domain.demo import build_catalog, handling_for
from server.catalog import upsert_targets
from server.db import Database
from server.ingest import Item, ingest
from server.schema import declarations, handling, ratings, submissions

OWNER = "0312345678"
OFFICES = ("03CC", "03CE", "03EE")
TYPES = ("A11", "A12", "B11", "E62")
_NS = uuid.UUID("1f0c3d8e-3b1a-4d7e-9c55-7a1f2b3c4d5e")


def seed_catalog(db: Database) -> None:
    cat = build_catalog()
    with db.write() as conn:
        upsert_targets(conn, [{"kind": t.kind, "code": t.code, "name": t.name, "parent": t.parent}
                              for t in (*cat.branches, *cat.teams, *cat.stages, *cat.officials)])


def add_declarations(db: Database, n: int, rng: random.Random, start: int = 0) -> list[str]:
    cat = build_catalog()
    rows, hrows, numbers = [], [], []
    at = datetime(2024, 1, 1)
    for i in range(start, start + n):
        type_code = rng.choice(TYPES)
        prefix = "10" if TYPE_CODES[type_code][0] == "I" else "30"
        number = f"{prefix}{i:010d}"
        office, channel = rng.choice(OFFICES), rng.choice((1, 2, 3))
        rows.append({"number": number, "owner_tax_code": OWNER, "office_code": office, "type_code": type_code,
                     "registered_at": at, "status": "cleared", "channel": channel, "cleared_at": at,
                     "updated_at": at})
        for pos, t in enumerate(handling_for(number, office, channel, "cleared", cat)):
            hrows.append({"declaration_number": number, "kind": t.kind, "code": t.code, "position": pos})
        numbers.append(number)
    with db.write() as conn:
        conn.execute(sa.insert(declarations), rows)
        conn.execute(sa.insert(handling), hrows)
    return numbers


def build_payload(conn: sa.Connection, number: str, rng: random.Random, *, low_share: float = 0.3,
                  comment: str | None = None) -> dict[str, Any]:
    targets = conn.execute(sa.select(handling.c.kind, handling.c.code).where(handling.c.declaration_number == number)
                           .order_by(handling.c.position)).all()
    chosen = rng.sample(targets, rng.randint(1, min(len(targets), 6)))
    rated = []
    for kind, code in chosen:
        stars = rng.choice((1, 2, 3)) if rng.random() < low_share else rng.choice((4, 5))
        pool = sorted(DISSATISFIED_REASONS if stars <= 2 else SATISFIED_REASONS)
        r: dict[str, Any] = {"target_kind": kind, "target_code": code, "stars": stars,
                             "reasons": rng.sample(pool, rng.randint(1, 2))}
        if stars <= 2:
            r["comment"] = comment or "Thủ tục kéo dài, cán bộ hướng dẫn chưa rõ."
        rated.append(r)
    payload: dict[str, Any] = {"declaration_number": number, "ratings": rated}
    if any(r["stars"] <= 2 for r in rated):
        payload["contact"] = {"name": "Vũ Liên Hệ Riêng", "phone": "0912345678"}
        payload["detail"] = "Hồ sơ phải bổ sung nhiều lần."
    return payload


def items_for(db: Database, numbers: list[str], rng: random.Random, day0: datetime, days: int,
              **kw: Any) -> list[Item]:
    items = []
    with db.read() as conn:
        for number in numbers:
            payload = build_payload(conn, number, rng, **kw)
            received = day0 + timedelta(days=rng.randrange(days), hours=rng.randrange(24))
            items.append(Item(id=str(uuid.uuid5(_NS, number)), kind="assessment", schema=1, payload=payload,
                              received_at=received))
    return items


def send(db: Database, items: list[Item]) -> list[dict[str, Any]]:
    results = ingest(db, OWNER, items)
    for r in results:
        assert r["status"] in ("accepted", "duplicate"), r
    return results


# ---- the truth, computed without the summaries ------------------------------------------

def flow(type_code: str) -> str:
    return TYPE_CODES.get(type_code, ("",))[0]


def raw_ratings(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every rating with its declaration's flow and channel and its reasons, from the raw
    tables (ratings, declarations, the stored payload)."""
    q = (sa.select(ratings.c.submission_seq, ratings.c.rated_day, ratings.c.branch_code, ratings.c.target_kind,
                   ratings.c.target_code, ratings.c.stars, ratings.c.declaration_number, declarations.c.type_code,
                   declarations.c.channel, submissions.c.payload)
         .join(declarations, declarations.c.number == ratings.c.declaration_number)
         .join(submissions, submissions.c.seq == ratings.c.submission_seq))
    out = []
    for r in conn.execute(q):
        reasons = next((x.get("reasons", []) for x in json.loads(r.payload)["ratings"]
                        if (x["target_kind"], x["target_code"]) == (r.target_kind, r.target_code)), [])
        out.append({"seq": r.submission_seq, "day": r.rated_day, "month": r.rated_day[:7], "branch": r.branch_code,
                    "kind": r.target_kind, "code": r.target_code, "stars": int(r.stars),
                    "decl": r.declaration_number, "flow": flow(r.type_code), "channel": int(r.channel or 0),
                    "reasons": reasons})
    return out


def levels(rows: list[dict[str, Any]]) -> Counter:
    return Counter(r["stars"] for r in rows)


def percent(rows: list[dict[str, Any]]) -> float | None:
    return round(100.0 * sum(1 for r in rows if r["stars"] >= 4) / len(rows), 1) if rows else None
