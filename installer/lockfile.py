"""The Windows dependency lock: ``installer/requirements-windows.lock``.

Generated with uv for the Windows target (not for the build machine), so that
platform-conditional dependencies come out right (``pywin32-ctypes`` for keyring, no
SecretStorage/jeepney)::

    python build_installer.py --relock

Every line is pinned (``==``) with ``--hash`` values; ``pip download --require-hashes``
refuses anything else.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_FILE = Path(__file__).resolve().parent / "requirements-windows.lock"
PYTHON_VERSION = "3.11"
UV_PLATFORM = "x86_64-pc-windows-msvc"
LINUX_ONLY = {"secretstorage", "jeepney", "dbus-python", "pygobject"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Pin:
    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def parse(text: str) -> dict[str, Pin]:
    """Parse a ``uv pip compile --generate-hashes`` output (requirements format)."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    in_via = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not raw[0].isspace() and not line.startswith("#"):
            match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
            if not match:
                raise ValueError(f"unpinned or unsupported lock line: {line!r}")
            current = Pin(normalize(match.group(1)), match.group(2))
            pins[current.name] = current
            in_via = False
            for h in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
                current.hashes.append(h)
            continue
        if current is None:
            continue
        for h in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
            current.hashes.append(h)
        if line.startswith("# via"):
            rest = line[len("# via"):].strip()
            in_via = True
            if rest:
                current.via.append(rest)
        elif line.startswith("#") and in_via:
            current.via.append(line.lstrip("#").strip())
    return pins


def load(path: Path = LOCK_FILE) -> dict[str, Pin]:
    return parse(path.read_text(encoding="utf-8"))


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"])


def check(pins: dict[str, Pin], requirements: list[str]) -> list[str]:
    """Problems of the lock against the runtime requirements (empty list = covered)."""
    from packaging.requirements import Requirement

    problems = []
    for text in requirements:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"sys_platform": "win32", "platform_system": "Windows",
                                                                 "os_name": "nt", "python_version": PYTHON_VERSION}):
            continue
        pin = pins.get(normalize(req.name))
        if pin is None:
            problems.append(f"{req.name} is a runtime dependency but is not in the Windows lock")
        elif req.specifier and not req.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{req.name}: locked {pin.version} does not satisfy {req.specifier}")
    for pin in pins.values():
        if not pin.hashes:
            problems.append(f"{pin.name} has no --hash in the lock")
        if pin.name in LINUX_ONLY:
            problems.append(f"{pin.name} is Linux-only and must not be in the Windows lock")
        for parent in pin.via:
            parent_name = normalize(re.split(r"[\s(]", parent)[0])
            if parent.startswith("-r") or parent_name in pins:
                continue
            problems.append(f"{pin.name} is required by {parent}, which is not in the lock")
    return problems


def relock(output: Path = LOCK_FILE) -> None:
    """Regenerate the lock with uv (``pip install uv``) for Windows x86-64, CPython 3.11."""
    uv = shutil.which("uv")
    command = [uv] if uv else [sys.executable, "-m", "uv"]
    requirements = "\n".join(runtime_requirements()) + "\n"
    source = output.with_suffix(".in")
    source.write_text("# runtime dependencies from pyproject.toml (written by build_installer.py --relock)\n"
                      + requirements, encoding="utf-8")
    subprocess.run(command + ["pip", "compile", "--quiet", str(source), "--python-platform", UV_PLATFORM,
                              "--python-version", PYTHON_VERSION, "--generate-hashes", "--no-header",
                              "--output-file", str(output)], check=True)
    header = ("# Windows (x86-64, CPython 3.11) runtime dependencies of Declarant Desk, with hashes.\n"
              "# Regenerate with: python build_installer.py --relock\n")
    output.write_text(header + output.read_text(encoding="utf-8"), encoding="utf-8")
