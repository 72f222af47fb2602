"""The enterprise-information form: a non-modal dialog in sections that never loses what
was typed. "Record" checks the values and shows, before anything is sent, what changed
since the last version, field by field; "Send" hands them to the outbox."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget,
    QVBoxLayout, QWidget,
)

from domain.business_info import Change, vsic_codes
from domain.codes import OFFICES
from domain.submissions import FieldError

from .core import CONTACT_FIELDS, IDENTITY_FIELDS, REASONS, REQUEST_REASON, ROW_COLUMNS, due_of, empty_values, is_overdue

CONTEXT = "business_info"
CHANGED = QColor("#fff3b0")
OVERDUE = QColor("#b71c1c")


def tr(text: str) -> str:
    return QCoreApplication.translate("business_info", text)


def field_labels() -> dict[str, str]:
    return {
        "identity.tax_code": tr("&Tax code"), "identity.name": tr("Enterprise &name"),
        "identity.address": tr("Head office &address"), "identity.phone": tr("Company &phone"),
        "identity.email": tr("&E-mail"), "identity.representative": tr("Legal &representative"),
        "contact.name": tr("Contact person's &name"), "contact.position": tr("&Position"),
        "contact.phone": tr("Contact person's &phone"), "contact.email": tr("Contact person's &e-mail"),
        "business_lines": tr("Business lines (VSIC)"), "trade.hs_chapters": tr("Main goods: &HS chapters"),
        "trade.offices": tr("Customs units usually dealt with"), "trade.turnover": tr("Yearly import-export &turnover"),
        "bank_accounts": tr("Bank account"), "sites": tr("Production site or warehouse"),
        "related_parties": tr("Related party"), "other": tr("Other information"), "reason": tr("Rea&son for providing"),
        "request_id": tr("Request answered"),
    }


def section_labels() -> dict[str, str]:
    return {"identity": tr("Identity"), "contact": tr("Contact person"), "business_lines": tr("Business lines"),
            "trade": tr("Import and export"), "bank_accounts": tr("Bank accounts"),
            "sites": tr("Sites and warehouses"), "related_parties": tr("Related parties")}


def column_labels() -> dict[str, str]:
    return {"bank": tr("Bank"), "number": tr("Account number"), "currency": tr("Currency"), "kind": tr("Kind"),
            "address": tr("Address"), "phone": tr("Phone"), "name": tr("Name"), "tax_code": tr("Tax code or ID"),
            "country": tr("Country (2 letters)"), "relation": tr("Relation"), "code": tr("VSIC code")}


def reason_labels() -> dict[str, str]:
    return {"changed": tr("The information has changed"),
            "first_time": tr("First procedure at this customs unit"),
            "periodic": tr("Periodic, as requested by customs"),
            "requested": tr("Requested by customs")}


def request_kind_labels() -> dict[str, str]:
    return {"periodic": tr("Periodic (collection plan)"), "first_time": tr("First procedure at a customs unit"),
            "ad_hoc": tr("Ad hoc request")}


def choice_labels() -> dict[str, list[tuple[str, str]]]:
    return {
        "kind": [("production", tr("Production site")), ("warehouse", tr("Warehouse"))],
        "relation": [("parent", tr("Parent company")), ("subsidiary", tr("Subsidiary")),
                     ("affiliate", tr("Affiliate")), ("owner", tr("Owner or shareholder")), ("other", tr("Other"))],
        "turnover": [("lt1", tr("Under 1 billion đồng")), ("1-10", tr("1 to 10 billion đồng")),
                     ("10-50", tr("10 to 50 billion đồng")), ("50-200", tr("50 to 200 billion đồng")),
                     ("200-1000", tr("200 to 1,000 billion đồng")), ("gt1000", tr("Over 1,000 billion đồng"))],
    }




def error_text(err: FieldError) -> str:
    """A clear, translated message for a field error (the shared rules speak English)."""
    path = err.field
    base = path.split("[")[0].split(".")[0] if "[" in path else path
    leaf = path.rsplit(".", 1)[-1]
    labels = field_labels()
    if "[" in path:
        row = int(path.split("[", 1)[1].split("]", 1)[0]) + 1 if path.split("[", 1)[1].split("]", 1)[0].isdigit() else 0
        name = f"{labels.get(base, base).replace('&', '')} {row}: {column_labels().get(leaf, leaf)}"
    else:
        name = labels.get(path, labels.get(base, path)).replace("&", "")
    msg = err.message
    if path == "identity.tax_code" or path.endswith(".tax_code") and "digit" in msg:
        return tr("%1: not valid: 10 digits, or 13 written XXXXXXXXXX-YYY, with a correct check digit.").replace("%1", name)
    if msg == "is required":
        return tr("%1: required.").replace("%1", name)
    if msg == "is not an e-mail address":
        return tr("%1: not a valid e-mail address (for example ketoan@congty.vn).").replace("%1", name)
    if "landline" in msg or "mobile number" in msg:
        return tr("%1: not a valid phone number: a mobile (10 digits starting with 03, 05, 07, 08 or 09) or a "
                  "landline with its area code (for example 0225 3842 123).").replace("%1", name)
    if msg.startswith("unknown code"):
        return tr("%1: unknown code %2.").replace("%1", name).replace("%2", msg.split(":", 1)[-1].strip())
    if "too long" in msg:
        return tr("%1: too long.").replace("%1", name)
    if "account number" in msg:
        return tr("%1: 4 to 34 letters or digits.").replace("%1", name)
    if "currency" in msg:
        return tr("%1: a three-letter code such as VND or USD.").replace("%1", name)
    if "country" in msg:
        return tr("%1: a two-letter code such as VN or JP.").replace("%1", name)
    if "listed twice" in msg:
        return tr("%1: the same account is listed twice.").replace("%1", name)
    return f"{name}: {msg}"


# ---- widgets -------------------------------------------------------------------------------

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


class BusinessInfoDialog(QDialog):
    """The form (``values`` as :func:`core.empty_values`). ``on_record(values)`` checks them and
    answers ``(errors, changes)``; ``on_send()`` queues what was recorded and answers the
    errors to show, if any."""

    changed = Signal()

    def __init__(self, values: dict[str, Any], *, requests: list[dict[str, Any]], today: date,
                 on_record: Callable[[dict[str, Any]], tuple[list[FieldError], list[Change] | None]],
                 on_send: Callable[[], list[FieldError] | None], last_sent_text: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("business_info.dialog")
        self.setWindowTitle(tr("Provide enterprise information"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._on_record, self._on_send = on_record, on_send
        self.today = today
        self.requests = requests
        labels = field_labels()
        self.edits: dict[str, Any] = {}

        intro = QLabel(tr("Customs collects this information for risk management. Provide it when it changes, "
                          "when you first carry out procedures at a customs unit, and when customs asks."))
        intro.setWordWrap(True)
        self.last_sent = QLabel(last_sent_text)
        self.last_sent.setObjectName("business_info.last_sent")
        self.last_sent.setWordWrap(True)

        # requests from customs, most urgent first; overdue ones in red
        self.request_table = QTableWidget(0, 3)
        self.request_table.setObjectName("business_info.requests")
        self.request_table.setHorizontalHeaderLabels([tr("Request from customs"), tr("Due date"), tr("State")])
        self.request_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.request_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.request_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.request_table.setMaximumHeight(110)
        self.request_table.setAccessibleName(tr("Requests from customs"))
        self._fill_requests()

        self.reason = QComboBox()
        self.reason.setObjectName("business_info.reason")
        self.reason.setAccessibleName(labels["reason"].replace("&", ""))
        self._fill_reasons()
        reason_row = QFormLayout()
        rlabel = QLabel(labels["reason"])
        rlabel.setBuddy(self.reason)
        reason_row.addRow(rlabel, self.reason)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("business_info.sections")
        self.tabs.addTab(self._form_tab("identity", IDENTITY_FIELDS), section_labels()["identity"])
        self.tabs.addTab(self._form_tab("contact", CONTACT_FIELDS), section_labels()["contact"])
        choices = choice_labels()
        codes = sorted(vsic_codes().items())
        lang_vi = QCoreApplication.translate("business_info", "Business lines") != "Business lines"
        self.rows: dict[str, RowsEditor] = {
            "business_lines": RowsEditor("business_lines", ("code",), {"code": [
                (code, f"{code} – {names[0] if lang_vi else names[1]}") for code, names in codes]}),
            "bank_accounts": RowsEditor("bank_accounts", ROW_COLUMNS["bank_accounts"], {}),
            "sites": RowsEditor("sites", ROW_COLUMNS["sites"], {"kind": choices["kind"]}),
            "related_parties": RowsEditor("related_parties", ROW_COLUMNS["related_parties"],
                                          {"relation": choices["relation"]}),
        }
        lines_page = QWidget()
        lines_layout = QVBoxLayout(lines_page)
        note = QLabel(tr("The first line is the main business line."))
        note.setWordWrap(True)
        lines_layout.addWidget(note)
        lines_layout.addWidget(self.rows["business_lines"])
        self.tabs.addTab(lines_page, section_labels()["business_lines"])
        self.tabs.addTab(self._trade_tab(choices["turnover"]), section_labels()["trade"])
        for key in ("bank_accounts", "sites", "related_parties"):
            self.tabs.addTab(self.rows[key], section_labels()[key])
        for editor in self.rows.values():
            editor.changed.connect(self.changed)

        self.errors = QLabel()
        self.errors.setObjectName("business_info.errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.setVisible(False)

        self.record_button = QPushButton(tr("&Record and check"))
        self.record_button.setObjectName("business_info.record")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(self.record)
        close = QPushButton(tr("&Close"))
        close.setObjectName("business_info.close")
        close.clicked.connect(self.close)
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.record_button)
        form_buttons.addWidget(close)

        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(intro)
        form_layout.addWidget(self.last_sent)
        form_layout.addWidget(self.request_table)
        form_layout.addLayout(reason_row)
        form_layout.addWidget(self.tabs, 1)
        form_layout.addWidget(self.errors)
        form_layout.addLayout(form_buttons)

        # the confirmation: what changed since the last version, highlighted
        self.confirm_intro = QLabel()
        self.confirm_intro.setObjectName("business_info.confirm_intro")
        self.confirm_intro.setWordWrap(True)
        self.changes_table = QTableWidget(0, 3)
        self.changes_table.setObjectName("business_info.changes")
        self.changes_table.setHorizontalHeaderLabels([tr("Field"), tr("Last version"), tr("Now")])
        self.changes_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes_table.setWordWrap(True)
        self.send_errors = QLabel()
        self.send_errors.setObjectName("business_info.send_errors")
        self.send_errors.setWordWrap(True)
        self.send_errors.setStyleSheet("color: #b71c1c;")
        self.send_errors.setVisible(False)
        self.send_button = QPushButton(tr("&Send to customs"))
        self.send_button.setObjectName("business_info.send")
        self.send_button.clicked.connect(self.send)
        back = QPushButton(tr("&Back to the form"))
        back.setObjectName("business_info.back")
        back.clicked.connect(self.back)
        confirm_buttons = QHBoxLayout()
        confirm_buttons.addStretch(1)
        confirm_buttons.addWidget(self.send_button)
        confirm_buttons.addWidget(back)
        confirm_page = QWidget()
        confirm_layout = QVBoxLayout(confirm_page)
        confirm_layout.setContentsMargins(0, 0, 0, 0)
        confirm_layout.addWidget(self.confirm_intro)
        confirm_layout.addWidget(self.changes_table, 1)
        confirm_layout.addWidget(self.send_errors)
        confirm_layout.addLayout(confirm_buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        self.pages.addWidget(confirm_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(760, 640)
        self.set_values(values)
        for key, w in self.edits.items():
            signal = getattr(w, "textChanged", None) or w.currentIndexChanged
            signal.connect(self.changed)
        self.offices.itemChanged.connect(lambda *_: self.changed.emit())
        self.reason.currentIndexChanged.connect(lambda *_: self.changed.emit())

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
            label = QLabel(labels[path])
            label.setBuddy(w)
            form.addRow(label, w)
            self.edits[path] = w
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
        for path, w in (("trade.hs_chapters", chapters), ("trade.turnover", combo)):
            label = QLabel(labels[path])
            label.setBuddy(w)
            form.addRow(label, w)
        form.addRow(QLabel(labels["trade.offices"]), self.offices)
        return page

    def _fill_requests(self) -> None:
        kinds = request_kind_labels()
        rows = sorted(self.requests, key=lambda r: (r.get("state") == "fulfilled", due_of(r) or date.max))
        self.request_table.setRowCount(len(rows))
        for i, req in enumerate(rows):
            title = kinds.get(str(req.get("kind")), str(req.get("kind")))
            detail = req.get("plan_title") or req.get("reason") or req.get("office_code") or ""
            due = due_of(req)
            overdue = is_overdue(req, self.today)
            if req.get("state") == "fulfilled":
                state = tr("answered")
            elif overdue:
                state = tr("overdue")
            else:
                state = tr("to answer")
            cells = [f"{title}: {detail}" if detail else title, due.strftime("%d/%m/%Y") if due else "", state]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, req.get("id"))
                if overdue:
                    item.setForeground(QBrush(OVERDUE))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.request_table.setItem(i, c, item)
        self.request_table.setVisible(bool(rows))

    def _fill_reasons(self) -> None:
        self.reason.addItem(tr("— choose —"), None)
        kinds = request_kind_labels()
        for req in self.requests:
            if req.get("state") == "fulfilled":
                continue
            due = due_of(req)
            text = tr("Answer: %1").replace("%1", kinds.get(str(req.get("kind")), str(req.get("kind"))))
            if due:
                text += " — " + tr("due %1").replace("%1", due.strftime("%d/%m/%Y"))
            if is_overdue(req, self.today):
                text += " (" + tr("overdue") + ")"
            self.reason.addItem(text, ("request", req.get("id"), REQUEST_REASON.get(str(req.get("kind")), "requested")))
        for code in REASONS:
            self.reason.addItem(reason_labels()[code], ("reason", "", code))

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
        for key in ("bank_accounts", "sites", "related_parties"):
            self.rows[key].set_rows(list(values.get(key) or []))
        self.select_reason(values.get("request_id") or "", values.get("reason") or "")

    def select_reason(self, request_id: str, reason: str) -> None:
        for i in range(self.reason.count()):
            data = self.reason.itemData(i)
            if data and ((request_id and data[0] == "request" and data[1] == request_id)
                         or (not request_id and data[0] == "reason" and data[2] == reason)):
                self.reason.setCurrentIndex(i)
                return
        self.reason.setCurrentIndex(0)

    def values(self) -> dict[str, Any]:
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
        for key in ("bank_accounts", "sites", "related_parties"):
            out[key] = self.rows[key].rows()
        data = self.reason.currentData()
        out["reason"] = data[2] if data else ""
        out["request_id"] = data[1] if data and data[0] == "request" else ""
        return out

    # ---- record → confirm → send -------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        for w in self.edits.values():
            w.setProperty("invalid", False)
            w.setStyleSheet("")
        self.reason.setStyleSheet("")
        for editor in self.rows.values():
            editor.mark(None, None)
        if not errors:
            self.errors.clear()
            self.errors.setVisible(False)
            return
        lines, first_tab, first = [], None, None
        for err in errors:
            path = err.field
            w = self.edits.get(path) or (self.offices if path == "trade.offices" else None)
            if path == "reason":
                w = self.reason
            section = path.split("[")[0].split(".")[0]
            if w is not None:
                w.setProperty("invalid", True)
                w.setStyleSheet("border: 1px solid #c62828;")
                first = first or w
            elif section in self.rows:
                row = None
                if "[" in path:
                    idx = path.split("[", 1)[1].split("]", 1)[0]
                    row = int(idx) if idx.isdigit() else None
                self.rows[section].mark(row if row is not None else 0, path.rsplit(".", 1)[-1] if row is not None else None)
            if first_tab is None and section in ("identity", "contact", "business_lines", "trade",
                                                 "bank_accounts", "sites", "related_parties"):
                first_tab = ("identity", "contact", "business_lines", "trade", "bank_accounts", "sites",
                             "related_parties").index(section)
            lines.append("• " + error_text(err))
        self.errors.setText("\n".join(dict.fromkeys(lines)))
        self.errors.setVisible(True)
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)
        if first is not None:
            QTimer.singleShot(0, first.setFocus)

    def record(self) -> None:
        errors, changes = self._on_record(self.values())
        self.show_errors(errors)
        if errors or changes is None:
            return
        self.show_changes(changes)
        self.send_errors.setVisible(False)
        self.pages.setCurrentIndex(1)
        self.send_button.setFocus()

    def show_changes(self, changes: list[Change]) -> None:
        labels, sections = field_labels(), section_labels()
        if not changes:
            self.confirm_intro.setText(tr("Nothing changed since the last version. Send it again to confirm "
                                          "that the information is still correct?"))
        else:
            self.confirm_intro.setText(tr("Check the changes since the last version (highlighted), then send."))
        self.changes_table.setRowCount(len(changes))
        for i, ch in enumerate(changes):
            if "[" in ch.field:
                name = labels.get(ch.section, ch.section).replace("&", "")
            else:
                name = labels.get(ch.field, ch.field).replace("&", "")
            name = f"{sections.get(ch.section, '')} › {name}" if ch.section in ("identity", "contact") else name
            before = ch.before if ch.before is not None else tr("(none)")
            after = ch.after if ch.after is not None else tr("(removed)")
            for c, text in enumerate((name, before, after)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, ch.field)
                if c == 2:
                    item.setBackground(QBrush(CHANGED))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.changes_table.setItem(i, c, item)
        self.changes_table.resizeRowsToContents()

    def changed_fields(self) -> list[str]:
        """The fields the confirmation highlights (for tests and accessibility tools)."""
        return [self.changes_table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.changes_table.rowCount())]

    def back(self) -> None:
        self.pages.setCurrentIndex(0)

    def send(self) -> None:
        errors = self._on_send()
        if errors:
            self.send_errors.setText("\n".join("• " + (e.message if e.field == "send" else error_text(e))
                                               for e in errors))
            self.send_errors.setVisible(True)
