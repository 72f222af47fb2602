"""Tells when the declaration list first shows rows on screen (start-up timing, screenshots).

With ``DECLARANT_DESK_TIMING`` set the program prints ``DD_PAINTED <epoch seconds>`` once
the list is painted with its first rows, ``DD_LISTED`` once the whole query finished and
``DD_READY`` once services and plugins are loaded (``bench/startup.py`` reads them); with
``DECLARANT_DESK_EXIT_AFTER_PAINT`` set it then closes itself.
"""
from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer

if TYPE_CHECKING:  # pragma: no cover
    from .app import AppContext

TIMING_ENV = "DECLARANT_DESK_TIMING"
EXIT_AFTER_PAINT_ENV = "DECLARANT_DESK_EXIT_AFTER_PAINT"


class PaintProbe(QObject):
    """Fires ``on_painted`` once the list shows its first query's rows on screen.

    ``first_rows``: fire on the first paint after the first block of rows arrived (what
    the user sees while the rest of a million-row id array is still loading); otherwise
    wait for the whole query. With ``DECLARANT_DESK_TIMING`` set it prints
    ``DD_PAINTED <epoch>`` then, and ``DD_LISTED <epoch>`` when the whole query finished.
    """

    def __init__(self, ctx: "AppContext", on_painted: Callable[[], None] | None = None, *,
                 exit_after: bool = True, first_rows: bool = False):
        super().__init__(ctx.main_window)
        self.ctx = ctx
        self.rows_ready = False
        self.painted = False
        self.listed = False
        self.on_painted = on_painted
        self.on_listed: Callable[[], None] | None = None
        self.exit_after = exit_after
        view = ctx.main_window.list_view
        self.target = getattr(view, "table", None)
        self.target = self.target.viewport() if self.target is not None else view
        self.target.installEventFilter(self)
        view.query_finished.connect(self._query_finished)
        model = getattr(view, "model", None)
        signal = getattr(model, "first_rows_ready", None)
        if first_rows and signal is not None:
            signal.connect(self._rows_ready)

    def _rows_ready(self, *_args: Any) -> None:
        if not self.rows_ready:
            self.rows_ready = True
            self.target.update()

    def _query_finished(self, *_args: Any) -> None:
        self._rows_ready()
        if not self.listed:
            self.listed = True
            if os.environ.get(TIMING_ENV):
                print(f"DD_LISTED {time.time():.6f}", flush=True)
            if self.on_listed is not None:
                self.on_listed()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.target and event.type() == QEvent.Type.Paint and self.rows_ready and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        if os.environ.get(TIMING_ENV):
            print(f"DD_PAINTED {time.time():.6f}", flush=True)
        if self.on_painted is not None:
            self.on_painted()
        if self.exit_after and os.environ.get(EXIT_AFTER_PAINT_ENV):
            self.ctx.main_window.close()
