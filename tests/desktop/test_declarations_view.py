"""The list widget: filter bar, keyboard, signals, state round-trip, plugin column, errors."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget

from desktop.declarations.columns import ColumnSpec
from desktop.core.query import DeclarationFilter, MarkFilter, Sort
from desktop.core.store import DeclarationStore
from desktop.declarations.view import DeclarationListView
from domain.demo import iter_declarations

N = 900


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("view") / "decl.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(33, N))
    return path


@pytest.fixture
def view(qtbot, db):
    v = DeclarationListView(db, lang="vi")
    qtbot.addWidget(v)
    v.resize(1100, 600)
    with qtbot.waitSignal(v.query_finished, timeout=10000):
        v.show()
    yield v
    v.close_store()


def ground(db, flt, sort=Sort()):
    with DeclarationStore(db) as store:
        return list(store.select_ids(flt, sort))


def test_first_query_count_label_and_selection(view, db):
    assert view.model.rowCount() == N
    assert view.count_label.text().replace(".", "").startswith(str(N))
    assert view.current_number() == view.model.number_at(0)
    assert not view.busy.isVisible() and not view.error_box.isVisible()
    assert view.table.verticalHeader().sectionResizeMode(0).name == "Fixed"


def test_filter_bar_widgets_build_the_filter(qtbot, view, db):
    bar = view.filter_bar
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        bar.direction.setCurrentIndex(bar.direction.findData("E"))
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        bar.status.setCurrentIndex(bar.status.findData("cleared"))
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        bar.channel.setCurrentIndex(bar.channel.findData(1))
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        bar.date_from.setDate(QDate(2023, 1, 1))
    expected = DeclarationFilter(direction="E", statuses={"cleared"}, channels={1}, date_from=date(2023, 1, 1))
    assert view.filter() == expected
    assert list(view.model.ids()) == ground(db, expected)
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        bar.office.setCurrentIndex(bar.office.findData("03CC"))
    assert list(view.model.ids()) == ground(db, expected.with_(office="03CC"))
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        qtbot.mouseClick(bar.reset_button, Qt.MouseButton.LeftButton)
    assert view.filter() == DeclarationFilter() and view.model.rowCount() == N
    assert bar.date_from.text() == bar.date_from.specialValueText()


def test_search_is_debounced_and_escape_clears(qtbot, view, db):
    bar = view.filter_bar
    queries = []
    view.model.query_started.connect(lambda: queries.append(1))
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.search.hasFocus()
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        qtbot.keyClicks(bar.search, "samsung")
    assert len(queries) == 1  # seven keystrokes, one query
    assert list(view.model.ids()) == ground(db, DeclarationFilter(search="samsung"))
    assert 0 < view.model.rowCount() < N
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        qtbot.keyClick(bar.search, Qt.Key.Key_Escape)
    assert bar.search.text() == "" and view.model.rowCount() == N


def test_plugin_filter_shows_title_and_can_be_left(qtbot, view):
    flt = DeclarationFilter(statuses={"cleared", "released"}, mark=MarkFilter("satisfaction", present=False),
                            title="Chưa đánh giá")
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        view.set_filter(flt)
    assert view.filter() == flt
    assert view.filter_bar.title_label.isVisible() and view.filter_bar.title_label.text() == "Chưa đánh giá"
    assert view.filter_bar.status.currentData() == frozenset({"cleared", "released"})
    # editing another widget keeps the special parts of the filter
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        view.filter_bar.direction.setCurrentIndex(view.filter_bar.direction.findData("I"))
    assert view.filter() == flt.with_(direction="I")
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        view.filter_bar.clear_title_button.click()
    assert view.filter() == DeclarationFilter() and not view.filter_bar.title_label.isVisible()


def test_keyboard_navigation_and_signals(qtbot, view):
    view.table.setFocus()
    current = []
    view.current_changed.connect(current.append)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert current == [view.model.number_at(1)] and view.current_number() == current[-1]
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.current_number() == view.model.number_at(N - 1)
    with qtbot.waitSignal(view.activated, timeout=2000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [view.model.number_at(N - 1)]
    rect = view.table.visualRect(view.model.index(N - 2, 1))
    with qtbot.waitSignal(view.context_menu_requested, timeout=2000) as blocker:
        view.table.customContextMenuRequested.emit(rect.center())
    assert blocker.args[0] == view.model.number_at(N - 2) and isinstance(blocker.args[1], QPoint)
    assert view.current_number() == view.model.number_at(N - 2)


def test_selection_survives_a_refresh_and_a_sort(qtbot, view):
    view.select_number(view.model.number_at(37))
    number = view.current_number()
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        view.refresh()
    assert view.current_number() == number
    col = view.model.column_index("partner")
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        view.table.horizontalHeader().sectionClicked.emit(col)
        view.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    assert view.sort_order() == Sort("partner", False)
    assert view.current_number() == number
    partners = [view.model.row_dict(r)["partner"] for r in range(view.model.rowCount())]
    assert partners == sorted(partners)


def test_state_round_trips(qtbot, view, db):
    col = view.model.column_index("partner")
    view.table.setColumnWidth(col, 333)
    view.table.horizontalHeader().moveSection(view.table.horizontalHeader().visualIndex(col), 0)
    view.table.setColumnHidden(view.model.column_index("cleared_at"), True)
    flt = DeclarationFilter(direction="I", statuses={"cleared"}, search="co", date_to=date(2025, 1, 31))
    with qtbot.waitSignal(view.query_finished, timeout=10000):
        view.set_filter(flt)
        view.set_sort(Sort("invoice_value", False))
    state = view.save_state()
    assert state["filter"]["search"] == "co" and state["sort"] == {"key": "invoice_value", "descending": False}

    other = DeclarationListView(db, lang="vi")
    qtbot.addWidget(other)
    try:
        with qtbot.waitSignal(other.query_finished, timeout=10000):
            other.restore_state(state)
            other.show()
        qtbot.waitUntil(lambda: other.filter() == flt and other.sort_order() == Sort("invoice_value", False),
                        timeout=5000)
        assert other.save_state() == state
        assert other.table.columnWidth(other.model.column_index("partner")) == 333
        assert other.table.horizontalHeader().logicalIndex(0) == other.model.column_index("partner")
        assert other.table.isColumnHidden(other.model.column_index("cleared_at"))
        assert list(other.model.ids()) == ground(db, flt, Sort("invoice_value", False))
        assert other.filter_bar.search.text() == "co"
        # a plugin column added later gets its saved width and position
        state2 = dict(state, widths={**state["widths"], "rating": 77}, order=["rating", *state["order"]])
        other.restore_state(state2)
        other.add_column(ColumnSpec("rating", "Rating", mark_plugin="satisfaction"))
        assert other.table.columnWidth(other.model.column_index("rating")) == 77
        assert other.table.horizontalHeader().logicalIndex(0) == other.model.column_index("rating")
        # garbage does not raise
        other.restore_state({"widths": {"number": "wide"}, "order": "x", "sort": 5, "filter": []})
        other.restore_state("nonsense")  # type: ignore[arg-type]
    finally:
        other.close_store()


def test_plugin_column_and_refresh_rows(qtbot, view, db):
    view.add_column(ColumnSpec("rating", "Đánh giá", mark_plugin="satisfaction",
                               format=lambda v: v or "—", sortable=True))
    col = view.model.column_index("rating")
    number = view.model.number_at(0)
    assert view.model.data(view.model.index(0, col)) == "—"
    with DeclarationStore(db) as store:
        store.set_mark("satisfaction", number, "queued:0")
    try:
        view.refresh_rows([number])
        assert view.model.data(view.model.index(0, col)) == "queued:0"
        with qtbot.waitSignal(view.query_finished, timeout=10000):
            view.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
        assert view.sort_order() == Sort("mark:satisfaction", True)
        assert view.model.number_at(0) == number
    finally:
        with DeclarationStore(db) as store:
            store.set_mark("satisfaction", number, None)


def test_language_switch(qtbot, view):
    col = view.model.column_index("status")
    vi = view.model.data(view.model.index(0, col))
    view.set_language("en")
    en = view.model.data(view.model.index(0, col))
    assert vi != en and en in {"New", "Channel assigned", "Goods released", "Brought to preservation", "Cleared",
                               "Cancelled"}
    assert view.filter_bar.status.itemText(1) == "New"
    assert view.count_label.text() == f"{N:,} declarations".replace(",", ",")


def test_errors_are_shown_in_the_widget(qtbot, tmp_path):
    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"not a database" * 500)
    v = DeclarationListView(bad)
    qtbot.addWidget(v)
    try:
        v.show()
        qtbot.waitUntil(lambda: v.error_box.isVisible(), timeout=10000)
        assert "corrupt.db" in v.error_label.text()
        assert v.model.rowCount() == 0 and not v.busy.isVisible()
        assert v.retry_button.isVisible()
    finally:
        v.close_store()


def test_vietnamese_count_uses_dot_separators(qtbot, view):
    view._update_count(1_000_000, complete=True)
    assert view.count_label.text().startswith("1.000.000")


def test_header_menu_hides_columns_but_not_the_last(view):
    menu = view.table.build_header_menu()
    actions = menu.actions()
    assert len(actions) == view.model.columnCount()
    actions[1].setChecked(False)
    assert view.table.isColumnHidden(1)
    actions[1].setChecked(True)
    assert not view.table.isColumnHidden(1)
    QApplication.processEvents()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_filter_bar_fits_a_laptop_screen(qtbot, db, lang):
    v = DeclarationListView(db, lang=lang)
    qtbot.addWidget(v)
    try:
        assert v.filter_bar.minimumSizeHint().width() <= 1200
        assert v.minimumSizeHint().width() <= 1200
    finally:
        v.close_store()


def test_old_rows_stay_and_busy_shows_while_a_slow_query_runs(qtbot, db):
    import time as _time

    from desktop.declarations.model import DeclarationTableModel

    slow = {"on": False}

    def hook(conn):
        conn.set_progress_handler(lambda: (_time.sleep(0.002) if slow["on"] else None) and 0, 50)

    model = DeclarationTableModel(db, first_rows=0, connection_hook=hook)
    v = DeclarationListView(db, model=model)
    qtbot.addWidget(v)
    try:
        v.show()
        qtbot.waitUntil(lambda: v.model.rowCount() == N and not v.model.busy, timeout=10000)
        before = v.model.number_at(0)
        slow["on"] = True
        v.set_sort(Sort("partner", False))
        qtbot.waitUntil(lambda: v.busy.isVisible(), timeout=5000)
        assert v.model.busy and v.model.rowCount() == N and v.model.number_at(0) == before  # old rows stay
        slow["on"] = False
        qtbot.waitUntil(lambda: not v.model.busy, timeout=60000)
        assert not v.busy.isVisible()
    finally:
        v.close_store()


def test_a_column_without_sql_sort_keeps_the_current_sort(qtbot, view):
    view.add_column(ColumnSpec("calc", "Calc", value=lambda r: r["number"][-2:], sortable=False))
    col = view.model.column_index("calc")
    queries = []
    view.model.query_started.connect(lambda: queries.append(1))
    view.table.horizontalHeader().setSortIndicator(col, Qt.SortOrder.AscendingOrder)
    qtbot.wait(50)
    assert queries == [] and view.sort_order() == Sort()
    assert view.table.horizontalHeader().sortIndicatorSection() == view.model.column_index("registered_at")


def test_moving_while_the_count_runs_is_not_undone(qtbot, db):
    """Rows shown before the whole result arrived: the user's move wins over the restore."""
    from desktop.declarations.model import DeclarationTableModel

    model = DeclarationTableModel(db, first_rows=50)
    v = DeclarationListView(db, model=model)
    qtbot.addWidget(v)
    try:
        v.show()
        qtbot.waitUntil(lambda: v.model.complete and v.model.rowCount() == N, timeout=10000)
        far = v.model.number_at(N - 5)  # not among the first 50 rows of the next result
        v.select_number(far)
        moved = []

        def move_now(_n):
            v.table.setFocus()
            qtbot.keyClick(v.table, Qt.Key.Key_Down)
            moved.append(v.current_number())

        v.model.first_rows_ready.connect(move_now)
        with qtbot.waitSignal(v.query_finished, timeout=10000):
            v.refresh()
        assert moved and v.current_number() == moved[0] != far
    finally:
        v.close_store()


