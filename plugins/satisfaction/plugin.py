"""The service-quality assessment plugin, wired to the host through :class:`HostApi`.

Nghiệp vụ khác (other operations) gets:

* "Đánh giá sự hài lòng" — the list of declarations not yet rated (and the warning);
* "Đánh giá tờ khai đang chọn" (Ctrl+Shift+G) — the assessment form of the selected declaration;
* "Gửi phản ánh" (Ctrl+Shift+P) — a reflection during the procedure;
* "Kết quả đánh giá, phản ánh" — what was sent, its state and the answers of customs.

The declaration list gets the column "Đánh giá" (the plugin's mark on each declaration).
A startup prompt warns about declarations not yet rated. Everything submitted goes through
the host's outbox; the plugin keeps drafts and what it sent in its own small store.
"""
from __future__ import annotations

import json
import time
import uuid
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from desktop.plugin_api import (
    ColumnSpec, DeclarationFilter, HostApi, HostServiceUnavailable, MarkFilter, SubmissionEntry, SubmissionState,
)
from domain.codes import can_assess, can_reflect
from domain.validation import mask_phone

from .core import (
    DEFAULT_REMINDER_DAYS, PLUGIN_ID, RATED_MARK_PATTERNS, AssessmentForm, Mark, RatingState, ReflectionForm,
    contact_from_payload, draft_from_payload, refusal_reason, reminder_window, should_remind, star_string,
)
from .store import PluginStore

ALREADY_ASSESSED = "already_assessed"  # the server's code: the declaration has its final assessment


UNRATED_TITLE_VI = "Tờ khai chưa đánh giá"
# After a send the status bar says "Sending…" until the outbox reports the item sent, a failed
# attempt, or this many seconds pass with the item still waiting (then: "will be sent when
# there is a connection"); a request already on the wire is given its full timeout.
DELIVERY_WAIT_S = 8.0
DELIVERY_WAIT_INFLIGHT_S = 40.0
DELIVERY_POLL_MS = 500


def encode_mark(mark: Mark | None, answered_reflections: int = 0) -> str | None:
    """The mark with the number of reflections customs answered: ``reflected:0:r2:a1``."""
    if mark is None:
        return None
    text = mark.encode()
    if answered_reflections and mark.reflections:
        text += f":a{min(answered_reflections, mark.reflections)}"
    return text


def answered_reflections(value: str | None) -> int:
    """How many of the declaration's reflections were answered (the mark's ``aN`` part)."""
    parts = (value or "").split(":")
    if len(parts) > 3 and parts[3].startswith("a") and parts[3][1:].isdigit():
        return int(parts[3][1:])
    return 0


def reflections_text(count: int, answered: int) -> str:
    """"2 reflections", "1 reflection, answered", "2 reflections (1 answered)"."""
    text = QCoreApplication.translate("SatisfactionPlugin", "%n reflection(s)", None, count)
    if answered and answered >= count:
        text += QCoreApplication.translate("SatisfactionPlugin", ", answered")
    elif answered:
        text += " (" + QCoreApplication.translate("SatisfactionPlugin", "%n answered", None, answered) + ")"
    return text


def unrated_filter(today: date, days: int, title: str = UNRATED_TITLE_VI) -> DeclarationFilter:
    """Declarations released, brought to preservation or cleared within the reminder window
    (their ``cleared_at``, which the store sets only for those statuses) without a "rated"
    mark of this plugin.

    The status and channel conditions are implied by ``cleared_at`` and left out on
    purpose: with them SQLite walks the status or channel index (seconds on a million rows);
    with the date alone it walks the ``cleared_at`` index (about 0.1 s).
    ``core.is_unrated_in_window`` states the full rule; a test checks both agree."""
    start, end = reminder_window(today, days)
    return DeclarationFilter(
        date_from=start, date_to=end, date_field="cleared",
        mark=MarkFilter(PLUGIN_ID, present=False, values=RATED_MARK_PATTERNS), title=title)


