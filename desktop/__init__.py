"""Declarant Desk: the desktop program (host shell, declaration list, plugin host, outbox).

``__version__`` is the single source of the program's version; ``pyproject.toml`` reads
it from here.
"""
from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "DeclarantDesk"
DISPLAY_NAME = "Declarant Desk"
