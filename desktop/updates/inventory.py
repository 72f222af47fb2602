"""The workstation's inventory report: which version runs here, for customs IT.

Sent through the outbox (so it waits offline like any submission), at most once a day and
once at each version change, as item kind ``inventory``::

    {"install_id": "<32 hex, random>", "host_version": "2.1", "ring": "stable",
     "os_version": "Windows-10-10.0.19045", "crashes": 0, "plugin_errors": 1,
     "plugins": [{"id": "satisfaction", "version": "2.0.0", "state": "loaded"}, ...]}

The enterprise is the account the outbox sends it with. ``crashes`` counts the runs since
the previous report that ended without a clean exit (a marker file is made at start and
removed at a clean exit); ``plugin_errors`` the plugins' runtime errors and failed loads in
those runs. Nothing else: no stack trace, no user name, no declaration content.

The outbox item id is derived from (install id, day, version): a report re-made after an
interrupted start is the same item, so the server receives each report exactly once.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import uuid
from datetime import date
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KIND = "inventory"
STATE_FILE = "inventory-state.json"
MARKER_FILE = "running.marker"
REPORT_DELAY_MS = 60_000
_NAMESPACE = uuid.UUID("0b4a1c55-6f0e-4d63-9a51-6a8f0f3e2d17")


class InventoryState:
    """``<data dir>/inventory-state.json``: what was last reported and what is pending."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / STATE_FILE

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def save(self, **changes: Any) -> dict[str, Any]:
        state = {**self.load(), **changes}
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            log.warning("cannot save the inventory state", exc_info=True)
        return state

    def add(self, crashes: int = 0, plugin_errors: int = 0) -> None:
        state = self.load()
        self.save(crashes=int(state.get("crashes", 0) or 0) + crashes,
                  plugin_errors=int(state.get("plugin_errors", 0) or 0) + plugin_errors)


def note_start(data_dir: Path) -> None:
    """At start: a marker left by the previous run means it did not exit cleanly (a crash)."""
    marker = Path(data_dir) / MARKER_FILE
    state = InventoryState(data_dir)
    if marker.exists():
        state.add(crashes=1)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(os.getpid()), encoding="ascii")
    except OSError:
        log.warning("cannot write the run marker", exc_info=True)


def note_clean_exit(data_dir: Path, plugin_errors: int = 0) -> None:
    InventoryState(data_dir).add(plugin_errors=plugin_errors)
    (Path(data_dir) / MARKER_FILE).unlink(missing_ok=True)


def plugin_summary(ctx: Any) -> list[dict[str, Any]]:
    host = getattr(ctx, "plugin_host", None)
    try:
        return list(host.summary()) if host is not None else []
    except Exception:  # noqa: BLE001 - the report must never break the program
        log.warning("plugin summary unavailable", exc_info=True)
        return []


def plugin_error_count(plugins: list[dict[str, Any]]) -> int:
    from desktop.plugin_host import PROBLEM_STATES

    return sum(int(p.get("runtime_errors", 0) or 0) + (1 if p.get("state") in PROBLEM_STATES else 0)
               for p in plugins)


def build_report(install_id: str, version: str, ring: str, plugins: list[dict[str, Any]],
                 crashes: int, plugin_errors: int) -> dict[str, Any]:
    return {
        "install_id": install_id,
        "host_version": version,
        "ring": ring,
        "os_version": platform.platform(terse=False)[:120],
        "plugins": [{"id": str(p.get("id", ""))[:64], "version": str(p.get("version", "") or "?")[:32],
                     "state": str(p.get("state", "") or "?")[:32]} for p in plugins][:50],
        "crashes": max(0, int(crashes)),
        "plugin_errors": max(0, int(plugin_errors)),
    }


def report_if_due(outbox: Any, data_dir: Path, *, version: str, ring: str, plugins: list[dict[str, Any]],
                  today: date | None = None) -> str | None:
    """Queue today's report in the outbox unless it was queued already today for this
    version. Returns the outbox item id, or ``None`` when nothing was due."""
    from desktop.updates.rollout import install_id as get_install_id

    day = (today or date.today()).isoformat()
    store = InventoryState(data_dir)
    state = store.load()
    if state.get("last_day") == day and state.get("last_version") == version:
        return None
    install_id = get_install_id(data_dir)
    report = build_report(install_id, version, ring, plugins, int(state.get("crashes", 0) or 0),
                          int(state.get("plugin_errors", 0) or 0))
    item_id = str(uuid.uuid5(_NAMESPACE, f"{install_id}:{day}:{version}"))
    try:
        outbox.submit(KIND, report, item_id=item_id, source="host")
    except Exception as exc:  # noqa: BLE001
        if type(exc).__name__ != "DuplicateId":  # already queued before an interrupted start: sent once
            log.warning("the inventory report could not be queued: %s", exc)
            return None
    store.save(last_day=day, last_version=version, crashes=0, plugin_errors=0)
    return item_id


def install(ctx: Any, ring: str) -> None:
    """Host seam (called by :func:`desktop.updates.integration.install`)."""
    from PySide6.QtCore import QTimer

    from desktop import __version__

    data_dir = Path(ctx.paths.data_dir)
    if getattr(ctx, "demo", False):
        return  # the demo's made-up world never reports
    note_start(data_dir)

    def report() -> None:
        outbox = getattr(ctx, "outbox", None)
        if outbox is None:
            return
        try:
            report_if_due(outbox, data_dir, version=__version__, ring=ring, plugins=plugin_summary(ctx))
        except Exception:  # noqa: BLE001
            log.warning("inventory report failed", exc_info=True)

    QTimer.singleShot(REPORT_DELAY_MS, report)
    timer = QTimer(ctx.app if getattr(ctx, "app", None) is not None else None)
    timer.setInterval(3600_000)  # a program left open for days reports once a day
    timer.timeout.connect(report)
    timer.start()
    ctx.inventory_timer = timer
    hooks = getattr(ctx, "shutdown_hooks", None)
    if hooks is not None:
        def clean_exit() -> None:
            timer.stop()
            note_clean_exit(data_dir, plugin_error_count(plugin_summary(ctx)))

        hooks.append(clean_exit)
