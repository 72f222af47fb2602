"""The assessment plugin's rules, without Qt.

* rating states of a declaration and how they are written as a per-plugin mark on it;
* the assessment form model, built from the declaration's handling records (and the
  catalog for names), turned into the wire payload and checked with the shared rules of
  ``domain.submissions`` (the very functions the server runs);
* the reflection form model;
* drafts as plain JSON (a draft survives a crash or closing the program);
* the reminder rule (which declarations count as "not yet rated", the list's filter for
  them, when to warn).

Problems found in a form are reported as :class:`Problem` values with a machine code; the
widgets turn the code into translated text, so this module has no user-visible strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Callable, ClassVar, Iterable, Mapping, Self

from domain.codes import (
    ASSESSMENT_STATUSES, LOW_RATING_MAX_STARS, RATING_LEVELS, TARGET_KINDS, can_assess, can_reflect,
    reasons_for,
)
from domain.submissions import (
    MAX_COMMENT, MAX_CONTENT, MAX_DETAIL, MAX_NAME, SubmissionInvalid, validate_assessment,
    validate_reflection,
)
from domain.text import TextTooLong, clean_text, nfc
from domain.validation import InvalidPhone, normalize_phone

from desktop.plugin_api import DeclarationFilter, MarkFilter, SubmissionEntry, SubmissionState, entry_state

PLUGIN_ID = "satisfaction"
ALREADY_ASSESSED = "already_assessed"  # the server's code: the declaration has its final assessment
UNRATED_TITLE_VI = "Tờ khai chưa đánh giá"
DRAFT_VERSION = 1
DEFAULT_REMINDER_DAYS = 30
# Display order of the targets in the form: officials, teams, stages, branches (the order
# in which the issue and the vendor's release note list them).
KIND_ORDER = ("official", "team", "stage", "branch")


# ---- Rating state and the mark on a declaration ----------------------------------------

class RatingState(str, Enum):
    NOT_ELIGIBLE = "not_eligible"  # no channel yet, cancelled, or still in procedure
    UNRATED = "unrated"            # eligible, nothing sent
    QUEUED = "queued"              # in the outbox, not yet acknowledged by the server
    SENT = "sent"                  # acknowledged by the server
    ANSWERED = "answered"          # the server processed it and sent an answer
    REJECTED = "rejected"          # the server refused it (dead letter): fix and resend
    REFLECTED = "reflected"        # only reflections were sent (mark only; not an assessment)


MARK_STATES = (RatingState.QUEUED, RatingState.SENT, RatingState.ANSWERED, RatingState.REJECTED,
               RatingState.REFLECTED)
# Marks of a declaration whose final assessment is on its way or done: every other
# eligible declaration (no mark, only reflections, or a rejected assessment) is "not yet rated".
RATED_MARK_PATTERNS = frozenset({"queued:*", "sent:*", "answered:*"})


@dataclass(frozen=True)
class Mark:
    """The plugin's mark on a declaration: ``"<state>:<min stars>[:r<reflections>[:a<answered>]]"``.

    A declaration with an eligible status and no "rated" mark (:data:`RATED_MARK_PATTERNS`)
    is "not yet rated"; the list filters that in SQL with a mark filter, so the mark is set
    as soon as the assessment is queued. Reflections alone give ``reflected:0:rN``, which
    still counts as not rated; ``aN`` says how many of them customs answered (at most N).
    Which mark a declaration gets is decided in one place, ``tracker.declaration_mark``.
    """
    state: RatingState
    min_stars: int = 0
    reflections: int = 0
    answered: int = 0

    def encode(self) -> str:
        text = f"{self.state.value}:{self.min_stars}"
        if self.reflections:
            text += f":r{self.reflections}"
            if self.answered:
                text += f":a{min(self.answered, self.reflections)}"
        return text

    @classmethod
    def decode(cls, value: str | None) -> "Mark | None":
        if not value:
            return None
        parts = value.split(":")
        try:
            state = RatingState(parts[0])
        except ValueError:
            return None
        if state not in MARK_STATES:
            return None
        stars = 0
        reflections = 0
        answered = 0
        if len(parts) > 1 and parts[1].isdigit():
            stars = max(0, min(5, int(parts[1])))
        if len(parts) > 2 and parts[2].startswith("r") and parts[2][1:].isdigit():
            reflections = int(parts[2][1:])
        if len(parts) > 3 and parts[3].startswith("a") and parts[3][1:].isdigit():
            answered = int(parts[3][1:])
        return cls(state, stars, reflections, answered)


def star_string(stars: int) -> str:
    """``★★★★☆`` for 4 (text, not colour only: readable in the list and by screen readers)."""
    stars = max(0, min(5, stars))
    return "★" * stars + "☆" * (5 - stars)


def rating_state(status: str | None, channel: int | None, mark: str | None) -> RatingState:
    """The assessment state of a declaration (reflections alone do not count)."""
    decoded = Mark.decode(mark)
    if decoded is not None and decoded.state is not RatingState.REFLECTED:
        return decoded.state
    if status is not None and can_assess(status, channel):
        return RatingState.UNRATED
    return RatingState.NOT_ELIGIBLE


def state_from_outbox(entry: SubmissionEntry | Mapping[str, Any] | None) -> RatingState:
    """Map a submission's entry (``HostApi.submission_states``) to the rating state.

    ``state`` is a :class:`SubmissionState`: pending / sending / sent / failed (failed =
    refused by the server, with ``code`` and ``message``, or damaged here) and, once the
    server's status was polled, ``server_status`` (received / in_review / answered) and
    ``answer``. Unknown or missing entries stay queued: the item was written to the outbox
    first, and queued items never expire.
    """
    state = entry_state(entry)
    if entry is None or state is None:
        return RatingState.QUEUED
    if state is SubmissionState.FAILED:
        return RatingState.REJECTED
    if entry.get("answer") or entry.get("server_status") == "answered":
        return RatingState.ANSWERED
    if state is SubmissionState.SENT:
        return RatingState.SENT
    return RatingState.QUEUED


def refusal_reason(row: Mapping[str, Any], lang: str = "vi") -> str:
    """Why the server refused a submission, in the user's language: the text of its stable
    code; the server's own (English) message only for an English reader of an unknown code."""
    from domain.errors import ITEM_REFUSALS, refusal_text

    code = row.get("error_code") or row.get("code")
    if code in ITEM_REFUSALS or lang != "en":
        return refusal_text(code, lang)
    return str(row.get("error_message") or row.get("message") or refusal_text(code, lang))


