"""Assemble the installed tree of one version and trim Qt to what a widgets program uses.

Layout of one version (``<install dir>\\app-<version>\\``)::

    runtime\\   the Windows embeddable CPython (python311._pth fixes sys.path)
    lib\\       third-party packages, unpacked from the hash-locked Windows wheels
    app\\       desktop/, domain/, plugins/, resources/, update-config/ (update.toml, root.json)

``python311._pth`` lists ``python311.zip``, ``.``, ``..\\lib`` and ``..\\app``: the program
never sees a system Python, ``PYTHONPATH`` or user site-packages.

The same layout is assembled on Linux from the distributions installed on the build
machine (``assemble_from_installed``) so CI can run ``--self-test`` from it.
"""
from __future__ import annotations

import compileall
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
APP_PACKAGES = ("desktop", "domain", "plugins")
APP_DATA_DIRS = ("resources",)
PTH_LINES = ("python311.zip", ".", r"..\lib", r"..\app")

# --- Qt trimming ------------------------------------------------------------------------------------
# Qt modules a widgets program does not load (QML/Quick, Designer, Help, tests, OpenGL, SQL).
_DROP_MODULE = re.compile(
    r"^(lib)?(Qt6?|pyside6)(Quick|Qml|Labs|Lottie|Designer|Help|Test|UiTools|OpenGL|Sql|ShaderTools|VirtualKeyboard)",
    re.IGNORECASE)
_DROP_PYSIDE_QML = re.compile(r"^(lib)?(pyside6qml|qpdf\.)", re.IGNORECASE)  # qpdf needs Qt6Pdf (not shipped)
# Qt tool executables (Windows *.exe; bare names on Linux)
_TOOLS = {"assistant", "designer", "linguist", "lrelease", "lupdate", "qmlformat", "qmllint", "qmlls", "svgtoqml",
          "uic", "rcc", "qmltyperegistrar", "qmlcachegen", "qmlimportscanner", "balsam", "balsamui", "qsb",
          "androiddeployqt", "androidtestrunner", "qtpaths", "lconvert", "qmlsc", "qmltestrunner", "qmlprofiler"}
# folders inside the PySide6 package that a running program never needs
_DROP_DIRS = {"qml", "metatypes", "typesystems", "include", "glue", "scripts", "doc", "libexec", "resources",
              "qmltooling", "qmllint", "qmlls", "designer", "sqldrivers", "examples", "vectorimageformats"}
_DROP_FILES = {"opengl32sw.dll", "icudtl.dat", "d3dcompiler_47.dll"}
_KEEP_TRANSLATIONS = re.compile(r"^qt(base)?_(vi|en)\.qm$")


def qt_keep(relative: PurePosixPath) -> bool:
    """Whether a file of the PySide6 package (path relative to site-packages) is kept."""
    parts = relative.parts
    if not parts or parts[0] != "PySide6":
        return True
    name = parts[-1]
    lower = name.lower()
    dirs = {p.lower() for p in parts[1:-1]}
    if dirs & _DROP_DIRS:
        return False
    if "translations" in dirs:
        return bool(_KEEP_TRANSLATIONS.match(name))
    if lower in _DROP_FILES or lower.endswith((".pyi", ".lib", ".exe")):
        return False
    stem = lower.split(".")[0]
    if len(parts) == 2 and stem in _TOOLS:
        return False
    if _DROP_MODULE.match(name) or _DROP_PYSIDE_QML.match(name):
        return False
    return True


def keep_file(relative: PurePosixPath) -> bool:
    """Filter for every file that goes into ``lib``."""
    if "__pycache__" in relative.parts or relative.suffix in (".pyc", ".pyo", ".pyi"):
        return False  # bytecode is compiled for the layout; type stubs are not needed to run
    return qt_keep(relative)


# --- helpers ----------------------------------------------------------------------------------------

