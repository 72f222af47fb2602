"""End to end: the program, the outbox and sync, a real feedback server on loopback.

* offline first: the assessment is queued while the server is down, then delivered when it
  comes up; customs answers through the API; the plugin shows the answer;
* the README's demo (``--demo``): rate a demo declaration and see it arrive on the demo
  server.
"""
from __future__ import annotations

import socket

import requests
from PySide6.QtCore import Qt

from domain.demo import DEMO_STAFF

from .conftest import (
    UNRATED_TITLE, demo_enterprise_signs_in, find_declaration, program, rate_all_five_and_send, settle,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(url: str, username: str, password: str) -> dict[str, str]:
    r = requests.post(f"{url}/api/v1/auth/login", json={"username": username, "password": password}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def processor_headers(url: str) -> dict[str, str]:
    user, _name, role, password = next(s for s in DEMO_STAFF if s[2] == "processor")
    return login(url, user, password)


def rate_low_and_send(qtbot, plugin, number: str):
    """Rate every target (the first one 2★, others 5★) and send; returns the dialog."""
    dialog = plugin.open_assessment(number)
    qtbot.addWidget(dialog)
    for i, row in enumerate(dialog.form_page.rows):
        row.stars.setFocus()
        qtbot.keyClick(row.stars, Qt.Key.Key_2 if i == 0 else Qt.Key.Key_5)
        row.reasons.setFocus()
        qtbot.keyClick(row.reasons, Qt.Key.Key_Space)
    dialog.form_page.detail_edit.insertPlainText("Phải chờ kiểm tra hồ sơ hai ngày")
    dialog.form_page.contact_name_edit.insert("Phạm Thị Lan")
    qtbot.keyClicks(dialog.form_page.contact_phone_edit, "0912 345 678")
    assert dialog.record(), dialog.form_page.problem_texts()
    qtbot.mouseClick(dialog.summary_page.send_button, Qt.MouseButton.LeftButton)
    return dialog


def answer_on_server(url: str, number: str, text: str) -> str:
    headers = processor_headers(url)
    r = requests.get(f"{url}/api/v1/inbox", params={"state": "open"}, headers=headers, timeout=10)
    r.raise_for_status()
    item = next(i for i in r.json()["items"] if i["declaration_number"] == number and i["kind"] == "assessment")
    assert item["lowest_stars"] == 2
    r = requests.post(f"{url}/api/v1/inbox/{item['server_ref']}/answer",
                      json={"verified": True, "outcome": "Đã xác minh, nhắc nhở công chức", "answer": text},
                      headers=headers, timeout=10)
    assert r.status_code in (200, 201, 204), r.text
    return item["server_ref"]


def test_offline_send_then_sync_and_answer(qtbot, tmp_path, demo_store_file):
    from server.embedded import start_server

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = tmp_path / "data"
    demo_enterprise_signs_in(data)
    with program(data, demo_store_file, server_url=url) as ctx:
        plugin = ctx.satisfaction
        service = ctx.outbox.service
        assert service is not None, "the sync service runs when a server address is set"
        number = find_declaration(ctx, status="cleared", channel=3)

        # the server is down: the assessment is queued, the user is told so honestly
        dialog = rate_low_and_send(qtbot, plugin, number)
        row = plugin.store.assessment(number)
        assert row["state"] == "queued"
        assert "Chờ gửi" in dialog.summary_page.banner.text() and "khi có kết nối" in dialog.summary_page.banner.text()
        assert ctx.declaration_store.marks("satisfaction", [number])[number] == "queued:2"

        # a reflection during the procedure of another declaration, also queued
        channeled = find_declaration(ctx, status="channeled")
        reflection = plugin.open_reflection(channeled)
        qtbot.addWidget(reflection)
        # the contact of the assessment is offered again
        assert (reflection.name_edit.text(), reflection.phone_edit.text()) == ("Phạm Thị Lan", "0912345678")
        reflection.content_edit.insertPlainText("Chưa được tiếp nhận hồ sơ")
        assert reflection.send()
        reflection_id = plugin.store.submissions(kind="reflection")[0]["id"]

        with start_server(f"sqlite:///{tmp_path / 'server.db'}", port=port, seed_demo=True) as srv:
            # the connection returns: Sync now
            service.request_sync(force=True)
            qtbot.waitUntil(lambda: plugin.store.assessment(number)["state"] == "sent", timeout=30000)
            sent = plugin.store.assessment(number)
            assert sent["server_ref"]
            assert ctx.declaration_store.marks("satisfaction", [number])[number] == "sent:2"
            assert dialog.sent["state"] == "sent" and sent["server_ref"] in dialog.summary_page.banner.text()
            qtbot.waitUntil(lambda: plugin.store.submission(reflection_id)["state"] == "sent", timeout=30000)

            # it arrived exactly as shown in the summary
            headers = processor_headers(srv.url)
            inbox = requests.get(f"{srv.url}/api/v1/inbox", params={"state": "all"}, headers=headers, timeout=10)
            stored = next(i for i in inbox.json()["items"] if i["server_ref"] == sent["server_ref"])
            assert stored["payload"] == sent["payload"] and stored["id"] == sent["id"]

            # customs answers; the plugin polls and signals the new answer
            answer = "Chi cục đã xác minh và nhắc nhở công chức. Cảm ơn doanh nghiệp."
            answer_on_server(srv.url, number, answer)
            headers = processor_headers(srv.url)
            ref = plugin.store.submission(reflection_id)["server_ref"]
            r = requests.post(f"{srv.url}/api/v1/inbox/{ref}/answer", headers=headers, timeout=10,
                              json={"verified": True, "outcome": "Đã tiếp nhận", "answer": "Đã hướng dẫn doanh nghiệp"})
            assert r.status_code in (200, 201, 204), r.text
            service.refresh()
            qtbot.waitUntil(lambda: plugin.store.assessment(number)["state"] == "answered", timeout=30000)
            assert plugin.store.assessment(number)["answer"] == answer
            assert ctx.declaration_store.marks("satisfaction", [number])[number] == "answered:2"
            notice = plugin.notices[-1]
            assert "trả lời" in notice.windowTitle() and number in notice.text()
            assert answer in dialog.summary_page.banner.text()

            qtbot.waitUntil(lambda: plugin.store.submission(reflection_id)["state"] == "answered", timeout=30000)
            assert plugin.store.submission(reflection_id)["answer"] == "Đã hướng dẫn doanh nghiệp"
            window = plugin.show_answers()
            qtbot.addWidget(window)
            assert {r["number"]: r["answer"] for r in window.rows} == {
                number: answer, channeled: "Đã hướng dẫn doanh nghiệp"}
            window.select(sent["id"])
            assert answer in window.detail.toPlainText()
            assert plugin.store.unseen_answers() == []


def test_readme_demo_rates_a_declaration_end_to_end(qtbot, tmp_path):
    """``python3 dev.py demo`` = ``python -m desktop --demo``: the same start-up, in-process."""
    with program(tmp_path / "data", None, argv=["--demo"]) as ctx:
        plugin = ctx.satisfaction
        assert ctx.demo_server is not None
        assert ctx.demo_server.wait_started(60), ctx.demo_server.error
        ctx.show()
        view = ctx.main_window.list_view
        # the startup warning leads to the unrated declarations: pick the first one
        qtbot.waitUntil(lambda: plugin.reminder.warning is not None and plugin.reminder.warning.isVisible(), timeout=20000)
        warning = plugin.reminder.warning
        qtbot.addWidget(warning)
        qtbot.mouseClick(warning.view_button, Qt.MouseButton.LeftButton)
        settle(qtbot, view, UNRATED_TITLE)
        number = view.table.model().number_at(0)
        rate_low_and_send(qtbot, plugin, number)
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["state"] == "sent", timeout=60000)
        url = ctx.demo_server.url
        inbox = requests.get(f"{url}/api/v1/inbox", params={"state": "open"}, headers=processor_headers(url),
                             timeout=10).json()["items"]
        assert any(i["declaration_number"] == number for i in inbox)


def test_rejected_assessment_is_shown_corrected_and_sent_again(qtbot, tmp_path, demo_store_file):
    """The local handling records name an official the server does not know for this
    declaration: the server refuses the item (dead letter), the user sees why, the records
    are corrected by the next feed, and the corrected assessment goes with a new id."""
    from server.embedded import start_server

    data = tmp_path / "data"
    demo_enterprise_signs_in(data)
    with start_server(f"sqlite:///{tmp_path / 'server.db'}", seed_demo=True) as srv, \
            program(data, demo_store_file, server_url=srv.url) as ctx:
        plugin = ctx.satisfaction
        service = ctx.outbox.service
        store = ctx.declaration_store
        number = find_declaration(ctx, status="cleared", channel=1)
        real = store.handling(number)
        store.set_handling(number, [{"kind": "official", "code": "03PL0099", "name": "Người không xử lý"}, *real])

        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        rate_all_five_and_send(qtbot, dialog)
        first_id = plugin.store.assessment(number)["id"]
        service.request_sync(force=True)
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["state"] == "rejected", timeout=30000)
        row = plugin.store.assessment(number)
        assert row["error_message"], row
        assert store.marks("satisfaction", [number])[number] == "rejected:5"
        assert dialog.summary_page.resend_button.isVisible() and "Bị từ chối" in dialog.summary_page.banner.text()
        assert any(number in n.text() for n in plugin.notices)
        # still "not yet rated" for the warning and the view
        assert store.count_where(plugin.reminder.filter().with_(search=number)) == 1

        store.set_handling(number, real)  # what the next declarations feed brings
        dialog.close()
        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        qtbot.mouseClick(dialog.summary_page.resend_button, Qt.MouseButton.LeftButton)
        assert dialog.pages.currentIndex() == dialog.PAGE_FORM
        assert len(dialog.form_page.rows) == len(real) and all(r.stars.value() == 5 for r in dialog.form_page.rows)
        assert dialog.record()
        qtbot.mouseClick(dialog.summary_page.send_button, Qt.MouseButton.LeftButton)
        second = plugin.store.assessment(number)
        assert second["id"] != first_id and plugin.store.submission(first_id)["superseded_by"] == second["id"]
        service.request_sync(force=True)
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["state"] == "sent", timeout=30000)
        assert store.marks("satisfaction", [number])[number] == "sent:5"