# ---- Problems found in a form ------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing to fix. ``field`` names the widget (``"ratings[2].reasons"``, ``"contact.phone"``),
    ``code`` the kind of problem, ``limit``/``length`` the figures of a length problem."""
    field: str
    code: str
    limit: int = 0
    length: int = 0
    message: str = ""  # the shared rules' own text, for codes the UI does not know


class FormInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


def _check_text(problems: list[Problem], field_name: str, value: str, limit: int, *,
                required: bool, multiline: bool) -> str:
    try:
        cleaned = clean_text(value or "", limit, multiline=multiline)
    except TextTooLong as exc:
        problems.append(Problem(field_name, "too_long", limit=exc.limit, length=exc.length))
        return ""
    if required and not cleaned:
        problems.append(Problem(field_name, "required"))
    return cleaned


def _check_phone(problems: list[Problem], field_name: str, value: str) -> str:
    if not (value or "").strip():
        problems.append(Problem(field_name, "required"))
        return ""
    try:
        return normalize_phone(value)
    except InvalidPhone:
        problems.append(Problem(field_name, "phone_invalid"))
        return ""


def _from_shared(exc: SubmissionInvalid) -> list[Problem]:
    return [Problem(e.field, "rule", message=e.message) for e in exc.errors]


# ---- The assessment form ---------------------------------------------------------------

@dataclass
class TargetRating:
    kind: str
    code: str
    name: str
    detail: str = ""  # e.g. the team of an official, from the catalog
    stars: int = 0    # 0 = not rated yet
    reasons: list[str] = field(default_factory=list)
    comment: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)

    def set_stars(self, stars: int) -> None:
        """Set the level; reasons that no longer apply (satisfied ↔ dissatisfied) are dropped,
        the others are kept."""
        stars = max(0, min(5, int(stars)))
        self.stars = stars
        if stars:
            valid = reasons_for(stars)
            self.reasons = [r for r in self.reasons if r in valid]

    def set_reason(self, code: str, checked: bool) -> None:
        if checked and code not in self.reasons:
            if self.stars and code not in reasons_for(self.stars):
                raise ValueError(f"{code} is not a reason for {self.stars} stars")
            self.reasons.append(code)
        elif not checked and code in self.reasons:
            self.reasons.remove(code)


def _sort_key(t: TargetRating) -> int:
    return KIND_ORDER.index(t.kind) if t.kind in KIND_ORDER else len(KIND_ORDER)


def _catalog_index(catalog: Mapping[str, Any] | None) -> dict[tuple[str, str], dict[str, Any]]:
    index: dict[tuple[str, str], dict[str, Any]] = {}
    if not isinstance(catalog, Mapping):
        return index
    for section, kind in (("branches", "branch"), ("teams", "team"), ("stages", "stage"), ("officials", "official")):
        for item in catalog.get(section) or []:
            if isinstance(item, Mapping) and isinstance(item.get("code"), str):
                index[(kind, item["code"])] = dict(item)
    return index


def targets_from_handling(handling: Iterable[Mapping[str, Any]],
                          catalog: Mapping[str, Any] | None = None) -> list[TargetRating]:
    """One row per distinct target of the handling records, officials first.

    Names come from the handling record, else from the catalog, else the code; an
    official's team and a team's branch (from the catalog) are shown as detail.
    """
    index = _catalog_index(catalog)
    seen: set[tuple[str, str]] = set()
    out: list[TargetRating] = []
    for rec in handling:
        if not isinstance(rec, Mapping):
            continue
        kind, code = rec.get("kind") or rec.get("target_kind"), rec.get("code") or rec.get("target_code")
        if kind not in TARGET_KINDS or not isinstance(code, str) or not code or (kind, code) in seen:
            continue
        seen.add((kind, code))
        entry = index.get((kind, code), {})
        name = nfc(str(rec.get("name") or entry.get("name") or code))
        detail = ""
        parent_kind = {"official": "team", "team": "branch"}.get(kind)
        parent_code = entry.get("team") if kind == "official" else entry.get("branch") if kind == "team" else None
        if parent_kind and parent_code:
            parent = index.get((parent_kind, parent_code))
            detail = nfc(str(parent.get("name"))) if parent else str(parent_code)
        out.append(TargetRating(kind, code, name, detail))
    out.sort(key=_sort_key)  # stable: keeps the records' order within a kind
    return out


@dataclass
class DeclarationForm:
    """What the two forms share: the declaration (number, status, channel) and the targets
    that handled it; whether its status allows the form (:attr:`status_allows`);
    ``to_payload`` checks the form, then the shared rules of ``domain.submissions``
    (:attr:`shared_rules`) given that status, channel and handling."""
    declaration_number: str
    status: str
    channel: int | None
    targets: list[TargetRating]

    status_allows: ClassVar[Callable[[str, int | None], bool]]  # can_assess or can_reflect
    shared_rules: ClassVar[Callable[..., dict[str, Any]]]  # validate_assessment or validate_reflection

    @classmethod
    def for_declaration(cls, declaration: Mapping[str, Any], handling: Iterable[Mapping[str, Any]],
                        catalog: Mapping[str, Any] | None = None) -> Self:
        return cls(str(declaration.get("number", "")), str(declaration.get("status", "")),
                   declaration.get("channel"), targets_from_handling(handling, catalog))

    @property
    def eligible(self) -> bool:
        return self.status_allows(self.status, self.channel)

    def handled_by(self) -> list[tuple[str, str]]:
        return [t.key for t in self.targets]

    def problems(self) -> list[Problem]:
        raise NotImplementedError

    def raw_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_payload(self) -> dict[str, Any]:
        """The normalised payload exactly as it will be sent, or :class:`FormInvalid`.

        The plugin's own checks come first (they name the widget to fix); the shared rules
        of ``domain.submissions`` — the server's rules — have the last word.
        """
        problems = self.problems()
        if problems:
            raise FormInvalid(problems)
        try:
            return self.shared_rules(self.raw_payload(), status=self.status, channel=self.channel,
                                     handled_by=self.handled_by())
        except SubmissionInvalid as exc:
            raise FormInvalid(_from_shared(exc)) from exc


@dataclass
class AssessmentForm(DeclarationForm):
    detail: str = ""
    contact_name: str = ""
    contact_phone: str = ""

    status_allows = staticmethod(can_assess)
    shared_rules = staticmethod(validate_assessment)

    # -- state
    def any_low(self) -> bool:
        return any(0 < t.stars <= LOW_RATING_MAX_STARS for t in self.targets)

    def min_stars(self) -> int:
        given = [t.stars for t in self.targets if t.stars]
        return min(given) if given else 0

    def is_empty(self) -> bool:
        return not any(t.stars or t.reasons or t.comment for t in self.targets) \
            and not (self.detail or self.contact_name or self.contact_phone)

    # -- validation and the payload
    def problems(self) -> list[Problem]:
        """Everything the user must fix, in form order (empty list: ready to record)."""
        problems: list[Problem] = []
        if not self.eligible:
            problems.append(Problem("declaration", "not_eligible"))
        if not self.targets:
            problems.append(Problem("ratings", "no_targets"))
        for i, t in enumerate(self.targets):
            f = f"ratings[{i}]"
            if not t.stars:
                problems.append(Problem(f"{f}.stars", "stars_missing"))
            elif not t.reasons:
                problems.append(Problem(f"{f}.reasons", "reasons_missing"))
            _check_text(problems, f"{f}.comment", t.comment, MAX_COMMENT, required=False, multiline=True)
        low = self.any_low()
        _check_text(problems, "detail", self.detail, MAX_DETAIL, required=low, multiline=True)
        if low:  # the contact person goes with 1-2 stars only (it may be pre-filled otherwise)
            _check_text(problems, "contact.name", self.contact_name, MAX_NAME, required=True, multiline=False)
            _check_phone(problems, "contact.phone", self.contact_phone)
        return problems

    def raw_payload(self) -> dict[str, Any]:
        """The payload as typed (not yet normalised)."""
        payload: dict[str, Any] = {
            "declaration_number": self.declaration_number,
            "ratings": [],
        }
        for t in self.targets:
            item: dict[str, Any] = {"target_kind": t.kind, "target_code": t.code, "stars": t.stars,
                                    "reasons": list(t.reasons)}
            if t.comment.strip():
                item["comment"] = t.comment
            payload["ratings"].append(item)
        if self.detail.strip():
            payload["detail"] = self.detail
        if self.any_low():
            payload["contact"] = {"name": self.contact_name, "phone": self.contact_phone}
        return payload

    # -- drafts
    def to_draft(self) -> dict[str, Any]:
        return {
            "version": DRAFT_VERSION,
            "declaration_number": self.declaration_number,
            "ratings": [{"kind": t.kind, "code": t.code, "stars": t.stars, "reasons": list(t.reasons),
                         "comment": t.comment} for t in self.targets],
            "detail": self.detail,
            "contact": {"name": self.contact_name, "phone": self.contact_phone},
        }

    def apply_draft(self, draft: Mapping[str, Any] | None) -> bool:
        """Restore what the user typed. Targets that no longer handled the declaration are
        dropped, reasons that do not fit the stars are dropped. Returns True if anything
        was restored."""
        if not isinstance(draft, Mapping) or draft.get("declaration_number") not in (None, self.declaration_number):
            return False
        restored = False
        by_key = {t.key: t for t in self.targets}
        for item in draft.get("ratings") or []:
            if not isinstance(item, Mapping):
                continue
            target = by_key.get((item.get("kind"), item.get("code")))
            if target is None:
                continue
            stars = item.get("stars")
            if isinstance(stars, int) and not isinstance(stars, bool) and 0 <= stars <= 5:
                target.stars = stars
            reasons = item.get("reasons") or []
            if isinstance(reasons, list):
                valid = reasons_for(target.stars) if target.stars else {}
                target.reasons = [r for r in dict.fromkeys(reasons) if isinstance(r, str) and r in valid]
            if isinstance(item.get("comment"), str):
                target.comment = nfc(item["comment"])
            restored = restored or bool(target.stars or target.reasons or target.comment)
        if isinstance(draft.get("detail"), str):
            self.detail = nfc(draft["detail"])
        contact = draft.get("contact")
        if isinstance(contact, Mapping):
            self.contact_name = nfc(str(contact.get("name") or ""))
            self.contact_phone = str(contact.get("phone") or "")
        return restored or bool(self.detail or self.contact_name or self.contact_phone)

    @classmethod
    def from_payload(cls, declaration: Mapping[str, Any], handling: Iterable[Mapping[str, Any]],
                     payload: Mapping[str, Any], catalog: Mapping[str, Any] | None = None) -> "AssessmentForm":
        """A form showing what was sent (read-only view, or the start of a resend)."""
        form = cls.for_declaration(declaration, handling, catalog)
        by_key = {t.key: t for t in form.targets}
        for r in payload.get("ratings") or []:
            key = (r.get("target_kind"), r.get("target_code"))
            target = by_key.get(key)
            if target is None:  # handling changed since: keep what was sent visible
                target = TargetRating(key[0], key[1], key[1])
                form.targets.append(target)
                by_key[key] = target
            target.stars = int(r.get("stars") or 0)
            target.reasons = list(r.get("reasons") or [])
            target.comment = str(r.get("comment") or "")
        form.detail = str(payload.get("detail") or "")
        contact = payload.get("contact") or {}
        form.contact_name = str(contact.get("name") or "")
        form.contact_phone = str(contact.get("phone") or "")
        return form


def draft_from_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A sent payload as a draft: the start of correcting a rejected assessment (targets that
    no longer handled the declaration are then dropped by :meth:`AssessmentForm.apply_draft`)."""
    contact = payload.get("contact") or {}
    return {
        "version": DRAFT_VERSION,
        "declaration_number": payload.get("declaration_number"),
        "ratings": [{"kind": r.get("target_kind"), "code": r.get("target_code"), "stars": r.get("stars") or 0,
                     "reasons": list(r.get("reasons") or []), "comment": r.get("comment") or ""}
                    for r in payload.get("ratings") or [] if isinstance(r, Mapping)],
        "detail": payload.get("detail") or "",
        "contact": {"name": contact.get("name") or "", "phone": contact.get("phone") or ""},
    }


