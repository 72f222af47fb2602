"""The service-quality assessment plugin, wired to the host through :class:`HostApi`.

Nghiệp vụ khác (other operations) gets:

* "Đánh giá sự hài lòng" — the list of declarations not yet rated (and the warning);
* "Đánh giá tờ khai đang chọn" (Ctrl+Shift+G) — the assessment form of the selected declaration;
* "Gửi phản ánh" (Ctrl+Shift+P) — a reflection during the procedure;
* "Kết quả đánh giá, phản ánh" — what was sent, its state and the answers of customs.

The declaration list gets the column "Đánh giá" (the plugin's mark on each declaration,
:mod:`.column`). A startup prompt warns about declarations not yet rated. Everything
submitted goes through the host's outbox.

:class:`SatisfactionPlugin` is the Qt side: menus, the forms, the results window and the
notices. What is kept and sent — drafts, the two-step recording, the outbox's states, other
workstations' submissions, the marks — is the Qt-free :class:`~.tracker.AssessmentTracker`;
:class:`~.delivery.DeliveryReporter` tells what became of a send and
:class:`~.reminder.UnratedReminder` warns about declarations not yet rated.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject

from desktop.plugin_api import HostApi, HostServiceUnavailable, SubmissionEntry
from domain.codes import can_reflect
from domain.submissions import SubmissionInvalid

from .column import assessment_column
from .delivery import DeliveryReporter
from .reminder import UnratedReminder
from .store import PluginStore
from .tracker import ASSESSMENT, CASE_FEEDBACK, REFLECTION, AssessmentTracker, Changes
from .widgets.common import alive


def action_text(key: str) -> str:
    """The text of the menu command ``key`` (unrated, assess, reflect, answers)."""
    if key == "unrated":
        return QCoreApplication.translate("SatisfactionPlugin", "Service-quality assessment")
    if key == "assess":
        return QCoreApplication.translate("SatisfactionPlugin", "Assess the selected declaration")
    if key == "reflect":
        return QCoreApplication.translate("SatisfactionPlugin", "Send a reflection")
    return QCoreApplication.translate("SatisfactionPlugin", "Results of assessments and reflections")


def send_error_text(exc: BaseException) -> str:
    """Why nothing was sent: no outbox in this run, or the outbox refused to record it."""
    if isinstance(exc, HostServiceUnavailable):
        return QCoreApplication.translate(
            "SatisfactionPlugin", "Nothing was sent: sending is not available in this program (%1). Your "
                                  "entries are kept.").replace("%1", str(exc))
    return QCoreApplication.translate(
        "SatisfactionPlugin", "Nothing was sent: the submission could not be recorded (%1). Your entries are "
                              "kept; try again.").replace("%1", str(exc))


class SatisfactionPlugin(QObject):
    """The assessment plugin's menus, windows and notices."""

    def __init__(self, api: HostApi):
        super().__init__()
        self.api = api
        self.lang = api.language()
        self.today = api.today()
        self.store, damaged = PluginStore.open_or_recover(api.data_dir() / "satisfaction.sqlite")
        self.tracker = AssessmentTracker(api, self.store)
        self.delivery = DeliveryReporter(api, self.lang, self)
        self.dialogs: dict[str, Any] = {}
        self.reflection_dialogs: dict[str, Any] = {}
        self.answers_window: Any = None
        self.reminder = UnratedReminder(api, lambda: self.today, self.show_unrated)
        self.notices: list[Any] = []
        self._closed = False

        self.actions = {
            "unrated": api.add_menu_action("other", action_text("unrated"), self.show_unrated,
                                           object_name="satisfaction.unrated"),
            "assess": api.add_menu_action("other", action_text("assess"), self.assess_current,
                                          shortcut="Ctrl+Shift+G", object_name="satisfaction.assess"),
            "reflect": api.add_menu_action("other", action_text("reflect"), self.reflect_current,
                                           shortcut="Ctrl+Shift+P", object_name="satisfaction.reflect"),
            "answers": api.add_menu_action("other", action_text("answers"), self.show_answers,
                                           object_name="satisfaction.answers"),
        }
        api.add_column(assessment_column())
        api.add_startup_prompt(self.startup_prompt)
        api.events.submissions_changed.connect(self.on_submissions_changed)
        api.events.declaration_activated.connect(self.on_activated)
        api.events.shutting_down.connect(self.flush_drafts)
        api.events.language_changed.connect(self.on_language_changed)
        self.tracker.reconcile_intents()
        self.import_remote()
        self.tracker.resync_marks()
        self.refresh_states()
        if damaged is not None:
            api.logger.error("damaged assessment store moved to %s", damaged)
            api.status_message(QCoreApplication.translate(
                "SatisfactionPlugin", "The assessment plugin's local file was damaged and was moved to %1; "
                                      "a new one was started. What was sent is safe in the outbox.")
                .replace("%1", str(damaged)), 0)

    def on_language_changed(self, lang: str) -> None:
        """The host installed the plugin's catalogue for ``lang``: menus follow now, forms
        opened from now on use it (open ones keep theirs until closed)."""
        self.lang = lang
        self.delivery.lang = lang
        for key, action in self.actions.items():
            action.setText(action_text(key))

    # ---- opening the forms ----------------------------------------------------------------------
    def notice(self, title: str, text: str, *, action: str | None = None,
               on_action: Callable[[], Any] | None = None, warning: bool = False) -> Any:
        from .widgets.notice import Notice

        n = Notice(title, text, action=action, warning=warning, parent=self.api.parent_widget())
        if on_action is not None:
            n.on_action(on_action)
        self.notices = [x for x in self.notices if alive(x)]
        self.notices.append(n)
        n.show()
        return n

    def _title(self) -> str:
        return QCoreApplication.translate("SatisfactionPlugin", "Service-quality assessment")

    def assess_current(self) -> None:
        number = self.api.current_declaration()
        if not number:
            self.notice(self._title(),
                        QCoreApplication.translate("SatisfactionPlugin", "Select a declaration in the list first."))
            return
        self.open_assessment(number)

    def on_activated(self, number: str) -> None:
        """Enter / double-click on a declaration opens its form (the read-only view once
        sent); one that cannot be rated yet gets the same notice as the menu command: why,
        and "Send a reflection" when its status allows one."""
        if not number:
            return
        if self.api.declaration(number) is not None:
            self.open_assessment(number)

    def open_assessment(self, number: str) -> Any:
        from .widgets.form import AssessmentDialog

        existing = self.dialogs.get(number)
        if existing is not None and alive(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        decl = self.api.declaration(number)
        if decl is None:
            text = QCoreApplication.translate("SatisfactionPlugin", "Declaration %1 is not in the list.")
            self.notice(self._title(), text.replace("%1", number),
                        warning=True)
            return None
        form, sent = self.tracker.assessment_form(decl)
        if form is None:
            self._not_assessable_yet(number, decl)
            return None
        dialog = AssessmentDialog(form, decl, lang=self.lang, sent=sent, parent=self.api.parent_widget())
        dialog.draft_changed.connect(lambda draft, n=number: self.tracker.save_draft(n, ASSESSMENT, draft))
        dialog.send_requested.connect(lambda payload, d=dialog: self.send_assessment(d, payload))
        dialog.closed_unrated.connect(self.on_form_closed_unrated)
        self.dialogs[number] = dialog
        dialog.show()
        return dialog

    def _not_assessable_yet(self, number: str, decl: dict[str, Any]) -> None:
        text = QCoreApplication.translate(
            "SatisfactionPlugin", "Declaration %1 cannot be assessed yet: the assessment is possible once "
                                  "the goods are released, brought to preservation or cleared.")
        text = text.replace("%1", number)
        if can_reflect(str(decl.get("status") or ""), decl.get("channel")):
            more = QCoreApplication.translate("SatisfactionPlugin", "During the procedure you can send a reflection.")
            self.notice(self._title(), text + "\n" + more,
                        action=QCoreApplication.translate("SatisfactionPlugin", "Send a &reflection"),
                        on_action=lambda: self.open_reflection(number))
        else:
            self.notice(self._title(), text)

    def reflect_current(self) -> None:
        number = self.api.current_declaration()
        if not number:
            self.notice(QCoreApplication.translate("SatisfactionPlugin", "Reflection"),
                        QCoreApplication.translate("SatisfactionPlugin", "Select a declaration in the list first."))
            return
        self.open_reflection(number)

    def open_reflection(self, number: str) -> Any:
        from .widgets.reflection import ReflectionDialog

        existing = self.reflection_dialogs.get(number)
        if existing is not None and alive(existing) and existing.isVisible() and not existing.was_sent:
            existing.raise_()
            existing.activateWindow()
            return existing
        decl = self.api.declaration(number)
        if decl is None:
            self.notice(QCoreApplication.translate("SatisfactionPlugin", "Reflection"),
                        QCoreApplication.translate("SatisfactionPlugin", "Declaration %1 is not in the list.")
                        .replace("%1", number), warning=True)
            return None
        if not can_reflect(str(decl.get("status") or ""), decl.get("channel")):
            self.notice(QCoreApplication.translate("SatisfactionPlugin", "Reflection"), QCoreApplication.translate(
                "SatisfactionPlugin", "A reflection on declaration %1 can be sent once the declaration has been given a "
                         "channel (and until it is cleared).").replace("%1", number))
            return None
        dialog = ReflectionDialog(self.tracker.reflection_form(decl), decl, lang=self.lang,
                                  parent=self.api.parent_widget())
        dialog.draft_changed.connect(lambda draft, n=number: self.tracker.save_draft(n, REFLECTION, draft))
        dialog.send_requested.connect(lambda payload, d=dialog: self.send_reflection(d, payload))
        self.reflection_dialogs[number] = dialog
        dialog.show()
        return dialog

    # ---- sending ---------------------------------------------------------------------------------
    def send_case_feedback(self, submission_id: str, action: str, comment: str = "") -> str | None:
        """The enterprise accepts customs' answer to one of its cases, or reopens the case
        once with a comment: a submission like the others, through the outbox (offline-safe,
        exactly once). Returns the outbox id, or None with the reason told."""
        try:
            feedback = self.tracker.case_feedback(submission_id, action, comment)
        except SubmissionInvalid:
            self.notice(QCoreApplication.translate("SatisfactionPlugin", "Reopen the case"),
                        QCoreApplication.translate("SatisfactionPlugin", "Say why the answer does not settle "
                                                                         "the matter (at most 2000 characters)."),
                        warning=True)
            return None
        if feedback is None:
            return None
        number, payload = feedback
        try:
            outbox_id = self.tracker.record(CASE_FEEDBACK, number, payload)
        except Exception as exc:  # noqa: BLE001 - nothing recorded; tell and keep going
            self.notice(self._title(), send_error_text(exc), warning=True)
            return None
        self.refresh_states([outbox_id])
        text = (QCoreApplication.translate("SatisfactionPlugin", "Declaration %1: the answer was accepted.")
                if action == "accept" else
                QCoreApplication.translate("SatisfactionPlugin", "Declaration %1: the case is reopened; customs "
                                                                 "will answer again."))
        self.api.status_message(text.replace("%1", number), 15000)
        if self.answers_window is not None and alive(self.answers_window):
            self._fill_answers()
        return outbox_id

    def send_assessment(self, dialog: Any, payload: dict[str, Any]) -> str | None:
        number = payload["declaration_number"]
        final = self.tracker.final_assessment(number)
        if final is not None:
            dialog.show_sent(final)  # one final assessment per declaration
            return None
        if not self.tracker.can_assess(number):
            dialog.send_failed(QCoreApplication.translate(
                "SatisfactionPlugin", "This declaration cannot be assessed any more (its status "
                                                  "changed). Nothing was sent."))
            return None
        try:
            outbox_id = self.tracker.submit_assessment(payload)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing lost
            self.api.logger.warning("assessment for %s not queued: %s", number, exc)
            dialog.send_failed(send_error_text(exc))
            return None
        self.refresh_states([outbox_id])
        dialog.show_sent(self.store.submission(outbox_id))
        self.delivery.follow(outbox_id, number, ASSESSMENT)
        return outbox_id

    def send_reflection(self, dialog: Any, payload: dict[str, Any]) -> str | None:
        number = payload["declaration_number"]
        try:
            outbox_id = self.tracker.submit_reflection(payload)
        except Exception as exc:  # noqa: BLE001
            self.api.logger.warning("reflection for %s not queued: %s", number, exc)
            dialog.send_failed(send_error_text(exc))
            return None
        self.refresh_states([outbox_id])
        self.delivery.follow(outbox_id, number, REFLECTION, dialog)
        return outbox_id

    # ---- states and answers ------------------------------------------------------------------
    def on_submissions_changed(self, entries: dict[str, SubmissionEntry]) -> None:
        """The host tells which submissions changed, with their entries (no read back);
        an empty announcement means "anything may have changed"."""
        if not entries:
            self.refresh_states()
        else:
            imported, applied = self.tracker.take_in(entries)
            self._show_changes(imported, announce=True)
            self._show_changes(applied, announce=True)
        if self.delivery.following:
            self.delivery.check()

    def refresh_states(self, ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Read the outbox's states (a local read) and update marks, dialogs and answers."""
        changes = self.tracker.refresh_states(ids)
        self._show_changes(changes, announce=True)
        return changes.rows

    def import_remote(self, ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Take in what other workstations of the enterprise sent (all, or these ids)."""
        changes = self.tracker.import_remote(ids)
        self._show_changes(changes, announce=ids is not None)
        return changes.rows

    def _show_changes(self, changes: Changes, *, announce: bool) -> None:
        """Open forms follow their declaration's current assessment; new answers (when
        ``announce``) and refusals are told; the results window is refilled."""
        for number in changes.numbers:
            dialog = self.dialogs.get(number)
            if dialog is not None and alive(dialog) and dialog.sent is not None:
                current = self.store.assessment(number)
                if current is not None:
                    dialog.show_sent(current)
        if changes.new_answers and announce:
            self._signal_answers(changes.new_answers)
        if changes.rejected:
            self._signal_rejected(changes.rejected)
        if changes.rows and self.answers_window is not None and alive(self.answers_window):
            self._fill_answers()

    def _signal_answers(self, rows: list[dict[str, Any]]) -> None:
        numbers = ", ".join(sorted({r["number"] for r in rows}))
        count = len(rows)
        text = QCoreApplication.translate(
            "SatisfactionPlugin", "Customs answered %n of your submissions (declarations %1).", None, count)
        text = text.replace("%1", numbers)
        self.api.status_message(text, 15000)
        newest = max(rows, key=lambda r: (str(r.get("answered_at") or ""), str(r.get("updated_at") or "")))["id"]
        self.notice(QCoreApplication.translate("SatisfactionPlugin", "New answer from customs"), text,
                    action=QCoreApplication.translate("SatisfactionPlugin", "&View"),
                    on_action=lambda: self.show_answers(select=newest))

    def _signal_rejected(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        numbers = ", ".join(sorted({r["number"] for r in rows}))
        count = len(rows)
        text = QCoreApplication.translate(
            "SatisfactionPlugin", "The server refused %n submission(s) (declarations %1). Open the results "
                                  "to see why, correct and send again.", None, count)
        text = text.replace("%1", numbers)
        self.api.status_message(text, 15000)
        first = rows[0]["id"]
        self.notice(self._title(), text, action=QCoreApplication.translate("SatisfactionPlugin", "&View"),
                    on_action=lambda: self.show_answers(select=first), warning=True)

    def show_answers(self, select: str | None = None) -> Any:
        """The results window; ``select``: the submission to show (the one just answered)."""
        from .widgets.answers import AnswersWindow

        if self.answers_window is None or not alive(self.answers_window):
            self.answers_window = AnswersWindow(lang=self.lang, parent=self.api.parent_widget())
            self.answers_window.open_requested.connect(lambda number, _kind: self.open_assessment(number))
            self.answers_window.refresh_requested.connect(self._refresh_all)
            self.answers_window.seen.connect(self.store.mark_answers_seen)
            self.answers_window.feedback_requested.connect(self.send_case_feedback)
        self._fill_answers()
        if select:
            self.answers_window.select(select)
        self.answers_window.show()
        self.answers_window.raise_()
        return self.answers_window

    def _refresh_all(self) -> None:
        self.refresh_states(self.store.all_ids())
        self._fill_answers()

    def _fill_answers(self) -> None:
        self.answers_window.set_rows(*self.tracker.results())

    # ---- the warning --------------------------------------------------------------------------------
    def startup_prompt(self) -> None:
        self.reminder.check()

    def on_form_closed_unrated(self, number: str) -> None:
        self.flush_drafts()
        self.reminder.check(closed_number=number)

    def show_unrated(self) -> None:
        """Nghiệp vụ khác → Đánh giá sự hài lòng: the list filtered to unrated declarations."""
        try:
            self.api.show_declarations(self.reminder.filter())
        except Exception as exc:  # noqa: BLE001
            self.notice(self._title(), str(exc), warning=True)
            return
        self.api.status_message(QCoreApplication.translate(
            "SatisfactionPlugin", "Declarations not yet rated: press Enter on one to assess it."), 10000)

    # ---- teardown -----------------------------------------------------------------------------------
    def flush_drafts(self) -> None:
        for d in list(self.dialogs.values()) + list(self.reflection_dialogs.values()):
            if alive(d):
                d.flush_draft()

    def teardown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.reminder.closed = True
        self.delivery.stop()
        self.flush_drafts()
        for signal, slot in ((self.api.events.submissions_changed, self.on_submissions_changed),
                             (self.api.events.declaration_activated, self.on_activated),
                             (self.api.events.shutting_down, self.flush_drafts),
                             (self.api.events.language_changed, self.on_language_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        for w in [*self.dialogs.values(), *self.reflection_dialogs.values(), self.answers_window, self.reminder.warning,
                  *self.notices]:
            if w is not None and alive(w):
                w.close()
        self.store.close()


def create(api: HostApi) -> SatisfactionPlugin:
    return SatisfactionPlugin(api)


__all__ = ["create", "SatisfactionPlugin"]
