"""Texts and small helpers shared by the plugin's widgets."""
from __future__ import annotations

import html
import re
from typing import Any, Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from domain.codes import CHANNELS, OFFICES, RATING_LEVELS, STATUSES, TARGET_KINDS, TYPE_CODES, reasons_for
from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS

from ..core import Problem, RatingState, TargetRating, star_string

_TARGET_FIELD = re.compile(r"^(ratings|targets)\[(\d+)\]")


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def fill(text: str, *args: Any) -> str:
    """Qt-style placeholders: ``fill("%1 of %2", a, b)``."""
    for i, value in enumerate(args, start=1):
        text = text.replace(f"%{i}", str(value))
    return text


def kind_label(kind: str, lang: str) -> str:
    code = TARGET_KINDS.get(kind)
    return code.label(lang) if code else kind


def target_title(t: TargetRating, lang: str) -> str:
    """"Công chức Nguyễn Văn An"; a name that already says what it is ("Chi cục HQ …",
    "Đội Thủ tục …") is not prefixed again."""
    return subject_text(t.kind, t.name, lang)


def subject_text(kind: str, name: str, lang: str) -> str:
    label = kind_label(kind, lang)
    first = label.split()[0].casefold() if label else ""
    if first and name.casefold().startswith(first):
        return name
    return f"{label} {name}"


def reason_label(code: str, lang: str) -> str:
    c = SATISFIED_REASONS.get(code) or DISSATISFIED_REASONS.get(code)
    return c.label(lang) if c else code


def level_label(stars: int, lang: str) -> str:
    level = RATING_LEVELS.get(stars)
    return level.label(lang) if level else ""


def status_label(status: str | None, lang: str) -> str:
    c = STATUSES.get(status or "")
    return c.label(lang) if c else (status or "")


def channel_label(channel: int | None, lang: str) -> str:
    c = CHANNELS.get(channel) if channel is not None else None
    return c.label(lang) if c else ""


def declaration_header(decl: Mapping[str, Any], lang: str) -> str:
    """Rich text: number, type, office, status and channel of a declaration."""
    number = html.escape(str(decl.get("number", "")))
    type_code = str(decl.get("type_code") or "")
    type_name = ""
    if type_code in TYPE_CODES:
        _, vi, en = TYPE_CODES[type_code]
        type_name = vi if lang == "vi" else en
    office = str(decl.get("office_code") or "")
    office_name = OFFICES[office].label(lang) if office in OFFICES else ""
    label = html.escape(translate("SatisfactionCommon", "Declaration"))
    parts = [f"<b>{label} {number}</b>"]
    if type_code:
        parts.append(html.escape(f"{type_code} {type_name}".strip()))
    if office:
        parts.append(html.escape(f"{office} {office_name}".strip()))
    status = status_label(decl.get("status"), lang)
    channel = channel_label(decl.get("channel"), lang)
    parts.append(html.escape(" · ".join(x for x in (status, channel) if x)))
    return " — ".join(p for p in parts if p)


def _state_texts(state: RatingState | str) -> tuple[str, str]:
    """(label, explanation) of an assessment state."""
    texts = {
        RatingState.NOT_ELIGIBLE: (translate("SatisfactionCommon", "Not yet possible"),
                                   translate("SatisfactionCommon", "Rating is not possible yet for this declaration.")),
        RatingState.UNRATED: (translate("SatisfactionCommon", "Not rated"),
                              translate("SatisfactionCommon", "This declaration can be rated.")),
        RatingState.QUEUED: (translate("SatisfactionCommon", "Queued"),
                             translate("SatisfactionCommon", "It will be sent when the connection returns.")),
        RatingState.SENT: (translate("SatisfactionCommon", "Sent"),
                           translate("SatisfactionCommon", "Received by customs, waiting for processing.")),
        RatingState.ANSWERED: (translate("SatisfactionCommon", "Answered"),
                               translate("SatisfactionCommon", "Customs has answered.")),
        RatingState.REJECTED: (translate("SatisfactionCommon", "Rejected"),
                               translate("SatisfactionCommon", "The server refused it: correct it and send it again.")),
    }
    return texts[RatingState(state)]


def state_label(state: RatingState | str) -> str:
    return _state_texts(state)[0]


def state_explanation(state: RatingState | str) -> str:
    return _state_texts(state)[1]


def server_state_label(value: str | None) -> str:
    return {
        "received": translate("SatisfactionCommon", "Received"),
        "in_review": translate("SatisfactionCommon", "Being verified"),
        "answered": translate("SatisfactionCommon", "Answered"),
    }.get(value or "", value or "")


def case_state_label(value: str | None) -> str:
    """Customs' handling of a reflection or low rating (the case), as the enterprise reads it."""
    return {
        "new": translate("SatisfactionCommon", "Received"),
        "assigned": translate("SatisfactionCommon", "Assigned to an official"),
        "in_review": translate("SatisfactionCommon", "Being verified"),
        "answered": translate("SatisfactionCommon", "Answered"),
        "closed": translate("SatisfactionCommon", "Closed"),
        "reopened": translate("SatisfactionCommon", "Reopened"),
    }.get(value or "", value or "")


