"""A small non-modal notice (a message and up to two buttons) that never blocks the program."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget


class Notice(QDialog):
    action_clicked = Signal()

    def __init__(self, title: str, text: str, *, action: str | None = None, warning: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("satisfactionNotice")
        self.setModal(False)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        pixmap = QStyle.StandardPixmap.SP_MessageBoxWarning if warning else QStyle.StandardPixmap.SP_MessageBoxInformation
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(32, 32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        self.label = QLabel(text)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(360)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.label, 1)
        layout.addLayout(top)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.action_button: QPushButton | None = None
        if action:
            self.action_button = QPushButton(action)
            self.action_button.setObjectName("noticeAction")
            self.action_button.setDefault(True)
            self.action_button.clicked.connect(self._action)
            buttons.addWidget(self.action_button)
        close = QPushButton(QCoreApplication.translate("Notice", "Close"))
        close.setObjectName("noticeClose")
        close.clicked.connect(self.close)
        if not action:
            close.setDefault(True)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)

    def text(self) -> str:
        return self.label.text()

    def _action(self) -> None:
        self.action_clicked.emit()
        self.close()

    def on_action(self, callback: Callable[[], object]) -> "Notice":
        self.action_clicked.connect(callback)
        return self
