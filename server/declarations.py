"""Declarations as the clearance system reports them, with the targets that handled each
one: the enterprise's feed (``server.feeds``) and the administrator's stand-in writes.
Usable without HTTP: functions take a connection and plain values and raise ``ApiError``."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa

from domain.codes import TargetKind
from domain.validation import InvalidTaxCode, normalize_tax_code

from . import feeds
from .catalog import target_names
from .errors import ApiError
from .schema import declarations, handling
from .timeutil import iso, to_utc_naive, utcnow

_NAMES_CHUNK = 500


def describe(conn: sa.Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Declaration rows as the API shows them, each with its handling targets and their names."""
    numbers = [r.number for r in rows]
    per: dict[str, list[tuple[str, str]]] = {}
    for i in range(0, len(numbers), _NAMES_CHUNK):
        for h in conn.execute(sa.select(handling.c.declaration_number, handling.c.kind, handling.c.code)
                              .where(handling.c.declaration_number.in_(numbers[i:i + _NAMES_CHUNK]))
                              .order_by(handling.c.declaration_number, handling.c.position)):
            per.setdefault(h.declaration_number, []).append((h.kind, h.code))
    names = target_names(conn, [k for hs in per.values() for k in hs])
    return [{"number": r.number, "office_code": r.office_code, "type_code": r.type_code,
             "registered_at": iso(r.registered_at), "status": r.status, "channel": r.channel,
             "cleared_at": iso(r.cleared_at), "updated_at": iso(r.updated_at), "partner": r.partner,
             "total_value": float(r.total_value) if r.total_value is not None else None, "currency": r.currency,
             "handling": [{"kind": k, "code": c, "name": names.get((k, c), c)} for k, c in per.get(r.number, [])]}
            for r in rows]


def page(conn: sa.Connection, *, owner_tax_code: str | None, since: str | None, limit: int) -> dict[str, Any]:
    """One page of the declarations feed after the cursor ``since``, of the enterprise
    ``owner_tax_code`` (``None``: of all): ``items``, ``next_cursor``, ``has_more``."""
    q = sa.select(declarations)
    if owner_tax_code is not None:
        q = q.where(declarations.c.owner_tax_code == owner_tax_code)
    result = feeds.read_page(conn, q, declarations, since, limit)
    return {"items": describe(conn, result.rows), "next_cursor": result.next_cursor, "has_more": result.has_more}


def record(conn: sa.Connection, number: str, *, owner_tax_code: str, office_code: str, type_code: str,
           registered_at: str, status: str, channel: int | None = None, cleared_at: str | None = None,
           partner: str | None = None, total_value: float | None = None, currency: str | None = None,
           handled_by: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """Insert or replace what the clearance system reports about declaration ``number``:
    times are ISO 8601, ``handled_by`` the (kind, code) catalog targets in order; the office
    is a branch of the catalog. 422 ``validation_error`` for a value that is refused.
    Returns the declaration as :func:`describe` shows it."""
    try:
        owner = normalize_tax_code(owner_tax_code)
    except InvalidTaxCode as exc:
        raise ApiError(422, "validation_error", f"owner_tax_code: {exc}") from None
    try:
        registered = to_utc_naive(datetime.fromisoformat(registered_at))
        cleared = to_utc_naive(datetime.fromisoformat(cleared_at)) if cleared_at else None
    except ValueError:
        raise ApiError(422, "validation_error", "registered_at and cleared_at are ISO 8601 times") from None
    handled = list(handled_by)
    wanted = set(handled)
    office = (TargetKind.BRANCH.value, office_code)
    known = set(target_names(conn, wanted | {office}))
    if office not in known:
        raise ApiError(422, "validation_error", f"office_code: {office_code} is not a branch in the catalog")
    missing = sorted(wanted - known)
    if missing:
        raise ApiError(422, "validation_error", "handling: not in the catalog: "
                       + ", ".join(f"{k} {c}" for k, c in missing[:10]))
    values = {"owner_tax_code": owner, "office_code": office_code, "type_code": type_code,
              "registered_at": registered, "status": status, "channel": channel,
              "cleared_at": cleared, "updated_at": utcnow(), "partner": partner,
              "total_value": total_value, "currency": currency}
    if conn.execute(sa.update(declarations).where(declarations.c.number == number).values(**values)).rowcount == 0:
        conn.execute(sa.insert(declarations).values(number=number, **values))
    conn.execute(sa.delete(handling).where(handling.c.declaration_number == number))
    if handled:
        conn.execute(sa.insert(handling), [{"declaration_number": number, "kind": k, "code": c, "position": i}
                                           for i, (k, c) in enumerate(handled)])
    row = conn.execute(sa.select(declarations).where(declarations.c.number == number)).one()
    return describe(conn, [row])[0]
