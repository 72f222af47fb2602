"""The real Windows build under Wine: install, self-test, screenshot, update, uninstall.

One test, in order (each step needs the previous one):

1. ``build_installer.py`` builds the installers of versions N (9.0.1) and N+1 (9.0.2),
   both trusting a test update repository (cached between runs, see winehelp);
2. N is installed silently (``/S``) into a throw-away Wine prefix; the uninstall entry
   says N; the installed program's ``--self-test`` answers ``"ok": true`` with both
   plugins loaded;
3. the program starts under Xvfb and the screen is saved (``windows_wine.png``);
4. N+1 is published to the stable ring of a loopback repository; the installed program
   (``python -m desktop.updates install --restart --self-test``) finds, verifies and
   installs it and the restarted program is N+1;
5. a tampered N+2 is refused and N+1 still runs;
6. IT withdraws N+1 (and N+2): the program goes back to N, a signed downgrade, with the
   user's data (store, install id) unchanged;
7. the silent uninstall removes the program files and the uninstall entry; the user's
   data stays.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from installer import nsis
from installer.release import Repository
from tests.conftest import require_tool
from tests.installer.conftest import StaticServer
from tests.wine import winehelp

N, N1, N2 = "9.0.1", "9.0.2", "9.0.3"
UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\DeclarantDesk"
POLICY_KEY = r"HKLM\Software\Policies\DeclarantDesk"
PLUGINS = {"business_info", "satisfaction"}


def _trust(tmp_path: Path) -> Path:
    """Keys of the test update repository and the root the installers trust (cached)."""
    trust = winehelp.cache_dir() / "wine" / "trust"
    root = trust / "root.json"
    if root.exists():
        expires = json.loads(root.read_text())["signed"]["expires"]
        if datetime.fromisoformat(expires.replace("Z", "+00:00")) < datetime.now(timezone.utc) + timedelta(days=30):
            shutil.rmtree(trust)
    if not root.exists():
        repo = Repository(tmp_path / "first-repo", trust / "keys")
        shutil.copyfile(repo.init(), root)
    return trust


def _self_test(prefix: winehelp.WinePrefix, version: str) -> dict:
    proc = prefix.run([prefix.python(version), "-m", "desktop", "--self-test"], timeout=300)
    result = winehelp.last_json(proc.stdout)
    assert proc.returncode == 0 and result["ok"] is True, proc.stdout[-4000:]
    return result


def _assert_plugins_loaded(result: dict) -> None:
    states = {p["id"]: p["state"] for p in result["plugins"]}
    assert all(states.get(p) == "loaded" for p in PLUGINS), states


@pytest.mark.timeout(1800)
def test_windows_build_installs_runs_updates_and_uninstalls_under_wine(tmp_path):
    require_tool(winehelp.wine_path() is not None, "Wine (Debian packages wine, wine64)")
    require_tool(shutil.which(winehelp.MINGW_GCC) is not None, "mingw-w64 (Debian package gcc-mingw-w64-x86-64-win32)")
    require_tool(nsis.makensis_path() is not None, "makensis (Debian package nsis)")
    require_tool(shutil.which("Xvfb") is not None, "Xvfb (Debian package xvfb)")
    steps: list[str] = []
    started = last = time.monotonic()

    def step(name: str) -> None:
        nonlocal last
        now = time.monotonic()
        steps.append(f"{name}: {now - last:.1f} s")
        last = now

    # 1. the installers (cached by input hash) and the test repository's keys
    trust = _trust(tmp_path)
    setup_n = winehelp.build_installer(N, trust / "root.json", steps)
    setup_n1 = winehelp.build_installer(N1, trust / "root.json", steps)
    assert nsis.is_nullsoft_installer(setup_n) and nsis.is_nullsoft_installer(setup_n1)
    step("installers")
    wine_started = time.monotonic()

    prefix = winehelp.WinePrefix(tmp_path / "prefix")
    xvfb = None
    try:
        prefix.boot(winehelp.build_stub(tmp_path))
        step("wine prefix + icuuc stub")

        # 2. silent install of N, uninstall entry, self-test
        proc = prefix.run([str(setup_n), "/S"], timeout=300)
        assert proc.returncode == 0, proc.stdout
        install_dir = prefix.install_dir()
        assert (install_dir / f"app-{N}" / "runtime" / "python311.dll").is_file()
        assert (install_dir / "uninstall.exe").is_file()
        entry = prefix.reg_query(UNINSTALL_KEY)
        assert entry is not None and entry["DisplayVersion"] == N, entry
        step("silent install")
        result = _self_test(prefix, N)
        assert result["version"] == N and result["python"].startswith("3.11")
        assert result["platform"].startswith("Windows"), result["platform"]
        _assert_plugins_loaded(result)
        assert (prefix.user_data_dir() / "declarations.db").is_file()
        step("self-test")

        # 3. start it under Xvfb and save the screen
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x800x24", "-nolisten", "tcp"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        display = ":" + xvfb.stdout.readline().strip()
        command = " ".join(winehelp._quote(a) for a in [prefix.wine, prefix.python(N, console=False), "-m", "desktop"])
        gui = subprocess.Popen(["bash", "-c", command + " 2>&1 | cat >/dev/null"],
                               env={**prefix.env, "DISPLAY": display, "QT_QPA_PLATFORM": "windows"})
        shot = winehelp.grab_screen(display, tmp_path / "windows_wine.png")
        assert gui.poll() is None, "the program exited instead of showing its window"
        shutil.copyfile(shot, winehelp.cache_dir() / "wine" / "windows_wine.png")
        prefix.kill()
        gui.wait(timeout=60)
        step("window under Xvfb + screenshot")

        # 4. update N -> N+1 from a loopback repository (stable ring)
        web = tmp_path / "web"
        repo = Repository(web / "updates", trust / "keys")
        repo.init()
        repo.publish("stable", setup_n, N, notes="the version installed first")
        repo.publish("stable", setup_n1, N1, notes="test update")
        server = StaticServer(web)
        try:
            prefix.reg_set(POLICY_KEY, "UpdateUrl", server.url)
            install_id = (prefix.user_data_dir() / "install-id")
            proc = prefix.run([prefix.python(N), "-m", "desktop.updates", "install", "--restart", "--self-test"],
                              timeout=600)
            lines = winehelp.json_lines(proc.stdout)
            assert proc.returncode == 0, proc.stdout[-4000:]
            assert lines[0]["installed"] == N1 and lines[0]["version"] == N, lines
            restarted = lines[-1]
            assert restarted["ok"] is True and restarted["version"] == N1, restarted
            _assert_plugins_loaded(restarted)
            assert prefix.reg_query(UNINSTALL_KEY)["DisplayVersion"] == N1
            step("update N -> N+1")

            # 5. a tampered N+2 is refused; N+1 keeps running
            repo.publish("stable", setup_n1, N2, notes="tampered")
            stored = next((repo.targets_dir / "stable").glob(f"*.DeclarantDesk-{N2}-setup.exe"))
            data = bytearray(stored.read_bytes())
            data[len(data) // 2] ^= 0xFF
            stored.write_bytes(bytes(data))
            proc = prefix.run([prefix.python(N1), "-m", "desktop.updates", "install"], timeout=600)
            refused = winehelp.last_json(proc.stdout)
            assert proc.returncode == 1 and refused["kind"] == "tampered", proc.stdout[-3000:]
            assert not (prefix.install_dir() / f"app-{N2}").exists()
            assert _self_test(prefix, N1)["version"] == N1
            assert prefix.reg_query(UNINSTALL_KEY)["DisplayVersion"] == N1
            step("tampered N+2 refused")

            # 6. IT withdraws N+2 and N+1: the workstation goes back to N (signed downgrade), data kept
            kept_id = install_id.read_text()
            assert repo.withdraw("stable", N2) == N1
            assert repo.withdraw("stable", N1, reason="test rollback") == N
            proc = prefix.run([prefix.python(N1), "-m", "desktop.updates", "install", "--restart", "--self-test"],
                              timeout=600)
            lines = winehelp.json_lines(proc.stdout)
            assert proc.returncode == 0, proc.stdout[-4000:]
            assert lines[0]["installed"] == N and lines[0]["downgrade"] is True, lines
            assert lines[-1]["ok"] is True and lines[-1]["version"] == N, lines[-1]
            assert prefix.reg_query(UNINSTALL_KEY)["DisplayVersion"] == N
            assert install_id.read_text() == kept_id
            assert (prefix.user_data_dir() / "declarations.db").is_file()
            step("rollback of withdrawn N+1 to N")
        finally:
            server.close()

        # 7. silent uninstall: program files and entry gone, user data kept
        proc = prefix.run([str(install_dir / "uninstall.exe"), "/S"], timeout=300)
        assert proc.returncode == 0, proc.stdout
        prefix.wait()  # the uninstaller re-runs itself from a temporary copy
        deadline = time.monotonic() + 60
        while install_dir.exists() and time.monotonic() < deadline:
            time.sleep(1)
        assert not install_dir.exists(), list(install_dir.rglob("*"))[:20]
        assert prefix.reg_query(UNINSTALL_KEY) is None
        assert (prefix.user_data_dir() / "declarations.db").is_file()
        step("silent uninstall")
    finally:
        prefix.kill()
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=30)
    wine_seconds = time.monotonic() - wine_started
    report = {"wine_seconds": round(wine_seconds, 1), "total_seconds": round(time.monotonic() - started, 1),
              "steps": steps}
    (winehelp.cache_dir() / "wine" / "last-run.json").write_text(json.dumps(report, indent=2))
    print("\n".join(["Windows build under Wine:", *steps, f"Wine part: {wine_seconds:.0f} s"]))
