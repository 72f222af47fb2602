"""``python -m desktop --screenshot FILE.png [--screenshot-size 1024x768] [--demo] [--lang en]``.

Renders the main window at a fixed size once the declaration list has finished its first
query and painted, saves it as PNG and exits (0 on success). Used for the README and checks.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

SIZE = (1280, 800)
TIMEOUT_MS = 30_000
log = logging.getLogger(__name__)


def take_screenshot(options: argparse.Namespace, *, timeout_ms: int = TIMEOUT_MS) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from .app import create_context
    from .paint_probe import PaintProbe

    size = SIZE
    text = getattr(options, "screenshot_size", None)
    if text:
        try:
            w, h = (int(v) for v in str(text).lower().split("x"))
            size = (max(w, 320), max(h, 240))
        except ValueError:
            sys.stderr.write(f"--screenshot-size must look like 1024x768, not {text!r}\n")
            return 2
    target = Path(options.screenshot)
    ctx = create_context(options)
    app = ctx.app
    win = ctx.main_window
    outcome = {"code": 2}

    def grab() -> None:
        if outcome.get("done"):
            return
        outcome["done"] = True
        win.resize(*size)
        app.processEvents()
        target.parent.mkdir(parents=True, exist_ok=True)
        ok = win.grab().save(str(target), "PNG")
        outcome["code"] = 0 if ok else 3
        app.quit()

    def timed_out() -> None:
        if not outcome.get("done"):
            sys.stderr.write("the declaration list did not finish its first query in time\n")
            outcome["done"] = True
            outcome["code"] = 4
            app.quit()

    win.setGeometry(40, 40, *size)
    PaintProbe(ctx, on_painted=lambda: QTimer.singleShot(150, grab))
    QTimer.singleShot(timeout_ms, timed_out)
    ctx.show()
    app.exec()
    ctx.shutdown()
    if outcome["code"] == 0:
        print(str(target))
    else:
        sys.stderr.write(f"screenshot failed ({outcome['code']})\n")
    return outcome["code"]
