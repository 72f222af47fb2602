"""The declaration list widget: a filter bar over a lazily-filled table.

``DeclarationListView(store_path, parent, lang="vi")`` is what the main window embeds. It
never queries on the UI thread: filters and sorts go to the model's query worker; while a
query runs the previous rows stay visible and a small busy indicator shows; a failed query
(locked or broken store) is shown as a message with a retry button above the table.

The filter bar is :mod:`desktop.declarations.filter_bar`, the table and its column layout
:mod:`desktop.declarations.table`; this module keeps the queries, the selection across
queries, the saved state and the signals out.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout, \
    QWidget

from .columns import ColumnSpec
from .filter_bar import FilterBar
from .model import DeclarationTableModel
from .table import DeclarationTable
from desktop.core.query import DEFAULT_SORT, DeclarationFilter, Sort, filter_from_dict, filter_to_dict

__all__ = ["DeclarationListView", "FilterBar"]

log = logging.getLogger(__name__)

STATE_VERSION = 1
BUSY_DELAY_MS = 150  # a query running longer than this shows the busy indicator


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


class DeclarationListView(QWidget):
    """The declaration list (filter bar, table, count, busy and error states)."""

    current_changed = Signal(str)
    activated = Signal(str)
    context_menu_requested = Signal(str, QPoint)
    query_finished = Signal(int, float)

    def __init__(self, store_path: Path, parent: QWidget | None = None, *, lang: str = "vi",
                 model: DeclarationTableModel | None = None, today: Callable[[], date] | None = None):
        super().__init__(parent)
        self.lang = lang
        self.store_path = Path(store_path)
        self.model = model or DeclarationTableModel(self.store_path, self, lang=lang)
        self._pending_state: dict[str, Any] = {}  # widths/order of columns not added yet
        self._restore_number: str | None = None
        self._selecting = False
        self._last_current: str = ""

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        self.filter_bar = FilterBar(self, lang=lang, today=today)
        lay.addWidget(self.filter_bar)
        lay.addWidget(self._build_error_box())
        self.table = DeclarationTable(self.model, self)
        self.placeholder = self.table.placeholder
        self.table.show_sort(self.model.column_index(DEFAULT_SORT.column_key), DEFAULT_SORT.descending)
        hh = self.table.horizontalHeader()
        self.table.setSortingEnabled(True)
        hh.sortIndicatorChanged.connect(self._sort_indicator_changed)
        lay.addWidget(self.table, 1)
        self._loaded = False
        lay.addLayout(self._build_status_row())
        self.setFocusProxy(self.table)
        self._add_shortcuts()
        self._connect()
        self._query_timer = QTimer(self)
        self._query_timer.setSingleShot(True)
        self._query_timer.setInterval(0)
        self._query_timer.timeout.connect(self._run_query)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._pending_filter: DeclarationFilter | None = None
        self._pending_sort: Sort | None = None
        self.retranslate()
        self._schedule(DeclarationFilter(), None)

    def _build_error_box(self) -> QWidget:
        """A failed query's message and a retry button (hidden until a query fails)."""
        self.error_box = QWidget(self)
        self.error_box.setObjectName("listError")
        err = QHBoxLayout(self.error_box)
        err.setContentsMargins(6, 4, 6, 4)
        self.error_label = QLabel(self.error_box)
        self.error_label.setObjectName("listErrorText")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.retry_button = QPushButton(self.error_box)
        self.retry_button.setObjectName("retryQuery")
        self.retry_button.clicked.connect(self.refresh)
        err.addWidget(self.error_label, 1)
        err.addWidget(self.retry_button)
        self.error_box.setVisible(False)
        return self.error_box

    def _build_status_row(self) -> QHBoxLayout:
        """The count of declarations and the busy indicator under the table."""
        status_row = QHBoxLayout()
        self.busy = QProgressBar(self)
        self.busy.setObjectName("listBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumSize(80, 12)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("listCount")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        status_row.addWidget(self.count_label)
        status_row.addWidget(self.busy)
        status_row.addStretch(1)
        return status_row

    def _add_shortcuts(self) -> None:
        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_shortcut.activated.connect(self.filter_bar.focus_search)
        self.refresh_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        self.refresh_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_shortcut.activated.connect(self.refresh)

    def _connect(self) -> None:
        self.filter_bar.filter_edited.connect(self._filter_edited)
        self.model.query_started.connect(self._query_started)
        self.model.first_rows_ready.connect(self._first_rows)
        self.model.query_finished.connect(self._query_finished)
        self.model.query_failed.connect(self._query_failed)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.activated.connect(self._activated)
        self.table.customContextMenuRequested.connect(self._context_menu)

    # ---- public API ---------------------------------------------------------------------------------
    def set_filter(self, flt: DeclarationFilter) -> None:
        self.filter_bar.show_filter(flt)
        self._schedule(flt, None)

    def filter(self) -> DeclarationFilter:
        return self._pending_filter if self._pending_filter is not None else self.model.filter()

    def sort_order(self) -> Sort:
        return self._pending_sort if self._pending_sort is not None else self.model.sort_order()

    def set_sort(self, sort: Sort) -> None:
        col = self._column_for_sort(sort)
        if col >= 0:
            self.table.show_sort(col, sort.descending)
        self._schedule(None, sort)

    def add_column(self, spec: ColumnSpec) -> None:
        new = self.model.column_index(spec.key) < 0
        i = self.model.add_column(spec)
        widths = self._pending_state.get("widths", {})
        self.table.setColumnWidth(i, int(widths.get(spec.key, self.table.default_width(spec))))
        order = self._pending_state.get("order") or []
        if new and spec.key not in order:
            self.table.place_after_number(i)
        self.table.apply_order(self._pending_state.get("order"))
        if spec.key in self._pending_state.get("hidden", ()):
            self.table.setColumnHidden(i, True)
        pending_sort = self._pending_state.get("sort")
        if isinstance(pending_sort, dict) and pending_sort.get("key") == spec.effective_sort_key:
            self.set_sort(Sort(spec.effective_sort_key, bool(pending_sort.get("descending"))))

    def remove_column(self, key: str) -> bool:
        """Take a plugin's column out of the list (the plugin failed to start)."""
        return self.model.remove_column(key)

    def refresh(self) -> None:
        """Re-run the current query (after a feed merge or a mark change)."""
        self._schedule(None, None)

    def refresh_rows(self, numbers: list[str] | set[str]) -> None:
        self.model.refresh_rows(numbers)

    def current_number(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.number_at(index.row())

    def select_number(self, number: str) -> bool:
        row = self.model.row_of_number(number)
        if row < 0:
            return False
        self._select_row(row)
        return True

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.filter_bar.lang = lang
        self.model.set_language(lang)
        self.retranslate()

    def close_store(self) -> None:
        """Stop the query worker and close connections (call before the store goes away)."""
        self.model.close()

    # ---- state -----------------------------------------------------------------------------------------
    def save_state(self) -> dict[str, Any]:
        layout = self.table.layout_state(self._pending_state.get("widths", {}))
        sort = self.sort_order()
        flt = self.filter()
        plain = DeclarationFilter(direction=flt.direction, statuses=flt.statuses, channels=flt.channels,
                                  office=flt.office, date_from=flt.date_from, date_to=flt.date_to, search=flt.search)
        return {"version": STATE_VERSION, **layout,
                "sort": {"key": sort.column_key, "descending": sort.descending},
                "filter": filter_to_dict(plain)}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Apply a saved state; unknown columns are remembered for when a plugin adds them.
        A malformed state is ignored piece by piece (never raises)."""
        if not isinstance(state, dict):
            return
        widths = state.get("widths") if isinstance(state.get("widths"), dict) else {}
        widths = {str(k): int(v) for k, v in widths.items() if isinstance(v, (int, float)) and 10 <= v <= 2000}
        order = [str(k) for k in state.get("order", []) if isinstance(k, str)] if isinstance(state.get("order"), list) else []
        hidden = [str(k) for k in state.get("hidden", []) if isinstance(k, str)] if isinstance(state.get("hidden"), list) else []
        self._pending_state = {"widths": widths, "order": order, "hidden": hidden, "sort": state.get("sort")}
        self.table.apply_layout(widths, hidden, order)
        flt = filter_from_dict(state.get("filter")) if "filter" in state else None
        sort = None
        s = state.get("sort")
        if isinstance(s, dict) and isinstance(s.get("key"), str):
            candidate = Sort(s["key"], bool(s.get("descending")))
            if self._column_for_sort(candidate) >= 0:
                sort = candidate
        if flt is not None:
            self.filter_bar.show_filter(flt)
        if sort is not None:
            self.set_sort(sort)
        self._schedule(flt, sort)

    # ---- queries ---------------------------------------------------------------------------------------
    def _schedule(self, flt: DeclarationFilter | None, sort: Sort | None) -> None:
        """Coalesce changes made in one event-loop turn into one query."""
        if flt is not None:
            self._pending_filter = flt
        if sort is not None:
            self._pending_sort = sort
        self._query_timer.start()

    def run_pending_query(self) -> None:
        """Start a query scheduled for the next event-loop turn now (the program's start
        calls this once the saved list state is applied, so that the first query runs on
        its worker thread while the window is being shown)."""
        if self._query_timer.isActive():
            self._query_timer.stop()
            self._run_query(prefetch=True)

    def _run_query(self, *, prefetch: bool = False) -> None:
        flt, sort = self._pending_filter, self._pending_sort
        self._pending_filter = self._pending_sort = None
        self.model.set_query(flt, sort, prefetch=prefetch)

    def _filter_edited(self, flt: DeclarationFilter) -> None:
        self._schedule(flt, None)

    def _column_for_sort(self, sort: Sort) -> int:
        for i, c in enumerate(self.model.columns()):
            if c.effective_sort_key == sort.column_key:
                return i
        return -1

    def _sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        """A click on a column that cannot be sorted in SQL puts the indicator back."""
        cols = self.model.columns()
        if 0 <= column < len(cols) and cols[column].effective_sort_key is None:
            sort = self.sort_order()
            current = self._column_for_sort(sort)
            QTimer.singleShot(0, lambda: self.table.show_sort(current, sort.descending))

    def _query_started(self) -> None:
        # only queries that take a noticeable time show the indicator (no flicker)
        self._busy_timer.start()

    def _show_busy(self) -> None:
        if self.model.busy:
            self.busy.setVisible(True)

    def _remember_current(self) -> None:
        number = self.current_number()
        if number:
            self._restore_number = number

    def is_loaded(self) -> bool:
        """False until the first query answered (rows, an empty result or an error)."""
        return self._loaded

    def _set_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.placeholder.setVisible(False)

    def _first_rows(self, n: int) -> None:
        self._set_loaded()
        self._restore_selection(final=False)
        self._update_count(n, complete=False)

    def _query_finished(self, n: int, seconds: float) -> None:
        self._set_loaded()
        self._busy_timer.stop()
        self.busy.setVisible(False)
        self.error_box.setVisible(False)
        self._restore_selection(final=True)
        self._update_count(n, complete=True)
        sort = self.model.sort_order()
        col = self._column_for_sort(sort)
        if col >= 0 and self.table.horizontalHeader().sortIndicatorSection() != col:
            self.table.show_sort(col, sort.descending)
        self.query_finished.emit(n, seconds)

    def _query_failed(self, message: str) -> None:
        self._set_loaded()
        self._busy_timer.stop()
        self.busy.setVisible(False)
        self.error_label.setText(message)
        self.error_box.setVisible(True)

    def _restore_selection(self, *, final: bool) -> None:
        """Keep the declaration that was current before the query (when it is still in the
        result); otherwise the first row, unless the user already picked one."""
        if self.model.rowCount() == 0:
            if final:
                self._restore_number = None
                self._emit_current("")
            return
        number = self._restore_number
        if number:
            row = self.model.row_of_number(number)
            if row >= 0:
                self._select_row(row)
                self._restore_number = None  # found: the rest of the result only appends rows
                return
            if not final:
                return  # maybe among the rows still to come
            self._restore_number = None
        if not self.table.currentIndex().isValid():
            self._select_row(0)

    def _select_row(self, row: int, *, scroll: bool = True) -> None:
        index = self.model.index(row, max(0, self.table.currentIndex().column()))
        self._selecting = True
        try:
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._selecting = False
        if scroll:
            self.table.scrollTo(index)

    def _update_count(self, n: int, *, complete: bool) -> None:
        text = self.model.locale().toString(n)
        if complete:
            self.count_label.setText(_t("%1 declarations").replace("%1", text))
        else:
            self.count_label.setText(_t("%1+ declarations (counting…)").replace("%1", text))

    # ---- signals out ---------------------------------------------------------------------------------
    def _emit_current(self, number: str) -> None:
        if number != self._last_current:
            self._last_current = number
            self.current_changed.emit(number)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._selecting and current.isValid():
            self._restore_number = None  # the user moved: never jump back when the count ends
        number = self.model.number_at(current.row()) if current.isValid() else None
        self._emit_current(number or "")

    def _activated(self, index: QModelIndex) -> None:
        number = self.model.number_at(index.row()) if index.isValid() else None
        if number:
            self.activated.emit(number)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        if index.row() != self.table.currentIndex().row():
            self._select_row(index.row(), scroll=False)
        number = self.model.number_at(index.row())
        if number:
            self.context_menu_requested.emit(number, self.table.viewport().mapToGlobal(pos))

    # ---- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.filter_bar.retranslate()
        self.retry_button.setText(_t("Try again"))
        self.table.retranslate()
        self.busy.setToolTip(_t("Loading…"))
        if not self._loaded:
            self.count_label.setText(_t("Loading…"))
        elif not self.model.busy or self.model.rowCount():
            self._update_count(self.model.rowCount(), complete=self.model.complete)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            lang = getattr(self.window(), "lang", None)
            if lang in ("vi", "en") and lang != self.lang:
                self.set_language(lang)
            else:
                self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: Any) -> None:
        self.model.close()
        super().closeEvent(event)
