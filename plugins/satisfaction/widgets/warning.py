"""The warning about declarations not yet rated: "Xem" (view them) or "Để sau" (later)."""
from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .common import button, button_row, fill


class UnratedWarning(QDialog):
    """Non-modal. ``view_requested`` → the plugin shows the list of unrated declarations;
    ``later(snooze_today)`` → remind again next time (or not today when ticked)."""

    view_requested = Signal(bool)  # snooze_today
    later = Signal(bool)           # snooze_today

    def __init__(self, count: int, days: int, *, closed_number: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.count = count
        self.setObjectName("unratedWarning")
        self.setModal(False)
        self.setWindowTitle(QCoreApplication.translate("UnratedWarning", "Service-quality assessment"))
        self._answered = False

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(self.style().StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        texts = QVBoxLayout()
        lines = []
        if closed_number:
            lines.append(html.escape(fill(QCoreApplication.translate(
                "UnratedWarning", "You closed the form without rating declaration %1."), closed_number)))
        lines.append("<b>" + html.escape(QCoreApplication.translate(
            "UnratedWarning", "%n declaration(s) have not been rated yet.", None, count)) + "</b>")
        lines.append(html.escape(QCoreApplication.translate(
            "UnratedWarning", "Declarations whose goods were released, brought to preservation or cleared in the "
                              "last %n day(s) count here. Your assessment helps customs improve its service.",
            None, days)))
        self.message = QLabel("<br>".join(lines))
        self.message.setObjectName("warningText")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(420)
        texts.addWidget(self.message)
        self.snooze = QCheckBox(QCoreApplication.translate("UnratedWarning", "&Do not remind me again today"))
        self.snooze.setObjectName("snoozeToday")
        texts.addWidget(self.snooze)
        top.addLayout(texts, 1)
        layout.addLayout(top)

        self.view_button = button(
            QCoreApplication.translate("UnratedWarning", "&View"), "viewButton", clicked=self._view,
            tooltip=QCoreApplication.translate("UnratedWarning", "Show the list of declarations not yet rated"))
        self.view_button.setDefault(True)
        self.later_button = button(QCoreApplication.translate("UnratedWarning", "&Later"), "laterButton",
                                   clicked=self._later)
        layout.addLayout(button_row(self.view_button, self.later_button))
        self.setAccessibleName(self.windowTitle())
        self.setAccessibleDescription(self.message.text())

    def message_text(self) -> str:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.message.text())
        return doc.toPlainText()

    def _view(self) -> None:
        self._answered = True
        self.view_requested.emit(self.snooze.isChecked())
        self.close()

    def _later(self) -> None:
        self._answered = True
        self.later.emit(self.snooze.isChecked())
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._answered:  # closing with the window's button = later
            self._answered = True
            self.later.emit(self.snooze.isChecked())
        event.accept()
        QWidget.closeEvent(self, event)

    def reject(self) -> None:
        self.close()
