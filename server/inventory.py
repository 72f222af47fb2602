"""Inventory: which workstation runs what (customs IT, admin role).

Each desktop sends, through its outbox, at most one report a day and one at each version
change: item kind ``inventory`` with a random install id (not personal), the host version,
ring, OS version, each plugin's id, version and state, and the number of crashes and
plugin errors since its previous report. No stack trace, no declaration content.

Reports arrive in the ordinary submissions batch (``POST /api/v1/submissions:batch``);
:func:`ingest_mixed` takes the inventory items out and stores them here (table
``inventory_reports``, one row per report id: a report sent twice is answered
``duplicate``), never as submissions. The admin API:

* ``GET /api/v1/inventory/versions``: per ring and version the workstations running it, reports,
  crashes and plugin errors and their rates per report (about one report per workstation-day),
  last seen; also the flat list ``versions`` that ``python -m installer.release advance
  --health`` reads for the auto-pause of a rollout.
* ``GET /api/v1/inventory/workstations``: each workstation's latest report (filter by version/ring).
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any, Callable

import sqlalchemy as sa
from fastapi import APIRouter, Query

from .db import Database
from .deps import AdminDep, DbDep
from .jsonbody import JsonRoute
from .schema import inventory_reports
from .timeutil import iso, utcnow

KIND = "inventory"
_ID = re.compile(r"^[0-9a-f]{32}$")
_VERSION = re.compile(r"^[0-9A-Za-z.+_-]{1,32}$")
RINGS = ("stable", "pilot")
MAX_PLUGINS = 50

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"], route_class=JsonRoute)


class ReportInvalid(ValueError):
    pass


def _text(payload: dict, name: str, limit: int, pattern: re.Pattern | None = None) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ReportInvalid(f"{name}: text of 1 to {limit} characters expected")
    if pattern is not None and not pattern.match(value):
        raise ReportInvalid(f"{name}: {value!r} is not valid")
    return value.strip()


def _count(payload: dict, name: str) -> int:
    value = payload.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise ReportInvalid(f"{name}: a whole number from 0 expected")
    return value


def validate_report(payload: Any) -> dict[str, Any]:
    """The normal form of one report (raises ReportInvalid with the first problem)."""
    if not isinstance(payload, dict):
        raise ReportInvalid("payload: an object expected")
    ring = _text(payload, "ring", 16)
    if ring not in RINGS:
        raise ReportInvalid(f"ring: stable or pilot expected, not {ring!r}")
    plugins = payload.get("plugins", [])
    if not isinstance(plugins, list) or len(plugins) > MAX_PLUGINS:
        raise ReportInvalid(f"plugins: a list of at most {MAX_PLUGINS} expected")
    clean_plugins = []
    for plugin in plugins:
        if not isinstance(plugin, dict):
            raise ReportInvalid("plugins: objects with id, version and state expected")
        clean_plugins.append({"id": _text(plugin, "id", 64), "version": _text(plugin, "version", 32),
                              "state": _text(plugin, "state", 32)})
    return {
        "install_id": _text(payload, "install_id", 32, _ID),
        "host_version": _text(payload, "host_version", 32, _VERSION),
        "ring": ring,
        "os_version": _text(payload, "os_version", 120),
        "plugins": clean_plugins,
        "crashes": _count(payload, "crashes"),
        "plugin_errors": _count(payload, "plugin_errors"),
    }


def ingest_mixed(db: Database, owner_tax_code: str, items: list, now: datetime | None,
                 ingest_others: Callable[..., list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Store the batch's inventory items here and pass the others on; results in batch order."""
    from .ingest import _rejected, _result

    now = now or utcnow()
    others = [(i, item) for i, item in enumerate(items) if item.kind != KIND]
    results: list[dict[str, Any] | None] = [None] * len(items)
    if others:
        for (i, _item), result in zip(others, ingest_others(db, owner_tax_code, [o for _, o in others], now)):
            results[i] = result
    with db.write() as conn:
        for i, item in enumerate(items):
            if item.kind != KIND:
                continue
            report_id = str(item.id).lower()[:64]
            try:
                report = validate_report(item.payload)
            except ReportInvalid as exc:
                results[i] = _rejected(item, 422, "validation_error", str(exc))
                continue
            old = conn.execute(sa.select(inventory_reports.c.received_at)
                               .where(inventory_reports.c.report_id == report_id)).first()
            if old is not None:
                results[i] = _result(item, "duplicate", 200, ref=f"I-{report_id[:12]}", received_at=old.received_at)
                continue
            conn.execute(inventory_reports.insert().values(
                report_id=report_id, owner_tax_code=owner_tax_code, received_at=now,
                plugins=json.dumps(report.pop("plugins"), ensure_ascii=False), **report))
            results[i] = _result(item, "accepted", 201, ref=f"I-{report_id[:12]}", received_at=now)
    return results  # type: ignore[return-value]


# ---- figures for the console ------------------------------------------------------------------------

