"""The assessment form: record ("Ghi") → read-only summary → send ("Gửi") or edit ("Sửa").

The dialog only presents an :class:`~plugins.satisfaction.core.AssessmentForm` and
forwards what the user does; the plugin saves drafts, sends through the outbox and tells
the dialog the outcome. It is non-modal. Its two pages are the form
(:class:`~.rating_page.RatingPage`: the targets, the detail and contact, the problem list)
and the summary (:class:`~.summary.SummaryPage`: what will be sent, or what was sent).
"""
from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ..core import AssessmentForm, FormInvalid, RatingState
from .common import INVALID_STYLE, declaration_header, fill
from .rating_page import RatingPage
from .summary import SummaryPage

DRAFT_DELAY_MS = 400


class AssessmentDialog(QDialog):
    """The assessment of one declaration. Pages: the form (``form_page``), and the summary
    (``summary_page``: what will be sent, or what was sent with its state when the
    assessment is final)."""

    draft_changed = Signal(dict)        # debounced: the plugin saves it
    send_requested = Signal(dict)       # the normalised payload the user confirmed
    closed_unrated = Signal(str)        # closed without sending (number)

    PAGE_FORM, PAGE_SUMMARY = 0, 1

    def __init__(self, form: AssessmentForm, declaration: Mapping[str, Any], *, lang: str = "vi",
                 sent: Mapping[str, Any] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self.declaration = dict(declaration)
        self.lang = lang
        self.sent = dict(sent) if sent else None
        self.payload: dict[str, Any] | None = None
        self.was_sent = False
        self.setObjectName("assessmentDialog")
        self.setWindowTitle(fill(QCoreApplication.translate("AssessmentDialog", "Service-quality assessment — %1"),
                                 form.declaration_number))
        self.setStyleSheet(INVALID_STYLE)
        self.resize(1000, 700)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.flush_draft)

        outer = QVBoxLayout(self)
        self.header = QLabel(declaration_header(self.declaration, lang))
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        outer.addWidget(self.header)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.form_page = RatingPage(form, lang)
        self.form_page.edited.connect(self._draft_timer.start)
        self.form_page.record_button.clicked.connect(self.record)
        self.form_page.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+Return"), self.form_page, activated=self.record)
        self.summary_page = SummaryPage(self.declaration, lang)
        self.summary_page.send_button.clicked.connect(self._send_clicked)
        self.summary_page.edit_button.clicked.connect(self.edit)
        self.summary_page.resend_button.clicked.connect(self.edit)
        self.summary_page.summary_close.clicked.connect(self.close)
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.summary_page)

        if self.sent is not None:
            self.show_sent(self.sent)
        else:
            self.pages.setCurrentIndex(self.PAGE_FORM)
            self.form_page.update_low_section()
            if self.form_page.rows:
                stars = self.form_page.rows[0].stars
                QTimer.singleShot(0, stars, stars.setFocus)

    def flush_draft(self) -> None:
        self._draft_timer.stop()
        if self.sent is None and not self.was_sent:
            self.draft_changed.emit(self.form.to_draft())

    # ---- record → summary → send / edit --------------------------------------------------------
    def record(self) -> bool:
        """"Ghi": validate; on success show the read-only summary of what will be sent."""
        if self.pages.currentIndex() != self.PAGE_FORM or self.sent is not None:
            return False
        self.flush_draft()
        try:
            payload = self.form.to_payload()
        except FormInvalid as exc:
            self.form_page.show_problems(exc.problems)
            return False
        self.form_page.show_problems([])
        self.payload = payload
        self.summary_page.ask_to_send(payload, self.form.targets)
        self.pages.setCurrentIndex(self.PAGE_SUMMARY)
        self.summary_page.send_button.setFocus()
        return True

    def edit(self) -> None:
        """"Sửa": back to the form with everything kept."""
        if self.sent is not None:
            if RatingState(self.sent.get("state", "queued")) is not RatingState.REJECTED:
                return
            self.sent = None  # a rejected assessment is corrected and sent with a new id
            self.was_sent = False
            self.payload = None
            self.form_page.set_editable(True)
        self.pages.setCurrentIndex(self.PAGE_FORM)
        self.form_page.update_low_section()
        self.form_page.focus_first_field()

    def _send_clicked(self) -> None:
        if self.payload is None:
            return
        self.summary_page.send_button.setEnabled(False)
        self.send_requested.emit(self.payload)

    def send_failed(self, message: str) -> None:
        """The plugin could not put it in the outbox: nothing was sent, the form is kept."""
        self.summary_page.send_failed(message)

    def show_sent(self, sent: Mapping[str, Any]) -> None:
        """Read-only: what was sent, its delivery and processing state, and the answer."""
        self.sent = dict(sent)
        self.was_sent = True
        self._draft_timer.stop()
        payload = self.sent.get("payload") or self.payload or {}
        state = self.summary_page.show_sent(self.sent, payload, self.form.targets)
        self.form_page.set_editable(state is RatingState.REJECTED)
        self.pages.setCurrentIndex(self.PAGE_SUMMARY)
        self.summary_page.summary_close.setFocus()

    # ---- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._draft_timer.isActive():
            self.flush_draft()
        event.accept()
        QWidget.closeEvent(self, event)
        if not self.was_sent and self.sent is None:
            self.closed_unrated.emit(self.form.declaration_number)

    def reject(self) -> None:  # Esc closes like the Close button (the draft is kept)
        self.close()
