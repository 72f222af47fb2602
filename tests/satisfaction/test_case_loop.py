"""The closed loop, desktop side, against a real loopback server: a low rating becomes a case;
customs takes and answers it; the desktop shows the case answered with its outcome; the
declarant reopens it through the outbox; customs sees it reopened with a new deadline and
the reason; a second reopening is refused by the server."""
from __future__ import annotations

import requests
from PySide6.QtCore import Qt

from domain.demo import DEMO_ENTERPRISE

from .conftest import find_declaration, program
from .test_e2e import processor_headers, rate_low_and_send
from .test_workstations import workstation_settings


def case_of(url: str, headers: dict, ref: str) -> dict:
    r = requests.get(f"{url}/api/v1/cases", headers=headers, params={"per_page": 200}, timeout=10)
    r.raise_for_status()
    found = [c for c in r.json()["items"] if c["ref"] == ref]
    assert found, ref
    return found[0]


def test_answer_reopen_and_the_console_sees_it(qtbot, tmp_path, demo_store_file):
    from desktop import credentials
    from server.embedded import start_server

    assert credentials.save_password(DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password)
    data = tmp_path / "ws"
    workstation_settings(data, 1)
    with start_server(f"sqlite:///{tmp_path / 'server.db'}", seed_demo=True) as srv, \
            program(data, demo_store_file, server_url=srv.url) as ctx:
        plugin = ctx.satisfaction
        number = find_declaration(ctx, status="cleared", channel=3)
        rate_low_and_send(qtbot, plugin, number).close()
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: (plugin.store.assessment(number) or {}).get("case") is not None, timeout=30000)
        mine = plugin.store.assessment(number)
        assert mine["case"]["state"] == "new" and mine["case"]["answer_due"]

        # customs takes the case and answers it with an outcome
        headers = processor_headers(srv.url)
        case = case_of(srv.url, headers, mine["server_ref"])
        assert requests.post(f"{srv.url}/api/v1/cases/{case['id']}/take", headers=headers, timeout=10).ok
        assert requests.post(f"{srv.url}/api/v1/cases/{case['id']}/review", headers=headers, timeout=10).ok
        r = requests.post(f"{srv.url}/api/v1/cases/{case['id']}/answer", headers=headers, timeout=10,
                          json={"outcome": "partly", "text": "Đã xác minh một phần, nhắc nhở công chức."})
        assert r.status_code == 200, r.text

        # the desktop shows it without "Sync now"
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["case"]["state"] == "answered", timeout=30000)
        window = plugin.show_answers(select=mine["id"])
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.reopen_button.isEnabled(), timeout=5000)
        assert "Đã xác minh một phần" in window.detail.toPlainText()
        assert window.table.item(window.table.currentRow(), 5).text() == "Đã trả lời"

        # the declarant reopens it with a reason, through the outbox
        window.ask_reopen_comment = lambda: ("Công chức chưa trả lời đúng nội dung phản ánh", True)
        qtbot.mouseClick(window.reopen_button, Qt.MouseButton.LeftButton)
        assert not window.reopen_button.isEnabled()  # no second word while this one travels
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["case"]["state"] == "reopened", timeout=30000)
        assert plugin.store.assessment(number)["case"]["can_reopen"] is False

        # customs sees it reopened, back in the inbox with a new deadline and the reason
        again = case_of(srv.url, headers, mine["server_ref"])
        assert again["state"] == "reopened" and again["answer_due"] > case["answer_due"]
        detail = requests.get(f"{srv.url}/api/v1/cases/{case['id']}", headers=headers, timeout=10).json()
        assert "Công chức chưa trả lời đúng nội dung phản ánh" in str(detail)
        assert "reopened" in [e["event"] for e in detail["events"]]

        # answered again: a second reopening is refused by the server with its own words
        assert requests.post(f"{srv.url}/api/v1/cases/{case['id']}/review", headers=headers, timeout=10).ok
        r = requests.post(f"{srv.url}/api/v1/cases/{case['id']}/answer", headers=headers, timeout=10,
                          json={"outcome": "substantiated", "text": "Đã xử lý lại."})
        assert r.status_code == 200, r.text
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["case"]["state"] == "answered", timeout=30000)
        sid = plugin.send_case_feedback(mine["id"], "reopen", "Vẫn chưa được")
        assert sid
        qtbot.waitUntil(lambda: plugin.store.submission(sid)["state"] == "rejected", timeout=30000)
        assert plugin.store.submission(sid)["error_code"] == "case_reopen_used"
        # accepting closes the case
        assert plugin.send_case_feedback(mine["id"], "accept")
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["case"]["state"] == "closed", timeout=30000)
        closed = requests.get(f"{srv.url}/api/v1/cases/{case['id']}", headers=headers, timeout=10).json()
        assert closed["state"] == "closed"
