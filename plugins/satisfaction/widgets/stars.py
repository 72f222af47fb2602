"""A five-star rating widget usable with the keyboard alone, the mouse and a screen reader."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from domain.codes import RATING_LEVELS

STAR_SIZE = 24
GAP = 4
LABEL_GAP = 10
LABEL_WIDTH = 150


def level_text(stars: int, lang: str) -> str:
    level = RATING_LEVELS.get(stars)
    return level.label(lang) if level else ""


def _star_path(rect: QRectF) -> QPainterPath:
    import math

    cx, cy = rect.center().x(), rect.center().y()
    outer = min(rect.width(), rect.height()) / 2
    inner = outer * 0.45
    path = QPainterPath()
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        point = QPointF(cx + r * math.cos(angle), cy + r * math.sin(angle))
        if i == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    path.closeSubpath()
    return path


class StarRating(QWidget):
    """Value 0 (not rated) to 5.

    Keys: Right/Up = one more star, Left/Down = one less, digits 1–5 set the value,
    Home = 1, End = 5, 0/Backspace/Delete clear. Mouse: click a star; clicking the current
    value again clears it. The accessible name says who is rated and the level
    ("Công chức Nguyễn Văn An: 4 sao, Hài lòng"); the level label is painted next to the stars.
    """

    valueChanged = Signal(int)

    def __init__(self, subject: str = "", parent: QWidget | None = None, *, lang: str = "vi",
                 show_label: bool = True):
        super().__init__(parent)
        self._value = 0
        self._hover = 0
        self._subject = subject
        self._lang = lang
        self._read_only = False
        self._show_label = show_label
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._sync_accessible()

    # ---- value ------------------------------------------------------------------------------
    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:  # noqa: N802 - Qt naming
        value = max(0, min(5, int(value)))
        if value == self._value:
            return
        self._value = value
        self._sync_accessible()
        self.update()
        self.valueChanged.emit(value)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        self._read_only = read_only
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.PointingHandCursor)
        self._sync_accessible()

    def isReadOnly(self) -> bool:  # noqa: N802
        return self._read_only

    def set_subject(self, subject: str) -> None:
        self._subject = subject
        self._sync_accessible()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self._sync_accessible()
        self.update()

    def level_label(self) -> str:
        return level_text(self._value, self._lang)

    def value_text(self) -> str:
        if not self._value:
            return QCoreApplication.translate("StarRating", "not rated")
        count = self._value
        text = QCoreApplication.translate("StarRating", "%n star(s), %1", None, count)
        return text.replace("%1", self.level_label())

    def _sync_accessible(self) -> None:
        text = self.value_text()
        self.setAccessibleName(f"{self._subject}: {text}" if self._subject else text)
        self.setAccessibleDescription(QCoreApplication.translate(
            "StarRating", "Rating from 1 to 5 stars. Use the arrow keys or the digits 1 to 5; 0 clears."))
        self.setToolTip(text)

    # ---- geometry ---------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        width = 5 * STAR_SIZE + 4 * GAP + 4
        if self._show_label:
            width += LABEL_GAP + LABEL_WIDTH
        return QSize(width, STAR_SIZE + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def _star_rect(self, i: int) -> QRectF:
        return QRectF(2 + i * (STAR_SIZE + GAP), 3, STAR_SIZE, STAR_SIZE)

    def _star_at(self, x: float) -> int:
        for i in range(5):
            r = self._star_rect(i)
            if r.left() - GAP / 2 <= x <= r.right() + GAP / 2:
                return i + 1
        return 0

    # ---- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        shown = self._hover if (self._hover and not self._read_only) else self._value
        filled = QColor("#f5a623") if shown > 2 or shown == 0 else QColor("#d84315")
        outline = self.palette().color(self.foregroundRole())
        for i in range(5):
            path = _star_path(self._star_rect(i))
            p.setPen(QPen(outline if i >= shown else filled.darker(130), 1.2))
            p.setBrush(filled if i < shown else Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        if self.hasFocus():
            pen = QPen(self.palette().color(self.palette().ColorRole.Highlight), 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(0.5, 0.5, 5 * STAR_SIZE + 4 * GAP + 3, STAR_SIZE + 5), 3, 3)
        if self._show_label:
            text = level_text(shown, self._lang) if shown else QCoreApplication.translate("StarRating", "not rated")
            p.setPen(self.palette().color(self.foregroundRole()) if shown else self.palette().color(
                self.palette().ColorRole.PlaceholderText))
            left = 5 * STAR_SIZE + 4 * GAP + 4 + LABEL_GAP
            p.drawText(QRectF(left, 0, self.width() - left, self.height()),
                       int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        p.end()

    # ---- input ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._read_only:
            super().keyPressEvent(event)
            return
        key = event.key()
        K = Qt.Key
        if key in (K.Key_Right, K.Key_Up, K.Key_Plus):
            self.setValue(min(5, self._value + 1))
        elif key in (K.Key_Left, K.Key_Down, K.Key_Minus):
            self.setValue(max(1, self._value - 1) if self._value else 0)
        elif K.Key_1 <= key <= K.Key_5:
            self.setValue(key - K.Key_0)
        elif key == K.Key_Home:
            self.setValue(1)
        elif key == K.Key_End:
            self.setValue(5)
        elif key in (K.Key_0, K.Key_Backspace, K.Key_Delete):
            self.setValue(0)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hover = self._star_at(event.position().x())
        if hover != self._hover:
            self._hover = hover
            self.update()

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._hover = 0
        self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._read_only or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        star = self._star_at(event.position().x())
        if star:
            self.setValue(0 if star == self._value else star)
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)
