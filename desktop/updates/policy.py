"""The update ring and update repository, as set by customs IT.

A workstation's ring is a machine policy the user cannot change from the program:

* **Windows**: ``HKLM\\Software\\Policies\\DeclarantDesk`` (``UpdateRing``, ``UpdateUrl``,
  ``UpdateCheck``), with ``HKCU\\Software\\Policies\\DeclarantDesk`` as the fallback. Both
  ``Policies`` keys are writable by administrators / Group Policy only.
* **Elsewhere**: ``/etc/declarant-desk/policy.toml``; the environment variable
  ``DECLARANT_DESK_POLICY_FILE`` names another file (tests, packaging)::

      [updates]
      ring = "pilot"            # "stable" (default) or "pilot"
      url = "https://feedback.example/updates/"   # or a file share: file://server/share/dd-updates,
                                                  # \\\\server\\share\\dd-updates, D:\\dd-updates
      check = true              # false switches automatic checks off

Without a policy the ring is **stable**. The install folder's ``update-config/update.toml``
(written by ``build_installer.py``) supplies the default repository URL; a policy URL wins.
An unreadable or invalid policy never stops the program: the defaults apply and
:func:`describe` says what was wrong.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

STABLE = "stable"
PILOT = "pilot"
RINGS = (STABLE, PILOT)
DEFAULT_RING = STABLE
POLICY_FILE_ENV = "DECLARANT_DESK_POLICY_FILE"
POLICY_FILE = Path("/etc/declarant-desk/policy.toml")
REGISTRY_KEY = r"Software\Policies\DeclarantDesk"
# the folder holding ``desktop/`` (the source tree, or ``app/`` in an installed layout)
APP_DIR = Path(__file__).resolve().parents[2]
BUNDLED_CONFIG_DIR = APP_DIR / "update-config"


@dataclass
class Policy:
    ring: str = DEFAULT_RING
    url: str | None = None
    check: bool = True
    source: str = ""          # where the ring came from ("" = default)
    problems: list[str] = field(default_factory=list)


def _normalise_ring(value: object, where: str, problems: list[str]) -> str | None:
    if value is None:
        return None
    ring = str(value).strip().lower()
    if ring in RINGS:
        return ring
    problems.append(f"{where}: unknown update ring {value!r} (expected stable or pilot); using stable")
    return None


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    return str(value).strip().lower() not in ("0", "false", "no", "off")


def _read_registry() -> list[tuple[str, dict]]:  # pragma: no cover - Windows only
    import winreg

    found = []
    for hive, name in ((winreg.HKEY_LOCAL_MACHINE, "HKLM"), (winreg.HKEY_CURRENT_USER, "HKCU")):
        try:
            key = winreg.OpenKey(hive, REGISTRY_KEY)
        except OSError:
            continue
        values: dict = {}
        with key:
            for value_name, wanted in (("UpdateRing", "ring"), ("UpdateUrl", "url"), ("UpdateCheck", "check")):
                try:
                    values[wanted] = winreg.QueryValueEx(key, value_name)[0]
                except OSError:
                    pass
        found.append((f"{name}\\{REGISTRY_KEY}", values))
    return found


def policy_file() -> Path:
    override = os.environ.get(POLICY_FILE_ENV)
    return Path(override) if override else POLICY_FILE


def _read_file(path: Path, problems: list[str]) -> list[tuple[str, dict]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc}); using the defaults")
        return []
    section = data.get("updates", {})
    if not isinstance(section, dict):
        problems.append(f"{path}: [updates] must be a table; using the defaults")
        return []
    return [(str(path), section)]


def _bundled_url(problems: list[str]) -> str | None:
    path = BUNDLED_CONFIG_DIR / "update.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc})")
        return None
    url = data.get("updates", {}).get("url") if isinstance(data.get("updates"), dict) else None
    return str(url) if url else None


def is_file_share(location: str) -> bool:
    """A repository on a folder or file share (``file://``, ``\\\\server\\share``, a drive path)."""
    text = location.strip()
    return (text.lower().startswith("file:") or text.startswith(("\\\\", "//", "/"))
            or bool(re.match(r"^[A-Za-z]:[\\/]", text)))


def read_policy() -> Policy:
    """The effective update policy (never raises)."""
    policy = Policy()
    sources: list[tuple[str, dict]] = []
    try:
        if sys.platform == "win32" and not os.environ.get(POLICY_FILE_ENV):
            sources = _read_registry()
        else:
            sources = _read_file(policy_file(), policy.problems)
    except Exception as exc:  # a broken policy store must not take the program down
        policy.problems.append(f"the update policy cannot be read: {exc}")
        log.warning("update policy unreadable", exc_info=True)
    # the first source (HKLM before HKCU) that sets a value wins
    for where, values in sources:
        ring = _normalise_ring(values.get("ring"), where, policy.problems)
        if ring and not policy.source:
            policy.ring, policy.source = ring, where
    for where, values in sources:
        if values.get("url") and policy.url is None:
            policy.url = str(values["url"]).strip()
    for where, values in sources:
        if "check" in values:
            policy.check = _as_bool(values["check"])
            break
    if policy.url is None:
        policy.url = _bundled_url(policy.problems)
    if policy.url and not (policy.url.startswith(("https://", "http://")) or is_file_share(policy.url)):
        policy.problems.append(f"update URL {policy.url!r} is neither an http(s) URL nor a file share; "
                               "updates are off")
        policy.url = None
    for problem in policy.problems:
        log.warning("update policy: %s", problem)
    return policy


def current_ring() -> str:
    """``"stable"`` or ``"pilot"``: the ring this workstation receives releases from."""
    return read_policy().ring


def ring_label(ring: str) -> str:
    return translate("UpdatePolicy", "pilot (release candidates)") if ring == PILOT else translate("UpdatePolicy", "stable")


def describe(policy: Policy | None = None) -> str:
    """One read-only line for Help → About, e.g. ``Update ring: pilot (set by …)``."""
    policy = policy or read_policy()
    text = translate("UpdatePolicy", "Update ring: {ring}").format(ring=ring_label(policy.ring))
    if policy.source:
        text += " — " + translate("UpdatePolicy", "set by IT policy ({source})").format(source=policy.source)
    else:
        text += " — " + translate("UpdatePolicy", "default (no IT policy)")
    if not policy.url:
        text += "; " + translate("UpdatePolicy", "no update repository configured")
    elif not policy.check:
        text += "; " + translate("UpdatePolicy", "automatic checks switched off by IT")
    if policy.problems:
        text += "; " + translate("UpdatePolicy", "policy problem: {problem}").format(problem=policy.problems[0])
    return text
