"""Start-up, the service seam, menus, language, window state and shutdown order."""
from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import Qt

from desktop.app import AppContext, create_context

from .shell_helpers import app_context, plugin_dir

MENU_TITLES_VI = ["&Hệ thống", "Tờ khai &xuất khẩu", "Tờ khai &nhập khẩu", "Nghiệp vụ &khác", "&Trợ giúp"]
MENU_TITLES_EN = ["&System", "&Export declarations", "&Import declarations", "&Other operations", "&Help"]


def titles(ctx):
    return [ctx.menus[k].title() for k in ("system", "export", "import", "other", "help")]


def test_vietnamese_by_default_with_declaration_software_menus(qapp):
    with app_context(bundled=False) as ctx:
        assert ctx.language == "vi"
        assert titles(ctx) == MENU_TITLES_VI
        bar_titles = [a.text() for a in ctx.main_window.menuBar().actions()]
        assert bar_titles == MENU_TITLES_VI
        help_items = [a.text() for a in ctx.menus["help"].actions() if a.text()]
        assert help_items == ["&Giới thiệu", "&Danh sách tiện ích…", "&Mở thư mục nhật ký"]
        system = [a.text() for a in ctx.menus["system"].actions() if a.text()]
        assert system[:3] == ["Đăng &nhập…", "Đăng &xuất", "&Thiết lập…"]
        assert "T&hoát" in system and "Ngôn n&gữ" in system
        assert ctx.menus["other"].title() == "Nghiệp vụ &khác"
        assert isinstance(ctx, AppContext) and ctx.status_bar is ctx.main_window.statusBar()


def test_lang_option_english_and_saved(qapp, tmp_path):
    data = tmp_path / "d"
    with app_context(argv=["--data-dir", str(data), "--lang", "en"], bundled=False) as ctx:
        assert titles(ctx) == MENU_TITLES_EN
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        assert ctx.language == "en"  # remembered


def test_language_menu_switches_and_is_saved(qapp, tmp_path):
    data = tmp_path / "d"
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        ctx.actions["language_en"].trigger()
        assert titles(ctx) == MENU_TITLES_EN
        assert ctx.actions["language_en"].isChecked() and not ctx.actions["language_vi"].isChecked()
        assert "restart" in ctx.status_bar.currentMessage()
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        assert ctx.language == "en"


def test_window_geometry_and_list_state_are_remembered(qapp, tmp_path, monkeypatch):
    from desktop.main_window import MainWindow

    data = tmp_path / "d"
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        ctx.show()
        qapp.processEvents()
        ctx.main_window.showMaximized()
        qapp.processEvents()
        saved = bytes(ctx.main_window.saveGeometry().data())
        table = ctx.main_window.list_view.table
        table.setColumnWidth(1, 173)
    restored = []
    original = MainWindow.restoreGeometry
    monkeypatch.setattr(MainWindow, "restoreGeometry",
                        lambda self, g: restored.append(bytes(g.data())) or original(self, g))
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        stored = bytes(ctx.settings.bytes("window/geometry").data())
        assert restored == [stored] and len(stored) == len(saved)  # what was saved at close
        assert ctx.main_window.isMaximized() or ctx.main_window.windowState() & Qt.WindowState.WindowMaximized
        assert ctx.main_window.list_view.table.columnWidth(1) == 173


@pytest.fixture
def fake_services(monkeypatch):
    """Install fake service modules for the two seams."""
    calls = []

    def make(name, install):
        mod = types.ModuleType(name)
        mod.install = install
        monkeypatch.setitem(sys.modules, name, mod)

    return calls, make


