"""The warning about declarations not yet rated.

At start-up, and when a form is closed without sending, the declarations not yet rated
within the reminder window (plugin setting ``reminder_days``, 30 by default) are counted in
the background — a SQL count over the whole list — and, when there are any, a non-modal
warning says how many; "View" shows them in the list, "not again today" snoozes it for the
day (setting ``snoozed_on``).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication

from desktop.plugin_api import DeclarationFilter, HostApi

from .core import DEFAULT_REMINDER_DAYS, should_remind, unrated_filter
from .widgets.common import alive


class UnratedReminder:
    """Counts the unrated declarations and shows the warning (``warning``: the last one)."""

    def __init__(self, api: HostApi, today: Callable[[], date], show_unrated: Callable[[], Any]):
        self.api = api
        self._today = today
        self._show_unrated = show_unrated
        self.warning: Any = None
        self.closed = False  # the plugin is being unloaded: no more counts or warnings
        self._pending = False

    @property
    def days(self) -> int:
        try:
            return max(1, int(self.api.settings.get("reminder_days", DEFAULT_REMINDER_DAYS)))
        except (TypeError, ValueError):
            return DEFAULT_REMINDER_DAYS

    def filter(self) -> DeclarationFilter:
        title = QCoreApplication.translate("SatisfactionPlugin", "Declarations not yet rated")
        return unrated_filter(self._today(), self.days, title)

    def count(self) -> int:
        return self.api.count_declarations(self.filter())

    def check(self, closed_number: str | None = None) -> None:
        """Count in the background (a SQL count over the whole list), then warn."""
        if self.closed:
            return
        if not should_remind(1, self._today(), self.api.settings.get("snoozed_on")):
            return
        if self._pending:
            return
        self._pending = True
        flt = self.filter()

        def count() -> int:
            return self.api.count_declarations(flt)

        def done(n: int) -> None:
            self._pending = False
            if not self.closed:
                self.show(int(n), closed_number=closed_number)

        def failed(exc: BaseException) -> None:
            self._pending = False
            self.api.logger.warning("cannot count unrated declarations: %s", exc)

        self.api.run_in_background(count, on_done=done, on_error=failed)

    def show(self, count: int, *, closed_number: str | None = None) -> Any:
        """The warning for ``count`` unrated declarations (None: nothing to say, or snoozed)."""
        from .widgets.warning import UnratedWarning

        if not should_remind(count, self._today(), self.api.settings.get("snoozed_on")):
            return None
        if self.warning is not None and alive(self.warning) and self.warning.isVisible():
            self.warning.close()
        self.warning = UnratedWarning(count, self.days, closed_number=closed_number,
                                      parent=self.api.parent_widget())
        self.warning.view_requested.connect(self._view)
        self.warning.later.connect(self._snooze)
        self.warning.show()
        return self.warning

    def _snooze(self, snooze: bool) -> None:
        if snooze:
            self.api.settings.set("snoozed_on", self._today().isoformat())

    def _view(self, snooze: bool) -> None:
        self._snooze(snooze)
        self._show_unrated()
