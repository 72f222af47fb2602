"""Kết quả đánh giá, phản ánh: every assessment and reflection sent, its delivery and
processing state, and the answer of customs — a case tracker: each reflection and low
rating is a case at customs with its state and deadline; on an answer the declarant accepts
it or reopens the case once with a comment."""
from __future__ import annotations

import html
from typing import Any, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QSplitter,
    QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from ..core import RatingState, refusal_reason
from .common import (
    button, case_state_label, fill, reasons_text, subject_text, server_state_label, state_explanation, state_label,
    stars_cell,
)


def kind_text(kind: str) -> str:
    if kind == "assessment":
        return QCoreApplication.translate("AnswersWindow", "Assessment")
    if kind == "reflection":
        return QCoreApplication.translate("AnswersWindow", "Reflection")
    return kind


def _local_time(value: str | None) -> str:
    if not value:
        return ""
    dt = QDateTime.fromString(value, Qt.DateFormat.ISODate)
    if not dt.isValid():
        return value
    return dt.toLocalTime().toString("dd/MM/yyyy HH:mm")


def _processing(r: Mapping[str, Any]) -> str:
    case = r.get("case")
    if isinstance(case, Mapping) and case.get("state"):
        return case_state_label(str(case["state"]))
    return server_state_label(r.get("server_state"))


def _deadline(r: Mapping[str, Any]) -> str:
    case = r.get("case")
    if isinstance(case, Mapping) and case.get("state") not in (None, "answered", "closed"):
        return _local_time(case.get("answer_due"))[:10]
    return ""


def feedback_pending(r: Mapping[str, Any]) -> bool:
    """The enterprise's word on this answer is on its way (or arrived, and the case has not
    moved yet)."""
    fb = r.get("feedback")
    return isinstance(fb, Mapping) and fb.get("state") in ("queued", "sent") and \
        (r.get("case") or {}).get("state") == "answered"


