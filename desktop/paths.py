"""Per-user directories of the program.

platformdirs gives the local (not roaming) data, config, cache and log directories
(appname ``DeclarantDesk``, no app author). ``DECLARANT_DESK_HOME`` or ``--data-dir``
override everything: all directories then live inside that one folder, which is what
tests, portable installs and the demo rely on.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import APP_NAME

HOME_ENV = "DECLARANT_DESK_HOME"
STORE_FILE = "declarations.db"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path
    demo: bool = False

    @property
    def store_path(self) -> Path:
        return self.data_dir / STORE_FILE

    @property
    def plugins_dir(self) -> Path:
        """Per-user plugins folder (pilot plugins)."""
        return self.data_dir / "plugins"

    @property
    def plugin_data_root(self) -> Path:
        return self.data_dir / "plugin-data"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.ini"

    def plugin_data_dir(self, plugin_id: str) -> Path:
        return self.plugin_data_root / plugin_id

    def ensure(self) -> "Paths":
        for p in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir):
            p.mkdir(parents=True, exist_ok=True)
        return self

    def for_demo(self) -> "Paths":
        """Everything of the demo lives in ``<data dir>/demo/``: it never touches real data."""
        if self.demo:
            return self
        return _inside(self.data_dir / "demo", demo=True)

    def as_dict(self) -> dict[str, str]:
        return {"data_dir": str(self.data_dir), "config_dir": str(self.config_dir),
                "log_dir": str(self.log_dir), "cache_dir": str(self.cache_dir)}


def _inside(root: Path, *, demo: bool = False) -> Paths:
    root = root.expanduser().resolve()
    return Paths(data_dir=root, config_dir=root / "config", log_dir=root / "logs",
                 cache_dir=root / "cache", demo=demo)


def resolve(data_dir: str | os.PathLike[str] | None = None, *, demo: bool = False) -> Paths:
    """The directories for this run (not created: call :meth:`Paths.ensure`)."""
    if data_dir:
        paths = _inside(Path(data_dir))
    elif os.environ.get(HOME_ENV):
        paths = _inside(Path(os.environ[HOME_ENV]))
    else:
        import platformdirs

        kw = dict(appname=APP_NAME, appauthor=False, roaming=False)
        paths = Paths(
            data_dir=Path(platformdirs.user_data_dir(**kw)),
            config_dir=Path(platformdirs.user_config_dir(**kw)),
            log_dir=Path(platformdirs.user_log_dir(appname=APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(appname=APP_NAME, appauthor=False)),
        )
    return paths.for_demo() if demo else paths
