"""The enterprise-information form: a non-modal dialog that never loses what was typed."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from domain.codes import OFFICES
from domain.submissions import FieldError

from .core import EXTRA_FIELDS, REASONS, STANDARD_FIELDS

CONTEXT = "business_info"




def field_labels() -> dict[str, str]:
    return {
        "tax_code": QCoreApplication.translate("business_info", "&Tax code"),
        "name": QCoreApplication.translate("business_info", "Enterprise &name"),
        "address": QCoreApplication.translate("business_info", "Head office &address"),
        "phone": QCoreApplication.translate("business_info", "Contact &phone"),
        "email": QCoreApplication.translate("business_info", "&E-mail"),
        "representative": QCoreApplication.translate("business_info", "Legal &representative"),
        "main_business": QCoreApplication.translate("business_info", "Main &business line"),
        "employees": QCoreApplication.translate("business_info", "Number of e&mployees"),
        "charter_capital": QCoreApplication.translate("business_info", "&Charter capital (VND)"),
        "production_site": QCoreApplication.translate("business_info", "Production site or &warehouse"),
        "usual_office": QCoreApplication.translate("business_info", "Customs branch usually &dealt with"),
        "reason": QCoreApplication.translate("business_info", "Rea&son for providing"),
    }


def reason_labels() -> dict[str, str]:
    return {
        "changed": QCoreApplication.translate("business_info", "The information has changed"),
        "first_time": QCoreApplication.translate("business_info", "First procedure at this customs unit"),
        "periodic": QCoreApplication.translate("business_info", "Periodic, as requested by customs"),
    }


def error_text(err: FieldError) -> str:
    """A clear, translated message for a field error (the shared rules speak English)."""
    key = err.field.split(".")[-1]
    messages = {
        "tax_code": QCoreApplication.translate(
            "business_info", "The tax code is not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit."),
        "name": QCoreApplication.translate("business_info", "Enter the enterprise's name."),
        "address": QCoreApplication.translate("business_info", "Enter the head office address."),
        "phone": QCoreApplication.translate(
            "business_info", "The phone number is not valid: 10 digits starting with 03, 05, 07, 08 or 09 (+84 is accepted)."),
        "email": QCoreApplication.translate("business_info", "The e-mail address is not valid."),
        "representative": QCoreApplication.translate("business_info", "The representative's name is too long."),
        "reason": QCoreApplication.translate("business_info", "Choose why you are providing the information."),
        "employees": QCoreApplication.translate("business_info", "The number of employees must be a whole number."),
        "charter_capital": QCoreApplication.translate("business_info", "The charter capital must be an amount in đồng."),
    }
    if "too long" in err.message:
        return QCoreApplication.translate("business_info", "%1 is too long.").replace(
            "%1", field_labels().get(key, key).replace("&", ""))
    return messages.get(key, err.message)


class BusinessInfoDialog(QDialog):
    """Fields of the enterprise; "Gửi" hands the values to ``on_send`` (which validates,
    queues and answers with the errors to show, if any)."""

    changed = Signal()

    def __init__(self, values: dict[str, Any], on_send: Callable[[dict[str, Any]], list[FieldError] | None],
                 *, last_sent_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("business_info.dialog")
        self.setWindowTitle(QCoreApplication.translate("business_info", "Provide enterprise information"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._on_send = on_send
        labels = field_labels()
        self.edits: dict[str, Any] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in STANDARD_FIELDS + EXTRA_FIELDS:
            if key == "usual_office":
                w: Any = QComboBox()
                w.addItem("", "")
                for code, office in OFFICES.items():
                    w.addItem(f"{code} – {office.vi}", code)
            elif key == "address":
                w = QPlainTextEdit()
                w.setTabChangesFocus(True)
                w.setFixedHeight(56)
            else:
                w = QLineEdit()
            w.setObjectName(f"business_info.{key}")
            w.setAccessibleName(labels[key].replace("&", ""))
            label = QLabel(labels[key])
            label.setBuddy(w)
            form.addRow(label, w)
            self.edits[key] = w
        reason = QComboBox()
        reason.setObjectName("business_info.reason")
        reason.addItem(QCoreApplication.translate("business_info", "— choose —"), "")
        for code, text in reason_labels().items():
            reason.addItem(text, code)
        reason.setAccessibleName(labels["reason"].replace("&", ""))
        rlabel = QLabel(labels["reason"])
        rlabel.setBuddy(reason)
        form.addRow(rlabel, reason)
        self.edits["reason"] = reason

        self.last_sent = QLabel(last_sent_text)
        self.last_sent.setObjectName("business_info.last_sent")
        self.last_sent.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setObjectName("business_info.errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.setVisible(False)

        buttons = QDialogButtonBox()
        self.send_button = QPushButton(QCoreApplication.translate("business_info", "&Send"))
        self.send_button.setObjectName("business_info.send")
        self.send_button.setDefault(True)
        close = QPushButton(QCoreApplication.translate("business_info", "&Close"))
        close.setObjectName("business_info.close")
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.send_button.clicked.connect(self.send)
        close.clicked.connect(self.close)

        intro = QLabel(QCoreApplication.translate("business_info", "Customs collects this information for risk management. Provide it when it changes, "
                          "when you first carry out procedures at a customs unit, and periodically when customs asks."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.last_sent)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.resize(620, 560)
        self.set_values(values)
        for w in self.edits.values():
            signal = getattr(w, "textChanged", None) or w.currentIndexChanged
            signal.connect(self.changed)

    # ---- values ------------------------------------------------------------------------------
    def set_values(self, values: dict[str, Any]) -> None:
        for key, w in self.edits.items():
            value = values.get(key) or ""
            if isinstance(w, QComboBox):
                index = w.findData(value)
                w.setCurrentIndex(max(index, 0))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(str(value))
            else:
                w.setText(str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.edits.items():
            if isinstance(w, QComboBox):
                out[key] = w.currentData() or ""
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            else:
                out[key] = w.text()
        return out

    # ---- sending -----------------------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        for w in self.edits.values():
            w.setProperty("invalid", False)
            w.setStyleSheet("")
        if not errors:
            self.errors.clear()
            self.errors.setVisible(False)
            return
        lines = []
        first = None
        for err in errors:
            key = err.field.split(".")[-1]
            w = self.edits.get(key)
            if w is not None:
                w.setProperty("invalid", True)
                w.setStyleSheet("border: 1px solid #c62828;")
                first = first or w
            lines.append("• " + error_text(err))
        self.errors.setText("\n".join(dict.fromkeys(lines)))
        self.errors.setVisible(True)
        if first is not None:
            QTimer.singleShot(0, first.setFocus)

    def send(self) -> None:
        errors = self._on_send(self.values())
        if errors:
            self.show_errors(errors)
        else:
            self.show_errors([])
