"""The list of what to fix in the assessment form.

It sits beside the detail and contact box, as high as that box, and scrolls beyond
:data:`PROBLEM_LINES` lines: however long it is, the targets keep their room. Problems of
one target (stars, reasons, comment) or of one field form a group; while the list is shown,
the form re-checks itself on every change and keeps listing only the groups already listed.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QWidget

from ..core import Problem, TargetRating
from .common import problems_html

PROBLEM_LINES = 5  # the problem list scrolls beyond this many lines: the targets keep their room


def problem_group(p: Problem) -> str:
    """Problems of one target (stars, reasons, comment) or of one field go together."""
    if p.field.startswith("ratings[") and "]" in p.field:
        return p.field[:p.field.index("]") + 1]
    return p.field


class ProblemList(QScrollArea):
    """The problem list (``label``: its text); hidden when there is nothing to fix."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.groups: set[str] = set()  # the groups listed now
        self.label = QLabel()
        self.label.setObjectName("problems")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.hide()
        self.setObjectName("problemsArea")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(self.label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(PROBLEM_LINES * self.label.fontMetrics().lineSpacing())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def show_problems(self, problems: Sequence[Problem], targets: Sequence[TargetRating], lang: str) -> None:
        self.groups = {problem_group(p) for p in problems}
        if not problems:
            self.hide()
            self.label.hide()
            self.label.clear()
            return
        self.label.setText(problems_html(
            QCoreApplication.translate("AssessmentDialog", "Please correct the following:"), problems, targets, lang))
        self.label.show()
        self.show()
        self.label.setAccessibleName(self.label.text())