def _place(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # same file system: no copy (the layout is rebuilt, never edited)
    except OSError:
        shutil.copy2(src, dst)


def tree_size(path: Path) -> tuple[int, int]:
    files = size = 0
    for item in path.rglob("*"):
        if item.is_file():
            files += 1
            size += item.stat().st_size
    return files, size


@dataclass
class Layout:
    root: Path
    version: str
    trimmed: list[str] = field(default_factory=list)

    @property
    def runtime(self) -> Path:
        return self.root / "runtime"

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def app(self) -> Path:
        return self.root / "app"


# --- third-party packages ----------------------------------------------------------------------------

def fetch_windows_wheels(lock: Path, cache: Path) -> list[Path]:
    """``pip download`` the locked Windows wheels (hash-checked) into ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--platform", "win_amd64",
                    "--python-version", "3.11", "--implementation", "cp", "--only-binary=:all:",
                    "--require-hashes", "-r", str(lock), "-d", str(cache)], check=True)
    from installer import lockfile

    pins = lockfile.load(lock)
    wheels = []
    for pin in pins.values():
        matches = [w for w in cache.glob("*.whl")
                   if lockfile.normalize(w.name.split("-")[0]) == pin.name and w.name.split("-")[1] == pin.version]
        if not matches:
            raise FileNotFoundError(f"no wheel for {pin.name}=={pin.version} in {cache}")
        wheels.append(matches[0])
    return wheels


def unpack_wheels(wheels: list[Path], lib: Path, trimmed: list[str]) -> None:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                relative = PurePosixPath(info.filename)
                if relative.is_absolute() or ".." in relative.parts:
                    raise ValueError(f"unsafe path {info.filename} in {wheel.name}")
                if ".data" in relative.parts[0]:
                    # <dist>.data/{purelib,platlib}/... go to lib; scripts/headers are not needed
                    if len(relative.parts) > 2 and relative.parts[1] in ("purelib", "platlib"):
                        relative = PurePosixPath(*relative.parts[2:])
                    else:
                        continue
                if not keep_file(relative):
                    trimmed.append(str(relative))
                    continue
                target = lib.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)


def installed_closure(requirements: list[str]) -> list[metadata.Distribution]:
    """The installed distributions the requirements need on this machine (markers evaluated)."""
    from packaging.requirements import Requirement

    from installer.lockfile import normalize

    seen: dict[str, metadata.Distribution] = {}
    queue = [Requirement(r) for r in requirements]
    while queue:
        req = queue.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = normalize(req.name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise RuntimeError(f"{req.name} is not installed on this machine") from None
        seen[key] = dist
        for child in dist.requires or []:
            queue.append(Requirement(child))
    return list(seen.values())


def copy_installed(dists: list[metadata.Distribution], lib: Path, trimmed: list[str]) -> None:
    for dist in dists:
        base = Path(dist.locate_file(""))
        for file in dist.files or []:
            relative = PurePosixPath(str(file))
            if relative.is_absolute() or ".." in relative.parts:
                continue  # console scripts etc. outside site-packages
            if not keep_file(relative):
                trimmed.append(str(relative))
                continue
            source = base / relative
            if source.is_file():
                _place(source, lib.joinpath(*relative.parts))


# --- the program itself -----------------------------------------------------------------------------

def copy_app(app: Path, source_root: Path = ROOT) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        return {n for n in names if n in ("__pycache__", "tests", ".pytest_cache") or n.endswith((".pyc", ".ts"))}

    for name in APP_PACKAGES + APP_DATA_DIRS:
        source = source_root / name
        if source.is_dir():
            shutil.copytree(source, app / name, ignore=ignore, copy_function=shutil.copy2)


def stamp_version(app: Path, version: str) -> None:
    """Make the copied program report ``version`` (``build_installer.py --version``)."""
    init = app / "desktop" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    stamped, count = re.subn(r'^__version__\s*=\s*["\'][^"\']*["\']', f'__version__ = "{version}"', text,
                             count=1, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"{init} has no __version__ line")
    if stamped != text:
        init.write_text(stamped, encoding="utf-8")


def write_update_config(app: Path, url: str | None, trusted_root: Path | None) -> None:
    config = app / "update-config"
    config.mkdir(parents=True, exist_ok=True)
    if url:
        from desktop.updates.policy import is_file_share

        if not (url.startswith(("https://", "http://")) or is_file_share(url)):
            raise ValueError(f"the update URL must be http(s) or a file share: {url!r}")
        escaped = url.replace("\\", "\\\\").replace('"', '\\"')
        (config / "update.toml").write_text(f'[updates]\nurl = "{escaped}"\n', encoding="utf-8")
    if trusted_root is not None:
        import json

        data = json.loads(Path(trusted_root).read_text(encoding="utf-8"))
        if data.get("signed", {}).get("_type") != "root":
            raise ValueError(f"{trusted_root} is not TUF root metadata")
        shutil.copyfile(trusted_root, config / "root.json")


def write_pth(runtime: Path) -> None:
    (runtime / "python311._pth").write_text("\r\n".join(PTH_LINES) + "\r\n", encoding="ascii")


def compile_tree(*dirs: Path) -> None:
    for directory in dirs:
        compileall.compile_dir(str(directory), quiet=1, workers=0,
                               invalidation_mode=compileall.py_compile.PycInvalidationMode.UNCHECKED_HASH)


# --- whole layouts ---------------------------------------------------------------------------------

def assemble_windows(root: Path, version: str, *, embed_dir: Path, wheels: list[Path], url: str | None,
                     trusted_root: Path | None, compile_bytecode: bool = True) -> Layout:
    if root.exists():
        shutil.rmtree(root)
    layout = Layout(root, version)
    shutil.copytree(embed_dir, layout.runtime)
    write_pth(layout.runtime)
    unpack_wheels(wheels, layout.lib, layout.trimmed)
    copy_app(layout.app)
    stamp_version(layout.app, version)
    write_update_config(layout.app, url, trusted_root)
    if compile_bytecode:
        compile_tree(layout.lib, layout.app)
    return layout


def assemble_from_installed(root: Path, version: str, requirements: list[str], *, url: str | None = None,
                            trusted_root: Path | None = None) -> Layout:
    """The same ``lib``/``app`` layout from this machine's installed (e.g. Linux) packages."""
    if root.exists():
        shutil.rmtree(root)
    layout = Layout(root, version)
    layout.runtime.mkdir(parents=True)
    write_pth(layout.runtime)
    copy_installed(installed_closure(requirements), layout.lib, layout.trimmed)
    copy_app(layout.app)
    write_update_config(layout.app, url, trusted_root)
    return layout


def pth_paths(runtime: Path) -> list[Path]:
    """``sys.path`` entries that ``python311._pth`` gives, resolved against ``runtime``."""
    lines = (runtime / "python311._pth").read_text(encoding="ascii").splitlines()
    out = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("import "):
            continue
        out.append((runtime / line.replace("\\", "/")).resolve())
    return out


def isolated_command(layout_root: Path, code: str) -> list[str]:
    """A command running ``code`` with only the layout on ``sys.path`` (emulates ``._pth``).

    The build machine's interpreter runs isolated (``-I -S``: no site-packages, no user
    site, no PYTHONPATH); the standard library is the interpreter's own, everything else
    comes from the layout's ``lib`` and ``app``.
    """
    paths = [str(p) for p in pth_paths(layout_root / "runtime") if p.is_dir()]
    return [sys.executable, "-I", "-S", "-c", f"import sys; sys.path[:0] = {paths!r}\n{code}"]


def run_from_layout(layout_root: Path, args: list[str], env: dict[str, str] | None = None,
                    timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``python -m desktop ARGS`` from the layout (see :func:`isolated_command`)."""
    code = ("import runpy; sys.argv = ['desktop'] + sys.argv[1:]; "
            "runpy.run_module('desktop', run_name='__main__', alter_sys=True)")
    return subprocess.run(isolated_command(layout_root, code) + list(args), capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=str(layout_root))
