"""The reflection during the procedure (version 2.0): name, phone, content, targets."""
from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QVBoxLayout, QWidget,
)

from domain.submissions import MAX_CONTENT

from ..core import FormInvalid, Problem, ReflectionForm
from .common import INVALID_STYLE, button, button_row, declaration_header, fill, kind_label, problems_html, set_banner, set_invalid

DRAFT_DELAY_MS = 400


class ReflectionDialog(QDialog):
    draft_changed = Signal(dict)
    send_requested = Signal(dict)

    def __init__(self, form: ReflectionForm, declaration: Mapping[str, Any], *, lang: str = "vi",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self.declaration = dict(declaration)
        self.lang = lang
        self.was_sent = False
        self.setObjectName("reflectionDialog")
        self.setModal(False)
        self.setStyleSheet(INVALID_STYLE)
        self.setWindowTitle(fill(QCoreApplication.translate("ReflectionDialog", "Reflection during the procedure — %1"),
                                 form.declaration_number))
        self.resize(720, 560)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.flush_draft)

        layout = QVBoxLayout(self)
        header = QLabel(declaration_header(self.declaration, lang))
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        layout.addWidget(header)
        intro = QLabel(QCoreApplication.translate(
            "ReflectionDialog", "Tell customs about a problem that arose during the procedure of this declaration. "
                                "Customs verifies every reflection and sends you its answer."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._build_fields(), 1)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.hide()
        layout.addWidget(self.problems_label)

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.send_button = button(QCoreApplication.translate("ReflectionDialog", "&Send"), "sendButton",
                                  clicked=self.send)
        self.send_button.setDefault(True)
        self.close_button = button(QCoreApplication.translate("ReflectionDialog", "Close"), "closeButton",
                                   clicked=self.close)
        layout.addLayout(button_row(self.send_button, self.close_button))

        self.name_edit.textChanged.connect(self._changed)
        self.phone_edit.textChanged.connect(self._changed)
        self.content_edit.textChanged.connect(self._changed)
        self.targets_list.itemChanged.connect(self._changed)
        QTimer.singleShot(0, self.name_edit, self.name_edit.setFocus)

    def _build_fields(self) -> QFormLayout:
        """Full name, mobile phone, content and the targets concerned (ticked in a list)."""
        form = self.form
        fields = QFormLayout()
        self.name_edit = QLineEdit(form.name)
        self.name_edit.setObjectName("reflectionName")
        self.phone_edit = QLineEdit(form.phone)
        self.phone_edit.setObjectName("reflectionPhone")
        self.phone_edit.setPlaceholderText("09xx xxx xxx")
        self.content_edit = QPlainTextEdit(form.content)
        self.content_edit.setObjectName("reflectionContent")
        self.content_edit.setTabChangesFocus(True)
        self.content_edit.setPlaceholderText(fill(QCoreApplication.translate(
            "ReflectionDialog", "Describe the problem (at most %1 characters)"), MAX_CONTENT))
        self.targets_list = QListWidget()
        self.targets_list.setObjectName("reflectionTargets")
        self.targets_list.setAccessibleName(QCoreApplication.translate("ReflectionDialog", "Targets concerned"))
        for t in form.targets:
            item = QListWidgetItem(f"{kind_label(t.kind, self.lang)}: {t.name}")
            item.setData(Qt.ItemDataRole.UserRole, t.key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if t.key in form.selected else Qt.CheckState.Unchecked)
            self.targets_list.addItem(item)
        if form.targets:
            self.targets_list.setCurrentRow(0)
        for label, widget, name in (
                (QCoreApplication.translate("ReflectionDialog", "&Full name:"), self.name_edit,
                 QCoreApplication.translate("ReflectionDialog", "Full name")),
                (QCoreApplication.translate("ReflectionDialog", "Mobile &phone:"), self.phone_edit,
                 QCoreApplication.translate("ReflectionDialog", "Mobile phone")),
                (QCoreApplication.translate("ReflectionDialog", "&Content:"), self.content_edit,
                 QCoreApplication.translate("ReflectionDialog", "Content")),
                (QCoreApplication.translate("ReflectionDialog", "&Targets concerned (optional):"), self.targets_list,
                 QCoreApplication.translate("ReflectionDialog", "Targets concerned"))):
            lab = QLabel(label)
            lab.setBuddy(widget)
            widget.setAccessibleName(name)
            fields.addRow(lab, widget)
        return fields

    def _collect(self) -> None:
        self.form.name = self.name_edit.text()
        self.form.phone = self.phone_edit.text()
        self.form.content = self.content_edit.toPlainText()
        self.form.selected = {tuple(self.targets_list.item(i).data(Qt.ItemDataRole.UserRole))
                              for i in range(self.targets_list.count())
                              if self.targets_list.item(i).checkState() == Qt.CheckState.Checked}

    def _changed(self, *_: Any) -> None:
        self._collect()
        for w in (self.name_edit, self.phone_edit, self.content_edit):
            set_invalid(w, False)
        if not self.was_sent:
            self._timer.start()

    def flush_draft(self) -> None:
        self._timer.stop()
        if not self.was_sent:
            self.draft_changed.emit(self.form.to_draft())

    def send(self) -> bool:
        if self.was_sent:
            return False
        self._collect()
        self.flush_draft()
        try:
            payload = self.form.to_payload()
        except FormInvalid as exc:
            self.show_problems(exc.problems)
            return False
        self.show_problems([])
        self.send_button.setEnabled(False)
        self.send_requested.emit(payload)
        return True

    def show_problems(self, problems: list[Problem]) -> None:
        widgets = {"name": self.name_edit, "phone": self.phone_edit, "content": self.content_edit}
        for w in widgets.values():
            set_invalid(w, False)
        if not problems:
            self.problems_label.hide()
            return
        first = None
        for p in problems:
            w = widgets.get(p.field)
            if w is not None:
                set_invalid(w, True)
                first = first or w
        self.problems_label.setText(problems_html(QCoreApplication.translate(
            "ReflectionDialog", "Please correct the following:"), problems, self.form.targets, self.lang))
        self.problems_label.show()
        if first is not None:
            first.setFocus()

    def send_failed(self, message: str) -> None:
        self.send_button.setEnabled(True)
        self._tell(message, "bad")

    def _tell(self, message: str, tone: str) -> None:
        self.banner.show()
        set_banner(self.banner, message, tone)

    def show_sent(self, message: str) -> None:
        """Recorded in the outbox: read-only, with the delivery state."""
        self.was_sent = True
        self._timer.stop()
        for w in (self.name_edit, self.phone_edit):
            w.setReadOnly(True)
        self.content_edit.setReadOnly(True)
        self.targets_list.setEnabled(False)
        self.send_button.hide()
        self._tell(message, "good")
        self.close_button.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._timer.isActive():
            self.flush_draft()
        event.accept()
        QWidget.closeEvent(self, event)

    def reject(self) -> None:
        self.close()
