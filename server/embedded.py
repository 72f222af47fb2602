"""The server in a daemon thread of the calling process (desktop ``--demo``, end-to-end tests).

    with start_server("sqlite:///demo.db", seed_demo=True) as srv:
        requests.get(srv.url + "/api/v1/health")

Quiet: nothing is printed; uvicorn's loggers propagate to the caller's logging set-up.
Passwords are hashed with the ``low`` Argon2 profile unless ``DD_SERVER_ARGON2`` says
otherwise: this server is for one machine's demo and for tests, never for production.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import uvicorn

from .app import create_app, prepare_database
from .config import ENV_PREFIX, Settings
from .db import Database


class RunningServer:
    def __init__(self, server: uvicorn.Server, thread: threading.Thread, sock: socket.socket, db: Database,
                 host: str) -> None:
        self._server = server
        self._thread = thread
        self._sock = sock
        self.db = db
        self.host = host
        self.port: int = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread.is_alive():
            self._server.should_exit = True
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout)
        try:
            self._sock.close()
        except OSError:
            pass
        self.db.dispose()

    def __enter__(self) -> "RunningServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(db_url: str, *, host: str = "127.0.0.1", port: int = 0, seed_demo: bool = False,
                 updates_dir: Path | None = None, settings: Settings | None = None,
                 startup_timeout: float = 15.0) -> RunningServer:
    if settings is None:
        settings = Settings.from_env(db_url)
        if not os.environ.get(ENV_PREFIX + "ARGON2"):
            settings = replace(settings, argon2_profile="low")
    settings = replace(settings, db_url=db_url, updates_dir=Path(updates_dir) if updates_dir else settings.updates_dir)
    # the host program's log is for its user: migration chatter is not
    logging.getLogger("alembic").setLevel(logging.WARNING)
    db = Database(db_url)
    try:
        prepare_database(db, migrate=True)
        if seed_demo:
            from .seed import seed_demo as run_seed

            run_seed(db, argon2_profile=settings.argon2_profile)
        app = create_app(settings, db)
    except Exception:
        db.dispose()
        raise
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        db.dispose()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", log_level="warning",
                            timeout_keep_alive=30)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"feedback-server-{port}",
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            db.dispose()
            raise RuntimeError("the embedded server did not start")
        time.sleep(0.01)
    return RunningServer(server, thread, sock, db, host)