# ---- The reflection form -----------------------------------------------------------------

@dataclass
class ReflectionForm(DeclarationForm):
    selected: set[tuple[str, str]] = field(default_factory=set)
    name: str = ""
    phone: str = ""
    content: str = ""

    status_allows = staticmethod(can_reflect)
    shared_rules = staticmethod(validate_reflection)

    def problems(self) -> list[Problem]:
        problems: list[Problem] = []
        if not self.eligible:
            problems.append(Problem("declaration", "not_eligible_reflection"))
        _check_text(problems, "name", self.name, MAX_NAME, required=True, multiline=False)
        _check_phone(problems, "phone", self.phone)
        _check_text(problems, "content", self.content, MAX_CONTENT, required=True, multiline=True)
        return problems

    def raw_payload(self) -> dict[str, Any]:
        return {
            "declaration_number": self.declaration_number,
            "name": self.name,
            "phone": self.phone,
            "content": self.content,
            "targets": [{"target_kind": t.kind, "target_code": t.code} for t in self.targets if t.key in self.selected],
        }

    def to_draft(self) -> dict[str, Any]:
        return {"version": DRAFT_VERSION, "declaration_number": self.declaration_number,
                "name": self.name, "phone": self.phone, "content": self.content,
                "targets": [list(k) for k in sorted(self.selected)]}

    def apply_draft(self, draft: Mapping[str, Any] | None) -> bool:
        if not isinstance(draft, Mapping) or draft.get("declaration_number") not in (None, self.declaration_number):
            return False
        self.name = nfc(str(draft.get("name") or ""))
        self.phone = str(draft.get("phone") or "")
        self.content = nfc(str(draft.get("content") or ""))
        keys = {t.key for t in self.targets}
        self.selected = {tuple(k) for k in draft.get("targets") or []
                         if isinstance(k, (list, tuple)) and len(k) == 2 and tuple(k) in keys}
        return bool(self.name or self.phone or self.content or self.selected)

    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.content or self.selected)


