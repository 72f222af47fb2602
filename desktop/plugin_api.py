"""The public plugin API: everything a plugin imports from the host, and nothing else.

A plugin imports from this module only (and from ``domain``, the rules shared with the
server, and Qt for its own widgets)::

    from desktop.plugin_api import ColumnSpec, DeclarationFilter, HostApi, SubmissionState

The host hands each plugin an object of the :class:`HostApi` protocol (one per plugin: it
knows the plugin's id). The API is versioned by :data:`HOST_API_VERSION`; a plugin states the
versions it works with in its manifest (``host_api = ">=1.1,<2.0"``) and the host refuses to
load it otherwise, so a plugin never probes signatures.

Version history:

* 1.0 — menus, columns, startup prompts, declarations, marks, the outbox, the catalog,
  translation, settings, background tasks.
* 1.1 — ``submit(..., item_id=)``; ``enterprise_submissions()``; ``today()``;
  :class:`SubmissionState` as the one vocabulary of submission states (``pending``,
  ``sending``, ``sent``, ``failed``) and :class:`SubmissionEntry` as the typed entry;
  ``submissions_changed`` carries the entries of the items that changed.
* 1.2 — ``info_requests()``.
* 1.3 — ``TaskHandle.cancel()``; SQLite plumbing for a plugin's own store:
  :func:`sqlite_connect`, :class:`ConnectionPool`, :func:`sqlite_transaction`,
  :func:`move_aside` (from :mod:`desktop.core.sqlite`).

This module is Qt-free (an import-linter contract checks it): it can be imported by tools
and tests without a display.
"""
from __future__ import annotations

import enum
import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, Protocol, TypedDict, runtime_checkable

from desktop.core.sqlite import ConnectionPool, move_aside, transaction as sqlite_transaction
from desktop.core.sqlite import connect as sqlite_connect
from desktop.declarations.columns import ColumnSpec, Row
from desktop.core.query import DeclarationFilter, MarkFilter

if TYPE_CHECKING:  # pragma: no cover - Qt types, for type checkers only
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QWidget

    from desktop.hostapi import HostEvents, TaskHandle

__all__ = [
    "HOST_API_VERSION", "MENU_KEYS", "ColumnSpec", "DeclarationFilter", "HostApi", "HostServiceUnavailable",
    "MarkFilter", "MenuKey", "Row", "SubmissionCase", "SubmissionEntry", "SubmissionState", "SubmissionOrigin",
    # SQLite plumbing for a plugin's own store (desktop.core.sqlite)
    "ConnectionPool", "move_aside", "sqlite_connect", "sqlite_transaction",
]

HOST_API_VERSION = "1.3"

MenuKey = Literal["system", "export", "import", "other", "help"]
MENU_KEYS: tuple[MenuKey, ...] = ("system", "export", "import", "other", "help")


class HostServiceUnavailable(RuntimeError):
    """A host service the plugin asked for (outbox, declaration store, list…) is not
    available in this run. The message is translated and may be shown to the user."""


class SubmissionState(enum.StrEnum):
    """Where a submission is. The values are the strings the host reports (a
    ``SubmissionState`` compares equal to its value)."""

    PENDING = "pending"  # on disk, waiting for a connection (or the next attempt)
    SENDING = "sending"  # a request carrying it is on the wire
    SENT = "sent"  # the server acknowledged it (``server_ref``; answers may follow)
    FAILED = "failed"  # refused by the server (``code``, ``message``) or damaged here: never sent


SubmissionOrigin = Literal["local", "remote"]


class SubmissionCase(TypedDict, total=False):
    """Customs' case of a submission, as the server's feed tells it."""

    state: str  # new | assigned | in_review | answered | closed | reopened
    can_reopen: bool
    answer_due: str
    answered_at: str
    outcome: str


