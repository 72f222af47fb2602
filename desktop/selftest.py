"""``python -m desktop --self-test``: start Qt without showing a window, open the store,
load the plugins, print one JSON object and exit 0 only if everything is ok.

Works on any Qt platform; ``offscreen`` is used unless ``QT_QPA_PLATFORM`` says otherwise,
so it runs on build machines and over remote sessions.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import traceback
from typing import Any, Callable

from . import __version__


def signal_refcount_ok() -> bool:
    """False on a Qt binding whose ``Signal.emit()`` drops a reference to the returned bool
    (PySide6 6.12.0): such a program aborts after a few thousand emits."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    return not drops_bool_references(probe.ping.emit)


def drops_bool_references(call: Callable[[], object], *, trials: int = 5, calls: int = 50) -> bool:
    """True when every one of ``trials`` rounds of ``calls`` calls leaves True and False with
    at least ``calls // 2`` fewer references. Other threads (the embedded server, the sync)
    take and give back references to them meanwhile, so one round's difference can be off
    by a few either way; a defect takes one per call, every round. References a round lost
    are given back (giving back more than a defect took is harmless: they are never freed)."""
    import ctypes

    every_round = True
    for _ in range(trials):
        before = sys.getrefcount(True) + sys.getrefcount(False)
        for _ in range(calls):
            call()
        lost = before - (sys.getrefcount(True) + sys.getrefcount(False))
        for _ in range(max(lost, 0)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
        every_round = every_round and lost >= calls // 2
    return every_round


def collect(ctx: Any) -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from .plugin_host import PROBLEM_STATES

    store: dict[str, Any] = {"ok": False, "path": str(ctx.store_path)}
    if ctx.declaration_store is not None:
        try:
            store["declarations"] = int(ctx.declaration_store.count())
            store["ok"] = True
        except Exception as exc:  # noqa: BLE001
            store["error"] = f"{type(exc).__name__}: {exc}"
    else:
        store["error"] = ctx.store_error or "the declaration store is not available"
    plugins = ctx.plugin_host.summary() if ctx.plugin_host is not None else []
    services = {name: s.as_dict() for name, s in ctx.services.items()}
    lst = ctx.main_window.list_view if ctx.main_window is not None else None
    from . import i18n

    result = {
        "ok": False,
        "version": __version__,
        "qt": qVersion(),
        "pyside": pyside_version,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "qt_platform": ctx.app.platformName(),
        "data_dir": str(ctx.paths.data_dir),
        "demo": bool(ctx.demo),
        "language": ctx.language,
        "translations": {lang: i18n.qm_path(lang).exists() for lang in i18n.LANGUAGES},
        "store": store,
        "list": type(lst).__name__ if lst is not None else None,
        "plugins": plugins,
        "services": services,
    }
    result["qt_signals_ok"] = signal_refcount_ok()
    problems = []
    if not result["qt_signals_ok"]:
        problems.append(f"PySide6 {pyside_version} has a reference-counting defect in Signal.emit(); "
                        "install another version")
    if not store["ok"]:
        problems.append("store")
    problems += [f"plugin {p['id']}: {p['state']}" for p in plugins if p["state"] in PROBLEM_STATES]
    problems += [f"service {n}: {s['error']}" for n, s in services.items() if s["state"] == "failed"]
    if not result["translations"]["vi"]:
        problems.append("Vietnamese translations missing")
    result["problems"] = problems
    result["ok"] = not problems
    return result


def run_self_test(options: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .app import create_context

    ctx = None
    try:
        ctx = create_context(options)
        result = collect(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as JSON, exit code 1
        result = {"ok": False, "version": __version__, "python": platform.python_version(),
                  "platform": platform.platform(), "error": f"{type(exc).__name__}: {exc}",
                  "traceback": traceback.format_exc()}
    finally:
        if ctx is not None:
            try:
                ctx.shutdown()
            except Exception as exc:  # noqa: BLE001
                result = {**locals().get("result", {}), "ok": False, "shutdown_error": repr(exc)}
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if result.get("ok") else 1
