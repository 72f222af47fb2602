"""The results window as a case tracker: each reflection and low rating shows customs' case
state and deadline; on an answer the declarant accepts it or reopens the case once with a
comment, through the outbox like every submission."""
from __future__ import annotations

from PySide6.QtCore import Qt

from plugins.satisfaction.widgets.answers import AnswersWindow

from .conftest import find_declaration, program
from .test_e2e import rate_low_and_send

CASE_ID = "6f1d3c1e-8b0e-4a53-9a57-2d0c6a0d2020"


def row(case: dict | None, **extra) -> dict:
    return {"id": CASE_ID, "kind": "reflection", "number": "101234567890", "created_at": "2026-11-20T10:15:00+07:00",
            "state": "answered" if case and case.get("state") in ("answered", "closed") else "sent",
            "server_ref": "R-000042", "server_state": "answered", "answer": "Đã hướng dẫn doanh nghiệp.",
            "answer_seen": True, "payload": {"content": "Chờ lâu"}, "case": case, **extra}


def test_case_state_deadline_and_the_buttons_follow_the_case(qtbot, qapp):
    from plugins.satisfaction.translations import install_translator

    install_translator(qapp, "vi")
    window = AnswersWindow(lang="vi")
    qtbot.addWidget(window)
    window.set_rows([row({"state": "in_review", "answer_due": "2026-12-02T17:00:00+07:00", "can_reopen": False})])
    assert window.table.item(0, 5).text() == "Đang xác minh"
    assert window.table.item(0, 6).text() == "02/12/2026"
    assert not window.accept_button.isEnabled() and not window.reopen_button.isEnabled()

    answered = {"state": "answered", "answer_due": "2026-12-02T17:00:00+07:00", "can_reopen": True}
    window.set_rows([row(answered)])
    assert window.table.item(0, 5).text() == "Đã trả lời" and window.table.item(0, 6).text() == ""
    assert window.accept_button.isEnabled() and window.reopen_button.isEnabled()
    assert "Hồ sơ tại cơ quan hải quan: Đã trả lời" in window.detail.toPlainText()

    said = []
    window.feedback_requested.connect(lambda *args: said.append(args))
    window.ask_reopen_comment = lambda: ("   ", True)  # an empty reason sends nothing
    qtbot.mouseClick(window.reopen_button, Qt.MouseButton.LeftButton)
    assert said == []
    window.ask_reopen_comment = lambda: ("Chưa được giải quyết", True)
    qtbot.mouseClick(window.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.accept_button, Qt.MouseButton.LeftButton)
    assert said == [(CASE_ID, "reopen", "Chưa được giải quyết"), (CASE_ID, "accept", "")]

    # the word is on its way: no second one; a case reopened once cannot be reopened again
    pending = {"state": "queued", "payload": {"submission_id": CASE_ID, "action": "reopen",
                                              "comment": "Chưa được giải quyết"}}
    window.set_rows([row(answered, feedback=pending)])
    assert not window.accept_button.isEnabled() and not window.reopen_button.isEnabled()
    assert "đề nghị mở lại hồ sơ: Chưa được giải quyết (đang chờ gửi)" in window.detail.toPlainText()
    window.set_rows([row(dict(answered, can_reopen=False))])
    assert window.accept_button.isEnabled() and not window.reopen_button.isEnabled()


def test_feedback_goes_through_the_outbox_offline(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        number = find_declaration(ctx, status="cleared", channel=3)
        dialog = rate_low_and_send(qtbot, plugin, number)
        dialog.close()
        sid = plugin.store.assessment(number)["id"]
        outbox_id = plugin.send_case_feedback(sid, "reopen", "Công chức chưa xác minh đúng")
        assert outbox_id
        states = plugin.api.submission_states([outbox_id])
        assert states[outbox_id]["state"] == "pending" and states[outbox_id]["kind"] == "case_feedback"
        assert ctx.outbox.store.body(outbox_id)["payload"] == {
            "submission_id": sid, "action": "reopen", "comment": "Công chức chưa xác minh đúng"}
        fb = plugin.store.feedback()[sid]
        assert fb["state"] == "queued" and fb["number"] == number
        # a reopening without a reason is not sent
        assert plugin.send_case_feedback(sid, "reopen", "  ") is None
        window = plugin.show_answers(select=sid)
        qtbot.addWidget(window)
        assert [r["kind"] for r in window.rows] == ["assessment"]  # the feedback is shown on its case
        assert "(đang chờ gửi)" in window.detail.toPlainText()