class AnswersWindow(QDialog):
    """Non-modal list; ``open_requested(number, kind)`` opens the form of a row (e.g. to
    correct and resend a rejected assessment); ``refresh_requested`` asks for fresh states;
    ``seen(ids)`` reports answers the user has looked at."""

    open_requested = Signal(str, str)
    refresh_requested = Signal()
    seen = Signal(list)
    feedback_requested = Signal(str, str, str)  # submission id, "accept" | "reopen", comment

    COLUMNS = ("kind", "number", "created", "state", "ref", "processing", "deadline", "answer")

    def __init__(self, *, lang: str = "vi", parent: QWidget | None = None):
        super().__init__(parent)
        self.lang = lang
        self.rows: list[dict[str, Any]] = []
        self.setObjectName("answersWindow")
        self.setModal(False)
        self.setWindowTitle(QCoreApplication.translate("AnswersWindow", "Results of assessments and reflections"))
        self.resize(1000, 560)

        layout = QVBoxLayout(self)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("answersSummary")
        layout.addWidget(self.summary_label)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("answersTable")
        self.table.setHorizontalHeaderLabels([
            QCoreApplication.translate("AnswersWindow", "Kind"),
            QCoreApplication.translate("AnswersWindow", "Declaration"),
            QCoreApplication.translate("AnswersWindow", "Recorded"),
            QCoreApplication.translate("AnswersWindow", "State"),
            QCoreApplication.translate("AnswersWindow", "Reference"),
            QCoreApplication.translate("AnswersWindow", "Processing"),
            QCoreApplication.translate("AnswersWindow", "Answer due"),
            QCoreApplication.translate("AnswersWindow", "Answer"),
        ])
        self.table.setAccessibleName(self.windowTitle())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((90, 110, 120, 110, 100, 120, 90)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda _item: self._open())
        split.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("answerDetail")
        self.detail.setAccessibleName(QCoreApplication.translate("AnswersWindow", "Details"))
        split.addWidget(self.detail)
        split.setSizes([320, 200])
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.open_button = button(
            QCoreApplication.translate("AnswersWindow", "&Open"), "openButton", clicked=self._open,
            tooltip=QCoreApplication.translate(
                "AnswersWindow", "Open the assessment (a rejected one can be corrected and sent again)"))
        self.refresh_button = button(QCoreApplication.translate("AnswersWindow", "&Refresh"), "refreshButton",
                                     clicked=self.refresh_requested.emit)
        close = button(QCoreApplication.translate("AnswersWindow", "Close"), clicked=self.close)
        self.accept_button = button(
            QCoreApplication.translate("AnswersWindow", "&Accept the answer"), "acceptButton", clicked=self._accept,
            tooltip=QCoreApplication.translate("AnswersWindow", "The answer settles the matter: customs closes the case"))
        self.reopen_button = button(
            QCoreApplication.translate("AnswersWindow", "Re&open the case…"), "reopenButton", clicked=self._reopen,
            tooltip=QCoreApplication.translate(
                "AnswersWindow", "The answer does not settle the matter: customs handles the case again (once)"))
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.refresh_button)
        self._update_feedback_buttons(None)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def set_rows(self, rows: Sequence[Mapping[str, Any]], names: Mapping[tuple[str, str], str] | None = None) -> None:
        selected = self.current_id()
        self.names = dict(names or {})
        self.rows = [dict(r) for r in rows]
        self.table.setRowCount(len(self.rows))
        counts = {s: 0 for s in RatingState}
        for i, r in enumerate(self.rows):
            state = RatingState(r.get("state") or "queued")
            counts[state] += 1
            values = (kind_text(r["kind"]), r["number"], _local_time(r.get("created_at")), state_label(state),
                      r.get("server_ref") or "", _processing(r), _deadline(r),
                      (r.get("answer") or (refusal_reason(r, self.lang) if state is RatingState.REJECTED else "")
                       ).replace("\n", " "))
            unseen = bool(r.get("answer")) and not r.get("answer_seen")
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, r["id"])
                if unseen:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                if col == 3:
                    item.setToolTip(state_explanation(state))
                self.table.setItem(i, col, item)
        self.summary_label.setText(fill(QCoreApplication.translate(
            "AnswersWindow", "%1 sent · %2 queued · %3 answered · %4 rejected"),
            counts[RatingState.SENT] + counts[RatingState.ANSWERED], counts[RatingState.QUEUED],
            counts[RatingState.ANSWERED], counts[RatingState.REJECTED]))
        if selected and self.select(selected):
            current = self._selected()
            if current is not None:  # the same row stays selected: its details may have changed
                self.detail.setHtml(self.render_detail(current))
            self._update_feedback_buttons(current)
        elif self.rows:
            self.table.selectRow(0)
        else:
            self.detail.setHtml("<p>" + html.escape(QCoreApplication.translate(
                "AnswersWindow", "Nothing has been sent yet.")) + "</p>")
        self._update_feedback_buttons(self._selected())

    def current_id(self) -> str | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]["id"]
        return None

    def select(self, submission_id: str) -> bool:
        for i, r in enumerate(self.rows):
            if r["id"] == submission_id:
                self.table.selectRow(i)
                return True
        return False

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return
        r = self.rows[row]
        self.detail.setHtml(self.render_detail(r))
        self.open_button.setEnabled(r["kind"] == "assessment")
        self._update_feedback_buttons(r)
        if r.get("answer") and not r.get("answer_seen"):
            r["answer_seen"] = True
            for col in range(self.table.columnCount()):
                item = self.table.item(row, col)
                font = QFont(item.font())
                font.setBold(False)
                item.setFont(font)
            self.seen.emit([r["id"]])

    def render_detail(self, r: Mapping[str, Any]) -> str:
        state = RatingState(r.get("state") or "queued")
        p = r.get("payload") or {}
        out = [f"<p><b>{html.escape(kind_text(r['kind']))} — {html.escape(r['number'])}</b><br>"
               f"{html.escape(state_label(state))} — {html.escape(state_explanation(state))}</p>"]
        if state is RatingState.REJECTED:
            out.append("<p style='color:#b71c1c'>" + html.escape(fill(QCoreApplication.translate(
                "AnswersWindow", "Reason given by the server: %1"),
                refusal_reason(r, self.lang))) + "</p>")
        case = r.get("case") if isinstance(r.get("case"), Mapping) else None
        if case:
            line = fill(QCoreApplication.translate("AnswersWindow", "Case at customs: %1"),
                        case_state_label(str(case.get("state"))))
            if _deadline(r):
                line += " · " + fill(QCoreApplication.translate("AnswersWindow", "answer due %1"), _deadline(r))
            out.append("<p>" + html.escape(line) + "</p>")
        fb = r.get("feedback")
        if isinstance(fb, Mapping):
            action = (fb.get("payload") or {}).get("action")
            said = (QCoreApplication.translate("AnswersWindow", "You accepted the answer.") if action == "accept"
                    else QCoreApplication.translate("AnswersWindow", "You reopened the case: %1").replace(
                        "%1", str((fb.get("payload") or {}).get("comment") or "")))
            if fb.get("state") == "queued":
                said += " " + QCoreApplication.translate("AnswersWindow", "(waiting to be sent)")
            elif fb.get("state") == "rejected":
                said += " " + fill(QCoreApplication.translate("AnswersWindow", "(refused: %1)"),
                                   refusal_reason(fb, self.lang))
            out.append("<p><i>" + html.escape(said) + "</i></p>")
        if r.get("answer"):
            verified = r.get("verified")
            out.append("<p><b>" + html.escape(QCoreApplication.translate("AnswersWindow", "Answer from customs")) + "</b>"
                       + (" (" + html.escape(_local_time(r.get("answered_at"))) + ")" if r.get("answered_at") else "")
                       + "<br>" + html.escape(str(r["answer"])).replace("\n", "<br>") + "</p>")
            if r.get("outcome") or verified is not None:
                out.append("<p>" + html.escape(fill(QCoreApplication.translate("AnswersWindow", "Outcome: %1"),
                                                    r.get("outcome") or "")) + (
                    " · " + html.escape(QCoreApplication.translate("AnswersWindow", "verified")) if verified else "")
                    + "</p>")
        if r["kind"] == "assessment":
            items = []
            for x in p.get("ratings") or []:
                key = (x.get("target_kind"), x.get("target_code"))
                name = self.names.get(key, str(x.get("target_code")))
                items.append(f"<li>{html.escape(subject_text(str(key[0]), name, self.lang))}: "
                             f"{html.escape(stars_cell(int(x.get('stars') or 0), self.lang))} — "
                             f"{html.escape(reasons_text(x.get('reasons') or [], self.lang))}"
                             + (f" — {html.escape(str(x['comment']))}" if x.get("comment") else "") + "</li>")
            out.append("<ul>" + "".join(items) + "</ul>")
            if p.get("detail"):
                out.append("<p>" + html.escape(fill(QCoreApplication.translate("AnswersWindow", "Detailed reason: %1"),
                                                    p["detail"])) + "</p>")
        else:
            out.append("<p>" + html.escape(str(p.get("content") or "")).replace("\n", "<br>") + "</p>")
        return "".join(out)

    def _update_feedback_buttons(self, r: Mapping[str, Any] | None) -> None:
        case = (r or {}).get("case") if r else None
        answered = isinstance(case, Mapping) and case.get("state") == "answered" and not feedback_pending(r or {})
        self.accept_button.setEnabled(bool(answered))
        self.reopen_button.setEnabled(bool(answered) and bool(case.get("can_reopen")))

    def _selected(self) -> Mapping[str, Any] | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _accept(self) -> None:
        r = self._selected()
        if r is not None and self.accept_button.isEnabled():
            self.feedback_requested.emit(r["id"], "accept", "")

    def ask_reopen_comment(self) -> tuple[str, bool]:
        """The user's reason to reopen (tests replace this)."""
        return QInputDialog.getMultiLineText(
            self, QCoreApplication.translate("AnswersWindow", "Reopen the case"),
            QCoreApplication.translate("AnswersWindow", "Why does the answer not settle the matter? Customs "
                                                        "handles the case again; a case can be reopened once."))

    def _reopen(self) -> None:
        r = self._selected()
        if r is None or not self.reopen_button.isEnabled():
            return
        text, ok = self.ask_reopen_comment()
        if ok and text.strip():
            self.feedback_requested.emit(r["id"], "reopen", text.strip())

    def _open(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows) and self.rows[row]["kind"] == "assessment":
            self.open_requested.emit(self.rows[row]["number"], self.rows[row]["kind"])
