"""Example plugin: one of everything the HostApi offers, kept small.

* Nghiệp vụ khác → "Ví dụ: tờ khai đang chọn": shows the selected declaration's age and
  handling in the status bar, counted in a background task.
* A list column "Số ngày từ ngày ĐK" (days since registration), computed from the row.
* A startup prompt that only logs.
* A setting (how many times the plugin has started), and a teardown.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from domain.demo import DEMO_END

PLUGIN_ID = "example"


translate = QCoreApplication.translate


def days_since(registered: Any, today: date) -> int | None:
    """Whole days between a registration date (ISO text, date or datetime) and ``today``."""
    if registered in (None, ""):
        return None
    if isinstance(registered, datetime):
        d = registered.date()
    elif isinstance(registered, date):
        d = registered
    else:
        try:
            d = datetime.fromisoformat(str(registered).strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return (today - d).days


def reference_today(api: Any) -> date:
    """The demo world has its own "now"; real data uses today's date."""
    return DEMO_END.date() if api.is_demo() else date.today()


def age_text(row: dict[str, Any], today: date) -> str:
    days = days_since(row.get("registered_at"), today)
    return "" if days is None else str(days)


class ExamplePlugin:
    def __init__(self, api: Any):
        self.api = api
        self.today = reference_today(api)
        self.last_summary = ""
        runs = int(api.settings.get("runs", 0) or 0) + 1
        api.settings.set("runs", runs)
        self.action = api.add_menu_action(
            "other", translate("example", "Example: selected declaration"), self.describe_current,
            shortcut="Ctrl+Alt+E", object_name="example.describe")
        from desktop.declarations.columns import ColumnSpec

        api.add_column(ColumnSpec(key="example.age", header=translate("example", "Days"),
                                  header_tooltip=translate("example", "Days since registration"),
                                  value=lambda row: age_text(row, self.today), width=70,
                                  align="right", sortable=False))
        api.add_startup_prompt(self.on_startup)
        api.events.declaration_activated.connect(self.on_activated)
        api.logger.info("example plugin started (%d times so far)", runs)

    # -- callbacks -----------------------------------------------------------------------------
    def on_startup(self) -> None:
        self.api.logger.info("startup prompt: the example plugin has nothing to ask")

    def on_activated(self, number: str) -> None:
        self.api.logger.info("declaration %s activated", number)

    def describe_current(self) -> None:
        number = self.api.current_declaration()
        if not number:
            self.api.status_message(translate("example", "Select a declaration first."))
            return
        decl = self.api.declaration(number)
        if decl is None:
            self.api.status_message(translate("example", "Declaration %1 is not in the list.").replace("%1", number))
            return
        self.api.run_in_background(self.summarise, number, on_done=self.show_summary,
                                   on_error=self.show_error)

    def summarise(self, number: str) -> dict[str, Any]:
        """Runs on a worker thread: reads the store (its own connection), no widgets."""
        decl = self.api.declaration(number) or {}
        handling = self.api.handling(number)
        return {"number": number, "days": days_since(decl.get("registered_at"), self.today),
                "handlers": len(handling)}

    def show_summary(self, summary: dict[str, Any]) -> None:
        text = (translate("example", "Declaration %1: registered %2 days ago, handled by %3 units and officials.")
                .replace("%1", summary["number"]).replace("%2", str(summary["days"]))
                .replace("%3", str(summary["handlers"])))
        self.last_summary = text
        self.api.settings.set("last_declaration", summary["number"])
        self.api.status_message(text, 10000)

    def show_error(self, exc: BaseException) -> None:
        self.api.status_message(translate("example", "The example task failed: %1").replace("%1", str(exc)))

    def teardown(self) -> None:
        self.api.events.declaration_activated.disconnect(self.on_activated)
        self.api.logger.info("example plugin stopped")


def create(api: Any) -> ExamplePlugin:
    return ExamplePlugin(api)
