"""Background tasks (desktop.tasks): results and errors on the UI thread, cancellation before
and after the work starts; and the host API's task handles built on them."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread, QThreadPool

from desktop import tasks
from desktop.tasks import start_task

from .shell_helpers import app_context


def _pool() -> QThreadPool:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    return pool


def test_the_result_and_the_error_come_back_on_the_ui_thread(qtbot):
    pool, seen = _pool(), []
    ui = QThread.currentThread()
    start_task(pool, lambda a, b: a + b, 2, 3, on_done=lambda r: seen.append((r, QThread.currentThread() is ui)))
    start_task(pool, lambda: 1 / 0, on_error=lambda exc, tb: seen.append((type(exc), "ZeroDivisionError" in tb)))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert seen == [(5, True), (ZeroDivisionError, True)]
    qtbot.waitUntil(lambda: not tasks._alive, timeout=3000)


def test_a_cancelled_task_never_calls_back_and_a_queued_one_never_runs(qtbot):
    pool, started, gate, ran, seen = _pool(), threading.Event(), threading.Event(), [], []
    busy = start_task(pool, lambda: started.set() or gate.wait(5) and ran.append("busy"), on_done=seen.append)
    queued = start_task(pool, lambda: ran.append("queued"), on_done=seen.append)
    assert started.wait(5)
    assert queued.cancel() is True  # still waiting: taken out of the queue
    busy.cancel()  # already running: it finishes, its result is dropped
    gate.set()
    pool.waitForDone(5000)
    qtbot.waitUntil(lambda: not tasks._alive, timeout=3000)
    assert ran == ["busy"] and seen == []


def test_a_plugin_can_cancel_its_background_task(qtbot, tmp_path):
    from desktop.hostapi import HostApi

    with app_context(argv=["--data-dir", str(tmp_path / "data")], bundled=False) as ctx:
        api = HostApi(ctx, "tester")
        gate, seen = threading.Event(), []
        handle = api.run_in_background(lambda: gate.wait(5), on_done=seen.append, on_error=seen.append)
        assert api.pending_tasks() == 1
        handle.cancel()
        assert handle.cancelled and api.pending_tasks() == 0
        gate.set()
        qtbot.waitUntil(lambda: not tasks._alive, timeout=5000)
        assert seen == [] and not handle.done
