"""The local declaration store: one SQLite file (WAL), Qt-free.

One :class:`DeclarationStore` = one connection, used by one thread; every thread that reads
or writes opens its own store on the same path (WAL lets readers run while a writer
commits). The list's query worker, the list model, the sync engine and plugins each have
their own.

Tables:

* ``declarations`` — one row per declaration; ``id`` is the row id the list model keeps in
  its ordered id array; ``number`` is unique.
* ``partners`` — distinct partner names with their accent-insensitive key, so that a
  partner search scans the partners, not a million declarations.
* ``handling`` — who handled a declaration (branch, team, stages, officials), as the
  server's feed sends it. A demo database made from :mod:`domain.demo` may instead derive
  the records from the number (``meta.handling = 'derived'``): stored records always win.
* ``marks`` — a free-form tag per (plugin, declaration), filterable and sortable in SQL.
"""
from __future__ import annotations

import logging
import math
import re
import sqlite3
import sys
import threading
from array import array
from datetime import datetime, timedelta, timezone
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from desktop.core import sqlite as core_sqlite
from domain.codes import CHANNELS, OFFICES, STATUSES, TYPE_CODES, direction_of_number
from domain.text import fold, nfc

from .query import DEFAULT_SORT, DeclarationFilter, Sort, count_sql, number_match, partner_like, select_ids_sql

