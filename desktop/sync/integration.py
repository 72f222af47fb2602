"""The seam between the application and the sync service: ``install(ctx)``.

Called once at start-up with the :class:`desktop.app.AppContext`. It opens the outbox
(integrity check; a damaged file is moved aside and the user is told where), the sync cache
and the session, starts the sync worker thread, and wires:

* ``ctx.outbox`` (``submit`` / ``states`` for HostApi), ``ctx.session``, ``ctx.cache``;
* the status-bar indicator (online / offline / syncing, number waiting, last error);
* System → "Sync now", "Outbox" (the "Hàng đợi gửi" window), sign-in and sign-out;
* host events: ``signed_in_changed``, ``submissions_changed``, ``declarations_changed``;
* a shutdown hook that stops the worker (queued items stay for the next start);
* the first start: a welcome bar (server address, then sign in) until the user has signed in;
  a server address changed in Settings takes effect at once (:meth:`SyncIntegration.set_server_url`).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from desktop.core.cache import SyncCache
from desktop.core.outbox import RETENTION_DAYS, DiskFull, Outbox
from .service import ServiceConfig, SyncService
from desktop.core.session import Session
from .widgets import OutboxWindow, SignInDialog, SyncStatusWidget

log = logging.getLogger(__name__)

OUTBOX_FILE = "outbox.sqlite"
CACHE_FILE = "sync-cache.sqlite"


translate = QCoreApplication.translate


class HostPasswords:
    """The host's credential store (``desktop.credentials``: keyring, refuses insecure backends)."""

    def __init__(self, demo: tuple[str, str] | None = None) -> None:
        self.demo = demo

    def get_password(self, username: str) -> str | None:
        from desktop import credentials

        password = credentials.get_password(username)
        if password is None and self.demo and self.demo[0] == username:
            return self.demo[1]
        return password

    def set_password(self, username: str, password: str) -> bool:
        from desktop import credentials

        result = credentials.save_password(username, password)
        if not result:
            log.warning("password not remembered: %s", result.reason)
        return bool(result)

    def delete_password(self, username: str) -> None:
        from desktop import credentials

        credentials.delete_password(username)


class OutboxFacade:
    """What HostApi calls (``ctx.outbox``): durable submit, then a sync request."""

    def __init__(self, outbox: Outbox, service: SyncService | None, session: Session | None = None) -> None:
        self.store = outbox
        self.service = service
        self.session = session

    def submit(self, kind: str, payload: Any, *, schema: int = 1, source: str | None = None,
               item_id: str | None = None) -> str:
        account = self.session.username if self.session is not None else None
        try:
            item_id = self.store.submit(kind, payload, schema=schema, source=source, account=account,
                                        item_id=item_id)
        except DiskFull as exc:
            log.error("a submission could not be recorded: %s", exc)
            raise DiskFull(translate("Sync", "The disk is full: the submission could not be recorded. Everything "
                                             "recorded before is safe. Free some disk space and send again.")) from exc
        if self.service is not None:
            self.service.request_sync()
        return item_id

    def states(self, ids) -> dict[str, dict[str, Any]]:
        return self.store.states(ids)

    def counts(self) -> dict[str, int]:
        return self.store.counts()


class FeedMerger:
    """Merges feed items into the declaration store from the worker thread (its own
    connection: a SQLite connection belongs to one thread)."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = Path(store_path)
        self._local = threading.local()

    def __call__(self, items: list[dict[str, Any]]) -> list[str]:
        store = getattr(self._local, "store", None)
        if store is None:
            from desktop.core.store import DeclarationStore

            store = DeclarationStore(self.store_path)
            self._local.store = store
        changed = store.upsert_from_feed(items)
        for number, reason in getattr(store, "feed_problems", [])[:20]:
            log.warning("declarations feed item %s skipped: %s", number, reason)
        return list(changed)

    def close(self) -> None:
        """Close this thread's connection (call from the thread that merged)."""
        store = getattr(self._local, "store", None)
        if store is not None:
            self._local.store = None
            try:
                store.close()
            except Exception:  # noqa: BLE001
                log.exception("cannot close the worker's declaration store")


