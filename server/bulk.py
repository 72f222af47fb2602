"""Bulk statements for thousands of rows in one transaction: the batch ingest and the
services it calls (cases, alerts) insert through the driver's own ``executemany`` and pass
long key lists as one parameter. Portable between SQLite and PostgreSQL."""
from __future__ import annotations

import json
import operator
from datetime import datetime
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

CHUNK = 5000  # keys per ``in_values`` list
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's storage format for DateTime on SQLite


def placeholder(dialect: str) -> str:
    """The driver's parameter mark in SQL sent through its own cursor (sqlite3: ``?``,
    psycopg: ``%s``)."""
    return "?" if dialect == "sqlite" else "%s"


def chunks(values: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    """``values`` in slices of at most ``size`` (none for no values)."""
    return [values[i:i + size] for i in range(0, len(values), size)]


def insert_many(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Multi-row insert through the driver's own ``executemany`` on this connection (same
    transaction), rows inserted in the order given. For thousands of plain rows per batch
    this skips the per-row parameter processing of the SQL toolkit, which costs more than
    the database's own work. Values are converted here exactly as the toolkit stores them
    (tests read them back through it); every row has the keys of the first (two or more)."""
    if not rows:
        return
    columns = list(rows[0])
    if conn.dialect.name == "sqlite":
        data = _sqlite_rows(table, columns, rows)
    else:
        values = operator.itemgetter(*columns)
        data = [values(r) for r in rows]
    _execute_many(conn, table, columns, data)


def insert_values(conn: sa.Connection, table: sa.Table, columns: Sequence[str], data: list[Sequence[Any]]) -> None:
    """:func:`insert_many` of rows given as value tuples in the order of ``columns``, for
    rows built in bulk that have no date or time (those the caller would have to write as
    the toolkit stores them)."""
    for name in columns:
        if isinstance(table.c[name].type, (sa.DateTime, sa.Date, sa.Time)) and conn.dialect.name == "sqlite":
            raise ValueError(f"insert_values takes no date and time ({table.name}.{name}): use insert_many")
    if data:
        _execute_many(conn, table, columns, data)


def _execute_many(conn: sa.Connection, table: sa.Table, columns: Sequence[str], data: list[Sequence[Any]]) -> None:
    dialect = conn.dialect.name
    marks = placeholder(dialect)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([marks] * len(columns))})"
    if dialect not in ("sqlite", "postgresql"):  # pragma: no cover - only SQLite and PostgreSQL are supported
        conn.execute(sa.insert(table), [dict(zip(columns, v)) for v in data])
        return
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.executemany(sql, data)
    except conn.dialect.loaded_dbapi.IntegrityError as exc:  # as the toolkit would raise it
        raise sa.exc.IntegrityError(sql, None, exc) from exc
    finally:
        cur.close()


def driver_values(dialect: str, table: sa.Table, columns: Sequence[str], rows: list[dict[str, Any]]) -> list[Any]:
    """The rows' values in the order of ``columns`` as :func:`insert_many` sends them to the
    driver (SQLite: times as the toolkit's text), worked out ahead of the insert, e.g.
    before a write lock is taken."""
    if not rows:
        return []
    if dialect == "sqlite":
        return _sqlite_rows(table, list(columns), rows)
    values = operator.itemgetter(*columns)
    return [values(r) for r in rows] if len(columns) > 1 else [(values(r),) for r in rows]


def insert_numbered_values(conn: sa.Connection, table: sa.Table, key: str, columns: Sequence[str],
                           data: list[Sequence[Any]], *, unique: str, counters: Sequence[tuple[str, int]] = ()
                           ) -> list[int]:
    """Insert rows given as :func:`driver_values` of ``columns`` and return the integer
    primary key ``key`` each row got, in their order. SQLite: the caller holds the write
    lock (``BEGIN IMMEDIATE``), so the rows are numbered here after the highest key, as
    SQLite numbers a rowid key without AUTOINCREMENT, and nothing is read back; each of
    ``counters`` (column, first value) numbers its column the same way. PostgreSQL: the
    table's sequence numbers them; they are read back by the ``unique`` column, one of
    ``columns``, in one statement."""
    if not data:
        return []
    if conn.dialect.name == "sqlite":
        first = (conn.execute(sa.select(sa.func.max(table.c[key]))).scalar() or 0) + 1
        n = len(data)
        numbers = zip(range(first, first + n), *(range(start, start + n) for _c, start in counters))
        _execute_many(conn, table, [key, *(c for c, _s in counters), *columns],
                      [(*numbered, *row) for numbered, row in zip(numbers, data)])
        return list(range(first, first + n))
    if counters:  # pragma: no cover - PostgreSQL numbers feed positions by trigger
        raise ValueError("counters are numbered on SQLite only")
    _execute_many(conn, table, columns, data)
    at = list(columns).index(unique)
    wanted = [row[at] for row in data]
    found = dict(select_in(conn, [table.c[unique], table.c[key]], table.c[unique], wanted))
    return [found[v] for v in wanted]


def _sqlite_rows(table: sa.Table, columns: list[str], rows: list[dict[str, Any]]) -> list[Any]:
    """The rows' values for SQLite: DateTime as the toolkit's text (each distinct time
    formatted once); booleans are integers already."""
    values = operator.itemgetter(*columns)
    times = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, sa.DateTime)]
    if not times:
        return [values(r) for r in rows]
    text: dict[datetime, str] = {}
    data = []
    for r in rows:
        t = list(values(r))
        for i in times:
            v = t[i]
            if v is not None:
                t[i] = text.get(v) or text.setdefault(v, v.strftime(_SQLITE_DATETIME))
        data.append(tuple(t))
    return data


def select_in(conn: sa.Connection, columns: Sequence[sa.Column], key: sa.Column,
              values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM <key's table> WHERE key IN (values)`` as the driver's own
    tuples, the values sent as one parameter per ``CHUNK`` (as ``in_values``). For the
    thousands of rows a batch reads, where building the toolkit's row objects costs more
    than the query. Text and integer columns only: for them the driver's values are the
    toolkit's values. ``key``: a text or integer column of the same table."""
    table = key.table
    for c in (*columns, key):
        if c.table is not table or not isinstance(c.type, (sa.String, sa.Integer)) or isinstance(c.type, sa.Enum):
            raise ValueError(f"select_in reads text or integer columns of one table, not {c}")
    dialect = conn.dialect.name
    names = ", ".join(c.name for c in columns)
    if dialect == "sqlite":
        sql = f"SELECT {names} FROM {table.name} WHERE {key.name} IN (SELECT value FROM json_each(?))"
    elif dialect == "postgresql":
        array = "INTEGER[]" if isinstance(key.type, sa.Integer) else "VARCHAR[]"
        sql = f"SELECT {names} FROM {table.name} WHERE {key.name} = ANY (%s::{array})"
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return [tuple(r) for chunk in chunks(values)
                for r in conn.execute(sa.select(*columns).where(key.in_(list(chunk))))]
    rows: list[tuple[Any, ...]] = []
    cur = conn.connection.driver_connection.cursor()
    try:
        for chunk in chunks(values):
            cur.execute(sql, (json.dumps(list(chunk)) if dialect == "sqlite" else list(chunk),))
            rows += cur.fetchall()
    finally:
        cur.close()
    return rows


def in_values(conn: sa.Connection, column: sa.ColumnElement, values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """``column IN (values)`` with the list sent as one parameter: a PostgreSQL array, or a
    JSON array read by SQLite's ``json_each``. Hundreds of literal bind parameters cost
    more to build and expand than the query itself. Values are strings (or, with
    ``column`` an integer column, integers)."""
    if conn.dialect.name == "postgresql":
        kind = sa.Integer if isinstance(column.type, sa.Integer) else sa.String
        return column == sa.any_(sa.bindparam(None, list(values), type_=ARRAY(kind)))
    if conn.dialect.name == "sqlite":
        each = sa.func.json_each(sa.bindparam(None, json.dumps(list(values)), type_=sa.String)).table_valued("value")
        return column.in_(sa.select(each.c.value))
    return column.in_(list(values))
