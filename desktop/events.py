"""The host's events as Qt signals (:class:`HostEvents`), shared by the host and every
plugin (``api.events``). A module of its own so that the program's start imports it
without the plugin API behind it."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

__all__ = ["HostEvents"]


class HostEvents(QObject):
    """Host events as Qt signals, shared by the host and every plugin (``api.events``)."""

    declarations_changed = Signal()  # the store changed (e.g. a feed merge)
    current_declaration_changed = Signal(str)  # selection in the list ("" when none)
    declaration_activated = Signal(str)  # Enter / double-click on a declaration
    signed_in_changed = Signal(bool)
    submissions_changed = Signal(object)  # {id: SubmissionEntry} of the items whose state changed
    language_changed = Signal(str)  # "vi" | "en"
    shutting_down = Signal()
