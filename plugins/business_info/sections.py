"""The enterprise-information form's sections, one tab each: identity, contact person,
business lines, import and export, bank accounts, sites and warehouses, related parties.
:class:`FormSections` builds their fields, shows values in them and gives them back, and
marks the fields the rules refused; :class:`RowsEditor` is a section of repeatable rows."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from domain.business_info import vsic_codes
from domain.codes import OFFICES

from .core import CONTACT_FIELDS, IDENTITY_FIELDS, ROW_COLUMNS, empty_values
from .labels import choice_labels, column_labels, field_labels, section_labels

SECTIONS = ("identity", "contact", "business_lines", "trade", "bank_accounts", "sites", "related_parties")
ROW_SECTIONS = ("bank_accounts", "sites", "related_parties")


def tr(text: str) -> str:
    return QCoreApplication.translate("business_info", text)


def mark_invalid(widget: QWidget) -> None:
    """Outline a field the rules refused."""
    widget.setProperty("invalid", True)
    widget.setStyleSheet("border: 1px solid #c62828;")


def _labelled(form: QFormLayout, text: str, widget: QWidget) -> None:
    """A row of ``form``: the field's label ``text`` (its shortcut focuses the field), then the field."""
    label = QLabel(text)
    label.setBuddy(widget)
    form.addRow(label, widget)


