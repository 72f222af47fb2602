"""Start-up and shutdown of the program, and the one seam services plug into.

``create_context(options)`` builds everything up to a ready (not yet shown) main window:

1. per-user paths (``--data-dir``/``DECLARANT_DESK_HOME`` override; ``--demo`` uses
   ``<data dir>/demo/``), rotating redacted logs, settings, language and translators;
2. the declaration store and the main window with its menus and status bar;
3. the services, each guarded (ImportError → skipped; any other error → logged and shown
   in Help → Plugins, never fatal): ``desktop.sync.integration.install(ctx)`` then
   ``desktop.updates.integration.install(ctx)``;
4. the plugins.

``ctx.show()`` shows the window and runs the plugins' startup prompts; ``ctx.shutdown()``
calls the plugins' teardowns, then ``ctx.shutdown_hooks`` in reverse order.
Tests (and other parts' end-to-end tests) use ``create_context`` directly: everything is
ready when it returns.

An interactive start (``run``) defers steps 3-4: the window is shown and the list painted
first, the service modules (which bring heavy libraries: requests, TUF, cryptography) are
imported on a worker thread meanwhile, and then the services are installed and the
plugins loaded on the UI thread, followed by the startup prompts. The user sees the list
at once instead of waiting for imports.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu, QStatusBar

from . import APP_NAME, DISPLAY_NAME, __version__
from . import clock, i18n, logs
from .events import HostEvents
from .paths import Paths, resolve
from .settings import Settings

if TYPE_CHECKING:  # pragma: no cover - the services' types, imported only by type checkers
    from desktop.core.store import DeclarationStore
    from .main_window import MainWindow
    from .plugin_host import PluginHost
    from desktop.core.cache import SyncCache
    from .sync.integration import OutboxFacade, SyncIntegration
    from desktop.core.session import Session
    from .updates.integration import UpdateService

log = logging.getLogger(__name__)

SERVICES = ("desktop.sync.integration", "desktop.updates.integration")


translate = QCoreApplication.translate


# Qt ships no Vietnamese catalogue of its own (there is no qtbase_vi.qm): the texts of the
# standard dialog buttons (QDialogButtonBox, QMessageBox) are translated in the host's
# catalogue under the contexts Qt looks them up in. Windows and most platforms use
# QPlatformTheme; GNOME desktops use QGnomeTheme.
QT_STANDARD_BUTTON_TEXTS = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Abort"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Retry"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&OK"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&Save"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&Cancel"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&Close"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "Close without Saving"),
)


_keep: list[Any] = []


class StartupError(RuntimeError):
    """The program cannot start; the message is shown to the user as it is."""


@dataclass
class ServiceStatus:
    module: str
    state: str  # "installed" | "absent" | "failed"
    error: str = ""
    details: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state, "error": self.error}


@dataclass
class AppContext:
    """Everything services and the plugin host get at start-up."""

    app: QApplication
    paths: Paths
    settings: Settings
    language: str
    demo: bool
    store_path: Path
    events: HostEvents
    declaration_store: DeclarationStore | None = None
    store_error: str = ""
    main_window: MainWindow | None = None
    status_bar: QStatusBar | None = None
    menus: dict[str, QMenu] = field(default_factory=dict)
    actions: dict[str, Any] = field(default_factory=dict)  # host actions ("sign_in", "sign_out"…)
    server_url: str | None = None
    demo_credentials: tuple[str, str] | None = None  # (tax code, password) in demo mode
    demo_server: Any = None
    # services set these in their install(ctx)
    outbox: OutboxFacade | None = None
    session: Session | None = None
    cache: SyncCache | None = None
    updates: UpdateService | None = None
    sync: SyncIntegration | None = None  # the sync integration (status, sign-in, Sync now)
    shutdown_hooks: list[Callable[[], Any]] = field(default_factory=list)
    services: dict[str, ServiceStatus] = field(default_factory=dict)
    plugin_host: PluginHost | None = None
    translators: list[Any] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)
    pending_startup: dict[str, Any] | None = None  # deferred services/plugins (interactive start)
    startup_complete: bool = False
    _closed: bool = False

    # -- lifecycle ------------------------------------------------------------------------------
    def show(self) -> None:
        win = self.main_window
        win.show()
        if self.pending_startup is None:
            QTimer.singleShot(0, self._after_shown)

    def _after_shown(self) -> None:
        if self._closed:
            return
        self._hint_when_empty()
        if self.plugin_host is not None:
            self.plugin_host.run_startup_prompts()

    def _hint_when_empty(self) -> None:
        store, bar = self.declaration_store, self.status_bar
        model = getattr(getattr(self.main_window, "list_view", None), "model", None)
        if model is not None and hasattr(model, "rowCount") and model.rowCount() > 0:
            return  # rows on screen: no need to count a big store
        try:
            empty = store is not None and store.is_empty()
        except Exception:  # noqa: BLE001 - the list shows store problems itself
            return
        if empty and bar is not None and not self.demo:
            bar.showMessage(translate(
                "App", "No declarations yet: sign in to receive them, or try the program with --demo."), 20000)

    def complete_startup(self) -> None:
        """Install the services and load the plugins that ``create_context(deferred=True)``
        left out, then run the startup prompts (UI thread)."""
        pending, self.pending_startup = self.pending_startup, None
        if pending is None or self._closed:
            return
        _finish(self, **pending)
        self.startup_complete = True
        if self.main_window.isVisible():
            self._after_shown()

    def shutdown(self) -> None:
        """Teardowns, then shutdown hooks in reverse order. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self.events.shutting_down.emit()
        except Exception:  # noqa: BLE001
            log.exception("a shutting_down handler failed")
        if self.main_window is not None:
            try:
                self.main_window.save(self.settings)
            except Exception:  # noqa: BLE001
                log.exception("cannot save the window state")
        if self.plugin_host is not None:
            self.plugin_host.teardown_all()
        from .hostapi import plugin_thread_pool

        plugin_thread_pool().waitForDone(5000)
        for hook in reversed(self.shutdown_hooks):
            try:
                hook()
            except Exception:  # noqa: BLE001
                log.exception("shutdown hook %r failed", hook)
        if self.main_window is not None:
            try:
                self.main_window.list_view.close_store()  # stops the list's query worker
            except Exception:  # noqa: BLE001
                log.exception("cannot stop the declaration list")
        if self.declaration_store is not None:
            try:
                self.declaration_store.close()
            except Exception:  # noqa: BLE001
                log.exception("cannot close the declaration store")
        self.settings.sync()
        for tr in self.translators:
            QCoreApplication.removeTranslator(tr)
        self.translators.clear()
        log.info("shut down")

    # -- host features ----------------------------------------------------------------------------
    def today(self) -> date:
        """Today's date, or the demo world's "today" (``domain.demo.DEMO_END``) on demo data."""
        return clock.today(self.demo)

    def set_language(self, lang: str) -> None:
        """Save the language and retranslate what can be (menus, dialogs, plugins)."""
        if lang not in i18n.LANGUAGES:
            raise ValueError(lang)
        self.settings.set_language(lang)
        if lang == self.language:
            return
        self.language = lang
        for tr in self.translators:
            QCoreApplication.removeTranslator(tr)
        self.translators = i18n.install(lang)
        if self.plugin_host is not None:
            self.plugin_host.retranslate()
        if self.main_window is not None:
            self.main_window.lang = lang
            self.main_window.set_language_checked(lang)
            self.main_window.retranslate()  # now; other widgets follow the LanguageChange event
            self.main_window.list_view.set_language(lang)
            if self.status_bar is not None:
                self.status_bar.showMessage(translate("App", 
                    "Language changed. Some parts of the window change after a restart."), 10000)
        self.events.language_changed.emit(lang)

    def open_log_folder(self) -> bool:
        self.paths.log_dir.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.log_dir)))


