"""Helpers of the sync tests: realistic payloads from the demo world, the server on
loopback (the real one from ``server.embedded``), and reading what the server stored."""
from __future__ import annotations

import contextlib
import importlib.util
import json
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, can_assess, can_reflect
from domain.demo import DEMO_ENTERPRISE, handling_for, iter_declarations
from domain.submissions import canonical_json, validate_assessment, validate_reflection

USERNAME = DEMO_ENTERPRISE.tax_code
PASSWORD = DEMO_ENTERPRISE.password


def real_server_available() -> bool:
    return importlib.util.find_spec("server") is not None and \
        importlib.util.find_spec("server.embedded") is not None


def _declarations():
    return list(iter_declarations())


def reflection_payloads(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` valid reflections (several per declaration is allowed), Vietnamese text."""
    rng = random.Random(seed)
    decls = [d for d in _declarations() if can_reflect(d.status, d.channel)]
    out = []
    for i in range(n):
        d = decls[i % len(decls)]
        targets = handling_for(d.number, d.office_code, d.channel, d.status)
        t = targets[rng.randrange(len(targets))]
        out.append({
            "declaration_number": d.number,
            "name": "Phạm Thị Lan",
            "phone": "0912345678",
            "content": f"Phản ánh số {i}: thủ tục tại {d.office_code} kéo dài, đề nghị hướng dẫn rõ hơn. "
                       f"{'ư' * (i % 7)}",
            "targets": [{"target_kind": t.kind, "target_code": t.code}],
        })
    # the exact content the server will store: the shared rules' normal form
    return [validate_reflection(p) for p in out]


def assessment_payloads(n: int, seed: int = 2, exclude: set[str] | frozenset[str] = frozenset()
                        ) -> list[dict[str, Any]]:
    """Up to ``n`` valid final assessments, one per assessable declaration not in ``exclude``
    (declarations the server already holds a final assessment for)."""
    rng = random.Random(seed)
    out = []
    for d in _declarations():
        if len(out) >= n:
            break
        if not can_assess(d.status, d.channel) or d.number in exclude:
            continue
        targets = handling_for(d.number, d.office_code, d.channel, d.status)
        ratings = []
        low = False
        for t in targets[:3]:
            stars = rng.choice((5, 5, 4, 4, 3, 2))
            low |= stars <= 2
            reasons = DISSATISFIED_REASONS if stars <= 2 else SATISFIED_REASONS
            ratings.append({"target_kind": t.kind, "target_code": t.code, "stars": stars,
                            "reasons": [sorted(reasons)[rng.randrange(len(reasons))]]})
        p: dict[str, Any] = {"declaration_number": d.number, "ratings": ratings}
        if low:
            p["detail"] = "Hồ sơ phải bổ sung nhiều lần, thời gian chờ kéo dài."
            p["contact"] = {"name": "Nguyễn Văn Hải", "phone": "0987654321"}
        out.append(validate_assessment(p))
    return out


@dataclass
class ServerHandle:
    url: str
    db_path: Path
    stop: Any
    baseline: dict[str, dict[str, Any]] | None = None  # what the demo seed stored

    def __post_init__(self) -> None:
        if self.baseline is None:
            self.baseline = stored_submissions(self.db_path)

    def stored(self) -> dict[str, dict[str, Any]]:
        """Submissions stored since the server started (the demo seed's are left out)."""
        assert self.baseline is not None
        return {k: v for k, v in stored_submissions(self.db_path).items() if k not in self.baseline}

    def assessed(self) -> set[str]:
        assert self.baseline is not None
        return {v["payload"].get("declaration_number") for v in self.baseline.values() if v["kind"] == "assessment"}


@contextlib.contextmanager
def running_server(tmp_path: Path) -> Iterator[ServerHandle]:
    """The real feedback server on loopback, on a fresh SQLite database with demo data."""
    from server.embedded import start_server

    db = tmp_path / "server.sqlite"
    srv = start_server(f"sqlite:///{db}", seed_demo=True)
    try:
        yield ServerHandle(srv.url, db, srv.stop)
    finally:
        srv.stop()


def stored_submissions(db_path: Path) -> dict[str, dict[str, Any]]:
    """id → {"kind", "schema", "payload"} for every submission row in the server's DB."""
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        table = "submissions" if "submissions" in tables else next(t for t in tables if "submission" in t)
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        id_col = "client_id" if "client_id" in cols else ("uuid" if "uuid" in cols else "id")
        payload_col = next(c for c in ("payload", "payload_json", "body", "data") if c in cols)
        schema_col = next((c for c in ("schema", "schema_version") if c in cols), None)
        rows = conn.execute(
            f"SELECT {id_col}, kind, {schema_col or '1'}, {payload_col} FROM {table}").fetchall()
    finally:
        conn.close()
    out: dict[str, dict[str, Any]] = {}
    for item_id, kind, schema, payload in rows:
        if str(item_id) in out:
            raise AssertionError(f"{item_id} is stored twice")
        out[str(item_id)] = {"kind": kind, "schema": int(schema),
                             "payload": json.loads(payload) if isinstance(payload, str) else payload}
    return out


def same_body(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return canonical_json(a) == canonical_json(b)
