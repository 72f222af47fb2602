"""Enterprise information plugin in the real program: menu, form, outbox, reminder, server."""
from __future__ import annotations

import uuid

import pytest
import requests
from PySide6.QtCore import Qt

from desktop.i18n import LANGUAGES, Catalogue, ROOT, check
from domain.demo import DEMO_ENTERPRISE
from plugins.business_info.core import build_payload

from tests.desktop.shell_helpers import app_context
from .test_core import GOOD


@pytest.fixture
def ctx(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")], services=True) as c:
        yield c


def open_form(ctx):
    action = next(a for a in ctx.menus["other"].actions() if a.objectName() == "business_info.open")
    assert action.text() == "Cung cấp thông tin doanh nghiệp"
    action.trigger()
    plugin = ctx.plugin_host.records["business_info"].instance
    assert plugin.dialog is not None and plugin.dialog.isVisible()
    return plugin, plugin.dialog


def test_loaded_and_in_other_operations(ctx):
    rec = ctx.plugin_host.records["business_info"]
    assert rec.state == "loaded" and rec.version == "1.0.0"


def test_invalid_form_shows_clear_errors_and_keeps_everything(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    dlg.set_values(dict(GOOD, phone="0212", tax_code="0200123458"))
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    assert dlg.errors.isVisible()
    text = dlg.errors.text()
    assert "Mã số thuế không hợp lệ" in text and "Số điện thoại không hợp lệ" in text
    assert dlg.edits["phone"].property("invalid") is True
    assert dlg.values()["name"] == GOOD["name"]  # nothing typed is lost
    assert plugin.state.last_sent() is None


def test_send_goes_to_the_outbox_and_is_remembered(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    dlg.set_values(GOOD)
    dlg.send()
    assert plugin.dialog is None
    last = plugin.state.last_sent()
    assert last is not None and last["payload"]["phone"] == "0912345678"
    states = ctx.outbox.states([last["id"]])
    assert states[last["id"]]["kind"] == "business_info"
    assert states[last["id"]]["state"] in ("pending", "sending")  # no server in this run
    # reopening pre-fills from what was sent and says when
    plugin, dlg = open_form(ctx)
    assert dlg.values()["tax_code"] == GOOD["tax_code"] and dlg.values()["reason"] == "periodic"
    assert "Cung cấp lần gần nhất" in dlg.last_sent.text()


def test_draft_survives_closing(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    dlg.edits["name"].setText("Công ty đang nhập dở")
    dlg.close()
    assert plugin.dialog is None
    assert plugin.state.draft()["name"] == "Công ty đang nhập dở"
    plugin, dlg = open_form(ctx)
    assert dlg.values()["name"] == "Công ty đang nhập dở"


def test_startup_reminder_when_never_provided(ctx):
    plugin = ctx.plugin_host.records["business_info"].instance
    ctx.status_bar.clearMessage()
    plugin.remind()
    assert "Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp" in ctx.status_bar.currentMessage()
    plugin.state.record_sent("x", build_payload(GOOD).payload)
    ctx.status_bar.clearMessage()
    plugin.remind()
    assert ctx.status_bar.currentMessage() == ""


def test_translations_complete_and_built():
    cat = Catalogue("business_info", (ROOT / "plugins" / "business_info",), ROOT / "plugins" / "business_info" / "i18n")
    assert LANGUAGES == ("vi", "en")
    assert check(cat) == []


def test_a_real_server_accepts_the_payload(tmp_path):
    from server.embedded import start_server

    with start_server(f"sqlite:///{tmp_path / 'server.db'}", seed_demo=True) as srv:
        r = requests.post(f"{srv.url}/api/v1/auth/login", json={"username": DEMO_ENTERPRISE.tax_code,
                                                                "password": DEMO_ENTERPRISE.password}, timeout=10)
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        item = {"id": str(uuid.uuid4()), "kind": "business_info", "schema": 1,
                "created_at": "2026-11-20T10:00:00+07:00", "payload": build_payload(GOOD).payload}
        r = requests.post(f"{srv.url}/api/v1/submissions/batch", json={"items": [item]}, headers=headers, timeout=20)
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["status"] == "accepted", r.json()
