"""The thin Qt layer over the sync engine: one worker thread that owns all network work.

:class:`SyncService` lives on the UI thread and only forwards requests (queued signals) to
:class:`_Worker`, which lives in its own ``QThread`` and runs the Qt-free
:class:`~desktop.core.engine.SyncEngine`, the session (sign-in) and the cache refresh.
Results come back as signals delivered on the UI thread. Nothing here blocks the UI.

Sync starts at start-up, on a timer, after a submission (``request_sync``), after a
retry delay, and when the operating system says the network is back.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from desktop.core.apitypes import ApiError, AuthRequired, BadAnswer, Offline, RequestRejected, ServerBusy

from desktop.core.backoff import Backoff
from desktop.core.cache import SyncCache
from desktop.core.engine import AUTH, OFFLINE, SyncEngine, SyncStatus
from desktop.core.lock import sender_lock_for
from desktop.core.outbox import DiskFull, Outbox
from desktop.core.session import Session

if TYPE_CHECKING:
    from desktop.core.api import ApiClient

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 30_000      # periodic sync, and the poll of answers and other workstations' submissions
POLL_INTERVAL_MS = 30_000      # answers and other workstations: one request, an empty page when nothing changed
REFRESH_INTERVAL_MS = 300_000  # catalog (304 when unchanged) and declarations feed


@dataclass
class ServiceConfig:
    server_url: str
    data_dir: Path
    timeout: tuple[float, float] = (5.0, 30.0)
    sync_interval_ms: int = SYNC_INTERVAL_MS
    refresh_interval_ms: int = REFRESH_INTERVAL_MS
    poll_interval_ms: int = POLL_INTERVAL_MS
    batch_size: int = 500
    # called in the worker thread with feed items; returns the changed numbers
    merge_declarations: Callable[[list[dict[str, Any]]], list[str]] | None = None


class _Worker(QObject):
    status = Signal(dict)
    changed = Signal(list)
    sign_in_needed = Signal()
    signed_in = Signal(bool, str)          # state, display name
    sign_in_failed = Signal(str)
    catalog_changed = Signal()
    declarations_changed = Signal(list)

    def __init__(self, config: ServiceConfig, outbox: Outbox, session: Session, cache: SyncCache) -> None:
        super().__init__()
        self.config = config
        self.outbox = outbox
        self.session = session
        self.cache = cache
        self.api: ApiClient | None = None
        self.engine: SyncEngine | None = None
        self._timer: QTimer | None = None
        self._retry: QTimer | None = None
        self._last_refresh = 0.0
        self._last_poll = 0.0
        self._needs_refresh = True
        self._stopped = False
        self._watched: set[str] = set()
        self._request_lock = threading.Lock()
        self._request_queued = False
        self._requested_force = False

    # -- lifecycle (worker thread) -------------------------------------------------------
    @Slot()
    def start(self) -> None:
        from desktop.core.api import ApiClient  # requests is imported here, on the sync thread

        self.api = ApiClient(self.config.server_url, token=self.session.token, timeout=self.config.timeout)
        self.engine = SyncEngine(
            self.outbox, self.api, lock=sender_lock_for(self.outbox.path), session=self.session,
            backoff=Backoff(base=2.0, cap=300.0), batch_size=self.config.batch_size,
            on_status=lambda s: self.status.emit(s.as_dict()))
        self._timer = QTimer(self)
        self._timer.setInterval(self.config.sync_interval_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(lambda: self.sync(False))
        self.engine.refresh_counts()
        self.sync(True)

    @Slot()
    def stop(self) -> None:
        self._stopped = True
        for t in (self._timer, self._retry):
            if t is not None:
                t.stop()
        if self.engine is not None:
            self.engine.close()
        closer = getattr(self.config.merge_declarations, "close", None)
        if callable(closer):
            closer()
        if self.api is not None:
            self.api.close()
        # hand the worker back to the main thread so it can be deleted there after quit
        from PySide6.QtCore import QCoreApplication

        thread = QThread.currentThread()
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        thread.quit()  # after stop() ran: quit() from outside could drop the queued stop

    # -- sync -----------------------------------------------------------------------------
    def claim_request(self, force: bool) -> bool:
        """UI thread: note a sync request; True when a new one must be queued (requests
        made while one is already queued are merged into it)."""
        with self._request_lock:
            self._requested_force |= force
            if self._request_queued:
                return False
            self._request_queued = True
            return True

    @Slot()
    def queued_sync(self) -> None:
        with self._request_lock:
            force, self._requested_force, self._request_queued = self._requested_force, False, False
        self.sync(force)

    @Slot(bool)
    def sync(self, force: bool = False) -> None:
        if self._stopped or self.engine is None:
            return
        engine = self.engine
        was_paused = engine.paused
        try:
            result = engine.sync_once(force=force)
        except DiskFull as exc:  # nothing is lost: in-flight items are sent again once there is room
            log.error("the sync cycle stopped: %s", exc)
            self.status.emit({**engine.status.as_dict(), "last_error": str(exc), "error_kind": "disk_full"})
            return
        except Exception:  # the outbox itself failed: report, keep running
            log.exception("the sync cycle failed")
            self.status.emit({**engine.status.as_dict(), "last_error": "the local outbox could not be read",
                              "error_kind": "local_outbox"})
            return
        if result.changed:
            self.changed.emit(result.changed)
        self._report_settled_elsewhere(result.changed)
        if result.sent:
            self._needs_refresh = True  # fetch the server's processing state of what was sent
        if engine.paused and not was_paused:
            self.signed_in.emit(False, "")
            self.sign_in_needed.emit()
        self._schedule_retry()
        # "Sync now" (force) also asks for answers and other workstations' submissions at once
        if not result.error and not engine.paused and not result.skipped and (self._needs_refresh or force):
            self.refresh()

    def _report_settled_elsewhere(self, already: list[str]) -> None:
        """Items this window was waiting for that another copy of the program sent (it held
        the sender lock) are announced too, so this window's plugins see their answers."""
        try:
            waiting = set(self.outbox.waiting_ids())
        except Exception:  # noqa: BLE001 - only a notification
            return
        settled = self._watched - waiting - set(already)
        self._watched = waiting
        if settled:
            self.changed.emit(sorted(settled))

    @Slot()
    def tick(self) -> None:
        """Periodic: deliver what waits; refresh from the server when due. With nothing to
        send the refresh is also what notices that the connection is down or back."""
        self.sync(False)
        now = time.monotonic()
        due = now - self._last_refresh >= self.config.refresh_interval_ms / 1000
        if self._needs_refresh or due:
            self.refresh()
        elif now - self._last_poll >= self.config.poll_interval_ms / 1000:
            self.refresh(full=False)

    def _schedule_retry(self) -> None:
        assert self.engine is not None and self._retry is not None
        if self.engine.status.state == OFFLINE or self.engine.status.other_sender:
            due = self.engine.due_in()
            if due is not None:
                wait = due if self.engine.status.state == OFFLINE else 5.0
                self._retry.start(max(50, int(wait * 1000) + 20))

    @Slot()
    def refresh(self, full: bool = True) -> None:
        """Catalog (ETag), declarations feed (``full``), then the submissions feed: answers to
        what was sent and what other workstations of the enterprise sent."""
        if self._stopped or self.api is None or self.engine is None or self.engine.paused:
            return
        if not self.session.signed_in:
            try:
                ok = self.session.reauthenticate(api=self.api)
            except ApiError:
                return  # offline: the next sync or refresh tries again
            if not ok:
                self._pause_for_sign_in()
                return
            self.signed_in.emit(True, self._display_name())
        user = self.session.username or ""
        try:
            if full and self.cache.refresh_catalog(self.api):
                self.catalog_changed.emit()
            if full and self.config.merge_declarations is not None:
                numbers = self.cache.pull_declarations(self.api, user, self.config.merge_declarations)
                if numbers:
                    self.declarations_changed.emit(numbers)
            ids = self.cache.poll_submissions(self.api, user, self.outbox)
            if ids:
                self.changed.emit(ids)
            try:
                self.cache.poll_info_requests(self.api, user)
            except RequestRejected as exc:  # a server without the requests feed
                log.info("requests for enterprise information not fetched: %s", exc)
            self._last_poll = time.monotonic()
            if full:
                self._needs_refresh = False
                self._last_refresh = self._last_poll
            self.engine.report_contact(None)
        except AuthRequired:
            self.session.invalidate()
            self._needs_refresh = True
        except (Offline, ServerBusy, BadAnswer, RequestRejected) as exc:
            log.info("refresh from the server failed: %s", exc)
            self._needs_refresh = True
            from desktop.core.engine import error_kind

            self.engine.report_contact(str(exc)[:300], error_kind(exc))
        except Exception:
            log.exception("refresh from the server failed")
            self._needs_refresh = True

    # -- sign-in ----------------------------------------------------------------------------
    def _display_name(self) -> str:
        ident = self.session.identity
        return (ident.display_name or ident.username) if ident else (self.session.username or "")

    def _pause_for_sign_in(self) -> None:
        assert self.engine is not None
        if self.engine.paused:
            return
        self.engine.paused = True
        self.engine._publish(state=AUTH, last_error=None)
        self.signed_in.emit(False, "")
        self.sign_in_needed.emit()

    @Slot(str, str, bool)
    def sign_in(self, username: str, password: str, remember: bool) -> None:
        if self.api is None or self.engine is None:
            return
        try:
            identity = self.session.sign_in(username, password, remember=remember, api=self.api)
        except AuthRequired as exc:
            self.sign_in_failed.emit("wrong" if exc.status == 401 else "forbidden")
            return
        except ServerBusy as exc:
            self.sign_in_failed.emit("busy" if exc.status != 429 else "rate_limited")
            return
        except (Offline, BadAnswer, RequestRejected):
            self.sign_in_failed.emit("offline")
            return
        except Exception:
            log.exception("sign-in failed")
            self.sign_in_failed.emit("offline")
            return
        self.signed_in.emit(True, identity.display_name or identity.username)
        self.engine.resume()
        self._needs_refresh = True
        self.sync(True)

    @Slot(bool)
    def sign_out(self, forget: bool) -> None:
        self.session.sign_out(forget=forget, api=self.api)
        if self.engine is not None:
            self.engine.paused = True
            self.status.emit({**self.engine.status.as_dict(), "state": AUTH})
        self.signed_in.emit(False, "")