# ---- options --------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="declarant-desk", description=f"{DISPLAY_NAME} {__version__}")
    p.add_argument("--demo", action="store_true", help="start on demo data and an embedded demo server")
    p.add_argument("--data-dir", metavar="DIR", help="keep all data, settings and logs in DIR")
    p.add_argument("--lang", choices=list(i18n.LANGUAGES), help="user-interface language (default vi)")
    p.add_argument("--self-test", action="store_true",
                   help="start without a window, check the store and plugins, print JSON, exit")
    p.add_argument("--screenshot", metavar="FILE.png", help="render the main window to a PNG and exit")
    p.add_argument("--screenshot-size", metavar="WxH", default="1280x800",
                   help="window size of --screenshot (default 1280x800; e.g. 1024x768 for a small screen)")
    p.add_argument("--no-services", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--version", action="version", version=f"{DISPLAY_NAME} {__version__}")
    return p


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *(argv or [])])
    app.setApplicationName(APP_NAME)
    # window titles end with this (Qt appends it on Windows and X11 when a title does not)
    app.setApplicationDisplayName(f"{DISPLAY_NAME} {__version__}")
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    return app  # type: ignore[return-value]


# ---- building the context --------------------------------------------------------------------------

def create_context(options: argparse.Namespace | list[str] | None = None, *,
                   services: bool = True, plugins: bool = True,
                   plugin_host_kwargs: dict[str, Any] | None = None,
                   deferred: bool = False) -> AppContext:
    """Build the program up to a ready, not yet shown, main window.

    ``deferred``: leave the services and plugins for :meth:`AppContext.complete_startup`."""
    if options is None or isinstance(options, list):
        options = build_parser().parse_args(options or [])
    paths = resolve(options.data_dir, demo=options.demo)
    try:
        paths.ensure()
    except OSError as exc:
        ensure_app()
        _keep.extend(i18n.install(options.lang or "vi"))  # a QTranslator must stay referenced
        raise StartupError(translate("App", "The data folder %1 cannot be used: %2")
                           .replace("%1", str(exc.filename or paths.data_dir))
                           .replace("%2", exc.strerror or str(exc))) from exc
    logs.setup(paths.log_dir)
    log.info("%s %s starting (data dir %s%s)", DISPLAY_NAME, __version__, paths.data_dir,
             ", demo" if options.demo else "")
    app = ensure_app()
    settings = Settings(paths.settings_file)
    lang = options.lang or settings.language() or "vi"
    if options.lang:
        settings.set_language(options.lang)
    translators = i18n.install(lang)
    ctx = AppContext(app=app, paths=paths, settings=settings, language=lang, demo=options.demo,
                     store_path=paths.store_path, events=HostEvents(), translators=translators,
                     server_url=settings.server_url())
    if options.demo:
        from . import demo

        demo.prepare(ctx)
    if not deferred:
        _open_store(ctx)
    else:  # the list opens its own connection; the shared one waits until after the paint
        ctx.store_error = _store_unavailable()
    _build_window(ctx)
    ctx.main_window.restore(settings)
    if deferred:
        ctx.main_window.list_view.run_pending_query()  # the worker runs while the window is shown
    pending = {"services": services and not getattr(options, "no_services", False),
               "plugins": plugins, "plugin_host_kwargs": plugin_host_kwargs}
    if deferred:
        ctx.pending_startup = pending
    else:
        _finish(ctx, **pending)
        ctx.startup_complete = True
    return ctx


