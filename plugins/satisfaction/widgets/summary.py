"""The summary page of the assessment: read-only, what will be sent (after "Ghi": "Gửi" or
"Sửa") or what was sent — its delivery and processing state, customs' reference and
answer, and for a rejected assessment the reason and "Correct and send again"."""
from __future__ import annotations

import html
from typing import Any, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from domain.codes import LOW_RATING_MAX_STARS

from ..core import RatingState, TargetRating, refusal_reason
from .common import (
    button, button_row, declaration_header, fill, kind_label, reasons_text, server_state_label, set_banner, stars_cell,
    state_explanation, state_label,
)


class SummaryPage(QWidget):
    """The banner, the summary, and the buttons "Gửi", "Sửa", "Correct and send again" and
    "Đóng" (the dialog connects them)."""

    def __init__(self, declaration: Mapping[str, Any], lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.declaration = declaration
        self.lang = lang
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.banner)
        self.summary = QTextBrowser()
        self.summary.setObjectName("summary")
        self.summary.setOpenLinks(False)
        self.summary.setAccessibleName(QCoreApplication.translate("AssessmentDialog", "Summary of the assessment"))
        layout.addWidget(self.summary, 1)
        self.send_button = button(QCoreApplication.translate("AssessmentDialog", "&Send"), "sendButton")
        self.edit_button = button(QCoreApplication.translate("AssessmentDialog", "&Edit"), "editButton")
        self.resend_button = button(QCoreApplication.translate("AssessmentDialog", "Correct and send &again"),
                                    "resendButton")
        self.summary_close = button(QCoreApplication.translate("AssessmentDialog", "Close"), "summaryClose")
        layout.addLayout(button_row(self.send_button, self.edit_button, self.resend_button, self.summary_close))

    def text(self) -> str:
        """The summary as plain text."""
        return self.summary.toPlainText()

    def ask_to_send(self, payload: Mapping[str, Any], targets: Sequence[TargetRating]) -> None:
        """After "Ghi": what will be sent, with "Gửi" and "Sửa"."""
        self.render(payload, targets)
        set_banner(self.banner, QCoreApplication.translate(
            "AssessmentDialog", "Check what will be sent. Choose <b>Send</b> to send it, or <b>Edit</b> to go back to "
                                "the form. Once sent, the assessment cannot be changed."), "")
        self.send_button.show()
        self.send_button.setEnabled(True)
        self.edit_button.show()
        self.resend_button.hide()
        self.summary_close.hide()

    def send_failed(self, message: str) -> None:
        """Nothing was sent: "Gửi" can be pressed again."""
        self.send_button.setEnabled(True)
        set_banner(self.banner, html.escape(message), "bad")

    def show_sent(self, sent: Mapping[str, Any], payload: Mapping[str, Any],
                  targets: Sequence[TargetRating]) -> RatingState:
        """What was sent, its state and customs' answer; "Correct and send again" when
        rejected. Returns the state."""
        self.render(payload, targets)
        state = RatingState(sent.get("state") or RatingState.QUEUED.value)
        lines = [f"<b>{html.escape(state_label(state))}</b> — {html.escape(state_explanation(state))}"]
        if sent.get("server_ref"):
            lines.append(html.escape(fill(QCoreApplication.translate("AssessmentDialog", "Customs reference: %1"),
                                          sent["server_ref"])))
        if sent.get("server_state"):
            lines.append(html.escape(fill(QCoreApplication.translate("AssessmentDialog", "Processing: %1"),
                                          server_state_label(sent["server_state"]))))
        if sent.get("answer"):
            lines.append("<b>" + html.escape(QCoreApplication.translate("AssessmentDialog", "Answer from customs:"))
                         + "</b> " + html.escape(str(sent["answer"])))
        if sent.get("origin") == "remote":
            lines.append(html.escape(QCoreApplication.translate(
                "AssessmentDialog", "This declaration was assessed from another workstation of your enterprise.")))
        if state is RatingState.REJECTED:
            reason = refusal_reason(sent, self.lang)
            lines.append(html.escape(fill(QCoreApplication.translate("AssessmentDialog", "Reason: %1"), reason)))
        set_banner(self.banner, "<br>".join(lines), "bad" if state is RatingState.REJECTED else "good")
        self.send_button.hide()
        self.edit_button.hide()
        self.resend_button.setVisible(state is RatingState.REJECTED)
        self.summary_close.show()
        return state

    def render(self, payload: Mapping[str, Any], targets: Sequence[TargetRating]) -> None:
        """The summary: the declaration, a table of the ratings, the detail and the contact."""
        names = {t.key: t for t in targets}
        rows = []
        for r in payload.get("ratings") or []:
            t = names.get((r.get("target_kind"), r.get("target_code")))
            name = t.name if t else str(r.get("target_code"))
            stars = int(r.get("stars") or 0)
            colour = "#c62828" if stars <= LOW_RATING_MAX_STARS else "#e65100"
            rows.append(
                "<tr>"
                f"<td>{html.escape(kind_label(str(r.get('target_kind')), self.lang))}</td>"
                f"<td>{html.escape(name)}</td>"
                f"<td style='color:{colour}'>{html.escape(stars_cell(stars, self.lang))}</td>"
                f"<td>{html.escape(reasons_text(r.get('reasons') or [], self.lang))}</td>"
                f"<td>{html.escape(str(r.get('comment') or ''))}</td>"
                "</tr>")
        head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in (
            QCoreApplication.translate("AssessmentDialog", "Target"), QCoreApplication.translate("AssessmentDialog", "Name"),
            QCoreApplication.translate("AssessmentDialog", "Level"), QCoreApplication.translate("AssessmentDialog", "Reasons"),
            QCoreApplication.translate("AssessmentDialog", "Comment")))
        parts = [f"<p>{declaration_header(self.declaration, self.lang)}</p>",
                 f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{''.join(rows)}</table>"]
        if payload.get("detail"):
            label = html.escape(QCoreApplication.translate("AssessmentDialog", "Detailed reason:"))
            parts.append(f"<p><b>{label}</b> "
                         f"{html.escape(str(payload['detail'])).replace(chr(10), '<br>')}</p>")
        contact = payload.get("contact")
        if contact:
            label = html.escape(QCoreApplication.translate("AssessmentDialog", "Contact person:"))
            parts.append(f"<p><b>{label}</b> "
                         f"{html.escape(str(contact.get('name', '')))} — {html.escape(str(contact.get('phone', '')))}</p>")
        self.summary.setHtml("".join(parts))
