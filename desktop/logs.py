"""Logging: a rotating file in the user log directory, with secrets redacted.

Every record passes through :class:`RedactingFilter` before it is written: anything that
looks like a password, a token (``Bearer …``, ``token=…``, JSON ``"password": "…"``) or a
Vietnamese mobile number is replaced, the phone by :func:`domain.validation.mask_phone`.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from domain.validation import mask_phone

LOG_FILE = "declarant-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

_KEYS = r"(?:password|passwd|pwd|token|access_token|refresh_token|secret|api[_-]?key|authorization)"
_PATTERNS: list[tuple[re.Pattern[str], str | None]] = [
    # Authorization: Bearer xxx / Basic xxx
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 ***"),
    # "password": "…"  /  'token': '…'
    (re.compile(rf"""(?i)(["']{_KEYS}["']\s*:\s*)(["'])(?:\\.|(?!\2).)*\2"""), r"\1\2***\2"),
    # password=…  token: …  (up to whitespace, comma, quote or end)
    (re.compile(rf"""(?i)\b({_KEYS})(\s*[=:]\s*)(?!\s)([^\s,;'"&]+)"""), r"\1\2***"),
    # long opaque tokens (JWT-like)
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), "***"),
]
# Vietnamese mobiles: 0xxxxxxxxx or +84/84 with optional separators
_PHONE = re.compile(r"(?<![\d])(?:\+?84[\s.\-]?|0)[35789](?:[\s.\-]?\d){8}(?![\d])")


def redact(text: str) -> str:
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class SizeRotatingFileHandler(logging.FileHandler):
    """A log file rotated by size: ``name``, ``name.1`` … ``name.<backups>`` (oldest dropped).

    Same behaviour as ``logging.handlers.RotatingFileHandler`` for one process, without
    importing ``logging.handlers`` (sockets, pickle, queues) on the start-up path. When the
    files cannot be renamed (another copy of the program holds them on Windows) it keeps
    writing to the current file instead of failing.
    """

    def __init__(self, filename: Path, *, max_bytes: int, backups: int):
        super().__init__(str(filename), mode="a", encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_rotate(record):
                self._rotate()
        except Exception:  # noqa: BLE001 - never lose the record because of rotation
            pass
        super().emit(record)

    def _should_rotate(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, 2)
        return self.stream.tell() + len(self.format(record).encode("utf-8")) + 1 > self.max_bytes \
            and self.stream.tell() > 0

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        base = self.baseFilename
        try:
            for i in range(self.backups - 1, 0, -1):
                if os.path.exists(f"{base}.{i}"):
                    os.replace(f"{base}.{i}", f"{base}.{i + 1}")
            if self.backups > 0:
                os.replace(base, f"{base}.1")
            else:
                open(base, "w").close()
        except OSError:
            pass  # keep appending to the current file


_installed: list[logging.Handler] = []


def setup(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Install the rotating file handler (idempotent: a second call replaces the first)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for h in _installed:
        root.removeHandler(h)
        h.close()
    _installed.clear()
    path = log_dir / LOG_FILE
    handler = SizeRotatingFileHandler(path, max_bytes=MAX_BYTES, backups=BACKUPS)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    _installed.append(handler)
    if console:
        ch = logging.StreamHandler()
        ch.setFormatter(logging.Formatter(FORMAT))
        ch.addFilter(RedactingFilter())
        root.addHandler(ch)
        _installed.append(ch)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    return path
