"""The console's JavaScript packages, from the npm registry, served by the server itself.

``web/package.json`` (with its lock) names the packages and their exact versions.
``python -m server.console.vendor`` installs them with ``npm ci`` and copies the files the
console serves into ``server/console/static/vendor/``, with ``MANIFEST.json`` recording
each file's package, version and SHA-256. The copies are committed: the server needs
neither npm nor a network at run time (the console works offline on a customs LAN), and
``check()`` (run by the tests) proves that the committed files are what the manifest and
``package.json`` say.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"

# package -> (file inside the package, name served under /console/static/vendor/)
FILES: dict[str, tuple[str, str]] = {
    "htmx.org": ("dist/htmx.min.js", "htmx.min.js"),
    "chart.js": ("dist/chart.umd.min.js", "chart.umd.min.js"),
    "axe-core": ("axe.min.js", "axe.min.js"),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wanted_versions() -> dict[str, str]:
    return json.loads((WEB / "package.json").read_text("utf-8"))["dependencies"]


def update() -> dict[str, dict[str, str]]:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to update the console's JavaScript packages")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    VENDOR.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    for package, (inner, served) in FILES.items():
        meta = json.loads((WEB / "node_modules" / package / "package.json").read_text("utf-8"))
        target = VENDOR / served
        shutil.copyfile(WEB / "node_modules" / package / inner, target)
        manifest[served] = {"package": package, "version": meta["version"], "license": str(meta.get("license")),
                            "sha256": _sha256(target)}
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return manifest


def check() -> list[str]:
    """What is wrong with the committed copies (empty: all good)."""
    problems: list[str] = []
    try:
        manifest = json.loads(MANIFEST.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{MANIFEST}: {exc}"]
    versions = wanted_versions()
    for package, (_inner, served) in FILES.items():
        entry = manifest.get(served)
        if entry is None:
            problems.append(f"{served} is not in the manifest")
            continue
        if entry["version"] != versions.get(package):
            problems.append(f"{served}: version {entry['version']}, package.json wants {versions.get(package)}")
        path = VENDOR / served
        if not path.exists() or _sha256(path) != entry["sha256"]:
            problems.append(f"{served}: missing or not the copied file (run python -m server.console.vendor)")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"]:
        found = check()
        print("\n".join(found) or "vendored packages match the manifest")
        return 1 if found else 0
    for name, entry in update().items():
        print(f"{name}: {entry['package']} {entry['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
