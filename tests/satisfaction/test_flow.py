"""The whole assessment flow in the real program (pytest-qt), offline: the outbox queues."""
from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from domain.submissions import validate_assessment
from plugins.satisfaction.core import Mark, RatingState
from plugins.satisfaction.widgets.form import AssessmentDialog
from plugins.satisfaction.widgets.warning import UnratedWarning

from .conftest import find_declaration, program


def rate_by_keyboard(qtbot, dialog: AssessmentDialog, levels: list[int]) -> None:
    """Give each target its level with the keyboard only: focus the stars, type a digit or
    use the arrows, then tick the first reason with Space in the reasons list."""
    for row, level in zip(dialog.form_page.rows, levels):
        row.stars.setFocus()
        if level == 5:
            qtbot.keyClick(row.stars, Qt.Key.Key_End)
        elif level == 4:
            qtbot.keyClick(row.stars, Qt.Key.Key_5)
            qtbot.keyClick(row.stars, Qt.Key.Key_Left)
        else:
            qtbot.keyClick(row.stars, getattr(Qt.Key, f"Key_{level}"))
        assert row.stars.value() == level
        row.reasons.setFocus()
        row.reasons.setCurrentRow(0)
        qtbot.keyClick(row.reasons, Qt.Key.Key_Space)
        assert row.target.reasons, "Space ticks the current reason"


