"""Widgets of the sync service: the status-bar indicator, the "Hàng đợi gửi" (outbox) window
and the sign-in dialog. They only present and forward to :class:`SyncService`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from domain.text import nfc

from .engine import AUTH, OFFLINE, ONLINE, SYNCING
from .outbox import ACKED, FAILED, INFLIGHT, PENDING, Outbox


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
    }.get(kind or "", "")


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%H:%M:%S")


class OutboxModel(QAbstractTableModel):
    COLUMNS = ("created", "kind", "state", "server_ref", "answer", "account", "id")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        return [translate("OutboxWindow", "Recorded"), translate("OutboxWindow", "Kind"), translate("OutboxWindow", "State"),
                translate("OutboxWindow", "Server reference"), translate("OutboxWindow", "Server answer"),
                translate("OutboxWindow", "Account"), translate("OutboxWindow", "Id")][section]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "created":
                return (row["created_at"] or "").replace("T", " ")[:19]
            if col == "kind":
                return kind_label(row["kind"])
            if col == "state":
                return state_label(row["state"])
            if col == "server_ref":
                return row["server_ref"] or ""
            if col == "answer":
                return answer_text(row)
            if col == "account":
                return row["account"] or ""
            if col == "id":
                return row["id"]
        if role == Qt.ToolTipRole and col in ("answer", "state"):
            return answer_text(row, full=True)
        if role == Qt.ForegroundRole and col == "state" and row["state"] == FAILED:
            from PySide6.QtGui import QColor

            return QColor("#c62828")
        return None


def answer_text(row: dict[str, Any], full: bool = False) -> str:
    """What the server said about one item, for people."""
    parts = []
    if row["state"] == FAILED:
        parts.append(translate("OutboxWindow", "Refused by the server (%1): %2")
                     .replace("%1", str(row["http_status"] or "") + (f" {row['code']}" if row["code"] else ""))
                     .replace("%2", row["message"] or ""))
    elif row["state"] in (PENDING, INFLIGHT) and row["last_error"]:
        parts.append(translate("OutboxWindow", "Not sent yet: %1").replace("%1", row["last_error"]))
    if row.get("server_state"):
        parts.append({"received": translate("OutboxWindow", "Received"),
                      "in_review": translate("OutboxWindow", "Being reviewed"),
                      "answered": translate("OutboxWindow", "Answered")}.get(row["server_state"], row["server_state"]))
    if row.get("answer"):
        parts.append(row["answer"] if full else _short(row["answer"], 80))
    return " · ".join(p for p in parts if p)


class OutboxWindow(QWidget):
    """The "Hàng đợi gửi" window: pending, sent and refused items with the server's answers."""

    sync_requested = Signal()

    FILTERS = (("waiting", (PENDING, INFLIGHT)), ("failed", (FAILED,)), ("sent", (ACKED,)),
               ("all", (PENDING, INFLIGHT, ACKED, FAILED)))
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
        self.view.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
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
        rows = self.outbox.list_items(self.states(), limit=self.LIMIT)
        self.model.set_rows(rows)
        counts = self.outbox.counts()
        self.summary.setText(translate("OutboxWindow", "Waiting: %1 · Refused: %2 · Sent: %3")
                             .replace("%1", str(counts[PENDING] + counts[INFLIGHT]))
                             .replace("%2", str(counts[FAILED])).replace("%3", str(counts[ACKED])))
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
