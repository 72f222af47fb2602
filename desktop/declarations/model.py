"""The declaration list's table model: an ordered id array, rows fetched lazily in blocks.

* The filter and the sort run in SQL on a worker thread (:class:`desktop.declarations.worker.QueryWorker`,
  its own SQLite connection). It first delivers the first :data:`FIRST_ROWS` ids (a ``LIMIT``
  query that an index answers in milliseconds) so the list shows rows at once, then the
  whole ordered id array; the model appends the remainder with ``beginInsertRows``.
* A new query interrupts the running one (``sqlite3.Connection.interrupt``); results of a
  replaced query are dropped by generation number.
* ``rowCount()`` is the length of the id array. ``data()`` fetches rows by id in blocks of
  :data:`BLOCK_SIZE` (one ``WHERE id IN (…)`` query on the UI thread's own read
  connection, joined with the marks of every plugin column) and keeps the last
  :data:`CACHED_BLOCKS` blocks. A query started with ``set_query(prefetch=True)`` (the
  program's first one) has the worker read the first block too, so the first paint costs
  the UI thread no query.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from array import array
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QLocale, QModelIndex, QObject,
                            QPersistentModelIndex, Qt, Signal)
from PySide6.QtGui import QColor

from domain.codes import CHANNEL_COLOURS, CHANNELS, OFFICES, STATUSES, TYPE_CODES, Status

from .columns import ColumnSpec, Row
from desktop.core.query import DEFAULT_SORT, DeclarationFilter, Sort
from desktop.core.store import DeclarationStore, StoreError
from .idcache import IdArrayCache, cache_path
from .worker import BLOCK_SIZE, FIRST_ROWS, QueryWorker, _user_message

__all__ = ["DeclarationTableModel", "QueryWorker", "default_columns", "BLOCK_SIZE", "FIRST_ROWS"]

log = logging.getLogger(__name__)

CACHED_BLOCKS = 50
UI_CACHE_MB = 2  # page cache of the UI thread's connection (blocks of rows by id)
NUMBER_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1

_Index = QModelIndex | QPersistentModelIndex


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


# ---- built-in columns ------------------------------------------------------------------------

def _date_text(value: str | None) -> str:
    if not value or len(value) < 10:
        return ""
    return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"


def _datetime_text(value: str | None) -> str:
    if not value or len(value) < 16:
        return _date_text(value)
    return f"{_date_text(value)} {value[11:16]}"


CLEARED, RELEASED, PRESERVATION = Status.CLEARED.value, Status.RELEASED.value, Status.PRESERVATION.value


def default_columns(lang: str = "vi", locale: QLocale | None = None) -> list[ColumnSpec]:
    """The host's columns, with domain labels in ``lang`` and numbers in ``locale``."""
    loc = locale or QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English)

    def type_tip(row: Row) -> str | None:
        entry = TYPE_CODES.get(row.get("type_code") or "")
        if entry is None:
            return None
        return entry[1] if lang == "vi" else entry[2]

    def office_tip(row: Row) -> str | None:
        office = OFFICES.get(row.get("office_code") or "")
        return office.label(lang) if office else None

    def channel_text(row: Row) -> str:
        ch = CHANNELS.get(row.get("channel"))  # type: ignore[arg-type]
        return ch.label(lang) if ch else ""

    def channel_bg(row: Row) -> str | None:
        return CHANNEL_COLOURS.get(row.get("channel"))  # type: ignore[arg-type]

    def channel_fg(row: Row) -> str | None:
        ch = row.get("channel")
        if ch not in CHANNEL_COLOURS:
            return None
        return "#000000" if ch == 2 else "#ffffff"  # yellow needs dark text for contrast

    def status_text(row: Row) -> str:
        st = STATUSES.get(row.get("status") or "")
        return st.label(lang) if st else str(row.get("status") or "")

    def value_text(row: Row) -> str:
        value = row.get("invoice_value")
        if value is None:
            return ""
        return loc.toString(float(value), "f", 2)

    def partner_text(row: Row) -> str:
        return row.get("partner") or ""

    # ``cleared_at`` is also the time goods were released or brought to preservation (the
    # assessment window counts from it); only a cleared declaration shows a clearance date
    def cleared_text(row: Row) -> str:
        return _date_text(row.get("cleared_at")) if row.get("status") == CLEARED else ""

    def cleared_tip(row: Row) -> str | None:
        when = _datetime_text(row.get("cleared_at"))
        if not when:
            return None
        status = row.get("status")
        if status == CLEARED:
            return when
        if status == RELEASED:
            return _t("Not cleared yet; goods released on %1").replace("%1", when)
        if status == PRESERVATION:
            return _t("Not cleared yet; goods brought to preservation on %1").replace("%1", when)
        return None

    return [
        ColumnSpec("number", _t("Decl. no."), lambda r: r.get("number") or "", width=100,
                   tooltip=lambda r: (_t("First declaration: %1").replace("%1", r["first_number"])
                                      if r.get("first_number") and r.get("first_number") != r.get("number") else None)),
        ColumnSpec("registered_at", _t("Reg. date"), lambda r: _date_text(r.get("registered_at")), width=80,
                   tooltip=lambda r: _datetime_text(r.get("registered_at"))),
        ColumnSpec("type_code", _t("Type"), lambda r: r.get("type_code") or "", tooltip=type_tip, width=50,
                   header_tooltip=_t("Type code (its name is shown as a tooltip)")),
        ColumnSpec("office_code", _t("Customs office"), lambda r: r.get("office_code") or "", tooltip=office_tip,
                   width=60),
        ColumnSpec("channel", _t("Channel"), channel_text, background=channel_bg, foreground=channel_fg,
                   width=85, align="center"),
        ColumnSpec("status", _t("Status"), status_text, width=120,
                   tooltip=status_text),
        ColumnSpec("partner", _t("Partner"), partner_text, tooltip=lambda r: r.get("partner") or None, width=135),
        ColumnSpec("invoice_value", _t("Total value"), value_text, width=100, align="right",
                   header_tooltip=_t("Total invoice value")),
        ColumnSpec("cleared_at", _t("Clearance date"), cleared_text, width=90, tooltip=cleared_tip),
    ]


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_K_TEXT, _K_TOOLTIP, _K_FG, _K_BG, _K_ALIGN, _K_NUMBER = range(6)
_ROLE_KIND = {
    int(Qt.ItemDataRole.DisplayRole.value): _K_TEXT,
    int(Qt.ItemDataRole.AccessibleTextRole.value): _K_TEXT,
    int(Qt.ItemDataRole.ToolTipRole.value): _K_TOOLTIP,
    int(Qt.ItemDataRole.ForegroundRole.value): _K_FG,
    int(Qt.ItemDataRole.BackgroundRole.value): _K_BG,
    int(Qt.ItemDataRole.TextAlignmentRole.value): _K_ALIGN,
    int(NUMBER_ROLE): _K_NUMBER,
}
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_COLOURS: dict[str, QColor] = {}


