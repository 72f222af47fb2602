"""Marks of plugins: a free-form tag per (plugin, declaration) in ``marks``, which the list
filters and sorts on in SQL (:class:`desktop.core.query.MarkFilter`, ``mark:<plugin>``)."""
from __future__ import annotations

import sqlite3
from typing import Iterable, Mapping

from desktop.core import sqlite as core_sqlite
from desktop.core.sqlite import chunks, placeholders

from .rows import vn_now_text


def set_marks(conn: sqlite3.Connection, plugin_id: str, marks: Mapping[str, str | None]) -> None:
    """Set (``None``: clear) one plugin's marks on several declarations in one transaction."""
    if not plugin_id:
        raise ValueError("plugin id is empty")
    with core_sqlite.transaction(conn):
        for number, value in marks.items():
            if value is None:
                conn.execute("DELETE FROM marks WHERE plugin_id = ? AND number = ?", (plugin_id, number))
            else:
                conn.execute(
                    "INSERT INTO marks (plugin_id, number, value, updated_at) VALUES (?,?,?,?) "
                    "ON CONFLICT(plugin_id, number) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at", (plugin_id, number, str(value), vn_now_text()))


def marks_of(conn: sqlite3.Connection, plugin_id: str, numbers: Iterable[str]) -> dict[str, str]:
    """One plugin's marks on ``numbers`` (declarations without one are left out)."""
    out: dict[str, str] = {}
    for part in chunks(numbers, 500):
        out.update(conn.execute(
            f"SELECT number, value FROM marks WHERE plugin_id = ? AND number IN ({placeholders(len(part))})",
            [plugin_id, *part]).fetchall())
    return out