def test_services_are_installed_in_order_with_the_context(qapp, fake_services):
    calls, make = fake_services

    def sync_install(ctx):
        calls.append(("sync", ctx.outbox, sorted(ctx.menus)))
        ctx.outbox = "OUTBOX"
        ctx.shutdown_hooks.append(lambda: calls.append("sync-hook"))

    def updates_install(ctx):
        calls.append(("updates", ctx.outbox))
        ctx.updates = "UPDATES"
        ctx.shutdown_hooks.append(lambda: calls.append("updates-hook"))

    make("desktop.sync.integration", sync_install)
    make("desktop.updates.integration", updates_install)
    with app_context(services=True, bundled=False) as ctx:
        assert calls[0] == ("sync", None, ["export", "help", "import", "other", "system"])
        assert calls[1] == ("updates", "OUTBOX")
        assert ctx.updates == "UPDATES"
        assert {k: v.state for k, v in ctx.services.items()} == {
            "desktop.sync.integration": "installed", "desktop.updates.integration": "installed"}
    # hooks run in reverse order of registration
    assert calls[2:] == ["updates-hook", "sync-hook"]


def test_a_failing_service_is_not_fatal(qapp, fake_services):
    calls, make = fake_services

    def broken(ctx):
        raise RuntimeError("sync could not start")

    make("desktop.sync.integration", broken)
    make("desktop.updates.integration", lambda ctx: calls.append("updates"))
    with app_context(services=True, bundled=False) as ctx:
        status = ctx.services["desktop.sync.integration"]
        assert status.state == "failed" and "sync could not start" in status.error
        assert calls == ["updates"]  # the next service still ran
        assert [s for s in ctx.services.values() if s.state == "failed"] == [status]
        assert ctx.main_window is not None


def test_missing_service_is_skipped(qapp, monkeypatch):
    monkeypatch.setitem(sys.modules, "desktop.sync.integration", None)  # import raises ImportError
    monkeypatch.setitem(sys.modules, "desktop.updates.integration", None)
    with app_context(services=True, bundled=False) as ctx:
        assert {s.state for s in ctx.services.values()} == {"absent"}


def test_shutdown_runs_teardowns_before_hooks(qapp, tmp_path):
    order = []
    folder = plugin_dir(tmp_path, "off_by_default")
    with app_context(argv=["--data-dir", str(tmp_path / "d")], extra_dirs=[folder], bundled=False) as ctx:
        ctx.settings.set_plugin_enabled("off_by_default", True)
    with app_context(argv=["--data-dir", str(tmp_path / "d")], extra_dirs=[folder], bundled=False) as ctx:
        rec = ctx.plugin_host.records["off_by_default"]
        rec.instance.teardown = lambda: order.append("teardown")
        ctx.events.shutting_down.connect(lambda: order.append("event"))
        ctx.shutdown_hooks.append(lambda: order.append("hook1"))
        ctx.shutdown_hooks.append(lambda: order.append("hook2"))
    assert order == ["event", "teardown", "hook2", "hook1"]


