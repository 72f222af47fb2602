"""The filter bar above the declaration list: direction, status, channel, office, date
range and search, with a reset button and the title of a special view (a plugin's filter,
such as "not yet rated"). It emits a :class:`DeclarationFilter`; the list runs it."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton, \
    QVBoxLayout, QWidget

from domain.codes import CHANNELS, EXPORT, IMPORT, OFFICES, STATUSES

from desktop.core.query import DeclarationFilter

__all__ = ["FilterBar"]

SEARCH_DEBOUNCE_MS = 250
ALL_DATES = QDate(2000, 1, 1)  # the minimum of the date edits shows "all dates"


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else ALL_DATES


# what comes before a date field's popup opens: focus, a key or a click
_FIRST_USE = (QEvent.Type.FocusIn, QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress)


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
        self._calendars: dict[QObject, QDateEdit] = {}  # popup calendar → its date field
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(self._build_title_row())
        self._build_fields()
        self._labels = self._lay_out_fields(lay)
        self._connect_fields()
        self.retranslate()

    # ---- construction -----------------------------------------------------------------------------
    def _build_title_row(self) -> QHBoxLayout:
        """The title of a special view ("not yet rated"…) and the button back to all."""
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
        return title_row

    def _build_fields(self) -> None:
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
            edit.installEventFilter(self)  # the calendar's own filter: on the first use (_watch_calendar)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.search.setMaxLength(100)
        self.reset_button = QPushButton(self)
        self.reset_button.setObjectName("resetFilters")

    def _lay_out_fields(self, lay: QVBoxLayout) -> dict[str, QLabel]:
        """Two rows, so the bar fits a 1366-pixel laptop screen in both languages; returns
        the fields' labels (buddies, for the keyboard mnemonics)."""
        first_row, second_row = QHBoxLayout(), QHBoxLayout()
        for r in (first_row, second_row):
            r.setSpacing(6)
            lay.addLayout(r)

        def labelled(row: QHBoxLayout, name: str, widget: QWidget) -> QLabel:
            label = QLabel(self)
            label.setObjectName(f"{name}Label")
            label.setBuddy(widget)
            widget.setObjectName(name)
            row.addWidget(label)
            row.addWidget(widget)
            return label

        labels = {
            "direction": labelled(first_row, "directionFilter", self.direction),
            "status": labelled(first_row, "statusFilter", self.status),
            "channel": labelled(first_row, "channelFilter", self.channel),
            "office": labelled(first_row, "officeFilter", self.office),
        }
        first_row.addStretch(1)
        labels.update({
            "from": labelled(second_row, "dateFrom", self.date_from),
            "to": labelled(second_row, "dateTo", self.date_to),
            "search": labelled(second_row, "searchField", self.search),
        })
        second_row.addWidget(self.reset_button)
        second_row.addStretch(1)
        chain = (self.direction, self.status, self.channel, self.office, self.date_from, self.date_to,
                 self.search, self.reset_button)
        for first, second in zip(chain, chain[1:]):
            self.setTabOrder(first, second)
        return labels

    def _connect_fields(self) -> None:
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

    def _watch_calendar(self, edit: QDateEdit) -> None:
        """Filter the date field's calendar popup. Asking for it creates it (a whole widget),
        so this waits until the field is first used, before its popup opens; the field
        itself needs no filter after that."""
        calendar = edit.calendarWidget()
        self._calendars[calendar] = edit
        calendar.installEventFilter(self)
        edit.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _FIRST_USE and obj in (self.date_from, self.date_to):
            self._watch_calendar(obj)
        elif kind == QEvent.Type.Show:
            edit = self._calendars.get(obj)
            if edit is not None and _pydate(edit.date()) is None:
                # "all dates" is the minimum date: open on the current month instead of 2000
                today = self.today()
                edit.calendarWidget().setCurrentPage(today.year, today.month)
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            if self.search.text():
                self.search.clear()
                self._emit()
                return True
        return super().eventFilter(obj, event)
