"""Running the real Windows build under Wine (Debian's wine64 8.0), headless.

* A throw-away Wine prefix per run (``wineboot`` takes about 10 s).
* Wine lacks Windows' ``System32\\icuuc.dll``, which ``Qt6Core.dll`` imports; a stub built
  here from ``icuuc_stub.c`` with mingw-w64 goes into the test prefix only.
* Under Wine 8, CPython dies at start-up (init_sys_streams: invalid handle) when its
  stdout/stderr is a file: every Windows process's output goes through a pipe (``cat``).
* The built installers, the downloads and the stub are cached outside the clone
  (``$DECLARANT_DESK_CI_CACHE`` or ``~/.cache/declarant-desk``), keyed by a hash of their
  inputs, so a second run on the same machine does not rebuild them.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STUB_SOURCE = Path(__file__).with_name("icuuc_stub.c")
MINGW_GCC = "x86_64-w64-mingw32-gcc"
BUILD_INPUTS = ("desktop", "domain", "plugins", "resources", "installer", "build_installer.py")


def cache_dir() -> Path:
    base = os.environ.get("DECLARANT_DESK_CI_CACHE") or os.path.join(os.path.expanduser("~"), ".cache",
                                                                      "declarant-desk")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def wine_path() -> str | None:
    return shutil.which("wine") or shutil.which("wine64")


def tree_digest(paths: list[Path], extra: bytes = b"") -> str:
    """sha256 over the names and contents of the files under ``paths`` (no caches, no .ts)."""
    digest = hashlib.sha256(extra)
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" in file.parts or file.suffix in (".pyc", ".ts"):
                continue
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


def build_stub(out_dir: Path) -> Path:
    """``icuuc.dll`` from ``icuuc_stub.c`` (cached by the source's hash)."""
    key = hashlib.sha256(STUB_SOURCE.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / "wine" / f"icuuc-{key}.dll"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        subprocess.run([MINGW_GCC, "-shared", "-O2", "-Wall", "-static-libgcc", "-o", str(tmp), str(STUB_SOURCE)],
                       check=True, timeout=120)
        os.replace(tmp, cached)
    out = out_dir / "icuuc.dll"
    shutil.copyfile(cached, out)
    return out


def build_installer(version: str, trusted_root: Path, log: list[str]) -> Path:
    """``build_installer.py --version VERSION`` trusting ``trusted_root`` (cached by input hash)."""
    key = tree_digest([ROOT / p for p in BUILD_INPUTS], trusted_root.read_bytes() + version.encode())
    out = cache_dir() / "wine" / "installers" / key
    setup = out / f"DeclarantDesk-{version}-setup.exe"
    if setup.exists():
        log.append(f"installer {version}: cached ({setup})")
        return setup
    started = time.monotonic()
    work = cache_dir() / "wine" / "build"
    proc = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--version", version,
                           "--update-root", str(trusted_root), "--output", str(work),
                           "--cache", str(cache_dir() / "downloads")],
                          capture_output=True, text=True, timeout=1800, cwd=str(ROOT))
    if proc.returncode != 0:
        raise RuntimeError(f"build_installer.py failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    out.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work / setup.name), setup)
    shutil.rmtree(work / "build", ignore_errors=True)
    log.append(f"installer {version}: built in {time.monotonic() - started:.0f} s")
    # keep the cache small: installers of older inputs go
    for other in out.parent.iterdir():
        if other != out and other.is_dir() and time.time() - other.stat().st_mtime > 3600:
            shutil.rmtree(other, ignore_errors=True)
    return setup


class WinePrefix:
    """One throw-away Wine prefix and helpers to run Windows programs in it."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.wine = wine_path() or "wine"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "WINEPREFIX": str(prefix),
            "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "mscoree,mshtml=",   # no Mono/Gecko download prompts
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
        }
        self.user = os.environ.get("USER") or "root"

    # -- paths ---------------------------------------------------------------------------
    def drive_c(self) -> Path:
        return self.prefix / "drive_c"

    def local_appdata(self) -> Path:
        users = self.drive_c() / "users"
        candidates = [p for p in users.iterdir() if p.is_dir() and p.name != "Public"] if users.exists() else []
        return (candidates[0] if candidates else users / self.user) / "AppData" / "Local"

    def install_dir(self) -> Path:
        return self.local_appdata() / "Programs" / "DeclarantDesk"

    def user_data_dir(self) -> Path:
        return self.local_appdata() / "DeclarantDesk"

    # -- running -------------------------------------------------------------------------
    def run(self, args: list[str], *, timeout: float = 300, env: dict[str, str] | None = None,
            check: bool = False) -> subprocess.CompletedProcess:
        """Run ``wine ARGS``; output through a pipe (see the module's note)."""
        command = " ".join(_quote(a) for a in [self.wine, *args]) + " 2>&1 | cat; exit ${PIPESTATUS[0]}"
        proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=timeout,
                              env={**self.env, **(env or {})}, errors="replace")
        if check and proc.returncode != 0:
            raise RuntimeError(f"wine {args[:3]} exited {proc.returncode}:\n{proc.stdout[-4000:]}")
        return proc

    def wait(self, timeout: float = 120) -> None:
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=timeout, check=False)

    def kill(self) -> None:
        """Stop every process of the prefix and wait until its wineserver is gone: a wine
        command started while the old server is still shutting down can fail at once."""
        subprocess.run(["wineserver", "-k"], env=self.env, timeout=60, check=False)
        self.wait(timeout=60)

    def boot(self, stub: Path) -> None:
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.run(["wineboot", "--init"], timeout=300)
        self.wait()
        shutil.copyfile(stub, self.drive_c() / "windows" / "system32" / "icuuc.dll")

    def reg_query(self, key: str) -> dict[str, str] | None:
        proc = self.run(["reg", "query", key], timeout=60)
        if proc.returncode != 0:
            return None
        values = {}
        for line in proc.stdout.splitlines():
            parts = line.strip().split(None, 2)
            if len(parts) == 3 and parts[1].startswith("REG_"):
                values[parts[0]] = parts[2]
        return values

    def reg_set(self, key: str, name: str, value: str) -> None:
        self.run(["reg", "add", key, "/v", name, "/t", "REG_SZ", "/d", value, "/f"], timeout=60, check=True)

    def python(self, version: str, console: bool = True) -> str:
        exe = "python.exe" if console else "pythonw.exe"
        return str(self.install_dir() / f"app-{version}" / "runtime" / exe)


def last_json(text: str) -> dict:
    """The last line of ``text`` that is a JSON object."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    raise AssertionError(f"no JSON in the output:\n{text[-3000:]}")


def json_lines(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def grab_screen(display: str, out: Path, *, timeout: float = 120, settle: float = 4) -> Path:
    """Save the X screen ``display`` to ``out`` once a window has been drawn on it.

    Uses the project's PySide6 on the xcb platform in a separate process."""
    code = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication(['grab'])\n"
        "image = app.primaryScreen().grabWindow(0).toImage()\n"
        "colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}\n"
        "image.save(sys.argv[1])\n"
        "print(len(colours))\n"
    )
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    deadline = time.monotonic() + timeout
    while True:
        proc = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, env=env,
                              timeout=60)
        drawn = proc.returncode == 0 and proc.stdout.strip().isdigit() and int(proc.stdout.strip()) > 8
        if drawn:
            time.sleep(settle)  # let the window finish its first paint
            subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, env=env,
                           timeout=60, check=True)
            return out
        if time.monotonic() > deadline:
            raise AssertionError(f"no window appeared on {display} within {timeout:.0f} s: {proc.stderr[-2000:]}")
        time.sleep(2)
