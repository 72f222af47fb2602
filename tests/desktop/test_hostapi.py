"""HostApi: what a plugin can do, each call going through the real host objects."""
from __future__ import annotations

import threading

import pytest

from desktop.hostapi import HOST_API_VERSION, HostApi, HostServiceUnavailable
from domain.demo import handling_for, iter_declarations

from .shell_helpers import app_context


@pytest.fixture
def ctx(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "data")], bundled=False) as c:
        decls = list(iter_declarations(count=60))
        c.declaration_store.insert_many(decls)
        c.test_decls = decls
        yield c


@pytest.fixture
def api(ctx):
    return HostApi(ctx, "tester")


def test_version_constant():
    assert HOST_API_VERSION == "1.3"


def test_menu_actions(api, ctx):
    calls = []
    action = api.add_menu_action("other", "Làm gì đó", lambda: calls.append(1), shortcut="Ctrl+Alt+T",
                                 object_name="tester.do")
    assert action in ctx.menus["other"].actions()
    assert action.shortcut().toString() == "Ctrl+Alt+T"
    action.trigger()
    assert calls == [1]
    for key in ("system", "export", "import", "help"):
        api.add_menu_action(key, key, lambda: None)
    with pytest.raises(ValueError):
        api.add_menu_action("nowhere", "x", lambda: None)


def test_other_menu_placeholder_hides_when_a_plugin_adds_an_action(api, ctx):
    win = ctx.main_window
    win._update_other_menu()
    assert win._empty_other.isVisible()
    api.add_menu_action("other", "X", lambda: None)
    win._update_other_menu()
    assert not win._empty_other.isVisible()


def test_declaration_reads(api, ctx):
    d = ctx.test_decls[5]
    got = api.declaration(d.number)
    assert got is not None and got["number"] == d.number and got["type_code"] == d.type_code
    assert api.declaration("999999999999") is None
    records = [{"kind": t.kind, "code": t.code, "name": t.name}
               for t in handling_for(d.number, d.office_code, d.channel, d.status)]
    ctx.declaration_store.set_handling(d.number, records)
    assert [(h["kind"], h["code"]) for h in api.handling(d.number)] == [(r["kind"], r["code"]) for r in records]


def test_count_and_show(api, ctx):
    from desktop.core.query import DeclarationFilter

    flt = DeclarationFilter(direction="I", title="Nhập khẩu")
    expected = sum(1 for d in ctx.test_decls if d.direction == "I")
    assert api.count_declarations(flt) == expected
    api.show_declarations(flt)
    assert ctx.main_window.list_view.filter() == flt


def test_marks(api, ctx):
    n1, n2 = ctx.test_decls[0].number, ctx.test_decls[1].number
    api.set_mark(n1, "sent")
    api.set_marks({n2: "queued"})
    assert api.marks([n1, n2, "000000000000"]) == {n1: "sent", n2: "queued"}
    other = HostApi(ctx, "someone_else")
    assert other.marks([n1]) == {}  # marks are per plugin
    api.set_mark(n1, None)
    assert api.marks([n1]) == {}


def test_submit_needs_an_outbox(api, ctx):
    with pytest.raises(HostServiceUnavailable):
        api.submit("assessment", {"x": 1})
    with pytest.raises(HostServiceUnavailable):
        api.submission_states(["a"])
    assert api.catalog() is None


def test_submit_delegates_to_the_outbox_with_the_plugin_id(api, ctx):
    class Outbox:
        def __init__(self):
            self.items = []

        def submit(self, kind, payload, *, schema=1, source=None, item_id=None):
            self.items.append((kind, payload, schema, source))
            return item_id or "uuid-1"

        def states(self, ids):
            return {i: {"state": "pending"} for i in ids}

    class Cache:
        def catalog(self):
            return {"version": "c-1"}

    ctx.outbox, ctx.cache = Outbox(), Cache()
    assert api.submit("reflection", {"a": 1}, schema=2) == "uuid-1"
    assert ctx.outbox.items == [("reflection", {"a": 1}, 2, "tester")]
    assert api.submission_states(["uuid-1"]) == {"uuid-1": {"state": "pending", "origin": "local"}}
    assert api.catalog() == {"version": "c-1"}


