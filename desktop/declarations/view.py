"""The declaration list widget: a filter bar over a lazily-filled table.

``DeclarationListView(store_path, parent, lang="vi")`` is what the main window embeds. It
never queries on the UI thread: filters and sorts go to the model's query worker; while a
query runs the previous rows stay visible and a small busy indicator shows; a failed query
(locked or broken store) is shown as a message with a retry button above the table.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, \
    QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMenu, QProgressBar, QPushButton, QSizePolicy, QTableView, QToolButton, QVBoxLayout,
                               QWidget)

from domain.codes import CHANNELS, EXPORT, IMPORT, OFFICES, STATUSES

from .columns import ColumnSpec
from .model import DeclarationTableModel
from desktop.core.query import DEFAULT_SORT, DeclarationFilter, Sort, filter_from_dict, filter_to_dict

__all__ = ["DeclarationListView", "FilterBar"]

log = logging.getLogger(__name__)

STATE_VERSION = 1
SEARCH_DEBOUNCE_MS = 250
BUSY_DELAY_MS = 150  # a query running longer than this shows the busy indicator
ALL_DATES = QDate(2000, 1, 1)  # the minimum of the date edits shows "all dates"


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else ALL_DATES


def _pydate(value: QDate) -> date | None:
    if not value.isValid() or value <= ALL_DATES:
        return None
    return date(value.year(), value.month(), value.day())


class FilterBar(QWidget):
    """Direction, status, channel, office, date range, search, reset; emits the filter."""

    filter_edited = Signal(object)  # DeclarationFilter

    def __init__(self, parent: QWidget | None = None, *, lang: str = "vi",
                 today: Callable[[], date] | None = None):
        super().__init__(parent)
        self.lang = lang
        # the month an empty date's calendar opens on (the demo world has its own "today")
        self.today: Callable[[], date] = today or date.today
        self._updating = False
        self._special: DeclarationFilter = DeclarationFilter()  # parts the widgets cannot show
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("filterTitle")
        self.title_label.setVisible(False)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.clear_title_button = QToolButton(self)
        self.clear_title_button.setObjectName("clearSpecialView")
        self.clear_title_button.setVisible(False)
        self.clear_title_button.clicked.connect(self.reset)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.clear_title_button)
        title_row.addStretch(1)
        lay.addLayout(title_row)

        # two rows, so the bar fits a 1366-pixel laptop screen in both languages
        first_row, second_row = QHBoxLayout(), QHBoxLayout()
        for r in (first_row, second_row):
            r.setSpacing(6)
            lay.addLayout(r)
        row = first_row

        def labelled(name: str, widget: QWidget) -> QLabel:
            label = QLabel(self)
            label.setObjectName(f"{name}Label")
            label.setBuddy(widget)
            widget.setObjectName(name)
            row.addWidget(label)
            row.addWidget(widget)
            return label

        self.direction = QComboBox(self)
        self.status = QComboBox(self)
        self.channel = QComboBox(self)
        self.office = QComboBox(self)
        for combo in (self.direction, self.status, self.channel):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # office names are long: the box shows the start, the popup the whole name
        self.office.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.office.setMinimumContentsLength(22)
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setMinimumDate(ALL_DATES)
            edit.setMaximumDate(QDate(2099, 12, 31))
            edit.setDate(ALL_DATES)
            edit.calendarWidget().installEventFilter(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.search.setMaxLength(100)
        self.reset_button = QPushButton(self)
        self.reset_button.setObjectName("resetFilters")

        self._labels = {
            "direction": labelled("directionFilter", self.direction),
            "status": labelled("statusFilter", self.status),
            "channel": labelled("channelFilter", self.channel),
            "office": labelled("officeFilter", self.office),
        }
        first_row.addStretch(1)
        row = second_row
        self._labels.update({
            "from": labelled("dateFrom", self.date_from),
            "to": labelled("dateTo", self.date_to),
            "search": labelled("searchField", self.search),
        })
        second_row.addWidget(self.reset_button)
        second_row.addStretch(1)
        self.setTabOrder(self.direction, self.status)
        self.setTabOrder(self.status, self.channel)
        self.setTabOrder(self.channel, self.office)
        self.setTabOrder(self.office, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.search)
        self.setTabOrder(self.search, self.reset_button)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._emit_now)
        for combo in (self.direction, self.status, self.channel, self.office):
            combo.currentIndexChanged.connect(lambda _i: self._emit())
        self.date_from.dateChanged.connect(lambda _d: self._emit())
        self.date_to.dateChanged.connect(lambda _d: self._emit())
        self.reset_button.clicked.connect(self.reset)
        self.search.installEventFilter(self)
        self.retranslate()

    # ---- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        current = self.current_filter()
        self._updating = True
        try:
            texts = {"direction": _t("&Direction:"), "status": _t("S&tatus:"), "channel": _t("C&hannel:"),
                     "office": _t("Offi&ce:"), "from": _t("Fro&m:"), "to": _t("T&o:"), "search": _t("&Search:")}
            for key, label in self._labels.items():
                label.setText(texts[key])
            self.search.setPlaceholderText(_t("Declaration number or partner (Ctrl+F)"))
            self.reset_button.setText(_t("&Reset"))
            self.reset_button.setToolTip(_t("Show all declarations"))
            self.clear_title_button.setText(_t("Back to all declarations"))
            for edit in (self.date_from, self.date_to):
                edit.setSpecialValueText(_t("All dates"))
            self._fill(self.direction, [(None, _t("All")), (IMPORT, _t("Import")), (EXPORT, _t("Export"))])
            self._fill(self.status, [(None, _t("All statuses"))] + [(k, c.label(self.lang)) for k, c in STATUSES.items()])
            self._fill(self.channel, [(None, _t("All channels"))] + [(k, c.label(self.lang)) for k, c in CHANNELS.items()])
            self._fill(self.office, [(None, _t("All offices"))] +
                       [(k, f"{k} – {c.label(self.lang)}") for k, c in OFFICES.items()])
            self.office.view().setMinimumWidth(self.office.view().sizeHintForColumn(0) + 24)
        finally:
            self._updating = False
        self.show_filter(current)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[Any, str]]) -> None:
        combo.blockSignals(True)
        combo.clear()
        for data, text in items:
            combo.addItem(text, data)
        combo.blockSignals(False)

    # ---- filter <-> widgets -------------------------------------------------------------------------
    @staticmethod
    def _select(combo: QComboBox, value: Any, several_text: str) -> None:
        """Select ``value``; a set of several values gets a "(several)" entry of its own."""
        # drop an earlier "(several)" entry
        for i in range(combo.count() - 1, -1, -1):
            if isinstance(combo.itemData(i), frozenset):
                combo.removeItem(i)
        if isinstance(value, frozenset):
            if not value:
                value = None
            elif len(value) == 1:
                value = next(iter(value))
            else:
                combo.addItem(several_text, value)
                combo.setCurrentIndex(combo.count() - 1)
                return
        i = combo.findData(value)
        combo.setCurrentIndex(max(0, i))

    def show_filter(self, flt: DeclarationFilter) -> None:
        """Make the widgets show ``flt`` without emitting."""
        self._updating = True
        try:
            self._special = DeclarationFilter(mark=flt.mark, title=flt.title, date_field=flt.date_field)
            self._select(self.direction, flt.direction, _t("(several)"))
            self._select(self.status, flt.statuses, _t("(several statuses)"))
            self._select(self.channel, flt.channels, _t("(several channels)"))
            self._select(self.office, flt.office, _t("(several)"))
            self.date_from.setDate(_qdate(flt.date_from))
            self.date_to.setDate(_qdate(flt.date_to))
            if self.search.text() != flt.search:
                self.search.setText(flt.search)
            self.title_label.setText(flt.title)
            self.title_label.setVisible(bool(flt.title))
            self.clear_title_button.setVisible(bool(flt.title or flt.mark))
        finally:
            self._updating = False

    def current_filter(self) -> DeclarationFilter:
        def value(combo: QComboBox) -> Any:
            return combo.currentData() if combo.count() else None

        status = value(self.status)
        channel = value(self.channel)
        date_from, date_to = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        special = getattr(self, "_special", DeclarationFilter())
        return DeclarationFilter(
            direction=value(self.direction),
            statuses=status if isinstance(status, frozenset) else frozenset([status]) if status else frozenset(),
            channels=channel if isinstance(channel, frozenset) else frozenset([channel]) if channel else frozenset(),
            office=value(self.office),
            date_from=date_from, date_to=date_to,
            search=self.search.text().strip(),
            mark=special.mark, title=special.title, date_field=special.date_field,
        )

    def _emit(self) -> None:
        if self._updating:
            return
        self._debounce.stop()
        self.filter_edited.emit(self.current_filter())

    def _emit_now(self) -> None:
        self._emit()

    def reset(self) -> None:
        self._debounce.stop()
        self.show_filter(DeclarationFilter())
        self.filter_edited.emit(DeclarationFilter())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            for edit in (self.date_from, self.date_to):
                if obj is edit.calendarWidget() and _pydate(edit.date()) is None:
                    # "all dates" is the minimum date: open on the current month instead of 2000
                    today = self.today()
                    edit.calendarWidget().setCurrentPage(today.year, today.month)
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            if self.search.text():
                self.search.clear()
                self._emit()
                return True
        return super().eventFilter(obj, event)


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
        lay.addWidget(self.error_box)

        self.table = QTableView(self)
        self.table.setObjectName("declarationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        hh.setHighlightSections(False)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        hh.setSortIndicator(self.model.column_index(DEFAULT_SORT.column_key),
                            Qt.SortOrder.DescendingOrder if DEFAULT_SORT.descending else Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        hh.sortIndicatorChanged.connect(self._sort_indicator_changed)
        for i, spec in enumerate(self.model.columns()):
            self.table.setColumnWidth(i, self._default_width(spec))
        lay.addWidget(self.table, 1)
        # until the first query answers, the empty table says the list is loading (not "0")
        self._loaded = False
        self.placeholder = QLabel(self.table.viewport())
        self.placeholder.setObjectName("listPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)  # drawn greyed, like a placeholder text
        self.placeholder.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.table.viewport().installEventFilter(self)

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
        lay.addLayout(status_row)

        self.setFocusProxy(self.table)
        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_shortcut.activated.connect(self.filter_bar.focus_search)
        self.refresh_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        self.refresh_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_shortcut.activated.connect(self.refresh)

        self.filter_bar.filter_edited.connect(self._filter_edited)
        self.model.query_started.connect(self._query_started)
        self.model.first_rows_ready.connect(self._first_rows)
        self.model.query_finished.connect(self._query_finished)
        self.model.query_failed.connect(self._query_failed)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.activated.connect(self._activated)
        self.table.customContextMenuRequested.connect(self._context_menu)

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
            hh = self.table.horizontalHeader()
            hh.blockSignals(True)
            hh.setSortIndicator(col, Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder)
            hh.blockSignals(False)
        self._schedule(None, sort)

    def _default_width(self, spec: ColumnSpec) -> int:
        """The column's width, at least its header text's (plus the sort indicator)."""
        hh = self.table.horizontalHeader()
        text = hh.fontMetrics().horizontalAdvance(spec.header_text())
        return max(spec.width, text + 2 * hh.style().pixelMetric(hh.style().PixelMetric.PM_HeaderMargin) + 16)

    def add_column(self, spec: ColumnSpec) -> None:
        new = self.model.column_index(spec.key) < 0
        i = self.model.add_column(spec)
        widths = self._pending_state.get("widths", {})
        self.table.setColumnWidth(i, int(widths.get(spec.key, self._default_width(spec))))
        order = self._pending_state.get("order") or []
        if new and spec.key not in order:
            # a plugin's column goes right after the number (and the plugin columns already
            # there), so it is visible on a small screen without scrolling
            hh = self.table.horizontalHeader()
            after = hh.visualIndex(self.model.column_index("number"))
            extra = [self.model.column_index(c.key) for c in self.model.columns()[:i] if c not in self.model.builtin_columns()]
            target = max([after] + [hh.visualIndex(j) for j in extra]) + 1
            hh.moveSection(hh.visualIndex(i), target)
        self._apply_order(self._pending_state.get("order"))
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
        hh = self.table.horizontalHeader()
        cols = self.model.columns()
        widths = dict(self._pending_state.get("widths", {}))
        widths.update({c.key: int(hh.sectionSize(i)) for i, c in enumerate(cols) if not hh.isSectionHidden(i)})
        order = [cols[hh.logicalIndex(v)].key for v in range(hh.count())]
        hidden = [c.key for i, c in enumerate(cols) if hh.isSectionHidden(i)]
        sort = self.sort_order()
        flt = self.filter()
        plain = DeclarationFilter(direction=flt.direction, statuses=flt.statuses, channels=flt.channels,
                                  office=flt.office, date_from=flt.date_from, date_to=flt.date_to, search=flt.search)
        return {"version": STATE_VERSION, "widths": widths, "order": order, "hidden": hidden,
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
        cols = self.model.columns()
        for i, c in enumerate(cols):
            if c.key in widths:
                self.table.setColumnWidth(i, widths[c.key])
            self.table.setColumnHidden(i, c.key in hidden)
        self._apply_order(order)
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

    def _apply_order(self, order: list[str] | None) -> None:
        if not order:
            return
        hh = self.table.horizontalHeader()
        keys = [c.key for c in self.model.columns()]
        visual = 0
        for key in order:
            if key not in keys:
                continue
            logical = keys.index(key)
            current = hh.visualIndex(logical)
            if current != visual:
                hh.moveSection(current, visual)
            visual += 1

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
            QTimer.singleShot(0, lambda: self._set_indicator(current, sort.descending))

    def _set_indicator(self, column: int, descending: bool) -> None:
        hh = self.table.horizontalHeader()
        hh.blockSignals(True)
        if column >= 0:
            hh.setSortIndicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        else:
            hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        hh.blockSignals(False)
        hh.viewport().update()

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

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.placeholder.setGeometry(self.table.viewport().rect())
        return super().eventFilter(obj, event)

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
        hh = self.table.horizontalHeader()
        if col >= 0 and (hh.sortIndicatorSection() != col):
            hh.blockSignals(True)
            hh.setSortIndicator(col, Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder)
            hh.blockSignals(False)
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

    def _header_menu(self, pos: QPoint) -> None:
        menu = self._build_header_menu()
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _build_header_menu(self) -> QMenu:
        """Show/hide columns (at least one stays visible)."""
        menu = QMenu(self)
        menu.setObjectName("columnsMenu")
        hh = self.table.horizontalHeader()
        visible = [i for i in range(hh.count()) if not hh.isSectionHidden(i)]
        for i, spec in enumerate(self.model.columns()):
            action = QAction(spec.header_text(), menu)
            action.setCheckable(True)
            action.setChecked(not hh.isSectionHidden(i))
            action.setEnabled(not (len(visible) == 1 and i in visible))
            action.toggled.connect(lambda on, i=i: self.table.setColumnHidden(i, not on))
            menu.addAction(action)
        return menu

    # ---- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.filter_bar.retranslate()
        self.retry_button.setText(_t("Try again"))
        self.table.setAccessibleName(_t("Declaration list"))
        self.busy.setToolTip(_t("Loading…"))
        self.placeholder.setText(_t("Loading declarations…"))
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