def _latest_per_workstation(conn: sa.Connection, since: datetime) -> list[Any]:
    t = inventory_reports
    last = (sa.select(t.c.install_id, sa.func.max(t.c.received_at).label("seen"))
            .where(t.c.received_at >= since).group_by(t.c.install_id).subquery())
    return conn.execute(sa.select(t).join(last, sa.and_(t.c.install_id == last.c.install_id,
                                                        t.c.received_at == last.c.seen))
                        .order_by(t.c.received_at.desc())).all()


def version_figures(db: Database, days: int = 30, now: datetime | None = None) -> dict[str, Any]:
    since = (now or utcnow()) - timedelta(days=days)
    t = inventory_reports
    with db.read() as conn:
        sums = conn.execute(
            sa.select(t.c.ring, t.c.host_version, sa.func.count().label("reports"),
                      sa.func.sum(t.c.crashes).label("crashes"), sa.func.sum(t.c.plugin_errors).label("errors"))
            .where(t.c.received_at >= since).group_by(t.c.ring, t.c.host_version)).all()
        latest = _latest_per_workstation(conn, since)
    running: dict[tuple[str, str], list[Any]] = {}
    for row in latest:
        running.setdefault((row.ring, row.host_version), []).append(row)
    rings: dict[str, list[dict[str, Any]]] = {ring: [] for ring in RINGS}
    flat: dict[str, dict[str, Any]] = {}
    for row in sums:
        on = running.get((row.ring, row.host_version), [])
        entry = {"version": row.host_version, "workstations": len(on), "reports": int(row.reports),
                 "crashes": int(row.crashes or 0), "plugin_errors": int(row.errors or 0),
                 "crash_rate": round(int(row.crashes or 0) / int(row.reports), 4),
                 "error_rate": round(int(row.errors or 0) / int(row.reports), 4),
                 "last_seen": iso(max((w.received_at for w in on), default=None))}
        rings.setdefault(row.ring, []).append(entry)
        total = flat.setdefault(row.host_version, {"version": row.host_version, "workstations": 0, "reports": 0,
                                                   "crashes": 0, "plugin_errors": 0})
        for key in ("workstations", "reports", "crashes", "plugin_errors"):
            total[key] += entry[key]
    for entries in rings.values():
        entries.sort(key=lambda e: e["version"], reverse=True)
    for total in flat.values():
        total["crash_rate"] = round(total["crashes"] / total["reports"], 4) if total["reports"] else 0.0
        total["error_rate"] = round(total["plugin_errors"] / total["reports"], 4) if total["reports"] else 0.0
    return {"days": days, "rings": rings, "versions": sorted(flat.values(), key=lambda e: e["version"])}


def workstations(db: Database, *, version: str | None = None, ring: str | None = None, days: int = 30,
                 now: datetime | None = None) -> list[dict[str, Any]]:
    since = (now or utcnow()) - timedelta(days=days)
    with db.read() as conn:
        latest = _latest_per_workstation(conn, since)
    out = []
    for row in latest:
        if (version and row.host_version != version) or (ring and row.ring != ring):
            continue
        out.append({"install_id": row.install_id, "enterprise": row.owner_tax_code, "version": row.host_version,
                    "ring": row.ring, "os_version": row.os_version, "plugins": json.loads(row.plugins or "[]"),
                    "last_seen": iso(row.received_at)})
    return out


INDEX_NAME = "index.json"  # the ring's release list in the update repository (installer/release.py)


def rollouts(updates_dir: "Path | None") -> dict[str, dict[str, Any]]:
    """What the update repository served by this server offers per ring: each release's
    version, the share of the stable ring it reaches, and why a rollout is paused; the
    withdrawn versions. Read from the repository's files for display only (the desktops
    verify the signatures themselves). Empty when no repository is served or it cannot be
    read."""
    from pathlib import Path

    out: dict[str, dict[str, Any]] = {}
    if updates_dir is None:
        return out
    base = Path(updates_dir)
    for ring in RINGS:
        try:
            meta = json.loads((base / "metadata" / f"{ring}.json").read_text("utf-8"))
            digest = meta["signed"]["targets"][f"{ring}/{INDEX_NAME}"]["hashes"]["sha256"]
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                continue
            index = json.loads((base / "targets" / ring / f"{digest}.{INDEX_NAME}").read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        releases = [{"version": str(r.get("version", ""))[:32], "percent": float(r.get("percent", 100)),
                     "paused": str(r["paused"])[:500] if r.get("paused") else None}
                    for r in index.get("releases", []) if isinstance(r, dict)]
        withdrawn = [str(w.get("version", ""))[:32] if isinstance(w, dict) else str(w)[:32]
                     for w in index.get("withdrawn", [])]
        out[ring] = {"releases": releases, "withdrawn": withdrawn}
    return out


@router.get("/versions", summary="Versions per ring: workstations, last seen, crash and error rates")
def get_versions(principal: AdminDep, db: DbDep, days: int = Query(30, ge=1, le=365)) -> dict[str, Any]:
    return version_figures(db, days)


@router.get("/workstations", summary="Each workstation's latest report")
def get_workstations(principal: AdminDep, db: DbDep, version: str | None = Query(None, max_length=32),
                     ring: str | None = Query(None, max_length=16),
                     days: int = Query(30, ge=1, le=365)) -> dict[str, Any]:
    return {"workstations": workstations(db, version=version, ring=ring, days=days)}
