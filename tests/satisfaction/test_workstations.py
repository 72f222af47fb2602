"""One enterprise, two workstations: two data folders, two program contexts, one real
feedback server on loopback. The server is the source of truth: a declaration rated on one
workstation shows as rated on the other, with its stars and state; a duplicate rated while
offline is settled, not an error; customs' answers reach both without "Sync now".
"""
from __future__ import annotations

import requests
from PySide6.QtCore import Qt

from desktop.settings import Settings
from domain.demo import DEMO_ENTERPRISE
from domain.errors import refusal_text

from ..sync.faultproxy import FaultProxy
from .conftest import find_declaration, program
from .test_e2e import processor_headers


def rate(qtbot, plugin, number: str, stars: int):
    """Rate every target of ``number`` with ``stars`` and send; returns the dialog."""
    dialog = plugin.open_assessment(number)
    qtbot.addWidget(dialog)
    for row in dialog.form_page.rows:
        row.stars.setFocus()
        qtbot.keyClick(row.stars, getattr(Qt.Key, f"Key_{stars}"))
        row.reasons.setFocus()
        qtbot.keyClick(row.reasons, Qt.Key.Key_Space)
    if stars <= 2:
        dialog.form_page.detail_edit.insertPlainText("Phải chờ kiểm tra hồ sơ hai ngày")
        dialog.form_page.contact_name_edit.clear()
        dialog.form_page.contact_name_edit.insert("Phạm Thị Lan")
        dialog.form_page.contact_phone_edit.clear()
        qtbot.keyClicks(dialog.form_page.contact_phone_edit, "0912 345 678")
    assert dialog.record(), dialog.form_page.problem_texts()
    qtbot.mouseClick(dialog.summary_page.send_button, Qt.MouseButton.LeftButton)
    return dialog


def workstation_settings(data_dir, poll_seconds: int) -> None:
    from desktop.paths import resolve

    settings = Settings(resolve(data_dir).ensure().settings_file)
    settings.namespace("sync").set("username", DEMO_ENTERPRISE.tax_code)
    settings.namespace("sync").set("poll_interval_seconds", poll_seconds)
    settings.sync()


def mark(ctx, number: str) -> str | None:
    return ctx.declaration_store.marks("satisfaction", [number]).get(number)


def test_two_workstations_of_one_enterprise_agree(qtbot, tmp_path, demo_store_file):
    from desktop import credentials
    from server.embedded import start_server

    assert credentials.save_password(DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password)
    one, two = tmp_path / "ws1", tmp_path / "ws2"
    workstation_settings(one, 1)
    workstation_settings(two, 1)
    with start_server(f"sqlite:///{tmp_path / 'server.db'}", seed_demo=True) as srv:
        proxy = FaultProxy("127.0.0.1", srv.port)
        proxy.refuse_connections()  # workstation 2 is offline at first
        try:
            with program(one, demo_store_file, server_url=srv.url) as ws1, \
                    program(two, demo_store_file, server_url=proxy.url) as ws2:
                p1, p2 = ws1.satisfaction, ws2.satisfaction
                n = find_declaration(ws1, status="cleared", channel=3)
                m = find_declaration(ws1, status="cleared", channel=1)
                unrated_before = p1.reminder.count()
                assert p2.reminder.count() == unrated_before

                # offline, workstation 2 rates n (4★): queued
                open_on_two = rate(qtbot, p2, n, 4)
                assert p2.store.assessment(n)["state"] == "queued"
                # meanwhile workstation 1 rates n (5★) and m (2★) and sends them
                rate(qtbot, p1, n, 5)
                rate(qtbot, p1, m, 2)
                ws1.outbox.service.request_sync(force=True)
                qtbot.waitUntil(lambda: mark(ws1, n) == "sent:5" and mark(ws1, m) == "sent:2", timeout=30000)

                # workstation 2 comes online and syncs: its duplicate is settled by the existing
                # assessment, and both declarations show what workstation 1 sent
                proxy.accept_connections()
                ws2.outbox.service.request_sync(force=True)
                qtbot.waitUntil(lambda: mark(ws2, n) == "sent:5" and mark(ws2, m) == "sent:2", timeout=30000)
                qtbot.waitUntil(lambda: "máy khác" in ws2.main_window.statusBar().currentMessage(), timeout=30000)
                current = p2.store.assessment(n)
                assert current["origin"] == "remote" and current["server_ref"] == p1.store.assessment(n)["server_ref"]
                qtbot.waitUntil(lambda: ws2.outbox.store.counts()["pending"] == 0, timeout=30000)
                assert ws2.outbox.store.counts()["failed"] == 0  # nothing left to "correct and send again"
                assert not any(r["state"] == "rejected" for r in p2.store.submissions(kind="assessment"))
                # the unrated warning counts what the enterprise left unrated, on both
                assert p1.reminder.count() == p2.reminder.count() == unrated_before - 2

                # the form still open on workstation 2 now shows what was sent elsewhere
                assert open_on_two.sent["origin"] == "remote" and "máy khác" in open_on_two.summary_page.banner.text()
                assert not open_on_two.summary_page.resend_button.isVisible()
                open_on_two.close()
                # opened again, the declaration shows it read-only
                dialog = p2.open_assessment(n)
                qtbot.addWidget(dialog)
                assert dialog.sent is not None and dialog.sent["origin"] == "remote"
                assert "máy khác" in dialog.summary_page.banner.text()
                assert not dialog.summary_page.resend_button.isVisible()
                assert [r.stars.value() for r in dialog.form_page.rows] == [5] * len(dialog.form_page.rows)

                # customs answers the low rating: both workstations get it without "Sync now"
                headers = processor_headers(srv.url)
                ref = p1.store.assessment(m)["server_ref"]
                r = requests.post(f"{srv.url}/api/v1/inbox/{ref}/answer", headers=headers, timeout=10,
                                  json={"verified": True, "outcome": "Đã xác minh", "answer": "Đã nhắc nhở công chức."})
                assert r.status_code == 200, r.text
                qtbot.waitUntil(lambda: p1.store.assessment(m)["state"] == "answered"
                                and p2.store.assessment(m)["state"] == "answered", timeout=30000)
                assert p2.store.assessment(m)["answer"] == "Đã nhắc nhở công chức."
                assert mark(ws2, m) == "answered:2"
                assert any("trả lời" in notice.windowTitle() for notice in p2.notices)
        finally:
            proxy.close()


def test_refusal_codes_read_in_the_users_language():
    assert refusal_text("already_assessed", "vi") == "Tờ khai đã được đánh giá từ máy khác của doanh nghiệp."
    assert "another workstation" in refusal_text("already_assessed", "en")
    assert refusal_text("something_new", "vi") == "Máy chủ hải quan từ chối nội dung này."
