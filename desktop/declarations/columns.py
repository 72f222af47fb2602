"""Columns of the declaration list (Qt-free description).

A column shows either something computed from the row (``value(row) -> str``) or a plugin's
mark on the declaration (``mark_plugin`` + ``format(mark_value) -> str``). Rows reach a
column as dicts with the store's fields (:data:`desktop.core.store.ROW_COLUMNS`)
plus ``marks: {plugin_id: value}``; the marks of every mark column are joined into the block
fetch, so a plugin column costs no query of its own and does no I/O on the UI thread.

Colours are ``"#rrggbb"`` strings (or anything ``QColor`` accepts); alignment is
``"left"``, ``"right"`` or ``"center"``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from desktop.core.query import SORT_KEYS, mark_sort_key

__all__ = ["ColumnSpec", "Row"]

Row = Mapping[str, Any]


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str | Callable[[], str]  # a callable is asked each time: headers follow a language switch
    value: Callable[[Row], str] | None = None
    mark_plugin: str | None = None
    format: Callable[[str | None], str] | None = None
    tooltip: Callable[[Row], str | None] | None = None
    foreground: Callable[[Row], str | None] | None = None
    background: Callable[[Row], str | None] | None = None
    width: int = 100
    sortable: bool = True
    sort_key: str | None = None  # a key of query.SORT_KEYS; defaults to key / the mark
    align: str = "left"
    header_tooltip: str | Callable[[], str] | None = None

    def header_text(self) -> str:
        return str(self.header() if callable(self.header) else self.header)

    def header_tooltip_text(self) -> str:
        tip = self.header_tooltip
        return str(tip() if callable(tip) else tip) if tip is not None else self.header_text()

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a column needs a key")
        if self.value is None and self.mark_plugin is None:
            raise ValueError(f"column {self.key!r} needs value() or mark_plugin")
        if self.align not in ("left", "right", "center"):
            raise ValueError(f"column {self.key!r}: align must be left, right or center")

    @property
    def effective_sort_key(self) -> str | None:
        """The SQL sort key of this column, or None when it cannot be sorted in SQL."""
        if not self.sortable:
            return None
        if self.sort_key:
            return self.sort_key
        if self.mark_plugin:
            return mark_sort_key(self.mark_plugin)
        return self.key if self.key in SORT_KEYS else None

    def mark_of(self, row: Row) -> str | None:
        if not self.mark_plugin:
            return None
        marks = row.get("marks") or {}
        return marks.get(self.mark_plugin)

    def display(self, row: Row) -> str:
        """The cell text (never raises for a missing mark: ``format(None)`` or "")."""
        if self.mark_plugin is not None and self.value is None:
            mark = self.mark_of(row)
            if self.format is not None:
                text = self.format(mark)
            else:
                text = mark or ""
            return "" if text is None else str(text)
        assert self.value is not None
        text = self.value(row)
        return "" if text is None else str(text)