def test_submit_with_a_chosen_id_is_durable_and_idempotent(api, ctx, tmp_path):
    import uuid

    from desktop.core.outbox import Outbox

    ctx.outbox = Outbox(tmp_path / "outbox.db")
    chosen = str(uuid.uuid4())
    assert api.submit("reflection", {"content": "Chờ lâu"}, item_id=chosen) == chosen
    # the same id and body again (a retry after a crash) adds nothing
    assert api.submit("reflection", {"content": "Chờ lâu"}, item_id=chosen) == chosen
    states = api.submission_states([chosen])
    assert states[chosen]["source"] == "tester" and states[chosen]["state"] == "pending"
    assert ctx.outbox.counts().get("pending") == 1
    other = api.submit("reflection", {"content": "Khác"})
    assert other != chosen and str(uuid.UUID(other)) == other


def test_settings_are_namespaced(ctx):
    a, b = HostApi(ctx, "aaa"), HostApi(ctx, "bbb")
    a.settings.set("k", {"x": 1})
    assert a.settings.get("k") == {"x": 1} and b.settings.get("k") is None
    assert ctx.settings.get_json("plugins/aaa/k") == {"x": 1}


def test_data_dir_language_parent_status(api, ctx):
    d = api.data_dir()
    assert d.is_dir() and d.name == "tester" and d.is_relative_to(ctx.paths.data_dir)
    assert api.language() == "vi"
    assert api.parent_widget() is ctx.main_window
    api.status_message("Xin chào", 3000)
    assert ctx.status_bar.currentMessage() == "Xin chào"
    assert api.current_declaration() is None
    assert api.logger.name == "plugins.tester"


def test_run_in_background_delivers_on_the_ui_thread(api, ctx, qtbot):
    seen = {}
    number = ctx.test_decls[3].number

    def work(n):
        seen["worker"] = threading.current_thread()
        return api.declaration(n)["number"]  # store read from a worker: its own connection

    def done(result):
        seen["done"] = (threading.current_thread(), result)

    handle = api.run_in_background(work, number, on_done=done)
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["worker"] is not threading.main_thread()
    assert seen["done"] == (threading.main_thread(), number)
    assert handle.done and handle.result == number


def test_run_in_background_errors(api, qtbot):
    errors = []
    handle = api.run_in_background(lambda: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: handle.done, timeout=5000)
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)


def test_raising_on_done_is_contained(ctx, qtbot):
    reported = []
    api = HostApi(ctx, "tester", report_error=lambda pid, where, exc: reported.append((pid, where)))
    handle = api.run_in_background(lambda: 5, on_done=lambda r: [][r])
    qtbot.waitUntil(lambda: handle.done, timeout=5000)
    qtbot.waitUntil(lambda: bool(reported), timeout=2000)
    assert reported == [("tester", "background task result")]


def test_language_switch_emits_event(api, ctx, qtbot):
    with qtbot.waitSignal(api.events.language_changed, timeout=1000) as sig:
        ctx.set_language("en")
    assert sig.args == ["en"] and api.language() == "en"
    assert ctx.main_window.menus["help"].title() == "&Help"
    ctx.set_language("vi")
    assert ctx.main_window.menus["help"].title() == "&Trợ giúp"
    assert ctx.settings.language() == "vi"


def test_tr_uses_the_plugins_own_catalogue(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")]) as c:
        api = c.plugin_host.records["example"].api
        assert api.tr("Days since registration") == "Số ngày từ ngày đăng ký"
        assert api.tr("Not in any catalogue") == "Not in any catalogue"
        c.set_language("en")
        assert api.tr("Days since registration") == "Days since registration"


def test_a_raising_column_shows_empty_cells_and_is_reported_once(ctx, qtbot):
    from desktop.declarations.columns import ColumnSpec

    reported = []
    api = HostApi(ctx, "tester", report_error=lambda pid, where, exc: reported.append(where))
    api.add_column(ColumnSpec(key="tester.bad", header="Bad", value=lambda row: 1 / 0))
    view = ctx.main_window.list_view
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 60, timeout=10000)
    col = [c.key for c in view.model.columns()].index("tester.bad")
    texts = [view.model.index(r, col).data() for r in range(5)]
    assert texts == [""] * 5
    assert reported == ["column 'tester.bad' (value)"]


def test_mark_changes_refresh_a_view_filtered_on_marks(api, ctx, qtbot):
    from desktop.core.query import DeclarationFilter, MarkFilter

    view = ctx.main_window.list_view
    api.show_declarations(DeclarationFilter(mark=MarkFilter("tester", present=False), title="Chưa đánh dấu"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 60 and not view.model.busy, timeout=10000)
    first = view.model.number_at(0)
    api.set_mark(first, "done")
    qtbot.waitUntil(lambda: view.model.rowCount() == 59, timeout=10000)
    assert first not in {view.model.number_at(r) for r in range(view.model.rowCount())}
