"""Updates without the window, for scripts and IT: ``python -m desktop.updates COMMAND``.

    check                      print what this workstation would install (JSON) and exit
    install [--restart ARGS…]  download and verify it, run the installer silently, then
                               (with --restart) start the installed version with ARGS
                               (e.g. ``--restart --self-test``) and pass on its exit code

The workstation's policy (ring, repository) and trusted root are the same as in the
program. Exit codes: 0 = done (or nothing to install), 1 = the check or download was
refused or failed (nothing changed), 2 = the installer failed (the installed version stays).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from desktop.updates import policy as policy_mod
from desktop.updates.client import UpdateClient, UpdateError


def _client() -> UpdateClient:
    from desktop import __version__
    from desktop.paths import resolve
    from desktop.updates.rollout import install_id

    paths = resolve(None).ensure()
    policy = policy_mod.read_policy()
    if not policy.url:
        raise UpdateError("no update repository is configured for this workstation", kind="invalid")
    state_dir = Path(paths.cache_dir) / "updates"
    bundled = policy_mod.BUNDLED_CONFIG_DIR / "root.json"
    root = bundled.read_bytes() if bundled.exists() else None
    return UpdateClient(policy.url, policy.ring, state_dir, trusted_root=root, current_version=__version__,
                        install_id=install_id(paths.data_dir))


def _console_launcher(version: str) -> list[str] | None:
    from desktop.updates.integration import install_root

    root = install_root()
    if root is None:
        return None
    exe = root / f"app-{version}" / "runtime" / ("python.exe" if sys.platform == "win32" else "python")
    return [str(exe), "-m", "desktop"] if exe.exists() else None


def _print(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.updates", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="print what would be installed")
    p = sub.add_parser("install", help="install it now (silently)")
    p.add_argument("--restart", nargs=argparse.REMAINDER, metavar="ARGS",
                   help="then start the installed version with these arguments")
    args = parser.parse_args(argv)
    from desktop import __version__

    try:
        client = _client()
        release = client.check()
    except UpdateError as exc:
        _print({"ok": False, "version": __version__, "error": exc.message, "kind": exc.kind})
        return 1
    offer = asdict(release) if release is not None else None
    if args.command == "check" or release is None:
        _print({"ok": True, "version": __version__, "ring": client.ring, "offer": offer})
        return 0
    from desktop.updates.integration import run_installer

    try:
        path = client.download(release)
        code = run_installer(path)
    except UpdateError as exc:
        _print({"ok": False, "version": __version__, "offer": offer, "error": exc.message, "kind": exc.kind})
        return 1
    if code != 0:
        _print({"ok": False, "version": __version__, "offer": offer, "installer_exit_code": code})
        return 2
    client.clean_downloads()
    _print({"ok": True, "version": __version__, "installed": release.version, "downgrade": release.downgrade})
    if args.restart is not None:
        launcher = _console_launcher(release.version)
        if launcher is None:
            _print({"ok": False, "error": f"the installed version {release.version} cannot be found"})
            return 2
        return subprocess.run(launcher + list(args.restart), timeout=600, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