class SubmissionEntry(TypedDict, total=False):
    """What the host tells a plugin of one submission (``submission_states``,
    ``enterprise_submissions``, ``submissions_changed``).

    ``origin`` is "local" for items of this workstation's outbox and "remote" for those
    another workstation of the enterprise sent (those carry their ``payload``, less contact
    details). ``code``/``message`` say why a failed item was refused (``domain.errors`` has
    the texts); ``damaged`` marks an item whose stored copy was damaged on this computer.
    """

    id: str
    kind: str
    origin: SubmissionOrigin
    state: SubmissionState
    damaged: bool
    attempts: int
    last_error: str | None
    http_status: int | None
    code: str | None
    message: str | None
    created_at: str | None
    declaration_number: str | None
    server_ref: str | None
    received_at: str | None
    server_status: str | None  # received | in_review | answered
    verified: bool | None
    outcome: str | None
    answer: str | None
    answered_at: str | None
    case: SubmissionCase | None
    payload: dict[str, Any]


@runtime_checkable
class PluginSettings(Protocol):
    """A plugin's own settings (``api.settings``), kept between runs."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...

    def remove(self, key: str) -> None: ...

    def keys(self) -> list[str]: ...


class HostApi(Protocol):
    """The host, as one plugin sees it (one object per plugin).

    Callbacks a plugin hands to the host (menu actions, column formatters, startup prompts,
    background-task callbacks, teardown) are guarded: an exception is logged, shown in
    Help → Plugins as an error of that plugin, and never takes the host down. Everything but
    reads of the declaration store and :meth:`run_in_background` must be called on the UI
    thread.
    """

    plugin_id: str
    api_version: str
    host_version: str
    settings: PluginSettings
    events: "HostEvents"
    logger: logging.Logger  # named "plugins.<id>"

    # menus, columns, prompts
    def add_menu_action(self, menu_key: MenuKey, text: str, callback: Callable[[], Any], *,
                        shortcut: "str | QKeySequence | None" = None,
                        object_name: str | None = None) -> "QAction": ...

    def add_column(self, spec: ColumnSpec) -> None: ...

    def add_startup_prompt(self, callback: Callable[[], Any]) -> None: ...

    # declarations
    def declaration(self, number: str) -> dict[str, Any] | None: ...

    def handling(self, number: str) -> list[dict[str, Any]]: ...

    def count_declarations(self, flt: DeclarationFilter) -> int: ...

    def show_declarations(self, flt: DeclarationFilter) -> None: ...

    def current_declaration(self) -> str | None: ...

    def set_mark(self, number: str, value: str | None) -> None: ...

    def set_marks(self, marks: Mapping[str, str | None]) -> None: ...

    def marks(self, numbers: list[str]) -> dict[str, str]: ...

    # submissions and server data
    def submit(self, kind: str, payload: dict[str, Any], *, schema: int = 1,
               item_id: str | None = None) -> str: ...

    def submission_states(self, ids: list[str]) -> dict[str, SubmissionEntry]: ...

    def enterprise_submissions(self) -> dict[str, SubmissionEntry]: ...

    def info_requests(self) -> list[dict[str, Any]]: ...  # 1.2: customs' requests for the enterprise's information

    def catalog(self) -> dict[str, Any] | None: ...

    def signed_in(self) -> bool: ...

    # language, dates, paths
    def tr(self, text: str, context: str | None = None) -> str: ...

    def language(self) -> str: ...

    def today(self) -> date: ...

    def is_demo(self) -> bool: ...

    def data_dir(self) -> Path: ...

    # UI helpers and background work
    def parent_widget(self) -> "QWidget | None": ...

    def status_message(self, text: str, msecs: int = 5000) -> None: ...

    def run_in_background(self, fn: Callable[..., Any], *args: Any,
                          on_done: Callable[[Any], Any] | None = None,
                          on_error: Callable[[BaseException], Any] | None = None) -> "TaskHandle": ...

    def pending_tasks(self) -> int: ...


def entry_state(entry: Mapping[str, Any] | None) -> SubmissionState | None:
    """The state of an entry as a :class:`SubmissionState` (None for a missing or unknown one)."""
    if not entry:
        return None
    try:
        return SubmissionState(entry.get("state"))
    except ValueError:
        return None
