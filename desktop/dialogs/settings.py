"""System → Settings: language, server address, and whether passwords can be remembered."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
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
