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
