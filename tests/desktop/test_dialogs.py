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


# ---- the first start: server address, then sign-in -------------------------------------------

@pytest.fixture
def feedback_server(tmp_path):
    from server.embedded import start_server

    with start_server(f"sqlite:///{tmp_path / 'server.db'}", seed_demo=True) as srv:
        yield srv


def test_settings_dialog_focuses_a_missing_server_address(ctx, qtbot):
    dlg = SettingsDialog(ctx, ctx.main_window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.focusWidget() is dlg.server_url  # where the typing goes once the dialog is active
    assert "ngay" in dlg.server_note.text()  # "takes effect at once"


def test_first_start_guides_to_the_server_address_then_sign_in(qtbot, tmp_path, feedback_server, monkeypatch):
    from desktop.app import create_context
    from desktop.dialogs.settings import SettingsResult, WelcomeBar
    from desktop.sync.widgets import SignInDialog
    from domain.demo import DEMO_ENTERPRISE

    monkeypatch.setattr(SettingsDialog, "ask", classmethod(
        lambda cls, c, parent=None: SettingsResult(language="vi", server_url=feedback_server.url)))
    asked = []

    def fake_sign_in(cls, parent, **kwargs):
        asked.append(kwargs)
        return DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password, False

    monkeypatch.setattr(SignInDialog, "ask", classmethod(fake_sign_in))
    ctx = create_context(["--data-dir", str(tmp_path / "d")], services=True, plugins=False)
    try:
        ctx.show()
        bar = ctx.main_window.findChild(WelcomeBar)
        assert bar is not None and bar.isVisible()  # not only a status-bar line: a clear prompt
        assert "địa chỉ máy chủ" in bar.text.text() and "đăng nhập" in bar.text.text()
        assert bar.settings_button.isEnabled() and not bar.sign_in_button.isEnabled()
        assert ctx.sync.service is None

        qtbot.mouseClick(bar.settings_button, Qt.MouseButton.LeftButton)
        # the address takes effect now, without a restart: the sender starts and asks to sign in
        assert ctx.sync.service is not None and ctx.sync.server_url == feedback_server.url
        assert ctx.settings.server_url() == feedback_server.url
        assert "khởi động lại" not in ctx.status_bar.currentMessage()
        assert bar.sign_in_button.isEnabled()
        qtbot.waitUntil(lambda: ctx.sync.session.signed_in, timeout=20000)
        assert len(asked) == 1
        assert "hàng đợi" not in asked[0]["message"]  # nothing is queued: no "send the queued items"
        assert "mã số thuế" in asked[0]["message"]
        qtbot.waitUntil(lambda: not bar.isVisible(), timeout=5000)
    finally:
        ctx.shutdown()
        ctx.main_window.close()
        ctx.main_window.deleteLater()


def _sync_ctx(tmp_path, url, qtbot):
    from tests.sync.test_ui import make_ctx

    return make_ctx(tmp_path, url, qtbot)


def test_sign_in_prompt_speaks_of_queued_items_only_when_there_are_some(qtbot, tmp_path, monkeypatch):
    from desktop.sync import integration
    from desktop.sync.widgets import SignInDialog
    from tests.sync.support import reflection_payloads

    asked = []
    monkeypatch.setattr(SignInDialog, "ask", classmethod(lambda cls, parent, **kw: asked.append(kw)))
    ctx = _sync_ctx(tmp_path, None, qtbot)
    integ = integration.install(ctx)
    try:
        integ.service = object()  # as if a server address were set (ask_sign_in needs one)
        integ._on_sign_in_needed()
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=3000)
        assert "waiting" not in asked[0]["message"] and "again" not in asked[0]["message"]
        assert "tax code" in asked[0]["message"]
        for p in reflection_payloads(2):
            ctx.outbox.submit("reflection", p, source="satisfaction")
        integ._on_sign_in_needed()
        qtbot.waitUntil(lambda: len(asked) == 2, timeout=3000)
        assert "2 item" in asked[1]["message"] and "again" in asked[1]["message"]
        assert "2 item" in ctx.status_bar.currentMessage()
    finally:
        integ.service = None
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_a_wrong_password_keeps_the_tax_code_and_says_the_password_was_wrong(qtbot, tmp_path, feedback_server,
                                                                            monkeypatch):
    from desktop.sync import integration
    from desktop.sync.widgets import SignInDialog
    from domain.demo import DEMO_ENTERPRISE

    tax_code = DEMO_ENTERPRISE.tax_code
    answers = [(tax_code, "not-the-password", False), (tax_code, DEMO_ENTERPRISE.password, False)]
    asked = []

    def fake_ask(cls, parent, **kwargs):
        asked.append(kwargs)
        return answers.pop(0) if answers else None

    monkeypatch.setattr(SignInDialog, "ask", classmethod(fake_ask))
    ctx = _sync_ctx(tmp_path, feedback_server.url, qtbot)
    integ = integration.install(ctx)
    try:
        qtbot.waitUntil(lambda: integ.session.signed_in, timeout=20000)
        assert len(asked) == 2
        assert asked[0]["username"] == ""  # first sign-in: nothing known yet
        assert asked[1]["username"] == tax_code  # kept after the wrong password
        assert "password is wrong" in asked[1]["message"] and tax_code in asked[1]["message"]
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_sign_in_dialog_with_a_known_tax_code_asks_for_the_password(qtbot):
    from desktop.sync.widgets import SignInDialog

    dlg = SignInDialog(None, username="0101234567", message="x")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.username.text() == "0101234567" and dlg.password.text() == ""
    qtbot.waitUntil(lambda: dlg.focusWidget() is dlg.password, timeout=2000)
