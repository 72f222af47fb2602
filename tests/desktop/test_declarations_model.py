"""The list model: QAbstractItemModelTester, lazy blocks, first rows then all, cancellation."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QAbstractItemModelTester

from desktop.declarations import model as model_mod
from desktop.declarations.columns import ColumnSpec
from desktop.declarations.model import DeclarationTableModel
from desktop.core.query import DeclarationFilter, MarkFilter, Sort
from desktop.core.store import DeclarationStore
from domain.codes import CHANNEL_COLOURS, TYPE_CODES
from domain.demo import iter_declarations

N = 1200


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "decl.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(21, N))
    return path


@pytest.fixture
def model(qtbot, db):
    m = DeclarationTableModel(db, lang="vi", first_rows=100)
    yield m
    m.close()


def run(qtbot, m, flt=None, sort=None, timeout=10000):
    with qtbot.waitSignal(m.query_finished, timeout=timeout) as blocker:
        m.set_query(flt, sort)
    return blocker.args


def test_model_passes_the_item_model_tester(qtbot, model):
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    run(qtbot, model)
    assert model.rowCount() == N
    run(qtbot, model, DeclarationFilter(direction="E"))
    run(qtbot, model, sort=Sort("invoice_value", False))
    model.add_column(ColumnSpec("x", "X", value=lambda r: r["number"][-3:]))
    for r in (0, 5, model.rowCount() - 1):
        for c in range(model.columnCount()):
            model.data(model.index(r, c))
    run(qtbot, model, DeclarationFilter(search="no such partner"))
    assert model.rowCount() == 0


def test_rows_match_the_store_order(qtbot, model, db):
    run(qtbot, model, DeclarationFilter(direction="I"), Sort("number", False))
    with DeclarationStore(db) as store:
        expected = list(store.select_ids(DeclarationFilter(direction="I"), Sort("number", False)))
        numbers = [model.number_at(r) for r in range(model.rowCount())]
    assert list(model.ids()) == expected
    assert numbers == sorted(numbers)
    assert model.complete and not model.busy


def test_first_rows_arrive_before_the_whole_result(qtbot, model):
    firsts, inserted = [], []
    model.first_rows_ready.connect(firsts.append)
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    run(qtbot, model)
    assert firsts == [100]
    assert inserted == [(100, N - 1)]
    # a result smaller than the first block comes in one go
    firsts.clear()
    run(qtbot, model, DeclarationFilter(statuses={"new"}))
    assert firsts == [] and 0 < model.rowCount() < 100


def test_rows_are_fetched_lazily_in_cached_blocks(qtbot, model, monkeypatch):
    run(qtbot, model)
    calls = []
    store = model.store()
    real = store.rows_by_ids
    monkeypatch.setattr(store, "rows_by_ids", lambda ids, plugins=(): calls.append(len(ids)) or real(ids, plugins))
    for r in range(0, 50):
        model.data(model.index(r, 0))
    assert calls == [model_mod.BLOCK_SIZE]
    model.data(model.index(N - 1, 0))
    assert len(calls) == 2 and calls[1] == N - (N - 1) // model_mod.BLOCK_SIZE * model_mod.BLOCK_SIZE
    model.data(model.index(3, 2))
    assert len(calls) == 2  # cached


def test_display_roles(qtbot, model):
    run(qtbot, model, DeclarationFilter(channels={3}, statuses={"cleared"}))
    cols = {c.key: i for i, c in enumerate(model.columns())}
    row = model.row_dict(0)
    idx = lambda key: model.index(0, cols[key])  # noqa: E731
    assert model.data(idx("channel")) == "Luồng đỏ"
    assert model.data(idx("channel"), Qt.ItemDataRole.BackgroundRole) == QColor(CHANNEL_COLOURS[3])
    assert model.data(idx("status")) == "Đã thông quan"
    assert model.data(idx("type_code"), Qt.ItemDataRole.ToolTipRole) == TYPE_CODES[row["type_code"]][1]
    reg = row["registered_at"]
    assert model.data(idx("registered_at")) == f"{reg[8:10]}/{reg[5:7]}/{reg[:4]}"
    value = model.data(idx("invoice_value"))
    assert "," in value and value.replace(".", "").replace(",", "").isdigit()  # 1.234,56 in Vietnamese
    assert model.data(idx("invoice_value"), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(cols["number"], Qt.Orientation.Horizontal) == model.columns()[cols["number"]].header
    model.set_language("en")
    assert model.data(idx("channel")) == "Red channel"
    assert model.data(idx("status")) == "Cleared"
    assert model.data(idx("type_code"), Qt.ItemDataRole.ToolTipRole) == TYPE_CODES[row["type_code"]][2]


def test_plugin_mark_column_filter_and_sort(qtbot, model, db):
    with DeclarationStore(db) as store:
        numbers = store.numbers()[:40]
        store.set_marks("satisfaction", {n: f"sent:{i % 5 + 1}" for i, n in enumerate(numbers)})
    try:
        col = model.add_column(ColumnSpec("rating", "Rating", mark_plugin="satisfaction",
                                          format=lambda v: "★" * int(v.split(":")[1]) if v else "—"))
        run(qtbot, model, DeclarationFilter(mark=MarkFilter("satisfaction")), Sort("mark:satisfaction", True))
        assert model.rowCount() == 40
        shown = [model.data(model.index(r, col)) for r in range(40)]
        assert shown == sorted(shown, key=len, reverse=True) and shown[0] == "★★★★★"
        # a mark changes: refresh_rows repaints only that row
        number = model.number_at(0)
        with DeclarationStore(db) as store:
            store.set_mark("satisfaction", number, "sent:1")
        changed = []
        model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
        assert model.refresh_rows([number]) == 1
        assert changed == [(0, 0)]
        assert model.data(model.index(0, col)) == "★"
        run(qtbot, model, DeclarationFilter(mark=MarkFilter("satisfaction", present=False)))
        assert model.rowCount() == N - 40
        assert model.data(model.index(0, col)) == "—"
        # a raising formatter does not break painting
        model.add_column(ColumnSpec("rating", "Rating", mark_plugin="satisfaction", format=lambda v: 1 / 0))
        assert model.data(model.index(0, col)) is None
        assert model.remove_column("rating") and model.column_index("rating") == -1
        assert not model.remove_column("number")
    finally:
        with DeclarationStore(db) as store:
            store.set_marks("satisfaction", {n: None for n in numbers})


def test_sort_from_the_header(qtbot, model):
    run(qtbot, model)
    col = model.column_index("invoice_value")
    with qtbot.waitSignal(model.query_finished, timeout=10000):
        model.sort(col, Qt.SortOrder.AscendingOrder)
    values = [model.row_dict(r)["invoice_value"] for r in range(model.rowCount())]
    assert values == sorted(values)
    assert model.sort_order() == Sort("invoice_value", False)


def test_a_new_query_cancels_the_running_one(qtbot, db):
    """A slow query is interrupted by the next one; only the newest result is shown."""
    slow_on = {"on": False}

    def hook(conn):
        def handler():
            if slow_on["on"]:
                time.sleep(0.003)
            return 0
        conn.set_progress_handler(handler, 20)

    m = DeclarationTableModel(db, first_rows=0, connection_hook=hook)
    try:
        run(qtbot, m)  # opens the worker's connection
        # time of the slow query when it runs to the end
        slow_on["on"] = True
        t0 = time.perf_counter()
        run(qtbot, m, DeclarationFilter(direction="I"), Sort("partner", True), timeout=60000)
        uninterrupted = time.perf_counter() - t0
        assert uninterrupted > 0.5

        cancelled, finished = [], []
        m._worker.cancelled.connect(cancelled.append)
        m.query_finished.connect(lambda n, s: finished.append(n))
        first = m.set_query(DeclarationFilter(direction="I"), Sort("partner", False))
        qtbot.waitUntil(lambda: m._worker._running == first, timeout=10000)  # it is running now
        qtbot.wait(50)
        slow_on["on"] = False
        t1 = time.perf_counter()
        with qtbot.waitSignal(m.query_finished, timeout=10000):
            m.set_query(DeclarationFilter(statuses={"new"}), Sort("number", False))
        assert time.perf_counter() - t1 < uninterrupted / 2
        qtbot.waitUntil(lambda: cancelled == [first], timeout=5000)
        assert m._worker.interrupts >= 1
        assert finished == [m.rowCount()]  # the cancelled query never reached the view
        assert all(m.row_dict(r)["status"] == "new" for r in range(m.rowCount()))
    finally:
        m.close()


def test_a_broken_store_reports_an_error(qtbot, tmp_path):
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"garbage" * 1000)
    m = DeclarationTableModel(bad)
    try:
        with qtbot.waitSignal(m.query_failed, timeout=10000) as blocker:
            m.set_query()
        assert "broken.db" in blocker.args[0]
        assert m.rowCount() == 0 and not m.busy and m.error
    finally:
        m.close()
    assert bad.read_bytes().startswith(b"garbage")


def test_rows_deleted_after_the_query_show_placeholders(qtbot, tmp_path):
    path = tmp_path / "d.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(2, 30))
    m = DeclarationTableModel(path)
    try:
        run(qtbot, m)
        with DeclarationStore(path) as store:
            store.conn.execute("DELETE FROM declarations WHERE id = ?", (m.ids()[0],))
        assert m.data(m.index(0, 0)) == "…"
        assert m.number_at(0) is None
        assert m.data(m.index(1, 0))
    finally:
        m.close()


def test_invalid_indexes(model):
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.row_dict(-1) is None and model.row_of_number("000000000000") == -1


@pytest.mark.parametrize("prefetch", [True, False])
def test_first_block_read_by_the_worker_equals_the_store_and_spares_the_ui_thread(qtbot, db, prefetch):
    """The program's first query (``prefetch=True``) has the worker read the first block;
    the UI thread then shows it without a query of its own, and the rows are the store's."""
    m = DeclarationTableModel(db, lang="vi")  # the program's default first-rows size
    try:
        ui_reads: list[int] = []
        store = m.store()
        real = store.rows_by_ids

        def counting(ids, marks=()):
            ui_reads.append(len(ids))
            return real(ids, marks)

        store.rows_by_ids = counting
        sort = Sort("registered_at", True)
        with qtbot.waitSignal(m.query_finished, timeout=10000):
            m.set_query(None, sort, prefetch=prefetch)
        cols = [c.key for c in m.columns()]
        shown = [m.index(r, cols.index("number")).data() for r in range(model_mod.BLOCK_SIZE)]
        first_block_reads = list(ui_reads)
        with DeclarationStore(db) as truth:
            ids = list(truth.select_ids(DeclarationFilter(), sort))[:model_mod.BLOCK_SIZE]
            expected = [truth.rows_by_ids(ids, ())[i]["number"] for i in ids]
        assert shown == expected
        assert first_block_reads == ([] if prefetch else [model_mod.BLOCK_SIZE])
        # rows past the first block are still read on demand
        assert m.index(model_mod.BLOCK_SIZE, cols.index("number")).data()
        assert ui_reads[-1] > 0
    finally:
        m.close()


def test_only_cleared_declarations_show_a_clearance_date(qtbot, model, db):
    run(qtbot, model, DeclarationFilter(statuses={"released", "preservation", "cleared"}))
    col = model.column_index("cleared_at")
    seen = set()
    for r in range(model.rowCount()):
        row = model.row_dict(r)
        text = model.data(model.index(r, col))
        tip = model.data(model.index(r, col), Qt.ItemDataRole.ToolTipRole)
        when = row["cleared_at"]
        if row["status"] == "cleared":
            assert text == f"{when[8:10]}/{when[5:7]}/{when[:4]}"
        else:
            assert text == "" and row["status"] in ("released", "preservation")
            if when:  # the release time is still told, as such
                assert f"{when[8:10]}/{when[5:7]}/{when[:4]}" in tip and tip != text
        seen.add(row["status"])
    assert seen == {"released", "preservation", "cleared"}
