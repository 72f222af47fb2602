"""The assessment form's problem list: it keeps the targets' room, it follows the user's
fixes, and "Sửa" puts a visible focus on the first field."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from plugins.satisfaction.translations import install_translator

from .test_form_widget import make


@pytest.fixture
def dialog(qtbot):
    install_translator(QApplication.instance(), "vi")
    d = make(qtbot)
    d.resize(1000, 640)  # a 1366x768 laptop: the dialog is not much higher than this
    d.show()
    qtbot.waitExposed(d)
    return d


def visible_rows(d) -> int:
    """Target rows fully inside the visible part of the targets area."""
    viewport = d.form_page.targets_area.viewport()
    count = 0
    for row in d.form_page.rows:
        top = row.mapTo(viewport, QPoint(0, 0)).y()
        if top >= 0 and top + row.height() <= viewport.height():
            count += 1
    return count


def test_the_problem_list_does_not_squeeze_the_targets(qtbot, dialog):
    d = dialog
    assert len(d.form_page.rows) >= 8
    before = d.form_page.targets_area.height()
    rows_before = visible_rows(d)
    assert not d.record()  # nothing filled: a problem per target
    qtbot.wait(20)
    assert len(d.form_page.problem_texts()) >= 8 and d.form_page.problems_area.label.isVisible()
    assert d.form_page.targets_area.height() >= before - 2, (before, d.form_page.targets_area.height())
    assert visible_rows(d) >= rows_before >= 2
    # the whole list is still there: it scrolls
    assert all(t in d.form_page.problems_area.label.text() for t in d.form_page.problem_texts())
    assert d.form_page.problems_area.verticalScrollBar().maximum() > 0


def test_the_problem_list_follows_the_fixes(qtbot, dialog):
    d = dialog
    assert not d.record()
    first = d.form_page.rows[0]
    name = first.target.name
    assert name in d.form_page.problems_area.label.text()
    assert first.stars.property("invalid")
    qtbot.keyClick(first.stars, Qt.Key.Key_4)  # stars given: the list now asks for a reason
    first.reasons.setFocus()
    qtbot.keyClick(first.reasons, Qt.Key.Key_Space)  # and a reason: that target is done
    assert not any(name in t for t in _listed(d))
    assert not first.stars.property("invalid") and not first.reasons.property("invalid")
    assert d.form_page.rows[1].stars.property("invalid")  # the others are still framed and listed
    assert any(d.form_page.rows[1].target.name in t for t in _listed(d))
    # everything fixed: the list goes away without another "Ghi"
    for r in d.form_page.rows[1:]:
        r.stars.setValue(5)
        r.set_reasons(["S05"])
    assert not d.form_page.problems_area.isVisible() and d.form_page.problem_texts() == []


def _listed(d) -> list[str]:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(d.form_page.problems_area.label.text())
    return [line for line in doc.toPlainText().splitlines() if line.strip()][1:]


def test_edit_focuses_the_first_target_with_a_visible_frame(qtbot, dialog):
    d = dialog
    for r in d.form_page.rows:
        r.stars.setValue(4)
        r.set_reasons(["S05"])
    d.form_page.contact_phone_edit.setFocus()  # the user ended at the bottom of the form
    d.form_page.targets_area.verticalScrollBar().setValue(d.form_page.targets_area.verticalScrollBar().maximum())
    assert d.record()
    qtbot.mouseClick(d.summary_page.edit_button, Qt.MouseButton.LeftButton)
    assert d.pages.currentIndex() == d.PAGE_FORM
    first = d.form_page.rows[0]
    assert first.stars.hasFocus()
    top = first.mapTo(d.form_page.targets_area.viewport(), QPoint(0, 0)).y()
    assert 0 <= top < d.form_page.targets_area.viewport().height()  # scrolled into view
    assert first.property("current") is True  # framed (QFrame#targetRow[current="true"])
    assert not any(r.property("current") for r in d.form_page.rows[1:])
    # the frame follows the focus
    qtbot.keyClick(first.stars, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert d.form_page.rows[1].isAncestorOf(QApplication.focusWidget())
    assert d.form_page.rows[1].property("current") is True and not first.property("current")


def test_edit_focuses_a_target_still_needing_attention(qtbot, dialog):
    d = dialog
    for r in d.form_page.rows:
        r.stars.setValue(4)
        r.set_reasons(["S05"])
    assert d.record()
    d.edit()
    d.form_page.rows[2].set_reasons([])  # e.g. the draft restored a target without its reason
    d.form_page.focus_first_field()
    assert d.form_page.rows[2].reasons.hasFocus() and d.form_page.rows[2].property("current") is True
