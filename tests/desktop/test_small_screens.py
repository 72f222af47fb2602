"""Small screens (1366×768, 1024×768): the window fits, the key columns stay visible."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics

from tests.desktop.shell_helpers import app_context


def _fits(win) -> bool:
    """Inside the free area; no narrower than the window can be (the test screen is 800 px
    wide, less than the filter bar's minimum)."""
    free, frame = win.screen().availableGeometry(), win.frameGeometry()
    width = max(free.width(), win.minimumSizeHint().width() + frame.width() - win.width())
    return (frame.top() >= free.top() and frame.bottom() <= free.bottom() and frame.left() >= free.left()
            and frame.width() <= width)


def test_the_window_is_clamped_to_its_screen_at_start_and_when_the_screen_changes(qapp, qtbot, tmp_path):
    argv = ["--data-dir", str(tmp_path / "d")]
    with app_context(argv=argv, enable=()) as ctx:
        win = ctx.main_window
        free = win.screen().availableGeometry()
        # a geometry saved on a larger screen
        win.setGeometry(QRect(free.x() + 300, free.y() + 200, free.width() + 500, free.height() + 300))
        ctx.settings.set_value("window/geometry", win.saveGeometry())
        win.restore(ctx.settings)
        assert _fits(win)
        win.show()
        qtbot.waitExposed(win)
        win.resize(free.width() + 400, free.height() + 200)  # e.g. the screen's free area shrank
        win.screen().availableGeometryChanged.emit(free)
        qtbot.waitUntil(lambda: _fits(win), timeout=2000)
        assert win.statusBar().isVisible()


def test_headers_fit_their_text_and_plugin_columns_come_after_the_number(qapp, qtbot, tmp_path):
    from desktop.declarations.columns import ColumnSpec

    with app_context(argv=["--data-dir", str(tmp_path / "d")], enable=()) as ctx:
        view = ctx.main_window.list_view
        hh = view.table.horizontalHeader()
        fm = QFontMetrics(hh.font())
        for i, spec in enumerate(view.model.columns()):
            assert hh.sectionSize(i) >= fm.horizontalAdvance(spec.header_text()) + 16, spec.key
        view.add_column(ColumnSpec("rating", "Đánh giá", mark_plugin="satisfaction", width=150))
        keys = [view.model.columns()[hh.logicalIndex(v)].key for v in range(hh.count())]
        plugin_keys = [c.key for c in view.model.columns() if c not in view.model.builtin_columns()]
        assert plugin_keys[-1] == "rating"  # (the bundled assessment plugin's column comes before it)
        assert keys[:1 + len(plugin_keys)] == ["number", *plugin_keys]
        # in a 1024-pixel window the number and the rating are on screen without scrolling
        ctx.main_window.resize(1024, 700)
        ctx.main_window.show()
        qtbot.waitExposed(ctx.main_window)
        width = view.table.viewport().width()
        for key in plugin_keys + ["number"]:
            i = view.model.column_index(key)
            assert hh.sectionViewportPosition(i) + hh.sectionSize(i) <= width, key
