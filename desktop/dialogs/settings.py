"""System → Settings: language, server address, and whether passwords can be remembered;
and the welcome bar that guides the first start (server address, then sign-in)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from .. import credentials
from ..main_window import LANGUAGES


translate = QCoreApplication.translate


@dataclass(frozen=True)
class SettingsResult:
    language: str
    server_url: str


def validate_server_url(text: str) -> str | None:
    """An error message for a bad server address, or None ("" means no server)."""
    text = text.strip()
    if not text:
        return None
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return translate("SettingsDialog", "The server address must start with https:// (or http://) and name a host.")
    if parsed.scheme == "http" and parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        return translate("SettingsDialog", "Use https:// for a server on another computer.")
    return None


class SettingsDialog(QDialog):
    def __init__(self, ctx: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle(translate("SettingsDialog", "Settings"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, native in LANGUAGES:
            self.language.addItem(native, code)
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.language)))
        form.addRow(translate("SettingsDialog", "&Language:"), self.language)
        self.server_url = QLineEdit(ctx.settings.server_url() or "", self)
        self.server_url.setObjectName("serverUrl")
        self.server_url.setPlaceholderText("https://")
        form.addRow(translate("SettingsDialog", "&Server address:"), self.server_url)
        self.server_note = QLabel(translate(
            "SettingsDialog", "The address of the customs feedback server, given by customs IT (for example "
                              "https://phanhoi.haiquan.vn). It takes effect at once."), self)
        self.server_note.setObjectName("serverNote")
        self.server_note.setWordWrap(True)
        form.addRow("", self.server_note)
        layout.addLayout(form)
        status = credentials.backend_status()
        self.credential_note = QLabel(self)
        self.credential_note.setObjectName("credentialNote")
        self.credential_note.setWordWrap(True)
        self.credential_note.setText(translate("SettingsDialog", "Passwords are kept in the system's credential store.")
                                     if status.secure else status.reason)
        layout.addWidget(self.credential_note)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.server_url.text():
            self.server_url.setFocus()  # the first start: this is what is missing

    def result_value(self) -> SettingsResult:
        return SettingsResult(language=self.language.currentData(), server_url=self.server_url.text().strip())

    def try_accept(self) -> bool:
        problem = validate_server_url(self.server_url.text())
        if problem:
            self.error.setText(problem)
            self.error.show()
            self.server_url.setFocus()
            return False
        self.accept()
        return True

    @classmethod
    def ask(cls, ctx: Any, parent: QWidget | None = None) -> SettingsResult | None:
        dlg = cls(ctx, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.result_value()


class WelcomeBar(QFrame):
    """The first start without a server address (or never signed in): what to do, in two
    steps, at the top of the main window. ``settings_requested`` / ``sign_in_requested``."""

    settings_requested = Signal()
    sign_in_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeBar")
        self.setStyleSheet("QFrame#welcomeBar { background: #e3f2fd; border: 1px solid #90caf9; border-radius: 4px; }"
                           "QFrame#welcomeBar QLabel { background: transparent; border: none; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.text = QLabel(self)
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.text, 1)
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("welcomeSettings")
        self.settings_button.clicked.connect(self.settings_requested)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setObjectName("welcomeSignIn")
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        layout.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.has_server = False
        self.set_step(has_server=False)

    def set_step(self, *, has_server: bool) -> None:
        """Step 1 (no server address) or step 2 (sign in)."""
        self.has_server = has_server
        self._retranslate()

    def _retranslate(self) -> None:
        title = translate("WelcomeBar", "Welcome to Declarant Desk.")
        if self.has_server:
            step = translate("WelcomeBar", "Step 2 of 2: sign in with your enterprise's tax code and password. "
                                           "Your declarations then appear in the list and assessments can be sent.")
        else:
            step = translate("WelcomeBar", "The list stays empty until the program is connected to the customs "
                                           "feedback server. Step 1 of 2: enter the server address (customs IT "
                                           "gives it). Step 2: sign in with your enterprise's tax code.")
        self.text.setText(f"<b>{_escape(title)}</b> {_escape(step)}")
        self.setAccessibleName(title)
        self.setAccessibleDescription(step)
        self.settings_button.setText(translate("WelcomeBar", "1. Set the server &address…"))
        self.sign_in_button.setText(translate("WelcomeBar", "2. Si&gn in…"))
        self.sign_in_button.setEnabled(self.has_server)
        self.settings_button.setDefault(not self.has_server)
        self.sign_in_button.setDefault(self.has_server)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
