"""End to end, the demo: the program with its loopback demo server. Customs' yearly plan
(seeded as the console creates it) reaches the desktop with the other feeds and is
announced with its due date; the declarant updates two fields of the information customs
holds, sees them highlighted, sends; customs sees the new version tied to the account and
workstation, the difference, and the plan's progress; the request is marked fulfilled on
the desktop."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import requests
from PySide6.QtCore import Qt

from domain.demo import DEMO_ENTERPRISE, DEMO_STAFF
from server.business_info import DEMO_PLAN_TITLE

BASE = "/api/v1/business-info"


@contextmanager
def demo_program(data_dir: Path) -> Iterator[Any]:
    from desktop.app import create_context

    ctx = create_context(["--data-dir", str(data_dir), "--demo"], services=True,
                         plugin_host_kwargs={"entry_points": False})
    try:
        yield ctx
    finally:
        ctx.shutdown()
        ctx.main_window.close()
        ctx.main_window.deleteLater()


def staff_headers(url: str) -> dict[str, str]:
    login, _name, _role, password = next(s for s in DEMO_STAFF if s[2] == "viewer")
    r = requests.post(f"{url}/api/v1/auth/login", json={"username": login, "password": password}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_demo_request_announced_updated_and_seen_by_customs(qtbot, tmp_path):
    with demo_program(tmp_path / "data") as ctx:
        assert ctx.demo_server is not None and ctx.demo_server.wait_started(60), ctx.demo_server.error
        plugin = ctx.plugin_host.records["business_info"].instance
        ctx.show()
        # the request comes with the feeds and is announced with its due date
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: any(r.get("plan_title") == DEMO_PLAN_TITLE for r in plugin.requests()),
                        timeout=60000)
        qtbot.waitUntil(lambda: "20/12/2026" in ctx.status_bar.currentMessage(), timeout=15000)
        assert "Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp" in ctx.status_bar.currentMessage()
        assert "(1 yêu cầu)" in plugin.action.text()

        # the form: the request listed, the information customs holds pre-filled
        plugin.action.trigger()
        dlg = plugin.dialog
        assert dlg.request_table.item(0, 1).text() == "20/12/2026"
        values = dlg.values()
        assert values["request_id"] and values["reason"] == "periodic"
        assert values["identity"]["email"] == "xnk@hailong.vn" and len(values["bank_accounts"]) == 2
        # two fields updated, and only they are highlighted at the confirmation
        dlg.edits["identity.email"].setText("ketoan@hailong.vn")
        dlg.edits["contact.phone"].setText("0987 654 321")
        qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
        assert dlg.changed_fields() == ["identity.email", "contact.phone"]
        qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
        last = plugin.state.last_sent()
        item_id = last["id"]
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: ctx.outbox.states([item_id])[item_id]["state"] == "sent", timeout=60000)

        # customs: the new version, tied to the account and the workstation; the diff; the progress
        url = ctx.demo_server.url
        headers = staff_headers(url)
        versions = requests.get(f"{url}{BASE}/enterprises/{DEMO_ENTERPRISE.tax_code}/versions", headers=headers,
                                timeout=10).json()["items"]
        assert [v["number"] for v in versions] == [1, 2]
        assert versions[1]["account"] == DEMO_ENTERPRISE.tax_code
        assert versions[1]["workstation"] == plugin.state.workstation()
        assert versions[1]["server_ref"] == ctx.outbox.states([item_id])[item_id]["server_ref"]
        diff = requests.get(f"{url}{BASE}/enterprises/{DEMO_ENTERPRISE.tax_code}/diff", headers=headers,
                            params={"from": 1, "to": 2}, timeout=10).json()
        assert [(c["field"], c["before"], c["after"]) for c in diff["changes"]] == [
            ("identity.email", "xnk@hailong.vn", "ketoan@hailong.vn"), ("contact.phone", "0912345678", "0987654321")]
        (plan,) = requests.get(f"{url}{BASE}/plans", headers=headers, timeout=10).json()["items"]
        assert plan["progress"]["fulfilled"] == 1 and plan["progress"]["sent"] == 2

        # the desktop hears that the request is fulfilled
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: all(r["state"] == "fulfilled" for r in plugin.requests()), timeout=60000)
        assert plugin.pending() == []
