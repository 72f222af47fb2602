"""Widgets of the sync service: the status-bar indicator, the "Hàng đợi gửi" (outbox) window
and the sign-in dialog. They only present and forward to :class:`SyncService`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from domain.text import nfc

from desktop.core.engine import AUTH, OFFLINE, ONLINE, SYNCING
from desktop.core.outbox import ACKED, DAMAGED, FAILED, INFLIGHT, PENDING, Outbox


translate = QCoreApplication.translate


def kind_label(kind: str) -> str:
    return {
        "assessment": translate("OutboxWindow", "Assessment"),
        "reflection": translate("OutboxWindow", "Reflection"),
        "business_info": translate("OutboxWindow", "Enterprise information"),
    }.get(kind, kind)


def state_label(state: str) -> str:
    return {
        PENDING: translate("OutboxWindow", "Waiting"),
        INFLIGHT: translate("OutboxWindow", "Sending"),
        ACKED: translate("OutboxWindow", "Sent"),
        FAILED: translate("OutboxWindow", "Refused"),
        DAMAGED: translate("OutboxWindow", "Damaged"),
    }.get(state, state)


class SyncStatusWidget(QWidget):
    """Status bar: online / offline / syncing, the number waiting, the last error."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("syncState")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("syncWaiting")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("syncError")
        self.error_label.setMaximumWidth(360)
        self.button = QToolButton(self)
        self.button.setObjectName("syncNow")
        self.button.clicked.connect(self.clicked)
        for w in (self.state_label, self.count_label, self.error_label, self.button):
            layout.addWidget(w)
        self.status: dict[str, Any] = {}
        self.update_status({"state": "unknown", "waiting": 0, "failed": 0, "last_error": None})

    def update_status(self, status: dict[str, Any]) -> None:
        self.status = dict(status)
        state = status.get("state")
        text, colour = {
            ONLINE: (translate("SyncStatus", "Online"), "#2e7d32"),
            SYNCING: (translate("SyncStatus", "Syncing…"), "#1565c0"),
            OFFLINE: (translate("SyncStatus", "Offline"), "#c62828"),
            AUTH: (translate("SyncStatus", "Sign-in needed"), "#ef6c00"),
        }.get(state, (translate("SyncStatus", "Not connected yet"), "#616161"))
        if status.get("other_sender"):
            text = translate("SyncStatus", "Another window is sending")
        self.state_label.setText(f"<span style='color:{colour}'>●</span> {text}")
        waiting = int(status.get("waiting") or 0)
        failed = int(status.get("failed") or 0)
        parts = [translate("SyncStatus", "Waiting: %1").replace("%1", str(waiting))]
        if failed:
            parts.append(translate("SyncStatus", "Refused: %1").replace("%1", str(failed)))
        self.count_label.setText(" · ".join(parts))
        error = status.get("last_error")
        if error:
            self.error_label.setText(translate("SyncStatus", "Last error: %1").replace(
                "%1", error_sentence(status.get("error_kind")) or _short(error, 60)))
            self.error_label.setToolTip(error)
            self.error_label.show()
        else:
            self.error_label.clear()
            self.error_label.hide()
        tip = [text]
        if status.get("last_success"):
            tip.append(translate("SyncStatus", "Last sent: %1").replace("%1", _when(status["last_success"])))
        if status.get("next_attempt_at") and state == OFFLINE:
            tip.append(translate("SyncStatus", "Next attempt: %1").replace("%1", _when(status["next_attempt_at"])))
        self.setToolTip("\n".join(tip))
        self.button.setText(translate("SyncStatus", "Sync now"))


def error_sentence(kind: str | None) -> str:
    """A translated sentence for a kind of sync failure (the technical detail is the tooltip)."""
    return {
        "timeout": translate("SyncStatus", "the server did not answer in time"),
        "offline": translate("SyncStatus", "no connection to the server"),
        "busy": translate("SyncStatus", "the server is busy; it will be tried again"),
        "bad_answer": translate("SyncStatus", "the server's answer could not be read"),
        "unexpected_server": translate("SyncStatus", "the address does not answer like the feedback server"),
        "auth": translate("SyncStatus", "sign-in needed"),
        "disk_full": translate("SyncStatus", "the disk is full: free some space (nothing recorded is lost)"),
        "local_outbox": translate("SyncStatus", "the local outbox could not be read"),
    }.get(kind or "", "")


def refusal_sentence(code: str | None) -> str:
    """Why the server refused an item, in the user's language, from its stable code
    (``domain.errors``); the server's own English words are only the tooltip."""
    from domain.errors import refusal_text

    return refusal_text(code, "vi" if QLocale().language() == QLocale.Language.Vietnamese else "en")


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


