"""Host dialogs. Each exposes an ``ask(...)`` classmethod (tests replace it)."""
