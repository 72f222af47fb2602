"""The declaration table: a ``QTableView`` set up for the list (whole-row single selection,
movable columns, fixed row height, a "loading" placeholder until the first answer) and the
column layout — widths at least as wide as their header text, the visual order, hidden
columns, the header's show/hide menu and the sort indicator — as the list view saves and
restores it."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QTableView, QWidget

from .columns import ColumnSpec
from .model import DeclarationTableModel

__all__ = ["DeclarationTable"]


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


# A header section's margins (QStyle.PM_HeaderMargin: 4 px in Qt's own styles, on both
# sides) and its sort indicator. A constant, so that the first widths do not create
# PySide's QStyle wrapper (all its enums) before the first paint.
HEADER_PADDING = 2 * 4 + 16


class DeclarationTable(QTableView):
    """The table of the declaration list, on a :class:`DeclarationTableModel`."""

    def __init__(self, model: DeclarationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declarationTable")
        self.setModel(model)
        self.list_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vh = self.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        hh.setHighlightSections(False)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        for i, spec in enumerate(model.columns()):
            self.setColumnWidth(i, self.default_width(spec))
        # until the first query answers, the empty table says the list is loading (not "0")
        self.placeholder = QLabel(self.viewport())
        self.placeholder.setObjectName("listPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)  # drawn greyed, like a placeholder text
        self.placeholder.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.viewport() and event.type() == QEvent.Type.Resize:
            self.placeholder.setGeometry(self.viewport().rect())
        return super().eventFilter(obj, event)

    # ---- sort indicator -----------------------------------------------------------------------------
    def show_sort(self, column: int, descending: bool) -> None:
        """Put the header's sort indicator on ``column`` (-1: none) without emitting."""
        hh = self.horizontalHeader()
        hh.blockSignals(True)
        if column >= 0:
            hh.setSortIndicator(column, _order(descending))
        else:
            hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        hh.blockSignals(False)
        hh.viewport().update()

    # ---- column layout -------------------------------------------------------------------------------
    def default_width(self, spec: ColumnSpec) -> int:
        """The column's width, at least its header text's (plus the sort indicator)."""
        text = self.horizontalHeader().fontMetrics().horizontalAdvance(spec.header_text())
        return max(spec.width, text + HEADER_PADDING)

    def place_after_number(self, logical: int) -> None:
        """Move a plugin's new column right after the number (and the plugin columns already
        there), so it is visible on a small screen without scrolling."""
        model, hh = self.list_model, self.horizontalHeader()
        after = hh.visualIndex(model.column_index("number"))
        builtin = model.builtin_columns()
        extra = [model.column_index(c.key) for c in model.columns()[:logical] if c not in builtin]
        target = max([after] + [hh.visualIndex(j) for j in extra]) + 1
        hh.moveSection(hh.visualIndex(logical), target)

    def apply_order(self, order: list[str] | None) -> None:
        """Show the columns named in ``order`` first, in that order (unknown keys skipped)."""
        if not order:
            return
        hh = self.horizontalHeader()
        keys = [c.key for c in self.list_model.columns()]
        visual = 0
        for key in order:
            if key not in keys:
                continue
            current = hh.visualIndex(keys.index(key))
            if current != visual:
                hh.moveSection(current, visual)
            visual += 1

    def apply_layout(self, widths: dict[str, int], hidden: list[str], order: list[str]) -> None:
        for i, c in enumerate(self.list_model.columns()):
            if c.key in widths:
                self.setColumnWidth(i, widths[c.key])
            self.setColumnHidden(i, c.key in hidden)
        self.apply_order(order)

    def layout_state(self, widths: dict[str, int]) -> dict[str, Any]:
        """Widths (over ``widths``, the remembered ones of absent columns), order and hidden
        columns by key."""
        hh = self.horizontalHeader()
        cols = self.list_model.columns()
        widths = dict(widths)
        widths.update({c.key: int(hh.sectionSize(i)) for i, c in enumerate(cols) if not hh.isSectionHidden(i)})
        return {"widths": widths,
                "order": [cols[hh.logicalIndex(v)].key for v in range(hh.count())],
                "hidden": [c.key for i, c in enumerate(cols) if hh.isSectionHidden(i)]}

    # ---- show/hide menu ------------------------------------------------------------------------------
    def _header_menu(self, pos: QPoint) -> None:
        menu = self.build_header_menu()
        menu.popup(self.horizontalHeader().mapToGlobal(pos))

    def build_header_menu(self) -> QMenu:
        """Show/hide columns (at least one stays visible)."""
        menu = QMenu(self)
        menu.setObjectName("columnsMenu")
        hh = self.horizontalHeader()
        visible = [i for i in range(hh.count()) if not hh.isSectionHidden(i)]
        for i, spec in enumerate(self.list_model.columns()):
            action = QAction(spec.header_text(), menu)
            action.setCheckable(True)
            action.setChecked(not hh.isSectionHidden(i))
            action.setEnabled(not (len(visible) == 1 and i in visible))
            action.toggled.connect(lambda on, i=i: self.setColumnHidden(i, not on))
            menu.addAction(action)
        return menu

    def retranslate(self) -> None:
        self.setAccessibleName(_t("Declaration list"))
        self.placeholder.setText(_t("Loading declarations…"))
