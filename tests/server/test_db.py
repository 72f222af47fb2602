"""The SQLite connections of the server: the settings every connection gets."""
from __future__ import annotations

from server.db import SQLITE_BUSY_TIMEOUT_MS, SQLITE_WAL_CHECKPOINT_PAGES, SQLITE_WAL_KEEP_BYTES, Database


def test_every_sqlite_connection_is_set_up_for_the_ingest(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        for open_transaction in (db.read, db.write):
            with open_transaction() as conn:
                pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                          for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout",
                                       "wal_autocheckpoint", "journal_size_limit")}
            assert pragma == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1,
                              "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
                              "wal_autocheckpoint": SQLITE_WAL_CHECKPOINT_PAGES,
                              "journal_size_limit": SQLITE_WAL_KEEP_BYTES}
        assert SQLITE_WAL_CHECKPOINT_PAGES > 1000  # more than SQLite's default (docs/SERVER.md)
    finally:
        db.dispose()


def test_insert_values_writes_rows_the_toolkit_reads_and_refuses_times(tmp_path):
    import pytest
    import sqlalchemy as sa

    from server.bulk import insert_values
    from server.schema import holidays, meta

    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        with db.write() as conn:
            meta.create(conn)
            holidays.create(conn)
            insert_values(conn, meta, ("key", "value"), [("a", "1"), ("b", "Hải")])
            insert_values(conn, meta, ("key", "value"), [])
            with pytest.raises(ValueError, match="no date and time"):
                insert_values(conn, holidays, ("day", "name"), [])
        with db.read() as conn:
            assert conn.execute(sa.select(meta.c.key, meta.c.value).order_by(meta.c.key)).all() == [
                ("a", "1"), ("b", "Hải")]
    finally:
        db.dispose()
