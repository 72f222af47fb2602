"""Background tasks on a Qt thread pool: ``fn(*args)`` runs on a worker thread and its result
(or its error, with the traceback) comes back on the UI thread through queued signals.

Used by the host API (plugins' ``run_in_background``) and the update service. A task can be
cancelled: one still waiting in the pool's queue never runs, and a cancelled task's callbacks
are never called (a function already running finishes, its result is dropped).
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

__all__ = ["BackgroundTask", "start_task"]

# tasks between start and report: Qt runs them, Python owns them; kept here so none is
# collected while a worker thread still runs it (used on the UI thread only)
_alive: set["BackgroundTask"] = set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)


class BackgroundTask(QRunnable):
    """One call of ``fn(*args)``; see :func:`start_task`."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...] = (), *,
                 on_done: Callable[[Any], Any] | None = None,
                 on_error: Callable[[BaseException, str], Any] | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept by its owner until it reports
        self.fn, self.args = fn, args
        self._cancelled = threading.Event()
        self._pool: QThreadPool | None = None
        self.signals = _Signals()
        self.signals.done.connect(lambda result: self._deliver(on_done, result),
                                  Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(lambda exc, tb: self._deliver(on_error, exc, tb),
                                    Qt.ConnectionType.QueuedConnection)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> bool:
        """Never call back; True when the task had not started (and now never will)."""
        self._cancelled.set()
        taken = self._pool is not None and self._pool.tryTake(self)
        if taken:
            _alive.discard(self)
        return taken

    def _deliver(self, callback: Callable[..., Any] | None, *values: Any) -> None:  # UI thread
        _alive.discard(self)
        if callback is not None and not self.cancelled:
            callback(*values)

    def run(self) -> None:  # worker thread
        if self.cancelled:
            self.signals.done.emit(None)  # reports all the same: the task is let go
            return
        try:
            result = self.fn(*self.args)
        except BaseException as exc:  # noqa: BLE001 - delivered to on_error, never raised into Qt
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)


def start_task(pool: QThreadPool, fn: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], Any] | None = None,
               on_error: Callable[[BaseException, str], Any] | None = None) -> BackgroundTask:
    """Run ``fn(*args)`` on ``pool``; ``on_done(result)`` or ``on_error(exc, traceback_text)``
    are called on the thread that called this (the UI thread), unless the task is cancelled.
    Keep the returned task until it reports."""
    task = BackgroundTask(fn, args, on_done=on_done, on_error=on_error)
    task._pool = pool
    _alive.add(task)
    pool.start(task)
    return task