def _store_unavailable() -> str:
    try:
        importlib.import_module("desktop.core.store")
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def _finish(ctx: AppContext, *, services: bool, plugins: bool,
            plugin_host_kwargs: dict[str, Any] | None) -> None:
    if ctx.declaration_store is None and not ctx.store_error:
        _open_store(ctx)
    if services:
        install_services(ctx)
    if plugins:
        from .plugin_host import PluginHost

        ctx.plugin_host = PluginHost(ctx, **(plugin_host_kwargs or {}))
        ctx.plugin_host.load_all()


def _open_store(ctx: AppContext) -> None:
    try:
        from desktop.core.store import DeclarationStore
    except ImportError as exc:
        ctx.store_error = f"{type(exc).__name__}: {exc}"
        log.warning("declaration store unavailable: %s", exc)
        return
    try:
        ctx.declaration_store = DeclarationStore(ctx.store_path)
    except Exception as exc:  # noqa: BLE001 - shown in the list area, not fatal
        ctx.store_error = f"{type(exc).__name__}: {exc}"
        log.exception("cannot open the declaration store %s", ctx.store_path)


def _build_window(ctx: AppContext) -> None:
    from .main_window import MainWindow

    win = MainWindow(ctx.store_path, lang=ctx.language, demo=ctx.demo, list_error=ctx.store_error)
    ctx.main_window = win
    ctx.status_bar = win.status_bar
    ctx.menus = win.menus
    ctx.actions = win.actions
    win.language_requested.connect(ctx.set_language)
    win.actions["settings"].triggered.connect(lambda: _open_settings(ctx))
    win.actions["about"].triggered.connect(lambda: _open_about(ctx))
    win.actions["plugins"].triggered.connect(lambda: _open_plugins(ctx))
    win.actions["open_logs"].triggered.connect(ctx.open_log_folder)
    view = win.list_view
    view.current_changed.connect(ctx.events.current_declaration_changed)
    view.activated.connect(ctx.events.declaration_activated)
    ctx.events.declarations_changed.connect(view.refresh)


def _open_settings(ctx: AppContext) -> None:
    from .dialogs.settings import SettingsDialog

    result = SettingsDialog.ask(ctx, ctx.main_window)
    if result is None:
        return
    if result.language != ctx.language:
        ctx.set_language(result.language)
    if result.server_url != (ctx.settings.server_url() or ""):
        ctx.settings.set_server_url(result.server_url or None)
        if ctx.sync is not None:
            ctx.sync.set_server_url(result.server_url or None)  # takes effect now
        elif ctx.status_bar is not None:
            ctx.status_bar.showMessage(translate("App", "The server address takes effect after a restart."), 10000)


