"""Helpers for the host-shell tests: build a real AppContext on test data."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from desktop.app import AppContext, create_context
from desktop.plugin_host import BUNDLED_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plugins"


def plugin_dir(tmp_path: Path, *names: str) -> Path:
    """A folder holding copies of the named fixture plugins."""
    root = tmp_path / "plugin-src"
    root.mkdir(exist_ok=True)
    for name in names:
        shutil.copytree(FIXTURES / name, root / name)
    return root


def enable_plugins(argv: list[str], *ids: str) -> None:
    """Switch plugins on in the settings the program will read (e.g. the example plugin,
    which is off by default)."""
    from desktop.paths import resolve
    from desktop.settings import Settings

    data_dir = argv[argv.index("--data-dir") + 1] if "--data-dir" in argv else None
    paths = resolve(data_dir, demo="--demo" in argv).ensure()
    settings = Settings(paths.settings_file)
    for pid in ids:
        settings.set_plugin_enabled(pid, True)


@contextmanager
def app_context(*, argv: list[str] | None = None, extra_dirs: list[Path] | None = None,
                bundled: bool = True, services: bool = False,
                enable: tuple[str, ...] = ("example",)) -> Iterator[AppContext]:
    if enable:
        enable_plugins(list(argv or []), *enable)
    ctx = create_context(list(argv or []), services=services,
                         plugin_host_kwargs={"extra_dirs": list(extra_dirs or []),
                                             "bundled_dir": BUNDLED_DIR if bundled else None,
                                             "entry_points": False})
    try:
        yield ctx
    finally:
        ctx.shutdown()
        ctx.main_window.close()
        ctx.main_window.deleteLater()