class SyncIntegration(QObject):
    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx.main_window)
        self.ctx = ctx
        data_dir = Path(ctx.paths.data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        retention = ctx.settings.outbox_retention_days() if ctx.settings is not None else RETENTION_DAYS
        self.outbox = Outbox(data_dir / OUTBOX_FILE, retention_days=retention)
        self.cache = SyncCache(data_dir / CACHE_FILE)
        settings = ctx.settings.namespace("sync") if ctx.settings is not None else None
        self.settings = settings
        demo = getattr(ctx, "demo_credentials", None)
        username = (settings.get("username") if settings is not None else None) or (demo[0] if demo else None)
        self.server_url = ctx.server_url
        self.session = Session(self.server_url or "", passwords=HostPasswords(demo), username=username)
        self.service: SyncService | None = None
        self.window: OutboxWindow | None = None
        self.status_widget: SyncStatusWidget | None = None
        self.welcome: Any = None
        self.welcome_bar: Any = None
        self.data_dir = data_dir
        self._asking = False
        self._last_username: str | None = None  # what the user typed last, kept after a wrong password
        self._retired: list[SyncService] = []  # replaced by a new server address, still finishing a request
        self._merger: FeedMerger | None = None
        if self.server_url:
            self.service = self._make_service(self.server_url)
        self.facade = OutboxFacade(self.outbox, self.service, self.session)
        ctx.outbox = self.facade
        ctx.session = self.session
        ctx.cache = self.cache

    def _make_service(self, url: str) -> SyncService:
        if self._merger is None and getattr(self.ctx, "store_path", None):
            self._merger = FeedMerger(self.ctx.store_path)
        config = ServiceConfig(server_url=url, data_dir=self.data_dir, merge_declarations=self._merger)
        # customs IT may tune how often a workstation asks for answers and other
        # workstations' submissions (settings: sync/poll_interval_seconds, 1-3600; default 30)
        seconds = self.settings.get("poll_interval_seconds") if self.settings is not None else None
        if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and 1 <= seconds <= 3600:
            config.sync_interval_ms = config.poll_interval_ms = int(seconds * 1000)
        return SyncService(config, self.outbox, self.session, self.cache, parent=self)

    # -- wiring -------------------------------------------------------------------------------
    def install(self) -> None:
        ctx = self.ctx
        if ctx.status_bar is not None:
            self.status_widget = SyncStatusWidget(ctx.status_bar)
            ctx.status_bar.addPermanentWidget(self.status_widget)
            self.status_widget.clicked.connect(self.sync_now)
            self._show_service_status()
        system = ctx.menus.get("system") if ctx.menus else None
        self.sync_action = QAction(translate("Sync", "Sync now"), self)
        self.sync_action.setObjectName("action_sync_now")
        self.sync_action.setShortcut(QKeySequence("F9"))
        self.sync_action.triggered.connect(self.sync_now)
        self.outbox_action = QAction(translate("Sync", "Outbox (items to send)…"), self)
        self.outbox_action.setObjectName("action_outbox")
        self.outbox_action.triggered.connect(self.show_window)
        if system is not None:
            first = system.actions()[0] if system.actions() else None
            system.insertAction(first, self.sync_action)
            system.insertAction(first, self.outbox_action)
            system.insertSeparator(first)
        sign_in = ctx.actions.get("sign_in") if getattr(ctx, "actions", None) else None
        sign_out = ctx.actions.get("sign_out") if getattr(ctx, "actions", None) else None
        self.sign_in_action, self.sign_out_action = sign_in, sign_out
        if sign_in is not None:
            sign_in.setEnabled(self.service is not None)
            sign_in.setToolTip("")
            sign_in.triggered.connect(lambda: self.ask_sign_in(""))
        if sign_out is not None:
            sign_out.setEnabled(False)
            sign_out.triggered.connect(self.sign_out)
        ctx.shutdown_hooks.append(self.shutdown)
        language_changed = getattr(getattr(ctx, "events", None), "language_changed", None)
        if language_changed is not None:
            language_changed.connect(self.retranslate)
        if self.outbox.recovered_from is not None or self.outbox.quarantined_at_open:
            QTimer.singleShot(0, self.tell_recovered)
        self._update_welcome()
        if self.service is None:
            return
        demo_server = getattr(ctx, "demo_server", None)
        if demo_server is not None and hasattr(demo_server, "ready"):
            demo_server.ready.connect(lambda _url: self.service.request_sync(force=True) if self.service else None)
        self._start_service()

    def _start_service(self) -> None:
        svc = self.service
        assert svc is not None
        if self.status_widget is not None:
            svc.status_changed.connect(self.status_widget.update_status)
        svc.changed.connect(self._on_changed)
        svc.sign_in_needed.connect(self._on_sign_in_needed)
        svc.signed_in_changed.connect(self._on_signed_in)
        svc.sign_in_failed.connect(self._on_sign_in_failed)
        svc.declarations_changed.connect(lambda numbers: self.ctx.events.declarations_changed.emit())
        svc.start()

    def _show_service_status(self) -> None:
        if self.status_widget is None:
            return
        if self.service is not None:
            self.status_widget.update_status(self.service.status)
        else:
            self.status_widget.update_status({"state": "unknown", "waiting": self.outbox.waiting(),
                                              "failed": self.outbox.failed_count(),
                                              "last_error": translate("Sync", "No server address is set (Settings).")})

    def set_server_url(self, url: str | None) -> None:
        """A new server address (Settings) takes effect now: the sender for the old address
        stops (a request on the wire ends by its timeout, in the background), the session
        starts over, and the new sender signs in (asking the user when nothing is remembered)."""
        url = (url or "").strip() or None
        if url == self.server_url:
            return
        old = self.service
        if old is not None:
            old.blockSignals(True)  # nothing more from the old address reaches the window
            old.shutdown(wait_ms=200)
            self._retired.append(old)
        self.server_url = url
        self.ctx.server_url = url
        self.session.invalidate()
        self.session.base_url = url or ""
        self.service = self._make_service(url) if url else None
        self.facade.service = self.service
        if self.sign_in_action is not None:
            self.sign_in_action.setEnabled(self.service is not None)
        if self.sign_out_action is not None:
            self.sign_out_action.setEnabled(False)
        self.ctx.events.signed_in_changed.emit(False)
        self._show_service_status()
        self._update_welcome()
        if self.service is None:
            self._message(translate("Sync", "No server address is set: nothing will be sent until one is entered."))
            return
        self._message(translate("Sync", "Server address saved: connecting to %1…").replace("%1", url), 10_000)
        self._start_service()

    # -- the first start ------------------------------------------------------------------------
    def _needs_welcome(self) -> bool:
        if getattr(self.ctx, "demo", False) or getattr(self.ctx, "demo_credentials", None):
            return False
        if self.session.signed_in:
            return False
        return not self.server_url or not self.session.username

    def _update_welcome(self) -> None:
        """Show, update or remove the welcome bar (server address, then sign in)."""
        window = getattr(self.ctx, "main_window", None)
        if window is None or not hasattr(window, "addToolBar"):
            return
        if not self._needs_welcome():
            if self.welcome_bar is not None:
                self.welcome_bar.hide()
            return
        if self.welcome is None:
            from PySide6.QtWidgets import QToolBar

            from desktop.dialogs.settings import WelcomeBar

            self.welcome = WelcomeBar()
            self.welcome.settings_requested.connect(self.open_settings)
            self.welcome.sign_in_requested.connect(lambda: self.ask_sign_in(""))
            bar = QToolBar(window)
            bar.setObjectName("welcomeToolBar")
            bar.setMovable(False)
            bar.setFloatable(False)
            bar.toggleViewAction().setVisible(False)
            bar.addWidget(self.welcome)
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
            self.welcome_bar = bar
        self.welcome.set_step(has_server=bool(self.server_url))
        self.welcome_bar.show()

    def open_settings(self) -> None:
        actions = getattr(self.ctx, "actions", None) or {}
        action = actions.get("settings")
        if action is not None:
            action.trigger()

    def retranslate(self, *_args) -> None:
        """The user switched the language: texts come again from the installed catalogue."""
        self.sync_action.setText(translate("Sync", "Sync now"))
        self.outbox_action.setText(translate("Sync", "Outbox (items to send)…"))
        if self.status_widget is not None:
            self.status_widget.update_status(self.status_widget.status)
        if self.window is not None:
            visible = self.window.isVisible()
            self.window.close()
            self.window.deleteLater()
            self.window = None
            if visible:
                self.show_window()

    # -- actions ---------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.service is None:
            self._message(translate("Sync", "No server address is set: open Settings to enter it."))
            return
        self.service.request_sync(force=True)
        self.service.refresh()

    def show_window(self) -> None:
        if self.window is None:
            self.window = OutboxWindow(self.outbox, self.ctx.main_window)
            self.window.setWindowTitle(translate("Sync", "Outbox — items to send"))
            self.window.sync_requested.connect(self.sync_now)
        self.window.reload()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def ask_sign_in(self, message: str = "") -> None:
        if self.service is None or self._asking:
            return
        from desktop import credentials

        self._asking = True
        try:
            status = credentials.backend_status()
            answer = SignInDialog.ask(self.ctx.main_window, username=self._last_username or self.session.username or "",
                                      message=message or (status.reason if not status.secure else ""),
                                      can_remember=status.secure)
        finally:
            self._asking = False
        if answer is None:
            return
        username, password, remember = answer
        try:
            from domain.validation import normalize_tax_code

            username = normalize_tax_code(username)
        except Exception:
            pass  # staff logins are plain names; the server decides
        self._last_username = username
        if self.settings is not None:
            self.settings.set("username", username)
        self.service.sign_in(username, password, remember)

    def sign_out(self) -> None:
        if self.service is not None:
            self.service.sign_out(forget=True)

    def tell_recovered(self) -> None:
        path = self.outbox.recovered_from
        if path is None:  # single damaged items were set apart; the outbox itself is fine
            text = translate("Sync", "%1 item(s) of the outbox were damaged on this computer and will not be sent: "
                                     "see Outbox, \"Damaged\". The other items are sent as usual.").replace(
                "%1", str(self.outbox.quarantined_at_open))
            log.error("%d damaged outbox item(s) set apart", self.outbox.quarantined_at_open)
        elif self.outbox.recovered_reason == "empty":
            text = translate("Sync", "The outbox file was empty (0 bytes), probably cut off by a full disk or a failed copy. It was moved to %1 and a new outbox was started.").replace("%1", str(path))
            log.error("empty outbox file moved to %s", path)
        else:
            text = translate("Sync", "The outbox file was damaged. It was moved to %1 and a new outbox was started. Keep the old file for customs IT.").replace("%1", str(path))
            log.error("damaged outbox moved to %s", path)
        self._message(text, 0)
        if self.status_widget is not None:
            self.status_widget.setToolTip(text)

    def _message(self, text: str, timeout: int = 10_000) -> None:
        if self.ctx.status_bar is not None:
            self.ctx.status_bar.showMessage(text, timeout)

    # -- service events -------------------------------------------------------------------------
    def _on_changed(self, ids: list) -> None:
        from desktop.hostapi import submission_entries

        self.ctx.events.submissions_changed.emit(submission_entries(self.ctx, list(ids)))
        if self.window is not None:
            self.window.schedule_reload()

    def _on_signed_in(self, state: bool, name: str) -> None:
        self.ctx.events.signed_in_changed.emit(bool(state))
        if self.sign_out_action is not None:
            self.sign_out_action.setEnabled(bool(state))
        if state:
            self._message(translate("Sync", "Signed in as %1.").replace("%1", name), 5000)
        self._update_welcome()

    def _on_sign_in_needed(self) -> None:
        waiting = self.outbox.waiting()
        if waiting:
            text = translate("Sync", "Sign in again to send the %n item(s) waiting in the outbox.", None, waiting)
        elif not (self._last_username or self.session.username):
            text = translate("Sync", "Sign in with your enterprise's tax code to receive your declarations and "
                                     "send assessments.")
        else:
            text = translate("Sync", "Sign in to the customs feedback server.")
        self._message(text, 0)
        QTimer.singleShot(0, lambda: self.ask_sign_in(text))

    def _on_sign_in_failed(self, reason: str) -> None:
        who = self._last_username or self.session.username or ""
        text = {
            "wrong": translate("Sync", "The password is wrong for tax code %1: type it again (and check the "
                                       "tax code).").replace("%1", who) if who else
            translate("Sync", "Sign-in refused: the tax code or password is wrong."),
            "forbidden": translate("Sync", "This account may not sign in here."),
            "rate_limited": translate("Sync", "Too many sign-in attempts: wait a moment and try again."),
            "busy": translate("Sync", "The server is busy: try again in a moment."),
        }.get(reason, translate("Sync", "The server cannot be reached: check the network and try again."))
        self._message(text, 15_000)
        if reason == "wrong":
            QTimer.singleShot(0, lambda: self.ask_sign_in(text))

    def shutdown(self) -> None:
        if self.service is not None:
            self.service.shutdown()
        for old in self._retired:
            if not old._thread.wait(10_000):
                log.warning("the sync worker of the previous server address did not stop in time")
        self._retired.clear()
        if self.window is not None:
            self.window.close()
        self.outbox.close()
        self.cache.close()


def install(ctx: Any) -> SyncIntegration:
    integration = SyncIntegration(ctx)
    integration.install()
    ctx.sync = integration  # for tests and diagnostics
    return integration
