"""Named schema objects (indexes, triggers) created when missing and dropped by name: a bulk
load takes them down and puts them back (:mod:`.bulk`)."""
from __future__ import annotations

import sqlite3
from typing import Iterable, Mapping


def create_all(conn: sqlite3.Connection, kind: str, definitions: Mapping[str, str]) -> None:
    """``CREATE <kind> IF NOT EXISTS <name> <definition>`` for each name → definition."""
    for name, definition in definitions.items():
        conn.execute(f"CREATE {kind} IF NOT EXISTS {name} {definition}")


def drop_all(conn: sqlite3.Connection, kind: str, names: Iterable[str]) -> None:
    """``DROP <kind> IF EXISTS <name>`` for each name."""
    for name in names:
        conn.execute(f"DROP {kind} IF EXISTS {name}")
