"""One target of the assessment form: who it is, the stars, the reasons for that level and
an optional comment; editing it edits its :class:`~plugins.satisfaction.core.TargetRating`."""
from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..core import TargetRating
from .common import fill, kind_label, reason_codes_for, reason_label, set_invalid, subject_text
from .stars import StarRating


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