def _open_about(ctx: AppContext) -> None:
    from .dialogs.about import AboutDialog

    AboutDialog.ask(ctx, ctx.main_window)


def _open_plugins(ctx: AppContext) -> None:
    from .dialogs.plugins import PluginsDialog

    PluginsDialog.ask(ctx, ctx.main_window)


def install_services(ctx: AppContext) -> None:
    for module_name in SERVICES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                ctx.services[module_name] = ServiceStatus(module_name, "absent")
                log.info("service %s not present", module_name)
                continue
            # the module exists but one of its own imports failed: that is a real failure
            ctx.services[module_name] = ServiceStatus(module_name, "failed", f"{type(exc).__name__}: {exc}",
                                                      traceback.format_exc())
            log.exception("service %s cannot be imported", module_name)
            continue
        except Exception as exc:  # noqa: BLE001
            ctx.services[module_name] = ServiceStatus(module_name, "failed", f"{type(exc).__name__}: {exc}",
                                                      traceback.format_exc())
            log.exception("service %s cannot be imported", module_name)
            continue
        try:
            module.install(ctx)
        except Exception as exc:  # noqa: BLE001 - never fatal
            ctx.services[module_name] = ServiceStatus(module_name, "failed", f"{type(exc).__name__}: {exc}",
                                                      traceback.format_exc())
            log.exception("service %s failed to install", module_name)
            if ctx.status_bar is not None:
                ctx.status_bar.showMessage(translate("App", "A service failed to start (see Help → Plugins)."), 10000)
        else:
            ctx.services[module_name] = ServiceStatus(module_name, "installed")


# ---- running ----------------------------------------------------------------------------------------

class _Preloader(QObject):
    """Imports the service modules on a worker thread; ``done`` arrives on the UI thread."""

    done = Signal()

    def __init__(self, modules: tuple[str, ...]):
        super().__init__()
        self.modules = modules

    def start(self) -> None:
        threading.Thread(target=self._run, name="preload-services", daemon=True).start()

    def _run(self) -> None:
        for name in self.modules:
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001 - install_services() reports it properly
                pass
        try:
            from .plugin_host import prefetch_entry_points

            prefetch_entry_points()
        except BaseException:  # noqa: BLE001 - the plugin host reads them itself then
            pass
        self.done.emit()


def run(options: argparse.Namespace) -> int:
    """The interactive start: window and list first, services and plugins after the paint."""
    from .paint_probe import EXIT_AFTER_PAINT_ENV, TIMING_ENV, PaintProbe

    try:
        ctx = create_context(options, deferred=True)
    except StartupError as exc:
        sys.stderr.write(f"{exc}\n")
        _tell_startup_failure(str(exc))
        return 2
    app = ctx.app
    preloader = _Preloader(SERVICES)

    progress = {"ready": False, "listed": False, "preloading": False}

    def maybe_exit() -> None:  # benchmark runs: close once everything has been measured
        if os.environ.get(EXIT_AFTER_PAINT_ENV) and progress["ready"] and progress["listed"]:
            ctx.main_window.close()

    def ready() -> None:
        ctx.complete_startup()
        progress["ready"] = True
        if os.environ.get(TIMING_ENV):
            print(f"DD_READY {time.time():.6f}", flush=True)
        maybe_exit()

    def listed() -> None:
        progress["listed"] = True
        maybe_exit()

    preloader.done.connect(ready, Qt.ConnectionType.QueuedConnection)

    def start_preload() -> None:
        if not progress["preloading"]:
            progress["preloading"] = True
            preloader.start()

    probe = PaintProbe(ctx, start_preload, exit_after=False, first_rows=True)
    probe.on_listed = listed
    QTimer.singleShot(3000, start_preload)  # the list never painted (error): go on anyway
    ctx.main_window.closing.connect(ctx.shutdown)
    app.aboutToQuit.connect(ctx.shutdown)
    _close_on_signals(ctx)
    ctx.show()
    code = app.exec()
    ctx.shutdown()
    return code


def _tell_startup_failure(message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    ensure_app()
    QMessageBox.critical(None, translate("App", "Declarant Desk cannot start"), message)


def _close_on_signals(ctx: AppContext) -> None:
    """Ctrl+C in a terminal (or SIGTERM) closes the window normally: state saved, teardowns run."""
    import signal

    def close(*_args: Any) -> None:
        QTimer.singleShot(0, ctx.main_window.close)

    for name in ("SIGINT", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, close)
            except (ValueError, OSError):  # not the main thread / not supported
                pass
    ticker = QTimer(ctx.main_window)  # lets the interpreter run signal handlers while Qt waits
    ticker.setInterval(300)
    ticker.timeout.connect(lambda: None)
    ticker.start()
