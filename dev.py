#!/usr/bin/env python3
"""Set-up and run in one step: ``python3 dev.py demo`` or ``python3 dev.py test``.

Creates ``.venv`` next to this file on first use (Python 3.11+), installs the project with
the extras a command needs, and re-installs only when ``pyproject.toml`` changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DECLARANT_DESK_VENV", ROOT / ".venv"))
EXTRAS = {"demo": "server", "run": "server", "server": "server", "test": "server,test", "bench": "server,test"}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure(extras: str) -> Path:
    if sys.version_info < (3, 11):
        sys.exit("Declarant Desk needs Python 3.11 or newer")
    py = venv_python()
    if not py.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    if not stamp.exists() or stamp.read_text() != digest:
        print(f"Installing Declarant Desk with [{extras}] ...", flush=True)
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"])
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[{extras}]"])
        stamp.write_text(digest)
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        print("commands: demo [options]   run the program on the embedded demo server and data\n"
              "          run [options]    run the program (python -m desktop)\n"
              "          test [pytest options]   run the whole test suite\n"
              "          server [options] run the feedback server (python -m server)\n"
              "          bench NAME       run bench/NAME.py")
        return 2
    cmd, rest = argv[0], argv[1:]
    py = str(ensure(EXTRAS[cmd]))
    os.chdir(ROOT)
    if cmd == "demo":
        args = [py, "-m", "desktop", "--demo", *rest]
    elif cmd == "run":
        args = [py, "-m", "desktop", *rest]
    elif cmd == "server":
        args = [py, "-m", "server", *rest]
    elif cmd == "bench":
        if not rest:
            print("usage: dev.py bench NAME [args]")
            return 2
        args = [py, str(ROOT / "bench" / f"{rest[0]}.py"), *rest[1:]]
    else:
        args = [py, "-m", "pytest", *rest]
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
