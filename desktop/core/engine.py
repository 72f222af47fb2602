"""The sync engine: a plain-Python loop that delivers the outbox to the server.

One cycle (:meth:`SyncEngine.sync_once`):

1. take the sender lock (an OS file lock: one sender across threads and processes); if
   another window of the program holds it, do nothing;
2. return in-flight items left by a dead sender to pending (stale leases);
3. claim the oldest pending items (FIFO) under a lease, up to 500 items / ~1.9 MB;
4. POST them as one batch; apply the per-item results in one transaction;
5. repeat until the queue is empty or an error stops the cycle.

Answers are classified (``docs/OUTBOX.md``):

* no connection, timeouts, 408/429/5xx, an unreadable answer → the batch goes back to
  pending; retry after exponential backoff with full jitter (``Retry-After`` honoured up to
  a cap);
* 401/403 → sign in again with the remembered password, else pause until the user signs in;
* per-item 4xx (400/403/404/409/422) → that item becomes a dead letter with the server's
  reason; a whole-request 400/413 is bisected down to the single item responsible.

No Qt here: the Qt service runs this in its worker thread; tests and the crash-test child
processes drive it directly.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from desktop.core.apitypes import AuthRequired, BadAnswer, Offline, RequestRejected, ServerBusy, TimedOut

from .backoff import Backoff
from .lock import SenderLock
from .outbox import Outbox, batch_body

log = logging.getLogger(__name__)

# engine states shown to the user
ONLINE = "online"          # the last contact worked; nothing is waiting or all was sent
SYNCING = "syncing"        # a cycle is running
OFFLINE = "offline"        # the server cannot be reached (or is in trouble); retry scheduled
AUTH = "auth_required"     # paused until the user signs in again
UNKNOWN = "unknown"        # nothing tried yet


@dataclass(frozen=True)
class SyncStatus:
    state: str = UNKNOWN
    waiting: int = 0
    failed: int = 0
    last_error: str | None = None
    error_kind: str | None = None  # timeout | offline | busy | bad_answer | unexpected_server | auth | disk_full
    last_success: float | None = None
    next_attempt_at: float | None = None
    other_sender: bool = False  # another window of the program is sending

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "waiting": self.waiting, "failed": self.failed,
                "last_error": self.last_error, "error_kind": self.error_kind, "last_success": self.last_success,
                "next_attempt_at": self.next_attempt_at, "other_sender": self.other_sender}


@dataclass
class CycleResult:
    sent: int = 0          # items acknowledged (accepted or duplicate)
    failed: int = 0        # items dead-lettered
    batches: int = 0
    busy_elsewhere: bool = False
    skipped: bool = False  # waiting for a backoff / Retry-After delay or paused
    error: str | None = None
    changed: list[str] = field(default_factory=list)


def _is_client_error(status: Any) -> bool:
    """Mirror of :meth:`Outbox.apply_results`: a missing status counts as a 4xx refusal."""
    return status is None or (isinstance(status, int) and not isinstance(status, bool) and 400 <= status <= 499)


def error_kind(exc: Exception) -> str:
    """A stable name for the kind of failure (the UI shows a translated sentence for it)."""
    if isinstance(exc, TimedOut):
        return "timeout"
    if isinstance(exc, Offline):
        return "offline"
    if isinstance(exc, ServerBusy):
        return "busy"
    if isinstance(exc, RequestRejected):
        return "unexpected_server"
    if isinstance(exc, AuthRequired):
        return "auth"
    return "bad_answer"


class SyncEngine:
    def __init__(self, outbox: Outbox, api, *, lock: SenderLock, session=None,
                 backoff: Backoff | None = None, clock: Callable[[], float] = time.time,
                 batch_size: int = 500, max_batch_bytes: int = 1_900_000, lease_seconds: float = 180.0,
                 owner: str | None = None,
                 on_status: Callable[[SyncStatus], None] | None = None,
                 on_changed: Callable[[list[str]], None] | None = None) -> None:
        self.outbox = outbox
        self.api = api
        self.lock = lock
        self.session = session
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.batch_size = batch_size
        self.batch_limit = batch_size
        self.max_batch_bytes = max_batch_bytes
        self.lease_seconds = lease_seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.on_status = on_status
        self.on_changed = on_changed
        self.not_before = 0.0       # from backoff: a forced sync may start earlier
        self.server_not_before = 0.0  # from Retry-After: always honoured
        self.paused = False
        self._cycle_lock = threading.Lock()
        self._sender: ThreadPoolExecutor | None = None
        self._inflight: Future | None = None
        self._history_checked = False  # the whole outbox is checked for damaged rows once per run
        self.status = SyncStatus()

    # -- status ------------------------------------------------------------------------
    def _publish(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        if self.on_status:
            try:
                self.on_status(self.status)
            except Exception:
                log.exception("a status listener failed")

    def refresh_counts(self) -> SyncStatus:
        self._publish(waiting=self.outbox.waiting(), failed=self.outbox.failed_count())
        return self.status

    def report_contact(self, error: str | None, kind: str | None = None) -> None:
        """Another exchange with the server (catalog, feed, answers) worked or failed: keep
        the online/offline indicator truthful when nothing is being sent."""
        if self.paused or self.status.state == SYNCING:
            return
        if error is None:
            if self.status.state in (OFFLINE, UNKNOWN) and self.outbox.waiting() == 0:
                self._publish(state=ONLINE, last_error=None, error_kind=None, next_attempt_at=None)
        elif self.status.state != OFFLINE:
            self._publish(state=OFFLINE, last_error=error, error_kind=kind or "offline")

    def resume(self) -> None:
        """Called after the user signed in again."""
        self.paused = False
        self.not_before = 0.0
        if self.status.state == AUTH:
            self._publish(state=UNKNOWN, last_error=None, error_kind=None)

    def due_in(self) -> float | None:
        """Seconds until the next automatic attempt is allowed (None when paused)."""
        if self.paused:
            return None
        return max(0.0, max(self.not_before, self.server_not_before) - self.clock())

    # -- one cycle ---------------------------------------------------------------------
    def sync_once(self, *, force: bool = False) -> CycleResult:
        """Deliver everything that is waiting. ``force`` (the user's "Sync now", the
        connection coming back) skips the backoff delay but never a server's Retry-After."""
        result = CycleResult()
        now = self.clock()
        if self.paused:
            result.skipped = True
            return result
        if now < self.server_not_before or (not force and now < self.not_before):
            result.skipped = True
            return result
        if not self._cycle_lock.acquire(blocking=False):
            result.skipped = True
            return result
        try:
            with self.lock.hold() as held:
                if not held:
                    result.busy_elsewhere = True
                    self._publish(other_sender=True, waiting=self.outbox.waiting(),
                                  failed=self.outbox.failed_count())
                    return result
                try:
                    self._cycle(result)
                finally:
                    self._settle_inflight()
                self.outbox.prune_if_due()  # drop old acknowledged payloads (retention), hourly at most
        finally:
            self._cycle_lock.release()
        if result.changed and self.on_changed:
            try:
                self.on_changed(result.changed)
            except Exception:
                log.exception("a change listener failed")
        return result

    def _claim(self) -> list:
        account = getattr(self.session, "username", None) if self.session is not None else None
        return self.outbox.claim(self.owner, limit=self.batch_limit, max_bytes=self.max_batch_bytes,
                                 lease_seconds=self.lease_seconds, account=account)

    def _post(self, batch) -> Future:
        """Start sending one batch on the sender thread; the caller may do local work meanwhile."""
        if self._sender is None:
            self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-send")
        self._inflight = self._sender.submit(self.api.post_batch, batch_body(batch), [c.id for c in batch])
        return self._inflight

    def _settle_inflight(self) -> None:
        """Never give the sender lock up while a request is on the wire: after an unexpected
        local error, wait for it (its timeout bounds the wait) before the lock is released."""
        future, self._inflight = self._inflight, None
        if future is not None and not future.done():
            try:
                future.result()
            except BaseException:  # noqa: BLE001 - the items stay in flight and are reset next time
                pass

    def close(self) -> None:
        if self._sender is not None:
            self._sender.shutdown(wait=True)
            self._sender = None

    def _cycle(self, result: CycleResult) -> None:
        """Send batches one at a time, in FIFO order. While a batch is on the wire the next
        one is claimed and the previous answers are applied (pipelining): local work overlaps
        with the server's, but never two requests at once."""
        self._start_cycle()
        reauthenticated = False
        retry_later = 0
        done: tuple[list[str], list[dict[str, Any]]] | None = None  # answered, not yet applied
        batch = self._claim()
        while batch:
            ids = [c.id for c in batch]
            result.batches += 1
            future = self._post(batch)
            if done is not None:  # overlaps with the request in flight
                retry_later += self._apply(result, *done)
                done = None
            upcoming = self._claim() if not retry_later else []
            try:
                answers = future.result()
            except AuthRequired as exc:
                self.outbox.release(self.owner, ids + [c.id for c in upcoming], str(exc), "auth")
                signed_in = self._sign_in_again(result, exc, tried=reauthenticated)
                reauthenticated = True
                if not signed_in:
                    return
                batch = self._claim()
                continue
            except RequestRejected as exc:
                self.outbox.release(self.owner, [c.id for c in upcoming], None)
                if not self._narrow_down(result, exc, ids):
                    return
                batch = self._claim()
                continue
            except (Offline, ServerBusy, BadAnswer) as exc:
                self.outbox.release(self.owner, [c.id for c in upcoming], None)
                self._transient(result, exc, ids)
                return
            except Exception as exc:  # a bug must not lose items: they go back to the queue
                log.exception("unexpected error while sending a batch")
                self.outbox.release(self.owner, [c.id for c in upcoming], None)
                self._transient(result, BadAnswer(f"unexpected error: {exc}"), ids)
                return
            self.backoff.success()
            self.not_before = self.server_not_before = 0.0
            self.batch_limit = min(self.batch_size, self.batch_limit * 2)
            done = (ids, answers)
            batch = upcoming
        if done is not None:
            retry_later += self._apply(result, *done)
        self._finish_cycle(result, retry_later)

    def _start_cycle(self) -> None:
        """Set damaged rows apart (the whole history, once per run), return the in-flight items
        of a dead sender to the queue and show what is waiting."""
        if not self._history_checked:
            self._history_checked = True
            damaged = self.outbox.quarantine_damaged()
            if damaged:
                log.error("%d damaged outbox item(s) were set apart", damaged)
        reset = self.outbox.reset_stale(keep_owner=None)
        if reset:
            log.info("%d in-flight items of an earlier run were returned to the queue", reset)
        waiting = self.outbox.waiting()
        self._publish(state=SYNCING if waiting else self.status.state, waiting=waiting, other_sender=False,
                      failed=self.outbox.failed_count())

    def _sign_in_again(self, result: CycleResult, exc: AuthRequired, *, tried: bool) -> bool:
        """The server asked for a sign-in (401/403): sign in again with the remembered password,
        once per cycle. True when that worked (sending goes on); otherwise the cycle stops,
        paused until the user signs in (or retried later when the sign-in itself failed)."""
        if self.session is not None and not tried:
            try:
                if self.session.reauthenticate():
                    return True
            except (Offline, ServerBusy, BadAnswer) as inner:
                self._transient(result, inner)
                return False
            except Exception as inner:  # noqa: BLE001 - never lose the loop
                self._transient(result, BadAnswer(f"sign-in failed: {inner}"))
                return False
        elif self.session is not None:
            self.session.invalidate()
        self.paused = True
        result.error = str(exc)
        self._publish(state=AUTH, last_error=self._describe(exc), error_kind="auth",
                      waiting=self.outbox.waiting())
        return False

    def _narrow_down(self, result: CycleResult, exc: RequestRejected, ids: list[str]) -> bool:
        """The server refused the whole batch ``ids``. A 400/413/422 is caused by one item: the
        batch is halved until that item is alone, which then becomes a dead letter; True, go
        on sending. Any other refusal (404/405/410: the address is not the feedback server)
        stops the cycle as a transient failure; False."""
        if exc.status in (400, 413, 422) and len(ids) > 1:
            # something in this batch is refused as a whole: split to find it
            self.outbox.release(self.owner, ids, None)
            self.batch_limit = max(1, len(ids) // 2)
            return True
        if exc.status in (400, 413, 422):
            self.outbox.fail(self.owner, ids[0], exc.status, exc.code, exc.message or str(exc))
            result.failed += 1
            result.changed.append(ids[0])
            return True
        self._transient(result, exc, ids)
        return False

    def _finish_cycle(self, result: CycleResult, retry_later: int) -> None:
        if retry_later:
            # the server could not process some items now: retry them later
            self._transient(result, ServerBusy(500, None, f"the server could not process {retry_later} "
                                                          f"item(s); they will be sent again"))
            return
        keep = result.batches == 0
        self._publish(state=ONLINE, waiting=self.outbox.waiting(), failed=self.outbox.failed_count(),
                      next_attempt_at=None, last_error=self.status.last_error if keep else None,
                      error_kind=self.status.error_kind if keep else None)

    def _apply(self, result: CycleResult, ids: list[str], answers: list[dict[str, Any]]) -> int:
        """Record one batch's answers; return how many items the server asked to resend."""
        self.outbox.apply_results(self.owner, answers)
        retry_later = 0
        for a in answers:
            if a["status"] != "rejected":
                result.sent += 1
            elif _is_client_error(a.get("http_status")):
                result.failed += 1
            else:
                retry_later += 1
        result.changed.extend(ids)
        self._publish(state=SYNCING, last_success=self.clock(), last_error=None, error_kind=None,
                      waiting=self.outbox.waiting(), next_attempt_at=None)
        return retry_later

    def _transient(self, result: CycleResult, exc: Exception, ids: list[str] | None = None) -> None:
        message = self._describe(exc)
        kind = error_kind(exc)
        if ids:
            self.outbox.release(self.owner, ids, message, kind)
        retry_after = exc.retry_after if isinstance(exc, ServerBusy) else None
        delay = self.backoff.failure(retry_after)
        now = self.clock()
        if retry_after is not None:
            self.server_not_before = now + delay
        self.not_before = now + delay
        result.error = message
        log.info("sync stopped: %s; next attempt in %.1f s", message, delay)
        self._publish(state=OFFLINE, last_error=message, error_kind=kind, next_attempt_at=now + delay,
                      waiting=self.outbox.waiting(), failed=self.outbox.failed_count())

    @staticmethod
    def _describe(exc: Exception) -> str:
        text = str(exc) or type(exc).__name__
        return text[:300]
