"""The assessment form: record ("Ghi") → read-only summary → send ("Gửi") or edit ("Sửa").

The dialog only presents an :class:`~plugins.satisfaction.core.AssessmentForm` and
forwards what the user does; the plugin saves drafts, sends through the outbox and tells
the dialog the outcome. It is non-modal.
"""
from __future__ import annotations

import html
from typing import Any, Mapping

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QDialog, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QStackedWidget, QTextBrowser, QVBoxLayout,
    QWidget,
)

from domain.codes import LOW_RATING_MAX_STARS
from domain.submissions import MAX_DETAIL

from ..core import AssessmentForm, FormInvalid, Problem, RatingState, TargetRating, refusal_reason
from .common import (
    INVALID_STYLE, declaration_header, fill, kind_label, problem_text, reason_codes_for, subject_text,
    reason_label, server_state_label, set_invalid, state_explanation, state_label, stars_cell,
)
from .stars import StarRating

DRAFT_DELAY_MS = 400
PROBLEM_LINES = 5  # the problem list scrolls beyond this many lines: the targets keep their room


class TargetRow(QFrame):
    """One target: who it is, the stars, the reasons for that level, an optional comment."""

    changed = Signal()

    def __init__(self, target: TargetRating, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.target = target
        self.lang = lang
        self.setObjectName("targetRow")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 6, 4, 8)
        grid.setHorizontalSpacing(12)

        who = QVBoxLayout()
        self.kind_label = QLabel(kind_label(target.kind, lang))
        self.kind_label.setObjectName("targetKind")
        self.name_label = QLabel(html.escape(target.name))
        self.name_label.setWordWrap(True)
        who.addWidget(self.kind_label)
        who.addWidget(self.name_label)
        if target.detail:
            self.detail_label = QLabel(html.escape(target.detail))
            self.detail_label.setObjectName("targetDetail")
            self.detail_label.setWordWrap(True)
            who.addWidget(self.detail_label)
        subject = subject_text(target.kind, target.name, lang)
        self.stars = StarRating(subject, lang=lang)
        self.stars.setObjectName(f"stars_{target.kind}_{target.code}")
        who.addWidget(self.stars)
        who.addStretch(1)
        grid.addLayout(who, 0, 0)

        self.reasons = QListWidget()
        self.reasons.setObjectName(f"reasons_{target.kind}_{target.code}")
        self.reasons.setAccessibleName(fill(QCoreApplication.translate("TargetRow", "Reasons for %1"), subject))
        self.reasons.setToolTip(QCoreApplication.translate(
            "TargetRow", "Tick one or more reasons (Space toggles the selected reason)."))
        self.reasons.setMinimumWidth(280)
        grid.addWidget(self.reasons, 0, 1)

        self.comment = QLineEdit()
        self.comment.setObjectName(f"comment_{target.kind}_{target.code}")
        self.comment.setPlaceholderText(QCoreApplication.translate("TargetRow", "Other comments (optional)"))
        self.comment.setAccessibleName(fill(QCoreApplication.translate("TargetRow", "Comment on %1"), subject))
        self.comment.setMinimumWidth(200)
        grid.addWidget(self.comment, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)

        self._load()
        rows = max(len(reason_codes_for(1)), len(reason_codes_for(5)))
        row_height = self.reasons.sizeHintForRow(0) if self.reasons.count() else self.reasons.fontMetrics().height() + 4
        self.reasons.setFixedHeight(rows * row_height + 2 * self.reasons.frameWidth() + 2)
        self.stars.valueChanged.connect(self._stars_changed)
        self.reasons.itemChanged.connect(self._reason_changed)
        self.comment.textChanged.connect(self._comment_changed)

    def _load(self) -> None:
        with QSignalBlocker(self.stars):
            self.stars.setValue(self.target.stars)
        self.comment.setText(self.target.comment)
        self._fill_reasons()

    def _fill_reasons(self) -> None:
        blocker = QSignalBlocker(self.reasons)
        self.reasons.clear()
        codes = reason_codes_for(self.target.stars)
        if not codes:
            item = QListWidgetItem(QCoreApplication.translate("TargetRow", "Choose the stars first"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.reasons.addItem(item)
        for code in codes:
            item = QListWidgetItem(reason_label(code, self.lang))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in self.target.reasons else Qt.CheckState.Unchecked)
            self.reasons.addItem(item)
        if codes:
            self.reasons.setCurrentRow(0)
        del blocker

    def _stars_changed(self, value: int) -> None:
        before = reason_codes_for(self.target.stars)
        self.target.set_stars(value)
        if reason_codes_for(value) != before:
            self._fill_reasons()  # the list switches between satisfied and dissatisfied
        set_invalid(self.stars, False)
        self.changed.emit()

    def _reason_changed(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.target.set_reason(code, item.checkState() == Qt.CheckState.Checked)
            set_invalid(self.reasons, False)
            self.changed.emit()

    def _comment_changed(self, text: str) -> None:
        self.target.comment = text
        set_invalid(self.comment, False)
        self.changed.emit()

    def checked_reasons(self) -> list[str]:
        return [self.reasons.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.reasons.count())
                if self.reasons.item(i).checkState() == Qt.CheckState.Checked]

    def set_reasons(self, codes: list[str]) -> None:
        """Tick exactly these reasons (used by "copy to the others")."""
        for i in range(self.reasons.count()):
            item = self.reasons.item(i)
            code = item.data(Qt.ItemDataRole.UserRole)
            if code:
                item.setCheckState(Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked)


class AssessmentDialog(QDialog):
    """The assessment of one declaration. Pages: the form, and the summary (what will be
    sent, or what was sent with its state when the assessment is final)."""

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
        self.pages.addWidget(self._build_form_page())
        self.pages.addWidget(self._build_summary_page())

        QApplication.instance().focusChanged.connect(self._focus_moved)
        if self.sent is not None:
            self.show_sent(self.sent)
        else:
            self.pages.setCurrentIndex(self.PAGE_FORM)
            self._update_low_section()
            if self.rows:
                QTimer.singleShot(0, self.rows[0].stars, self.rows[0].stars.setFocus)

    # ---- pages ------------------------------------------------------------------------------
    def _build_form_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(QCoreApplication.translate(
            "AssessmentDialog",
            "Rate every official, working team, professional stage and customs branch that handled this "
            "declaration: 1 to 5 stars (arrow keys or digits) and at least one reason."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.rows: list[TargetRow] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setObjectName("targetsArea")
        self.targets_area = scroll
        holder = QWidget()
        rows_layout = QVBoxLayout(holder)
        rows_layout.setContentsMargins(4, 4, 4, 4)
        for target in self.form.targets:
            row = TargetRow(target, self.lang)
            row.changed.connect(self._changed)
            rows_layout.addWidget(row)
            self.rows.append(row)
        if not self.rows:
            empty = QLabel(problem_text(Problem("ratings", "no_targets"), [], self.lang))
            empty.setWordWrap(True)
            rows_layout.addWidget(empty)
        rows_layout.addStretch(1)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)

        self.copy_button = QPushButton(QCoreApplication.translate("AssessmentDialog", "&Copy the first rating to unrated targets"))
        self.copy_button.setObjectName("copyFirst")
        self.copy_button.setToolTip(QCoreApplication.translate(
            "AssessmentDialog", "Give every target without stars the same stars and reasons as the first one."))
        self.copy_button.clicked.connect(self.copy_first_rating)
        self.copy_button.setEnabled(len(self.rows) > 1)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)
        layout.addLayout(copy_row)

        self.low_box = QGroupBox(QCoreApplication.translate(
            "AssessmentDialog", "Detailed reason and contact person (required with 1 or 2 stars)"))
        self.low_box.setObjectName("lowBox")
        low = QFormLayout(self.low_box)
        self.detail_edit = QPlainTextEdit()
        self.detail_edit.setObjectName("detail")
        self.detail_edit.setFixedHeight(64)
        self.detail_edit.setTabChangesFocus(True)
        self.detail_edit.setPlaceholderText(fill(QCoreApplication.translate(
            "AssessmentDialog", "What happened, when and where (at most %1 characters)"), MAX_DETAIL))
        self.detail_edit.setPlainText(self.form.detail)
        self.contact_name_edit = QLineEdit(self.form.contact_name)
        self.contact_name_edit.setObjectName("contactName")
        self.contact_phone_edit = QLineEdit(self.form.contact_phone)
        self.contact_phone_edit.setObjectName("contactPhone")
        self.contact_phone_edit.setPlaceholderText("09xx xxx xxx")
        self.detail_label = QLabel(QCoreApplication.translate("AssessmentDialog", "&Detailed reason:"))
        self.detail_label.setBuddy(self.detail_edit)
        self.name_label = QLabel(QCoreApplication.translate("AssessmentDialog", "Contact &full name:"))
        self.name_label.setBuddy(self.contact_name_edit)
        self.phone_label = QLabel(QCoreApplication.translate("AssessmentDialog", "Mobile &phone:"))
        self.phone_label.setBuddy(self.contact_phone_edit)
        self.detail_edit.setAccessibleName(QCoreApplication.translate("AssessmentDialog", "Detailed reason"))
        self.contact_name_edit.setAccessibleName(QCoreApplication.translate("AssessmentDialog", "Contact full name"))
        self.contact_phone_edit.setAccessibleName(QCoreApplication.translate("AssessmentDialog", "Mobile phone"))
        low.addRow(self.detail_label, self.detail_edit)
        low.addRow(self.name_label, self.contact_name_edit)
        low.addRow(self.phone_label, self.contact_phone_edit)
        self.detail_edit.textChanged.connect(self._detail_changed)
        self.contact_name_edit.textChanged.connect(self._contact_changed)
        self.contact_phone_edit.textChanged.connect(self._contact_changed)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problems_label.hide()
        # the list sits beside the detail and contact box, as high as that box, and scrolls:
        # however long it is, the targets keep their room
        self.problems_area = QScrollArea()
        self.problems_area.setObjectName("problemsArea")
        self.problems_area.setWidgetResizable(True)
        self.problems_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems_area.setWidget(self.problems_label)
        self.problems_area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.problems_area.setMinimumHeight(PROBLEM_LINES * self.problems_label.fontMetrics().lineSpacing())
        self.problems_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problems_area.hide()
        self._problem_groups: set[str] = set()
        bottom = QHBoxLayout()
        bottom.addWidget(self.low_box, 3)
        bottom.addWidget(self.problems_area, 2)
        layout.addLayout(bottom)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.record_button = QPushButton(QCoreApplication.translate("AssessmentDialog", "&Record"))
        self.record_button.setObjectName("recordButton")
        self.record_button.setDefault(True)
        self.record_button.setToolTip(QCoreApplication.translate(
            "AssessmentDialog", "Check the form and show exactly what will be sent (Ctrl+Enter)"))
        self.record_button.clicked.connect(self.record)
        self.close_button = QPushButton(QCoreApplication.translate("AssessmentDialog", "Close"))
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), page, activated=self.record)
        return page

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
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
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.send_button = QPushButton(QCoreApplication.translate("AssessmentDialog", "&Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self._send_clicked)
        self.edit_button = QPushButton(QCoreApplication.translate("AssessmentDialog", "&Edit"))
        self.edit_button.setObjectName("editButton")
        self.edit_button.clicked.connect(self.edit)
        self.resend_button = QPushButton(QCoreApplication.translate("AssessmentDialog", "Correct and send &again"))
        self.resend_button.setObjectName("resendButton")
        self.resend_button.clicked.connect(self.edit)
        self.summary_close = QPushButton(QCoreApplication.translate("AssessmentDialog", "Close"))
        self.summary_close.setObjectName("summaryClose")
        self.summary_close.clicked.connect(self.close)
        for b in (self.send_button, self.edit_button, self.resend_button, self.summary_close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        return page

    # ---- form events ------------------------------------------------------------------------
    def _changed(self) -> None:
        self._update_low_section()
        self._refresh_problems()
        self._draft_timer.start()

    def _detail_changed(self) -> None:
        self.form.detail = self.detail_edit.toPlainText()
        set_invalid(self.detail_edit, False)
        self._refresh_problems()
        self._draft_timer.start()

    def _contact_changed(self) -> None:
        self.form.contact_name = self.contact_name_edit.text()
        self.form.contact_phone = self.contact_phone_edit.text()
        set_invalid(self.contact_name_edit, False)
        set_invalid(self.contact_phone_edit, False)
        self._refresh_problems()
        self._draft_timer.start()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The target being edited is framed (the stars' own focus mark is small)."""
        for row in self.rows:
            current = new is not None and row.isAncestorOf(new)
            if bool(row.property("current")) != current:
                row.setProperty("current", current)
                self._restyle(row)

    def _update_low_section(self) -> None:
        low = self.form.any_low()
        self.low_box.setProperty("required", low)
        title = QCoreApplication.translate(
            "AssessmentDialog", "Detailed reason and contact person (required: a target has 1 or 2 stars)") if low \
            else QCoreApplication.translate(
                "AssessmentDialog", "Detailed reason and contact person (required with 1 or 2 stars)")
        self.low_box.setTitle(title)
        marker = " *" if low else ""
        for label, text in ((self.detail_label, QCoreApplication.translate("AssessmentDialog", "&Detailed reason:")),
                            (self.name_label, QCoreApplication.translate("AssessmentDialog", "Contact &full name:")),
                            (self.phone_label, QCoreApplication.translate("AssessmentDialog", "Mobile &phone:"))):
            label.setText(text + marker)

    def flush_draft(self) -> None:
        self._draft_timer.stop()
        if self.sent is None and not self.was_sent:
            self.draft_changed.emit(self.form.to_draft())

    def copy_first_rating(self) -> None:
        if not self.rows or not self.form.targets[0].stars:
            self.show_problems([Problem("ratings[0].stars", "stars_missing")])
            return
        first = self.form.targets[0]
        for row in self.rows[1:]:
            if row.target.stars:
                continue
            row.stars.setValue(first.stars)
            row.set_reasons(list(first.reasons))

    # ---- record → summary → send / edit --------------------------------------------------------
    def record(self) -> bool:
        """"Ghi": validate; on success show the read-only summary of what will be sent."""
        if self.pages.currentIndex() != self.PAGE_FORM or self.sent is not None:
            return False
        self.flush_draft()
        try:
            payload = self.form.to_payload()
        except FormInvalid as exc:
            self.show_problems(exc.problems)
            return False
        self.show_problems([])
        self.payload = payload
        self._render_summary(payload)
        self.banner.setProperty("tone", "")
        self.banner.setText(QCoreApplication.translate(
            "AssessmentDialog", "Check what will be sent. Choose <b>Send</b> to send it, or <b>Edit</b> to go back to "
                                "the form. Once sent, the assessment cannot be changed."))
        self._restyle(self.banner)
        self.send_button.show()
        self.send_button.setEnabled(True)
        self.edit_button.show()
        self.resend_button.hide()
        self.summary_close.hide()
        self.pages.setCurrentIndex(self.PAGE_SUMMARY)
        self.send_button.setFocus()
        return True

    def edit(self) -> None:
        """"Sửa": back to the form with everything kept."""
        if self.sent is not None:
            if RatingState(self.sent.get("state", "queued")) is not RatingState.REJECTED:
                return
            self.sent = None  # a rejected assessment is corrected and sent with a new id
            self.was_sent = False
            self.payload = None
            self._set_form_enabled(True)
        self.pages.setCurrentIndex(self.PAGE_FORM)
        self._update_low_section()
        self.focus_first_field()

    def focus_first_field(self) -> None:
        """Focus the first target still needing stars or a reason (else the first one),
        scrolled into view and framed."""
        if not self.rows:
            self.record_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        row = next((r for r in self.rows if not r.target.stars or not r.target.reasons), self.rows[0])
        widget = row.reasons if row.target.stars and not row.target.reasons else row.stars
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        self.targets_area.ensureWidgetVisible(row, 0, 0)
        self._focus_moved(None, widget)

    def _send_clicked(self) -> None:
        if self.payload is None:
            return
        self.send_button.setEnabled(False)
        self.send_requested.emit(self.payload)

    def send_failed(self, message: str) -> None:
        """The plugin could not put it in the outbox: nothing was sent, the form is kept."""
        self.send_button.setEnabled(True)
        self.banner.setProperty("tone", "bad")
        self.banner.setText(html.escape(message))
        self._restyle(self.banner)

    def show_sent(self, sent: Mapping[str, Any]) -> None:
        """Read-only: what was sent, its delivery and processing state, and the answer."""
        self.sent = dict(sent)
        self.was_sent = True
        self._draft_timer.stop()
        payload = self.sent.get("payload") or self.payload or {}
        self._render_summary(payload)
        state = RatingState(self.sent.get("state") or RatingState.QUEUED.value)
        lines = [f"<b>{html.escape(state_label(state))}</b> — {html.escape(state_explanation(state))}"]
        if self.sent.get("server_ref"):
            lines.append(html.escape(fill(QCoreApplication.translate("AssessmentDialog", "Customs reference: %1"),
                                          self.sent["server_ref"])))
        if self.sent.get("server_state"):
            lines.append(html.escape(fill(QCoreApplication.translate("AssessmentDialog", "Processing: %1"),
                                          server_state_label(self.sent["server_state"]))))
        if self.sent.get("answer"):
            lines.append("<b>" + html.escape(QCoreApplication.translate("AssessmentDialog", "Answer from customs:"))
                         + "</b> " + html.escape(str(self.sent["answer"])))
        if self.sent.get("origin") == "remote":
            lines.append(html.escape(QCoreApplication.translate(
                "AssessmentDialog", "This declaration was assessed from another workstation of your enterprise.")))
        if state is RatingState.REJECTED:
            reason = refusal_reason(self.sent, self.lang)
            lines.append(html.escape(fill(QCoreApplication.translate("AssessmentDialog", "Reason: %1"), reason)))
        self.banner.setProperty("tone", "bad" if state is RatingState.REJECTED else "good")
        self.banner.setText("<br>".join(lines))
        self._restyle(self.banner)
        self.send_button.hide()
        self.edit_button.hide()
        self.resend_button.setVisible(state is RatingState.REJECTED)
        self.summary_close.show()
        self._set_form_enabled(state is RatingState.REJECTED)
        self.pages.setCurrentIndex(self.PAGE_SUMMARY)
        self.summary_close.setFocus()

    def _set_form_enabled(self, enabled: bool) -> None:
        for row in self.rows:
            row.stars.setReadOnly(not enabled)
            row.reasons.setEnabled(enabled)
            row.comment.setReadOnly(not enabled)
        for w in (self.detail_edit, self.contact_name_edit, self.contact_phone_edit):
            w.setReadOnly(not enabled)
        self.record_button.setEnabled(enabled)
        self.copy_button.setEnabled(enabled and len(self.rows) > 1)

    # ---- problems ------------------------------------------------------------------------------
    @staticmethod
    def _problem_group(p: Problem) -> str:
        """Problems of one target (stars, reasons, comment) or of one field go together."""
        if p.field.startswith("ratings[") and "]" in p.field:
            return p.field[:p.field.index("]") + 1]
        return p.field

    def _refresh_problems(self) -> None:
        """While the list is shown, each change re-checks the form: what was fixed leaves the
        list (and loses its red frame); fields not listed yet are left alone until "Ghi"."""
        if not self._problem_groups or self.pages.currentIndex() != self.PAGE_FORM:
            return
        still = [p for p in self._last_problems() if self._problem_group(p) in self._problem_groups]
        keep = {id(w) for w in (self._widget_for(p) for p in still) if w is not None}
        for w in self._problem_widgets():
            if id(w) not in keep:
                set_invalid(w, False)
        self._show_problem_list(still)

    def _problem_widgets(self) -> list[QWidget]:
        out: list[QWidget] = []
        for row in self.rows:
            out += [row.stars, row.reasons, row.comment]
        return out + [self.detail_edit, self.contact_name_edit, self.contact_phone_edit]

    def _show_problem_list(self, problems: list[Problem]) -> None:
        self._problem_groups = {self._problem_group(p) for p in problems}
        if not problems:
            self.problems_area.hide()
            self.problems_label.hide()
            self.problems_label.clear()
            return
        items = "".join(f"<li>{html.escape(problem_text(p, self.form.targets, self.lang))}</li>" for p in problems)
        self.problems_label.setText(
            "<b>" + html.escape(QCoreApplication.translate("AssessmentDialog", "Please correct the following:"))
            + f"</b><ul style='margin:0'>{items}</ul>")
        self.problems_label.show()
        self.problems_area.show()
        self.problems_label.setAccessibleName(self.problems_label.text())

    def show_problems(self, problems: list[Problem]) -> None:
        for w in self._problem_widgets():
            set_invalid(w, False)
        self._show_problem_list(problems)
        if not problems:
            return
        first: QWidget | None = None
        for p in problems:
            w = self._widget_for(p)
            if w is not None:
                set_invalid(w, True)
                first = first or w
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            parent = first.parentWidget()
            while parent is not None and not isinstance(parent, QScrollArea):
                parent = parent.parentWidget()
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(first)

    def _widget_for(self, p: Problem) -> QWidget | None:
        if p.field.startswith("ratings[") and "]" in p.field:
            try:
                i = int(p.field[len("ratings["):p.field.index("]")])
            except ValueError:
                return None
            if i >= len(self.rows):
                return None
            row = self.rows[i]
            if p.field.endswith(".reasons"):
                return row.reasons
            if p.field.endswith(".comment"):
                return row.comment
            return row.stars
        return {"detail": self.detail_edit, "contact.name": self.contact_name_edit, "contact": self.contact_name_edit,
                "contact.phone": self.contact_phone_edit}.get(p.field)

    def problem_texts(self) -> list[str]:
        """The problems shown now (tests, accessibility)."""
        return [problem_text(p, self.form.targets, self.lang) for p in self._last_problems()]

    def _last_problems(self) -> list[Problem]:
        try:
            self.form.to_payload()
        except FormInvalid as exc:
            return exc.problems
        return []

    # ---- the summary -----------------------------------------------------------------------------
    def _render_summary(self, payload: Mapping[str, Any]) -> None:
        names = {t.key: t for t in self.form.targets}
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
                f"<td>{html.escape('; '.join(reason_label(c, self.lang) for c in r.get('reasons') or []))}</td>"
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

    def summary_text(self) -> str:
        return self.summary.toPlainText()

    @staticmethod
    def _restyle(w: QWidget) -> None:
        w.style().unpolish(w)
        w.style().polish(w)

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
