"""Example plugin: one of everything the public plugin API (``desktop.plugin_api``) offers.

* Nghiệp vụ khác → "Ví dụ: tờ khai đang chọn": the selected declaration's age and handling
  in the status bar, counted in a background task.
* Nghiệp vụ khác → "Ví dụ: ghim / bỏ ghim tờ khai đang chọn": the plugin's own mark on a
  declaration, shown in its column; "Ví dụ: các tờ khai đã ghim" shows them in the list.
* Nghiệp vụ khác → "Ví dụ: gửi ghi chú thử": a submission through the outbox; the plugin
  follows its state (``submissions_changed``) and tells it in the status bar. The server
  accepts no "example_note" kind, so the note ends as refused: the path a real plugin must
  handle too.
* A list column "Số ngày từ ngày ĐK" (days since registration, or a pin).
* A startup prompt that only logs, a setting, the server catalog and the sign-in state in
  the log, and a teardown.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.plugin_api import (
    ColumnSpec, DeclarationFilter, HostApi, HostServiceUnavailable, MarkFilter, Row, SubmissionEntry,
    SubmissionState,
)
from domain.errors import refusal_text

PLUGIN_ID = "example"
PIN = "pinned"
NOTE_KIND = "example_note"

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


def age_text(row: Row, today: date) -> str:
    days = days_since(row.get("registered_at"), today)
    text = "" if days is None else str(days)
    if (row.get("marks") or {}).get(PLUGIN_ID) == PIN:
        text = "📌 " + text
    return text


def pinned_filter(plugin_id: str, title: str) -> DeclarationFilter:
    """The declarations this plugin pinned (its mark, filtered in SQL)."""
    return DeclarationFilter(mark=MarkFilter(plugin_id, present=True, values={PIN}), title=title)


class ExamplePlugin:
    def __init__(self, api: HostApi):
        self.api = api
        self.today = api.today()
        self.last_summary = ""
        self.notes: dict[str, SubmissionState] = {}  # submitted notes and their last known state
        runs = int(api.settings.get("runs", 0) or 0) + 1
        api.settings.set("runs", runs)
        (api.data_dir() / "runs.txt").write_text(str(runs), encoding="utf-8")
        self.actions = {
            "describe": api.add_menu_action(
                "other", translate("example", "Example: selected declaration"), self.describe_current,
                shortcut="Ctrl+Alt+E", object_name="example.describe"),
            "pin": api.add_menu_action(
                "other", translate("example", "Example: pin or unpin the selected declaration"), self.toggle_pin,
                object_name="example.pin"),
            "pinned": api.add_menu_action(
                "other", translate("example", "Example: pinned declarations"), self.show_pinned,
                object_name="example.pinned"),
            "unpin": api.add_menu_action(
                "other", translate("example", "Example: unpin all"), self.unpin_all,
                object_name="example.unpin"),
            "note": api.add_menu_action(
                "other", translate("example", "Example: send a test note"), self.send_note,
                object_name="example.note"),
        }
        api.add_column(ColumnSpec(key="example.age", header=lambda: translate("example", "Days"),
                                  header_tooltip=lambda: translate("example", "Days since registration"),
                                  value=lambda row: age_text(row, self.today), width=70,
                                  mark_plugin=api.plugin_id,  # joins the pin into the row's marks
                                  align="right", sortable=False))
        api.add_startup_prompt(self.on_startup)
        api.events.declaration_activated.connect(self.on_activated)
        api.events.submissions_changed.connect(self.on_submissions_changed)
        api.logger.info("example plugin started (%d times so far; host %s, API %s, language %s%s)", runs,
                        api.host_version, api.api_version, api.language(), ", demo data" if api.is_demo() else "")

    # -- callbacks -----------------------------------------------------------------------------
    def on_startup(self) -> None:
        catalog = self.api.catalog()
        self.api.logger.info("startup prompt: nothing to ask (signed in: %s, catalog cached: %s, "
                             "submissions of other workstations: %d, information requests: %d)", self.api.signed_in(),
                             catalog is not None, len(self.api.enterprise_submissions()), len(self.api.info_requests()))

    def on_activated(self, number: str) -> None:
        self.api.logger.info("declaration %s activated", number)

    def describe_current(self) -> None:
        api = self.api
        number = api.current_declaration()
        if not number:
            api.status_message(api.tr("Select a declaration first."))  # api.tr: the plugin's catalogue
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
        """A failed task: told in a message box over the main window (not modal)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        text = translate("example", "The example task failed: %1").replace("%1", str(exc))
        self.api.status_message(text)
        box = QMessageBox(QMessageBox.Icon.Warning, translate("example", "Example plugin"), text,
                          QMessageBox.StandardButton.Close, self.api.parent_widget())
        box.setObjectName("example.error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- marks and filters -----------------------------------------------------------------------
    def toggle_pin(self) -> None:
        api = self.api
        number = api.current_declaration()
        if not number:
            api.status_message(api.tr("Select a declaration first."))
            return
        pinned = self.api.marks([number]).get(number) == PIN
        self.api.set_mark(number, None if pinned else PIN)
        remembered = set(self.api.settings.get("pinned", []) or [])
        remembered.symmetric_difference_update({number})
        self.api.settings.set("pinned", sorted(remembered))

    def unpin_all(self) -> int:
        """Take every pin off at once (one transaction, one refresh)."""
        marks = self.api.marks(list(self.api.settings.get("pinned", []) or []))
        self.api.set_marks({n: None for n in marks})
        self.api.settings.remove("pinned")
        return len(marks)

    def show_pinned(self) -> None:
        flt = pinned_filter(self.api.plugin_id, translate("example", "Pinned declarations"))
        if not self.api.count_declarations(flt):
            self.api.status_message(translate("example", "No declaration is pinned."))
            return
        self.api.show_declarations(flt)

    # -- submissions ----------------------------------------------------------------------------
    def send_note(self) -> str | None:
        number = self.api.current_declaration()
        try:
            sid = self.api.submit(NOTE_KIND, {"declaration_number": number, "text": "test"})
        except HostServiceUnavailable as exc:
            self.api.status_message(str(exc))
            return None
        entry = self.api.submission_states([sid]).get(sid)
        self.notes[sid] = entry["state"] if entry else SubmissionState.PENDING
        self.api.status_message(translate("example", "Test note queued."))
        return sid

    def on_submissions_changed(self, entries: dict[str, SubmissionEntry]) -> None:
        for sid, entry in entries.items():
            if sid not in self.notes:
                continue
            state = entry["state"]
            self.notes[sid] = state
            if state == SubmissionState.SENT:
                self.api.status_message(translate("example", "Test note received by the server."))
            elif state == SubmissionState.FAILED:
                reason = refusal_text(entry.get("code"), self.api.language())
                self.api.status_message(translate("example", "Test note refused: %1").replace("%1", reason))

    def teardown(self) -> None:
        self.api.events.declaration_activated.disconnect(self.on_activated)
        self.api.events.submissions_changed.disconnect(self.on_submissions_changed)
        self.api.logger.info("example plugin stopped (%d background tasks pending)", self.api.pending_tasks())


def create(api: HostApi) -> ExamplePlugin:
    return ExamplePlugin(api)
