"""The enterprise-information form: a non-modal dialog in sections that never loses what
was typed. "Record" checks the values and shows, before anything is sent, what changed
since the last version, field by field; "Send" hands them to the outbox.

The dialog has two pages: the form (customs' requests, the reason, the sections of
:mod:`.sections`, "Record and check") and the confirmation (the changes, "Send to customs")."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLayout, QPushButton,
    QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from domain.business_info import Change
from domain.submissions import FieldError

from .core import REASONS, REQUEST_REASON, due_of, is_overdue
from .labels import error_text, field_labels, reason_labels, request_kind_labels, section_labels
from .sections import SECTIONS, FormSections, mark_invalid

CHANGED = QColor("#fff3b0")
OVERDUE = QColor("#b71c1c")


def tr(text: str) -> str:
    return QCoreApplication.translate("business_info", text)


# ---- the parts both pages are made of ----------------------------------------------------

def _read_only_table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table


def _error_label(name: str) -> QLabel:
    """Where the problems are listed, in red; hidden while there are none."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b71c1c;")
    label.setVisible(False)
    return label


def _button(text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def _page(*parts: QWidget | QLayout | tuple[QWidget, int], buttons: tuple[QPushButton, ...]) -> QWidget:
    """A page: ``parts`` top to bottom (``(widget, stretch)`` for the part that grows), then
    ``buttons`` on the right."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        elif isinstance(part, tuple):
            layout.addWidget(*part)
        else:
            layout.addWidget(part)
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    layout.addLayout(row)
    return page


def _bold(item: QTableWidgetItem) -> None:
    font = item.font()
    font.setBold(True)
    item.setFont(font)


class BusinessInfoDialog(QDialog):
    """The form (``values`` as :func:`core.empty_values`). ``on_record(values)`` checks them and
    answers ``(errors, changes)``; ``on_send()`` queues what was recorded and answers the
    errors to show, if any."""

    changed = Signal()

    def __init__(self, values: dict[str, Any], *, requests: list[dict[str, Any]], today: date,
                 on_record: Callable[[dict[str, Any]], tuple[list[FieldError], list[Change] | None]],
                 on_send: Callable[[], list[FieldError] | None], last_sent_text: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("business_info.dialog")
        self.setWindowTitle(tr("Provide enterprise information"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._on_record, self._on_send = on_record, on_send
        self.today = today
        self.requests = requests
        form_page = self._build_form_page(last_sent_text)
        confirm_page = self._build_confirm_page()
        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(confirm_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(760, 640)
        self.set_values(values)
        self.tabs.watch_edits()
        self.reason.currentIndexChanged.connect(lambda *_: self.changed.emit())

    # ---- building ------------------------------------------------------------------------------
    def _build_form_page(self, last_sent_text: str) -> QWidget:
        """The form: what customs collects and why, when it was last sent, the requests, the
        reason, the sections, then "Record and check"."""
        intro = QLabel(tr("Customs collects this information for risk management. Provide it when it changes, "
                          "when you first carry out procedures at a customs unit, and when customs asks."))
        intro.setWordWrap(True)
        self.last_sent = QLabel(last_sent_text)
        self.last_sent.setObjectName("business_info.last_sent")
        self.last_sent.setWordWrap(True)
        self._build_requests()
        reason_row = self._build_reason()
        self.tabs = FormSections()
        self.edits, self.rows = self.tabs.edits, self.tabs.rows  # the fields by path, the repeatable sections
        self.tabs.changed.connect(self.changed)
        self.errors = _error_label("business_info.errors")
        self.record_button = _button(tr("&Record and check"), "business_info.record", self.record)
        self.record_button.setDefault(True)
        close = _button(tr("&Close"), "business_info.close", self.close)
        return _page(intro, self.last_sent, self.request_table, reason_row, (self.tabs, 1), self.errors,
                     buttons=(self.record_button, close))

    def _build_requests(self) -> None:
        """Customs' requests, most urgent first; overdue ones in red."""
        self.request_table = _read_only_table("business_info.requests",
                                              [tr("Request from customs"), tr("Due date"), tr("State")])
        self.request_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.request_table.setMaximumHeight(110)
        self.request_table.setAccessibleName(tr("Requests from customs"))
        self._fill_requests()

    def _build_reason(self) -> QFormLayout:
        """The reason for providing: answering one of the requests, or one of :data:`core.REASONS`."""
        labels = field_labels()
        self.reason = QComboBox()
        self.reason.setObjectName("business_info.reason")
        self.reason.setAccessibleName(labels["reason"].replace("&", ""))
        self._fill_reasons()
        reason_row = QFormLayout()
        rlabel = QLabel(labels["reason"])
        rlabel.setBuddy(self.reason)
        reason_row.addRow(rlabel, self.reason)
        return reason_row

    def _build_confirm_page(self) -> QWidget:
        """The confirmation: what changed since the last version, highlighted, then "Send"."""
        self.confirm_intro = QLabel()
        self.confirm_intro.setObjectName("business_info.confirm_intro")
        self.confirm_intro.setWordWrap(True)
        self.changes_table = _read_only_table("business_info.changes", [tr("Field"), tr("Last version"), tr("Now")])
        self.changes_table.setWordWrap(True)
        self.send_errors = _error_label("business_info.send_errors")
        self.send_button = _button(tr("&Send to customs"), "business_info.send", self.send)
        back = _button(tr("&Back to the form"), "business_info.back", self.back)
        return _page(self.confirm_intro, (self.changes_table, 1), self.send_errors, buttons=(self.send_button, back))

    def _fill_requests(self) -> None:
        kinds = request_kind_labels()
        rows = sorted(self.requests, key=lambda r: (r.get("state") == "fulfilled", due_of(r) or date.max))
        self.request_table.setRowCount(len(rows))
        for i, req in enumerate(rows):
            title = kinds.get(str(req.get("kind")), str(req.get("kind")))
            detail = req.get("plan_title") or req.get("reason") or req.get("office_code") or ""
            due = due_of(req)
            overdue = is_overdue(req, self.today)
            if req.get("state") == "fulfilled":
                state = tr("answered")
            elif overdue:
                state = tr("overdue")
            else:
                state = tr("to answer")
            cells = [f"{title}: {detail}" if detail else title, due.strftime("%d/%m/%Y") if due else "", state]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, req.get("id"))
                if overdue:
                    item.setForeground(QBrush(OVERDUE))
                    _bold(item)
                self.request_table.setItem(i, c, item)
        self.request_table.setVisible(bool(rows))

    def _fill_reasons(self) -> None:
        self.reason.addItem(tr("— choose —"), None)
        kinds = request_kind_labels()
        for req in self.requests:
            if req.get("state") == "fulfilled":
                continue
            due = due_of(req)
            text = tr("Answer: %1").replace("%1", kinds.get(str(req.get("kind")), str(req.get("kind"))))
            if due:
                text += " — " + tr("due %1").replace("%1", due.strftime("%d/%m/%Y"))
            if is_overdue(req, self.today):
                text += " (" + tr("overdue") + ")"
            self.reason.addItem(text, ("request", req.get("id"), REQUEST_REASON.get(str(req.get("kind")), "requested")))
        for code in REASONS:
            self.reason.addItem(reason_labels()[code], ("reason", "", code))

    # ---- values ------------------------------------------------------------------------------
    def set_values(self, values: dict[str, Any]) -> None:
        self.tabs.set_values(values)
        self.select_reason(values.get("request_id") or "", values.get("reason") or "")

    def select_reason(self, request_id: str, reason: str) -> None:
        for i in range(self.reason.count()):
            data = self.reason.itemData(i)
            if data and ((request_id and data[0] == "request" and data[1] == request_id)
                         or (not request_id and data[0] == "reason" and data[2] == reason)):
                self.reason.setCurrentIndex(i)
                return
        self.reason.setCurrentIndex(0)

    def values(self) -> dict[str, Any]:
        out = self.tabs.values()
        data = self.reason.currentData()
        out["reason"] = data[2] if data else ""
        out["request_id"] = data[1] if data and data[0] == "request" else ""
        return out

    # ---- record → confirm → send -------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        self.tabs.clear_marks()
        self.reason.setStyleSheet("")
        if not errors:
            self.errors.clear()
            self.errors.setVisible(False)
            return
        lines, first_tab, first = [], None, None
        for err in errors:
            path = err.field
            if path == "reason":
                w: QWidget | None = self.reason
                mark_invalid(self.reason)
            else:
                w = self.tabs.mark(path)
            if w is not None:
                first = first or w
            section = path.split("[")[0].split(".")[0]
            if first_tab is None and section in SECTIONS:
                first_tab = SECTIONS.index(section)
            lines.append("• " + error_text(err))
        self.errors.setText("\n".join(dict.fromkeys(lines)))
        self.errors.setVisible(True)
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)
        if first is not None:
            QTimer.singleShot(0, first.setFocus)

    def record(self) -> None:
        errors, changes = self._on_record(self.values())
        self.show_errors(errors)
        if errors or changes is None:
            return
        self.show_changes(changes)
        self.send_errors.setVisible(False)
        self.pages.setCurrentIndex(1)
        self.send_button.setFocus()

    def show_changes(self, changes: list[Change]) -> None:
        labels, sections = field_labels(), section_labels()
        if not changes:
            self.confirm_intro.setText(tr("Nothing changed since the last version. Send it again to confirm "
                                          "that the information is still correct?"))
        else:
            self.confirm_intro.setText(tr("Check the changes since the last version (highlighted), then send."))
        self.changes_table.setRowCount(len(changes))
        for i, ch in enumerate(changes):
            if "[" in ch.field:
                name = labels.get(ch.section, ch.section).replace("&", "")
            else:
                name = labels.get(ch.field, ch.field).replace("&", "")
            name = f"{sections.get(ch.section, '')} › {name}" if ch.section in ("identity", "contact") else name
            before = ch.before if ch.before is not None else tr("(none)")
            after = ch.after if ch.after is not None else tr("(removed)")
            for c, text in enumerate((name, before, after)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, ch.field)
                if c == 2:
                    item.setBackground(QBrush(CHANGED))
                    _bold(item)
                self.changes_table.setItem(i, c, item)
        self.changes_table.resizeRowsToContents()

    def changed_fields(self) -> list[str]:
        """The fields the confirmation highlights (for tests and accessibility tools)."""
        return [self.changes_table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.changes_table.rowCount())]

    def back(self) -> None:
        self.pages.setCurrentIndex(0)

    def send(self) -> None:
        errors = self._on_send()
        if errors:
            self.send_errors.setText("\n".join("• " + (e.message if e.field == "send" else error_text(e))
                                               for e in errors))
            self.send_errors.setVisible(True)
