"""The seam between the application and the sync service: ``install(ctx)``.

Called once at start-up with the :class:`desktop.app.AppContext`. It opens the outbox
(integrity check; a damaged file is moved aside and the user is told where), the sync cache
and the session, starts the sync worker thread, and wires:

* ``ctx.outbox`` (``submit`` / ``states`` for HostApi), ``ctx.session``, ``ctx.cache``;
* the status-bar indicator (online / offline / syncing, number waiting, last error);
* System → "Sync now", "Outbox" (the "Hàng đợi gửi" window), sign-in and sign-out;
* host events: ``signed_in_changed``, ``submissions_changed``, ``declarations_changed``;
* a shutdown hook that stops the worker (queued items stay for the next start).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence

from .cache import SyncCache
from .outbox import Outbox
from .service import ServiceConfig, SyncService
from .session import Session
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
        item_id = self.store.submit(kind, payload, schema=schema, source=source, account=account, item_id=item_id)
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
            from desktop.declarations.store import DeclarationStore

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
        self.outbox = Outbox(data_dir / OUTBOX_FILE)
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
        self._asking = False
        if self.server_url:
            merge = FeedMerger(ctx.store_path) if getattr(ctx, "store_path", None) else None
            config = ServiceConfig(server_url=self.server_url, data_dir=data_dir, merge_declarations=merge)
            self.service = SyncService(config, self.outbox, self.session, self.cache, parent=self)
        self.facade = OutboxFacade(self.outbox, self.service, self.session)
        ctx.outbox = self.facade
        ctx.session = self.session
        ctx.cache = self.cache

    # -- wiring -------------------------------------------------------------------------------
    def install(self) -> None:
        ctx = self.ctx
        if ctx.status_bar is not None:
            self.status_widget = SyncStatusWidget(ctx.status_bar)
            ctx.status_bar.addPermanentWidget(self.status_widget)
            self.status_widget.clicked.connect(self.sync_now)
            if self.service is not None:
                self.status_widget.update_status(self.service.status)
            else:
                self.status_widget.update_status({"state": "unknown", "waiting": self.outbox.waiting(),
                                                  "failed": self.outbox.failed_count(),
                                                  "last_error": translate("Sync", "No server address is set (Settings).")})
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
        if self.outbox.recovered_from is not None:
            QTimer.singleShot(0, self.tell_recovered)
        if self.service is None:
            return
        svc = self.service
        if self.status_widget is not None:
            svc.status_changed.connect(self.status_widget.update_status)
        svc.changed.connect(self._on_changed)
        svc.sign_in_needed.connect(self._on_sign_in_needed)
        svc.signed_in_changed.connect(self._on_signed_in)
        svc.sign_in_failed.connect(self._on_sign_in_failed)
        svc.declarations_changed.connect(lambda numbers: ctx.events.declarations_changed.emit())
        demo_server = getattr(ctx, "demo_server", None)
        if demo_server is not None and hasattr(demo_server, "ready"):
            demo_server.ready.connect(lambda _url: svc.request_sync(force=True))
        svc.start()

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
            answer = SignInDialog.ask(self.ctx.main_window, username=self.session.username or "",
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
        if self.settings is not None:
            self.settings.set("username", username)
        self.service.sign_in(username, password, remember)

    def sign_out(self) -> None:
        if self.service is not None:
            self.service.sign_out(forget=True)

    def tell_recovered(self) -> None:
        path = self.outbox.recovered_from
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
        self.ctx.events.submissions_changed.emit(list(ids))
        if self.window is not None:
            self.window.schedule_reload()

    def _on_signed_in(self, state: bool, name: str) -> None:
        self.ctx.events.signed_in_changed.emit(bool(state))
        if self.sign_out_action is not None:
            self.sign_out_action.setEnabled(bool(state))
        if state:
            self._message(translate("Sync", "Signed in as %1.").replace("%1", name), 5000)

    def _on_sign_in_needed(self) -> None:
        text = translate("Sync", "Sign in again to send the items waiting in the outbox.")
        self._message(text, 0)
        QTimer.singleShot(0, lambda: self.ask_sign_in(text))

    def _on_sign_in_failed(self, reason: str) -> None:
        text = {
            "wrong": translate("Sync", "Sign-in refused: the tax code or password is wrong."),
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
        if self.window is not None:
            self.window.close()
        self.outbox.close()
        self.cache.close()


def install(ctx: Any) -> SyncIntegration:
    integration = SyncIntegration(ctx)
    integration.install()
    ctx.sync = integration  # for tests and diagnostics
    return integration
