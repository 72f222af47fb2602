"""Help → About: versions of the program, Qt, Python and plugins; update ring; folders."""
from __future__ import annotations

import html
import platform
from typing import Any

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from .. import __version__


translate = QCoreApplication.translate


def update_ring_text() -> str:
    """The update ring line, from ``desktop.updates.policy`` when that service is present."""
    try:
        from ..updates import policy  # type: ignore[attr-defined]
    except ImportError:
        return ""
    try:
        describe = getattr(policy, "describe", None)
        if callable(describe):
            return str(describe())
        ring = getattr(policy, "current_ring", None)
        return str(ring()) if callable(ring) else ""
    except Exception as exc:  # noqa: BLE001
        return f"? ({type(exc).__name__})"


class AboutDialog(QDialog):
    def __init__(self, ctx: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(translate("AboutDialog", "About Declarant Desk"))
        layout = QVBoxLayout(self)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        self.label.setText(self.describe(ctx))
        layout.addWidget(self.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    @staticmethod
    def describe(ctx: Any) -> str:
        e = html.escape
        rows = [
            (translate("AboutDialog", "Version"), __version__),
            (translate("AboutDialog", "Qt / PySide6"), f"{qVersion()} / {PYSIDE_VERSION}"),
            (translate("AboutDialog", "Python"), f"{platform.python_version()} ({platform.system()})"),
        ]
        ring = update_ring_text()  # a full sentence ("Update ring: …") from the update service
        rows.append((translate("AboutDialog", "Data folder"), str(ctx.paths.data_dir)))
        rows.append((translate("AboutDialog", "Log folder"), str(ctx.paths.log_dir)))
        if ctx.demo:
            rows.append((translate("AboutDialog", "Mode"), translate("AboutDialog", "demo data")))
        body = "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in rows)
        plugins = ""
        host = getattr(ctx, "plugin_host", None)
        if host is not None and host.all_records():
            items = "".join(f"<li>{e(r.name(ctx.language))} {e(r.version)} — {e(state_label(r.state))}</li>"
                            for r in host.all_records())
            heading = e(translate("AboutDialog", "Plugins"))
            plugins = f"<p><b>{heading}</b></p><ul>{items}</ul>"
        intro = e(translate("AboutDialog", "Declarant Desk: customs declarations and the service-quality assessment."))
        ring_html = f"<p>{e(ring)}</p>" if ring else ""
        return f"<h3>Declarant Desk {e(__version__)}</h3><p>{intro}</p><table>{body}</table>{ring_html}{plugins}"

    @classmethod
    def ask(cls, ctx: Any, parent: QWidget | None = None) -> None:
        cls(ctx, parent).exec()


def state_label(state: str) -> str:
    labels = {
        "loaded": QCoreApplication.translate("PluginState", "loaded"),
        "disabled": QCoreApplication.translate("PluginState", "disabled"),
        "failed": QCoreApplication.translate("PluginState", "failed"),
        "incompatible": QCoreApplication.translate("PluginState", "incompatible"),
        "invalid": QCoreApplication.translate("PluginState", "invalid manifest"),
        "duplicate": QCoreApplication.translate("PluginState", "duplicate"),
        "stopped": QCoreApplication.translate("PluginState", "stopped"),
        "discovered": QCoreApplication.translate("PluginState", "not loaded"),
    }
    return labels.get(state, state)
