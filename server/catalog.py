"""The catalog of what an enterprise can rate, with a version used as the ETag."""
from __future__ import annotations

from typing import Any, Iterable

import sqlalchemy as sa

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, TargetKind
from domain.text import nfc

from .errors import ApiError
from .schema import catalog_targets, meta

VERSION_KEY = "catalog_version"


def get_meta(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()


def set_meta(conn: sa.Connection, key: str, value: str) -> None:
    updated = conn.execute(sa.update(meta).where(meta.c.key == key).values(value=value)).rowcount
    if not updated:
        conn.execute(sa.insert(meta).values(key=key, value=value))


def catalog_version(conn: sa.Connection) -> str:
    return f"c-{get_meta(conn, VERSION_KEY) or '0'}"


def bump_version(conn: sa.Connection) -> str:
    n = int(get_meta(conn, VERSION_KEY) or "0") + 1
    set_meta(conn, VERSION_KEY, str(n))
    return f"c-{n}"


def read_catalog(conn: sa.Connection) -> dict[str, Any]:
    rows = conn.execute(sa.select(catalog_targets).where(catalog_targets.c.active == sa.true())
                        .order_by(catalog_targets.c.kind, catalog_targets.c.position, catalog_targets.c.code)).all()
    out: dict[str, Any] = {"version": catalog_version(conn), "branches": [], "teams": [], "stages": [], "officials": []}
    for r in rows:
        if r.kind == TargetKind.BRANCH:
            out["branches"].append({"code": r.code, "name": r.name})
        elif r.kind == TargetKind.TEAM:
            out["teams"].append({"code": r.code, "name": r.name, "branch": r.parent})
        elif r.kind == TargetKind.STAGE:
            out["stages"].append({"code": r.code, "name": r.name})
        elif r.kind == TargetKind.OFFICIAL:
            out["officials"].append({"code": r.code, "name": r.name, "team": r.parent})
    out["reasons"] = {
        "satisfied": [{"code": c.code, "name": c.vi, "name_en": c.en} for c in SATISFIED_REASONS.values()],
        "dissatisfied": [{"code": c.code, "name": c.vi, "name_en": c.en} for c in DISSATISFIED_REASONS.values()],
    }
    return out


def target_names(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    keys = set(keys)
    if not keys:
        return {}
    rows = conn.execute(sa.select(catalog_targets.c.kind, catalog_targets.c.code, catalog_targets.c.name)
                        .where(catalog_targets.c.code.in_({c for _, c in keys}))).all()
    return {(r.kind, r.code): r.name for r in rows if (r.kind, r.code) in keys}


def upsert_targets(conn: sa.Connection, targets: list[dict[str, Any]]) -> tuple[int, str]:
    """Insert or update targets; bump the version when anything changed."""
    existing = {(r.kind, r.code): r for r in conn.execute(sa.select(catalog_targets)).all()}
    changed = 0
    position = len(existing)
    for t in targets:
        key = (t["kind"], t["code"])
        values = {"name": nfc(t["name"]).strip(), "parent": t.get("parent"), "active": bool(t.get("active", True))}
        old = existing.get(key)
        if old is None:
            position += 1
            conn.execute(sa.insert(catalog_targets).values(kind=key[0], code=key[1], position=position, **values))
            changed += 1
        elif (old.name, old.parent, bool(old.active)) != (values["name"], values["parent"], values["active"]):
            conn.execute(sa.update(catalog_targets).where(catalog_targets.c.kind == key[0],
                                                          catalog_targets.c.code == key[1]).values(**values))
            changed += 1
    version = bump_version(conn) if changed else catalog_version(conn)
    return changed, version


def update_catalog(conn: sa.Connection, targets: list[dict[str, Any]]) -> dict[str, Any]:
    """Add or change targets (``kind``, ``code``, ``name``, ``parent``, ``active``): a team
    belongs to a branch and an official to a team, known already or in the same update
    (422 otherwise, nothing written). Returns the catalog as :func:`read_catalog`."""
    def known(kind: TargetKind) -> set[str]:
        stored = conn.execute(sa.select(catalog_targets.c.code).where(catalog_targets.c.kind == kind.value)).scalars()
        return set(stored) | {t["code"] for t in targets if t["kind"] == kind}

    branches, teams = known(TargetKind.BRANCH), known(TargetKind.TEAM)
    for i, t in enumerate(targets):
        if t["kind"] == TargetKind.TEAM and t.get("parent") not in branches:
            raise ApiError(422, "validation_error", f"targets[{i}]: a team belongs to a known branch")
        if t["kind"] == TargetKind.OFFICIAL and t.get("parent") not in teams:
            raise ApiError(422, "validation_error", f"targets[{i}]: an official belongs to a known team")
    upsert_targets(conn, targets)
    return read_catalog(conn)
