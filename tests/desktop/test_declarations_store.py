"""The declaration store and its SQL, without Qt: ids compared with a naive Python filter/sort."""
from __future__ import annotations

import dataclasses
import random
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime

import pytest

from desktop.core.query import (DeclarationFilter, MarkFilter, Sort, filter_from_dict, filter_to_dict,
                                        search_terms, select_ids_sql)
from desktop.core.store import DeclarationStore, QueryCancelled, StoreError, to_local_iso
from domain.codes import OFFICES, STATUSES
from domain.demo import handling_for, iter_declarations
from domain.text import fold

N = 700
PLUGIN = "satisfaction"
_EXPORT = next(d.number for d in iter_declarations(7, N) if d.direction == "E")


def _rows(store: DeclarationStore) -> list[dict]:
    ids = [r[0] for r in store.conn.execute("SELECT id FROM declarations")]
    rows = store.rows_by_ids(ids)
    return [rows[i] for i in ids]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "decl.db"
    store = DeclarationStore(path)
    decls = list(iter_declarations(7, N))
    # a partner with Vietnamese diacritics (decomposed, as some keyboards type it)
    import unicodedata
    decls[5] = dataclasses.replace(decls[5], partner=unicodedata.normalize("NFD", "Công ty TNHH Đình Vũ"))
    decls[6] = dataclasses.replace(decls[6], partner="100% PURE_TRADING")
    store.insert_many(decls)
    # declarations only known from the feed: no partner, no value
    store.upsert_from_feed([
        {"number": "109999999990", "office_code": "03TG", "type_code": "A11", "registered_at": "2025-03-01T09:00:00+07:00",
         "status": "new", "channel": None, "cleared_at": None},
        {"number": "309999999990", "office_code": "03CC", "type_code": "B11", "registered_at": "2025-03-01T02:00:00Z",
         "status": "cleared", "channel": 3, "cleared_at": "2025-03-02T10:00:00+07:00"},
    ])
    rng = random.Random(3)
    marks = {}
    numbers = store.numbers()
    for number in rng.sample(numbers, 120):
        marks[number] = rng.choice(["queued:0", "sent:4", "answered:3", "answered:5", "rejected:2"])
    store.set_marks(PLUGIN, marks)
    store.set_mark("other", numbers[0], "x")
    yield store, marks
    store.close()


# ---- ground truth --------------------------------------------------------------------------------

def _date_of(row: dict, field: str) -> date | None:
    value = {"registered": row["registered_at"], "cleared": row["cleared_at"],
             "cleared_or_registered": row["cleared_at"] or row["registered_at"]}[field]
    return datetime.fromisoformat(value).date() if value else None


def _mark_ok(mark: str | None, mf: MarkFilter) -> bool:
    def hit(v: str | None) -> bool:
        if v is None:
            return False
        if mf.values is None:
            return True
        return any(v == x or (x.endswith("*") and v.startswith(x[:-1])) for x in mf.values)
    return hit(mark) == mf.present


def naive(rows: list[dict], flt: DeclarationFilter, marks: dict[str, str]) -> list[dict]:
    out = []
    number_prefix, partner_key = search_terms(flt.search)
    for r in rows:
        if flt.direction and r["direction"] != flt.direction:
            continue
        if flt.statuses and r["status"] not in flt.statuses:
            continue
        if flt.channels and r["channel"] not in flt.channels:
            continue
        if flt.office and r["office_code"] != flt.office:
            continue
        if flt.date_from or flt.date_to:
            d = _date_of(r, flt.date_field)
            if d is None or (flt.date_from and d < flt.date_from) or (flt.date_to and d > flt.date_to):
                continue
        if partner_key is not None:
            # digits: anywhere in the number from 3 digits on, a prefix below
            by_number = number_prefix is not None and (
                number_prefix in r["number"] if len(number_prefix) >= 3 else r["number"].startswith(number_prefix))
            by_partner = partner_key in fold(r["partner"] or "") if r["partner"] else False
            if not (by_number or by_partner):
                continue
        if flt.mark is not None:
            mark = marks.get(r["number"]) if flt.mark.plugin_id == PLUGIN else None
            if not _mark_ok(mark, flt.mark):
                continue
        out.append(r)
    return out


