"""Help → Plugins: every plugin with its version, source, state and errors; enable/disable
(takes effect at the next start). Failed services are listed here too."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPlainTextEdit, QSplitter,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..plugin_host import DUPLICATE, INVALID, LOADED, PROBLEM_STATES, PluginRecord
from .about import state_label


translate = QCoreApplication.translate


COL_ENABLED, COL_NAME, COL_VERSION, COL_SOURCE, COL_STATE, COL_ERROR = range(6)


class PluginsDialog(QDialog):
    def __init__(self, ctx: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PluginsDialog")
        self.ctx = ctx
        self.setWindowTitle(translate("PluginsDialog", "Plugins"))
        self.resize(900, 480)
        self.records: list[PluginRecord] = ctx.plugin_host.all_records() if ctx.plugin_host else []
        layout = QVBoxLayout(self)
        self.note = QLabel(translate("PluginsDialog", "Untick a plugin to disable it. Changes take effect the next time "
                              "the program starts."), self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(len(self.records), 6, split)
        self.table.setObjectName("pluginTable")
        self.table.setHorizontalHeaderLabels([translate("PluginsDialog", "On"), translate("PluginsDialog", "Name"), translate("PluginsDialog", "Version"), translate("PluginsDialog", "Source"),
                                              translate("PluginsDialog", "State"), translate("PluginsDialog", "Error")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(COL_ERROR, QHeaderView.ResizeMode.Stretch)
        sources = {"bundled": translate("PluginsDialog", "bundled"), "entry point": translate("PluginsDialog", "installed"), "user": translate("PluginsDialog", "user folder"),
                   "path": translate("PluginsDialog", "development folder")}
        for row, rec in enumerate(self.records):
            on = QTableWidgetItem()
            if rec.manifest is not None and rec.state not in (DUPLICATE, INVALID):
                on.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                enabled = ctx.plugin_host.is_enabled(rec)
                on.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
            else:
                on.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, COL_ENABLED, on)
            name = QTableWidgetItem(rec.name(ctx.language))
            name.setToolTip(f"{rec.id}\n{rec.location}")
            self.table.setItem(row, COL_NAME, name)
            self.table.setItem(row, COL_VERSION, QTableWidgetItem(rec.version))
            self.table.setItem(row, COL_SOURCE, QTableWidgetItem(sources.get(rec.source, rec.source)))
            state = QTableWidgetItem(state_label(rec.state))
            if rec.state in PROBLEM_STATES or rec.state == DUPLICATE:
                state.setForeground(QBrush(QColor("#c62828")))
            self.table.setItem(row, COL_STATE, state)
            error = rec.error or (rec.errors[-1].message if rec.errors else "")
            if rec.state == LOADED and rec.errors:
                error = translate("PluginsDialog", "Errors since start: %1. Last: %2").replace("%1", str(len(rec.errors))).replace(
                    "%2", rec.errors[-1].message)
            self.table.setItem(row, COL_ERROR, QTableWidgetItem(error))
        self.table.resizeColumnsToContents()
        self.details = QPlainTextEdit(split)
        self.details.setObjectName("pluginDetails")
        self.details.setReadOnly(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        layout.addWidget(split, 1)
        problems = [s for s in getattr(ctx, "services", {}).values() if s.state == "failed"]
        if problems:
            services = QLabel(translate("PluginsDialog", "Services that failed to start:") + "\n" + "\n".join(
                f"• {s.module}: {s.error}" for s in problems), self)
            services.setObjectName("serviceProblems")
            services.setWordWrap(True)
            services.setStyleSheet("color: #c62828")
            layout.addWidget(services)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.records:
            self.table.setCurrentCell(0, COL_NAME)
            self._show_details(0)

    def _show_details(self, row: int) -> None:
        if not 0 <= row < len(self.records):
            self.details.clear()
            return
        rec = self.records[row]
        lines = [f"{rec.id} {rec.version} — {state_label(rec.state)}", rec.location]
        if rec.manifest is not None:
            desc = rec.manifest.display_description(self.ctx.language)
            if desc:
                lines.append(desc)
            lines.append(translate("PluginsDialog", "Host API: %1").replace("%1", rec.manifest.host_api))
        if rec.error:
            lines += ["", rec.error]
        for err in rec.errors:
            lines += ["", f"[{err.where}] {err.message}", err.details.rstrip()]
        self.details.setPlainText("\n".join(lines))

    def changes(self) -> dict[str, bool]:
        """Plugin id → enabled, for the rows whose tick differs from the saved setting."""
        out: dict[str, bool] = {}
        for row, rec in enumerate(self.records):
            item = self.table.item(row, COL_ENABLED)
            if not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                continue
            want = item.checkState() == Qt.CheckState.Checked
            if want != self.ctx.plugin_host.is_enabled(rec):
                out[rec.id] = want
        return out

    def apply(self) -> dict[str, bool]:
        changes = self.changes()
        for pid, enabled in changes.items():
            self.ctx.settings.set_plugin_enabled(pid, enabled)
        if changes and self.ctx.status_bar is not None:
            self.ctx.status_bar.showMessage(translate("PluginsDialog", "Plugin changes take effect the next time the program starts."), 10000)
        return changes

    @classmethod
    def ask(cls, ctx: Any, parent: QWidget | None = None) -> dict[str, bool] | None:
        dlg = cls(ctx, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.apply()