def mark_text(value: str | None) -> str:
    """Text of the "Đánh giá" column for a mark: state, the lowest stars given, reflections."""
    mark = Mark.decode(value)
    if mark is None:
        return ""
    labels = {
        RatingState.QUEUED: QCoreApplication.translate("SatisfactionPlugin", "Queued"),
        RatingState.SENT: QCoreApplication.translate("SatisfactionPlugin", "Sent"),
        RatingState.ANSWERED: QCoreApplication.translate("SatisfactionPlugin", "Answered"),
        RatingState.REJECTED: QCoreApplication.translate("SatisfactionPlugin", "Rejected"),
        RatingState.REFLECTED: QCoreApplication.translate("SatisfactionPlugin", "Not rated"),
    }
    text = labels[mark.state]
    if mark.min_stars:
        text += " " + star_string(mark.min_stars)
    if mark.reflections:
        text += " · " + reflections_text(mark.reflections, answered_reflections(value))
    return text


def _row_mark(row: Any) -> str | None:
    return (row.get("marks") or {}).get(PLUGIN_ID)


def column_value(row: Any) -> str:
    return row_text(row, _row_mark(row))


def column_state(row: Any) -> RatingState:
    from .core import rating_state

    return rating_state(str(row.get("status") or ""), row.get("channel"), _row_mark(row))


COLOURS = {RatingState.UNRATED: "#e65100", RatingState.QUEUED: "#6d4c41", RatingState.SENT: "#1565c0",
           RatingState.ANSWERED: "#2e7d32", RatingState.REJECTED: "#c62828"}


def column_colour(row: Any) -> str | None:
    return COLOURS.get(column_state(row))


def column_tooltip(row: Any) -> str | None:
    from .widgets.common import state_explanation

    state = column_state(row)
    return None if state is RatingState.NOT_ELIGIBLE else state_explanation(state)


def row_text(row: Any, mark_value: str | None) -> str:
    """The column for a row: the mark, or "Chưa đánh giá" for an eligible unmarked one."""
    mark = Mark.decode(mark_value)
    eligible = can_assess(str(row.get("status") or ""), row.get("channel"))
    if mark is not None and mark.state is RatingState.REFLECTED and not eligible:
        return reflections_text(mark.reflections, answered_reflections(mark_value))
    if mark is not None:
        return mark_text(mark_value)
    if can_assess(str(row.get("status") or ""), row.get("channel")):
        return QCoreApplication.translate("SatisfactionPlugin", "Not rated")
    return ""