def naive_sort(rows: list[dict], sort: Sort, marks: dict[str, str]) -> list[int]:
    key = sort.column_key

    def value(r: dict):
        v = marks.get(r["number"]) if key == f"mark:{PLUGIN}" else r[key]
        return (v is not None, v if v is not None else 0)  # NULL sorts first ascending, as in SQLite

    if key == "registered_at":  # ties broken by the (unique) number
        ordered = sorted(rows, key=lambda r: (r["registered_at"], r["number"]), reverse=sort.descending)
    else:
        ordered = sorted(rows, key=lambda r: (value(r), r["registered_at"], r["id"]), reverse=sort.descending)
    return [r["id"] for r in ordered]


FILTERS = [
    DeclarationFilter(),
    DeclarationFilter(direction="I"),
    DeclarationFilter(direction="E", statuses={"cleared", "released"}),
    DeclarationFilter(statuses={"new"}),
    DeclarationFilter(channels={3}),
    DeclarationFilter(channels={None}),
    DeclarationFilter(channels={1, None}),
    DeclarationFilter(office="03CC"),
    DeclarationFilter(office="03PJ", direction="I", channels={2}),
    DeclarationFilter(date_from=date(2024, 1, 1), date_to=date(2024, 6, 30)),
    DeclarationFilter(date_from=date(2026, 11, 1)),
    DeclarationFilter(date_to=date(2022, 3, 1)),
    DeclarationFilter(date_from=date(2025, 3, 1), date_to=date(2025, 3, 1)),
    DeclarationFilter(date_from=date(2025, 1, 1), date_field="cleared"),
    DeclarationFilter(date_from=date(2026, 10, 1), date_field="cleared_or_registered"),
    DeclarationFilter(search="10"),
    DeclarationFilter(search=f"{_EXPORT[:2]} {_EXPORT[2:5]}"),  # spaces are ignored in a number
    DeclarationFilter(search=_EXPORT[-7:-1]),  # the last digits (the final one is a check digit)
    DeclarationFilter(search=_EXPORT[4:9]),  # digits in the middle
    DeclarationFilter(search=_EXPORT[5:8], direction="E"),
    DeclarationFilter(search="000"),  # many matches: read through the index, not as literal ids
    DeclarationFilter(search=_EXPORT),  # a whole number
    DeclarationFilter(search="samsung"),
    DeclarationFilter(search="  LG disp "),
    DeclarationFilter(search="dinh vu"),
    DeclarationFilter(search="ĐÌNH"),
    DeclarationFilter(search="100%"),
    DeclarationFilter(search="_"),
    DeclarationFilter(search="no such partner"),
    DeclarationFilter(mark=MarkFilter(PLUGIN, present=True)),
    DeclarationFilter(mark=MarkFilter(PLUGIN, present=False), statuses={"cleared", "released", "preservation"}),
    DeclarationFilter(mark=MarkFilter(PLUGIN, present=True, values={"answered:*"})),
    DeclarationFilter(mark=MarkFilter(PLUGIN, present=True, values={"sent:4", "queued:0"})),
    DeclarationFilter(mark=MarkFilter(PLUGIN, present=False, values={"rejected:*"})),
    DeclarationFilter(mark=MarkFilter(PLUGIN, present=True, values=frozenset())),
    DeclarationFilter(mark=MarkFilter("nobody", present=True)),
]
SORTS = [Sort(k, d) for k in ("registered_at", "number", "type_code", "office_code", "channel", "status",
                              "partner", "invoice_value", "cleared_at", f"mark:{PLUGIN}") for d in (False, True)]


