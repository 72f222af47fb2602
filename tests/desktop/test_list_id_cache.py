"""The list's last large id array is saved and used at the next start while nothing it
depends on changed (store identity, write count bumped by triggers, largest id, query)."""
from __future__ import annotations

import sqlite3

import pytest

from desktop.declarations import idcache
from desktop.declarations.idcache import IdArrayCache, cache_path, query_key
from desktop.declarations.model import DeclarationTableModel
from desktop.core.query import DEFAULT_SORT, DeclarationFilter, MarkFilter, Sort
from desktop.core.store import DeclarationStore
from domain.demo import iter_declarations

N = 120


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setattr(idcache, "MIN_IDS", 50)
    path = tmp_path / "decl.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(5, N))
    return path


def test_every_write_to_the_declarations_bumps_the_version(tmp_path):
    with DeclarationStore(tmp_path / "d.db") as store:
        sid, v0, _ = store.list_version()
        store.insert_many(iter_declarations(1, 30), bulk=True)  # a bulk load counts once
        _, v1, top = store.list_version()
        assert v1 == v0 + 1 and top > 0
        number = store.numbers()[0]
        store.conn.execute("UPDATE declarations SET status = 'cleared' WHERE number = ?", (number,))
        store.conn.execute("DELETE FROM declarations WHERE number = ?", (store.numbers()[1],))
        assert store.list_version()[1] == v1 + 2 and store.list_version()[0] == sid
        store.insert_many(iter_declarations(2, 3), bulk=False)
        assert store.list_version()[1] == v1 + 5


def test_a_store_without_the_triggers_gets_them_on_open(tmp_path):
    path = tmp_path / "old.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(1, 10))
        for name in ("decl_version_ai", "decl_version_ad", "decl_version_au"):
            store.conn.execute(f"DROP TRIGGER {name}")
        store.conn.execute("DELETE FROM meta WHERE key IN ('list_store', 'list_version')")
    with DeclarationStore(path) as store:
        before = store.list_version()
        assert before[0] and before[1] == 0
        store.conn.execute("DELETE FROM declarations WHERE number = ?", (store.numbers()[0],))
        assert store.list_version()[1] == 1


def test_saved_arrays_are_checked_before_use(tmp_path, monkeypatch):
    from array import array

    monkeypatch.setattr(idcache, "MIN_IDS", 3)
    cache = IdArrayCache(tmp_path / "x.ids")
    key = query_key(DeclarationFilter(direction="I", title="ignored"), DEFAULT_SORT)
    assert key == query_key(DeclarationFilter(direction="I"), DEFAULT_SORT)  # the title does not count
    assert not cache.save(key, ("s", 1, 9), array("I", [1, 2]))  # too small to be worth it
    assert cache.save(key, ("s", 1, 9), array("I", [9, 3, 5]))
    assert list(cache.load(key, ("s", 1, 9))) == [9, 3, 5]
    assert cache.load(key, ("s", 2, 9)) is None and cache.load(key, ("t", 1, 9)) is None
    assert cache.load(query_key(DeclarationFilter(), DEFAULT_SORT), ("s", 1, 9)) is None
    data = (tmp_path / "x.ids").read_bytes()
    (tmp_path / "x.ids").write_bytes(data[:-2])  # cut off
    assert cache.load(key, ("s", 1, 9)) is None
    assert query_key(DeclarationFilter(mark=MarkFilter("p")), DEFAULT_SORT) is None
    assert query_key(DeclarationFilter(), Sort("mark:p", False)) is None


def _statements(log):
    def hook(conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(lambda sql: log.append(sql) if "ORDER BY" in sql else None)
    return hook


def _ids(qtbot, db, log):
    m = DeclarationTableModel(db, lang="vi", first_rows=20, connection_hook=_statements(log))
    try:
        with qtbot.waitSignal(m.query_finished, timeout=10000):
            m.set_query(None, None)
        return [m.number_at(r) for r in range(m.rowCount())]
    finally:
        m.close()


def test_the_next_start_reads_the_saved_ids_until_a_write(qtbot, db):
    first_log, second_log, third_log = [], [], []
    first = _ids(qtbot, db, first_log)
    assert len(first) == N and first_log  # queried, then saved
    assert cache_path(db).exists()
    second = _ids(qtbot, db, second_log)
    assert second == first and second_log == []  # no list query at all
    with DeclarationStore(db) as store:
        store.insert_many(iter_declarations(77, 1), bulk=False)  # a new declaration
        expected = [r["number"] for r in map(store.rows_by_ids(list(store.select_ids(DeclarationFilter()))).get,
                                              store.select_ids(DeclarationFilter()))]
    third = _ids(qtbot, db, third_log)
    assert third_log and len(third) == N + 1 and third == expected