class SatisfactionPlugin(QObject):
    def __init__(self, api: HostApi):
        super().__init__()
        self.api = api
        self.lang = api.language()
        self.today = api.today()
        self.store, damaged = PluginStore.open_or_recover(api.data_dir() / "satisfaction.sqlite")
        self.dialogs: dict[str, Any] = {}
        self.reflection_dialogs: dict[str, Any] = {}
        self.answers_window: Any = None
        self.warning: Any = None
        self.notices: list[Any] = []
        self._warning_pending = False
        self._closed = False
        # outbox id -> (declaration, kind, dialog, deadline, deadline in flight): sends whose
        # outcome the status bar still has to tell
        self._deliveries: dict[str, tuple[str, str, Any, float, float]] = {}
        self._told_offline: dict[str, tuple[str, str, Any]] = {}  # queued while offline: tell when sent
        self._delivery_timer = QTimer(self)
        self._delivery_timer.setInterval(DELIVERY_POLL_MS)
        self._delivery_timer.timeout.connect(self._check_deliveries)

        self.actions = {
            "unrated": api.add_menu_action("other", self._action_text("unrated"), self.show_unrated,
                                           object_name="satisfaction.unrated"),
            "assess": api.add_menu_action("other", self._action_text("assess"), self.assess_current,
                                          shortcut="Ctrl+Shift+G", object_name="satisfaction.assess"),
            "reflect": api.add_menu_action("other", self._action_text("reflect"), self.reflect_current,
                                           shortcut="Ctrl+Shift+P", object_name="satisfaction.reflect"),
            "answers": api.add_menu_action("other", self._action_text("answers"), self.show_answers,
                                           object_name="satisfaction.answers"),
        }
        self._add_column()
        api.add_startup_prompt(self.startup_prompt)
        api.events.submissions_changed.connect(self.on_submissions_changed)
        api.events.declaration_activated.connect(self.on_activated)
        api.events.shutting_down.connect(self.flush_drafts)
        api.events.language_changed.connect(self.on_language_changed)
        self._reconcile_intents()
        self.import_remote()
        self.resync_marks()
        self.refresh_states()
        if damaged is not None:
            api.logger.error("damaged assessment store moved to %s", damaged)
            api.status_message(QCoreApplication.translate(
                "SatisfactionPlugin", "The assessment plugin's local file was damaged and was moved to %1; "
                                      "a new one was started. What was sent is safe in the outbox.")
                .replace("%1", str(damaged)), 0)

    @staticmethod
    def _action_text(key: str) -> str:
        if key == "unrated":
            return QCoreApplication.translate("SatisfactionPlugin", "Service-quality assessment")
        if key == "assess":
            return QCoreApplication.translate("SatisfactionPlugin", "Assess the selected declaration")
        if key == "reflect":
            return QCoreApplication.translate("SatisfactionPlugin", "Send a reflection")
        return QCoreApplication.translate("SatisfactionPlugin", "Results of assessments and reflections")

    def on_language_changed(self, lang: str) -> None:
        """The host installed the plugin's catalogue for ``lang``: menus follow now, forms
        opened from now on use it (open ones keep theirs until closed)."""
        self.lang = lang
        for key, action in self.actions.items():
            action.setText(self._action_text(key))

    # ---- settings ----------------------------------------------------------------------------
    @property
    def reminder_days(self) -> int:
        try:
            return max(1, int(self.api.settings.get("reminder_days", DEFAULT_REMINDER_DAYS)))
        except (TypeError, ValueError):
            return DEFAULT_REMINDER_DAYS

    def unrated_filter(self) -> DeclarationFilter:
        title = QCoreApplication.translate("SatisfactionPlugin", "Declarations not yet rated")
        return unrated_filter(self.today, self.reminder_days, title)

    # ---- the list column -----------------------------------------------------------------------
    def _add_column(self) -> None:
        """The "Đánh giá" column: this plugin's mark (joined into the list's block fetch, so
        no query of its own) and, for unmarked declarations, the status of the row."""
        self.api.add_column(ColumnSpec(
            key="satisfaction.state",
            header=lambda: QCoreApplication.translate("SatisfactionPlugin", "Assessment"),
            mark_plugin=PLUGIN_ID, value=column_value, foreground=column_colour, tooltip=column_tooltip,
            width=150, sortable=True,
            header_tooltip=lambda: QCoreApplication.translate(
                "SatisfactionPlugin", "Service-quality assessment: not rated, queued, sent, answered or rejected; "
                                      "the stars are the lowest level given")))

    # ---- opening the forms ----------------------------------------------------------------------
    def notice(self, title: str, text: str, *, action: str | None = None,
               on_action: Callable[[], Any] | None = None, warning: bool = False) -> Any:
        from .widgets.notice import Notice

        n = Notice(title, text, action=action, warning=warning, parent=self.api.parent_widget())
        if on_action is not None:
            n.on_action(on_action)
        self.notices = [x for x in self.notices if _alive(x)]
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
        if existing is not None and _alive(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        decl = self.api.declaration(number)
        if decl is None:
            text = QCoreApplication.translate("SatisfactionPlugin", "Declaration %1 is not in the list.")
            self.notice(self._title(), text.replace("%1", number),
                        warning=True)
            return None
        handling = self.api.handling(number)
        catalog = self._catalog()
        sent = self.store.assessment(number)
        if sent is not None and sent["state"] == RatingState.REJECTED.value:
            # correct and resend: today's handling records, what was sent, then any newer draft
            form = AssessmentForm.for_declaration(decl, handling, catalog)
            form.apply_draft(draft_from_payload(sent["payload"]))
            form.apply_draft(self.store.load_draft(number, "assessment"))
        elif sent is not None:
            form = AssessmentForm.from_payload(decl, handling, sent["payload"], catalog)
        else:
            if not can_assess(str(decl.get("status") or ""), decl.get("channel")):
                text = QCoreApplication.translate(
                    "SatisfactionPlugin", "Declaration %1 cannot be assessed yet: the assessment is possible once "
                                          "the goods are released, brought to preservation or cleared.")
                text = text.replace("%1", number)
                if can_reflect(str(decl.get("status") or ""), decl.get("channel")):
                    self.notice(self._title(), text + "\n" + QCoreApplication.translate(
                        "SatisfactionPlugin", "During the procedure you can send a reflection."),
                        action=QCoreApplication.translate("SatisfactionPlugin", "Send a &reflection"),
                        on_action=lambda: self.open_reflection(number))
                else:
                    self.notice(self._title(), text)
                return None
            form = AssessmentForm.for_declaration(decl, handling, catalog)
            if not form.apply_draft(self.store.load_draft(number, "assessment")):
                form.contact_name, form.contact_phone = self._last_contact()
        dialog = AssessmentDialog(form, decl, lang=self.lang, sent=sent, parent=self.api.parent_widget())
        dialog.draft_changed.connect(lambda draft, n=number: self.store.save_draft(n, "assessment", draft))
        dialog.send_requested.connect(lambda payload, d=dialog: self.send_assessment(d, payload))
        dialog.closed_unrated.connect(self.on_form_closed_unrated)
        self.dialogs[number] = dialog
        dialog.show()
        return dialog

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
        if existing is not None and _alive(existing) and existing.isVisible() and not existing.was_sent:
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
        form = ReflectionForm.for_declaration(decl, self.api.handling(number), self._catalog())
        if not form.apply_draft(self.store.load_draft(number, "reflection")):
            form.name, form.phone = self._last_contact()
        dialog = ReflectionDialog(form, decl, lang=self.lang, parent=self.api.parent_widget())
        dialog.draft_changed.connect(lambda draft, n=number: self.store.save_draft(n, "reflection", draft))
        dialog.send_requested.connect(lambda payload, d=dialog: self.send_reflection(d, payload))
        self.reflection_dialogs[number] = dialog
        dialog.show()
        return dialog

    def _catalog(self) -> dict[str, Any] | None:
        try:
            return self.api.catalog()
        except Exception as exc:  # noqa: BLE001 - names then come from the handling records
            self.api.logger.warning("catalog unavailable: %s", exc)
            return None

    def _last_contact(self) -> tuple[str, str]:
        raw = self.store.get_meta("contact")
        if not raw:
            return "", ""
        try:
            data = json.loads(raw)
            return str(data.get("name") or ""), str(data.get("phone") or "")
        except (ValueError, AttributeError):
            return "", ""

    # ---- sending ---------------------------------------------------------------------------------
    def _submit(self, kind: str, payload: dict[str, Any], intent_id: str) -> str:
        """Hand the payload to the host's outbox (durable when this returns), under the id
        already noted as the intent (host API 1.1)."""
        return self.api.submit(kind, payload, schema=1, item_id=intent_id)

    def _record(self, kind: str, number: str, payload: dict[str, Any], *, replaces: str | None = None) -> str:
        """Two steps: note the intent, queue in the outbox, confirm. Raises with the
        draft kept and nothing recorded when the outbox refuses."""
        intent = str(uuid.uuid4())
        self.store.record_intent(intent, number, kind, payload)
        try:
            outbox_id = self._submit(kind, payload, intent)
        except BaseException:
            self.store.discard_intent(intent)
            raise
        self.store.confirm(intent, outbox_id, replaces=replaces)
        name, phone = contact_from_payload(payload)
        if name and phone:
            self.store.set_meta("contact", json.dumps({"name": name, "phone": phone}, ensure_ascii=False))
        self.api.logger.info("%s for declaration %s queued as %s%s", kind, number, outbox_id,
                             f" (contact phone {mask_phone(phone)})" if phone else "")
        return outbox_id

    def send_case_feedback(self, submission_id: str, action: str, comment: str = "") -> str | None:
        """The enterprise accepts customs' answer to one of its cases, or reopens the case
        once with a comment: a submission like the others, through the outbox (offline-safe,
        exactly once). Returns the outbox id, or None with the reason told."""
        from domain.submissions import SubmissionInvalid, validate_case_feedback

        target = self.store.submission(submission_id)
        if target is None:
            return None
        try:
            payload = validate_case_feedback({"submission_id": submission_id, "action": action,
                                              **({"comment": comment} if comment.strip() else {})})
        except SubmissionInvalid:
            self.notice(QCoreApplication.translate("SatisfactionPlugin", "Reopen the case"),
                        QCoreApplication.translate("SatisfactionPlugin", "Say why the answer does not settle "
                                                                         "the matter (at most 2000 characters)."),
                        warning=True)
            return None
        try:
            outbox_id = self._record("case_feedback", target["number"], payload)
        except Exception as exc:  # noqa: BLE001 - nothing recorded; tell and keep going
            self.notice(self._title(), self._send_error_text(exc), warning=True)
            return None
        self.refresh_states([outbox_id])
        text = (QCoreApplication.translate("SatisfactionPlugin", "Declaration %1: the answer was accepted.")
                if action == "accept" else
                QCoreApplication.translate("SatisfactionPlugin", "Declaration %1: the case is reopened; customs "
                                                                 "will answer again."))
        self.api.status_message(text.replace("%1", target["number"]), 15000)
        if self.answers_window is not None and _alive(self.answers_window):
            self._fill_answers()
        return outbox_id

    def _send_error_text(self, exc: BaseException) -> str:
        if isinstance(exc, HostServiceUnavailable):
            return QCoreApplication.translate(
                "SatisfactionPlugin", "Nothing was sent: sending is not available in this program (%1). Your "
                                      "entries are kept.").replace("%1", str(exc))
        return QCoreApplication.translate(
            "SatisfactionPlugin", "Nothing was sent: the submission could not be recorded (%1). Your entries are "
                                  "kept; try again.").replace("%1", str(exc))

    def send_assessment(self, dialog: Any, payload: dict[str, Any]) -> str | None:
        number = payload["declaration_number"]
        previous = self.store.assessment(number)
        if previous is not None and previous["state"] != RatingState.REJECTED.value:
            dialog.show_sent(previous)  # one final assessment per declaration
            return None
        decl = self.api.declaration(number) or {}
        if not can_assess(str(decl.get("status") or ""), decl.get("channel")):
            dialog.send_failed(QCoreApplication.translate(
                "SatisfactionPlugin", "This declaration cannot be assessed any more (its status "
                                                  "changed). Nothing was sent."))
            return None
        try:
            outbox_id = self._record("assessment", number, payload,
                                     replaces=previous["id"] if previous is not None else None)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing lost
            self.api.logger.warning("assessment for %s not queued: %s", number, exc)
            dialog.send_failed(self._send_error_text(exc))
            return None
        self._update_mark(number)
        self.refresh_states([outbox_id])
        row = self.store.submission(outbox_id)
        dialog.show_sent(row)
        self._follow_delivery(outbox_id, number, "assessment")
        return outbox_id

    def send_reflection(self, dialog: Any, payload: dict[str, Any]) -> str | None:
        number = payload["declaration_number"]
        try:
            outbox_id = self._record("reflection", number, payload)
        except Exception as exc:  # noqa: BLE001
            self.api.logger.warning("reflection for %s not queued: %s", number, exc)
            dialog.send_failed(self._send_error_text(exc))
            return None
        self._update_mark(number)
        self.refresh_states([outbox_id])
        self._follow_delivery(outbox_id, number, "reflection", dialog)
        return outbox_id

    # ---- telling what happened to a send -----------------------------------------------------
    def _follow_delivery(self, outbox_id: str, number: str, kind: str, dialog: Any = None) -> None:
        """Tell the outcome of a send as the outbox knows it: "Sending…" now, then "Sent to
        customs" once delivered, or "will be sent when there is a connection" after a failed
        attempt (or when nothing happened for a few seconds)."""
        try:
            online = bool(self.api.signed_in())
        except Exception:  # noqa: BLE001 - no session service in this run
            online = False
        if not online:  # nothing can go out before a sign-in: say so now, tell when it went
            self._told_offline[outbox_id] = (number, kind, dialog)
            self._tell_delivery(number, kind, dialog, "offline")
            return
        now = time.monotonic()
        self._deliveries[outbox_id] = (number, kind, dialog, now + DELIVERY_WAIT_S, now + DELIVERY_WAIT_INFLIGHT_S)
        self._check_deliveries()
        if self._deliveries and not self._delivery_timer.isActive():
            self._delivery_timer.start()

    def _delivery_text(self, number: str, kind: str, outcome: str, reason: str = "") -> str:
        if outcome == "sent":
            text = QCoreApplication.translate("SatisfactionPlugin", "The assessment of declaration %1 was sent to "
                                                                    "customs.") if kind == "assessment" else \
                QCoreApplication.translate("SatisfactionPlugin", "The reflection on declaration %1 was sent to customs.")
        elif outcome == "sending":
            text = QCoreApplication.translate("SatisfactionPlugin", "Sending to customs (declaration %1)…")
        elif outcome == "elsewhere":
            text = QCoreApplication.translate(
                "SatisfactionPlugin", "Declaration %1 was already assessed from another workstation of your "
                                      "enterprise; that assessment is shown.")
        elif outcome == "rejected":
            return QCoreApplication.translate("SatisfactionPlugin", "Refused by the server: %1").replace("%1", reason)
        else:
            text = QCoreApplication.translate(
                "SatisfactionPlugin", "Declaration %1: saved; it will be sent to customs when there is a connection.")
        return text.replace("%1", number)

    def _tell_delivery(self, number: str, kind: str, dialog: Any, outcome: str, reason: str = "") -> None:
        text = self._delivery_text(number, kind, outcome, reason)
        self.api.status_message(text, 0 if outcome == "sending" else 15000)
        if dialog is not None and _alive(dialog) and kind == "reflection":
            dialog.show_sent(text)

    def _check_deliveries(self) -> None:
        """Compare what is being followed with the outbox's states (a local read)."""
        ids = list(self._deliveries) + list(self._told_offline)
        if not ids:
            self._delivery_timer.stop()
            return
        try:
            states = self.api.submission_states(ids)
        except Exception as exc:  # noqa: BLE001 - no outbox in this run
            self.api.logger.info("submission states unavailable: %s", exc)
            states = {}
        now = time.monotonic()
        for sid in ids:
            entry = states.get(sid) or {}
            state = entry.get("state")
            if sid in self._deliveries:
                number, kind, dialog, deadline, inflight_deadline = self._deliveries[sid]
            else:
                number, kind, dialog = self._told_offline[sid]
                deadline = inflight_deadline = float("inf")
            if state == SubmissionState.SENT:
                self._deliveries.pop(sid, None)
                self._told_offline.pop(sid, None)
                self._tell_delivery(number, kind, dialog,
                                    "elsewhere" if entry.get("code") == ALREADY_ASSESSED else "sent")
            elif state == SubmissionState.FAILED:
                self._deliveries.pop(sid, None)
                self._told_offline.pop(sid, None)
                self._tell_delivery(number, kind, dialog, "rejected", refusal_reason(entry, self.lang))
            elif sid not in self._deliveries:
                continue  # still waiting for the connection: already told
            elif not entry or (state == SubmissionState.PENDING and (entry.get("last_error") or now >= deadline)) \
                    or now >= inflight_deadline:
                self._deliveries.pop(sid)
                if entry:
                    self._told_offline[sid] = (number, kind, dialog)
                self._tell_delivery(number, kind, dialog, "offline")
            else:
                self._tell_delivery(number, kind, dialog, "sending")
        if not self._deliveries:
            self._delivery_timer.stop()

    @staticmethod
    def _mark_for(state: str | None, stars: int, reflections: int, answered: int = 0) -> str | None:
        if state is not None:
            return encode_mark(Mark(RatingState(state), stars, reflections), answered)
        if reflections:
            return encode_mark(Mark(RatingState.REFLECTED, 0, reflections), answered)
        return None

    def _answered_reflections(self, number: str | None = None) -> dict[str, int]:
        """Per declaration: how many of its reflections customs answered."""
        out: dict[str, int] = {}
        for r in self.store.submissions(kind="reflection", number=number):
            if r["state"] == RatingState.ANSWERED.value:
                out[r["number"]] = out.get(r["number"], 0) + 1
        return out

    def resync_marks(self) -> int:
        """Make the declarations' marks match what this plugin sent (the declaration store
        may have been rebuilt, e.g. a new demo database); returns how many were fixed."""
        answered = self._answered_reflections()
        wanted = {n: self._mark_for(*v, answered.get(n, 0)) for n, v in self.store.current_marks().items()}
        if not wanted:
            return 0
        try:
            have = self.api.marks(list(wanted))
            fix = {n: m for n, m in wanted.items() if have.get(n) != m}
            if fix:
                self.api.set_marks(fix)
        except Exception as exc:  # noqa: BLE001 - no store in this run: nothing to show marks on
            self.api.logger.warning("cannot check the assessment marks: %s", exc)
            return 0
        return len(fix)

    def _update_mark(self, number: str) -> None:
        assessment = self.store.assessment(number)
        reflections = self.store.reflection_count(number)
        if assessment is not None:
            stars = [int(r.get("stars") or 0) for r in assessment["payload"].get("ratings") or []]
            mark = Mark(RatingState(assessment["state"]), min(stars) if stars else 0, reflections)
        elif reflections:
            mark = Mark(RatingState.REFLECTED, 0, reflections)
        else:
            mark = None
        try:
            self.api.set_mark(number, encode_mark(mark, self._answered_reflections(number).get(number, 0)))
        except Exception as exc:  # noqa: BLE001 - the submission itself is safe in the outbox
            self.api.logger.warning("cannot mark declaration %s: %s", number, exc)

    def _reconcile_intents(self) -> None:
        """A send interrupted between "intent" and "confirm" (the program died): if the
        outbox holds the item it is confirmed, otherwise the intent is dropped (the draft
        was kept, the user can send again)."""
        intents = self.store.intents()
        if not intents:
            return
        try:
            known = self.api.submission_states([i["id"] for i in intents])
        except Exception:  # noqa: BLE001 - no outbox: nothing can have been queued
            known = {}
        for intent in intents:
            if intent["id"] in known:
                self.store.confirm(intent["id"], intent["id"])
                self._update_mark(intent["number"])
            else:
                self.store.discard_intent(intent["id"])

    # ---- states and answers ------------------------------------------------------------------
    def on_submissions_changed(self, entries: dict[str, SubmissionEntry]) -> None:
        """The host tells which submissions changed, with their entries (no read back);
        an empty announcement means "anything may have changed"."""
        if not entries:
            self.refresh_states()
            if self._deliveries or self._told_offline:
                self._check_deliveries()
            return
        mine = set(self.store.all_ids())
        others = {i: e for i, e in entries.items() if i not in mine}
        if others:  # sent by another workstation of the enterprise (or not a submission of this plugin)
            self._import_entries(others, announce=True)
        relevant = {i: e for i, e in entries.items() if i in mine}
        if relevant:
            self._apply_entries(relevant)
        if self._deliveries or self._told_offline:
            self._check_deliveries()

    def refresh_states(self, ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Read the outbox's states (a local read) and update marks, dialogs and answers."""
        wanted = list(ids) if ids is not None else self.store.open_ids()
        if not wanted:
            return []
        try:
            states = self.api.submission_states(wanted)
        except Exception as exc:  # noqa: BLE001 - no outbox in this run
            self.api.logger.info("submission states unavailable: %s", exc)
            return []
        return self._apply_entries(states)

    def _apply_entries(self, states: dict[str, SubmissionEntry]) -> list[dict[str, Any]]:
        changed = self.store.apply_states(states)
        numbers_set = {c["number"] for c in changed}
        for sid, entry in states.items():  # rated from another workstation meanwhile: not an error
            if isinstance(entry, dict) and entry.get("code") == ALREADY_ASSESSED:
                number = self.store.supersede_elsewhere(sid)
                if number:
                    numbers_set.add(number)
        for number in sorted(numbers_set):
            self._show_current(number)
        new_answers = [c for c in changed if c.get("new_answer")]
        rejected = [c for c in changed if c["state"] == RatingState.REJECTED.value
                    and c.get("previous_state") != RatingState.REJECTED.value
                    and c.get("error_code") != ALREADY_ASSESSED]
        if new_answers:
            self._signal_answers(new_answers)
        if rejected:
            self._signal_rejected(rejected)
        if changed and self.answers_window is not None and _alive(self.answers_window):
            self._fill_answers()
        return changed

    def _show_current(self, number: str) -> None:
        """The declaration's mark and its open form follow its current assessment."""
        self._update_mark(number)
        dialog = self.dialogs.get(number)
        if dialog is not None and _alive(dialog) and dialog.sent is not None:
            current = self.store.assessment(number)
            if current is not None:
                dialog.show_sent(current)

    def import_remote(self, ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Take in what other workstations of the enterprise sent (all, or these ids): their
        declarations show as rated here, and their answers arrive here too."""
        try:
            entries = self.api.enterprise_submissions() if ids is None else self.api.submission_states(list(ids))
        except Exception as exc:  # noqa: BLE001 - no outbox or cache in this run
            self.api.logger.info("submissions of other workstations unavailable: %s", exc)
            return []
        return self._import_entries(entries, announce=ids is not None)

    def _import_entries(self, entries: dict[str, SubmissionEntry], *, announce: bool) -> list[dict[str, Any]]:
        changed = self.store.import_remote(entries)
        for number in sorted({c["number"] for c in changed}):
            self._show_current(number)
        new_answers = [c for c in changed if c.get("new_answer")]
        if new_answers and announce:
            self._signal_answers(new_answers)
        if changed and self.answers_window is not None and _alive(self.answers_window):
            self._fill_answers()
        return changed

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

        if self.answers_window is None or not _alive(self.answers_window):
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
        from .core import _catalog_index

        names = {key: str(v.get("name") or key[1]) for key, v in _catalog_index(self._catalog()).items()}
        feedback = self.store.feedback()
        rows = [dict(r, feedback=feedback.get(r["id"])) for r in self.store.submissions(include_superseded=False)
                if r["kind"] in ("assessment", "reflection")]
        for r in rows:  # names from the handling records when the catalog lacks them
            if r["kind"] == "assessment" and any((x.get("target_kind"), x.get("target_code")) not in names
                                                 for x in r["payload"].get("ratings") or []):
                try:
                    for h in self.api.handling(r["number"]):
                        names.setdefault((h["kind"], h["code"]), h.get("name") or h["code"])
                except Exception:  # noqa: BLE001
                    pass
        self.answers_window.set_rows(rows, names)

    # ---- the warning --------------------------------------------------------------------------------
    def count_unrated(self) -> int:
        return self.api.count_declarations(self.unrated_filter())

    def startup_prompt(self) -> None:
        self.check_unrated()

    def on_form_closed_unrated(self, number: str) -> None:
        self.flush_drafts()
        self.check_unrated(closed_number=number)

    def check_unrated(self, closed_number: str | None = None) -> None:
        """Count in the background (a SQL count over the whole list), then warn."""
        if self._closed:
            return
        if not should_remind(1, self.today, self.api.settings.get("snoozed_on")):
            return
        if self._warning_pending:
            return
        self._warning_pending = True
        flt = self.unrated_filter()

        def count() -> int:
            return self.api.count_declarations(flt)

        def done(n: int) -> None:
            self._warning_pending = False
            if not self._closed:
                self.show_warning(int(n), closed_number=closed_number)

        def failed(exc: BaseException) -> None:
            self._warning_pending = False
            self.api.logger.warning("cannot count unrated declarations: %s", exc)

        self.api.run_in_background(count, on_done=done, on_error=failed)

    def show_warning(self, count: int, *, closed_number: str | None = None) -> Any:
        from .widgets.warning import UnratedWarning

        if not should_remind(count, self.today, self.api.settings.get("snoozed_on")):
            return None
        if self.warning is not None and _alive(self.warning) and self.warning.isVisible():
            self.warning.close()
        self.warning = UnratedWarning(count, self.reminder_days, closed_number=closed_number,
                                      parent=self.api.parent_widget())
        self.warning.view_requested.connect(self._warning_view)
        self.warning.later.connect(self._warning_later)
        self.warning.show()
        return self.warning

    def _snooze(self, snooze: bool) -> None:
        if snooze:
            self.api.settings.set("snoozed_on", self.today.isoformat())

    def _warning_view(self, snooze: bool) -> None:
        self._snooze(snooze)
        self.show_unrated()

    def _warning_later(self, snooze: bool) -> None:
        self._snooze(snooze)

    def show_unrated(self) -> None:
        """Nghiệp vụ khác → Đánh giá sự hài lòng: the list filtered to unrated declarations."""
        try:
            self.api.show_declarations(self.unrated_filter())
        except Exception as exc:  # noqa: BLE001
            self.notice(self._title(), str(exc), warning=True)
            return
        self.api.status_message(QCoreApplication.translate(
            "SatisfactionPlugin", "Declarations not yet rated: press Enter on one to assess it."), 10000)

    # ---- teardown -----------------------------------------------------------------------------------
    def flush_drafts(self) -> None:
        for d in list(self.dialogs.values()) + list(self.reflection_dialogs.values()):
            if _alive(d):
                d.flush_draft()

    def teardown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._delivery_timer.stop()
        self.flush_drafts()
        for signal, slot in ((self.api.events.submissions_changed, self.on_submissions_changed),
                             (self.api.events.declaration_activated, self.on_activated),
                             (self.api.events.shutting_down, self.flush_drafts),
                             (self.api.events.language_changed, self.on_language_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        for w in [*self.dialogs.values(), *self.reflection_dialogs.values(), self.answers_window, self.warning,
                  *self.notices]:
            if w is not None and _alive(w):
                w.close()
        self.store.close()


def _alive(widget: Any) -> bool:
    try:
        from shiboken6 import isValid
    except ImportError:  # pragma: no cover
        return widget is not None
    return widget is not None and isValid(widget)


def create(api: HostApi) -> SatisfactionPlugin:
    return SatisfactionPlugin(api)


__all__ = ["create", "SatisfactionPlugin", "unrated_filter", "mark_text", "row_text", "column_value"]
