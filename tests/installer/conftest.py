"""Fixtures for the update tests: a throw-away signed repository served on loopback."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from installer.release import Repository


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class StaticServer:
    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/updates/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def update_repo(tmp_path):
    """An initialised repository (keys in tmp) under ``<root>/updates`` and its loopback URL."""
    web_root = tmp_path / "web"
    repo = Repository(web_root / "updates", tmp_path / "keys")
    repo.init()
    server = StaticServer(web_root)
    repo.url = server.url
    repo.trusted_root = (repo.metadata_dir / "1.root.json").read_bytes()
    try:
        yield repo
    finally:
        server.close()


@pytest.fixture
def fake_installer(tmp_path):
    def make(name: str, payload: bytes | None = None) -> Path:
        path = tmp_path / "builds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload or (b"MZ fake installer " + name.encode() * 1000))
        return path

    return make
