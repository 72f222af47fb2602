"""Local cache of what the server says: the catalog (with its ETag), the declarations feed
cursor and the submissions-status cursor, so the user can rate with the network down, and
the enterprise's submissions that other workstations sent (``remote`` table): the server is
the source of truth for them, and every workstation of the enterprise shows them.

A small SQLite key/value file in the data dir (WAL; one connection per thread). Cursors are
kept per signed-in user. Qt-free: the sync worker calls the ``refresh``/``pull``/``poll``
methods off the UI thread; the UI only reads :meth:`SyncCache.catalog`.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

from desktop.core import sqlite as core_sqlite
from desktop.core.apitypes import RequestRejected

from .outboxstore.views import case_from_json, case_json

log = logging.getLogger(__name__)

MAX_PAGES = 200  # per pull: the rest comes on the next one
_REMOTE_DDL = """CREATE TABLE IF NOT EXISTS remote (
    account TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    declaration_number TEXT,
    payload TEXT NOT NULL,
    server_ref TEXT,
    received_at TEXT,
    server_state TEXT,
    verified INTEGER,
    outcome TEXT,
    answer TEXT,
    answered_at TEXT,
    server_case TEXT,
    PRIMARY KEY (account, id)
)"""
_REMOTE_FIELDS = ("kind", "declaration_number", "payload", "server_ref", "received_at", "server_state", "verified",
                  "outcome", "answer", "answered_at", "server_case")
# a contact person's phone and name are not needed to show what another workstation sent
_PRIVATE_KEYS = ("contact", "phone", "name")


# what customs asks the enterprise for (``GET /api/v1/business-info/requests``), per account
_INFO_REQUESTS_DDL = """CREATE TABLE IF NOT EXISTS info_requests (
    account TEXT NOT NULL,
    id TEXT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (account, id)
)"""
INFO_REQUESTS_PATH = "/api/v1/business-info/requests"


class SyncCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._pool = core_sqlite.ConnectionPool(
            lambda: core_sqlite.connect(self.path, timeout=10, synchronous="NORMAL"))
        self._catalog: dict[str, Any] | None = None
        self._catalog_loaded = False
        try:
            self._init()
        except sqlite3.DatabaseError as exc:
            # a cache can always be rebuilt from the server: move the damaged file aside
            self.close()
            aside = core_sqlite.move_aside(self.path)
            log.error("the sync cache %s is damaged (%s); moved to %s", self.path, exc, aside)
            self._init()

    def _init(self) -> None:
        conn = self.conn
        conn.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(_REMOTE_DDL)
        conn.execute(_INFO_REQUESTS_DDL)
        if "server_case" not in {r[1] for r in conn.execute("PRAGMA table_info(remote)")}:
            conn.execute("ALTER TABLE remote ADD COLUMN server_case TEXT")
        row = conn.execute("PRAGMA quick_check").fetchone()
        if row[0] != "ok":
            raise sqlite3.DatabaseError(str(row[0]))

    @property
    def conn(self) -> sqlite3.Connection:
        return self._pool.get()

    def close(self) -> None:
        self._pool.close()

    def get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def put(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM kv WHERE key=?", (key,))
        else:
            self.conn.execute("INSERT INTO kv(key, value) VALUES(?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    # -- catalog -------------------------------------------------------------------------
    def catalog(self) -> dict[str, Any] | None:
        """The last catalog the server sent (None before the first successful sync)."""
        with self._lock:
            if self._catalog_loaded:
                return self._catalog
        raw = self.get("catalog")
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            value = None
        with self._lock:
            self._catalog, self._catalog_loaded = value, True
        return value

    def save_catalog(self, catalog: dict[str, Any], etag: str | None) -> None:
        with core_sqlite.transaction(self.conn):
            self.put("catalog", json.dumps(catalog, ensure_ascii=False))
            self.put("catalog_etag", etag)
        with self._lock:
            self._catalog, self._catalog_loaded = catalog, True

    def refresh_catalog(self, api) -> bool:
        """Ask the server for the catalog (If-None-Match); True when it changed."""
        etag = self.get("catalog_etag") if self.catalog() is not None else None
        result = api.catalog(etag)
        if result.not_modified:
            return False
        assert result.catalog is not None
        self.save_catalog(result.catalog, result.etag)
        return True

    # -- cursors ---------------------------------------------------------------------------
    def cursor(self, name: str, user: str) -> str | None:
        return self.get(f"cursor:{name}:{user}")

    def set_cursor(self, name: str, user: str, value: str | None) -> None:
        self.put(f"cursor:{name}:{user}", value)

    def pull_declarations(self, api, user: str, merge: Callable[[list[dict[str, Any]]], list[str]]) -> list[str]:
        """Merge the declarations feed into the local list; return the changed numbers.

        The cursor is saved only after a page is merged, so a crash in between merges the
        page again (the merge is idempotent) and loses nothing.
        """
        changed: list[str] = []
        for items in self._pages("declarations", user, api.declarations, lambda page: page["items"]):
            if items:
                changed.extend(merge(items))
        return changed

    def poll_submissions(self, api, user: str, outbox) -> list[str]:
        """Merge the server's processing state and answers into the outbox items, and keep
        the enterprise's submissions that this workstation did not send (``remote``).
        Returns the ids that changed, of both."""
        changed: list[str] = []
        for items in self._pages("submissions", user, api.submissions, _items_with_ids):
            changed.extend(outbox.update_server_status(items))
            if items:
                local = set(outbox.states([i["id"] for i in items]))
                changed.extend(self._merge_remote(user, [i for i in items if i["id"] not in local]))
        return changed

    def _pages(self, name: str, user: str, fetch: Callable[[str | None], dict[str, Any]],
               items_of: Callable[[dict[str, Any]], list[Any]]) -> Iterator[list[dict[str, Any]]]:
        """The items of each page of a cursor-paged feed, from where the last pull stopped (at
        most ``MAX_PAGES``). The cursor moves on once the caller has handled a page; an error
        while handling it leaves the cursor where it was."""
        for _ in range(MAX_PAGES):
            page = fetch(self.cursor(name, user))
            items = [i for i in items_of(page) if isinstance(i, dict)]
            yield items
            nxt = page.get("next_cursor")
            if isinstance(nxt, str) and nxt:
                self.set_cursor(name, user, nxt)
            if not page.get("has_more") or not items:
                break

    def poll_info_requests(self, api, user: str) -> list[str]:
        """Merge customs' requests for enterprise information (their feed never skips a
        change: ``server/feeds.py``); return the ids that are new or changed. A server
        without the feed (404) leaves the cache as it is."""
        changed: list[str] = []
        for _ in range(MAX_PAGES):
            since = self.cursor("info_requests", user)
            try:
                resp = api._request("GET", INFO_REQUESTS_PATH, params={"since": since} if since else {})
            except RequestRejected as exc:
                if exc.status != 400 or not since:
                    raise
                # the server no longer knows the cursor (a restored database): start again;
                # the merge is idempotent
                self.set_cursor("info_requests", user, None)
                continue
            page = api._json_object(resp, "items")
            items = _items_with_ids(page)
            with core_sqlite.transaction(self.conn) as conn:
                for it in items:
                    text = json.dumps(it, ensure_ascii=False, sort_keys=True)
                    old = conn.execute("SELECT item FROM info_requests WHERE account=? AND id=?",
                                       (user, it["id"][:64])).fetchone()
                    if old is None or old[0] != text:
                        conn.execute("INSERT OR REPLACE INTO info_requests (account, id, item) VALUES (?, ?, ?)",
                                     (user, it["id"][:64], text))
                        changed.append(it["id"])
                nxt = page.get("next_cursor")
                if isinstance(nxt, str) and nxt:
                    self.set_cursor("info_requests", user, nxt)
            if not page.get("has_more") or not items:
                break
        return changed

    def info_requests(self, user: str) -> list[dict[str, Any]]:
        """Customs' requests for the enterprise's information, as last fetched."""
        out = []
        for (text,) in self.conn.execute("SELECT item FROM info_requests WHERE account=?", (user,)):
            try:
                item = json.loads(text)
            except ValueError:
                continue
            if isinstance(item, dict):
                out.append(item)
        return out

    # -- what other workstations of the enterprise sent ------------------------------------
    def _merge_remote(self, user: str, items: list[dict[str, Any]]) -> list[str]:
        changed: list[str] = []
        with core_sqlite.transaction(self.conn) as conn:
            for it in items:
                row = _remote_row(it)
                if row is None:
                    log.warning("submissions feed: item %s skipped (not understood)", it.get("id"))
                    continue
                old = conn.execute(f"SELECT {', '.join(_REMOTE_FIELDS)} FROM remote WHERE account=? AND id=?",
                                   (user, it["id"])).fetchone()
                if old is not None and tuple(old) == row:
                    continue
                conn.execute(f"INSERT OR REPLACE INTO remote (account, id, {', '.join(_REMOTE_FIELDS)}) "
                             f"VALUES (?, ?, {', '.join('?' * len(_REMOTE_FIELDS))})", (user, it["id"], *row))
                changed.append(it["id"])
        return changed

    def remote_states(self, user: str, ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
        """The enterprise's submissions sent from other workstations (all, or these ids), in
        the shape of the outbox's public states, with ``origin`` "remote" and the payload."""
        sql = f"SELECT id, {', '.join(_REMOTE_FIELDS)} FROM remote WHERE account=?"
        args: list[Any] = [user]
        if ids is not None:
            sql += " AND id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(ids)))
        out: dict[str, dict[str, Any]] = {}
        for row in self.conn.execute(sql, args):
            d = dict(zip(("id", *_REMOTE_FIELDS), row))
            try:
                payload = json.loads(d["payload"])
            except ValueError:
                payload = {}
            out[d["id"]] = {
                "id": d["id"], "kind": d["kind"], "origin": "remote", "state": "sent", "payload": payload,
                "declaration_number": d["declaration_number"], "server_ref": d["server_ref"],
                "received_at": d["received_at"], "server_status": d["server_state"],
                "verified": None if d["verified"] is None else bool(d["verified"]),
                "outcome": d["outcome"], "answer": d["answer"], "answered_at": d["answered_at"],
                "case": case_from_json(d["server_case"]), "code": None, "message": None,
            }
        return out


def _items_with_ids(page: dict[str, Any]) -> list[Any]:
    return [i for i in page.get("items") or [] if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _remote_row(it: dict[str, Any]) -> tuple[Any, ...] | None:
    kind, payload = it.get("kind"), it.get("payload")
    if not isinstance(kind, str) or not isinstance(payload, dict):
        return None
    public = payload
    if kind in ("assessment", "reflection"):
        public = {k: v for k, v in payload.items() if k not in _PRIVATE_KEYS}
    number = it.get("declaration_number")
    verified = it.get("verified")

    def text(key: str, limit: int) -> str | None:
        value = it.get(key)
        return None if value is None else str(value)[:limit]

    return (kind[:40], number if isinstance(number, str) else None, json.dumps(public, ensure_ascii=False),
            text("server_ref", 80), text("received_at", 64), text("state", 40),
            None if verified is None else int(bool(verified)), text("outcome", 500), text("answer", 10000),
            text("answered_at", 64), case_json(it.get("case")))