def test_a_locked_store_shows_a_busy_message_and_retry_works(qtbot, tmp_path):
    import sqlite3

    from desktop.declarations.model import DeclarationTableModel

    path = tmp_path / "locked.db"
    with DeclarationStore(path) as store:
        store.insert_many(iter_declarations(4, 20))
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("PRAGMA locking_mode = EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    v = DeclarationListView(path, model=DeclarationTableModel(path, busy_timeout=0.2))
    qtbot.addWidget(v)
    try:
        v.show()
        qtbot.waitUntil(lambda: v.error_box.isVisible(), timeout=10000)
        assert "busy" in v.error_label.text() and v.model.rowCount() == 0
        locker.execute("COMMIT")
        locker.close()
        with qtbot.waitSignal(v.query_finished, timeout=10000):
            v.retry_button.click()
        assert v.model.rowCount() == 20 and not v.error_box.isVisible()
    finally:
        v.close_store()


def test_an_empty_date_opens_its_calendar_on_the_current_month(qtbot, db):
    v = DeclarationListView(db, lang="vi", today=lambda: date(2026, 11, 20))
    qtbot.addWidget(v)
    v.show()
    try:
        bar = v.filter_bar
        edit = bar.date_from
        assert bar.current_filter().date_from is None  # "all dates"
        assert not edit.findChildren(QCalendarWidget)  # made on first use, not with the list
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 5, edit.height() // 2))
        cal = edit.calendarWidget()
        qtbot.waitUntil(cal.isVisible, timeout=2000)
        assert (cal.yearShown(), cal.monthShown()) == (2026, 11)
        assert bar.current_filter().date_from is None  # opening it chose no date
        cal.window().hide()
        bar.date_to.setDate(QDate(2025, 3, 15))
        qtbot.mouseClick(bar.date_to, Qt.MouseButton.LeftButton,
                         pos=QPoint(bar.date_to.width() - 5, bar.date_to.height() // 2))
        qtbot.waitUntil(bar.date_to.calendarWidget().isVisible, timeout=2000)
        assert (bar.date_to.calendarWidget().yearShown(), bar.date_to.calendarWidget().monthShown()) == (2025, 3)
        bar.date_to.calendarWidget().window().hide()
    finally:
        v.close_store()



def test_the_list_says_it_is_loading_until_the_first_result(qtbot, db):
    v = DeclarationListView(db, lang="vi")
    qtbot.addWidget(v)
    v.resize(900, 500)
    try:
        v.show()
        assert not v.is_loaded()
        assert v.count_label.text() == "Loading…"  # not "0 declarations"
        assert v.placeholder.isVisible() and v.placeholder.text() == "Loading declarations…"
        assert v.placeholder.geometry() == v.table.viewport().rect()
        v.retranslate()  # a language switch meanwhile keeps saying so
        assert v.count_label.text() == "Loading…"
        qtbot.waitUntil(v.is_loaded, timeout=10000)
        qtbot.waitUntil(lambda: not v.model.busy, timeout=10000)
        assert v.count_label.text().replace(".", "").startswith(str(N))
        assert not v.placeholder.isVisible()
    finally:
        v.close_store()


def test_an_empty_store_says_zero_once_loaded(qtbot, tmp_path):
    v = DeclarationListView(tmp_path / "empty.db", lang="vi")
    qtbot.addWidget(v)
    try:
        with qtbot.waitSignal(v.query_finished, timeout=10000):
            v.show()
        assert v.is_loaded() and not v.placeholder.isVisible()
        assert v.count_label.text().startswith("0 ")
    finally:
        v.close_store()
