"""The host's implementation of the plugin API (:class:`desktop.plugin_api.HostApi`).

Plugins import nothing from here: their types and exceptions come from
``desktop.plugin_api``; this module is the host's side (Qt signals, the thread pool).

A plugin's entry callable is called with its own ``HostApi`` (it knows the plugin's id)
and returns an object with an optional ``teardown()``. Everything a plugin may do goes
through this object; plugins never reach into the main window's internals.

Rules the host guarantees:

* Callbacks a plugin hands to the host (menu actions, column formatters, startup prompts,
  background-task callbacks, teardown) are guarded: an exception is logged, shown in
  Help → Plugins as an error of that plugin, and never takes the host down.
* Background work runs on a thread pool; ``on_done``/``on_error`` are delivered on the UI
  thread.
* Reads of the declaration store work from any thread (a worker thread gets its own
  connection); everything else must be called on the UI thread.

See ``docs/PLUGINS.md`` for the plugin author's guide.
"""
from __future__ import annotations

import dataclasses
import functools
import logging
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from PySide6.QtCore import QCoreApplication, Qt, QThread, QThreadPool, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from . import __version__
from .declarations.columns import ColumnSpec
from .events import HostEvents
from desktop.core.query import DeclarationFilter
from .plugin_api import (
    HOST_API_VERSION, MENU_KEYS, HostServiceUnavailable, MenuKey, SubmissionEntry, SubmissionState,
)
from .tasks import BackgroundTask, start_task

translate = QCoreApplication.translate

if TYPE_CHECKING:  # pragma: no cover
    from .app import AppContext
    from desktop.core.store import DeclarationStore
    from .main_window import ListView
    from .settings import NamespacedSettings

__all__ = ["HOST_API_VERSION", "MENU_KEYS", "HostApi", "HostEvents", "HostServiceUnavailable",
           "PluginCallbackError", "TaskHandle", "public_entries", "submission_entries"]


class PluginCallbackError(RuntimeError):
    """Wraps an exception raised by plugin code that the host invoked."""


class TaskHandle:
    """What :meth:`HostApi.run_in_background` returns: ``done``/``result``/``error``, and
    :meth:`cancel`."""

    def __init__(self) -> None:
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self._task: BackgroundTask | None = None
        self._forget: Callable[[], None] = lambda: None

    def cancel(self) -> None:
        """Neither ``on_done`` nor ``on_error`` will be called; a task not started yet never runs."""
        if self._task is not None and not self.done:
            self.cancelled = True
            self._task.cancel()
            self._forget()


_pool: QThreadPool | None = None