class RowsEditor(QWidget):
    """A repeatable group of fields: one table row each, with Add and Remove."""

    changed = Signal()

    def __init__(self, key: str, columns: tuple[str, ...], choices: dict[str, list[tuple[str, str]]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.columns = columns
        self.choices = choices
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName(f"business_info.{key}")
        self.table.setHorizontalHeaderLabels([column_labels().get(c, c) for c in columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(section_labels().get(key, key))
        self.table.itemChanged.connect(lambda *_: self.changed.emit())
        self.add_button = QPushButton(tr("&Add a row"))
        self.add_button.setObjectName(f"business_info.{key}.add")
        self.remove_button = QPushButton(tr("&Remove the row"))
        self.remove_button.setObjectName(f"business_info.{key}.remove")
        self.add_button.clicked.connect(lambda: self.add_row({}, focus=True))
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, row: dict[str, Any], *, focus: bool = False) -> None:
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        for c, col in enumerate(self.columns):
            value = str(row.get(col) or "")
            if col in self.choices:
                combo = QComboBox()
                combo.addItem("", "")
                for data, text in self.choices[col]:
                    combo.addItem(text, data)
                combo.setCurrentIndex(max(combo.findData(value), 0))
                combo.currentIndexChanged.connect(lambda *_: self.changed.emit())
                self.table.setCellWidget(r, c, combo)
            else:
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self.changed.emit()
        if focus:
            self.table.setCurrentCell(r, 0)
            self.table.setFocus()

    def remove_current(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            r = self.table.rowCount() - 1
        if r >= 0:
            self.table.removeRow(r)
            self.changed.emit()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row)

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.table.rowCount()):
            row: dict[str, Any] = {}
            for c, col in enumerate(self.columns):
                widget = self.table.cellWidget(r, c)
                if isinstance(widget, QComboBox):
                    row[col] = widget.currentData() or ""
                else:
                    item = self.table.item(r, c)
                    row[col] = item.text().strip() if item is not None else ""
            if any(v for v in row.values()):
                out.append(row)  # an empty row is left out, not refused
        return out

    def mark(self, row: int | None, column: str | None) -> None:
        """Highlight a cell with a problem (row None: clear every mark)."""
        for r in range(self.table.rowCount()):
            for c in range(len(self.columns)):
                item = self.table.item(r, c)
                if item is not None and row is None:
                    item.setBackground(QBrush())
        if row is None or row >= self.table.rowCount():
            return
        c = self.columns.index(column) if column in self.columns else 0
        item = self.table.item(row, c)
        if item is not None:
            item.setBackground(QBrush(QColor("#ffcdd2")))


class FormSections(QTabWidget):
    """The sections as tabs. ``edits`` holds the one-value fields by path (``identity.name``),
    ``offices`` the customs units to tick, ``rows`` the repeatable sections; ``changed`` is
    emitted on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("business_info.sections")
        self.edits: dict[str, Any] = {}
        choices, sections = choice_labels(), section_labels()
        self.addTab(self._form_tab("identity", IDENTITY_FIELDS), sections["identity"])
        self.addTab(self._form_tab("contact", CONTACT_FIELDS), sections["contact"])
        self.rows: dict[str, RowsEditor] = {
            "business_lines": RowsEditor("business_lines", ("code",), {"code": self._business_line_choices()}),
            "bank_accounts": RowsEditor("bank_accounts", ROW_COLUMNS["bank_accounts"], {}),
            "sites": RowsEditor("sites", ROW_COLUMNS["sites"], {"kind": choices["kind"]}),
            "related_parties": RowsEditor("related_parties", ROW_COLUMNS["related_parties"],
                                          {"relation": choices["relation"]}),
        }
        self.addTab(self._business_lines_tab(), sections["business_lines"])
        self.addTab(self._trade_tab(choices["turnover"]), sections["trade"])
        for key in ROW_SECTIONS:
            self.addTab(self.rows[key], sections[key])
        for editor in self.rows.values():
            editor.changed.connect(self.changed)

    def watch_edits(self) -> None:
        """From now on every field (not only the repeatable rows) emits ``changed``."""
        for w in self.edits.values():
            signal = getattr(w, "textChanged", None) or w.currentIndexChanged
            signal.connect(self.changed)
        self.offices.itemChanged.connect(lambda *_: self.changed.emit())

    # ---- building ------------------------------------------------------------------------------
    def _form_tab(self, section: str, fields: tuple[str, ...]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = field_labels()
        for key in fields:
            path = f"{section}.{key}"
            if path == "identity.address":
                w: Any = QPlainTextEdit()
                w.setTabChangesFocus(True)
                w.setFixedHeight(56)
            else:
                w = QLineEdit()
            w.setObjectName(f"business_info.{path}")
            w.setAccessibleName(labels[path].replace("&", ""))
            _labelled(form, labels[path], w)
            self.edits[path] = w
        return page

    @staticmethod
    def _business_line_choices() -> list[tuple[str, str]]:
        """Every VSIC code with its name in the language shown."""
        lang_vi = QCoreApplication.translate("business_info", "Business lines") != "Business lines"
        return [(code, f"{code} – {names[0] if lang_vi else names[1]}") for code, names in sorted(vsic_codes().items())]

    def _business_lines_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel(tr("The first line is the main business line."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.rows["business_lines"])
        return page

    def _trade_tab(self, turnover: list[tuple[str, str]]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        labels = field_labels()
        chapters = QLineEdit()
        chapters.setObjectName("business_info.trade.hs_chapters")
        chapters.setPlaceholderText(tr("for example 84, 85, 39"))
        chapters.setAccessibleName(labels["trade.hs_chapters"].replace("&", ""))
        self.edits["trade.hs_chapters"] = chapters
        combo = QComboBox()
        combo.setObjectName("business_info.trade.turnover")
        combo.addItem(tr("— choose —"), "")
        for data, text in turnover:
            combo.addItem(text, data)
        combo.setAccessibleName(labels["trade.turnover"].replace("&", ""))
        self.edits["trade.turnover"] = combo
        self.offices = QListWidget()
        self.offices.setObjectName("business_info.trade.offices")
        self.offices.setAccessibleName(labels["trade.offices"].replace("&", ""))
        for code, office in OFFICES.items():
            item = QListWidgetItem(f"{code} – {office.vi}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.offices.addItem(item)
        _labelled(form, labels["trade.hs_chapters"], chapters)
        _labelled(form, labels["trade.turnover"], combo)
        form.addRow(QLabel(labels["trade.offices"]), self.offices)
        return page

    # ---- values ------------------------------------------------------------------------------
    def set_values(self, values: dict[str, Any]) -> None:
        for path, w in self.edits.items():
            section, _, key = path.partition(".")
            value = (values.get(section) or {}).get(key, "")
            if isinstance(value, list):
                value = ", ".join(value)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(w.findData(value or ""), 0))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(str(value or ""))
            else:
                w.setText(str(value or ""))
        offices = set((values.get("trade") or {}).get("offices") or [])
        for i in range(self.offices.count()):
            item = self.offices.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in offices
                               else Qt.CheckState.Unchecked)
        self.rows["business_lines"].set_rows([{"code": c} for c in values.get("business_lines") or []])
        for key in ROW_SECTIONS:
            self.rows[key].set_rows(list(values.get(key) or []))

    def values(self) -> dict[str, Any]:
        """The sections' values in the shape of :func:`core.empty_values` (no reason yet)."""
        out = empty_values()
        for path, w in self.edits.items():
            section, _, key = path.partition(".")
            if isinstance(w, QComboBox):
                value: Any = w.currentData() or ""
            elif isinstance(w, QPlainTextEdit):
                value = w.toPlainText()
            else:
                value = w.text()
            out[section][key] = value
        out["trade"]["offices"] = [self.offices.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.offices.count())
                                   if self.offices.item(i).checkState() == Qt.CheckState.Checked]
        out["business_lines"] = [r["code"] for r in self.rows["business_lines"].rows()]
        for key in ROW_SECTIONS:
            out[key] = self.rows[key].rows()
        return out

    # ---- problems ----------------------------------------------------------------------------
    def clear_marks(self) -> None:
        for w in self.edits.values():
            w.setProperty("invalid", False)
            w.setStyleSheet("")
        for editor in self.rows.values():
            editor.mark(None, None)

    def mark(self, path: str) -> QWidget | None:
        """Mark the field at ``path`` (in a repeatable section, the row's cell ``section[i].column``);
        answers the field's widget to focus, None for a table cell or an unknown path."""
        w = self.edits.get(path) or (self.offices if path == "trade.offices" else None)
        if w is not None:
            mark_invalid(w)
            return w
        section = path.split("[")[0].split(".")[0]
        if section in self.rows:
            row = None
            if "[" in path:
                idx = path.split("[", 1)[1].split("]", 1)[0]
                row = int(idx) if idx.isdigit() else None
            self.rows[section].mark(row if row is not None else 0, path.rsplit(".", 1)[-1] if row is not None else None)
        return None