def test_help_actions_use_ask(qapp, monkeypatch, tmp_path):
    from desktop.dialogs.about import AboutDialog
    from desktop.dialogs.plugins import PluginsDialog
    from desktop.dialogs.settings import SettingsDialog, SettingsResult

    seen = []
    monkeypatch.setattr(AboutDialog, "ask", classmethod(lambda cls, ctx, parent=None: seen.append("about")))
    monkeypatch.setattr(PluginsDialog, "ask", classmethod(lambda cls, ctx, parent=None: seen.append("plugins")))
    monkeypatch.setattr(SettingsDialog, "ask", classmethod(
        lambda cls, ctx, parent=None: SettingsResult(language="en", server_url="https://hq.example.vn")))
    opened = []
    monkeypatch.setattr("desktop.app.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    with app_context(argv=["--data-dir", str(tmp_path / "d")], bundled=False) as ctx:
        ctx.actions["about"].trigger()
        ctx.actions["plugins"].trigger()
        ctx.actions["open_logs"].trigger()
        assert seen == ["about", "plugins"]
        assert opened == [str(ctx.paths.log_dir)]
        ctx.actions["settings"].trigger()
        assert ctx.language == "en" and ctx.settings.server_url() == "https://hq.example.vn"


def test_export_import_menus_filter_the_list(qapp):
    with app_context(bundled=False) as ctx:
        ctx.actions["export_list"].trigger()
        assert ctx.main_window.list_view.filter().direction == "E"
        ctx.actions["import_list"].trigger()
        assert ctx.main_window.list_view.filter().direction == "I"
        ctx.actions["import_all"].trigger()
        assert ctx.main_window.list_view.filter().direction is None


def test_a_broken_store_shows_a_message_instead_of_the_list(qapp, tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "declarations.db").write_bytes(b"this is not a database" * 100)
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        assert ctx.declaration_store is None and ctx.store_error
        assert type(ctx.main_window.list_view).__name__ == "PlaceholderList"
        assert "Danh sách tờ khai không khả dụng" in ctx.main_window.list_view.label.text()
    assert (data / "declarations.db").read_bytes().startswith(b"this is not")  # data kept


def test_demo_uses_its_own_folder(qapp, tmp_path, monkeypatch):
    import desktop.demo as demo

    monkeypatch.setattr(demo.DemoServer, "available", staticmethod(lambda: False))
    monkeypatch.setattr(demo, "DEMO_COUNT", 40)
    monkeypatch.setattr(demo.ensure_demo_database, "__defaults__", (40,))
    data = tmp_path / "d"
    with app_context(argv=["--data-dir", str(data), "--demo"], bundled=False) as ctx:
        assert ctx.demo and ctx.paths.data_dir == (data / "demo").resolve()
        assert ctx.declaration_store.count() == 40
        from domain.demo import DEMO_ENTERPRISE
        assert ctx.demo_credentials == (DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password)
        from desktop import credentials
        assert credentials.get_password(ctx.demo_credentials[0]) == ctx.demo_credentials[1]
    assert not (data / "declarations.db").exists()
    assert not (data / "config").exists()


def test_deferred_start_completes_services_and_plugins(qapp, tmp_path, fake_services):
    calls, make = fake_services
    make("desktop.sync.integration", lambda ctx: calls.append(("sync", ctx.declaration_store is not None)))
    make("desktop.updates.integration", lambda ctx: calls.append("updates"))
    folder = plugin_dir(tmp_path, "faulty_callbacks")
    ctx = create_context(["--data-dir", str(tmp_path / "d")], deferred=True,
                         plugin_host_kwargs={"extra_dirs": [folder], "bundled_dir": None, "entry_points": False})
    try:
        assert ctx.plugin_host is None and calls == [] and not ctx.startup_complete
        ctx.show()
        qapp.processEvents()
        ctx.complete_startup()
        assert calls == [("sync", True), "updates"] and ctx.startup_complete
        rec = ctx.plugin_host.records["faulty_callbacks"]
        assert rec.state == "loaded"
        assert rec.errors and rec.errors[-1].where == "startup prompt"  # prompts ran after loading
        ctx.complete_startup()  # a second call does nothing
        assert len(calls) == 2
    finally:
        ctx.shutdown()
        ctx.main_window.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_main_window_fits_a_small_laptop_screen(qapp, tmp_path, lang):
    """Declarants often work on 1366×768 laptops: the window must fit (1280×800 screenshots too)."""
    with app_context(argv=["--data-dir", str(tmp_path / "d"), "--lang", lang], bundled=False) as ctx:
        hint = ctx.main_window.minimumSizeHint()
        assert hint.width() <= 1280, f"minimum width {hint.width()} px (the filter bar: " \
            f"{ctx.main_window.list_view.filter_bar.minimumSizeHint().width()} px)"
        assert hint.height() <= 700


def test_an_empty_store_gets_a_hint(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")], bundled=False) as ctx:
        ctx.show()
        qapp.processEvents()
        assert "--demo" in ctx.status_bar.currentMessage()


def test_first_start_fits_the_screen_and_the_title_names_the_program_once(qapp, tmp_path):
    from desktop import __version__

    with app_context(argv=["--data-dir", str(tmp_path / "d"), "--demo"]) as ctx:
        win = ctx.main_window
        free = win.screen().availableGeometry()
        assert win.width() <= free.width() and win.height() + 40 <= free.height()
        assert free.contains(win.geometry().topLeft())
        title = win.windowTitle()
        assert title == f"Dữ liệu trình diễn — Declarant Desk {__version__}"
        # Qt appends the display name to titles that do not end with it: this one does
        assert title.endswith(qapp.applicationDisplayName())