__all__ = ["DeclarationStore", "StoreError", "QueryCancelled", "FeedProblem", "ROW_COLUMNS",
           "to_local_iso", "declaration_row"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: trigram index of the numbers (substring search)
VN_TZ = timezone(timedelta(hours=7))
_NUMBER_RE = re.compile(r"^\d{12}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partners (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    fold TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS declarations (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    first_number   TEXT,
    branch_index   INTEGER NOT NULL DEFAULT 0,
    branch_total   INTEGER NOT NULL DEFAULT 0,
    registered_at  TEXT NOT NULL,
    office_code    TEXT NOT NULL DEFAULT '',
    type_code      TEXT NOT NULL DEFAULT '',
    direction      TEXT NOT NULL DEFAULT '',
    partner_id     INTEGER REFERENCES partners(id),
    transport      TEXT NOT NULL DEFAULT '',
    bill_of_lading TEXT NOT NULL DEFAULT '',
    invoice_no     TEXT NOT NULL DEFAULT '',
    invoice_value  REAL,
    tax_total      INTEGER,
    status         TEXT NOT NULL,
    channel        INTEGER,
    cleared_at     TEXT,
    note           TEXT NOT NULL DEFAULT '',
    owner_tax_code TEXT NOT NULL DEFAULT '',
    updated_at     TEXT
);
CREATE TABLE IF NOT EXISTS handling (
    number TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    code   TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (number, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS marks (
    plugin_id  TEXT NOT NULL,
    number     TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plugin_id, number)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS marks_value ON marks (plugin_id, value);
"""

# Secondary indexes of declarations: dropped during a bulk load, created after it.
# (x, registered_at) pairs serve "filter by x, newest first" and "sort by x" without a sort step.
_INDEXES = {
    # covering: the default "newest first" order with the common filters evaluated in the
    # index (and the number for the mark probe), so first rows come without a sort
    "decl_registered": "declarations (registered_at, number, status, channel, direction, office_code, cleared_at, partner_id)",
    "decl_status": "declarations (status, registered_at)",
    "decl_channel": "declarations (channel, registered_at)",
    "decl_office": "declarations (office_code, registered_at)",
    "decl_type": "declarations (type_code, registered_at)",
    "decl_direction": "declarations (direction, registered_at)",
    "decl_partner": "declarations (partner_id, registered_at)",
    "decl_value": "declarations (invoice_value, registered_at)",
    "decl_cleared": "declarations (cleared_at, registered_at)",
}

# Substring search of declaration numbers ("088740" finds 101088740120): an FTS5 table with
# the trigram tokenizer (SQLite 3.34+) over the numbers, external content = declarations,
# kept in sync by triggers in the same transactions that write declarations.
_SEARCH_TABLE = ("CREATE VIRTUAL TABLE IF NOT EXISTS decl_search USING fts5("
                 "number, content='declarations', content_rowid='id', tokenize='trigram')")
_SEARCH_TRIGGERS = {
    "decl_search_ai": "AFTER INSERT ON declarations BEGIN "
                      "INSERT INTO decl_search (rowid, number) VALUES (new.id, new.number); END",
    "decl_search_ad": "AFTER DELETE ON declarations BEGIN "
                      "INSERT INTO decl_search (decl_search, rowid, number) VALUES ('delete', old.id, old.number); END",
    "decl_search_au": "AFTER UPDATE OF number ON declarations BEGIN "
                      "INSERT INTO decl_search (decl_search, rowid, number) VALUES ('delete', old.id, old.number); "
                      "INSERT INTO decl_search (rowid, number) VALUES (new.id, new.number); END",
}
# Every write to the declarations bumps ``meta.list_version`` (triggers, so writes of any
# program version count): an id array saved with a version is still the list's answer
# while the version is unchanged (see :class:`IdArrayCache`). No schema version is needed:
# the triggers are added when missing, and an older program keeps them firing.
_VERSION_BUMP = ("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'list_version'")
_VERSION_TRIGGERS = {
    "decl_version_ai": f"AFTER INSERT ON declarations BEGIN {_VERSION_BUMP}; END",
    "decl_version_ad": f"AFTER DELETE ON declarations BEGIN {_VERSION_BUMP}; END",
    "decl_version_au": f"AFTER UPDATE ON declarations BEGIN {_VERSION_BUMP}; END",
}
NUMBER_IDS_LIMIT = 5000  # more numbers than this match: the list query reads them itself

ROW_COLUMNS = ("number", "first_number", "branch_index", "branch_total", "registered_at", "office_code",
               "type_code", "direction", "partner", "transport", "bill_of_lading", "invoice_no",
               "invoice_value", "tax_total", "status", "channel", "cleared_at", "note",
               "owner_tax_code", "updated_at")
_SELECT_ROW = ("d.number, d.first_number, d.branch_index, d.branch_total, d.registered_at, d.office_code, "
               "d.type_code, d.direction, p.name, d.transport, d.bill_of_lading, d.invoice_no, "
               "d.invoice_value, d.tax_total, d.status, d.channel, d.cleared_at, d.note, "
               "d.owner_tax_code, d.updated_at")
_INSERT = ("INSERT INTO declarations (number, first_number, branch_index, branch_total, registered_at, "
           "office_code, type_code, direction, partner_id, transport, bill_of_lading, invoice_no, "
           "invoice_value, tax_total, status, channel, cleared_at, note, owner_tax_code, updated_at) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
_UPSERT = _INSERT + (
    " ON CONFLICT(number) DO UPDATE SET first_number=excluded.first_number, "
    "branch_index=excluded.branch_index, branch_total=excluded.branch_total, "
    "registered_at=excluded.registered_at, office_code=excluded.office_code, type_code=excluded.type_code, "
    "direction=excluded.direction, partner_id=excluded.partner_id, transport=excluded.transport, "
    "bill_of_lading=excluded.bill_of_lading, invoice_no=excluded.invoice_no, "
    "invoice_value=excluded.invoice_value, tax_total=excluded.tax_total, status=excluded.status, "
    "channel=excluded.channel, cleared_at=excluded.cleared_at, note=excluded.note, "
    "owner_tax_code=excluded.owner_tax_code, updated_at=excluded.updated_at")


def declaration_row(d: Any) -> tuple[Any, ...]:
    """A declaration (e.g. :class:`domain.demo.Declaration`) as a plain tuple that
    :meth:`DeclarationStore.insert_many` accepts; cheap to pickle, so another process can
    produce rows while this one writes them."""
    return (d.number, d.first_number, int(d.branch_index or 0), int(d.branch_total or 0),
            to_local_iso(d.registered_at), d.office_code, d.type_code, d.direction, d.partner,
            d.transport or "", d.bill_of_lading or "", d.invoice_no or "", d.invoice_value, d.tax_total,
            d.status, d.channel, to_local_iso(d.cleared_at), nfc(d.note or ""), d.owner_tax_code or "")


class StoreError(RuntimeError):
    """The store cannot be opened or read; the message is fit for the user."""


class QueryCancelled(Exception):
    """A query was interrupted because a newer one replaced it."""


class FeedProblem(ValueError):
    """One feed item cannot be merged (the others are)."""


def to_local_iso(value: Any) -> str | None:
    """A time as stored: local Vietnam time, ``YYYY-MM-DDTHH:MM:SS``.

    Accepts ``datetime`` (naive = already local) or ISO 8601 text with or without offset.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        value = datetime.fromisoformat(text)
    if not isinstance(value, datetime):
        raise ValueError(f"not a time: {value!r}")
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat(timespec="seconds")


def _now_iso() -> str:
    return datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0).isoformat(timespec="seconds")


class DeclarationStore:
    """The declaration store at ``path`` (created when missing)."""

    def __init__(self, path: Path | str, *, timeout: float = 5.0, create: bool = True, cache_mb: int = 16):
        self.path = Path(path)
        self._partner_ids: dict[str, int] = {}
        self._lock = threading.Lock()  # guards the cancel flag used by interrupt()
        self._cancelled = False
        self.feed_problems: list[tuple[str, str]] = []
        self._cache_pragma = -1000 * int(cache_mb)
        if not create and not self.path.exists():
            raise StoreError(f"the declaration store {self.path} does not exist")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = core_sqlite.connect(self.path, timeout=timeout, check_same_thread=True, pragmas={
                "foreign_keys": "OFF",
                "cache_size": self._cache_pragma,  # page cache of this connection
                "temp_store": "MEMORY",
            })
        except OSError as exc:
            raise StoreError(f"cannot open the declaration store {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the declaration store {self.path} cannot be read: {exc}") from exc
        try:
            self._create_schema()
            self._ensure_version_triggers()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"the declaration store {self.path} cannot be read: {exc}") from exc

    # ---- schema ------------------------------------------------------------------------------
    def _create_schema(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(f"the declaration store {self.path} was written by a newer version "
                             f"(schema {version}; this program knows {SCHEMA_VERSION})")
        with self._write():
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)
            self._create_indexes()
            # version 1 -> 2: the number search index, filled from the existing rows
            had_search = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'decl_search'").fetchone() is not None
            self.conn.execute(_SEARCH_TABLE)
            self._create_search_triggers()
            if not had_search:
                self.conn.execute("INSERT INTO decl_search (decl_search) VALUES ('rebuild')")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _ensure_version_triggers(self) -> None:
        have = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'decl_version_%'")}
        if have == set(_VERSION_TRIGGERS) and self.meta("list_store") is not None:
            return
        with self._write():
            self._create_version_triggers()

    def _create_version_triggers(self) -> None:
        import uuid

        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('list_store', ?)", (uuid.uuid4().hex,))
        self.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('list_version', '0')")
        for name, body in _VERSION_TRIGGERS.items():
            self.conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")

    def list_version(self) -> tuple[str, int, int]:
        """What the list's answers depend on: (store id, write count, largest id). Read it in
        the same transaction as the ids it describes."""
        store = self.meta("list_store") or ""
        version = int(self.meta("list_version") or 0)
        top = self.conn.execute("SELECT max(id) FROM declarations").fetchone()[0] or 0
        return store, version, int(top)

    def _create_search_triggers(self) -> None:
        for name, body in _SEARCH_TRIGGERS.items():
            self.conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")

    def _drop_search_triggers(self) -> None:
        for name in _SEARCH_TRIGGERS:
            self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")

    def _create_indexes(self) -> None:
        for name, target in _INDEXES.items():
            self.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    def _drop_indexes(self) -> None:
        for name in _INDEXES:
            self.conn.execute(f"DROP INDEX IF EXISTS {name}")

    def _write(self) -> core_sqlite.transaction:
        return core_sqlite.transaction(self.conn)

    def close(self) -> None:
        try:
            # Keep the planner's statistics current for stores that grow through feed
            # merges rather than a bulk load (which runs ANALYZE itself): cheap, sampled.
            self.conn.execute("PRAGMA analysis_limit=1000")
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # read-only or damaged database: statistics are only an optimisation
        try:
            self.conn.close()
        except sqlite3.Error:  # pragma: no cover - closing a broken connection
            pass

    def __enter__(self) -> "DeclarationStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- meta --------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._write():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # ---- partners ----------------------------------------------------------------------------
    def _partner_id(self, name: str | None) -> int | None:
        if not name:
            return None
        name = nfc(name).strip()
        if not name:
            return None
        pid = self._partner_ids.get(name)
        if pid is not None:
            return pid
        row = self.conn.execute("SELECT id FROM partners WHERE name = ?", (name,)).fetchone()
        if row is None:
            pid = self.conn.execute("INSERT INTO partners (name, fold) VALUES (?, ?)",
                                    (name, fold(name))).lastrowid
        else:
            pid = row[0]
        self._partner_ids[name] = pid
        return pid

    # ---- bulk load ---------------------------------------------------------------------------
    def _row_of(self, d: Any, updated_at: str) -> tuple[Any, ...]:
        if isinstance(d, tuple):  # already a declaration_row(): only the partner needs an id
            return (*d[:8], self._partner_id(d[8]), *d[9:19], updated_at)
        return (
            d.number, d.first_number, int(d.branch_index or 0), int(d.branch_total or 0),
            to_local_iso(d.registered_at), d.office_code, d.type_code, d.direction,
            self._partner_id(d.partner), d.transport or "", d.bill_of_lading or "", d.invoice_no or "",
            d.invoice_value, d.tax_total, d.status, d.channel, to_local_iso(d.cleared_at),
            nfc(d.note or ""), d.owner_tax_code or "", updated_at,
        )

    def insert_many(self, declarations: Iterable[Any], *, bulk: bool | None = None,
                    batch: int = 20_000, progress: Callable[[int], None] | None = None,
                    stage: Callable[[str], None] | None = None) -> int:
        """Insert (or replace by number) declarations such as :class:`domain.demo.Declaration`.

        ``bulk`` (default: when the store is empty) loads in one transaction with the
        secondary indexes dropped and rebuilt afterwards, which is several times faster for
        large loads. ``progress(n)`` is called after each batch, ``stage(name)`` before the
        index build ("indexes") and the statistics ("statistics"). Returns the number of rows.
        """
        if bulk is None:
            bulk = self.count() == 0
        now = _now_iso()
        total = 0
        it = iter(declarations)
        conn = self.conn
        if bulk:
            # One big transaction into an empty store: a rollback journal in memory (pages are
            # written once, not to the WAL and again at checkpoint), a large page cache and
            # helper threads for the index sorts. Everything is restored afterwards.
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -400000")
            conn.execute("PRAGMA threads = 2")
        try:
            with self._write():
                if bulk:
                    self._drop_indexes()
                    self._drop_search_triggers()  # the search index is rebuilt in one pass
                    for name in _VERSION_TRIGGERS:  # one bump for the whole load, not one per row
                        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                sql = _INSERT if bulk else _UPSERT
                while True:
                    chunk = [self._row_of(d, now) for d in islice(it, batch)]
                    if not chunk:
                        break
                    if bulk:
                        try:
                            conn.executemany(sql, chunk)
                        except sqlite3.IntegrityError:
                            conn.executemany(_UPSERT, chunk)  # repeated numbers: last one wins
                    else:
                        conn.executemany(sql, chunk)
                    total += len(chunk)
                    if progress is not None:
                        progress(total)
                if bulk:
                    if stage is not None:
                        stage("indexes")
                    self._create_indexes()
                    conn.execute("INSERT INTO decl_search (decl_search) VALUES ('rebuild')")
                    self._create_search_triggers()
                    self._create_version_triggers()
                    conn.execute(_VERSION_BUMP)
        except BaseException:
            self._partner_ids.clear()  # ids of rolled-back partners are gone
            raise
        finally:
            if bulk:
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(f"PRAGMA cache_size = {self._cache_pragma}")
                conn.execute("PRAGMA threads = 0")
                conn.execute("PRAGMA journal_mode = WAL")
        if bulk:
            if stage is not None:
                stage("statistics")
            # full statistics: with sampled ones SQLite picks poor plans for the list queries
            conn.execute("ANALYZE")
        return total

    def set_handling_source(self, source: str) -> None:
        """``"derived"``: declarations without stored handling records get the ones
        :func:`domain.demo.handling_for` derives from their number (demo databases)."""
        if source not in ("stored", "derived"):
            raise ValueError(source)
        self.set_meta("handling", source)

    # ---- reads -------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM declarations").fetchone()[0])

    def is_empty(self) -> bool:
        """True when the store holds no declaration (answered at once, whatever its size)."""
        return self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM declarations)").fetchone()[0] == 1

    def partner_ids(self, search: str) -> list[int] | None:
        """Ids of the partners a free search matches (None when the search has no text)."""
        pattern = partner_like(search)
        if pattern is None:
            return None
        return [r[0] for r in self.conn.execute("SELECT id FROM partners WHERE fold LIKE ? ESCAPE '\\'", (pattern,))]

    def number_ids(self, search: str) -> list[int] | None:
        """Ids of the declarations whose number contains the digits of a free search, when
        the search is a number substring (3 to 11 digits) matching at most
        :data:`NUMBER_IDS_LIMIT` declarations; otherwise None (the list query then uses the
        number range or reads the search index itself)."""
        match = number_match(search)
        if match is None:
            return None
        ids = [r[0] for r in self._run("SELECT rowid FROM decl_search WHERE decl_search MATCH ? LIMIT ?",
                                       (match, NUMBER_IDS_LIMIT + 1))]
        return ids if len(ids) <= NUMBER_IDS_LIMIT else None

    def _where_args(self, flt: DeclarationFilter) -> tuple[list[int] | None, list[int] | None]:
        return self.partner_ids(flt.search), self.number_ids(flt.search)

    def count_where(self, flt: DeclarationFilter) -> int:
        sql, params = count_sql(flt, *self._where_args(flt))
        return int(self._run(sql, params).fetchone()[0])

    def get(self, number: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            f"SELECT {_SELECT_ROW} FROM declarations d LEFT JOIN partners p ON p.id = d.partner_id "
            "WHERE d.number = ?", (number,)).fetchone()
        return dict(zip(ROW_COLUMNS, row)) if row else None

    def ids_for_numbers(self, numbers: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        numbers = list(numbers)
        for i in range(0, len(numbers), 500):
            part = numbers[i:i + 500]
            for number, rid in self.conn.execute(
                    f"SELECT number, id FROM declarations WHERE number IN ({','.join('?' * len(part))})", part):
                out[number] = rid
        return out

    def rows_by_ids(self, ids: Sequence[int], mark_plugins: Sequence[str] = ()) -> dict[int, dict[str, Any]]:
        """Rows for ``ids`` (one query), each with ``marks: {plugin_id: value}`` for the
        plugins asked for (joined in SQL: a plugin column costs no extra query)."""
        if not ids:
            return {}
        joins, cols, params = [], [], []
        for k, plugin in enumerate(mark_plugins):
            joins.append(f"LEFT JOIN marks m{k} ON m{k}.plugin_id = ? AND m{k}.number = d.number")
            cols.append(f", m{k}.value")
            params.append(plugin)
        out: dict[int, dict[str, Any]] = {}
        n_base = len(ROW_COLUMNS)
        for start in range(0, len(ids), 900):
            part = list(ids[start:start + 900])
            sql = (f"SELECT d.id, {_SELECT_ROW}{''.join(cols)} FROM declarations d "
                   f"LEFT JOIN partners p ON p.id = d.partner_id {' '.join(joins)} "
                   f"WHERE d.id IN ({','.join('?' * len(part))})")
            for row in self.conn.execute(sql, params + part):
                rec = dict(zip(ROW_COLUMNS, row[1:1 + n_base]))
                rec["id"] = row[0]
                rec["marks"] = {p: v for p, v in zip(mark_plugins, row[1 + n_base:]) if v is not None}
                out[row[0]] = rec
        return out

    # ---- the list's query (run on a worker thread, cancellable) ---------------------------------
    def _run(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        with self._lock:
            self._cancelled = False
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc) and self._cancelled:
                raise QueryCancelled() from exc
            raise

    def select_ids(self, flt: DeclarationFilter, sort: Sort = DEFAULT_SORT, *, limit: int | None = None) -> array:
        """The ordered ids of the declarations matching ``flt`` (an ``array``), the first
        ``limit`` of them when given.

        The whole result is read packed: SQLite concatenates fixed-width hexadecimal ids
        into one string inside a single step (during which Python's GIL is released), and
        Python turns it into an array with two C calls. Reading a million rows one tuple at
        a time would instead hold the GIL for most of the query and make the UI thread wait
        for it on every paint. Another thread may call :meth:`interrupt` to stop it: it
        raises :class:`QueryCancelled`.
        """
        with self._lock:
            self._cancelled = False
        try:
            sql, params = select_ids_sql(flt, sort, *self._where_args(flt))
            if limit is not None:
                return array("q", chain.from_iterable(self.conn.execute(sql + " LIMIT ?", [*params, int(limit)])))
            top = self.conn.execute("SELECT max(id) FROM declarations").fetchone()[0] or 0
            typecode, width = ("I", 8) if top < 2**32 and array("I").itemsize == 4 else ("q", 16)
            packed = self.conn.execute(
                f"SELECT group_concat(printf('%0{width}x', id), '') FROM ({sql})", params).fetchone()[0]
            ids = array(typecode)
            if packed:
                ids.frombytes(bytes.fromhex(packed))
                if sys.byteorder == "little":
                    ids.byteswap()  # printf wrote big-endian digits
            return ids
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc) and self._cancelled:
                raise QueryCancelled() from exc
            raise

    def interrupt(self) -> None:
        """Stop the query running on this store's connection (callable from any thread)."""
        with self._lock:
            self._cancelled = True
        try:
            self.conn.interrupt()
        except sqlite3.ProgrammingError:  # closed meanwhile
            pass

    def explain(self, flt: DeclarationFilter, sort: Sort = DEFAULT_SORT) -> list[str]:
        """SQLite's query plan of the list query (documentation and tests)."""
        sql, params = select_ids_sql(flt, sort, *self._where_args(flt))
        return [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]

    # ---- handling records --------------------------------------------------------------------
    def handling(self, number: str) -> list[dict[str, str]]:
        rows = self.conn.execute("SELECT kind, code, name FROM handling WHERE number = ? ORDER BY seq",
                                 (number,)).fetchall()
        if rows:
            return [{"kind": k, "code": c, "name": n} for k, c, n in rows]
        if self.meta("handling") == "derived":
            decl = self.conn.execute("SELECT office_code, channel, status FROM declarations WHERE number = ?",
                                     (number,)).fetchone()
            if decl is not None and decl[0] in OFFICES:
                from domain.demo import handling_for

                return [{"kind": t.kind, "code": t.code, "name": t.name}
                        for t in handling_for(number, decl[0], decl[1], decl[2])]
        return []

    @staticmethod
    def _clean_handling(records: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
        out = []
        for r in records:
            kind, code, name = r.get("kind"), r.get("code"), r.get("name")
            if not isinstance(kind, str) or not isinstance(code, str) or not code:
                raise FeedProblem(f"bad handling record {dict(r)!r}")
            out.append((kind, code, nfc(str(name or ""))))
        return out

    def _replace_handling(self, number: str, records: list[tuple[str, str, str]]) -> bool:
        old = self.conn.execute("SELECT kind, code, name FROM handling WHERE number = ? ORDER BY seq",
                                (number,)).fetchall()
        if [tuple(r) for r in old] == records:
            return False
        self.conn.execute("DELETE FROM handling WHERE number = ?", (number,))
        self.conn.executemany("INSERT INTO handling (number, seq, kind, code, name) VALUES (?,?,?,?,?)",
                              [(number, i, *r) for i, r in enumerate(records)])
        return True

    def set_handling(self, number: str, records: Iterable[Mapping[str, Any]]) -> None:
        clean = self._clean_handling(records)
        with self._write():
            self._replace_handling(number, clean)

    def insert_handling_many(self, items: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]) -> None:
        """Store handling records of many declarations in one transaction (demo loads)."""
        with self._write():
            for number, records in items:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO handling (number, seq, kind, code, name) VALUES (?,?,?,?,?)",
                    [(number, i, *r) for i, r in enumerate(self._clean_handling(records))])

    # ---- the declarations feed -----------------------------------------------------------------
    def upsert_from_feed(self, items: list[Mapping[str, Any]]) -> list[str]:
        """Merge feed items (docs/API.md "Declarations feed"); return the changed numbers.

        Known numbers get their status, channel, cleared_at (and office, type, registration
        time when sent) updated; unknown ones are inserted; ``handling`` replaces the stored
        records. An item that cannot be understood is skipped and listed in
        :attr:`feed_problems` as ``(number, reason)``: it never blocks the others.
        """
        self.feed_problems = []
        changed: list[str] = []
        with self._write():
            for item in items:
                number = str(item.get("number", "")) if isinstance(item, Mapping) else ""
                try:
                    if self._merge_item(item):
                        changed.append(number)
                except (FeedProblem, ValueError, TypeError) as exc:
                    self.feed_problems.append((number, str(exc)))
                    log.warning("declarations feed: item %s skipped: %s", number or "?", exc)
        return changed

    def _merge_item(self, item: Mapping[str, Any]) -> bool:
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
        updated_at = to_local_iso(item.get("updated_at")) or _now_iso()
        # the list's other columns: kept as they are when the feed does not send them
        partner = item.get("partner")
        if partner is not None and not isinstance(partner, str):
            raise FeedProblem(f"bad partner {partner!r}")
        value = item.get("total_value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value) or value < 0):
            raise FeedProblem(f"bad total value {value!r}")
        partner_id = self._partner_id(partner) if partner else None
        handling = item.get("handling")
        clean_handling = self._clean_handling(handling) if isinstance(handling, list) else None
        if handling is not None and not isinstance(handling, list):
            raise FeedProblem("handling is not a list")

        row = self.conn.execute(
            "SELECT status, channel, cleared_at, office_code, type_code, registered_at, partner_id, invoice_value "
            "FROM declarations WHERE number = ?", (number,)).fetchone()
        changed = False
        if row is None:
            if registered_at is None:
                raise FeedProblem("a new declaration needs registered_at")
            direction = direction_of_number(number)
            if type_code in TYPE_CODES:
                direction = TYPE_CODES[type_code][0]
            self.conn.execute(
                "INSERT INTO declarations (number, registered_at, office_code, type_code, direction, status, "
                "channel, cleared_at, partner_id, invoice_value, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (number, registered_at, office or "", type_code or "", direction or "", status, channel,
                 cleared_at, partner_id, value, updated_at))
            changed = True
        else:
            new = (status, channel, cleared_at, office or row[3], type_code or row[4], registered_at or row[5],
                   partner_id if partner_id is not None else row[6], value if value is not None else row[7])
            if tuple(row) != new:
                self.conn.execute(
                    "UPDATE declarations SET status = ?, channel = ?, cleared_at = ?, office_code = ?, "
                    "type_code = ?, registered_at = ?, partner_id = ?, invoice_value = ?, updated_at = ? "
                    "WHERE number = ?", (*new, updated_at, number))
                changed = True
        if clean_handling is not None and self._replace_handling(number, clean_handling):
            changed = True
        return changed

    # ---- marks of plugins ----------------------------------------------------------------------
    def set_mark(self, plugin_id: str, number: str, value: str | None) -> None:
        self.set_marks(plugin_id, {number: value})

    def set_marks(self, plugin_id: str, marks: Mapping[str, str | None]) -> None:
        """Set (``None``: clear) one plugin's marks on several declarations in one transaction."""
        if not plugin_id:
            raise ValueError("plugin id is empty")
        with self._write():
            for number, value in marks.items():
                if value is None:
                    self.conn.execute("DELETE FROM marks WHERE plugin_id = ? AND number = ?", (plugin_id, number))
                else:
                    self.conn.execute(
                        "INSERT INTO marks (plugin_id, number, value, updated_at) VALUES (?,?,?,?) "
                        "ON CONFLICT(plugin_id, number) DO UPDATE SET value = excluded.value, "
                        "updated_at = excluded.updated_at", (plugin_id, number, str(value), _now_iso()))

    def marks(self, plugin_id: str, numbers: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        numbers = list(numbers)
        for i in range(0, len(numbers), 500):
            part = numbers[i:i + 500]
            out.update(self.conn.execute(
                f"SELECT number, value FROM marks WHERE plugin_id = ? AND number IN ({','.join('?' * len(part))})",
                [plugin_id, *part]).fetchall())
        return out

    # ---- misc -----------------------------------------------------------------------------------
    def numbers(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT number FROM declarations")]
