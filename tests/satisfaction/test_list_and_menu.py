"""The plugin in the main window: menu actions, the list column, the unrated view, opening
from the list, the warning at start-up, reflections."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from plugins.satisfaction.core import Mark, RatingState, is_unrated_in_window
from plugins.satisfaction.column import column_value
from plugins.satisfaction.core import unrated_filter
from plugins.satisfaction.widgets.form import AssessmentDialog
from plugins.satisfaction.widgets.reflection import ReflectionDialog

from .conftest import DEMO_TODAY, UNRATED_TITLE, find_declaration, program, rate_all_five_and_send, settle


def other_menu_action(ctx, object_name: str):
    for action in ctx.menus["other"].actions():
        if action.objectName() == object_name:
            return action
    raise AssertionError(f"no action {object_name} in Nghiệp vụ khác")


def wait_list(qtbot, view, title: str | None = None):
    settle(qtbot, view, title)


def column_index(view, header: str) -> int:
    model = view.table.model()
    for i in range(model.columnCount()):
        if model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == header:
            return i
    raise AssertionError(f"no column {header!r}")


def cell(view, number: str, header: str) -> str:
    model = view.table.model()
    row = model.row_of_number(number)
    assert row >= 0, number
    return model.data(model.index(row, column_index(view, header)), Qt.ItemDataRole.DisplayRole)


def test_menu_entries_in_vietnamese(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        texts = {a.objectName(): a.text() for a in ctx.menus["other"].actions()}
        assert texts["satisfaction.unrated"] == "Đánh giá sự hài lòng"
        assert texts["satisfaction.assess"] == "Đánh giá tờ khai đang chọn"
        assert texts["satisfaction.reflect"] == "Gửi phản ánh"
        assert texts["satisfaction.answers"] == "Kết quả đánh giá, phản ánh"
        assert other_menu_action(ctx, "satisfaction.assess").shortcut().toString() == "Ctrl+Shift+G"


def test_unrated_view_from_the_menu_matches_the_rule(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        view = ctx.main_window.list_view
        other_menu_action(ctx, "satisfaction.unrated").trigger()
        wait_list(qtbot, view, UNRATED_TITLE)
        flt = view.filter()
        assert flt.title == "Tờ khai chưa đánh giá"
        model = view.table.model()
        shown = {model.number_at(i) for i in range(model.rowCount())}
        # ground truth: the reminder rule applied to every declaration of the store
        store = ctx.declaration_store
        rows = store.conn.execute("SELECT number, status, channel, cleared_at, registered_at FROM declarations")
        expected = {n for n, s, ch, c, r in rows
                    if is_unrated_in_window({"status": s, "channel": ch, "cleared_at": c, "registered_at": r},
                                            None, DEMO_TODAY, 30)}
        assert expected and shown == expected
        assert ctx.satisfaction.reminder.count() == len(expected)
        # every row says "Chưa đánh giá" in the plugin's column
        for number in list(shown)[:20]:
            assert cell(view, number, "Đánh giá") == "Chưa đánh giá"


def test_open_from_list_selection_and_activation_then_column_and_view_update(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        view = ctx.main_window.list_view
        other_menu_action(ctx, "satisfaction.unrated").trigger()
        wait_list(qtbot, view, UNRATED_TITLE)
        model = view.table.model()
        number = model.number_at(0)
        before = model.rowCount()

        # from the menu with the selected declaration
        assert view.select_number(number)
        assert plugin.api.current_declaration() == number
        other_menu_action(ctx, "satisfaction.assess").trigger()
        dialog = plugin.dialogs[number]
        qtbot.addWidget(dialog)
        assert isinstance(dialog, AssessmentDialog) and dialog.isVisible()
        dialog.close()
        QApplication.processEvents()

        # from the list: Enter on the row (activation) opens the same form
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: plugin.dialogs[number].isVisible(), timeout=3000)
        dialog = plugin.dialogs[number]
        qtbot.addWidget(dialog)
        rate_all_five_and_send(qtbot, dialog)
        assert ctx.declaration_store.marks("satisfaction", [number]) == {number: "queued:5"}
        # the view of unrated declarations loses it, the column shows it as queued
        qtbot.waitUntil(lambda: view.table.model().rowCount() == before - 1, timeout=10000)
        wait_list(qtbot, view, UNRATED_TITLE)
        assert view.table.model().row_of_number(number) < 0
        view.set_filter(view.filter().with_(mark=None, title="", statuses=frozenset(), channels=frozenset(),
                                            date_from=None, date_to=None, search=number))
        qtbot.waitUntil(lambda: view.table.model().filter().search == number, timeout=10000)
        wait_list(qtbot, view)
        assert cell(view, number, "Đánh giá") == "Chờ gửi ★★★★★"


def test_column_texts(qapp):
    from plugins.satisfaction.translations import install_translator

    cleared = {"status": "cleared", "channel": 1, "marks": {}}
    translator = install_translator(qapp, "vi")
    try:
        assert column_value(cleared) == "Chưa đánh giá"
        assert column_value({"status": "channeled", "channel": 1, "marks": {}}) == ""
        assert column_value({"status": "channeled", "channel": 1,
                             "marks": {"satisfaction": "reflected:0:r2"}}) == "2 phản ánh"
        assert column_value({"status": "cleared", "channel": 1,
                             "marks": {"satisfaction": "reflected:0:r2"}}) == "Chưa đánh giá · 2 phản ánh"
        assert column_value({"status": "cleared", "channel": 1,
                             "marks": {"satisfaction": "answered:2:r1"}}) == "Đã trả lời ★★☆☆☆ · 1 phản ánh"
        assert column_value({"status": "cleared", "channel": 1,
                             "marks": {"satisfaction": "rejected:1"}}) == "Bị từ chối ★☆☆☆☆"
        install_translator(qapp, "en")
        assert column_value({"status": "cleared", "channel": 1,
                             "marks": {"satisfaction": "reflected:0:r2"}}) == "Not rated · 2 reflections"
    finally:
        from plugins.satisfaction import translations

        t = translations._installed.pop(id(qapp), None)
        if t is not None:
            qapp.removeTranslator(t)
    del translator


def test_warning_at_start_up_then_view(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        ctx.show()  # the host runs the startup prompts once the window is shown
        qtbot.waitUntil(lambda: plugin.reminder.warning is not None and plugin.reminder.warning.isVisible(), timeout=10000)
        warning = plugin.reminder.warning
        qtbot.addWidget(warning)
        expected = plugin.reminder.count()
        assert warning.count == expected > 0
        assert f"Có {expected} tờ khai chưa được đánh giá" in warning.message_text()
        # keyboard: the mnemonics are Alt+X (Xem) and Alt+S (Để sau); Enter = the default, Xem
        assert warning.view_button.shortcut().toString() == "Alt+X"
        assert warning.later_button.shortcut().toString() == "Alt+S"
        warning.view_button.setFocus()
        qtbot.keyClick(warning.view_button, Qt.Key.Key_Return)
        assert not warning.isVisible()
        view = ctx.main_window.list_view
        wait_list(qtbot, view, UNRATED_TITLE)
        assert view.filter().title == "Tờ khai chưa đánh giá"
        assert view.table.model().rowCount() == expected


def test_reflection_during_the_procedure(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        view = ctx.main_window.list_view
        wait_list(qtbot, view)
        channeled = find_declaration(ctx, status="channeled")
        new = ctx.declaration_store.conn.execute("SELECT number FROM declarations WHERE status = 'new'").fetchone()[0]

        # not possible before the channel: a clear, non-blocking notice
        assert plugin.open_reflection(new) is None
        notice = plugin.notices[-1]
        assert new in notice.text() and "phân luồng" in notice.text()

        # the assessment is not possible during the procedure: the notice offers a reflection
        assert plugin.open_assessment(channeled) is None
        offer = plugin.notices[-1]
        assert offer.action_button is not None
        qtbot.mouseClick(offer.action_button, Qt.MouseButton.LeftButton)
        dialog = plugin.reflection_dialogs[channeled]
        qtbot.addWidget(dialog)
        assert isinstance(dialog, ReflectionDialog)
        assert not dialog.send()  # empty: problems shown
        assert dialog.problems_label.isVisible()
        dialog.name_edit.insert("Trần Văn Nam")
        qtbot.keyClicks(dialog.phone_edit, "0987.654.321")
        dialog.content_edit.insertPlainText("Hồ sơ nộp từ sáng chưa được tiếp nhận")
        dialog.targets_list.setFocus()
        dialog.targets_list.setCurrentRow(0)
        qtbot.keyClick(dialog.targets_list, Qt.Key.Key_Space)
        assert dialog.send()
        rows = plugin.store.submissions(kind="reflection")
        assert len(rows) == 1 and rows[0]["payload"]["phone"] == "0987654321"
        assert rows[0]["payload"]["targets"] == [{"target_kind": dialog.form.targets[0].kind,
                                                  "target_code": dialog.form.targets[0].code}]
        assert ctx.declaration_store.marks("satisfaction", [channeled]) == {channeled: "reflected:0:r1"}
        assert dialog.was_sent and "khi có kết nối" in dialog.banner.text()


def test_window_of_the_reminder_is_a_setting(tmp_path, demo_store_file, qtbot):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        wide = plugin.reminder.count()
        plugin.api.settings.set("reminder_days", 3)
        narrow = plugin.reminder.count()
        assert 0 < narrow < wide
        flt = unrated_filter(date(2026, 11, 20), 3)
        assert (flt.date_from, flt.date_to) == (date(2026, 11, 18), date(2026, 11, 20))
        assert Mark.decode("queued:5").state is RatingState.QUEUED


def test_language_switch_to_english(qtbot, tmp_path, demo_store_file):
    with program(tmp_path / "data", demo_store_file) as ctx:
        plugin = ctx.satisfaction
        ctx.set_language("en")
        assert other_menu_action(ctx, "satisfaction.assess").text() == "Assess the selected declaration"
        number = find_declaration(ctx, status="cleared")
        dialog = plugin.open_assessment(number)
        qtbot.addWidget(dialog)
        assert dialog.form_page.record_button.text() == "&Record"
        assert dialog.form_page.rows[0].kind_label.text() == "Official"
        model = ctx.main_window.list_view.model
        col = [c.key for c in model.columns()].index("satisfaction.state")
        assert model.headerData(col, Qt.Orientation.Horizontal) == "Assessment"
        ctx.set_language("vi")
        assert other_menu_action(ctx, "satisfaction.assess").text() == "Đánh giá tờ khai đang chọn"
        assert model.headerData(col, Qt.Orientation.Horizontal) == "Đánh giá"
