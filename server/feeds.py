"""Change feeds that never skip a committed change (``docs/SERVER.md``, "Feeds").

Every row of a feed table carries the position of its last change, ``(change_tx,
change_seq)``, written by a database trigger on every insert and update, so no code path
can forget it:

* **SQLite** has one writer at a time (write transactions start with ``BEGIN IMMEDIATE``).
  The trigger takes ``change_seq`` from the one-row ``feed_clock`` table inside the writing
  transaction, and ``change_tx`` is 0. Commit order is clock order: a reader never meets a
  row with a smaller position than one it has already seen.
* **PostgreSQL** runs writers concurrently, so a sequence alone would commit out of order.
  The trigger writes ``change_tx = pg_current_xact_id()`` (the writing transaction's 64-bit
  id) and ``change_seq = nextval('feed_seq')``, and the feed orders by ``(change_tx,
  change_seq)`` and reads only rows whose ``change_tx`` is below the **safe horizon**
  ``pg_snapshot_xmin(pg_current_snapshot())``: the oldest transaction still running. Every
  transaction below it has ended, so its rows are final and visible; any transaction that
  writes later gets a larger id. A long transaction holds the feed back until it ends
  rather than letting it run past rows that are not committed yet.

A cursor is the position of the last row a client received. An update moves a row to a
new position, so a client sees the row's newest state once more after every change.
Cursors of the earlier ``(updated_at, key)`` format are accepted once, as "from the
start": the client merges idempotently, so it receives everything again, including
columns that were added since.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

import sqlalchemy as sa

from .errors import ApiError

FEED_TABLES = ("declarations", "submissions")
_BAD_CURSOR = "the cursor is not valid; start again without `since`"
_MAX = 2**63 - 1


# ---- triggers (used by the migrations) --------------------------------------------------

def install_sqlite_clock(conn: sa.Connection) -> None:
    conn.execute(sa.text("INSERT INTO feed_clock (id, value) SELECT 1, 0 "
                         "WHERE NOT EXISTS (SELECT 1 FROM feed_clock WHERE id = 1)"))


def install_triggers(conn: sa.Connection, table: str) -> None:
    """Create the triggers that stamp every insert and update of ``table``."""
    if conn.dialect.name == "sqlite":
        install_sqlite_clock(conn)
        stamp = (f"UPDATE feed_clock SET value = value + 1 WHERE id = 1; "
                 f"UPDATE {table} SET change_seq = (SELECT value FROM feed_clock WHERE id = 1) "
                 f"WHERE rowid = NEW.rowid;")
        # rows inserted with a position already taken from the clock (bulk ingest: one
        # clock update for the whole batch, under the same write lock) keep it
        conn.execute(sa.text(f"CREATE TRIGGER feed_{table}_insert AFTER INSERT ON {table} "
                             f"WHEN NEW.change_seq = 0 BEGIN {stamp} END"))
        # the insert trigger's own update changes change_seq, so it does not count twice
        conn.execute(sa.text(f"CREATE TRIGGER feed_{table}_update AFTER UPDATE ON {table} "
                             f"WHEN NEW.change_seq IS OLD.change_seq BEGIN {stamp} END"))
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("CREATE SEQUENCE IF NOT EXISTS feed_seq AS bigint"))
        conn.execute(sa.text(
            "CREATE OR REPLACE FUNCTION feed_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "NEW.change_tx := pg_current_xact_id()::text::bigint; "
            "NEW.change_seq := nextval('feed_seq'); RETURN NEW; END $$"))
        conn.execute(sa.text(f"CREATE TRIGGER feed_{table}_stamp BEFORE INSERT OR UPDATE ON {table} "
                             f"FOR EACH ROW EXECUTE FUNCTION feed_stamp()"))
    else:  # pragma: no cover
        raise RuntimeError(f"feeds are not supported on {conn.dialect.name}")


def take_positions(conn: sa.Connection, count: int) -> int:
    """SQLite: reserve ``count`` positions of the feed clock for rows this transaction is
    about to insert (the write lock is held: nobody else can take them); returns the first.
    One clock update for a whole batch instead of one per row."""
    last = conn.execute(sa.text("UPDATE feed_clock SET value = value + :n WHERE id = 1 RETURNING value"),
                        {"n": count}).scalar_one()
    return int(last) - count + 1


def drop_triggers(conn: sa.Connection, table: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS feed_{table}_insert"))
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS feed_{table}_update"))
    else:
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS feed_{table}_stamp ON {table}"))


def number_existing_rows(conn: sa.Connection, table: str, key: str, order: Sequence[str]) -> None:
    """Give the rows that exist before the triggers a position each, in ``order``
    (``key``: the table's primary key column)."""
    if conn.dialect.name == "sqlite":
        install_sqlite_clock(conn)
        start = conn.execute(sa.text("SELECT value FROM feed_clock WHERE id = 1")).scalar_one()
    else:
        conn.execute(sa.text("CREATE SEQUENCE IF NOT EXISTS feed_seq AS bigint"))
        start = conn.execute(sa.text("SELECT COALESCE(MAX(last_value), 0) FROM feed_seq")).scalar_one()
    cols = ", ".join(order)
    conn.execute(sa.text(
        f"UPDATE {table} SET change_tx = 0, change_seq = x.n + :start FROM "
        f"(SELECT {key} AS k, row_number() OVER (ORDER BY {cols}) AS n FROM {table}) AS x "
        f"WHERE {table}.{key} = x.k"), {"start": start})
    top = conn.execute(sa.text(f"SELECT COALESCE(MAX(change_seq), 0) FROM {table}")).scalar_one()
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("UPDATE feed_clock SET value = MAX(value, :v) WHERE id = 1"), {"v": top})
    elif top > 0:
        conn.execute(sa.text("SELECT setval('feed_seq', GREATEST(:v, (SELECT last_value FROM feed_seq)))"),
                     {"v": top})


