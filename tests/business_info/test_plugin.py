"""Enterprise information plugin in the real program: requests announced and listed, the
form in sections with repeatable rows, pre-filled from the last version, record → confirm
(changes highlighted) → send through the outbox, drafts kept."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.i18n import LANGUAGES, Catalogue, ROOT, check
from plugins.business_info.core import build_payload

from tests.desktop.shell_helpers import app_context
from .test_core import good_values

REQUESTS = [
    {"id": "11111111-1111-4111-8111-111111111111", "kind": "periodic", "plan_title": "Thu thập định kỳ 2026",
     "due_date": "2020-01-31", "state": "pending", "created_at": "2020-01-01T08:00:00+07:00"},
    {"id": "22222222-2222-4222-8222-222222222222", "kind": "ad_hoc", "reason": "Kiểm tra sau thông quan",
     "due_date": "2099-12-31", "state": "pending", "created_at": "2026-01-01T08:00:00+07:00"},
    {"id": "33333333-3333-4333-8333-333333333333", "kind": "first_time", "office_code": "03CE",
     "due_date": None, "state": "fulfilled", "created_at": "2025-01-01T08:00:00+07:00"},
]


@pytest.fixture
def ctx(qapp, tmp_path):
    with app_context(argv=["--data-dir", str(tmp_path / "d")], services=True) as c:
        yield c


def plugin_of(ctx):
    return ctx.plugin_host.records["business_info"].instance


def with_requests(ctx, requests=REQUESTS):
    plugin = plugin_of(ctx)
    plugin.api.info_requests = lambda: [dict(r) for r in requests]
    return plugin


def open_form(ctx):
    action = next(a for a in ctx.menus["other"].actions() if a.objectName() == "business_info.open")
    assert action.text().startswith("Cung cấp thông tin doanh nghiệp")
    action.trigger()
    plugin = plugin_of(ctx)
    assert plugin.dialog is not None and plugin.dialog.isVisible()
    return plugin, plugin.dialog


def test_loaded_and_in_other_operations(ctx):
    rec = ctx.plugin_host.records["business_info"]
    assert rec.state == "loaded" and rec.version == "2.0.0"


def test_pending_requests_are_announced_at_start_up_with_their_due_date(ctx):
    plugin = with_requests(ctx)
    ctx.status_bar.clearMessage()
    plugin.remind()
    text = ctx.status_bar.currentMessage()
    assert "31/01/2020" in text and "quá hạn" in text, text
    assert "Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp" in text
    assert "(2 yêu cầu)" in plugin.action.text()
    # nothing pending: nothing announced
    with_requests(ctx, [REQUESTS[2]])
    ctx.status_bar.clearMessage()
    plugin.remind()
    assert ctx.status_bar.currentMessage() == ""


def test_a_request_arriving_later_is_announced_once(ctx):
    plugin = with_requests(ctx, [])
    plugin.remind()
    with_requests(ctx, [REQUESTS[1]])
    ctx.status_bar.clearMessage()
    plugin.check_requests()
    assert "31/12/2099" in ctx.status_bar.currentMessage()
    ctx.status_bar.clearMessage()
    plugin.check_requests()
    assert ctx.status_bar.currentMessage() == ""


def test_requests_are_listed_and_overdue_marked(ctx):
    with_requests(ctx)
    plugin, dlg = open_form(ctx)
    table = dlg.request_table
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert rows[0][1] == "31/01/2020" and rows[0][2] == "quá hạn"
    assert table.item(0, 0).foreground().color().name() == "#b71c1c" and table.item(0, 0).font().bold()
    assert rows[1][2] == "cần trả lời" and rows[2][2] == "đã trả lời"
    # the most urgent request is the one answered by default
    assert dlg.values()["request_id"] == REQUESTS[0]["id"] and dlg.values()["reason"] == "periodic"


def test_invalid_form_shows_clear_errors_and_keeps_everything(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    v = good_values()
    v["identity"].update(email="abc@", phone="0225 384", representative="")
    v["bank_accounts"] = [{"bank": "Vietcombank", "number": "12", "currency": "VND"}]
    dlg.set_values(v)
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.errors.isVisible() and dlg.pages.currentIndex() == 0
    text = dlg.errors.text()
    assert "Thư điện tử (E-mail): không phải địa chỉ thư điện tử hợp lệ" in text, text
    assert "Người đại diện theo pháp luật: bắt buộc" in text
    assert "số cố định kèm mã vùng" in text
    assert "Tài khoản ngân hàng 1: Số tài khoản" in text
    assert dlg.edits["identity.email"].property("invalid") is True
    assert dlg.tabs.currentIndex() == 0
    assert dlg.values()["identity"]["name"] == v["identity"]["name"]  # nothing typed is lost
    assert plugin.state.last_sent() is None


def test_a_landline_is_accepted_for_the_company(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    dlg.set_values(good_values())
    dlg.record()
    assert not dlg.errors.isVisible() and dlg.pages.currentIndex() == 1
    assert plugin.recorded["identity"]["phone"] == "02253842123"


def test_repeatable_rows(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    sites = dlg.rows["sites"]
    qtbot.mouseClick(sites.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(sites.add_button, Qt.MouseButton.LeftButton)
    assert sites.table.rowCount() == 2
    for r, (kind, address) in enumerate((("warehouse", "Lô 5, KCN Đình Vũ"), ("production", "KCN Tràng Duệ"))):
        combo = sites.table.cellWidget(r, 0)
        combo.setCurrentIndex(combo.findData(kind))
        sites.table.item(r, 1).setText(address)
    qtbot.mouseClick(sites.add_button, Qt.MouseButton.LeftButton)  # an empty row is left out
    assert [s["address"] for s in dlg.values()["sites"]] == ["Lô 5, KCN Đình Vũ", "KCN Tràng Duệ"]
    sites.table.setCurrentCell(0, 1)
    qtbot.mouseClick(sites.remove_button, Qt.MouseButton.LeftButton)
    assert [s["address"] for s in dlg.values()["sites"]] == ["KCN Tràng Duệ"]
    lines = dlg.rows["business_lines"]
    qtbot.mouseClick(lines.add_button, Qt.MouseButton.LeftButton)
    combo = lines.table.cellWidget(0, 0)
    combo.setCurrentIndex(combo.findData("5210"))
    assert dlg.values()["business_lines"] == ["5210"]


def test_prefilled_from_the_last_version_and_changes_highlighted_before_sending(ctx, qtbot):
    plugin = with_requests(ctx)
    payload = build_payload(dict(good_values(), reason="changed")).payload
    plugin.state.record_sent("00000000-0000-4000-8000-000000000000", payload)
    plugin, dlg = open_form(ctx)
    values = dlg.values()
    assert values["identity"]["email"] == "xnk@hailong.vn"
    assert [s["address"] for s in values["sites"]] == ["Lô 5, KCN Đình Vũ"]
    assert dlg.rows["bank_accounts"].table.rowCount() == 1
    # the declarant updates two fields
    dlg.edits["identity.email"].setText("ketoan@hailong.vn")
    dlg.edits["contact.phone"].setText("0987 654 321")
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.pages.currentIndex() == 1
    assert dlg.changed_fields() == ["identity.email", "contact.phone"]
    table = dlg.changes_table
    assert [table.item(0, c).text() for c in range(3)] == [
        "Định danh › Thư điện tử (E-mail)", "xnk@hailong.vn", "ketoan@hailong.vn"]
    assert table.item(0, 2).background().color().name() == "#fff3b0" and table.item(0, 2).font().bold()
    # back to the form keeps everything, then send
    qtbot.mouseClick(dlg.findChild(type(dlg.send_button), "business_info.back"), Qt.MouseButton.LeftButton)
    assert dlg.pages.currentIndex() == 0 and dlg.values()["identity"]["email"] == "ketoan@hailong.vn"
    dlg.record()
    qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
    assert plugin.dialog is None
    last = plugin.state.last_sent()
    assert last["payload"]["identity"]["email"] == "ketoan@hailong.vn"
    assert last["payload"]["request_id"] == REQUESTS[0]["id"] and last["payload"]["workstation"]
    entry = ctx.outbox.states([last["id"]])[last["id"]]
    assert entry["kind"] == "business_info" and entry["state"] in ("pending", "sending")  # offline: queued
    # the request answered here is no longer announced
    assert [r["id"] for r in plugin.pending()] == [REQUESTS[1]["id"]]


def test_first_version_shows_everything_as_new(ctx, qtbot):
    plugin, dlg = open_form(ctx)
    dlg.set_values(good_values())
    dlg.record()
    assert "identity.tax_code" in dlg.changed_fields()
    assert dlg.changes_table.item(0, 1).text() == ""


def test_draft_survives_closing_and_a_crash_while_sending(ctx, qtbot, tmp_path):
    plugin, dlg = open_form(ctx)
    dlg.edits["identity.name"].setText("Công ty đang nhập dở")
    dlg.close()
    assert plugin.dialog is None
    assert plugin.state.draft()["identity"]["name"] == "Công ty đang nhập dở"
    plugin, dlg = open_form(ctx)
    assert dlg.values()["identity"]["name"] == "Công ty đang nhập dở"
    dlg.close()
    # the program stopped after noting the item and before the outbox took it: at the next
    # start the same item is handed over, once
    payload = build_payload(good_values()).payload
    item_id = plugin.state.begin_send(payload)
    plugin._resume_sending()
    plugin._resume_sending()
    assert plugin.state.sending() is None and plugin.state.last_sent()["id"] == item_id
    assert ctx.outbox.states([item_id])[item_id]["kind"] == "business_info"


def test_translations_complete_and_built():
    cat = Catalogue("business_info", (ROOT / "plugins" / "business_info",), ROOT / "plugins" / "business_info" / "i18n")
    assert LANGUAGES == ("vi", "en")
    assert check(cat) == []
