"""The example plugin uses the whole public plugin API (``desktop.plugin_api``), through the
real loader and host objects."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

import plugins.example.plugin as example
from desktop import plugin_api
from desktop.hostapi import HostApi as HostImplementation
from domain.demo import iter_declarations

from .shell_helpers import app_context


def _protocol_members() -> set[str]:
    names = {n for n, v in vars(plugin_api.HostApi).items()
             if not n.startswith("_") and (callable(v) or isinstance(v, property))}
    return names | set(plugin_api.HostApi.__annotations__)


def test_the_host_implements_every_member_of_the_public_protocol():
    missing = [n for n in _protocol_members() if not hasattr(HostImplementation, n)
               and n not in ("plugin_id", "api_version", "host_version", "settings", "events", "logger")]
    assert missing == []
    for name in ("submit", "submission_states", "today", "add_column", "count_declarations"):
        ours = inspect.signature(getattr(HostImplementation, name)).parameters
        public = inspect.signature(getattr(plugin_api.HostApi, name)).parameters
        assert list(ours) == list(public), name


def test_the_example_uses_every_member_of_the_public_api():
    tree = ast.parse(Path(example.__file__).read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute))
            and (getattr(node.value, "id", None) == "api" or getattr(node.value, "attr", None) == "api")}
    assert _protocol_members() - used == set()
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "desktop.plugin_api" for alias in node.names}
    assert {"ColumnSpec", "DeclarationFilter", "MarkFilter", "HostServiceUnavailable", "SubmissionState",
            "SubmissionEntry", "HostApi"} <= imported


def test_public_states_compare_as_their_strings():
    assert plugin_api.SubmissionState.FAILED == "failed"
    assert [s.value for s in plugin_api.SubmissionState] == ["pending", "sending", "sent", "failed"]
    assert plugin_api.entry_state({"state": "sent"}) is plugin_api.SubmissionState.SENT
    assert plugin_api.entry_state({"state": "acked"}) is None and plugin_api.entry_state(None) is None


@pytest.fixture
def ctx(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")]) as c:
        c.declaration_store.insert_many(iter_declarations(count=30))
        c.main_window.list_view.refresh()
        yield c


def _plugin(ctx):
    return ctx.plugin_host.records["example"].instance


def _select(ctx, qtbot, row: int) -> str:
    view = ctx.main_window.list_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 30, timeout=10000)
    number = view.model.number_at(row)
    view.select_number(number)
    return number


def test_pin_marks_filters_and_unpins(ctx, qtbot):
    plugin, view = _plugin(ctx), ctx.main_window.list_view
    first = _select(ctx, qtbot, 1)
    plugin.toggle_pin()
    second = _select(ctx, qtbot, 4)
    plugin.toggle_pin()
    assert ctx.declaration_store.marks("example", [first, second]) == {first: "pinned", second: "pinned"}
    col = [c.key for c in view.model.columns()].index("example.age")
    qtbot.waitUntil(lambda: view.model.index(view.model.row_of_number(first), col).data().startswith("📌"),
                    timeout=5000)
    plugin.show_pinned()
    assert view.filter().title == "Tờ khai đã ghim"
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert plugin.unpin_all() == 2
    assert ctx.declaration_store.marks("example", [first, second]) == {}
    plugin.show_pinned()
    assert ctx.status_bar.currentMessage() == "Chưa ghim tờ khai nào."


def test_a_note_without_an_outbox_says_sending_is_unavailable(ctx):
    assert _plugin(ctx).send_note() is None
    assert ctx.status_bar.currentMessage().startswith("Chức năng gửi không khả dụng")


def test_a_note_is_followed_to_its_refusal(ctx, tmp_path):
    from desktop.hostapi import submission_entries
    from desktop.core.outbox import Outbox

    outbox = Outbox(tmp_path / "outbox.db")
    ctx.outbox = outbox
    plugin = _plugin(ctx)
    sid = plugin.send_note()
    assert sid is not None and plugin.notes[sid] == plugin_api.SubmissionState.PENDING
    assert ctx.status_bar.currentMessage() == "Đã xếp ghi chú thử vào hàng đợi gửi."
    outbox.claim("test")
    outbox.fail("test", sid, 422, "unknown_kind", "no such kind")  # what the engine does with a refusal
    entries = submission_entries(ctx, [sid])
    assert entries[sid]["state"] is plugin_api.SubmissionState.FAILED and entries[sid]["origin"] == "local"
    ctx.events.submissions_changed.emit(entries)
    assert plugin.notes[sid] is plugin_api.SubmissionState.FAILED
    assert ctx.status_bar.currentMessage().startswith("Ghi chú thử bị từ chối: ")
    outbox.close()


def test_a_failed_task_is_told_in_a_box_over_the_window(ctx, qtbot):
    _plugin(ctx).show_error(RuntimeError("boom"))
    box = ctx.main_window.findChild(QMessageBox, "example.error")
    assert box is not None and box.isVisible() and "boom" in box.text()
    box.close()


def test_today_is_the_demo_worlds_on_demo_data(qapp, tmp_path, monkeypatch):
    import desktop.demo as demo
    from domain.demo import DEMO_END

    monkeypatch.setattr(demo.DemoServer, "available", staticmethod(lambda: False))
    monkeypatch.setattr(demo.ensure_demo_database, "__defaults__", (20,))
    with app_context(argv=["--data-dir", str(tmp_path / "d"), "--demo"]) as c:
        api = c.plugin_host.records["example"].api
        assert api.today() == DEMO_END.date() == c.today()
