"""A live language switch: menu actions added by services and plugins, Qt's standard buttons."""
from __future__ import annotations

from desktop.updates import integration as updates_integration
from tests.desktop.shell_helpers import app_context


def _action(ctx, name):
    for menu in ctx.menus.values():
        for action in menu.actions():
            if action.objectName() == name:
                return action
    raise AssertionError(f"no action {name}")


def test_plugin_and_update_menu_actions_follow_a_language_switch(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")], enable=("business_info",)) as ctx:
        service = updates_integration.install(ctx, start=False)
        try:
            info, updates = _action(ctx, "business_info.open"), _action(ctx, "action_check_updates")
            assert (info.text(), updates.text()) == ("Cung cấp thông tin doanh nghiệp", "Kiểm tra cập nhật…")
            ctx.set_language("en")
            assert (info.text(), updates.text()) == ("Provide enterprise information", "Check for updates…")
            ctx.set_language("vi")
            assert (info.text(), updates.text()) == ("Cung cấp thông tin doanh nghiệp", "Kiểm tra cập nhật…")
        finally:
            service.shutdown()


def test_standard_dialog_buttons_are_vietnamese(qapp):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from desktop import i18n

    def texts(lang):
        translators = i18n.install(lang)
        try:
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Close)
            message = QMessageBox(QMessageBox.Icon.Question, "t", "q",
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            out = [box.button(b).text() for b in (QDialogButtonBox.StandardButton.Ok,
                                                   QDialogButtonBox.StandardButton.Cancel,
                                                   QDialogButtonBox.StandardButton.Close)]
            out += [message.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Yes,
                                                                        QMessageBox.StandardButton.No)]
            box.deleteLater()
            message.deleteLater()
            return out
        finally:
            for tr in translators:
                QCoreApplication.removeTranslator(tr)

    assert texts("vi") == ["Đồng ý", "Hủy", "Đóng", "Có", "Không"]
    assert texts("en") == ["OK", "Cancel", "Close", "Yes", "No"]
