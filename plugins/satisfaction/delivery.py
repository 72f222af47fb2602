"""Telling the user what became of a send, as the host's outbox knows it.

After a send the status bar says "Sending…" until the outbox reports the item sent, a failed
attempt, or a few seconds pass with the item still waiting (then: "will be sent when there
is a connection"); an item queued while offline is told again once it went out. A
reflection's dialog shows the same text.
"""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from desktop.plugin_api import HostApi, SubmissionState

from .core import ALREADY_ASSESSED, refusal_reason
from .widgets.common import alive

# A request already on the wire is given its full timeout.
DELIVERY_WAIT_S = 8.0
DELIVERY_WAIT_INFLIGHT_S = 40.0
DELIVERY_POLL_MS = 500


def delivery_text(number: str, kind: str, outcome: str, reason: str = "") -> str:
    """The status bar's sentence for an outcome: sent, sending, elsewhere (assessed from
    another workstation), rejected (with the reason) or offline."""
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


class DeliveryReporter(QObject):
    """Follows the sends of the plugin until their outcome is told."""

    def __init__(self, api: HostApi, lang: str, parent: QObject | None = None):
        super().__init__(parent)
        self.api = api
        self.lang = lang  # of the refusal reasons
        # outbox id -> (declaration, kind, dialog, deadline, deadline in flight): sends whose
        # outcome the status bar still has to tell
        self._deliveries: dict[str, tuple[str, str, Any, float, float]] = {}
        self._told_offline: dict[str, tuple[str, str, Any]] = {}  # queued while offline: tell when sent
        self._timer = QTimer(self)
        self._timer.setInterval(DELIVERY_POLL_MS)
        self._timer.timeout.connect(self.check)

    @property
    def following(self) -> bool:
        return bool(self._deliveries or self._told_offline)

    def stop(self) -> None:
        self._timer.stop()

    def follow(self, outbox_id: str, number: str, kind: str, dialog: Any = None) -> None:
        """Tell the outcome of a send as the outbox knows it: "Sending…" now, then "Sent to
        customs" once delivered, or "will be sent when there is a connection" after a failed
        attempt (or when nothing happened for a few seconds)."""
        try:
            online = bool(self.api.signed_in())
        except Exception:  # noqa: BLE001 - no session service in this run
            online = False
        if not online:  # nothing can go out before a sign-in: say so now, tell when it went
            self._told_offline[outbox_id] = (number, kind, dialog)
            self._tell(number, kind, dialog, "offline")
            return
        now = time.monotonic()
        self._deliveries[outbox_id] = (number, kind, dialog, now + DELIVERY_WAIT_S, now + DELIVERY_WAIT_INFLIGHT_S)
        self.check()
        if self._deliveries and not self._timer.isActive():
            self._timer.start()

    def _tell(self, number: str, kind: str, dialog: Any, outcome: str, reason: str = "") -> None:
        text = delivery_text(number, kind, outcome, reason)
        self.api.status_message(text, 0 if outcome == "sending" else 15000)
        if dialog is not None and alive(dialog) and kind == "reflection":
            dialog.show_sent(text)

    def check(self) -> None:
        """Compare what is being followed with the outbox's states (a local read)."""
        ids = list(self._deliveries) + list(self._told_offline)
        if not ids:
            self._timer.stop()
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
            if state in (SubmissionState.SENT, SubmissionState.FAILED):
                self._deliveries.pop(sid, None)
                self._told_offline.pop(sid, None)
                if state == SubmissionState.SENT:
                    self._tell(number, kind, dialog, "elsewhere" if entry.get("code") == ALREADY_ASSESSED else "sent")
                else:
                    self._tell(number, kind, dialog, "rejected", refusal_reason(entry, self.lang))
            elif sid not in self._deliveries:
                continue  # still waiting for the connection: already told
            elif not entry or (state == SubmissionState.PENDING and (entry.get("last_error") or now >= deadline)) \
                    or now >= inflight_deadline:
                self._deliveries.pop(sid)
                if entry:
                    self._told_offline[sid] = (number, kind, dialog)
                self._tell(number, kind, dialog, "offline")
            else:
                self._tell(number, kind, dialog, "sending")
        if not self._deliveries:
            self._timer.stop()
