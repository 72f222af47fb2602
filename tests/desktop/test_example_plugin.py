"""The bundled example plugin, loaded through the real loader and HostApi."""
from __future__ import annotations

from datetime import date

import pytest

from domain.demo import DEMO_END, iter_declarations
from plugins.example.plugin import age_text, days_since

from .shell_helpers import app_context


def test_days_since():
    assert days_since("2026-11-10T09:00:00+07:00", date(2026, 11, 20)) == 10
    assert days_since(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert days_since(None, date(2026, 1, 1)) is None
    assert days_since("not a date", date(2026, 1, 1)) is None
    assert age_text({"registered_at": "2026-11-19"}, date(2026, 11, 20)) == "1"
    assert age_text({}, date(2026, 11, 20)) == ""


@pytest.fixture
def ctx(qapp, tmp_path):
    data = tmp_path / "d"
    with app_context(argv=["--data-dir", str(data)]) as c:
        c.declaration_store.insert_many(iter_declarations(count=30))
        c.main_window.list_view.refresh()
        yield c


def wait_for_rows(qtbot, view, n):
    qtbot.waitUntil(lambda: view.model.rowCount() == n, timeout=10000)


def test_loaded_with_action_column_and_setting(ctx):
    rec = ctx.plugin_host.records["example"]
    assert rec.state == "loaded" and rec.version == "1.0.0"
    action = next(a for a in ctx.menus["other"].actions() if a.objectName() == "example.describe")
    assert action.text() == "Ví dụ: tờ khai đang chọn"
    assert action.shortcut().toString() == "Ctrl+Alt+E"
    keys = [c.key for c in ctx.main_window.list_view.model.columns()]
    assert "example.age" in keys
    assert rec.api.settings.get("runs") == 1


def test_runs_counter_persists(qapp, tmp_path):
    for expected in (1, 2):
        with app_context(argv=["--data-dir", str(tmp_path / "d")]) as c:
            assert c.plugin_host.records["example"].api.settings.get("runs") == expected


def test_column_shows_days_since_registration(ctx, qtbot):
    view = ctx.main_window.list_view
    wait_for_rows(qtbot, view, 30)
    col = [c.key for c in view.model.columns()].index("example.age")
    number = view.model.number_at(0)
    decl = ctx.declaration_store.get(number)
    expected = (date.today() - date.fromisoformat(decl["registered_at"][:10])).days
    assert view.model.index(0, col).data() == str(expected)


def test_action_runs_a_background_task_and_reports(ctx, qtbot):
    view = ctx.main_window.list_view
    wait_for_rows(qtbot, view, 30)
    view.select_number(view.model.number_at(2))
    number = ctx.plugin_host.records["example"].api.current_declaration()
    assert number == view.model.number_at(2)
    plugin = ctx.plugin_host.records["example"].instance
    next(a for a in ctx.menus["other"].actions() if a.objectName() == "example.describe").trigger()
    qtbot.waitUntil(lambda: plugin.last_summary != "", timeout=5000)
    assert number in ctx.status_bar.currentMessage()
    assert "ngày" in ctx.status_bar.currentMessage()
    assert plugin.api.settings.get("last_declaration") == number


def test_action_without_selection_says_so(ctx):
    ctx.main_window.list_view.table.setCurrentIndex(ctx.main_window.list_view.model.index(-1, -1))
    next(a for a in ctx.menus["other"].actions() if a.objectName() == "example.describe").trigger()
    assert ctx.status_bar.currentMessage() == "Hãy chọn một tờ khai trước."


def test_demo_reference_date(qapp, tmp_path, monkeypatch):
    import desktop.demo as demo
    monkeypatch.setattr(demo.DemoServer, "available", staticmethod(lambda: False))
    monkeypatch.setattr(demo.ensure_demo_database, "__defaults__", (20,))
    with app_context(argv=["--data-dir", str(tmp_path / "d"), "--demo"]) as c:
        assert c.plugin_host.records["example"].instance.today == DEMO_END.date()


def test_teardown_disconnects(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")]) as c:
        rec = c.plugin_host.records["example"]
    assert rec.state == "stopped" and rec.errors == []