# ---- cursors --------------------------------------------------------------------------

@dataclass(frozen=True)
class Position:
    tx: int
    seq: int

    def encode(self) -> str:
        raw = json.dumps({"v": 2, "tx": self.tx, "seq": self.seq}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


START = Position(0, 0)


def decode(cursor: str | None) -> Position:
    """The position after which a page starts. A cursor of the earlier ``(updated_at,
    key)`` format means the start (accepted once: the next page carries a new cursor)."""
    if not cursor:
        return START
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except Exception:  # noqa: BLE001 - any malformed cursor is the client's mistake
        raise ApiError(400, "bad_request", _BAD_CURSOR) from None
    if isinstance(raw, dict) and raw.get("v") == 2:
        tx, seq = raw.get("tx"), raw.get("seq")
        if (isinstance(tx, int) and isinstance(seq, int) and not isinstance(tx, bool) and not isinstance(seq, bool)
                and 0 <= tx <= _MAX and 0 <= seq <= _MAX):
            return Position(tx, seq)
    elif isinstance(raw, list) and len(raw) == 2 and _legacy_ok(*raw):
        return START  # the earlier format
    raise ApiError(400, "bad_request", _BAD_CURSOR)


def _legacy_ok(when: Any, key: Any) -> bool:
    """A well-formed cursor of the earlier format: an ISO time and a declaration number or
    a 32-bit submission sequence."""
    try:
        datetime.fromisoformat(when)
    except (TypeError, ValueError):
        return False
    if isinstance(key, str):
        return key.isdigit() and len(key) <= 12
    return isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 2**31 - 1


# ---- reading a feed -------------------------------------------------------------------

def horizon(conn: sa.Connection) -> int | None:
    """The first ``change_tx`` that may still belong to a running transaction (PostgreSQL),
    or None where every committed row is final (SQLite)."""
    if conn.dialect.name == "postgresql":
        return int(conn.execute(sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_one())
    return None


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str
    has_more: bool


def read_page(conn: sa.Connection, query: sa.Select, table: sa.Table, since: str | None, limit: int) -> Page:
    """Rows of ``query`` (which selects from ``table`` and may filter it) after the cursor
    ``since``, in feed order, at most ``limit``; the rows need ``change_tx`` and
    ``change_seq`` among their columns."""
    after = decode(since)
    tx, seq = table.c.change_tx, table.c.change_seq
    q = query.where(sa.tuple_(tx, seq) > sa.tuple_(sa.literal(after.tx, sa.BigInteger),
                                                   sa.literal(after.seq, sa.BigInteger)))
    limit_tx = horizon(conn)
    if limit_tx is not None:
        q = q.where(tx < limit_tx)
    rows = conn.execute(q.order_by(tx, seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = Position(rows[-1].change_tx, rows[-1].change_seq) if rows else after
    return Page(rows, last.encode(), more)
