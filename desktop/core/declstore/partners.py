"""Partner names: one row per distinct name in ``partners`` with its accent- and
case-insensitive key, so that a partner search scans the partners, not the declarations."""
from __future__ import annotations

import sqlite3

from domain.text import fold, nfc

from ..query import partner_like


class Partners:
    """The partners of one store connection. Ids of names already seen are remembered; call
    :meth:`forget` when a transaction that may have created partners was rolled back."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._ids: dict[str, int] = {}

    def id_of(self, name: str | None) -> int | None:
        """The id of a partner name (NFC, trimmed), created when new; None for no name.
        Inside the caller's write transaction."""
        if not name:
            return None
        name = nfc(name).strip()
        if not name:
            return None
        pid = self._ids.get(name)
        if pid is not None:
            return pid
        row = self.conn.execute("SELECT id FROM partners WHERE name = ?", (name,)).fetchone()
        if row is None:
            pid = self.conn.execute("INSERT INTO partners (name, fold) VALUES (?, ?)",
                                    (name, fold(name))).lastrowid
        else:
            pid = row[0]
        self._ids[name] = pid
        return pid

    def forget(self) -> None:
        """Drop the remembered ids (those of rolled-back partners are gone)."""
        self._ids.clear()

    def matching(self, search: str) -> list[int] | None:
        """Ids of the partners a free search matches (None when the search has no text)."""
        pattern = partner_like(search)
        if pattern is None:
            return None
        return [r[0] for r in self.conn.execute("SELECT id FROM partners WHERE fold LIKE ? ESCAPE '\\'", (pattern,))]