def _colour(value: Any) -> QColor:
    if isinstance(value, QColor):
        return value
    colour = _COLOURS.get(value)
    if colour is None:
        colour = _COLOURS[value] = QColor(value)
    return colour


_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignCenter,
}


# ---- the model ------------------------------------------------------------------------------------

class DeclarationTableModel(QAbstractTableModel):
    query_started = Signal()
    query_finished = Signal(int, float)  # row count, seconds
    query_failed = Signal(str)
    first_rows_ready = Signal(int)  # rows shown before the whole id array arrived

    def __init__(self, store_path: Path, parent: QObject | None = None, *, lang: str = "vi",
                 first_rows: int = FIRST_ROWS,
                 connection_hook: Callable[[sqlite3.Connection], None] | None = None,
                 busy_timeout: float = 5.0, save_ids: bool = True):
        super().__init__(parent)
        self.store_path = Path(store_path)
        self.busy_timeout = busy_timeout
        self.lang = lang
        self._locale = QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English)
        self._builtin: list[ColumnSpec] = default_columns(lang, self._locale)
        self._extra: list[ColumnSpec] = []
        self._columns: list[ColumnSpec] = list(self._builtin)
        self._ids = array("q")
        self._complete = True
        self._cache: OrderedDict[int, list[Row | None]] = OrderedDict()
        self._store: DeclarationStore | None = None
        self._filter = DeclarationFilter()
        self._sort = DEFAULT_SORT
        self._generation = 0
        self._busy = False
        self._started_at = 0.0
        self.error: str = ""
        self._worker = QueryWorker(self.store_path, self, first_rows=first_rows, connection_hook=connection_hook,
                                   busy_timeout=busy_timeout,
                                   id_cache=IdArrayCache(cache_path(Path(store_path))) if save_ids else None)
        self._worker.partial.connect(self._on_partial, Qt.ConnectionType.QueuedConnection)
        self._worker.finished_ids.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._worker.cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._worker.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # ---- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the worker and close the connections (the widget's close calls this)."""
        self._worker.stop()
        if self._store is not None:
            self._store.close()
            self._store = None

    def store(self) -> DeclarationStore:
        """The UI thread's read connection (opened on first use)."""
        if self._store is None:
            self._store = DeclarationStore(self.store_path, cache_mb=UI_CACHE_MB, timeout=self.busy_timeout)
        return self._store

    # ---- query -----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def complete(self) -> bool:
        """False while only the first rows of the current result are known."""
        return self._complete

    def filter(self) -> DeclarationFilter:
        return self._filter

    def sort_order(self) -> Sort:
        return self._sort

    def set_query(self, flt: DeclarationFilter | None = None, sort: Sort | None = None, *,
                  prefetch: bool = False) -> int:
        """Run a new query (the current rows stay until its first rows arrive).

        ``prefetch``: the worker also reads the rows of the first block, so that showing
        them costs the UI thread no query (the program's start uses it for its first
        paint; otherwise blocks are read when they are displayed)."""
        if flt is not None:
            self._filter = flt
        if sort is not None:
            self._sort = sort
        self._generation += 1
        self._busy = True
        self._started_at = time.perf_counter()
        self.query_started.emit()
        self._worker.submit(self._generation, self._filter, self._sort,
                            self.mark_plugins() if prefetch else None)
        return self._generation

    def refresh(self) -> int:
        self._cache.clear()
        return self.set_query()

    def _on_partial(self, generation: int, ids: array) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._ids = ids
        self._complete = False
        self._cache.clear()
        self._seed_first_block(generation, complete=False)
        self.endResetModel()
        self.first_rows_ready.emit(len(ids))

    def _on_finished(self, generation: int, ids: array, seconds: float) -> None:
        if generation != self._generation:
            return
        n_old = len(self._ids)
        if not self._complete and len(ids) >= n_old and ids[:n_old] == self._ids:
            if len(ids) > n_old:
                self.beginInsertRows(QModelIndex(), n_old, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._ids = ids
            self._cache.clear()
            self._seed_first_block(generation, complete=True)
            self.endResetModel()
        self._complete = True
        self._busy = False
        self.error = ""
        self.query_finished.emit(len(ids), time.perf_counter() - self._started_at)

    def _seed_first_block(self, generation: int, *, complete: bool) -> None:
        """Cache the first block from the rows the worker already read (saves the UI
        thread that query before the first paint)."""
        got = self._worker.take_first_block(generation, self.mark_plugins())
        if got is None:
            return
        head, rows = got
        if self._ids[:len(head)] != head:
            return
        if len(head) != BLOCK_SIZE and not (complete and len(head) == len(self._ids)):
            return  # a short block is whole only when it holds the whole result
        self._cache[0] = [rows.get(i) for i in head]

    def _on_cancelled(self, generation: int) -> None:
        log.debug("list query %d cancelled", generation)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._busy = False
        self._complete = True
        self.error = message
        self.query_failed.emit(message)

    # ---- columns ---------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return list(self._columns)

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self._columns):
            if c.key == key:
                return i
        return -1

    def add_column(self, spec: ColumnSpec) -> int:
        """Add (or replace, by key) a column; returns its index."""
        existing = self.column_index(spec.key)
        if existing >= 0:
            self._columns[existing] = spec
            self._extra = [spec if c.key == spec.key else c for c in self._extra]
            self._cache.clear()  # cached rows hold formatted cells (and maybe lack the marks)
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, existing, existing)
            if self._ids:
                self.dataChanged.emit(self.index(0, existing), self.index(len(self._ids) - 1, existing))
            return existing
        n = len(self._columns)
        self.beginInsertColumns(QModelIndex(), n, n)
        self._columns.append(spec)
        self._extra.append(spec)
        self._cache.clear()  # cached rows hold formatted cells and lack this column's marks
        self.endInsertColumns()
        return n

    def remove_column(self, key: str) -> bool:
        i = self.column_index(key)
        if i < 0 or self._columns[i] in self._builtin:
            return False
        self.beginRemoveColumns(QModelIndex(), i, i)
        spec = self._columns.pop(i)
        self._extra = [c for c in self._extra if c.key != spec.key]
        self._cache.clear()
        self.endRemoveColumns()
        return True

    def builtin_columns(self) -> list[ColumnSpec]:
        return list(self._builtin)

    def mark_plugins(self) -> list[str]:
        seen: list[str] = []
        for c in self._columns:
            if c.mark_plugin and c.mark_plugin not in seen:
                seen.append(c.mark_plugin)
        return seen

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self._locale = QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English)
        self._builtin = default_columns(lang, self._locale)
        by_key = {c.key: c for c in self._builtin}
        self._columns = [by_key.get(c.key, c) if c not in self._extra else c for c in self._columns]
        self._cache.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._columns) - 1))

    def locale(self) -> QLocale:
        return self._locale

    # ---- rows ------------------------------------------------------------------------------
    def ids(self) -> array:
        return self._ids

    def row_dict(self, row: int) -> Row | None:
        if not 0 <= row < len(self._ids):
            return None
        block_no = row // BLOCK_SIZE
        block = self._cache.get(block_no)
        if block is None:
            block = self._fetch_block(block_no)
        else:
            self._cache.move_to_end(block_no)
        return block[row - block_no * BLOCK_SIZE]

    def _fetch_block(self, block_no: int) -> list[Row | None]:
        start = block_no * BLOCK_SIZE
        ids = self._ids[start:start + BLOCK_SIZE]
        try:
            rows = self.store().rows_by_ids(ids, self.mark_plugins())
        except (StoreError, sqlite3.Error) as exc:
            message = _user_message(exc)
            if message != self.error:
                self.error = message
                log.warning("cannot read declaration rows: %s", exc)
                self.query_failed.emit(message)
            return [None] * len(ids)  # not cached: retried on the next paint
        block: list[Row | None] = [rows.get(i) for i in ids]  # None: deleted since the query
        self._cache[block_no] = block
        while len(self._cache) > CACHED_BLOCKS:
            self._cache.popitem(last=False)
        return block

    def number_at(self, row: int) -> str | None:
        rec = self.row_dict(row)
        return rec.get("number") if rec else None

    def row_of_number(self, number: str) -> int:
        """Row of a declaration in the current result, or -1."""
        try:
            rid = self.store().ids_for_numbers([number]).get(number)
        except (StoreError, sqlite3.Error):
            return -1
        if rid is None:
            return -1
        try:
            return self._ids.index(rid)
        except ValueError:
            return -1

    def refresh_rows(self, numbers: list[str] | set[str]) -> int:
        """Forget cached rows of these declarations and repaint them; returns rows touched."""
        wanted = set(numbers)
        touched = 0
        last_col = len(self._columns) - 1
        for block_no in list(self._cache):
            block = self._cache[block_no]
            rows = [i for i, rec in enumerate(block) if rec is not None and rec.get("number") in wanted]
            if not rows:
                continue
            del self._cache[block_no]
            base = block_no * BLOCK_SIZE
            touched += len(rows)
            self.dataChanged.emit(self.index(base + min(rows), 0), self.index(base + max(rows), last_col))
        return touched

    # ---- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            spec = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return spec.header_text()
            if role == Qt.ItemDataRole.ToolTipRole:
                return spec.header_tooltip_text()
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _ALIGN[spec.align]
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._ids):
            return section + 1
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # Called thousands of times per paint: integer role checks, no enum arithmetic.
        kind = _ROLE_KIND.get(role)
        if kind is None:
            return None
        row, col = index.row(), index.column()
        if col < 0 or col >= len(self._columns) or row < 0 or row >= len(self._ids):
            return None
        spec = self._columns[col]
        if kind == _K_ALIGN:
            return _ALIGN[spec.align]
        rec = self.row_dict(row)
        if rec is None:
            return "…" if kind == _K_TEXT else None
        if kind == _K_NUMBER:
            return rec.get("number")
        try:
            if kind == _K_TEXT:
                cells = rec.get("_cells")
                if cells is None or len(cells) != len(self._columns):
                    cells = rec["_cells"] = [None] * len(self._columns)  # type: ignore[index]
                text = cells[col]
                if text is None:
                    text = cells[col] = spec.display(rec)
                return text
            if kind == _K_TOOLTIP:
                return spec.tooltip(rec) if spec.tooltip else None
            fn = spec.foreground if kind == _K_FG else spec.background
            if fn is None:
                return None
            colour = fn(rec)
            return _colour(colour) if colour else None
        except Exception:  # noqa: BLE001 - a broken formatter must not break painting
            log.exception("column %s failed to format row %s", spec.key, rec.get("number"))
            return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ITEM_FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        key = self._columns[column].effective_sort_key
        if key is None:
            return
        new = Sort(key, order == Qt.SortOrder.DescendingOrder)
        if new != self._sort:
            self.set_query(sort=new)