@pytest.mark.parametrize("flt", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
def test_filters_match_ground_truth(world, flt):
    store, marks = world
    rows = _rows(store)
    expected = naive_sort(naive(rows, flt, marks), Sort(), marks)
    got = list(store.select_ids(flt))
    assert got == expected
    assert store.count_where(flt) == len(expected)


def test_the_filters_are_not_trivial(world):
    store, marks = world
    rows = _rows(store)
    sizes = [len(naive(rows, f, marks)) for f in FILTERS]
    assert sizes[0] == N + 2
    assert all(0 < s < N for s in sizes[1:22]), sizes  # each narrows, none empties
    assert len(naive(rows, DeclarationFilter(search="dinh vu"), marks)) == 1


@pytest.mark.parametrize("sort", SORTS, ids=[f"{s.column_key}-{'desc' if s.descending else 'asc'}" for s in SORTS])
def test_sorts_match_ground_truth(world, sort):
    store, marks = world
    rows = _rows(store)
    assert list(store.select_ids(DeclarationFilter(), sort)) == naive_sort(rows, sort, marks)
    flt = DeclarationFilter(direction="I", channels={1, 2})
    assert list(store.select_ids(flt, sort)) == naive_sort(naive(rows, flt, marks), sort, marks)


def test_random_filter_combinations(world):
    store, marks = world
    rows = _rows(store)
    rng = random.Random(11)
    for _ in range(60):
        flt = DeclarationFilter(
            direction=rng.choice([None, "I", "E"]),
            statuses=frozenset(rng.sample(sorted(STATUSES), rng.randrange(0, 3))),
            channels=frozenset(rng.sample([1, 2, 3, None], rng.randrange(0, 3))),
            office=rng.choice([None, *list(OFFICES)[:4]]),
            date_from=rng.choice([None, date(2023, 1, 1), date(2025, 6, 1)]),
            date_to=rng.choice([None, date(2024, 12, 31), date(2026, 12, 31)]),
            search=rng.choice(["", "1", "30", "CO", "trad"]),
            mark=rng.choice([None, MarkFilter(PLUGIN, rng.random() < 0.5)]),
        )
        sort = rng.choice(SORTS)
        assert list(store.select_ids(flt, sort)) == naive_sort(naive(rows, flt, marks), sort, marks), flt


def test_select_with_limit_is_a_prefix(world):
    store, _ = world
    full = store.select_ids(DeclarationFilter(direction="E"), Sort("invoice_value", True))
    assert list(store.select_ids(DeclarationFilter(direction="E"), Sort("invoice_value", True), limit=25)) == list(full[:25])


def test_indexes_serve_the_list_queries(world):
    """Newest-first lists come straight from an index (no sort step), a number search
    goes through the number index."""
    store, _ = world
    for flt in (DeclarationFilter(), DeclarationFilter(statuses={"cleared"}),
                DeclarationFilter(direction="E", channels={3}), DeclarationFilter(mark=MarkFilter(PLUGIN, False))):
        plan = " | ".join(store.explain(flt))
        assert "USING COVERING INDEX" in plan and "TEMP B-TREE" not in plan, (flt, plan)
    plan = " | ".join(store.explain(DeclarationFilter(search=_EXPORT[:2])))
    assert "sqlite_autoindex_declarations_1 (number>? AND number<?)" in plan, plan
    plan = " | ".join(store.explain(DeclarationFilter(search=_EXPORT[3:9])))
    assert "USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan  # the few ids the trigram index found


def test_unknown_sort_is_refused():
    with pytest.raises(ValueError):
        select_ids_sql(DeclarationFilter(), Sort("registered_at; DROP TABLE x", True))


def test_filter_validation_and_round_trip():
    with pytest.raises(ValueError):
        DeclarationFilter(direction="X")
    with pytest.raises(ValueError):
        MarkFilter("")
    flt = DeclarationFilter(direction="I", statuses=["cleared"], channels=[1, None], office="03CC",
                            date_from=date(2024, 1, 1), date_to=date(2024, 2, 1), search="abc",
                            mark=MarkFilter(PLUGIN, False, {"sent:*"}), title="Unrated", date_field="cleared")
    assert filter_from_dict(filter_to_dict(flt)) == flt
    assert filter_from_dict({"direction": "Z", "statuses": ["bogus", "new"], "office": 5, "date_from": "nope"}) == \
        DeclarationFilter(statuses={"new"})
    assert filter_from_dict("garbage") == DeclarationFilter()


# ---- rows, feed, handling, marks ----------------------------------------------------------------

def test_get_and_rows(world):
    store, marks = world
    first = next(iter_declarations(7, 1))
    row = store.get(first.number)
    assert row["number"] == first.number and row["partner"] == first.partner
    assert row["registered_at"] == first.registered_at.isoformat(timespec="seconds")
    assert row["invoice_value"] == pytest.approx(first.invoice_value)
    assert store.get("000000000000") is None
    d5 = list(iter_declarations(7, 6))[5]
    assert store.get(d5.number)["partner"] == "Công ty TNHH Đình Vũ"  # stored NFC
    some = [n for n in marks][:3]
    ids = store.ids_for_numbers(some)
    rows = store.rows_by_ids(list(ids.values()), [PLUGIN, "other"])
    assert {r["number"]: r["marks"].get(PLUGIN) for r in rows.values()} == {n: marks[n] for n in some}


def test_feed_updates_inserts_and_reports_problems(tmp_path):
    store = DeclarationStore(tmp_path / "f.db")
    decls = list(iter_declarations(1, 5))
    store.insert_many(decls)
    d = decls[0]
    same = {"number": d.number, "status": d.status, "channel": d.channel,
            "cleared_at": d.cleared_at.isoformat() if d.cleared_at else None}
    assert store.upsert_from_feed([same]) == []  # nothing changed
    handling = [{"kind": "branch", "code": d.office_code, "name": "Chi cục"},
                {"kind": "official", "code": "03CC0001", "name": "Nguyễn Văn An"}]
    changed = store.upsert_from_feed([
        {**same, "status": "cancelled", "channel": 2, "cleared_at": None},
        {"number": "101234567890", "registered_at": "2026-11-20T10:15:00+07:00", "status": "channeled", "channel": 1,
         "office_code": "03CC", "type_code": "A12", "handling": handling},
        {"number": "bad", "status": "new"},
        {"number": "101234567891", "status": "flying", "registered_at": "2026-11-20T10:15:00+07:00"},
        {"number": "101234567892", "status": "new", "channel": 7, "registered_at": "2026-11-20T10:15:00+07:00"},
        {"number": "101234567893", "status": "new"},  # new without a registration time
        "not an object",
    ])
    assert changed == [d.number, "101234567890"]
    assert len(store.feed_problems) == 5
    assert store.get(d.number)["status"] == "cancelled" and store.get(d.number)["channel"] == 2
    new = store.get("101234567890")
    assert new["direction"] == "I" and new["registered_at"] == "2026-11-20T10:15:00" and new["partner"] is None
    assert store.handling("101234567890") == handling
    # same handling again: no change; different handling: a change
    assert store.upsert_from_feed([{"number": "101234567890", "status": "channeled", "channel": 1,
                                    "handling": handling}]) == []
    assert store.upsert_from_feed([{"number": "101234567890", "status": "channeled", "channel": 1,
                                    "handling": handling[:1]}]) == ["101234567890"]
    assert store.handling("101234567890") == handling[:1]
    assert store.count() == 6
    store.close()


def test_feed_brings_partner_and_total_value(tmp_path):
    store = DeclarationStore(tmp_path / "p.db")
    item = {"number": "101234567890", "registered_at": "2026-11-20T10:15:00+07:00", "status": "channeled",
            "channel": 1, "office_code": "03CC", "type_code": "A12", "partner": "Công ty Đối Tác", "total_value": 1234.5,
            "currency": "USD"}
    assert store.upsert_from_feed([item]) == ["101234567890"]
    row = store.get("101234567890")
    assert row["partner"] == "Công ty Đối Tác" and row["invoice_value"] == 1234.5
    # a later item without them keeps them; a changed value is a change
    assert store.upsert_from_feed([{k: v for k, v in item.items() if k not in ("partner", "total_value")}]) == []
    assert store.get("101234567890")["partner"] == "Công ty Đối Tác"
    assert store.upsert_from_feed([dict(item, total_value=99.0)]) == ["101234567890"]
    assert store.get("101234567890")["invoice_value"] == 99.0
    # bad values are a problem of that item only
    assert store.upsert_from_feed([dict(item, total_value="lots"), dict(item, number="101234567891", partner=5)]) == []
    assert len(store.feed_problems) == 2
    store.close()


def test_times_are_stored_in_vietnam_local_time():
    assert to_local_iso("2026-11-20T03:15:00Z") == "2026-11-20T10:15:00"
    assert to_local_iso("2026-11-20T10:15:00+07:00") == "2026-11-20T10:15:00"
    assert to_local_iso(datetime(2026, 1, 2, 3, 4, 5, 678)) == "2026-01-02T03:04:05"
    assert to_local_iso(None) is None
    with pytest.raises(ValueError):
        to_local_iso("yesterday")


def test_handling_stored_and_derived(tmp_path):
    store = DeclarationStore(tmp_path / "h.db")
    decls = [d for d in iter_declarations(2, 50) if d.status == "cleared"][:3]
    store.insert_many(decls)
    assert store.handling(decls[0].number) == []
    store.set_handling_source("derived")
    expected = [{"kind": t.kind, "code": t.code, "name": t.name}
                for t in handling_for(decls[0].number, decls[0].office_code, decls[0].channel, decls[0].status)]
    assert expected and store.handling(decls[0].number) == expected
    store.set_handling(decls[0].number, [{"kind": "branch", "code": "03CC", "name": "X"}])
    assert store.handling(decls[0].number) == [{"kind": "branch", "code": "03CC", "name": "X"}]
    with pytest.raises(ValueError):
        store.set_handling(decls[0].number, [{"kind": "branch"}])
    store.close()


def test_marks(tmp_path):
    store = DeclarationStore(tmp_path / "m.db")
    store.insert_many(iter_declarations(3, 10))
    numbers = store.numbers()
    store.set_mark("p", numbers[0], "queued:0")
    store.set_mark("p", numbers[0], "sent:5")
    store.set_mark("q", numbers[0], "other")
    store.set_mark("p", numbers[1], "answered:3")
    assert store.marks("p", numbers) == {numbers[0]: "sent:5", numbers[1]: "answered:3"}
    store.set_mark("p", numbers[1], None)
    assert store.marks("p", numbers) == {numbers[0]: "sent:5"}
    assert store.count_where(DeclarationFilter(mark=MarkFilter("p"))) == 1
    assert store.count_where(DeclarationFilter(mark=MarkFilter("p", present=False))) == 9
    with pytest.raises(ValueError):
        store.set_mark("", numbers[0], "x")
    store.close()


def test_bulk_load_replaces_repeated_numbers_and_keeps_indexes(tmp_path):
    store = DeclarationStore(tmp_path / "b.db")
    decls = list(iter_declarations(4, 30))
    changed = dataclasses.replace(decls[3], status="cancelled")
    assert store.insert_many([*decls, changed]) == 31
    assert store.count() == 30 and store.get(decls[3].number)["status"] == "cancelled"
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"decl_registered", "decl_status", "decl_partner"} <= names
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # a second, non-bulk insert updates in place
    store.insert_many([dataclasses.replace(decls[0], note="Hàng mẫu")])
    assert store.get(decls[0].number)["note"] == "Hàng mẫu" and store.count() == 30
    store.close()