def plugin_thread_pool() -> QThreadPool:
    """The thread pool plugin tasks run on (separate from the list's query workers)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(max(2, min(4, QThread.idealThreadCount())))
        _pool.setObjectName("plugin-tasks")
    return _pool


def public_entries(states: Mapping[str, Mapping[str, Any]], origin: str = "local") -> dict[str, SubmissionEntry]:
    """Entries as plugins see them: ``state`` a :class:`SubmissionState`, ``origin`` set."""
    out: dict[str, SubmissionEntry] = {}
    for sid, raw in states.items():
        entry: dict[str, Any] = dict(raw)
        entry.setdefault("origin", origin)
        try:
            entry["state"] = SubmissionState(entry.get("state"))
        except ValueError:
            pass  # not a state this host version knows: passed on as it is
        out[sid] = entry  # type: ignore[assignment]
    return out


def submission_entries(ctx: "AppContext", ids: list[str] | None) -> dict[str, SubmissionEntry]:
    """The host's answer to "what became of these submissions": this workstation's outbox
    first, then what other workstations of the enterprise sent (``ids`` None: all of those)."""
    states: dict[str, SubmissionEntry] = {}
    if ids is not None and ctx.outbox is not None:
        states.update(public_entries(ctx.outbox.states(ids)))
    missing = None if ids is None else [i for i in ids if i not in states]
    if missing is None or missing:
        user = ctx.session.username if ctx.session is not None else None
        if ctx.cache is not None and user:
            states.update(public_entries(ctx.cache.remote_states(user, missing), "remote"))
    return states


class HostApi:
    """The host, as one plugin sees it (one instance per plugin); implements the
    :class:`desktop.plugin_api.HostApi` protocol."""

    HOST_API_VERSION = HOST_API_VERSION

    def __init__(self, ctx: "AppContext", plugin_id: str, *, manifest: Any = None,
                 report_error: Callable[[str, str, BaseException | str], None] | None = None):
        self._ctx = ctx
        self.plugin_id = plugin_id
        self.manifest = manifest
        self._report = report_error
        self.logger = logging.getLogger(f"plugins.{plugin_id}")
        self.settings: NamespacedSettings = ctx.settings.namespace(f"plugins/{plugin_id}")
        self.events: HostEvents = ctx.events
        self.host_version = __version__
        self.api_version = HOST_API_VERSION
        # what this plugin registered (so the host can undo it when the plugin fails)
        self.actions: list[QAction] = []
        self.columns: list[ColumnSpec] = []
        self.startup_prompts: list[Callable[[], Any]] = []
        self._tasks: set[BackgroundTask] = set()
        self._local = threading.local()
        self.closed = False

    # ---- error isolation -----------------------------------------------------------------
    def _error(self, where: str, exc: BaseException | str) -> None:
        if isinstance(exc, BaseException):
            self.logger.error("error in %s: %s", where, exc,
                              exc_info=(type(exc), exc, exc.__traceback__))
        else:
            self.logger.error("error in %s: %s", where, exc)
        if self._report is not None:
            self._report(self.plugin_id, where, exc)

    def guarded(self, fn: Callable[..., Any], where: str, default: Any = None) -> Callable[..., Any]:
        """``fn`` wrapped so that an exception is reported for this plugin instead of raised."""

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - plugin isolation
                self._error(where, exc)
                return default

        return call

    # ---- menus, columns, prompts -------------------------------------------------------------
    def add_menu_action(self, menu_key: MenuKey, text: str, callback: Callable[[], Any], *,
                        shortcut: str | QKeySequence | None = None,
                        object_name: str | None = None) -> QAction:
        """Add an action to a host menu: "other" (Nghiệp vụ khác), "system", "export",
        "import" or "help". ``text`` should already be translated."""
        menus = self._ctx.menus
        if menu_key not in menus:
            raise ValueError(f"unknown menu {menu_key!r}; use one of {', '.join(MENU_KEYS)}")
        menu = menus[menu_key]
        action = QAction(text, menu)
        action.setObjectName(object_name or f"{self.plugin_id}.action{len(self.actions) + 1}")
        action.setProperty("plugin_id", self.plugin_id)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        where = f"menu action '{text}'"
        guarded = self.guarded(callback, where)
        action.triggered.connect(lambda _checked=False: guarded())
        menu.addAction(action)
        self.actions.append(action)
        return action

    def add_column(self, spec: ColumnSpec) -> None:
        """Add a column (:class:`desktop.plugin_api.ColumnSpec`) to the declaration list.

        Formatting callables are guarded: a raising formatter shows an empty cell and is
        reported once in Help → Plugins.
        """
        spec = self._guard_column(spec)
        self.columns.append(spec)
        view = self._list_view()
        if view is not None:
            view.add_column(spec)

    def _guard_column(self, spec: ColumnSpec) -> ColumnSpec:
        reported: set[str] = set()
        changes: dict[str, Any] = {}
        for name in ("header", "header_tooltip", "value", "format", "tooltip", "foreground", "background"):
            fn = getattr(spec, name)
            if not callable(fn) or isinstance(fn, type):
                continue

            def make(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
                def call(*args: Any, **kwargs: Any) -> Any:
                    try:
                        return fn(*args, **kwargs)
                    except Exception as exc:  # noqa: BLE001 - plugin isolation
                        if name not in reported:
                            reported.add(name)
                            self._error(f"column '{spec.key}' ({name})", exc)
                        return "" if name in ("header", "header_tooltip", "value", "format") else None
                return call

            changes[name] = make(fn, name)
        return dataclasses.replace(spec, **changes) if changes else spec

    def add_startup_prompt(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once after the main window is shown (e.g. "you have unrated
        declarations"). Use non-blocking UI or a dialog's ``ask()``."""
        self.startup_prompts.append(callback)
        host = self._ctx.plugin_host
        if host is not None and host.prompts_done:
            # the window is already up (plugin loaded late): run it soon
            QTimer.singleShot(0, self.guarded(callback, "startup prompt"))

    # ---- declarations ----------------------------------------------------------------------
    def _store(self) -> "DeclarationStore":
        store = self._ctx.declaration_store
        if store is not None and threading.current_thread() is threading.main_thread():
            return store  # the UI thread's connection
        cached: DeclarationStore | None = getattr(self._local, "store", None)
        if cached is not None:
            return cached
        if self._ctx.store_error:
            raise HostServiceUnavailable(translate("HostApi", "The declaration store is not open."))
        from desktop.core.store import DeclarationStore

        self._local.store = DeclarationStore(Path(self._ctx.store_path))
        return self._local.store

    def _list_view(self) -> "ListView | None":
        win = self._ctx.main_window
        return win.list_view if win is not None else None

    def declaration(self, number: str) -> dict[str, Any] | None:
        """One declaration as a dict (the store's columns), or None."""
        return self._store().get(number)

    def handling(self, number: str) -> list[dict[str, Any]]:
        """Who handled the declaration: ``[{"kind", "code", "name"}]``."""
        return list(self._store().handling(number))

    def count_declarations(self, flt: DeclarationFilter) -> int:
        """Number of declarations matching a ``DeclarationFilter`` (counted in SQL)."""
        return int(self._store().count_where(flt))

    def show_declarations(self, flt: DeclarationFilter) -> None:
        """Show the main list with this filter (its ``title`` appears in the filter bar)."""
        win = self._ctx.main_window
        if win is None:
            raise HostServiceUnavailable(translate("HostApi", "The declaration list is not available."))
        win.list_view.set_filter(flt)
        win.show_list()

    def set_mark(self, number: str, value: str | None) -> None:
        """Set (or clear with None) this plugin's mark on a declaration; the row refreshes."""
        self._store().set_mark(self.plugin_id, number, value)
        self._after_marks([number])

    def set_marks(self, marks: Mapping[str, str | None]) -> None:
        """Several marks at once (one transaction, one refresh)."""
        self._store().set_marks(self.plugin_id, dict(marks))
        self._after_marks(list(marks))

    def _after_marks(self, numbers: list[str]) -> None:
        view = self._list_view()
        if view is None:
            return
        flt = view.filter()
        mark = flt.mark if flt is not None else None
        if mark is not None and mark.plugin_id == self.plugin_id:
            view.refresh()  # the set of rows itself depends on this plugin's marks
        else:
            view.refresh_rows(numbers)

    def marks(self, numbers: list[str]) -> dict[str, str]:
        """This plugin's marks for these declarations (numbers without a mark are absent)."""
        return dict(self._store().marks(self.plugin_id, list(numbers)))

    def current_declaration(self) -> str | None:
        """Number of the declaration selected in the main list, or None."""
        view = self._list_view()
        return (view.current_number() or None) if view is not None else None

    # ---- outbox and server data --------------------------------------------------------------
    def submit(self, kind: str, payload: dict[str, Any], *, schema: int = 1, item_id: str | None = None) -> str:
        """Queue a submission durably in the outbox and return its id (a UUID).

        The item is on disk when this returns; delivery happens in the background.
        ``item_id`` (API 1.1) lets a plugin choose the UUID itself (noted in its own records
        before the call), so that a crash between the two writes cannot lose track of the
        item; submitting the same id and body again is harmless. Raises
        :class:`HostServiceUnavailable` when this run has no outbox.
        """
        outbox = self._ctx.outbox
        if outbox is None:
            raise HostServiceUnavailable(translate("HostApi", "Sending is not available in this program: the outbox is not installed."))
        return outbox.submit(kind, payload, schema=schema, source=self.plugin_id, item_id=item_id)

    def submission_states(self, ids: list[str]) -> dict[str, SubmissionEntry]:
        """What became of these submissions, by id (ids the host does not know are absent):
        this workstation's outbox, then what other workstations of the enterprise sent."""
        if self._ctx.outbox is None:
            raise HostServiceUnavailable(translate("HostApi", "Sending is not available in this program: the outbox is not installed."))
        return submission_entries(self._ctx, list(ids))

    def enterprise_submissions(self) -> dict[str, SubmissionEntry]:
        """What other workstations of the signed-in enterprise sent, as the server told this
        one (``origin`` "remote", with the ``payload`` less contact details), by id. The
        host announces new and changed ones through ``submissions_changed`` like its own."""
        return submission_entries(self._ctx, None)

    def info_requests(self) -> list[dict[str, Any]]:
        """Customs' requests for the signed-in enterprise's information, as last fetched with
        the other feeds (``GET /api/v1/business-info/requests``; ``docs/BUSINESS_INFO.md``):
        ``id``, ``kind``, ``due_date``, ``state``, ``overdue``... Empty before the first fetch,
        when nobody is signed in, or when no cache service is installed."""
        cache, session = self._ctx.cache, self._ctx.session
        user = session.username if session is not None else None
        return cache.info_requests(user) if cache is not None and user else []

    def catalog(self) -> dict[str, Any] | None:
        """The server's catalog (branches, teams, stages, officials, reasons) from the local
        cache, or None when it has never been fetched (or no cache service is installed)."""
        cache = self._ctx.cache
        return cache.catalog() if cache is not None else None

    def signed_in(self) -> bool:
        session = self._ctx.session
        return session is not None and bool(session.signed_in)

    # ---- translation, language, dates, paths -----------------------------------------------------
    def tr(self, text: str, context: str | None = None) -> str:
        """Translate with the plugin's own catalogue (``i18n/<id>_<lang>.qm``).

        ``context`` defaults to the plugin id. ``pyside6-lupdate`` finds calls written as
        ``api.tr("text")`` (it files them under the context "api") and
        ``QCoreApplication.translate("<plugin id>", "text")``; both are looked up.
        """
        translated = QCoreApplication.translate(context or self.plugin_id, text)
        if translated == text:
            # ``pyside6-lupdate`` files ``api.tr("text", "x")`` under the context "api" with
            # the disambiguation "x": look there too, so both styles work.
            translated = QCoreApplication.translate("api", text, context)
        return translated

    def language(self) -> str:
        """The current user-interface language: "vi" or "en"."""
        return self._ctx.language

    def today(self) -> date:
        """Today's date, or the demo world's "today" when the program runs on demo data."""
        return self._ctx.today()

    def data_dir(self) -> Path:
        """A folder of this plugin's own (created on first use)."""
        path = self._ctx.paths.plugin_data_dir(self.plugin_id)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def is_demo(self) -> bool:
        return bool(self._ctx.demo)

    # ---- UI helpers -----------------------------------------------------------------------------
    def parent_widget(self) -> QWidget | None:
        """The main window, to use as a dialog parent (and for nothing else)."""
        return self._ctx.main_window

    def status_message(self, text: str, msecs: int = 5000) -> None:
        bar = self._ctx.status_bar
        if bar is not None:
            bar.showMessage(text, msecs)

    # ---- background work ------------------------------------------------------------------------
    def run_in_background(self, fn: Callable[..., Any], *args: Any,
                          on_done: Callable[[Any], Any] | None = None,
                          on_error: Callable[[BaseException], Any] | None = None) -> TaskHandle:
        """Run ``fn(*args)`` on a worker thread; ``on_done(result)`` or ``on_error(exc)`` are
        called on the UI thread. Without ``on_error`` a failure is reported as a plugin error.
        ``fn`` must not touch widgets."""
        handle = TaskHandle()

        def finished(result: Any) -> None:
            self._tasks.discard(task)
            handle.done, handle.result = True, result
            if on_done is not None and not self.closed:
                self.guarded(on_done, "background task result")(result)

        def failed(exc: BaseException, tb: str) -> None:
            self._tasks.discard(task)
            handle.done, handle.error = True, exc
            if on_error is not None and not self.closed:
                self.guarded(on_error, "background task error handler")(exc)
            else:
                self._error(f"background task {getattr(fn, '__name__', '?')}", f"{exc!r}\n{tb}")

        task = start_task(plugin_thread_pool(), fn, *args, on_done=finished, on_error=failed)
        handle._task, handle._forget = task, lambda: self._tasks.discard(task)
        self._tasks.add(task)
        return handle

    def pending_tasks(self) -> int:
        return len(self._tasks)

    # ---- host internals used by the plugin host ---------------------------------------------------
    def _retract(self) -> None:
        """Remove what this plugin registered (after it failed to start)."""
        for action in self.actions:
            parent = action.parent()
            if isinstance(parent, QWidget):
                parent.removeAction(action)
            action.deleteLater()
        self.actions.clear()
        view = self._list_view()
        for spec in self.columns:
            if view is not None:
                try:
                    view.remove_column(spec.key)
                except Exception:  # noqa: BLE001
                    pass
        self.columns.clear()
        self.startup_prompts.clear()
        self.closed = True
