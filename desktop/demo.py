"""``--demo``: the program on demo data and an embedded demo server, on this machine.

Everything lives in ``<data dir>/demo/`` (declarations database, settings, logs, the demo
server's database), so the demo never touches a user's real data. The declarations come
from ``domain.demo`` (the same deterministic world the demo server is seeded with), and the
demo enterprise's password — public demo data — is stored in the credential store like any
password would be.
"""
from __future__ import annotations

import importlib
import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from domain.demo import DEMO_COUNT, DEMO_ENTERPRISE

from . import credentials

log = logging.getLogger(__name__)


translate = QCoreApplication.translate


def ensure_demo_database(db_path: Path, count: int = DEMO_COUNT) -> bool:
    """Create the demo declarations database if missing; True when it was created.

    Written to a temporary file first and renamed, so an interrupted run never leaves a
    half-filled database behind."""
    if db_path.exists():
        return False
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".part")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    args = ["--count", str(count), "--db", str(tmp)]
    try:
        demo_data = importlib.import_module("desktop.demo_data")
    except ImportError:
        demo_data = None
    main = getattr(demo_data, "main", None)
    if callable(main):
        code = main(args)
        if code not in (None, 0):
            raise RuntimeError(f"desktop.demo_data exited with {code}")
    else:
        subprocess.run([sys.executable, "-m", "desktop.demo_data", *args], check=True,
                       capture_output=True, text=True, timeout=600)
    _checkpoint(tmp)
    os.replace(tmp, db_path)
    log.info("demo database with %d declarations created at %s", count, db_path)
    return True


def _checkpoint(path: Path) -> None:
    """Fold a WAL file into the database before the rename."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


QUIET_LOGGERS = ("alembic",)  # migration chatter (some of it logged while importing)


def quiet_server_logs() -> None:
    """Keep the embedded server's libraries' INFO chatter out of the user's log. Called
    before ``server.embedded`` is imported: Alembic logs while it is being imported."""
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DemoServer(QObject):
    """The embedded demo server, started on a worker thread so the window opens at once."""

    ready = Signal(str)
    failed = Signal(str)

    def __init__(self, db_url: str):
        super().__init__()
        self.db_url = db_url
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.running: Any = None
        self.error = ""
        self._thread: threading.Thread | None = None
        self._started = threading.Event()

    @staticmethod
    def available() -> bool:
        quiet_server_logs()
        try:
            importlib.import_module("server.embedded")
        except ImportError:
            return False
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="demo-server-start", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        quiet_server_logs()
        try:
            from server.embedded import start_server

            self.running = start_server(self.db_url, port=self.port, seed_demo=True)
            self.url = getattr(self.running, "url", self.url)
        except Exception as exc:  # noqa: BLE001 - the demo goes on without a server
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("the demo server did not start")
            self._started.set()
            self.failed.emit(self.error)
            return
        log.info("demo server running at %s", self.url)
        announce_console(self.url)
        self._started.set()
        self.ready.emit(self.url)

    def wait_started(self, timeout: float = 30.0) -> bool:
        return self._started.wait(timeout) and self.running is not None

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.running is not None:
            try:
                self.running.stop()
            except Exception:  # noqa: BLE001
                log.exception("cannot stop the demo server")
            self.running = None


def console_banner(url: str) -> str:
    """Where the demo's customs console is, and the demo staff's sign-ins (public demo data)."""
    from domain.demo import DEMO_STAFF

    lines = [f"Customs console (demo): {url}/console", "Demo staff sign-ins (username / password, role):"]
    lines += [f"  {login} / {password}  ({role}, {name})" for login, name, role, password in DEMO_STAFF]
    try:  # the case handling's staff: a supervisor and a processor in each of two branches
        from server.seed import CASE_STAFF
    except ImportError:  # pragma: no cover - the demo always has the server
        CASE_STAFF = ()
    lines += [f"  {login} / {password}  ({role}, {name}; {', '.join(branches)})"
              for login, name, role, password, branches in CASE_STAFF]
    return "\n".join(lines)


def announce_console(url: str) -> None:
    """Print :func:`console_banner` on the terminal the demo was started from (none on a
    windowed start: then only the log has it)."""
    text = console_banner(url)
    log.info("%s", text)
    if sys.stdout is not None:
        try:
            print(text, flush=True)
        except (OSError, ValueError):  # a closed or broken terminal
            pass


def prepare(ctx: Any, *, start_server: bool = True) -> None:
    """Fill the demo database, start the demo server, remember the demo credentials."""
    assert ctx.paths.demo, "prepare() runs only on demo paths"
    ensure_demo_database(ctx.store_path)
    tax, password = DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password
    ctx.demo_credentials = (tax, password)
    stored = credentials.save_password(tax, password)
    if not stored:
        log.warning("demo sign-in secret not remembered: %s", stored.reason)
    if start_server and DemoServer.available():
        server = DemoServer(f"sqlite:///{(ctx.paths.data_dir / 'server.db').as_posix()}")
        ctx.demo_server = server
        ctx.server_url = server.url

        def report_failure(message: str) -> None:
            if ctx.status_bar is not None:
                ctx.status_bar.showMessage(translate("Demo", "The demo server did not start: %1").replace("%1", message), 15000)

        server.failed.connect(report_failure)
        server.start()
        ctx.shutdown_hooks.insert(0, server.stop)  # hooks run in reverse: the server stops last
    else:
        log.info("demo without a server (server package not available)")
