"""The assessment dialog on its own (plain data in, signals out)."""
from __future__ import annotations

from plugins.satisfaction.core import AssessmentForm
from plugins.satisfaction.screenshots import demo_catalog, demo_declaration
from plugins.satisfaction.widgets.form import AssessmentDialog


def make(qtbot, **kw) -> AssessmentDialog:
    decl, handling = demo_declaration()
    dialog = AssessmentDialog(AssessmentForm.for_declaration(decl, handling, demo_catalog()), decl, **kw)
    qtbot.addWidget(dialog)
    return dialog


def test_copy_the_first_rating_to_unrated_targets(qtbot):
    d = make(qtbot)
    d.form_page.copy_first_rating()  # nothing to copy yet: says so on the first row
    assert d.form_page.rows[0].stars.property("invalid") is True
    d.form_page.rows[0].stars.setValue(2)
    d.form_page.rows[0].set_reasons(["D02", "D03"])
    d.form_page.rows[1].stars.setValue(5)
    d.form_page.copy_first_rating()
    assert d.form_page.rows[1].stars.value() == 5  # already rated: kept
    assert all(r.stars.value() == 2 and r.checked_reasons() == ["D02", "D03"] for r in [d.form_page.rows[0], *d.form_page.rows[2:]])
    assert d.form.targets[2].reasons == ["D02", "D03"]


def test_problems_frame_the_fields_and_clear_when_fixed(qtbot):
    d = make(qtbot)
    for r in d.form_page.rows:
        r.stars.setValue(1)
        r.set_reasons(["D01"])
    assert not d.record()
    assert d.form_page.detail_edit.property("invalid") and d.form_page.contact_phone_edit.property("invalid")
    d.form_page.contact_phone_edit.setText("0912")
    assert not d.form_page.contact_phone_edit.property("invalid")  # typing clears the frame
    d.form_page.detail_edit.setPlainText("x")
    d.form_page.contact_name_edit.setText("Lan")
    assert not d.record()
    assert "10 chữ số" in d.form_page.problems_area.label.text() or "10 digits" in d.form_page.problems_area.label.text()
    d.form_page.contact_phone_edit.setText("0912 345 678")
    assert d.record() and not d.form_page.problems_area.label.isVisible()


def test_send_requested_carries_the_summary_payload_once(qtbot):
    d = make(qtbot)
    for r in d.form_page.rows:
        r.stars.setValue(4)
        r.set_reasons(["S05"])
    assert d.record()
    with qtbot.waitSignal(d.send_requested) as blocker:
        d.summary_page.send_button.click()
    assert blocker.args[0] == d.payload
    assert not d.summary_page.send_button.isEnabled()  # no double send while the plugin records it
    d.send_failed("Chưa gửi được")
    assert d.summary_page.send_button.isEnabled() and "Chưa gửi được" in d.summary_page.banner.text()


def test_answered_view_is_read_only_and_shows_the_answer(qtbot):
    decl, handling = demo_declaration()
    form = AssessmentForm.for_declaration(decl, handling)
    for t in form.targets:
        t.set_stars(5)
        t.set_reason("S01", True)
    sent = {"state": "answered", "payload": form.to_payload(), "server_ref": "A-000042", "server_state": "answered",
            "answer": "Cảm ơn doanh nghiệp"}
    d = AssessmentDialog(AssessmentForm.from_payload(decl, handling, sent["payload"]), decl, sent=sent)
    qtbot.addWidget(d)
    assert d.pages.currentIndex() == d.PAGE_SUMMARY
    assert "A-000042" in d.summary_page.banner.text() and "Cảm ơn doanh nghiệp" in d.summary_page.banner.text()
    assert d.summary_page.send_button.isHidden() and d.summary_page.edit_button.isHidden() and d.summary_page.resend_button.isHidden()
    d.edit()
    assert d.pages.currentIndex() == d.PAGE_SUMMARY  # a final assessment cannot be edited
    closed = []
    d.closed_unrated.connect(closed.append)
    d.close()
    assert closed == []  # closing a sent assessment is not "closing without rating"
