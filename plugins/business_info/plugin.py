"""Enterprise information plugin: Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp.

The form is pre-filled with what was sent last (or the draft being typed, which is saved on
every change), validated with the shared rules, and sent through the host's outbox, so it
works offline. At start-up a non-modal reminder appears in the status bar when the
information was never provided or is older than the period customs asks for.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer

from domain.demo import DEMO_END, DEMO_ENTERPRISE
from domain.submissions import FieldError

from .core import (
    DEFAULT_PERIOD_DAYS, LocalState, build_payload, form_values_from_payload, reminder_due,
)
from .dialog import BusinessInfoDialog

PLUGIN_ID = "business_info"




def state_text(state: str) -> str:
    texts = {
        "pending": QCoreApplication.translate("business_info", "queued, will be sent when the connection returns"),
        "sending": QCoreApplication.translate("business_info", "being sent"),
        "sent": QCoreApplication.translate("business_info", "received by customs"),
        "failed": QCoreApplication.translate("business_info", "refused by the server"),
    }
    return texts.get(state, state)


class BusinessInfoPlugin:
    def __init__(self, api: Any):
        self.api = api
        self.state = LocalState(api.data_dir())
        self.dialog: BusinessInfoDialog | None = None
        self._draft_timer = QTimer()
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self.save_draft)
        self.action = api.add_menu_action("other", self.action_text(), self.open, object_name="business_info.open")
        api.add_startup_prompt(self.remind)
        api.events.language_changed.connect(self.on_language_changed)

    @staticmethod
    def action_text() -> str:
        return QCoreApplication.translate("business_info", "Provide enterprise information")

    def on_language_changed(self, _lang: str) -> None:
        """The host installed this plugin's catalogue for the new language: the menu follows."""
        self.action.setText(self.action_text())

    # ---- helpers -------------------------------------------------------------------------------
    def today(self) -> date:
        return DEMO_END.date() if self.api.is_demo() else date.today()

    def period_days(self) -> int:
        try:
            return max(int(self.api.settings.get("period_days", DEFAULT_PERIOD_DAYS)), 1)
        except (TypeError, ValueError):
            return DEFAULT_PERIOD_DAYS

    def initial_values(self) -> dict[str, Any]:
        draft = self.state.draft()
        if draft:
            return draft
        last = self.state.last_sent()
        if last and isinstance(last.get("payload"), dict):
            values = form_values_from_payload(last["payload"])
            values["reason"] = "periodic"
            return values
        if self.api.is_demo():
            return {"tax_code": DEMO_ENTERPRISE.tax_code, "name": DEMO_ENTERPRISE.name,
                    "address": DEMO_ENTERPRISE.address, "reason": "first_time"}
        return {}

    def last_sent_text(self) -> str:
        last = self.state.last_sent()
        when = self.state.last_sent_at()
        if not last or when is None:
            return QCoreApplication.translate("business_info", "This enterprise's information has not been provided from this computer yet.")
        state = ""
        try:
            states = self.api.submission_states([last["id"]])
            state = states.get(last["id"], {}).get("state", "")
        except Exception:  # noqa: BLE001 - no outbox in this run: say nothing about delivery
            state = ""
        text = QCoreApplication.translate("business_info", "Last provided on %1").replace("%1", when.astimezone().strftime("%d/%m/%Y %H:%M"))
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
        self.dialog = BusinessInfoDialog(self.initial_values(), self.send, last_sent_text=self.last_sent_text(),
                                         parent=self.api.parent_widget())
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

    def send(self, values: dict[str, Any]) -> list[FieldError] | None:
        built = build_payload(values)
        if built.payload is None:
            return built.errors
        try:
            submission_id = self.api.submit("business_info", built.payload)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the draft is kept
            self.state.save_draft(values)
            self.api.logger.error("enterprise information could not be queued: %s", exc)
            return [FieldError("send", QCoreApplication.translate("business_info", "The information could not be queued for sending: %1").replace(
                "%1", str(exc)))]
        self.state.record_sent(submission_id, built.payload)
        self.api.logger.info("enterprise information queued as %s", submission_id)
        self.api.status_message(QCoreApplication.translate("business_info", "Enterprise information saved; it is sent as soon as there is a connection."), 8000)
        if self.dialog is not None:
            self._draft_timer.stop()
            self.dialog.finished.disconnect(self._closed)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        return None

    def remind(self) -> None:
        if reminder_due(self.state.last_sent_at(), self.today(), self.period_days()):
            self.api.status_message(QCoreApplication.translate("business_info", "Customs asks for your enterprise information: "
                                       "Other operations → Provide enterprise information."), 15000)

    def teardown(self) -> None:
        self._draft_timer.stop()
        try:
            self.api.events.language_changed.disconnect(self.on_language_changed)
        except (RuntimeError, TypeError):
            pass
        if self.dialog is not None:
            self.save_draft()
            self.dialog.close()


def create(api: Any) -> BusinessInfoPlugin:
    return BusinessInfoPlugin(api)
