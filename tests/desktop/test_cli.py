"""The command-line contract: --self-test, --screenshot, --demo (run as child processes)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from .shell_helpers import plugin_dir

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None, timeout: int = 180) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def self_test(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    proc = run("--self-test", *args, env=env)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 1, (proc.stdout, proc.stderr[-3000:])
    return proc.returncode, json.loads(lines[0])


def test_self_test_ok(tmp_path):
    code, result = self_test("--data-dir", str(tmp_path / "d"))
    assert result["ok"] is True and code == 0, result
    import desktop
    assert result["version"] == desktop.__version__
    for key in ("qt", "python", "platform", "data_dir", "services"):
        assert result[key]
    assert result["store"] == {"ok": True, "path": str((tmp_path / "d" / "declarations.db").resolve()),
                               "declarations": 0}
    assert result["list"] == "DeclarationListView" and result["qt_signals_ok"] is True
    plugins = {p["id"]: p for p in result["plugins"]}
    assert plugins["example"]["state"] == "disabled"  # a sample for plugin authors: off by default
    assert all({"id", "version", "state", "error"} <= set(p) for p in result["plugins"])
    from .shell_helpers import enable_plugins
    enable_plugins(["--data-dir", str(tmp_path / "d")], "example")
    code, result = self_test("--data-dir", str(tmp_path / "d"))
    plugins = {p["id"]: p for p in result["plugins"]}
    assert code == 0 and plugins["example"]["state"] == "loaded" and plugins["example"]["version"] == "1.0.0"


def test_self_test_reports_a_broken_plugin_and_fails(tmp_path):
    folder = plugin_dir(tmp_path, "raises_at_import")
    code, result = self_test("--data-dir", str(tmp_path / "d"), env={"DECLARANT_DESK_PLUGIN_PATH": str(folder)})
    assert code == 1 and result["ok"] is False
    broken = next(p for p in result["plugins"] if p["id"] == "raises_at_import")
    assert broken["state"] == "failed" and "broken on purpose at import" in broken["error"]
    assert any("raises_at_import" in p for p in result["problems"])


def test_self_test_demo_uses_the_demo_folder(tmp_path):
    from domain.demo import DEMO_COUNT

    code, result = self_test("--demo", "--data-dir", str(tmp_path / "d"))
    assert code == 0, {k: result.get(k) for k in ("problems", "qt_signals_ok", "store", "services", "plugins")}
    assert result["demo"] is True and Path(result["data_dir"]) == (tmp_path / "d" / "demo").resolve()
    assert result["store"]["declarations"] == DEMO_COUNT
    assert not (tmp_path / "d" / "declarations.db").exists()


def test_screenshot(tmp_path):
    from PySide6.QtGui import QImage

    target = tmp_path / "shots" / "main.png"
    proc = run("--screenshot", str(target), "--demo", "--lang", "en", "--data-dir", str(tmp_path / "d"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
    # not a blank picture: many distinct colours (text, menus, list rows)
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 20


def test_help_and_version():
    proc = run("--help")
    assert proc.returncode == 0
    for opt in ("--demo", "--data-dir", "--lang", "--self-test", "--screenshot"):
        assert opt in proc.stdout
    proc = run("--version")
    assert proc.returncode == 0 and "0.1.0" in proc.stdout


def test_interactive_start_prints_timing_markers_and_exits(tmp_path):
    """The interactive start path (window first, then services and plugins) end to end."""
    proc = run("--data-dir", str(tmp_path / "d"),
               env={"DECLARANT_DESK_TIMING": "1", "DECLARANT_DESK_EXIT_AFTER_PAINT": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    marks = {line.split()[0]: float(line.split()[1]) for line in proc.stdout.splitlines()
             if line.startswith("DD_")}
    assert set(marks) == {"DD_PAINTED", "DD_LISTED", "DD_READY"}, proc.stdout
    assert marks["DD_PAINTED"] <= marks["DD_READY"]  # the list is on screen before plugins load
    settings = (tmp_path / "d" / "config" / "settings.ini").read_text("utf-8")
    assert "geometry" in settings  # the window state was saved at close


def test_unusable_data_dir_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, result = self_test("--data-dir", str(blocker / "d"))
    assert code == 1 and result["ok"] is False
    assert "StartupError" in result["error"] and "Thư mục dữ liệu" in result["error"]
    assert blocker.read_text() == "x"  # nothing overwritten
