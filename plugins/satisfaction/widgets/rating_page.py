"""The form page of the assessment: a row per target that handled the declaration (stars,
reasons, comment), "copy the first rating", the detailed reason and contact person
(required when a target gets 1 or 2 stars), the problem list beside them, and "Ghi" /
"Đóng". Editing the page edits the :class:`~plugins.satisfaction.core.AssessmentForm`.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QApplication, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea,
    QStackedWidget, QVBoxLayout, QWidget,
)

from domain.submissions import MAX_DETAIL

from ..core import AssessmentForm, FormInvalid, Problem
from .common import button, button_row, fill, problem_text, restyle, set_invalid
from .problems import ProblemList, problem_group
from .target_row import TargetRow


class RatingPage(QWidget):
    """The page's widgets (``rows``, ``detail_edit``, ``record_button``…) and what they do
    to the form; the dialog connects "Ghi" and "Đóng"."""

    edited = Signal()  # the user changed the form (the dialog saves the draft)

    def __init__(self, form: AssessmentForm, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self.lang = lang
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(QCoreApplication.translate(
            "AssessmentDialog",
            "Rate every official, working team, professional stage and customs branch that handled this "
            "declaration: 1 to 5 stars (arrow keys or digits) and at least one reason."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._build_targets(), 1)

        self.copy_button = button(
            QCoreApplication.translate("AssessmentDialog", "&Copy the first rating to unrated targets"), "copyFirst",
            clicked=self.copy_first_rating, tooltip=QCoreApplication.translate(
                "AssessmentDialog", "Give every target without stars the same stars and reasons as the first one."))
        self.copy_button.setEnabled(len(self.rows) > 1)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)
        layout.addLayout(copy_row)

        self.problems_area = ProblemList()
        bottom = QHBoxLayout()
        bottom.addWidget(self._build_low_box(), 3)
        bottom.addWidget(self.problems_area, 2)
        layout.addLayout(bottom)

        self.record_button = button(
            QCoreApplication.translate("AssessmentDialog", "&Record"), "recordButton", tooltip=QCoreApplication.translate(
                "AssessmentDialog", "Check the form and show exactly what will be sent (Ctrl+Enter)"))
        self.record_button.setDefault(True)
        self.close_button = button(QCoreApplication.translate("AssessmentDialog", "Close"), "closeButton")
        layout.addLayout(button_row(self.record_button, self.close_button))
        QApplication.instance().focusChanged.connect(self._focus_moved)

    def _build_targets(self) -> QScrollArea:
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
        return scroll

    def _build_low_box(self) -> QGroupBox:
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
        return self.low_box

    # ---- edits -------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.update_low_section()
        self._refresh_problems()
        self.edited.emit()

    def _detail_changed(self) -> None:
        self.form.detail = self.detail_edit.toPlainText()
        set_invalid(self.detail_edit, False)
        self._refresh_problems()
        self.edited.emit()

    def _contact_changed(self) -> None:
        self.form.contact_name = self.contact_name_edit.text()
        self.form.contact_phone = self.contact_phone_edit.text()
        set_invalid(self.contact_name_edit, False)
        set_invalid(self.contact_phone_edit, False)
        self._refresh_problems()
        self.edited.emit()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The target being edited is framed (the stars' own focus mark is small)."""
        for row in self.rows:
            current = new is not None and row.isAncestorOf(new)
            if bool(row.property("current")) != current:
                row.setProperty("current", current)
                restyle(row)

    def update_low_section(self) -> None:
        """The detail and contact box says whether it is required now (a target has 1 or 2 stars)."""
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

    def copy_first_rating(self) -> None:
        """Give every target without stars the first target's stars and reasons."""
        if not self.rows or not self.form.targets[0].stars:
            self.show_problems([Problem("ratings[0].stars", "stars_missing")])
            return
        first = self.form.targets[0]
        for row in self.rows[1:]:
            if row.target.stars:
                continue
            row.stars.setValue(first.stars)
            row.set_reasons(list(first.reasons))

    def set_editable(self, editable: bool) -> None:
        for row in self.rows:
            row.stars.setReadOnly(not editable)
            row.reasons.setEnabled(editable)
            row.comment.setReadOnly(not editable)
        for w in (self.detail_edit, self.contact_name_edit, self.contact_phone_edit):
            w.setReadOnly(not editable)
        self.record_button.setEnabled(editable)
        self.copy_button.setEnabled(editable and len(self.rows) > 1)

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

    # ---- problems ------------------------------------------------------------------------------
    def _is_shown_page(self) -> bool:
        pages = self.parentWidget()
        return not isinstance(pages, QStackedWidget) or pages.currentWidget() is self

    def _refresh_problems(self) -> None:
        """While the list is shown, each change re-checks the form: what was fixed leaves the
        list (and loses its red frame); fields not listed yet are left alone until "Ghi"."""
        if not self.problems_area.groups or not self._is_shown_page():
            return
        still = [p for p in self._current_problems() if problem_group(p) in self.problems_area.groups]
        keep = {id(w) for w in (self._widget_for(p) for p in still) if w is not None}
        for w in self._problem_widgets():
            if id(w) not in keep:
                set_invalid(w, False)
        self.problems_area.show_problems(still, self.form.targets, self.lang)

    def _problem_widgets(self) -> list[QWidget]:
        out: list[QWidget] = []
        for row in self.rows:
            out += [row.stars, row.reasons, row.comment]
        return out + [self.detail_edit, self.contact_name_edit, self.contact_phone_edit]

    def show_problems(self, problems: list[Problem]) -> None:
        """List the problems, frame their widgets in red and focus the first one."""
        for w in self._problem_widgets():
            set_invalid(w, False)
        self.problems_area.show_problems(problems, self.form.targets, self.lang)
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
        """The problems of the form now (tests, accessibility)."""
        return [problem_text(p, self.form.targets, self.lang) for p in self._current_problems()]

    def _current_problems(self) -> list[Problem]:
        try:
            self.form.to_payload()
        except FormInvalid as exc:
            return exc.problems
        return []
