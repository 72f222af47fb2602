"""Paths, settings, logs and the single version source."""
from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

import desktop
from desktop import logs, paths
from desktop.settings import SecretInSettings, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_version_has_one_source():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert data["project"]["version"] == desktop.__version__


def test_home_env_overrides_everything(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    p = paths.resolve()
    assert p.data_dir == (tmp_path / "home").resolve()
    for d in (p.config_dir, p.log_dir, p.cache_dir):
        assert d.is_relative_to(p.data_dir)
    assert p.store_path.parent == p.data_dir


def test_data_dir_option_beats_env(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "env"))
    assert paths.resolve(tmp_path / "opt").data_dir == (tmp_path / "opt").resolve()


def test_platformdirs_are_local_and_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    p = paths.resolve()
    # the conftest points XDG dirs into tmp: platformdirs must have been used
    assert "DeclarantDesk" in str(p.data_dir) and "DeclarantDesk" in str(p.config_dir)
    assert str(p.data_dir).startswith(str(Path(__import__("os").environ["XDG_DATA_HOME"])))


def test_demo_paths_never_touch_real_data(tmp_path):
    real = paths.resolve(tmp_path / "user")
    demo = paths.resolve(tmp_path / "user", demo=True)
    assert demo.demo and demo.data_dir == real.data_dir / "demo"
    for d in (demo.config_dir, demo.log_dir, demo.cache_dir, demo.store_path, demo.plugins_dir):
        assert d.is_relative_to(real.data_dir / "demo")
    assert demo.for_demo() is demo


def test_settings_json_round_trip_and_namespaces(tmp_path):
    s = Settings(tmp_path / "c" / "settings.ini")
    ns = s.namespace("plugins/example")
    ns.set("runs", 3)
    ns.set("names", ["Hải Phòng", "Đình Vũ"])
    ns.set("flag", False)
    s.sync()
    again = Settings(tmp_path / "c" / "settings.ini").namespace("plugins/example")
    assert again.get("runs") == 3 and again.get("flag") is False
    assert again.get("names") == ["Hải Phòng", "Đình Vũ"]
    assert sorted(again.keys()) == ["flag", "names", "runs"]
    assert s.namespace("plugins/other").get("runs", "none") == "none"
    again.remove("runs")
    assert "runs" not in again
    with pytest.raises(ValueError):
        ns.set("../escape", 1)


def test_settings_refuse_secrets(tmp_path):
    s = Settings(tmp_path / "settings.ini")
    with pytest.raises(SecretInSettings):
        s.set_json("session/password", "x")
    with pytest.raises(SecretInSettings):
        s.namespace("plugins/p").set("api_token", "x")
    assert "password" not in (tmp_path / "settings.ini").read_text("utf-8") if (tmp_path / "settings.ini").exists() else True


def test_plugin_enable_flags(tmp_path):
    s = Settings(tmp_path / "settings.ini")
    s.set_plugin_enabled("a", False)
    assert s.disabled_plugins() == {"a"}
    s.set_plugin_enabled("a", True)
    assert s.disabled_plugins() == set() and s.enabled_plugins() == {"a"}


@pytest.mark.parametrize("text, secret", [
    ("login password=hunter2 ok", "hunter2"),
    ('body {"password": "s3cr3t!", "username": "0200123457"}', "s3cr3t!"),
    ("Authorization: Bearer abcDEF123456.xyz", "abcDEF123456"),
    ("token: 9f8e7d6c5b4a", "9f8e7d6c5b4a"),
    ("refresh_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJhbGciOiJIUzI1NiJ9"),
    ("contact 0912345678 called", "0912345678"),
    ("contact +84 912 345 678 called", "912 345"),
    ("contact 091.234.5678 called", "091.234"),
])
def test_redaction(text, secret):
    out = logs.redact(text)
    assert secret not in out
    assert "***" in out or "*" * 7 in out


def test_redaction_keeps_ordinary_text():
    text = "declaration 101272581640 synced, 12 items, tax code 0200123457"
    assert logs.redact(text) == text


def test_log_file_is_redacted_and_rotating(tmp_path):
    path = logs.setup(tmp_path / "logs")
    try:
        log = logging.getLogger("test.shell")
        log.setLevel(logging.INFO)
        log.info("signing in with password=%s phone %s", "TopSecret1", "0987654321")
        try:
            raise ValueError("token=abcdef123456 failed")
        except ValueError:
            log.exception("with traceback")
        for h in logging.getLogger().handlers:
            h.flush()
        text = path.read_text("utf-8")
        assert "TopSecret1" not in text and "0987654321" not in text and "abcdef123456" not in text
        assert "*******321" in text and "signing in" in text
        handler = logs._installed[0]
        assert isinstance(handler, logs.SizeRotatingFileHandler)
        assert handler.max_bytes == logs.MAX_BYTES and handler.backups == logs.BACKUPS >= 1
    finally:
        for h in logs._installed:
            logging.getLogger().removeHandler(h)
            h.close()
        logs._installed.clear()


def test_qt_binding_keeps_references_on_signal_emit(qapp):
    """PySide6 6.12.0 drops a reference to True/False on every Signal.emit() (the program
    aborts after a few thousand emits); pyproject excludes it and the self-test reports it."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from desktop.selftest import signal_refcount_ok

    class Probe(QObject):
        ping = Signal(object)

    probe = Probe()
    probe.ping.connect(lambda _x: None)
    before = sys.getrefcount(True)
    for _ in range(50):
        probe.ping.emit(None)
    assert sys.getrefcount(True) >= before
    assert signal_refcount_ok()


def test_the_bool_reference_check_finds_a_defect_and_ignores_other_threads():
    """The self-test's check: a call that drops a reference to True every time is found (and
    the references are given back); threads that take and give back references meanwhile
    (as the demo's embedded server does) are not taken for a defect."""
    import ctypes
    import random
    import sys
    import threading

    from desktop.selftest import drops_bool_references, signal_refcount_ok

    before = sys.getrefcount(True)
    assert drops_bool_references(lambda: ctypes.pythonapi.Py_DecRef(ctypes.py_object(True)))
    assert sys.getrefcount(True) >= before

    stop = threading.Event()

    def churn() -> None:
        rng = random.Random(7)
        while not stop.is_set():
            held = [True, False] * rng.randint(0, 20)
            del held

    threads = [threading.Thread(target=churn) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(10):
            assert not drops_bool_references(lambda: None)
            assert signal_refcount_ok()
    finally:
        stop.set()
        for t in threads:
            t.join()


def test_log_rotation(tmp_path):
    handler = logs.SizeRotatingFileHandler(tmp_path / "x.log", max_bytes=2000, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("test.rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        for i in range(400):
            log.warning("line %04d %s", i, "x" * 40)
    finally:
        log.removeHandler(handler)
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["x.log", "x.log.1", "x.log.2", "x.log.3"]  # older ones dropped
    for f in tmp_path.iterdir():
        assert f.stat().st_size <= 2000
    assert "line 0399" in (tmp_path / "x.log").read_text()
    newest_backup = (tmp_path / "x.log.1").read_text().splitlines()
    current = (tmp_path / "x.log").read_text().splitlines()
    assert int(newest_backup[-1].split()[1]) + 1 == int(current[0].split()[1])  # nothing lost between files