class SyncService(QObject):
    """UI-thread façade. Signals are delivered on the UI thread."""

    status_changed = Signal(dict)
    changed = Signal(list)
    sign_in_needed = Signal()
    signed_in_changed = Signal(bool, str)
    sign_in_failed = Signal(str)
    catalog_changed = Signal()
    declarations_changed = Signal(list)

    _do_sync = Signal()
    _do_sign_in = Signal(str, str, bool)
    _do_sign_out = Signal(bool)
    _do_refresh = Signal()
    _do_start = Signal()
    _do_stop = Signal()

    def __init__(self, config: ServiceConfig, outbox: Outbox, session: Session, cache: SyncCache,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.outbox = outbox
        self.session = session
        self.cache = cache
        self.status: dict[str, Any] = SyncStatus(waiting=outbox.waiting(), failed=outbox.failed_count()).as_dict()
        self._thread = QThread()
        self._thread.setObjectName("sync-worker")
        self._worker = _Worker(config, outbox, session, cache)
        self._worker.moveToThread(self._thread)
        self._do_start.connect(self._worker.start)
        self._do_stop.connect(self._worker.stop)
        self._do_sync.connect(self._worker.queued_sync)
        self._do_sign_in.connect(self._worker.sign_in)
        self._do_sign_out.connect(self._worker.sign_out)
        self._do_refresh.connect(self._worker.refresh)
        self._worker.status.connect(self._on_status)
        self._worker.changed.connect(self.changed)
        self._worker.sign_in_needed.connect(self.sign_in_needed)
        self._worker.signed_in.connect(self.signed_in_changed)
        self._worker.sign_in_failed.connect(self.sign_in_failed)
        self._worker.catalog_changed.connect(self.catalog_changed)
        self._worker.declarations_changed.connect(self.declarations_changed)
        self._network = None
        self._running = False

    def start(self) -> None:
        self._thread.start()
        self._running = True
        self._do_start.emit()
        self._watch_network()

    def _watch_network(self) -> None:
        """Sync as soon as the operating system reports the network back."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except Exception:  # not available on this platform: the retry timer covers it
            return
        if info is None:
            return
        self._network = info

        def changed(reachability) -> None:
            if reachability == QNetworkInformation.Reachability.Online:
                self.request_sync(force=True)

        info.reachabilityChanged.connect(changed)

    def _on_status(self, status: dict) -> None:
        self.status = status
        self.status_changed.emit(status)

    # -- requests from the UI (never block) ---------------------------------------------------
    def request_sync(self, force: bool = False) -> None:
        if self._running and self._worker.claim_request(force):
            self._do_sync.emit()

    def refresh(self) -> None:
        if self._running:
            self._do_refresh.emit()

    def sign_in(self, username: str, password: str, remember: bool) -> None:
        if self._running:
            self._do_sign_in.emit(username, password, remember)

    def sign_out(self, forget: bool = False) -> None:
        if self._running:
            self._do_sign_out.emit(forget)

    def shutdown(self, wait_ms: int = 10_000) -> None:
        """Stop the worker. A request in progress ends within its timeout; queued items stay
        in the outbox for the next start."""
        if not self._running:
            return
        self._running = False
        self._worker._stopped = True  # queued requests are dropped; a request in flight ends by its timeout
        self._do_stop.emit()
        if not self._thread.wait(wait_ms):
            log.warning("the sync worker did not stop in time")
