"""Help → Plugins, Settings and About, built without exec() (no modal loop in tests)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.dialogs.about import AboutDialog
from desktop.dialogs.plugins import COL_ENABLED, COL_ERROR, COL_STATE, PluginsDialog
from desktop.dialogs.settings import SettingsDialog, validate_server_url

from .shell_helpers import app_context, plugin_dir


@pytest.fixture
def ctx(qapp, tmp_path):
    folder = plugin_dir(tmp_path, "raises_at_import", "faulty_callbacks", "off_by_default", "wrong_api")
    with app_context(argv=["--data-dir", str(tmp_path / "d")], extra_dirs=[folder], bundled=False) as c:
        yield c


def row_of(dlg, pid):
    return next(i for i, r in enumerate(dlg.records) if r.id == pid)


def test_plugins_dialog_lists_states_and_errors(ctx, qtbot):
    dlg = PluginsDialog(ctx, ctx.main_window)
    qtbot.addWidget(dlg)
    r = row_of(dlg, "raises_at_import")
    assert dlg.table.item(r, COL_STATE).text() == "lỗi"
    assert "broken on purpose at import" in dlg.table.item(r, COL_ERROR).text()
    assert dlg.table.item(row_of(dlg, "wrong_api"), COL_STATE).text() == "không tương thích"
    assert dlg.table.item(row_of(dlg, "off_by_default"), COL_STATE).text() == "đã tắt"
    dlg.table.setCurrentCell(r, 1)
    assert "RuntimeError" in dlg.details.toPlainText()  # the traceback is shown
    assert "lần khởi động" in dlg.note.text()  # "takes effect at next start"


def test_plugins_dialog_shows_runtime_errors(ctx, qtbot):
    next(a for a in ctx.menus["other"].actions() if a.objectName() == "faulty.action").trigger()
    dlg = PluginsDialog(ctx)
    qtbot.addWidget(dlg)
    r = row_of(dlg, "faulty_callbacks")
    assert dlg.table.item(r, COL_STATE).text() == "đang chạy"
    assert "menu callback failed on purpose" in dlg.table.item(r, COL_ERROR).text()


def test_plugins_dialog_toggles_take_effect_at_next_start(ctx, qtbot):
    dlg = PluginsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.table.item(row_of(dlg, "faulty_callbacks"), COL_ENABLED).setCheckState(Qt.CheckState.Unchecked)
    dlg.table.item(row_of(dlg, "off_by_default"), COL_ENABLED).setCheckState(Qt.CheckState.Checked)
    assert dlg.apply() == {"faulty_callbacks": False, "off_by_default": True}
    assert ctx.settings.disabled_plugins() == {"faulty_callbacks"}
    assert "off_by_default" in ctx.settings.enabled_plugins()
    # nothing changes in this run
    assert ctx.plugin_host.records["faulty_callbacks"].state == "loaded"
    assert "khởi động" in ctx.status_bar.currentMessage()


def test_plugins_dialog_shows_failed_services(ctx, qtbot):
    from desktop.app import ServiceStatus
    ctx.services["desktop.sync.integration"] = ServiceStatus("desktop.sync.integration", "failed", "OSError: disk full")
    dlg = PluginsDialog(ctx)
    qtbot.addWidget(dlg)
    from PySide6.QtWidgets import QLabel
    label = dlg.findChild(QLabel, "serviceProblems")
    assert label is not None and "disk full" in label.text()


def test_about_lists_versions_and_plugins(ctx, qtbot):
    import desktop
    dlg = AboutDialog(ctx)
    qtbot.addWidget(dlg)
    text = dlg.label.text()
    assert desktop.__version__ in text and "Phiên bản" in text
    assert "Lỗi trong hàm gọi lại" in text  # plugin names
    assert str(ctx.paths.log_dir) in text


@pytest.mark.parametrize("url, ok", [
    ("", True), ("https://hq.customs.gov.vn", True), ("http://127.0.0.1:8000", True),
    ("http://example.com", False), ("ftp://x", False), ("hq.customs.gov.vn", False), ("https://", False),
])
def test_server_url_validation(qapp, url, ok):
    assert (validate_server_url(url) is None) is ok


def test_settings_dialog_refuses_bad_url(ctx, qtbot):
    dlg = SettingsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.server_url.setText("http://far.away.example")
    assert dlg.try_accept() is False and not dlg.error.isHidden()
    dlg.server_url.setText("https://hq.example.vn")
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    assert dlg.try_accept() is True
    assert dlg.result_value().language == "en" and dlg.result_value().server_url == "https://hq.example.vn"


def test_settings_dialog_says_when_passwords_cannot_be_remembered(ctx, qtbot):
    import keyring
    from keyring.backends import fail
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dlg = SettingsDialog(ctx)
        qtbot.addWidget(dlg)
        assert "không được ghi nhớ" in dlg.credential_note.text()
    finally:
        keyring.set_keyring(previous)
