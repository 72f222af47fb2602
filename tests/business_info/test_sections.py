"""The form's sections (``plugins.business_info.sections``) on their own: values in and out,
marking the fields the rules refused."""
from __future__ import annotations

from PySide6.QtGui import QColor

from domain.submissions import FieldError
from plugins.business_info.labels import column_labels, error_text, field_labels, section_labels
from plugins.business_info.sections import SECTIONS, FormSections

from .test_core import good_values


def test_values_come_back_as_they_were_shown(qtbot):
    tabs = FormSections()
    qtbot.addWidget(tabs)
    values = good_values()
    tabs.set_values(values)
    out = tabs.values()
    assert out["identity"] == values["identity"] and out["contact"]["phone"] == "+84 912 345 678"
    assert out["trade"] == {"hs_chapters": "84, 85", "offices": ["03CE"], "turnover": "10-50"}
    assert out["business_lines"] == ["4610", "5210"]
    assert out["bank_accounts"] == values["bank_accounts"]
    assert out["sites"] == [{"kind": "warehouse", "address": "Lô 5, KCN Đình Vũ", "phone": ""}]
    assert out["related_parties"] == [] and out["reason"] == "" and out["request_id"] == ""
    assert [tabs.tabText(i) for i in range(tabs.count())] == [section_labels()[s] for s in SECTIONS]


def test_every_edit_is_announced_once_watched(qtbot):
    tabs = FormSections()
    qtbot.addWidget(tabs)
    tabs.set_values(good_values())
    seen = []
    tabs.changed.connect(lambda: seen.append(1))
    tabs.edits["identity.name"].setText("before watching")
    rows_only = len(seen)
    tabs.watch_edits()
    tabs.edits["identity.name"].setText("X")
    tabs.edits["identity.address"].setPlainText("Y")
    tabs.edits["trade.turnover"].setCurrentIndex(2)
    tabs.rows["sites"].add_row({})
    assert rows_only == 0 and len(seen) == 4


def test_a_refused_field_is_outlined_and_a_refused_cell_highlighted(qtbot):
    tabs = FormSections()
    qtbot.addWidget(tabs)
    tabs.set_values(good_values())
    email = tabs.edits["identity.email"]
    assert tabs.mark("identity.email") is email
    assert email.property("invalid") is True and "c62828" in email.styleSheet()
    assert tabs.mark("bank_accounts[0].number") is None
    bank = tabs.rows["bank_accounts"].table
    assert bank.item(0, 1).background().color() == QColor("#ffcdd2")
    tabs.clear_marks()
    assert email.property("invalid") is False and email.styleSheet() == ""
    assert bank.item(0, 1).background().color() != QColor("#ffcdd2")
    assert tabs.mark("other.employees") is None


def test_error_texts_name_the_field_and_the_row():
    fields, columns = field_labels(), column_labels()
    email = error_text(FieldError("identity.email", "is not an e-mail address"))
    assert email.startswith(fields["identity.email"].replace("&", "") + ": ") and "ketoan@congty.vn" in email
    site = error_text(FieldError("sites[1].address", "is required"))
    assert site.startswith(f"{fields['sites']} 2: {columns['address']}: ")
    assert error_text(FieldError("other", "strange")) == f"{fields['other']}: strange"