TIME_FORMAT = "%d/%m/%Y %H:%M:%S"


def _when(ts: float | None) -> str:
    """A moment as local date and time."""
    if ts is None:
        return ""
    try:
        return datetime.fromtimestamp(float(ts)).strftime(TIME_FORMAT)
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def local_time(text: str | None) -> str:
    """An ISO 8601 time (any offset) as local date and time; unreadable text is shown as is."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return str(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the computer's time zone
    return moment.strftime(TIME_FORMAT)


class OutboxModel(QAbstractTableModel):
    COLUMNS = ("created", "number", "kind", "state", "sent", "server_ref", "answer", "account", "id")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def column(self, name: str) -> int:
        return self.COLUMNS.index(name)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        return {"created": translate("OutboxWindow", "Recorded"),
                "number": translate("OutboxWindow", "Declaration"),
                "kind": translate("OutboxWindow", "Kind"),
                "state": translate("OutboxWindow", "State"),
                "sent": translate("OutboxWindow", "Sent on"),
                "server_ref": translate("OutboxWindow", "Server reference"),
                "answer": translate("OutboxWindow", "Server answer"),
                "account": translate("OutboxWindow", "Account"),
                "id": translate("OutboxWindow", "Id")}[self.COLUMNS[section]]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "created":
                return local_time(row.get("created_at"))
            if col == "number":
                return row.get("number") or ""
            if col == "kind":
                return kind_label(row["kind"]) if row.get("kind") else ""
            if col == "state":
                return state_label(row["state"])
            if col == "sent":
                return _when(row.get("acked_at")) if row["state"] == ACKED or row.get("sent") else ""
            if col == "server_ref":
                return row.get("server_ref") or ""
            if col == "answer":
                return answer_text(row)
            if col == "account":
                return row.get("account") or ""
            if col == "id":
                return row.get("id") or ""
        if role == Qt.ToolTipRole and col in ("answer", "state"):
            return answer_text(row, full=True)
        if role == Qt.ForegroundRole and col == "state" and row["state"] in (FAILED, DAMAGED):
            from PySide6.QtGui import QColor

            return QColor("#c62828")
        return None


def answer_text(row: dict[str, Any], full: bool = False) -> str:
    """What happened to one item, for people; ``full`` (the tooltip) adds the technical detail
    (the server's own words, the exception) and the times."""
    parts = []
    state = row["state"]
    if state == DAMAGED:
        parts.append(translate("OutboxWindow", "Damaged on this computer: it will not be sent. The stored bytes are "
                                               "kept for customs IT; send the entries again if needed."))
        if full and row.get("reason"):
            parts.append(row["reason"])
        if full and row.get("quarantined_at"):
            parts.append(translate("OutboxWindow", "Set apart on %1").replace("%1", local_time(row["quarantined_at"])))
    elif state == FAILED:
        parts.append(refusal_sentence(row["code"]))
        if full:
            parts.append(" ".join(str(x) for x in (row["http_status"], row["code"], row["message"]) if x))
    elif state in (PENDING, INFLIGHT) and row["last_error"]:
        sentence = error_sentence(row.get("error_kind"))
        parts.append(translate("OutboxWindow", "Not sent yet: %1").replace("%1", sentence) if sentence else
                     translate("OutboxWindow", "Not sent yet: it will be tried again"))
        if full:
            parts.append(row["last_error"])
    if row.get("server_state"):
        parts.append({"received": translate("OutboxWindow", "Received"),
                      "in_review": translate("OutboxWindow", "Being reviewed"),
                      "answered": translate("OutboxWindow", "Answered")}.get(row["server_state"], row["server_state"]))
    if row.get("answer"):
        parts.append(row["answer"] if full else _short(row["answer"], 80))
    if full and row.get("answered_at"):
        parts.append(translate("OutboxWindow", "Answered on %1").replace("%1", local_time(row["answered_at"])))
    if full and row.get("pruned_at"):
        parts.append(translate("OutboxWindow", "Content removed on %1 (kept only for the retention period); the "
                                               "history stays").replace("%1", _when(row["pruned_at"])))
    sep = "\n" if full else " · "
    return sep.join(p for p in parts if p)


class OutboxWindow(QWidget):
    """The "Hàng đợi gửi" window: pending, sent and refused items with the server's answers."""

    sync_requested = Signal()

    FILTERS = (("waiting", (PENDING, INFLIGHT)), ("failed", (FAILED,)), ("sent", (ACKED,)),
               ("damaged", (DAMAGED,)), ("all", (PENDING, INFLIGHT, ACKED, FAILED, DAMAGED)))
    LIMIT = 2000

    def __init__(self, outbox: Outbox, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.Window)
        self.setObjectName("outboxWindow")
        self.outbox = outbox
        self.setWindowTitle(translate("OutboxWindow", "Outbox"))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("outboxFilter")
        for key, _states in self.FILTERS:
            self.filter.addItem({"waiting": translate("OutboxWindow", "Waiting to be sent"),
                                 "failed": translate("OutboxWindow", "Refused by the server"),
                                 "sent": translate("OutboxWindow", "Sent"),
                                 "damaged": translate("OutboxWindow", "Damaged on this computer"),
                                 "all": translate("OutboxWindow", "All")}[key], key)
        self.filter.currentIndexChanged.connect(self.reload)
        self.summary = QLabel(self)
        self.summary.setObjectName("outboxSummary")
        top.addWidget(QLabel(translate("OutboxWindow", "Show:"), self))
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.summary)
        layout.addLayout(top)
        self.model = OutboxModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("outboxTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.horizontalHeader().setSectionResizeMode(self.model.column("answer"), QHeaderView.Stretch)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.sync_button = QPushButton(translate("OutboxWindow", "Sync now"), self)
        self.sync_button.setObjectName("outboxSyncNow")
        self.sync_button.clicked.connect(self.sync_requested)
        self.retry_button = QPushButton(translate("OutboxWindow", "Send again"), self)
        self.retry_button.setObjectName("outboxRetry")
        self.retry_button.setToolTip(translate("OutboxWindow", "Send the selected refused items again, unchanged."))
        self.retry_button.clicked.connect(self.retry_selected)
        close = QPushButton(translate("OutboxWindow", "Close"), self)
        close.clicked.connect(self.close)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.reload()

    def states(self) -> tuple[str, ...]:
        key = self.filter.currentData()
        return dict(self.FILTERS)[key]

    def schedule_reload(self, *_args) -> None:
        if self.isVisible():
            self._debounce.start()

    def reload(self) -> None:
        states = self.states()
        rows = self.outbox.list_items([s for s in states if s != DAMAGED], limit=self.LIMIT)
        if DAMAGED in states:
            rows = self.outbox.list_damaged(self.LIMIT) + rows
        self.model.set_rows(rows)
        counts = self.outbox.counts()
        summary = (translate("OutboxWindow", "Waiting: %1 · Refused: %2 · Sent: %3")
                   .replace("%1", str(counts[PENDING] + counts[INFLIGHT]))
                   .replace("%2", str(counts[FAILED])).replace("%3", str(counts[ACKED])))
        damaged = self.outbox.damaged_count()
        if damaged:
            summary += " · " + translate("OutboxWindow", "Damaged: %1").replace("%1", str(damaged))
        self.summary.setText(summary)
        self.retry_button.setEnabled(counts[FAILED] > 0)

    def retry_selected(self) -> None:
        ids = [self.model.rows[i.row()]["id"] for i in self.view.selectionModel().selectedRows()
               if self.model.rows[i.row()]["state"] == FAILED]
        if not ids:
            return
        self.outbox.retry_failed(ids)
        self.reload()
        self.sync_requested.emit()


class SignInDialog(QDialog):
    """Sign in with the enterprise's tax code and password."""

    def __init__(self, parent: QWidget | None = None, *, username: str = "", message: str = "",
                 can_remember: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(translate("SignInDialog", "Sign in to the customs feedback server"))
        form = QFormLayout(self)
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.username = QLineEdit(username, self)
        self.username.setObjectName("signInUser")
        self.password = QLineEdit(self)
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.Password)
        self.remember = QCheckBox(translate("SignInDialog", "Remember the password in the Windows credential store"), self)
        self.remember.setEnabled(can_remember)
        if not can_remember:
            self.remember.setToolTip(translate("SignInDialog", "No secure credential store is available: the password will be asked each time."))
        form.addRow(translate("SignInDialog", "Tax code:"), self.username)
        form.addRow(translate("SignInDialog", "Password:"), self.password)
        form.addRow(self.remember)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)
        first = self.password if username else self.username  # the tax code is kept: the password is asked
        QTimer.singleShot(0, first, first.setFocus)

    def values(self) -> tuple[str, str, bool]:
        return nfc(self.username.text().strip()), self.password.text(), self.remember.isChecked()

    @classmethod
    def ask(cls, parent: QWidget | None, *, username: str = "", message: str = "",
            can_remember: bool = True) -> tuple[str, str, bool] | None:
        """Show the dialog; (tax code, password, remember) or None when cancelled.
        Tests replace this classmethod."""
        dlg = cls(parent, username=username, message=message, can_remember=can_remember)
        try:
            if dlg.exec() != QDialog.Accepted:
                return None
            return dlg.values()
        finally:
            dlg.deleteLater()
