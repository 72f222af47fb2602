"""The SQLite plumbing every local store uses (desktop.core.sqlite): damaged files moved aside
under one naming scheme that never overwrites an earlier one, IMMEDIATE transactions, one
connection per thread."""
from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

import pytest

from desktop.core import sqlite as core_sqlite
from desktop.core.cache import SyncCache
from plugins.satisfaction.store import PluginStore

NOW = datetime(2026, 11, 30, 21, 5, 7)


def _damage(path) -> None:
    path.write_bytes(b"this is not a database" * 200)


def test_two_failures_in_the_same_second_keep_two_files(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"first")
    (tmp_path / "store.sqlite-wal").write_bytes(b"first wal")
    first = core_sqlite.move_aside(path, now=NOW)
    path.write_bytes(b"second")
    second = core_sqlite.move_aside(path, now=NOW)
    assert first.name == "store.damaged-20261130-210507.sqlite"
    assert second.name == "store.damaged-20261130-210507-2.sqlite"
    assert first.read_bytes() == b"first" and second.read_bytes() == b"second"
    assert (tmp_path / "store.damaged-20261130-210507.sqlite-wal").read_bytes() == b"first wal"
    assert not path.exists()


def test_a_name_taken_by_a_companion_alone_is_not_reused(tmp_path):
    path = tmp_path / "s.sqlite"
    (tmp_path / "s.damaged-20261130-210507.sqlite-shm").write_bytes(b"left over")
    path.write_bytes(b"x")
    assert core_sqlite.move_aside(path, now=NOW).name == "s.damaged-20261130-210507-2.sqlite"


def test_the_sync_cache_keeps_every_damaged_file(tmp_path):
    path = tmp_path / "cache.sqlite"
    for _ in range(2):
        _damage(path)
        cache = SyncCache(path)
        cache.put("k", "v")
        assert cache.get("k") == "v"
        cache.close()
    kept = sorted(tmp_path.glob("cache.damaged-*.sqlite"))
    assert len(kept) == 2 and all(p.read_bytes().startswith(b"this is not") for p in kept)


def test_the_assessment_store_keeps_every_damaged_file(tmp_path):
    path = tmp_path / "satisfaction.sqlite"
    moved = []
    for _ in range(2):
        _damage(path)
        store, aside = PluginStore.open_or_recover(path)
        store.close()
        moved.append(aside)
    assert len(set(moved)) == 2 and all(p.exists() for p in moved)


def test_a_transaction_commits_or_rolls_back(tmp_path):
    conn = core_sqlite.connect(tmp_path / "t.sqlite")
    conn.execute("CREATE TABLE t (x)")
    with core_sqlite.transaction(conn) as c:
        c.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ZeroDivisionError):
        with core_sqlite.transaction(conn) as c:
            c.execute("INSERT INTO t VALUES (2)")
            1 / 0
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)] and not conn.in_transaction
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_transaction_holds_the_lock_and_translates_errors(tmp_path):
    conn = core_sqlite.connect(tmp_path / "t.sqlite")
    lock = threading.RLock()

    class Full(Exception):
        pass

    with pytest.raises(Full):
        with core_sqlite.transaction(conn, lock=lock, translate=lambda e: Full() if isinstance(e, sqlite3.Error) else None):
            assert lock._is_owned()
            conn.execute("INSERT INTO missing VALUES (1)")
    assert not lock._is_owned() and not conn.in_transaction
    conn.close()


def test_the_pool_gives_each_thread_its_own_connection_and_closes_them_all(tmp_path):
    pool = core_sqlite.ConnectionPool(lambda: core_sqlite.connect(tmp_path / "p.sqlite"))
    mine = pool.get()
    assert pool.get() is mine
    other = []
    t = threading.Thread(target=lambda: other.append(pool.get()))
    t.start()
    t.join()
    assert other[0] is not mine
    pool.close()
    for conn in (mine, other[0]):
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")
