"""Pages of the server's declarations feed merged into the store (docs/API.md "Declarations
feed"): declarations inserted or updated by number, and their handling records (who handled
them) replaced. An item that cannot be understood is skipped and reported; it never blocks
the others."""
from __future__ import annotations

import logging
import math
import re
import sqlite3
from typing import Any, Iterable, Mapping, NamedTuple

from desktop.core import sqlite as core_sqlite
from domain.codes import CHANNELS, STATUSES, TYPE_CODES, direction_of_number
from domain.text import nfc

from .partners import Partners
from .rows import vn_now_text, to_local_iso

log = logging.getLogger(__name__)

_NUMBER_RE = re.compile(r"^\d{12}$")


class FeedProblem(ValueError):
    """One feed item cannot be merged (the others are)."""


class _FeedItem(NamedTuple):
    """The declaration columns a feed item sets (None: not sent, the stored value stays)."""

    number: str
    status: str
    channel: int | None
    cleared_at: str | None
    registered_at: str | None
    office: str | None
    type_code: str | None
    updated_at: str
    partner: str | None
    value: float | None


def merge_feed(conn: sqlite3.Connection, partners: Partners, items: list[Mapping[str, Any]],
               problems: list[tuple[str, str]]) -> list[str]:
    """Merge feed items in one transaction; return the changed numbers. Skipped items are
    appended to ``problems`` as ``(number, reason)``."""
    changed: list[str] = []
    with core_sqlite.transaction(conn):
        for item in items:
            number = str(item.get("number", "")) if isinstance(item, Mapping) else ""
            try:
                if _merge_item(conn, partners, item):
                    changed.append(number)
            except (FeedProblem, ValueError, TypeError) as exc:
                problems.append((number, str(exc)))
                log.warning("declarations feed: item %s skipped: %s", number or "?", exc)
    return changed


def _merge_item(conn: sqlite3.Connection, partners: Partners, item: Mapping[str, Any]) -> bool:
    it = _read_item(item)
    partner_id = partners.id_of(it.partner) if it.partner else None
    handling = item.get("handling")
    clean_records = clean_handling(handling) if isinstance(handling, list) else None
    if handling is not None and not isinstance(handling, list):
        raise FeedProblem("handling is not a list")
    changed = _write_declaration(conn, it, partner_id)
    if clean_records is not None and replace_handling(conn, it.number, clean_records):
        changed = True
    return changed


def _read_item(item: Mapping[str, Any]) -> _FeedItem:
    """The declaration columns of a feed item, checked (:class:`FeedProblem` when one is wrong)."""
    if not isinstance(item, Mapping):
        raise FeedProblem("item is not an object")
    number = item.get("number")
    if not isinstance(number, str) or not _NUMBER_RE.match(number):
        raise FeedProblem(f"bad declaration number {number!r}")
    status = item.get("status")
    if status not in STATUSES:
        raise FeedProblem(f"unknown status {status!r}")
    channel = item.get("channel")
    if channel is not None and (isinstance(channel, bool) or channel not in CHANNELS):
        raise FeedProblem(f"unknown channel {channel!r}")
    cleared_at = to_local_iso(item.get("cleared_at"))
    registered_at = to_local_iso(item.get("registered_at")) if item.get("registered_at") else None
    office = item.get("office_code") or None
    type_code = item.get("type_code") or None
    if type_code is not None and type_code not in TYPE_CODES:
        log.info("declarations feed: %s has an unknown type code %r", number, type_code)
    updated_at = to_local_iso(item.get("updated_at")) or vn_now_text()
    # the list's other columns: kept as they are when the feed does not send them
    partner = item.get("partner")
    if partner is not None and not isinstance(partner, str):
        raise FeedProblem(f"bad partner {partner!r}")
    value = item.get("total_value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                              or not math.isfinite(value) or value < 0):
        raise FeedProblem(f"bad total value {value!r}")
    return _FeedItem(number, status, channel, cleared_at, registered_at, office, type_code, updated_at,
                     partner, value)


def _write_declaration(conn: sqlite3.Connection, it: _FeedItem, partner_id: int | None) -> bool:
    """Insert a new declaration or update a known one; True when a row changed."""
    row = conn.execute(
        "SELECT status, channel, cleared_at, office_code, type_code, registered_at, partner_id, invoice_value "
        "FROM declarations WHERE number = ?", (it.number,)).fetchone()
    if row is None:
        if it.registered_at is None:
            raise FeedProblem("a new declaration needs registered_at")
        direction = direction_of_number(it.number)
        if it.type_code in TYPE_CODES:
            direction = TYPE_CODES[it.type_code][0]
        conn.execute(
            "INSERT INTO declarations (number, registered_at, office_code, type_code, direction, status, "
            "channel, cleared_at, partner_id, invoice_value, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (it.number, it.registered_at, it.office or "", it.type_code or "", direction or "", it.status,
             it.channel, it.cleared_at, partner_id, it.value, it.updated_at))
        return True
    new = (it.status, it.channel, it.cleared_at, it.office or row[3], it.type_code or row[4],
           it.registered_at or row[5], partner_id if partner_id is not None else row[6],
           it.value if it.value is not None else row[7])
    if tuple(row) == new:
        return False
    conn.execute(
        "UPDATE declarations SET status = ?, channel = ?, cleared_at = ?, office_code = ?, "
        "type_code = ?, registered_at = ?, partner_id = ?, invoice_value = ?, updated_at = ? "
        "WHERE number = ?", (*new, it.updated_at, it.number))
    return True


# ---- handling records ---------------------------------------------------------------------------

def clean_handling(records: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """Handling records as stored ``(kind, code, name)``; :class:`FeedProblem` for a bad one."""
    out = []
    for r in records:
        kind, code, name = r.get("kind"), r.get("code"), r.get("name")
        if not isinstance(kind, str) or not isinstance(code, str) or not code:
            raise FeedProblem(f"bad handling record {dict(r)!r}")
        out.append((kind, code, nfc(str(name or ""))))
    return out


def replace_handling(conn: sqlite3.Connection, number: str, records: list[tuple[str, str, str]]) -> bool:
    """Store a declaration's records in place of the old ones; False when they were the same."""
    old = conn.execute("SELECT kind, code, name FROM handling WHERE number = ? ORDER BY seq",
                       (number,)).fetchall()
    if [tuple(r) for r in old] == records:
        return False
    conn.execute("DELETE FROM handling WHERE number = ?", (number,))
    conn.executemany("INSERT INTO handling (number, seq, kind, code, name) VALUES (?,?,?,?,?)",
                     [(number, i, *r) for i, r in enumerate(records)])
    return True


def insert_handling_many(conn: sqlite3.Connection, items: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]) -> None:
    """Store handling records of many declarations in one transaction (demo loads)."""
    with core_sqlite.transaction(conn):
        for number, records in items:
            conn.executemany(
                "INSERT OR REPLACE INTO handling (number, seq, kind, code, name) VALUES (?,?,?,?,?)",
                [(number, i, *r) for i, r in enumerate(clean_handling(records))])
