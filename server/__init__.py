"""The customs feedback server: HTTP API, storage (SQLite or PostgreSQL), reports, dashboard."""
from __future__ import annotations

try:
    from importlib.metadata import version as _version

    __version__ = _version("declarant-desk")
except Exception:  # noqa: BLE001 - not installed (running from a checkout)
    __version__ = "0.1.0"

API_PREFIX = "/api/v1"