def test_a_corrupt_file_is_a_clear_store_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError) as info:
        DeclarationStore(bad)
    assert "bad.db" in str(info.value)
    assert bad.read_bytes().startswith(b"this is not")  # never overwritten


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    DeclarationStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        DeclarationStore(path)


def test_interrupt_cancels_a_running_query(tmp_path):
    """A query stopped from another thread raises QueryCancelled, promptly."""
    path = tmp_path / "slow.db"
    with DeclarationStore(path) as setup:
        setup.insert_many(iter_declarations(5, 300))
    flt, sort = DeclarationFilter(search="co"), Sort("partner", False)

    def slow_store() -> DeclarationStore:
        store = DeclarationStore(path)

        def slow() -> int:  # a progress handler that makes every step slow
            time.sleep(0.002)
            return 0

        store.conn.set_progress_handler(slow, 10)
        return store

    # how long the slow query takes when nobody stops it
    with slow_store() as store:
        t0 = time.perf_counter()
        store.select_ids(flt, sort)
        uninterrupted = time.perf_counter() - t0
    assert uninterrupted > 0.3, "the progress handler should make the query slow"

    ready = threading.Event()
    outcome: dict = {}

    def run() -> None:  # the worker thread owns its connection
        store = slow_store()
        outcome["store"] = store
        ready.set()
        t0 = time.perf_counter()
        try:
            store.select_ids(flt, sort)
            outcome["result"] = "finished"
        except QueryCancelled:
            outcome["result"] = "cancelled"
        outcome["seconds"] = time.perf_counter() - t0
        store.conn.set_progress_handler(None, 0)
        outcome["after"] = len(store.select_ids(DeclarationFilter()))  # the connection still works
        store.close()

    t = threading.Thread(target=run)
    t.start()
    ready.wait(10)
    time.sleep(0.05)
    outcome["store"].interrupt()  # from this (another) thread
    t.join(10)
    assert outcome["result"] == "cancelled"
    assert outcome["seconds"] < uninterrupted / 2
    assert outcome["after"] == 300