# ---- Remembered contact ------------------------------------------------------------------

def contact_from_payload(payload: Mapping[str, Any]) -> tuple[str, str]:
    """(name, phone) last used, to pre-fill the next form (kept in the plugin's local store,
    never logged)."""
    if "contact" in payload:
        c = payload.get("contact") or {}
        return str(c.get("name") or ""), str(c.get("phone") or "")
    return str(payload.get("name") or ""), str(payload.get("phone") or "")


# ---- The reminder rule -------------------------------------------------------------------

def reminder_window(today: date, days: int) -> tuple[date, date]:
    """Declarations released/cleared within the last ``days`` days (inclusive) count as
    "not yet rated" for the warning and the unrated view; older ones are not nagged about."""
    days = max(1, int(days))
    return today - timedelta(days=days - 1), today


def should_remind(unrated: int, today: date, snoozed_on: str | None) -> bool:
    """Warn when something is unrated, unless the user chose "not again today" today."""
    if unrated <= 0:
        return False
    return snoozed_on != today.isoformat()


def unrated_filter(today: date, days: int, title: str = UNRATED_TITLE_VI) -> DeclarationFilter:
    """Declarations released, brought to preservation or cleared within the reminder window
    (their ``cleared_at``, which the store sets only for those statuses) without a "rated"
    mark of this plugin.

    The status and channel conditions are implied by ``cleared_at`` and left out on
    purpose: with them SQLite walks the status or channel index (seconds on a million rows);
    with the date alone it walks the ``cleared_at`` index (about 0.1 s).
    :func:`is_unrated_in_window` states the full rule; a test checks both agree."""
    start, end = reminder_window(today, days)
    return DeclarationFilter(
        date_from=start, date_to=end, date_field="cleared",
        mark=MarkFilter(PLUGIN_ID, present=False, values=RATED_MARK_PATTERNS), title=title)


