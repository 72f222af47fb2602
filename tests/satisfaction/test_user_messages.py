"""What the user is told: the outcome of a send follows the outbox; Enter on a declaration
that cannot be rated yet says why; answered reflections show in the column; "Xem" on an
answer notice opens the results on that answer."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.hostapi import submission_entries
from plugins.satisfaction.column import row_text

from .conftest import demo_enterprise_signs_in, find_declaration, program
from .test_e2e import rate_low_and_send


def status_text(ctx) -> str:
    return ctx.status_bar.currentMessage()


def test_an_online_send_says_sent_not_saved_for_later(qtbot, tmp_path, demo_store_file):
    from server.embedded import start_server

    data = tmp_path / "data"
    demo_enterprise_signs_in(data)
    with start_server(f"sqlite:///{tmp_path / 'server.db'}", seed_demo=True) as srv, \
            program(data, demo_store_file, server_url=srv.url) as ctx:
        plugin = ctx.satisfaction
        qtbot.waitUntil(lambda: plugin.api.signed_in(), timeout=30000)
        number = find_declaration(ctx, status="cleared", channel=3)
        dialog = rate_low_and_send(qtbot, plugin, number)
        said = []
        ctx.status_bar.messageChanged.connect(said.append)
        qtbot.waitUntil(lambda: plugin.store.assessment(number)["state"] == "sent", timeout=30000)
        qtbot.waitUntil(lambda: "đã được gửi cho hải quan" in status_text(ctx), timeout=5000)
        assert number in status_text(ctx)
        assert "khi có kết nối" not in status_text(ctx)
        assert not any("khi có kết nối" in s for s in said), said  # never told "saved for later"
        assert "Đã gửi" in dialog.summary_page.banner.text()

        # a reflection: its dialog and the status bar end on "sent" as well
        channeled = find_declaration(ctx, status="channeled")
        reflection = plugin.open_reflection(channeled)
        qtbot.addWidget(reflection)
        reflection.content_edit.insertPlainText("Chưa được tiếp nhận hồ sơ")
        assert reflection.send()
        rid = plugin.store.submissions(kind="reflection")[0]["id"]
        qtbot.waitUntil(lambda: plugin.store.submission(rid)["state"] == "sent", timeout=30000)
        qtbot.waitUntil(lambda: "Phản ánh về tờ khai" in status_text(ctx), timeout=5000)
        assert "đã được gửi cho hải quan" in reflection.banner.text()


def test_an_offline_send_says_saved_and_later_that_it_was_sent(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:  # no server address: nothing can go out
        plugin = ctx.satisfaction
        number = find_declaration(ctx, status="cleared", channel=3)
        rate_low_and_send(qtbot, plugin, number)
        assert "khi có kết nối" in status_text(ctx) and number in status_text(ctx)
        # the outbox delivers it later: the user is told
        row = plugin.store.assessment(number)
        real = plugin.api.submission_states
        plugin.api.submission_states = lambda ids: {i: {**e, "state": "sent", "server_ref": "A-1"}
                                                    for i, e in real(ids).items()}
        ctx.events.submissions_changed.emit(submission_entries(ctx, [row["id"]]))
        assert "đã được gửi cho hải quan" in status_text(ctx)


def test_enter_on_a_declaration_not_yet_ratable_says_why_and_offers_a_reflection(qtbot, tmp_path,
                                                                                   demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        channeled = find_declaration(ctx, status="channeled")
        before = len(plugin.notices)
        ctx.events.declaration_activated.emit(channeled)  # Enter / double-click in the list
        assert len(plugin.notices) == before + 1
        notice = plugin.notices[-1]
        assert channeled in notice.text() and "chưa thể đánh giá" in notice.text()
        assert notice.action_button is not None and "phản ánh" in notice.action_button.text()
        qtbot.mouseClick(notice.action_button, Qt.MouseButton.LeftButton)
        assert plugin.reflection_dialogs[channeled].isVisible()
        qtbot.addWidget(plugin.reflection_dialogs[channeled])

        # no channel yet: why, and no reflection offered
        new = ctx.declaration_store.conn.execute("SELECT number FROM declarations WHERE status = 'new'").fetchone()[0]
        ctx.events.declaration_activated.emit(new)
        notice = plugin.notices[-1]
        assert new in notice.text() and "chưa thể đánh giá" in notice.text()
        assert notice.action_button is None


def test_answer_notice_opens_the_results_on_the_item_just_answered(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        first, second = (find_declaration(ctx, status="channeled", skip=i) for i in range(2))
        ids = []
        for number in (first, second):
            dialog = plugin.open_reflection(number)
            qtbot.addWidget(dialog)
            dialog.name_edit.setText("Trần Văn Nam")
            dialog.phone_edit.setText("0987654321")
            dialog.content_edit.insertPlainText("Hồ sơ chưa được tiếp nhận")
            assert dialog.send()
            ids.append(plugin.store.submissions(kind="reflection", number=number)[0]["id"])
        answers: dict[str, str] = {}
        real = plugin.api.submission_states
        plugin.api.submission_states = lambda wanted: {
            i: {**e, "state": "sent", "server_ref": "R-" + i[:4],
                **({"answer": answers[i], "server_status": "answered"} if i in answers else {})}
            for i, e in real(wanted).items()}

        answers[ids[0]] = "Đã hướng dẫn doanh nghiệp"
        ctx.events.submissions_changed.emit(plugin.api.submission_states([ids[0]]))
        assert ctx.declaration_store.marks("satisfaction", [first])[first] == "reflected:0:r1:a1"
        # the column says it was answered (not just "1 phản ánh")
        channeled = {"status": "channeled", "channel": 1}
        assert row_text(channeled, "reflected:0:r1") == "1 phản ánh"
        assert row_text(channeled, "reflected:0:r1:a1") == "1 phản ánh, đã trả lời"
        assert row_text(channeled, "reflected:0:r2:a1") == "2 phản ánh (1 đã trả lời)"
        assert row_text({"status": "cleared", "channel": 1}, "sent:4:r1:a1") == "Đã gửi ★★★★☆ · 1 phản ánh, đã trả lời"
        notice = plugin.notices[-1]
        qtbot.mouseClick(notice.action_button, Qt.MouseButton.LeftButton)
        window = plugin.answers_window
        qtbot.addWidget(window)
        assert window.current_id() == ids[0]

        answers[ids[1]] = "Chi cục đã tiếp nhận hồ sơ"
        ctx.events.submissions_changed.emit(plugin.api.submission_states([ids[1]]))
        notice = plugin.notices[-1]
        assert second in notice.text()
        qtbot.mouseClick(notice.action_button, Qt.MouseButton.LeftButton)
        assert window.current_id() == ids[1]
        assert "Chi cục đã tiếp nhận hồ sơ" in window.detail.toPlainText()