def test_demo_data_cli(tmp_path):
    db = tmp_path / "demo.db"
    proc = subprocess.run([sys.executable, "-m", "desktop.demo_data", "--count", "250", "--db", str(db), "--seed", "9"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "250" in proc.stderr
    store = DeclarationStore(db)
    assert store.count() == 250
    first = next(iter_declarations(9, 1))
    assert store.get(first.number)["type_code"] == first.type_code
    stored = store.conn.execute("SELECT COUNT(DISTINCT number) FROM handling").fetchone()[0]
    assert stored > 200 and store.meta("handling") == "stored"
    numbers = store.numbers()
    assert all(len(n) == 12 and n[:2] in ("10", "30") for n in numbers)
    rows = _rows(store)
    assert {r["status"] for r in rows} >= {"cleared", "cancelled"}
    assert {r["channel"] for r in rows} >= {1, 2, 3}
    assert len({r["registered_at"][:4] for r in rows}) >= 4  # several years
    store.close()
    bad = subprocess.run([sys.executable, "-m", "desktop.demo_data", "--count", "-1", "--db", str(db)],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "count" in bad.stderr


def test_demo_data_large_counts_derive_handling(tmp_path, monkeypatch):
    from desktop import demo_data

    monkeypatch.setattr(demo_data, "STORE_HANDLING_UP_TO", 10)
    db = tmp_path / "big.db"
    assert demo_data.write_demo(db, 40, seed=3) == 40
    store = DeclarationStore(db)
    assert store.meta("handling") == "derived"
    assert store.conn.execute("SELECT COUNT(*) FROM handling").fetchone()[0] == 0
    d = next(x for x in iter_declarations(3, 40) if x.status == "cleared")
    assert [h["code"] for h in store.handling(d.number)] == \
        [t.code for t in handling_for(d.number, d.office_code, d.channel, d.status)]
    store.close()


def test_demo_data_parallel_producer_writes_the_same_rows(tmp_path):
    from desktop import demo_data

    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert demo_data.write_demo(a, 600, seed=8, parallel=True) == 600
    assert demo_data.write_demo(b, 600, seed=8, parallel=False) == 600
    q = ("SELECT d.number, d.registered_at, d.status, d.channel, d.invoice_value, d.cleared_at, p.name, d.note "
         "FROM declarations d LEFT JOIN partners p ON p.id = d.partner_id ORDER BY d.id")
    with DeclarationStore(a) as sa, DeclarationStore(b) as sb:
        rows = sa.conn.execute(q).fetchall()
        assert rows == sb.conn.execute(q).fetchall() and len(rows) == 600


def test_a_store_filled_by_the_feed_gets_planner_statistics_on_close(tmp_path):
    from desktop.core.query import DeclarationFilter
    from desktop.core.store import DeclarationStore

    path = tmp_path / "feed.db"
    store = DeclarationStore(path)
    items = [{"number": f"10{i:09d}0", "office_code": "03CC", "type_code": "A11",
              "registered_at": "2026-11-01T08:00:00+07:00", "status": "cleared" if i % 3 else "released",
              "channel": 1, "cleared_at": "2026-11-01T09:00:00+07:00", "handling": []} for i in range(2000)]
    assert len(store.upsert_from_feed(items)) == 2000
    assert store.count_where(DeclarationFilter(statuses=frozenset({"released"}))) == 667
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'").fetchone()[0] == 0
    store.close()
    reopened = DeclarationStore(path)
    rows = reopened.conn.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl='declarations'").fetchone()[0]
    reopened.close()
    assert rows > 0


# ---- number search anywhere in the number (trigram index) -----------------------------------

def test_many_number_matches_are_read_through_the_index(world, monkeypatch):
    from desktop.core.declstore import numberindex

    store, _ = world
    expected = list(store.select_ids(DeclarationFilter(search="000")))
    monkeypatch.setattr(numberindex, "NUMBER_IDS_LIMIT", 2)
    assert store.number_ids("000") is None
    plan = " | ".join(store.explain(DeclarationFilter(search="000")))
    assert "decl_search" in plan, plan
    assert list(store.select_ids(DeclarationFilter(search="000"))) == expected and len(expected) > 2
    assert store.count_where(DeclarationFilter(search="000")) == len(expected)


def test_the_number_index_follows_inserts_feed_merges_and_deletes(tmp_path):
    path = tmp_path / "d.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(3, 50))  # bulk: the index is rebuilt at the end
        store.insert_many(list(iter_declarations(4, 60))[50:])  # into a filled store: triggers
        assert store.upsert_from_feed([{"number": "109876543210", "status": "new",
                                        "registered_at": "2026-11-20T08:00:00+07:00"}]) == ["109876543210"]
        numbers = store.numbers()
        for number in (numbers[0], numbers[55], "109876543210"):
            found = store.select_ids(DeclarationFilter(search=number[4:10]))
            assert number in {store.conn.execute("SELECT number FROM declarations WHERE id = ?", (i,)).fetchone()[0]
                              for i in found}
        store.conn.execute("DELETE FROM declarations WHERE number = '109876543210'")
        assert list(store.select_ids(DeclarationFilter(search="987654321"))) == []
        # raises "database disk image is malformed" when the index and the table disagree
        store.conn.execute("INSERT INTO decl_search (decl_search) VALUES ('integrity-check')")


def test_a_store_of_the_first_version_gets_the_number_index(tmp_path):
    path = tmp_path / "old.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(5, 80))
        target = store.numbers()[17]
        # what a store written by the first version looks like
        for name in ("decl_search_ai", "decl_search_ad", "decl_search_au"):
            store.conn.execute(f"DROP TRIGGER {name}")
        store.conn.execute("DROP TABLE decl_search")
        store.conn.execute("PRAGMA user_version = 1")
    with DeclarationStore(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        ids = store.select_ids(DeclarationFilter(search=target[-8:-2]))
        numbers = {store.conn.execute("SELECT number FROM declarations WHERE id = ?", (i,)).fetchone()[0] for i in ids}
        assert target in numbers and all(target[-8:-2] in n for n in numbers)


def test_short_digit_searches_are_prefixes():
    from desktop.core.query import number_match

    assert number_match("12") is None  # fewer than 3 digits: a prefix (the index needs trigrams)
    assert number_match("088740") == '"088740"'
    assert number_match("08 87-40") == '"088740"'
    assert number_match("101088740120") is None  # a whole number: the unique index
    assert number_match("abc") is None


# ---- the store's parts (desktop.core.declstore) ---------------------------------------------

def test_partner_ids_are_made_once_per_name_and_forgotten_after_a_rollback(tmp_path):
    import unicodedata

    from desktop.core.declstore.partners import Partners
    from desktop.core.sqlite import transaction

    with DeclarationStore(tmp_path / "d.db") as store:
        partners = Partners(store.conn)
        assert partners.id_of(None) is None and partners.id_of("   ") is None
        with transaction(store.conn):
            first = partners.id_of(" Công ty Đình Vũ ")
            assert partners.id_of(unicodedata.normalize("NFD", "Công ty Đình Vũ")) == first
        assert store.conn.execute("SELECT name, fold FROM partners").fetchall() == [
            ("Công ty Đình Vũ", fold("Công ty Đình Vũ"))]
        assert partners.matching("dinh vu") == [first] and partners.matching("other") == []
        assert partners.matching("  ") is None
        with pytest.raises(RuntimeError), transaction(store.conn):
            partners.id_of("Rolled back")
            raise RuntimeError
        partners.forget()
        with transaction(store.conn):
            again = partners.id_of("Rolled back")
        assert store.conn.execute("SELECT name FROM partners WHERE id = ?", (again,)).fetchone() == ("Rolled back",)


def test_a_declaration_and_its_plain_row_are_written_alike():
    from desktop.core.declstore.rows import INSERT, declaration_row, insert_params

    ids = {}
    for d in iter_declarations(11, 20):
        obj = insert_params(d, lambda name: ids.setdefault(name, len(ids)), "2026-01-01T00:00:00")
        row = insert_params(declaration_row(d), lambda name: ids.setdefault(name, len(ids)), "2026-01-01T00:00:00")
        assert obj == row and len(obj) == INSERT.count("?")


def test_the_list_query_on_a_connection_of_its_own(world):
    from desktop.core.declstore.listing import ListQuery
    from desktop.core.declstore.partners import Partners

    store, _ = world
    query = ListQuery(store.conn, Partners(store.conn))
    for flt in (DeclarationFilter(), DeclarationFilter(search="000"), DeclarationFilter(search="dinh vu"),
                DeclarationFilter(statuses=frozenset({"cleared"}))):
        ids = query.select_ids(flt, Sort("partner", False))
        assert list(ids) == list(store.select_ids(flt, Sort("partner", False)))
        assert query.count_where(flt) == len(ids)
        assert list(query.select_ids(flt, limit=3)) == list(store.select_ids(flt))[:3]
    assert query.number_ids("12") is None  # a prefix: read through the number range
    query.interrupt()  # nothing running: the next query is not affected
    assert query.count_where(DeclarationFilter()) == store.count()