def is_unrated_in_window(declaration: Mapping[str, Any], mark: str | None, today: date, days: int) -> bool:
    """The full "not yet rated" rule for one declaration: eligible status and channel, no
    "rated" mark, goods released / brought to preservation / cleared (``cleared_at``)
    within the window. The list's SQL filter (:func:`unrated_filter`) relies on
    ``cleared_at`` implying the status; tests compare both over every demo declaration."""
    decoded = Mark.decode(mark)
    if decoded is not None and decoded.state.value + ":*" in RATED_MARK_PATTERNS:
        return False
    if declaration.get("status") not in ASSESSMENT_STATUSES:
        return False
    if not can_assess(str(declaration.get("status")), declaration.get("channel")):
        return False
    start, end = reminder_window(today, days)
    when = declaration.get("cleared_at")
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return False
    if isinstance(when, datetime):
        when = when.date()
    return isinstance(when, date) and start <= when <= end


def level_label(stars: int, lang: str = "vi") -> str:
    level = RATING_LEVELS.get(stars)
    return level.label(lang) if level else ""


__all__ = [
    "PLUGIN_ID", "RatingState", "Mark", "star_string", "rating_state", "state_from_outbox",
    "Problem", "FormInvalid", "TargetRating", "targets_from_handling", "AssessmentForm",
    "ReflectionForm", "contact_from_payload", "reminder_window", "should_remind",
    "is_unrated_in_window", "unrated_filter", "level_label", "DEFAULT_REMINDER_DAYS", "RATED_MARK_PATTERNS",
    "ALREADY_ASSESSED", "DeclarationForm",
]
