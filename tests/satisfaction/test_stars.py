"""The star rating widget: keyboard, mouse, read-only, accessible name."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from plugins.satisfaction.widgets.stars import GAP, STAR_SIZE, StarRating


def test_keyboard_sets_every_value(qtbot):
    w = StarRating("Công chức Nguyễn Văn An", lang="vi")
    qtbot.addWidget(w)
    w.show()
    seen = []
    w.valueChanged.connect(seen.append)
    K = Qt.Key
    steps = [(K.Key_Left, 0), (K.Key_Right, 1), (K.Key_Up, 2), (K.Key_Down, 1), (K.Key_Left, 1), (K.Key_End, 5),
             (K.Key_Right, 5), (K.Key_Home, 1), (K.Key_4, 4), (K.Key_0, 0), (K.Key_3, 3), (K.Key_Backspace, 0),
             (K.Key_2, 2), (K.Key_Delete, 0)]
    for key, expected in steps:
        qtbot.keyClick(w, key)
        assert w.value() == expected, (key, expected)
    assert seen == [1, 2, 1, 5, 1, 4, 0, 3, 0, 2, 0]


def test_accessible_name_follows_the_value(qtbot, qapp):
    from plugins.satisfaction import translations

    translator = translations.install_translator(qapp, "en")
    qtbot.addWidget(w := StarRating("Công chức Nguyễn Văn An", lang="en"))
    try:
        _check_accessible(w)
    finally:
        translations._installed.pop(id(qapp), None)
        qapp.removeTranslator(translator)


def _check_accessible(w):
    assert w.accessibleName().startswith("Công chức Nguyễn Văn An: ")
    w.setValue(4)
    assert w.accessibleName() == "Công chức Nguyễn Văn An: 4 stars, Satisfied"
    assert w.toolTip() == "4 stars, Satisfied"
    assert "arrow keys" in w.accessibleDescription()
    w.setValue(1)
    assert w.accessibleName().endswith(": 1 star, Very dissatisfied")
    assert w.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_mouse_click_sets_and_clears_and_read_only_ignores(qtbot):
    w = StarRating("x")
    qtbot.addWidget(w)
    w.show()
    centre = lambda i: QPoint(int(2 + i * (STAR_SIZE + GAP) + STAR_SIZE / 2), int(3 + STAR_SIZE / 2))  # noqa: E731
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=centre(2))
    assert w.value() == 3
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=centre(2))
    assert w.value() == 0  # clicking the current value again clears it
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=centre(4))
    assert w.value() == 5
    w.setReadOnly(True)
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=centre(0))
    qtbot.keyClick(w, Qt.Key.Key_1)
    assert w.value() == 5
