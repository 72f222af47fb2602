"""Discovering, loading, isolating and tearing down plugins.

Sources, in this order (the first plugin with a given id wins; later ones are reported as
duplicates):

1. bundled plugins: ``plugins/<id>/plugin.toml`` next to the ``desktop`` package;
2. pip-installed plugins: the entry-point group ``declarant_desk.plugins`` (the manifest is
   the ``plugin.toml`` of the entry point's top-level package);
3. the per-user plugins folder ``<data dir>/plugins/<id>/`` (pilot plugins);
4. folders listed in ``DECLARANT_DESK_PLUGIN_PATH`` (for development and tests).

The manifest is read (tomllib) and checked — id, name, version, host API range, entry —
before any plugin code is imported. A plugin whose import or entry callable raises, or
whose host API range excludes this host, is isolated: it is listed with its state and
error in Help → Plugins and the host keeps working.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import re
import sys
import tomllib
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication

from .hostapi import HOST_API_VERSION, HostApi

log = logging.getLogger(__name__)

MANIFEST = "plugin.toml"
ENTRY_POINT_GROUP = "declarant_desk.plugins"
PLUGIN_PATH_ENV = "DECLARANT_DESK_PLUGIN_PATH"
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "plugins"
EXTERNAL_PACKAGE = "declarant_desk_external_plugins"

# states
LOADED = "loaded"
DISABLED = "disabled"
FAILED = "failed"  # import or entry callable raised
INCOMPATIBLE = "incompatible"  # host API range excludes this host
INVALID = "invalid"  # manifest missing or malformed
DUPLICATE = "duplicate"
PROBLEM_STATES = (FAILED, INCOMPATIBLE, INVALID)

_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_ENTRY_RE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
REQUIRED_FIELDS = ("id", "name", "version", "host_api", "entry")


def _tr(text: str) -> str:
    return QCoreApplication.translate("PluginHost", text)


class ManifestError(ValueError):
    pass


# ---- version ranges --------------------------------------------------------------------------

def _version_tuple(text: str) -> tuple[int, ...]:
    parts = text.strip().split(".")
    if not parts or not all(p.isdigit() for p in parts):
        raise ManifestError(_tr("not a version number: %1").replace("%1", repr(text)))
    nums = [int(p) for p in parts]
    while len(nums) > 1 and nums[-1] == 0:
        nums.pop()
    return tuple(nums)


_CLAUSE_RE = re.compile(r"^\s*(>=|<=|==|!=|>|<|~=)?\s*([0-9][0-9.]*)\s*$")


def version_in_range(version: str, spec: str) -> bool:
    """True when ``version`` satisfies ``spec`` (e.g. ">=1.0,<2.0"; a bare "1.0" means ==).

    Raises :class:`ManifestError` for a malformed range."""
    if not isinstance(spec, str) or not spec.strip():
        raise ManifestError(_tr("host_api must be a version range such as \">=1.0,<2.0\""))
    v = _version_tuple(version)
    for clause in spec.split(","):
        m = _CLAUSE_RE.match(clause)
        if not m:
            raise ManifestError(_tr("malformed host_api clause %1").replace("%1", repr(clause.strip())))
        op, ref_text = m.group(1) or "==", m.group(2)
        ref = _version_tuple(ref_text)
        if op == "~=":  # compatible release: >= ref and same prefix but the last part
            raw = [int(p) for p in ref_text.split(".")]
            if len(raw) < 2:
                raise ManifestError(_tr("~= needs at least two version parts"))
            ok = v >= ref and _version_tuple(".".join(map(str, raw[:-1]))) == v[: len(raw) - 1]
        else:
            ok = {">=": v >= ref, "<=": v <= ref, ">": v > ref, "<": v < ref,
                  "==": v == ref, "!=": v != ref}[op]
        if not ok:
            return False
    return True


# ---- manifest ----------------------------------------------------------------------------------

@dataclass
class Manifest:
    id: str
    name: str
    version: str
    host_api: str
    entry: str
    name_en: str = ""
    description: str = ""
    description_en: str = ""
    enabled_by_default: bool = True
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def display_name(self, lang: str = "vi") -> str:
        return (self.name_en or self.name) if lang == "en" else self.name

    def display_description(self, lang: str = "vi") -> str:
        return (self.description_en or self.description) if lang == "en" else self.description


def parse_manifest(data: dict[str, Any], *, folder_name: str | None = None) -> Manifest:
    missing = [k for k in REQUIRED_FIELDS if not isinstance(data.get(k), str) or not data.get(k, "").strip()]
    if missing:
        raise ManifestError(_tr("missing or empty manifest fields: %1").replace("%1", ", ".join(missing)))
    pid = data["id"].strip()
    if not _ID_RE.match(pid):
        raise ManifestError(_tr("invalid plugin id %1 (lower-case letters, digits and _)").replace("%1", repr(pid)))
    if folder_name is not None and folder_name != pid:
        raise ManifestError(_tr("the folder is named %1 but the manifest id is %2")
                            .replace("%1", repr(folder_name)).replace("%2", repr(pid)))
    entry = data["entry"].strip()
    if not _ENTRY_RE.match(entry):
        raise ManifestError(_tr("entry must be 'module:callable', not %1").replace("%1", repr(entry)))
    version_in_range(HOST_API_VERSION, data["host_api"])  # validates the syntax
    enabled = data.get("enabled_by_default", True)
    if not isinstance(enabled, bool):
        raise ManifestError(_tr("enabled_by_default must be true or false"))
    from domain.text import nfc

    return Manifest(id=pid, name=nfc(data["name"].strip()), version=data["version"].strip(),
                    host_api=data["host_api"].strip(), entry=entry,
                    name_en=str(data.get("name_en", "")).strip(),
                    description=nfc(str(data.get("description", "")).strip()),
                    description_en=str(data.get("description_en", "")).strip(),
                    enabled_by_default=enabled, raw=dict(data))


def read_manifest(path: Path, *, folder_name: str | None = None) -> Manifest:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ManifestError(_tr("no plugin.toml in %1").replace("%1", str(path.parent))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(_tr("plugin.toml is not valid TOML: %1").replace("%1", str(exc))) from None
    except OSError as exc:
        raise ManifestError(_tr("cannot read plugin.toml: %1").replace("%1", str(exc))) from None
    return parse_manifest(data, folder_name=folder_name)


# ---- records -------------------------------------------------------------------------------------

@dataclass
class PluginError:
    where: str
    message: str
    details: str = ""


@dataclass
class PluginRecord:
    """One discovered plugin and what happened to it."""
    id: str
    source: str  # "bundled" | "entry point" | "user" | "path"
    location: str
    manifest: Manifest | None = None
    state: str = "discovered"
    error: str = ""  # the load error (failed/incompatible/invalid/duplicate)
    errors: list[PluginError] = field(default_factory=list)  # runtime errors from callbacks
    api: HostApi | None = None
    instance: Any = None
    package: str | None = None  # import name of the plugin package (folder plugins)
    entry_point: Any = None
    translators: list[Any] = field(default_factory=list)

    @property
    def version(self) -> str:
        return self.manifest.version if self.manifest else ""

    def name(self, lang: str = "vi") -> str:
        return self.manifest.display_name(lang) if self.manifest else self.id

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "state": self.state,
                "error": self.error or (self.errors[-1].message if self.errors else ""),
                "source": self.source, "runtime_errors": len(self.errors)}


# ---- the host ---------------------------------------------------------------------------------

_prefetched: list[Any] | None = None


def prefetch_entry_points() -> None:
    """Read the installed plugins' entry points now (reading every installed package's
    metadata takes a while): an interactive start calls this on a worker thread while the
    window is painted, and :meth:`PluginHost.discover` takes the result."""
    global _prefetched
    from importlib.metadata import entry_points

    try:
        _prefetched = list(entry_points(group=ENTRY_POINT_GROUP))
    except Exception:  # noqa: BLE001 - discover() reads them again and reports the problem
        _prefetched = None


def take_prefetched_entry_points() -> list[Any]:
    """The prefetched entry points (once), or the entry points read now."""
    global _prefetched
    eps, _prefetched = _prefetched, None
    if eps is not None:
        return eps
    from importlib.metadata import entry_points

    return list(entry_points(group=ENTRY_POINT_GROUP))


class PluginHost:
    """Finds, loads and tears down plugins for one :class:`desktop.app.AppContext`."""

    def __init__(self, ctx: Any, *, bundled_dir: Path | None = BUNDLED_DIR,
                 user_dir: Path | None = None, extra_dirs: list[Path] | None = None,
                 entry_points: bool = True):
        self.ctx = ctx
        self.bundled_dir = bundled_dir
        self.user_dir = user_dir if user_dir is not None else ctx.paths.plugins_dir
        env_dirs = [Path(p).resolve() for p in os.environ.get(PLUGIN_PATH_ENV, "").split(os.pathsep) if p.strip()]
        self.extra_dirs = [Path(d).resolve() for d in (extra_dirs or [])] + env_dirs
        self.use_entry_points = entry_points
        self.records: dict[str, PluginRecord] = {}
        self.duplicates: list[PluginRecord] = []
        self.prompts_done = False
        self.listeners: list[Callable[[PluginRecord], None]] = []

    # -- discovery --------------------------------------------------------------------------------
    def discover(self) -> list[PluginRecord]:
        found: list[PluginRecord] = []
        if self.bundled_dir is not None:
            found += self._scan_dir(self.bundled_dir, "bundled", package_base="plugins")
        if self.use_entry_points:
            found += self._scan_entry_points()
        if self.user_dir is not None:
            found += self._scan_dir(self.user_dir, "user", package_base=EXTERNAL_PACKAGE)
        for d in self.extra_dirs:
            found += self._scan_dir(d, "path", package_base=EXTERNAL_PACKAGE)
        for rec in found:
            if rec.id in self.records:
                rec.state = DUPLICATE
                rec.error = (_tr("a plugin with the id %1 is already provided by %2")
                             .replace("%1", repr(rec.id)).replace("%2", self.records[rec.id].location))
                self.duplicates.append(rec)
                log.warning("plugin %s at %s ignored: %s", rec.id, rec.location, rec.error)
            else:
                self.records[rec.id] = rec
        return list(self.records.values())

    def _scan_dir(self, root: Path, source: str, *, package_base: str) -> list[PluginRecord]:
        out: list[PluginRecord] = []
        if not root.is_dir():
            return out
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if folder.name.startswith((".", "_")):
                continue
            manifest_path = folder / MANIFEST
            if not manifest_path.exists():
                continue  # not a plugin folder (e.g. a helper package)
            rec = PluginRecord(id=folder.name, source=source, location=str(folder))
            try:
                rec.manifest = read_manifest(manifest_path, folder_name=folder.name)
                rec.package = f"{package_base}.{folder.name}"
            except ManifestError as exc:
                rec.state, rec.error = INVALID, str(exc)
                log.warning("plugin folder %s: %s", folder, exc)
            out.append(rec)
        return out

    def _scan_entry_points(self) -> list[PluginRecord]:
        out: list[PluginRecord] = []
        try:
            eps = take_prefetched_entry_points()
        except Exception as exc:  # noqa: BLE001 - broken metadata must not stop the host
            log.warning("cannot list installed plugins: %s", exc)
            return out
        for ep in eps:
            rec = PluginRecord(id=ep.name, source="entry point", location=f"{ep.value}", entry_point=ep)
            try:
                top = ep.value.split(":")[0].split(".")[0]
                spec = importlib.util.find_spec(top)  # locates without executing the package
                if spec is None or not spec.submodule_search_locations:
                    raise ManifestError(_tr("package %1 of the entry point %2 not found")
                                        .replace("%1", repr(top)).replace("%2", repr(ep.name)))
                folder = Path(list(spec.submodule_search_locations)[0])
                rec.location = str(folder)
                rec.manifest = read_manifest(folder / MANIFEST)
                if rec.manifest.id != ep.name:
                    raise ManifestError(_tr("the entry point name %1 differs from the manifest id %2")
                                        .replace("%1", repr(ep.name)).replace("%2", repr(rec.manifest.id)))
            except (ManifestError, ImportError, ValueError) as exc:
                rec.state, rec.error = INVALID, str(exc)
            out.append(rec)
        return out

    # -- loading ------------------------------------------------------------------------------------
    def is_enabled(self, rec: PluginRecord) -> bool:
        settings = self.ctx.settings
        if rec.id in settings.disabled_plugins():
            return False
        if rec.manifest is not None and not rec.manifest.enabled_by_default:
            return rec.id in settings.enabled_plugins()
        return True

    def load_all(self) -> list[PluginRecord]:
        if not self.records:
            self.discover()
        for rec in self.records.values():
            if rec.state == "discovered":
                self.load(rec)
        return list(self.records.values())

    def load(self, rec: PluginRecord) -> PluginRecord:
        if rec.manifest is None:
            return rec
        if not self.is_enabled(rec):
            rec.state = DISABLED
            log.info("plugin %s is disabled", rec.id)
            return rec
        try:
            compatible = version_in_range(HOST_API_VERSION, rec.manifest.host_api)
        except ManifestError as exc:
            rec.state, rec.error = INVALID, str(exc)
            return rec
        if not compatible:
            rec.state = INCOMPATIBLE
            rec.error = (_tr("needs host API %1; this program provides %2")
                         .replace("%1", rec.manifest.host_api).replace("%2", HOST_API_VERSION))
            log.warning("plugin %s: %s", rec.id, rec.error)
            return rec
        self._install_translator(rec)
        api = HostApi(self.ctx, rec.id, manifest=rec.manifest, report_error=self.record_error)
        rec.api = api
        try:
            factory = self._resolve_entry(rec)
            instance = factory(api)
        except BaseException as exc:  # noqa: BLE001 - isolation, includes SystemExit from plugin code
            if isinstance(exc, KeyboardInterrupt):
                raise
            rec.state = FAILED
            rec.error = f"{type(exc).__name__}: {exc}"
            rec.errors.append(PluginError("load", rec.error, traceback.format_exc()))
            log.error("plugin %s failed to load: %s", rec.id, rec.error, exc_info=True)
            api._retract()
            self._remove_translators(rec)
            rec.api = None
            return rec
        rec.instance = instance
        rec.state = LOADED
        log.info("plugin %s %s loaded from %s", rec.id, rec.version, rec.location)
        return rec

    def _ensure_package(self, rec: PluginRecord) -> None:
        """Make the plugin folder importable as ``rec.package`` (not executed yet)."""
        assert rec.package is not None
        base, _, name = rec.package.rpartition(".")
        folder = Path(rec.location)
        if base == "plugins" and folder.parent.resolve() == BUNDLED_DIR.resolve():
            return  # the real ``plugins`` package
        if base not in sys.modules:
            ns = types.ModuleType(base)
            ns.__path__ = []  # type: ignore[attr-defined]
            ns.__doc__ = "Plugins loaded from folders outside the program."
            sys.modules[base] = ns
        existing = sys.modules.get(rec.package)
        if existing is not None:
            if [str(Path(p)) for p in getattr(existing, "__path__", [])] == [str(folder)]:
                return
            # same id from another folder earlier in this process (tests, a re-installed
            # pilot plugin): forget the old modules
            for name in [n for n in sys.modules if n == rec.package or n.startswith(rec.package + ".")]:
                del sys.modules[name]
        init = folder / "__init__.py"
        if not init.exists():  # a plain folder: a package without code of its own
            module = types.ModuleType(rec.package)
            module.__path__ = [str(folder)]  # type: ignore[attr-defined]
            module.__file__ = None
            sys.modules[rec.package] = module
            return
        spec = importlib.util.spec_from_file_location(rec.package, init,
                                                      submodule_search_locations=[str(folder)])
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import the plugin folder {folder}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[rec.package] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(rec.package, None)
            raise

    def _resolve_entry(self, rec: PluginRecord) -> Callable[[HostApi], Any]:
        assert rec.manifest is not None
        if rec.entry_point is not None:
            return rec.entry_point.load()
        module_name, _, attr = rec.manifest.entry.partition(":")
        self._ensure_package(rec)
        assert rec.package is not None
        if module_name == rec.package or module_name.startswith(rec.package + "."):
            full = module_name
        else:
            full = f"{rec.package}.{module_name}"
        module = importlib.import_module(full)
        factory = getattr(module, attr, None)
        if not callable(factory):
            raise ImportError(f"{full} has no callable {attr!r}")
        return factory

    # -- translations ---------------------------------------------------------------------------------
    def _i18n_dir(self, rec: PluginRecord) -> Path:
        return Path(rec.location) / "i18n"

    def _install_translator(self, rec: PluginRecord) -> None:
        from PySide6.QtCore import QCoreApplication, QTranslator

        self._remove_translators(rec)
        lang = getattr(self.ctx, "language", "vi")
        qm = self._i18n_dir(rec) / f"{rec.id}_{lang}.qm"
        if not qm.exists():
            return
        tr = QTranslator()
        if tr.load(str(qm)):
            QCoreApplication.installTranslator(tr)
            rec.translators.append(tr)
        else:
            log.warning("plugin %s: cannot load %s", rec.id, qm)

    def _remove_translators(self, rec: PluginRecord) -> None:
        from PySide6.QtCore import QCoreApplication

        for tr in rec.translators:
            QCoreApplication.removeTranslator(tr)
        rec.translators.clear()

    def retranslate(self) -> None:
        """Reload every loaded plugin's catalogue for the context's current language."""
        for rec in self.records.values():
            if rec.state == LOADED:
                self._install_translator(rec)

    # -- runtime errors, prompts, teardown ---------------------------------------------------------------
    def record_error(self, plugin_id: str, where: str, exc: BaseException | str) -> None:
        rec = self.records.get(plugin_id)
        if rec is None:
            return
        if isinstance(exc, BaseException):
            message = f"{type(exc).__name__}: {exc}"
            details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        else:
            message, details = str(exc).splitlines()[0] if str(exc) else "", str(exc)
        rec.errors.append(PluginError(where, message, details))
        del rec.errors[:-50]  # keep the last 50
        status = getattr(self.ctx, "status_bar", None)
        if status is not None:
            from PySide6.QtCore import QCoreApplication

            status.showMessage(QCoreApplication.translate(
                "PluginHost", "The plugin “%1” had an error (see Help → Plugins).").replace("%1", rec.name(
                    getattr(self.ctx, "language", "vi"))), 8000)
        for listener in list(self.listeners):
            try:
                listener(rec)
            except Exception:  # noqa: BLE001
                log.exception("plugin error listener failed")

    def run_startup_prompts(self) -> None:
        self.prompts_done = True
        for rec in self.records.values():
            if rec.state != LOADED or rec.api is None:
                continue
            for prompt in list(rec.api.startup_prompts):
                rec.api.guarded(prompt, "startup prompt")()

    def teardown_all(self) -> None:
        for rec in reversed(list(self.records.values())):
            if rec.state != LOADED:
                continue
            teardown = getattr(rec.instance, "teardown", None)
            if callable(teardown) and rec.api is not None:
                rec.api.guarded(teardown, "teardown")()
            if rec.api is not None:
                rec.api.closed = True
            self._remove_translators(rec)
            rec.state = "stopped"

    # -- reporting ---------------------------------------------------------------------------------------
    def all_records(self) -> list[PluginRecord]:
        return list(self.records.values()) + self.duplicates

    def problems(self) -> list[PluginRecord]:
        return [r for r in self.all_records() if r.state in PROBLEM_STATES]

    def summary(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.all_records()]
