"""The declaration list's column "Đánh giá": what each row shows of the plugin's mark (state,
the lowest stars given, reflections), its colour and tooltip.

The list joins the marks into its block fetch, so the column runs no query of its own; an
eligible declaration without a mark shows "Chưa đánh giá".
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.plugin_api import ColumnSpec
from domain.codes import can_assess

from .core import PLUGIN_ID, Mark, RatingState, rating_state, star_string

COLOURS = {RatingState.UNRATED: "#e65100", RatingState.QUEUED: "#6d4c41", RatingState.SENT: "#1565c0",
           RatingState.ANSWERED: "#2e7d32", RatingState.REJECTED: "#c62828"}


def reflections_text(count: int, answered: int) -> str:
    """"2 reflections", "1 reflection, answered", "2 reflections (1 answered)"."""
    text = QCoreApplication.translate("SatisfactionPlugin", "%n reflection(s)", None, count)
    if answered and answered >= count:
        text += QCoreApplication.translate("SatisfactionPlugin", ", answered")
    elif answered:
        text += " (" + QCoreApplication.translate("SatisfactionPlugin", "%n answered", None, answered) + ")"
    return text


def mark_text(value: str | None) -> str:
    """Text of the "Đánh giá" column for a mark: state, the lowest stars given, reflections."""
    mark = Mark.decode(value)
    if mark is None:
        return ""
    labels = {
        RatingState.QUEUED: QCoreApplication.translate("SatisfactionPlugin", "Queued"),
        RatingState.SENT: QCoreApplication.translate("SatisfactionPlugin", "Sent"),
        RatingState.ANSWERED: QCoreApplication.translate("SatisfactionPlugin", "Answered"),
        RatingState.REJECTED: QCoreApplication.translate("SatisfactionPlugin", "Rejected"),
        RatingState.REFLECTED: QCoreApplication.translate("SatisfactionPlugin", "Not rated"),
    }
    text = labels[mark.state]
    if mark.min_stars:
        text += " " + star_string(mark.min_stars)
    if mark.reflections:
        text += " · " + reflections_text(mark.reflections, mark.answered)
    return text


def row_text(row: Any, mark_value: str | None) -> str:
    """The column for a row: the mark, or "Chưa đánh giá" for an eligible unmarked one."""
    mark = Mark.decode(mark_value)
    eligible = can_assess(str(row.get("status") or ""), row.get("channel"))
    if mark is not None and mark.state is RatingState.REFLECTED and not eligible:
        return reflections_text(mark.reflections, mark.answered)
    if mark is not None:
        return mark_text(mark_value)
    if eligible:
        return QCoreApplication.translate("SatisfactionPlugin", "Not rated")
    return ""


def _row_mark(row: Any) -> str | None:
    return (row.get("marks") or {}).get(PLUGIN_ID)


def column_value(row: Any) -> str:
    return row_text(row, _row_mark(row))


def column_state(row: Any) -> RatingState:
    return rating_state(str(row.get("status") or ""), row.get("channel"), _row_mark(row))


def column_colour(row: Any) -> str | None:
    return COLOURS.get(column_state(row))


def column_tooltip(row: Any) -> str | None:
    from .widgets.common import state_explanation

    state = column_state(row)
    return None if state is RatingState.NOT_ELIGIBLE else state_explanation(state)


def assessment_column() -> ColumnSpec:
    """The column's definition for ``HostApi.add_column``."""
    return ColumnSpec(
        key="satisfaction.state",
        header=lambda: QCoreApplication.translate("SatisfactionPlugin", "Assessment"),
        mark_plugin=PLUGIN_ID, value=column_value, foreground=column_colour, tooltip=column_tooltip,
        width=150, sortable=True,
        header_tooltip=lambda: QCoreApplication.translate(
            "SatisfactionPlugin", "Service-quality assessment: not rated, queued, sent, answered or rejected; "
                                  "the stars are the lowest level given"))
