"""Program settings: QSettings in INI format under the config directory. Never secrets.

Values written through :meth:`Settings.set_json` / :class:`NamespacedSettings` are stored
as JSON text, so types survive the INI round trip on every platform.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)

_SECRET_HINTS = ("password", "passwd", "token", "secret")
OUTBOX_RETENTION_DAYS = 30  # see docs/OUTBOX.md, retention


class SecretInSettings(ValueError):
    """Raised when code tries to keep something that looks like a secret in settings."""


def _check_key(key: str) -> None:
    low = key.lower()
    if any(h in low for h in _SECRET_HINTS):
        raise SecretInSettings(f"settings never hold secrets (key {key!r}); use desktop.credentials")


class Settings:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    # -- plain values (QByteArray for geometry, strings) ----------------------------------
    def value(self, key: str, default: Any = None) -> Any:
        return self.qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        _check_key(key)
        self.qsettings.setValue(key, value)

    def bytes(self, key: str) -> QByteArray | None:
        v = self.qsettings.value(key)
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    # -- JSON values ----------------------------------------------------------------------
    def get_json(self, key: str, default: Any = None) -> Any:
        raw = self.qsettings.value(key)
        if raw is None:
            return default
        try:
            return json.loads(raw)
        except (TypeError, ValueError):
            log.warning("ignoring an unreadable setting %s", key)
            return default

    def set_json(self, key: str, value: Any) -> None:
        _check_key(key)
        self.qsettings.setValue(key, json.dumps(value, ensure_ascii=False))

    def remove(self, key: str) -> None:
        self.qsettings.remove(key)

    def contains(self, key: str) -> bool:
        return self.qsettings.contains(key)

    def sync(self) -> None:
        self.qsettings.sync()

    # -- well-known keys --------------------------------------------------------------------
    def language(self) -> str | None:
        v = self.qsettings.value("ui/language")
        return v if v in ("vi", "en") else None

    def set_language(self, lang: str) -> None:
        if lang not in ("vi", "en"):
            raise ValueError(f"unknown language {lang!r}")
        self.set_value("ui/language", lang)

    def server_url(self) -> str | None:
        v = self.qsettings.value("server/url")
        return v.strip() if isinstance(v, str) and v.strip() else None

    def set_server_url(self, url: str | None) -> None:
        if url:
            self.set_value("server/url", url.strip())
        else:
            self.remove("server/url")

    def outbox_retention_days(self) -> int:
        """Days an item acknowledged by the server keeps its content (names, phone numbers) in
        the outbox before only its history stays (``sync/retention_days``, 1–3650, default 30)."""
        v = self.get_json("sync/retention_days", OUTBOX_RETENTION_DAYS)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 1 <= v <= 3650:
            return OUTBOX_RETENTION_DAYS
        return int(v)

    def set_outbox_retention_days(self, days: int) -> None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
            raise ValueError("the retention is a whole number of days from 1 to 3650")
        self.set_json("sync/retention_days", days)

    def disabled_plugins(self) -> set[str]:
        return set(self.get_json("plugins/disabled", []) or [])

    def enabled_plugins(self) -> set[str]:
        """Plugins switched on by the user although their manifest says enabled_by_default=false."""
        return set(self.get_json("plugins/enabled", []) or [])

    def set_plugin_enabled(self, plugin_id: str, enabled: bool) -> None:
        disabled, enabled_set = self.disabled_plugins(), self.enabled_plugins()
        if enabled:
            disabled.discard(plugin_id)
            enabled_set.add(plugin_id)
        else:
            disabled.add(plugin_id)
            enabled_set.discard(plugin_id)
        self.set_json("plugins/disabled", sorted(disabled))
        self.set_json("plugins/enabled", sorted(enabled_set))
        self.sync()

    def namespace(self, prefix: str) -> "NamespacedSettings":
        return NamespacedSettings(self, prefix)


class NamespacedSettings:
    """``get/set/remove/keys`` confined to ``<prefix>/`` (a plugin's own settings)."""

    def __init__(self, settings: Settings, prefix: str):
        self._settings = settings
        self.prefix = prefix.strip("/")

    def _key(self, key: str) -> str:
        if not key or "\\" in key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"invalid settings key {key!r}")
        return f"{self.prefix}/{key}"

    def get(self, key: str, default: Any = None) -> Any:
        return self._settings.get_json(self._key(key), default)

    def set(self, key: str, value: Any) -> None:
        self._settings.set_json(self._key(key), value)

    def remove(self, key: str) -> None:
        self._settings.remove(self._key(key))

    def keys(self) -> list[str]:
        q = self._settings.qsettings
        q.beginGroup(self.prefix)
        try:
            return list(q.allKeys())
        finally:
            q.endGroup()

    def __contains__(self, key: str) -> bool:
        return self._settings.contains(self._key(key))
