"""The update service in the running program.

``install(ctx)`` (called by ``desktop.app`` at start-up) adds Help → "Check for updates…",
sets ``ctx.updates`` to an :class:`UpdateService` and schedules checks: shortly after start
and then daily. Every check and download runs in a worker thread (never on the UI thread);
results come back through Qt signals.

When a newer release of the workstation's ring exists, the status bar shows a non-modal
notice with an "Install…" button; a check the user started asks at once. The question is
:meth:`UpdateDialog.ask` ("Có phiên bản mới … Cài đặt ngay? / Để sau"). Installing =
download and verify the installer (TUF, into the per-user cache), then run it silently
per-user. The installer writes the new version into its own folder and switches the
shortcut only when complete, so a failed update leaves the working version in place. User
data lives under platformdirs and is never touched.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from desktop.tasks import BackgroundTask, start_task
from desktop.updates import policy as policy_mod
from desktop.updates.client import Release, UpdateClient, UpdateError

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

FIRST_CHECK_DELAY_MS = 30_000        # at start, once start-up has settled
CHECK_INTERVAL_S = 24 * 3600         # daily
TICK_MS = 3600_000                   # look once an hour whether a day has passed
INSTALLER_TIMEOUT_S = 900
STATE_FILE = "update-state.json"


def current_version() -> str:
    from desktop import __version__

    return __version__


# ---- workers --------------------------------------------------------------------------------------

def _guarded(fn: Callable[[], Any]) -> Callable[[], tuple[Any, UpdateError | None]]:
    """``fn`` made to return ``(result, None)`` or ``(None, UpdateError)``, never to raise."""
    def run() -> tuple[Any, UpdateError | None]:  # worker thread
        try:
            return fn(), None
        except UpdateError as exc:
            return None, exc
        except Exception as exc:  # noqa: BLE001 - reported, never raised into Qt
            log.exception("update task failed")
            return None, UpdateError(translate("Updates", "Unexpected update error: {detail}").format(detail=exc))
    return run


# ---- running the installer ------------------------------------------------------------------------

def install_root() -> Path | None:
    """The per-user install folder when running from an installed layout, else ``None``.

    Layout: ``<root>/app-<version>/runtime/pythonw.exe`` and ``<root>/app-<version>/app/desktop``.
    """
    app_dir = policy_mod.APP_DIR
    version_dir = app_dir.parent
    if version_dir.name.startswith("app-") and (version_dir / "runtime").is_dir():
        return version_dir.parent
    return None


def run_installer(path: Path) -> int:
    """Run a downloaded installer silently for this user; returns its exit code."""
    if sys.platform != "win32":
        raise UpdateError(translate("Updates", "The installer runs on Windows only. The verified file was kept at {path}.")
                          .format(path=path), kind="invalid")
    args = [str(path), "/S"]
    root = install_root()
    if root is not None:
        args.append(f"/D={root}")  # NSIS: must be last, unquoted
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        proc = subprocess.run(args, timeout=INSTALLER_TIMEOUT_S, creationflags=flags, check=False)
    except subprocess.TimeoutExpired:
        raise UpdateError(translate("Updates", "The installer did not finish in time; the current version stays.")) from None
    except OSError as exc:
        raise UpdateError(translate("Updates", "The installer could not be started ({detail}); the current version stays.")
                          .format(detail=exc)) from None
    return proc.returncode


def new_version_launcher(version: str) -> list[str] | None:
    root = install_root()
    if root is None:
        return None
    exe = root / f"app-{version}" / "runtime" / ("pythonw.exe" if sys.platform == "win32" else "python")
    return [str(exe), "-m", "desktop"] if exe.exists() else None


def remove_old_versions(keep: str, root: Path | None = None, running: Path | None = None) -> list[Path]:
    """Remove ``app-*`` folders older than the previous version (best effort).

    The running version and the newest version before it (the one a user may still have
    open, and the fallback) always stay; older ones are deleted.
    """
    from desktop.updates import versions

    root = root if root is not None else install_root()
    running = (running if running is not None else policy_mod.APP_DIR.parent).resolve()
    removed: list[Path] = []
    if root is None:
        return removed
    try:
        current = versions.parse(keep)
    except versions.InvalidVersion:
        return removed
    older = []
    for item in root.glob("app-*"):
        if not item.is_dir() or item.name.endswith(".new") or item.resolve() == running:
            continue
        try:
            version = versions.parse(item.name[len("app-"):])
        except versions.InvalidVersion:
            continue
        if version < current:
            older.append((version, item))
    older.sort()
    for _version, item in older[:-1]:  # keep the newest older version
        shutil.rmtree(item, ignore_errors=True)
        if not item.exists():
            removed.append(item)
    return removed


# ---- the dialog -----------------------------------------------------------------------------------

class UpdateDialog:
    """The question asked before installing. Tests replace :meth:`ask`."""

    @classmethod
    def ask(cls, parent: QWidget | None, release: Release, current: str) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("Updates", "Update"))
        if release.downgrade:
            box.setText(translate("Updates", "Customs IT withdrew version {current}. Go back to version {version} now?")
                        .format(version=release.version, current=current))
        else:
            box.setText(translate("Updates", "A new version {version} is available (you have {current}). Install it now?")
                        .format(version=release.version, current=current))
        info = translate("Updates", "The program keeps your data. If the installation fails, the current version stays.")
        if release.notes:
            info = release.notes + "\n\n" + info
        box.setInformativeText(info)
        now = box.addButton(translate("Updates", "Install now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("Updates", "Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(now)
        box.exec()
        return box.clickedButton() is now

    @classmethod
    def inform(cls, parent: QWidget | None, title: str, text: str, error: bool = False) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        box.setText(text)
        box.exec()


# ---- the service ----------------------------------------------------------------------------------

class UpdateService(QObject):
    """Checks, asks, downloads and installs; all network work in ``self.pool``."""

    state_changed = Signal(str)
    update_available = Signal(object)   # Release
    check_failed = Signal(str)
    installed = Signal(str)             # version
    install_failed = Signal(str)

    def __init__(self, ctx: Any, *, client_factory: Callable[[], UpdateClient | None] | None = None,
                 runner: Callable[[Path], int] = run_installer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.policy = policy_mod.read_policy()
        self.client_factory = client_factory or self._default_client
        self.runner = runner
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.state = "idle"
        self.available: Release | None = None
        self.last_error = ""
        self._tasks: set[BackgroundTask] = set()
        self._closed = False
        cache = Path(getattr(ctx.paths, "cache_dir", None) or ctx.paths.data_dir)
        self.state_dir = cache / "updates"
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.notice: QPushButton | None = None

    # -- configuration ----------------------------------------------------------------------------
    def disabled_reason(self) -> str:
        if not self.policy.url:
            return translate("Updates", "No update repository is configured for this workstation.")
        if self._client_root() is None:
            return translate("Updates", "The trusted update root is missing from the installation.")
        return ""

    def _client_root(self) -> bytes | None:
        path = policy_mod.BUNDLED_CONFIG_DIR / "root.json"
        cached = self.state_dir / "metadata" / "root.json"
        if path.exists():
            return path.read_bytes()
        return b"" if cached.exists() else None

    def _default_client(self) -> UpdateClient | None:
        if self.disabled_reason():
            return None
        root = self._client_root()
        from desktop.updates.rollout import install_id

        return UpdateClient(self.policy.url or "", self.policy.ring, self.state_dir,
                            trusted_root=root or None, current_version=current_version(),
                            install_id=install_id(self.ctx.paths.data_dir))

    # -- persisted state (last check, postponed version) -------------------------------------------
    def _load_state(self) -> dict:
        try:
            return json.loads((self.state_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save_state(self, **changes: Any) -> None:
        state = {**self._load_state(), **changes}
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.state_dir / (STATE_FILE + ".tmp")
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, self.state_dir / STATE_FILE)
        except OSError:
            log.warning("cannot save the update state", exc_info=True)

    # -- scheduling ---------------------------------------------------------------------------------
    def start(self, first_delay_ms: int = FIRST_CHECK_DELAY_MS) -> None:
        if not self.policy.check or self.disabled_reason():
            log.info("automatic update checks are off: %s", self.disabled_reason() or "policy")
            return
        QTimer.singleShot(first_delay_ms, lambda: None if self._closed else self.check(interactive=False))
        self.timer.start()

    def _tick(self) -> None:
        if self._closed or self.state != "idle":
            return
        last = float(self._load_state().get("last_check", 0) or 0)
        if time.time() - last >= CHECK_INTERVAL_S:
            self.check(interactive=False)

    def _submit(self, fn: Callable[[], Any], on_done: Callable[[Any, UpdateError | None], None]) -> BackgroundTask:
        def finished(outcome: tuple[Any, UpdateError | None]) -> None:
            self._tasks.discard(task)
            if not self._closed:
                on_done(*outcome)

        task = start_task(self.pool, _guarded(fn), on_done=finished)
        self._tasks.add(task)
        return task

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    # -- checking -------------------------------------------------------------------------------------
    def check(self, interactive: bool = False) -> bool:
        """Start a check in the worker; ``False`` when one is already running or updates are off."""
        if self.state != "idle":
            return False
        reason = self.disabled_reason() if self.client_factory == self._default_client else ""
        if reason:
            if interactive:
                UpdateDialog.inform(self._parent_widget(), translate("Updates", "Updates"), reason)
            return False
        client = self.client_factory()
        if client is None:
            return False
        self._set_state("checking")
        self._submit(client.check, lambda result, error: self._checked(client, result, error, interactive))
        return True

    def _checked(self, client: UpdateClient, release: Release | None, error: UpdateError | None,
                 interactive: bool) -> None:
        self._set_state("idle")
        self._save_state(last_check=time.time())
        if error is not None:
            self.last_error = error.message
            log.warning("update check failed (%s): %s", error.kind, error.message)
            self.check_failed.emit(error.message)
            if interactive:
                UpdateDialog.inform(self._parent_widget(), translate("Updates", "Updates"), error.message, error=True)
            elif error.kind in ("expired", "signature", "tampered"):
                self._status(error.message)
            return
        self.last_error = ""
        self.available = release
        if release is None:
            if interactive:
                UpdateDialog.inform(self._parent_widget(), translate("Updates", "Updates"),
                                    translate("Updates", "Declarant Desk {version} is up to date ({ring} ring).")
                                    .format(version=current_version(), ring=policy_mod.ring_label(self.policy.ring)))
            return
        self.update_available.emit(release)
        self._show_notice(release)
        postponed = self._load_state().get("postponed")
        if interactive or postponed != release.version:
            if interactive:
                self.offer(release, client)
            else:
                self._status(translate("Updates", "Version {version} is available: use the button on the right to install it.")
                             .format(version=release.version))

    # -- installing -----------------------------------------------------------------------------------
    def offer(self, release: Release | None = None, client: UpdateClient | None = None) -> bool:
        """Ask the user; on yes, download (worker) and install. Returns the answer."""
        release = release or self.available
        if release is None or self.state != "idle":
            return False
        if not UpdateDialog.ask(self._parent_widget(), release, current_version()):
            self._save_state(postponed=release.version)
            return False
        client = client or self.client_factory()
        if client is None:
            return False
        self._set_state("installing")
        self._status(translate("Updates", "Downloading version {version}…").format(version=release.version))

        def work() -> str:
            path = client.download(release)
            code = self.runner(path)
            if code != 0:
                raise UpdateError(translate("Updates", "The installer stopped with code {code}; version {current} stays installed and your data is unchanged.").format(code=code, current=current_version()))
            client.clean_downloads()
            return release.version

        self._submit(work, self._install_done)
        return True

    def _install_done(self, version: str | None, error: UpdateError | None) -> None:
        self._set_state("idle")
        if error is not None:
            self.last_error = error.message
            log.warning("update not installed: %s", error.message)
            self.install_failed.emit(error.message)
            UpdateDialog.inform(self._parent_widget(), translate("Updates", "Update not installed"), error.message, error=True)
            return
        self.available = None
        self._hide_notice()
        self._save_state(installed=version, postponed=None)
        self.installed.emit(version)
        self._status(translate("Updates", "Version {version} is installed; it starts the next time you open Declarant Desk.")
                     .format(version=version))
        launcher = new_version_launcher(version or "")
        if launcher and self.ctx.main_window is not None:
            try:
                subprocess.Popen(launcher, close_fds=True)
                self.ctx.main_window.close()
            except OSError:
                log.warning("cannot start the new version", exc_info=True)

    # -- UI helpers ------------------------------------------------------------------------------------
    def _parent_widget(self) -> QWidget | None:
        return getattr(self.ctx, "main_window", None)

    def _status(self, text: str) -> None:
        bar = getattr(self.ctx, "status_bar", None)
        if bar is not None:
            bar.showMessage(text, 15000)

    def _show_notice(self, release: Release) -> None:
        bar = getattr(self.ctx, "status_bar", None)
        if bar is None:
            return
        if self.notice is None:
            self.notice = QPushButton(bar)
            self.notice.setObjectName("UpdateNotice")
            self.notice.setFlat(True)
            self.notice.clicked.connect(lambda: self.offer())
            bar.addPermanentWidget(self.notice)
        self.notice.setText(translate("Updates", "New version {version}: install…").format(version=release.version))
        self.notice.show()

    def _hide_notice(self) -> None:
        if self.notice is not None:
            self.notice.hide()

    def describe(self) -> str:
        text = policy_mod.describe(self.policy)
        if self.available is not None:
            text += "; " + translate("Updates", "version {version} available").format(version=self.available.version)
        return text

    def shutdown(self) -> None:
        self._closed = True
        self.timer.stop()
        for task in list(self._tasks):
            task.cancel()
        self.pool.waitForDone(10_000)


def _check_text() -> str:
    return translate("Updates", "Check for updates…")


def install(ctx: Any, *, start: bool = True) -> UpdateService:
    """Host seam: called once at start-up by ``desktop.app``."""
    service = UpdateService(ctx, parent=ctx.app if getattr(ctx, "app", None) is not None else None)
    ctx.updates = service
    from desktop.updates import inventory

    inventory.install(ctx, service.policy.ring)
    menu = (getattr(ctx, "menus", None) or {}).get("help")
    if menu is not None:
        action = QAction(_check_text(), menu)
        action.setObjectName("action_check_updates")
        action.triggered.connect(lambda: service.check(interactive=True))
        menu.addAction(action)
        service.menu_action = action
        events = getattr(ctx, "events", None)
        if events is not None and hasattr(events, "language_changed"):
            # the menu follows a live language switch, like the host's own menus
            def retranslate(_lang: str) -> None:
                try:
                    action.setText(_check_text())
                except RuntimeError:  # the window (and its menu) is gone
                    pass

            events.language_changed.connect(retranslate)
    hooks = getattr(ctx, "shutdown_hooks", None)
    if hooks is not None:
        hooks.append(service.shutdown)
    if install_root() is not None:
        QTimer.singleShot(30_000, lambda: service._submit(lambda: remove_old_versions(current_version()),
                                                         lambda *_: None))
    if start:
        service.start()
    return service
