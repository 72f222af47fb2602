"""Local cache of what the server says: the catalog (with its ETag), the declarations feed
cursor and the submissions-status cursor, so the user can rate with the network down.

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
from typing import Any, Callable

log = logging.getLogger(__name__)

MAX_PAGES = 200  # per pull: the rest comes on the next one


class SyncCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._conns: list[sqlite3.Connection] = []
        self._catalog: dict[str, Any] | None = None
        self._catalog_loaded = False
        try:
            self._init()
        except sqlite3.DatabaseError as exc:
            # a cache can always be rebuilt from the server: move the damaged file aside
            aside = self.path.with_name(self.path.name + ".damaged")
            log.error("the sync cache %s is damaged (%s); moved to %s", self.path, exc, aside)
            self.close()
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    src.replace(Path(str(aside) + suffix))
            self._init()

    def _init(self) -> None:
        conn = self.conn
        conn.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = conn.execute("PRAGMA quick_check").fetchone()
        if row[0] != "ok":
            raise sqlite3.DatabaseError(str(row[0]))

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._conns = self._conns, []
        for c in conns:
            try:
                c.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

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
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self.put("catalog", json.dumps(catalog, ensure_ascii=False))
            self.put("catalog_etag", etag)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
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
        for _ in range(MAX_PAGES):
            page = api.declarations(self.cursor("declarations", user))
            items = [i for i in page["items"] if isinstance(i, dict)]
            if items:
                changed.extend(merge(items))
            nxt = page.get("next_cursor")
            if isinstance(nxt, str) and nxt:
                self.set_cursor("declarations", user, nxt)
            if not page.get("has_more") or not items:
                break
        return changed

    def poll_submissions(self, api, user: str, outbox) -> list[str]:
        """Merge the server's processing state and answers into the outbox items."""
        changed: list[str] = []
        for _ in range(MAX_PAGES):
            page = api.submissions(self.cursor("submissions", user))
            changed.extend(outbox.update_server_status(page["items"]))
            nxt = page.get("next_cursor")
            if isinstance(nxt, str) and nxt:
                self.set_cursor("submissions", user, nxt)
            if not page.get("has_more") or not page["items"]:
                break
        return changed
