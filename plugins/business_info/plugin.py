"""Enterprise information plugin: Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp.

Customs' requests (first time at a unit, periodic under a collection plan, ad hoc) come with
the host's feeds (``api.info_requests()``); pending ones are announced at start-up with their
due date, and listed in the form, overdue ones marked. The form is pre-filled from the last
version the enterprise sent (from this workstation or another) or the draft being typed,
which is saved on every change. Record → confirm (the changes since the last version, field
by field) → send through the host's outbox, so it works offline and is sent exactly once.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from domain.business_info import SCHEMA, Change, as_v2, demo_last_version
from domain.submissions import FieldError

from .core import (
    LocalState, build_payload, changes, due_of, empty_values, is_overdue, latest_version, pending_requests,
    values_from_payload,
)

if TYPE_CHECKING:  # the form's module is imported when the form first opens, not at start-up
    from .dialog import BusinessInfoDialog

PLUGIN_ID = "business_info"
POLL_MS = 5_000  # the local cache of requests (the host's sync worker fetches them); one small local query


def tr(text: str) -> str:
    return QCoreApplication.translate("business_info", text)


def state_text(state: str) -> str:
    texts = {
        "pending": tr("queued, will be sent when the connection returns"),
        "sending": tr("being sent"),
        "sent": tr("received by customs"),
        "failed": tr("refused by the server"),
    }
    return texts.get(str(state), str(state))


class BusinessInfoPlugin:
    def __init__(self, api: Any):
        self.api = api
        self.state = LocalState(api.data_dir())
        self.dialog: BusinessInfoDialog | None = None
        self.recorded: dict[str, Any] | None = None  # the payload shown at the confirmation
        self.announced: set[str] = set()
        self._draft_timer = QTimer()
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self.save_draft)
        self._poll = QTimer()
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.check_requests)
        self.action = api.add_menu_action("other", self.action_text(), self.open, object_name="business_info.open")
        api.add_startup_prompt(self.remind)
        api.events.language_changed.connect(self.on_language_changed)
        self._resume_sending()
        self._poll.start()

    # ---- requests ------------------------------------------------------------------------------
    def requests(self) -> list[dict[str, Any]]:
        try:  # host API 1.2 (the manifest asks for it)
            return [r for r in self.api.info_requests() if isinstance(r, dict)]
        except Exception as exc:  # noqa: BLE001 - no cache in this run: nothing to announce
            self.api.logger.info("requests for enterprise information not readable: %s", exc)
            return []

    def pending(self) -> list[dict[str, Any]]:
        return pending_requests(self.requests(), self.state.answered())

    def action_text(self, count: int | None = None) -> str:
        text = tr("Provide enterprise information")
        if count:
            text += " " + QCoreApplication.translate("business_info", "(%n request(s))", "", count)
        return text

    def on_language_changed(self, _lang: str) -> None:
        """The host installed this plugin's catalogue for the new language: the menu follows."""
        self.action.setText(self.action_text(len(self.pending())))

    def today(self) -> date:
        return self.api.today()

    def announcement(self, requests: list[dict[str, Any]]) -> str:
        first = requests[0]
        due = due_of(first)
        if is_overdue(first, self.today()):
            text = tr("Customs asked for your enterprise information by %1: the request is overdue.")
        elif due is not None:
            text = tr("Customs asks for your enterprise information by %1.")
        else:
            text = tr("Customs asks for your enterprise information.")
        text = text.replace("%1", due.strftime("%d/%m/%Y") if due else "")
        if len(requests) > 1:
            text += " " + QCoreApplication.translate("business_info", "%n request(s) to answer.", "", len(requests))
        return text + " " + tr("Other operations → Provide enterprise information.")

    def remind(self) -> None:
        """At start-up: announce the pending requests, the most urgent first, with its due date."""
        pending = self.pending()
        self.action.setText(self.action_text(len(pending)))
        if pending:
            self.announced.update(str(r.get("id")) for r in pending)
            self.api.status_message(self.announcement(pending), 20000)

    def check_requests(self) -> None:
        """A request that arrived after start-up is announced once."""
        pending = self.pending()
        self.action.setText(self.action_text(len(pending)))
        new = [r for r in pending if str(r.get("id")) not in self.announced]
        if new:
            self.announced.update(str(r.get("id")) for r in new)
            self.api.status_message(self.announcement(new), 20000)

    # ---- values --------------------------------------------------------------------------------
    def _remote(self) -> list[dict[str, Any]]:
        reader = getattr(self.api, "enterprise_submissions", None)
        if reader is None:
            return []
        try:
            return list(reader().values())
        except Exception:  # noqa: BLE001 - no outbox or cache in this run
            return []

    def last_version(self) -> tuple[int, dict[str, Any]] | None:
        found = latest_version(self.state.last_sent(), self._remote())
        if found is None and self.api.is_demo():
            return SCHEMA, demo_last_version()  # what customs holds from last year's collection
        return found

    def initial_values(self, pending: list[dict[str, Any]]) -> dict[str, Any]:
        draft = self.state.draft()
        if draft:
            draft.pop("schema", None)
            return draft
        last = self.last_version()
        if last is not None:
            values = values_from_payload(last[1], last[0])
        elif self.api.is_demo():
            from domain.demo import DEMO_ENTERPRISE

            values = empty_values()
            values["identity"].update(tax_code=DEMO_ENTERPRISE.tax_code, name=DEMO_ENTERPRISE.name,
                                      address=DEMO_ENTERPRISE.address)
            values["reason"] = "first_time"
        else:
            values = empty_values()
        if pending:  # answering the most urgent request
            values["request_id"] = pending[0].get("id") or ""
        elif last is not None:
            values["reason"] = "changed"
        return values

    def last_sent_text(self) -> str:
        last = self.state.last_sent()
        when = self.state.last_sent_at()
        if not last or when is None:
            if self.api.is_demo() and latest_version(None, self._remote()) is None:
                return tr("The form shows the information customs holds from the last collection.")
            if self.last_version() is not None:
                return tr("The form shows the last version your enterprise sent from another workstation.")
            return tr("This enterprise's information has not been provided from this computer yet.")
        state = ""
        try:
            states = self.api.submission_states([last["id"]])
            state = str(states.get(last["id"], {}).get("state", ""))
        except Exception:  # noqa: BLE001 - no outbox in this run: say nothing about delivery
            state = ""
        text = tr("Last provided on %1").replace("%1", when.astimezone().strftime("%d/%m/%Y %H:%M"))
        if state:
            text += f" — {state_text(state)}"
        return text

    # ---- actions -------------------------------------------------------------------------------
    def open(self) -> None:
        if self.dialog is not None:
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        requests = self.requests()
        answered = set(self.state.answered())
        for r in requests:  # answered here, the feed has not said so yet
            if r.get("id") in answered and r.get("state") != "fulfilled":
                r["state"] = "fulfilled"
        pending = pending_requests(requests)
        self.recorded = None
        from .dialog import BusinessInfoDialog

        self.dialog = BusinessInfoDialog(self.initial_values(pending), requests=requests, today=self.today(),
                                         on_record=self.record, on_send=self.send,
                                         last_sent_text=self.last_sent_text(), parent=self.api.parent_widget())
        self.dialog.changed.connect(self._draft_timer.start)
        self.dialog.finished.connect(self._closed)
        self.dialog.show()

    def _closed(self, *_: Any) -> None:
        self.save_draft()
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def save_draft(self) -> None:
        if self.dialog is not None:
            self.state.save_draft(self.dialog.values())

    def record(self, values: dict[str, Any]) -> tuple[list[FieldError], list[Change] | None]:
        """Check the values; answer the errors, or the changes since the last version."""
        self.state.save_draft(values)
        built = build_payload(values, self.state.workstation())
        if built.payload is None:
            self.recorded = None
            return built.errors, None
        self.recorded = built.payload
        last = self.last_version()
        return [], changes(as_v2(last[0], last[1]) if last else None, built.payload)

    def send(self) -> list[FieldError] | None:
        payload = self.recorded
        if payload is None:
            return [FieldError("send", tr("Record the information first."))]
        item_id = self.state.begin_send(payload)
        try:
            submission_id = self.api.submit("business_info", payload, schema=SCHEMA, item_id=item_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the draft is kept
            self.api.logger.error("enterprise information could not be queued: %s", exc)
            return [FieldError("send", tr("The information could not be queued for sending: %1").replace(
                "%1", str(exc)))]
        self._sent(submission_id, payload)
        self.api.status_message(tr("Enterprise information recorded; it is sent as soon as there is a connection."),
                                8000)
        if self.dialog is not None:
            self._draft_timer.stop()
            self.dialog.finished.disconnect(self._closed)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        return None

    def _sent(self, submission_id: str, payload: dict[str, Any]) -> None:
        self.state.record_sent(submission_id, payload)
        self.recorded = None
        if payload.get("request_id"):
            self.state.add_answered(payload["request_id"])
        self.action.setText(self.action_text(len(self.pending())))
        self.api.logger.info("enterprise information queued as %s", submission_id)

    def _resume_sending(self) -> None:
        """An item noted but not confirmed as queued (the program stopped in between) is
        handed to the outbox again with the same id: the outbox and the server take it once."""
        sending = self.state.sending()
        if not sending or not isinstance(sending.get("payload"), dict) or not sending.get("id"):
            return
        try:
            submission_id = self.api.submit("business_info", sending["payload"], schema=SCHEMA, item_id=sending["id"])
        except Exception as exc:  # noqa: BLE001 - tried again at the next start
            self.api.logger.warning("enterprise information still to be queued: %s", exc)
            return
        self._sent(submission_id, sending["payload"])

    def teardown(self) -> None:
        self._draft_timer.stop()
        self._poll.stop()
        try:
            self.api.events.language_changed.disconnect(self.on_language_changed)
        except (RuntimeError, TypeError):
            pass
        if self.dialog is not None:
            self.save_draft()
            self.dialog.close()


def create(api: Any) -> BusinessInfoPlugin:
    return BusinessInfoPlugin(api)
