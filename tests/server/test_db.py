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


def _counter_db(tmp_path, monkeypatch, busy_ms: int) -> Database:
    import server.db as db_module

    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", busy_ms)
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE steps (n INTEGER PRIMARY KEY, who TEXT NOT NULL)")
    return db


def test_writers_of_one_process_take_turns_and_each_sees_the_one_before(tmp_path, monkeypatch):
    import threading

    db = _counter_db(tmp_path, monkeypatch, 15_000)
    inside, release = threading.Event(), threading.Event()
    seen: dict[str, list] = {}

    def first() -> None:
        with db.write() as conn:
            conn.exec_driver_sql("INSERT INTO steps (who) VALUES ('first')")
            inside.set()
            release.wait(10)

    def second() -> None:
        with db.write() as conn:
            seen["second"] = [r[0] for r in conn.exec_driver_sql("SELECT who FROM steps ORDER BY n")]
            conn.exec_driver_sql("INSERT INTO steps (who) VALUES ('second')")

    try:
        a = threading.Thread(target=first)
        a.start()
        assert inside.wait(10)
        b = threading.Thread(target=second)
        b.start()
        b.join(0.3)
        assert b.is_alive()  # waiting for its turn while the first writes,
        assert db.engine.pool.checkedout() == 1  # on the process's own lock, not in SQLite's busy handler
        release.set()
        a.join(10)
        b.join(10)
        assert seen["second"] == ["first"]
        with db.read() as conn:
            assert [r[0] for r in conn.exec_driver_sql("SELECT who FROM steps ORDER BY n")] == ["first", "second"]
    finally:
        release.set()
        db.dispose()


def test_a_writer_that_waits_too_long_fails_as_sqlite_would_and_a_nested_write_does_not_hang(tmp_path, monkeypatch):
    import threading

    import pytest
    import sqlalchemy as sa

    db = _counter_db(tmp_path, monkeypatch, 200)
    inside, release = threading.Event(), threading.Event()

    def holder() -> None:
        with db.write():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    try:
        t.start()
        assert inside.wait(10)
        with pytest.raises(sa.exc.OperationalError, match="locked"):  # the API answers 503 "unavailable"
            with db.write():
                pass
        release.set()
        t.join(10)
        with db.write() as conn:  # the same thread again: SQLite's own busy timeout, not a hang
            with pytest.raises(sa.exc.OperationalError, match="locked"):
                with db.write():
                    pass
            conn.exec_driver_sql("INSERT INTO steps (who) VALUES ('after')")
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT who FROM steps").scalar() == "after"
    finally:
        release.set()
        db.dispose()


_CHILD_WRITER = """
import sys
from server.db import Database
db = Database(sys.argv[1])
with db.write() as conn:
    conn.exec_driver_sql("INSERT INTO steps (who) VALUES ('child')")
    print("holding", flush=True)
    sys.stdin.readline()
db.dispose()
"""


def test_writer_processes_of_one_file_take_turns_on_its_lock_file(tmp_path, monkeypatch):
    """``serve --workers N`` on SQLite: a writer waits for another process's writer on the
    lock file beside the database (with no connection, not in SQLite's busy handler), starts
    once it commits and sees its row; one that waits longer than the busy timeout fails as
    SQLite would."""
    import subprocess
    import sys
    import threading
    from pathlib import Path

    import pytest
    import sqlalchemy as sa

    db = _counter_db(tmp_path, monkeypatch, 15_000)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", _CHILD_WRITER, url], cwd=root, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    seen: list = []

    def parent() -> None:
        with db.write() as conn:
            seen.extend(r[0] for r in conn.exec_driver_sql("SELECT who FROM steps ORDER BY n"))
            conn.exec_driver_sql("INSERT INTO steps (who) VALUES ('parent')")

    try:
        assert child.stdout.readline().strip() == "holding"
        assert (tmp_path / "server.db-writer.lock").exists()
        monkeypatch.setattr("server.db.SQLITE_BUSY_TIMEOUT_MS", 200)
        with pytest.raises(sa.exc.OperationalError, match="another server process"):
            with db.write():
                pass
        monkeypatch.setattr("server.db.SQLITE_BUSY_TIMEOUT_MS", 15_000)
        t = threading.Thread(target=parent)
        t.start()
        t.join(0.5)
        assert t.is_alive() and db.engine.pool.checkedout() == 0  # waiting on the lock file
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(20) == 0
        t.join(20)
        assert not t.is_alive() and seen == ["child"]
        with db.read() as conn:
            assert [r[0] for r in conn.exec_driver_sql("SELECT who FROM steps ORDER BY n")] == ["child", "parent"]
    finally:
        if child.poll() is None:
            child.kill()
        db.dispose()


def test_the_connection_used_last_is_handed_out_again(tmp_path):
    """SQLite drops a connection's page cache when another connection has written since:
    the pool hands out the connection used last (its cache is current), not the one idle
    the longest."""
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        with db.read() as a, db.read() as b, db.read() as c:  # three connections in the pool
            assert len({id(x.connection.driver_connection) for x in (a, b, c)}) == 3
        used = []
        for _ in range(3):
            with db.write() as conn:
                used.append(id(conn.connection.driver_connection))
        assert len(set(used)) == 1
    finally:
        db.dispose()
