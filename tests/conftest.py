"""Test isolation shared by every test.

* Qt runs headless (offscreen platform).
* Per-user directories (platformdirs via XDG_* and the program's own override) point into
  the test's temporary directory; the real profile is never read or written.
* The keyring is an in-memory backend (child processes get a file one under tmp).
* Any modal dialog a test did not expect fails the test instead of hanging it: dialogs
  expose an ``ask(...)`` classmethod that tests replace when they expect one.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DECLARANT_DESK_TESTING"] = "1"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(available: bool, what: str) -> None:
    """Skip when a tool is missing on a developer machine; fail in CI."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} is not available")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("DECLARANT_DESK_HOME", str(home / "declarant-desk"))
    monkeypatch.setenv("DD_TEST_KEYRING_FILE", str(home / "test-keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.test_keyring.FileTestKeyring")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    # proxies from the developer's environment must never route loopback test traffic
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost,::1")
    yield home


@pytest.fixture(autouse=True)
def memory_keyring():
    import keyring

    from tests.support.test_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_unexpected_modal(request, monkeypatch):
    """Make any unexpected modal dialog fail the test instead of blocking it."""
    if "PySide6.QtWidgets" not in sys.modules and "qtbot" not in request.fixturenames \
            and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected modal dialog: {args[:2]!r}")

    monkeypatch.setattr(QDialog, "exec", refuse)
    for name in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))
    for name in ("getText", "getItem", "getInt"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(refuse))
    yield