def problem_text(p: Problem, targets: Sequence[TargetRating], lang: str) -> str:
    """A clear, translated sentence for one problem of a form."""
    who = ""
    m = _TARGET_FIELD.match(p.field)
    if m and int(m.group(2)) < len(targets):
        who = target_title(targets[int(m.group(2))], lang)
    names = {
        "detail": translate("SatisfactionCommon", "The detailed reason"),
        "contact.name": translate("SatisfactionCommon", "The contact person's full name"),
        "contact.phone": translate("SatisfactionCommon", "The contact phone number"),
        "name": translate("SatisfactionCommon", "The full name"),
        "phone": translate("SatisfactionCommon", "The phone number"),
        "content": translate("SatisfactionCommon", "The content"),
    }
    if p.code == "stars_missing":
        return fill(translate("SatisfactionCommon", "Choose 1 to 5 stars for %1."), who)
    if p.code == "reasons_missing":
        return fill(translate("SatisfactionCommon", "Choose at least one reason for %1."), who)
    if p.code == "phone_invalid":
        return translate("SatisfactionCommon", "The phone number is not valid: a mobile number has 10 digits and starts "
                                         "with 03, 05, 07, 08 or 09 (+84 is accepted).")
    if p.code == "too_long":
        what = fill(translate("SatisfactionCommon", "The comment on %1"), who) if who else names.get(p.field, p.field)
        return fill(translate("SatisfactionCommon", "%1 is too long: %2 characters, at most %3."), what, p.length, p.limit)
    if p.code == "required":
        if p.field == "detail":
            return translate("SatisfactionCommon", "Enter the detailed reason: it is required when a target gets 1 or 2 stars.")
        if p.field == "contact.name":
            return translate("SatisfactionCommon", "Enter the contact person's full name: it is required with 1 or 2 stars.")
        if p.field == "contact.phone":
            return translate("SatisfactionCommon", "Enter the contact person's mobile phone: it is required with 1 or 2 stars.")
        return fill(translate("SatisfactionCommon", "%1 is required."), names.get(p.field, p.field))
    if p.code == "not_eligible":
        return translate("SatisfactionCommon", "This declaration cannot be assessed yet: the goods must be released, "
                                         "brought to preservation or cleared.")
    if p.code == "not_eligible_reflection":
        return translate("SatisfactionCommon", "A reflection can be sent only once the declaration has been given a channel.")
    if p.code == "no_targets":
        return translate("SatisfactionCommon", "No handling records are known for this declaration yet, so there is nothing "
                                         "to rate. Synchronise and try again.")
    return fill(translate("SatisfactionCommon", "Not accepted by the rules of customs: %1"), f"{p.field}: {p.message}")


def reasons_text(codes: Sequence[str], lang: str) -> str:
    return "; ".join(reason_label(c, lang) for c in codes)


def stars_cell(stars: int, lang: str) -> str:
    return f"{star_string(stars)} {level_label(stars, lang)}"


def reason_codes_for(stars: int) -> list[str]:
    return list(reasons_for(stars)) if stars else []


def alive(widget: Any) -> bool:
    """The widget exists and Qt has not deleted it (a closed notice deletes itself)."""
    try:
        from shiboken6 import isValid
    except ImportError:  # pragma: no cover
        return widget is not None
    return widget is not None and isValid(widget)


def restyle(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property of the widget changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark a widget as needing attention (red frame via a dynamic property)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    restyle(widget)
    widget.update()


def set_banner(banner: QLabel, text: str, tone: str) -> None:
    """The banner of a form (``QLabel#banner``): ``tone`` "good", "bad" or "" (neutral)."""
    banner.setProperty("tone", tone)
    banner.setText(text)
    restyle(banner)


def problems_html(heading: str, problems: Sequence[Problem], targets: Sequence[TargetRating], lang: str) -> str:
    """The list of what to fix in a form, under its (translated) heading."""
    items = "".join(f"<li>{html.escape(problem_text(p, targets, lang))}</li>" for p in problems)
    return f"<b>{html.escape(heading)}</b><ul style='margin:0'>{items}</ul>"


def button(text: str, object_name: str | None = None, *, clicked: Callable[[], Any] | None = None,
           tooltip: str | None = None) -> QPushButton:
    """A push button of a dialog: its text, object name, tooltip and what a click does."""
    b = QPushButton(text)
    if object_name:
        b.setObjectName(object_name)
    if tooltip:
        b.setToolTip(tooltip)
    if clicked is not None:
        b.clicked.connect(clicked)
    return b


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """The buttons of a dialog, right-aligned in a row."""
    row = QHBoxLayout()
    row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


INVALID_STYLE = """
*[invalid="true"] { border: 2px solid #c62828; border-radius: 3px; }
QLabel#problems { color: #b71c1c; background: #fff8f8; padding: 2px 4px; }
QScrollArea#problemsArea { border: 1px solid #ef9a9a; border-radius: 3px; }
QLabel#targetKind { color: #455a64; font-weight: bold; }
QLabel#targetDetail { color: #607d8b; }
QFrame#targetRow { border: 2px solid transparent; border-bottom-color: #cfd8dc; border-radius: 4px; }
QFrame#targetRow[current="true"] { border-color: #1565c0; background: #f3f8fe; }
QLabel#banner { background: #e3f2fd; border: 1px solid #90caf9; border-radius: 3px; padding: 6px; }
QLabel#banner[tone="bad"] { background: #ffebee; border-color: #ef9a9a; }
QLabel#banner[tone="good"] { background: #e8f5e9; border-color: #a5d6a7; }
"""
