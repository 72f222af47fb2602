"""Reading declarations by number or id: the detail pane, the list model's rows (with the
marks of the plugins it shows), and who handled a declaration."""
from __future__ import annotations

import sqlite3
from typing import Any, Iterable, Sequence

from domain.codes import OFFICES

from desktop.core.sqlite import chunks, placeholders

from .listversion import read_meta
from .rows import ROW_COLUMNS, SELECT_ROW


def get(conn: sqlite3.Connection, number: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {SELECT_ROW} FROM declarations d LEFT JOIN partners p ON p.id = d.partner_id "
        "WHERE d.number = ?", (number,)).fetchone()
    return dict(zip(ROW_COLUMNS, row)) if row else None


def ids_for_numbers(conn: sqlite3.Connection, numbers: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in chunks(numbers, 500):
        for number, rid in conn.execute(
                f"SELECT number, id FROM declarations WHERE number IN ({placeholders(len(part))})", part):
            out[number] = rid
    return out


def rows_by_ids(conn: sqlite3.Connection, ids: Sequence[int], mark_plugins: Sequence[str] = ()
                ) -> dict[int, dict[str, Any]]:
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
    for part in chunks(ids, 900):
        sql = (f"SELECT d.id, {SELECT_ROW}{''.join(cols)} FROM declarations d "
               f"LEFT JOIN partners p ON p.id = d.partner_id {' '.join(joins)} "
               f"WHERE d.id IN ({placeholders(len(part))})")
        for row in conn.execute(sql, params + part):
            rec = dict(zip(ROW_COLUMNS, row[1:1 + n_base]))
            rec["id"] = row[0]
            rec["marks"] = {p: v for p, v in zip(mark_plugins, row[1 + n_base:]) if v is not None}
            out[row[0]] = rec
    return out


def handling(conn: sqlite3.Connection, number: str) -> list[dict[str, str]]:
    """Who handled a declaration: the stored records, else in a store whose
    ``meta.handling`` is ``derived`` (demo databases) the ones
    :func:`domain.demo.handling_for` derives from the number."""
    rows = conn.execute("SELECT kind, code, name FROM handling WHERE number = ? ORDER BY seq",
                        (number,)).fetchall()
    if rows:
        return [{"kind": k, "code": c, "name": n} for k, c, n in rows]
    if read_meta(conn, "handling") == "derived":
        decl = conn.execute("SELECT office_code, channel, status FROM declarations WHERE number = ?",
                            (number,)).fetchone()
        if decl is not None and decl[0] in OFFICES:
            from domain.demo import handling_for

            return [{"kind": t.kind, "code": t.code, "name": t.name}
                    for t in handling_for(number, decl[0], decl[1], decl[2])]
    return []