def test_rate_record_edit_record_send_offline(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        number = find_declaration(ctx, status="cleared", channel=2)
        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        assert isinstance(dialog, AssessmentDialog) and dialog.isVisible()
        kinds = [r.target.kind for r in dialog.form_page.rows]
        assert kinds.count("official") == 2 and "branch" in kinds and "stage" in kinds

        # the accessible name says who is rated and the level
        first = dialog.form_page.rows[0]
        first.stars.setFocus()
        qtbot.keyClick(first.stars, Qt.Key.Key_4)
        assert first.stars.accessibleName().endswith("4 sao, Hài lòng")
        assert first.target.name in first.stars.accessibleName()

        # Ghi with targets missing: the problems are listed, nothing moves on
        assert not dialog.record()
        assert dialog.pages.currentIndex() == dialog.PAGE_FORM
        assert dialog.form_page.problems_area.label.isVisible()

        levels = [5, 4, 2] + [5] * (len(dialog.form_page.rows) - 3)
        rate_by_keyboard(qtbot, dialog, levels)
        # a 2-star rating requires the detailed reason and the contact person
        assert not dialog.record()
        assert "1 hoặc 2 sao" in dialog.form_page.problems_area.label.text() or "1 or 2 stars" in dialog.form_page.problems_area.label.text()
        # Vietnamese text arrives through the input method (committed text, here decomposed
        # NFD as some Windows keyboards produce it); digits are typed key by key
        dialog.form_page.detail_edit.insertPlainText(unicodedata.normalize("NFD", "Chờ kiểm tra hồ sơ quá lâu"))
        dialog.form_page.contact_name_edit.insert(unicodedata.normalize("NFD", "Phạm Thị Lan"))
        qtbot.keyClicks(dialog.form_page.contact_phone_edit, "+84 912 345 678")

        # Ghi → summary of exactly what will be sent
        qtbot.keyClick(dialog.form_page.record_button, Qt.Key.Key_Space)
        assert dialog.pages.currentIndex() == dialog.PAGE_SUMMARY
        assert dialog.payload["contact"] == {"name": "Phạm Thị Lan", "phone": "0912345678"}  # NFC
        assert dialog.payload["detail"] == "Chờ kiểm tra hồ sơ quá lâu"
        assert "0912345678" in dialog.summary_page.text() and "Phạm Thị Lan" in dialog.summary_page.text()

        # Sửa → back to the form with everything kept; change one level; Ghi again
        qtbot.mouseClick(dialog.summary_page.edit_button, Qt.MouseButton.LeftButton)
        assert dialog.pages.currentIndex() == dialog.PAGE_FORM
        assert [r.stars.value() for r in dialog.form_page.rows] == levels
        assert unicodedata.normalize("NFC", dialog.form_page.contact_name_edit.text()) == "Phạm Thị Lan"
        dialog.form_page.rows[1].stars.setFocus()
        qtbot.keyClick(dialog.form_page.rows[1].stars, Qt.Key.Key_Right)
        assert dialog.form_page.rows[1].stars.value() == 5
        assert dialog.record()
        assert dialog.payload["ratings"][1]["stars"] == 5

        # the payload is what the shared (server) rules accept for this declaration
        decl = ctx.declaration_store.get(number)
        handled = [(h["kind"], h["code"]) for h in ctx.declaration_store.handling(number)]
        assert validate_assessment(dialog.payload, status=decl["status"], channel=decl["channel"],
                                   handled_by=handled) == dialog.payload

        # Gửi while offline: queued in the outbox, marked, read-only
        qtbot.mouseClick(dialog.summary_page.send_button, Qt.MouseButton.LeftButton)
        row = plugin.store.assessment(number)
        assert row is not None and row["state"] == "queued"
        outbox_item = ctx.outbox.states([row["id"]])[row["id"]]
        assert outbox_item["state"] == "pending" and outbox_item["kind"] == "assessment"
        assert ctx.outbox.store.body(row["id"])["payload"] == dialog.payload
        mark = Mark.decode(ctx.declaration_store.marks("satisfaction", [number])[number])
        assert mark == Mark(RatingState.QUEUED, 2, 0)
        assert dialog.was_sent and dialog.pages.currentIndex() == dialog.PAGE_SUMMARY
        assert not dialog.summary_page.send_button.isVisible() and not dialog.summary_page.edit_button.isVisible()
        assert "khi có kết nối" in dialog.summary_page.banner.text() or "connection returns" in dialog.summary_page.banner.text()
        assert plugin.store.load_draft(number, "assessment") is None

        # one final assessment: reopening shows it read-only
        dialog.close()
        again = plugin.open_assessment(number)
        qtbot.addWidget(again)
        assert again.sent is not None and again.pages.currentIndex() == again.PAGE_SUMMARY
        assert all(r.stars.isReadOnly() for r in again.form_page.rows)
        assert not again.record()
        assert len(plugin.store.submissions(kind="assessment")) == 1


def test_draft_survives_closing_the_program(qtbot, tmp_path, demo_store_file, monkeypatch):
    data = tmp_path / "data"
    with program(data, demo_store_file) as ctx:
        plugin = ctx.satisfaction
        monkeypatch.setattr(plugin.reminder, "check", lambda closed_number=None: None)
        number = find_declaration(ctx, status="released")
        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        dialog.form_page.rows[0].stars.setFocus()
        qtbot.keyClick(dialog.form_page.rows[0].stars, Qt.Key.Key_3)
        dialog.form_page.rows[0].comment.insert("Bình thường thôi")
        # saved on every change (debounced): wait for the write without closing anything
        qtbot.waitUntil(lambda: (plugin.store.load_draft(number, "assessment") or {}).get("ratings", [{}])[0]
                        .get("comment") == "Bình thường thôi", timeout=3000)
    with program(data, None) as ctx:
        dialog = ctx.satisfaction.open_assessment(number)
        qtbot.addWidget(dialog)
        assert dialog.form_page.rows[0].stars.value() == 3
        assert dialog.form_page.rows[0].comment.text() == "Bình thường thôi"


def test_closing_without_rating_warns_and_view_shows_unrated(qtbot, tmp_path, demo_store_file, monkeypatch):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        shown = []
        monkeypatch.setattr(ctx.main_window.list_view, "set_filter", lambda flt: shown.append(flt), raising=False)
        number = find_declaration(ctx, status="cleared")
        expected = plugin.reminder.count()
        assert expected > 0
        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        dialog.close()
        qtbot.waitUntil(lambda: plugin.reminder.warning is not None and plugin.reminder.warning.isVisible(), timeout=5000)
        warning = plugin.reminder.warning
        qtbot.addWidget(warning)
        assert isinstance(warning, UnratedWarning)
        assert warning.count == expected
        assert number in warning.message_text()
        qtbot.mouseClick(warning.view_button, Qt.MouseButton.LeftButton)
        assert not warning.isVisible()
        assert shown and shown[-1].mark is not None and shown[-1].mark.plugin_id == "satisfaction"
        assert shown[-1].title
        # the view is exactly the declarations the warning counted
        assert ctx.declaration_store.count_where(shown[-1]) == expected


def test_later_and_not_again_today(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        warning = plugin.reminder.show(5)
        qtbot.addWidget(warning)
        warning.snooze.setChecked(True)
        qtbot.mouseClick(warning.later_button, Qt.MouseButton.LeftButton)
        assert plugin.api.settings.get("snoozed_on") == plugin.today.isoformat()
        assert plugin.reminder.show(5) is None
        plugin.reminder.check()
        QApplication.processEvents()
        assert plugin.reminder.warning is warning and not warning.isVisible()


def test_send_interrupted_by_a_crash_is_reconciled_at_start(qtbot, tmp_path, demo_store_file):
    """The program died between "intent noted" and "confirmed": at the next start an item
    the outbox holds is confirmed and marked; one it never got is dropped, draft kept."""
    import uuid

    data = tmp_path / "data"
    with program(data, demo_store_file) as ctx:
        plugin = ctx.satisfaction
        queued_number = find_declaration(ctx, status="cleared", skip=0)
        lost_number = find_declaration(ctx, status="cleared", skip=1)
        payload = {"declaration_number": queued_number,
                   "ratings": [{"target_kind": "branch", "target_code": "03CC", "stars": 4, "reasons": ["S01"]}]}
        in_outbox, never_queued = str(uuid.uuid4()), str(uuid.uuid4())
        plugin.store.record_intent(in_outbox, queued_number, "assessment", payload)
        ctx.outbox.store.submit("assessment", payload, source="satisfaction", item_id=in_outbox)
        plugin.store.save_draft(lost_number, "assessment", {"declaration_number": lost_number, "detail": "giữ lại"})
        plugin.store.record_intent(never_queued, lost_number, "assessment", dict(payload, declaration_number=lost_number))
    with program(data, None) as ctx:
        plugin = ctx.satisfaction
        assert plugin.store.intents() == []
        assert plugin.store.assessment(queued_number)["id"] == in_outbox
        assert ctx.declaration_store.marks("satisfaction", [queued_number]) == {queued_number: "queued:4"}
        assert plugin.store.assessment(lost_number) is None
        assert plugin.store.load_draft(lost_number, "assessment")["detail"] == "giữ lại"
        assert ctx.declaration_store.marks("satisfaction", [lost_number]) == {}


def test_without_an_outbox_nothing_is_sent_and_nothing_is_lost(qtbot, tmp_path, demo_store_file, monkeypatch):
    with program(tmp_path / "data", demo_store_file, services=False) as ctx:
        plugin = ctx.satisfaction
        monkeypatch.setattr(plugin.reminder, "check", lambda closed_number=None: None)
        assert ctx.outbox is None
        number = find_declaration(ctx, status="preservation")
        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        rate_by_keyboard(qtbot, dialog, [4] * len(dialog.form_page.rows))
        assert dialog.record()
        qtbot.mouseClick(dialog.summary_page.send_button, Qt.MouseButton.LeftButton)
        assert "Chưa gửi được" in dialog.summary_page.banner.text()
        assert dialog.summary_page.send_button.isEnabled() and not dialog.was_sent
        assert plugin.store.assessment(number) is None and plugin.store.intents() == []
        assert ctx.declaration_store.marks("satisfaction", [number]) == {}
        draft = plugin.store.load_draft(number, "assessment")
        assert [r["stars"] for r in draft["ratings"]] == [4] * len(dialog.form_page.rows)


def test_tab_order_walks_each_target_then_the_contact(qtbot, tmp_path, demo_store_file, monkeypatch):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        monkeypatch.setattr(plugin.reminder, "check", lambda closed_number=None: None)
        dialog = plugin.open_assessment(find_declaration(ctx, status="cleared", channel=2))
        qtbot.addWidget(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
        dialog.form_page.rows[0].stars.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form_page.rows[0].stars, timeout=3000)
        expected = []
        for row in dialog.form_page.rows:
            expected += [row.stars, row.reasons, row.comment]
        expected += [dialog.form_page.copy_button, dialog.form_page.detail_edit, dialog.form_page.contact_name_edit, dialog.form_page.contact_phone_edit,
                     dialog.form_page.record_button]
        walked = [QApplication.focusWidget()]
        for _ in expected[1:]:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            walked.append(QApplication.focusWidget())
        assert [w.objectName() for w in walked] == [w.objectName() for w in expected]


def test_marks_are_restored_when_the_declaration_store_lost_them(qtbot, tmp_path, demo_store_file, monkeypatch):
    data = tmp_path / "data"
    with program(data, demo_store_file) as ctx:
        plugin = ctx.satisfaction
        number = find_declaration(ctx, status="cleared")
        payload = {"declaration_number": number,
                   "ratings": [{"target_kind": "branch", "target_code": "03CC", "stars": 3, "reasons": ["S01"]}]}
        plugin.store.record_submission(ctx.outbox.submit("assessment", payload), number, "assessment", payload)
        ctx.declaration_store.set_mark("satisfaction", number, None)  # e.g. a rebuilt declarations database
    with program(data, None) as ctx:
        assert ctx.declaration_store.marks("satisfaction", [number]) == {number: "queued:3"}


def test_teardown_with_open_forms_keeps_drafts_and_warns_nobody(qtbot, tmp_path, demo_store_file):
    data = tmp_path / "data"
    with program(data, demo_store_file) as ctx:
        plugin = ctx.satisfaction
        number = find_declaration(ctx, status="cleared")
        dialog = plugin.open_assessment(number)
        dialog.form_page.rows[0].stars.setValue(4)
        reflection_number = find_declaration(ctx, status="channeled")
        reflection = plugin.open_reflection(reflection_number)
        reflection.content_edit.insertPlainText("Đang soạn dở")
        started = plugin.api.pending_tasks()
        plugin.teardown()  # what the host does at exit: forms close, drafts are written
        assert plugin.reminder.warning is None and plugin.api.pending_tasks() == started
    with program(data, None) as ctx:
        plugin = ctx.satisfaction
        assert plugin.store.load_draft(number, "assessment")["ratings"][0]["stars"] == 4
        assert plugin.store.load_draft(reflection_number, "reflection")["content"] == "Đang soạn dở"
