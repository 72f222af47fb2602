"""What the assessment plugin keeps and sends, without Qt.

:class:`AssessmentTracker` stands between the plugin's windows and the host
(:class:`~desktop.plugin_api.HostApi`) and its own store (:class:`~.store.PluginStore`):

* the forms to open for a declaration (what was sent, a draft, the last contact person);
* recording a submission in two steps (intent, the host's outbox, confirm) and reconciling
  an intent a crash left behind;
* the states the outbox reports, and the submissions other workstations of the enterprise
  sent (imported as "remote");
* the declarations' marks — :func:`declaration_mark` is the one place a mark is decided —
  with the count of reflections customs answered;
* the rows of the results window.

The windows decide what to tell the user: the tracker returns what changed
(:class:`Changes`) and raises what went wrong.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping

from domain.codes import can_assess
from domain.submissions import validate_case_feedback
from domain.validation import mask_phone

from desktop.plugin_api import HostApi, SubmissionEntry

from .core import (
    ALREADY_ASSESSED, AssessmentForm, Mark, RatingState, ReflectionForm, _catalog_index, contact_from_payload,
    draft_from_payload,
)
from .store import PluginStore

ASSESSMENT, REFLECTION, CASE_FEEDBACK = "assessment", "reflection", "case_feedback"


def declaration_mark(assessment_state: str | None, min_stars: int, reflections: int,
                     answered: int = 0) -> str | None:
    """The plugin's mark on a declaration, from its current assessment (state and lowest
    stars; None when there is none), its reflections and how many of them customs answered:
    ``queued:2``, ``answered:5:r1``, ``reflected:0:r2:a1``; None without either."""
    if assessment_state is not None:
        return Mark(RatingState(assessment_state), min_stars, reflections, answered).encode()
    if reflections:
        return Mark(RatingState.REFLECTED, 0, reflections, answered).encode()
    return None


@dataclass
class Changes:
    """What a read of the outbox, or of other workstations' submissions, changed.

    ``rows``: the submissions whose stored state changed (each with ``new_answer`` and
    ``previous_state``); ``numbers``: the declarations whose current assessment may have
    changed (their marks are already updated); ``rejected``: submissions the server has just
    refused (not those refused because another workstation had assessed the declaration)."""
    rows: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def new_answers(self) -> list[dict[str, Any]]:
        return [c for c in self.rows if c.get("new_answer")]


class AssessmentTracker:
    """The plugin's submissions and marks, through the host API and the plugin's store."""

    def __init__(self, api: HostApi, store: PluginStore):
        self.api = api
        self.store = store

    # ---- the forms to open -----------------------------------------------------------------
    def catalog(self) -> dict[str, Any] | None:
        try:
            return self.api.catalog()
        except Exception as exc:  # noqa: BLE001 - names then come from the handling records
            self.api.logger.warning("catalog unavailable: %s", exc)
            return None

    def last_contact(self) -> tuple[str, str]:
        """(name, phone) of the contact person last sent, to pre-fill a new form."""
        raw = self.store.get_meta("contact")
        if not raw:
            return "", ""
        try:
            data = json.loads(raw)
            return str(data.get("name") or ""), str(data.get("phone") or "")
        except (ValueError, AttributeError):
            return "", ""

    def assessment_form(self, declaration: Mapping[str, Any]) -> tuple[AssessmentForm | None, dict[str, Any] | None]:
        """The form of the declaration and its current assessment (None: nothing sent).

        Sent: the form shows it; rejected: it is corrected — today's handling records, what
        was sent, then any newer draft; nothing sent: the draft, or a new form with the last
        contact person — and no form (None) when the declaration cannot be assessed yet."""
        number = str(declaration.get("number", ""))
        handling = self.api.handling(number)
        catalog = self.catalog()
        sent = self.store.assessment(number)
        if sent is not None and sent["state"] == RatingState.REJECTED.value:
            form = AssessmentForm.for_declaration(declaration, handling, catalog)
            form.apply_draft(draft_from_payload(sent["payload"]))
            form.apply_draft(self.store.load_draft(number, ASSESSMENT))
            return form, sent
        if sent is not None:
            return AssessmentForm.from_payload(declaration, handling, sent["payload"], catalog), sent
        if not can_assess(str(declaration.get("status") or ""), declaration.get("channel")):
            return None, None
        form = AssessmentForm.for_declaration(declaration, handling, catalog)
        if not form.apply_draft(self.store.load_draft(number, ASSESSMENT)):
            form.contact_name, form.contact_phone = self.last_contact()
        return form, None

    def reflection_form(self, declaration: Mapping[str, Any]) -> ReflectionForm:
        """A reflection on the declaration: the draft, or a new one with the last contact person."""
        number = str(declaration.get("number", ""))
        form = ReflectionForm.for_declaration(declaration, self.api.handling(number), self.catalog())
        if not form.apply_draft(self.store.load_draft(number, REFLECTION)):
            form.name, form.phone = self.last_contact()
        return form

    def save_draft(self, number: str, kind: str, draft: Mapping[str, Any]) -> None:
        self.store.save_draft(number, kind, draft)

    # ---- recording and submitting ----------------------------------------------------------
    def record(self, kind: str, number: str, payload: dict[str, Any], *, replaces: str | None = None) -> str:
        """Two steps: note the intent, queue in the host's outbox (durable when this returns,
        under the intent's id), confirm. Raises with the draft kept and nothing recorded when
        the outbox refuses. Returns the outbox id."""
        intent = str(uuid.uuid4())
        self.store.record_intent(intent, number, kind, payload)
        try:
            outbox_id = self.api.submit(kind, payload, schema=1, item_id=intent)
        except BaseException:
            self.store.discard_intent(intent)
            raise
        self.store.confirm(intent, outbox_id, replaces=replaces)
        name, phone = contact_from_payload(payload)
        if name and phone:
            self.store.set_meta("contact", json.dumps({"name": name, "phone": phone}, ensure_ascii=False))
        self.api.logger.info("%s for declaration %s queued as %s%s", kind, number, outbox_id,
                             f" (contact phone {mask_phone(phone)})" if phone else "")
        return outbox_id

    def final_assessment(self, number: str) -> dict[str, Any] | None:
        """The declaration's assessment when it is final (sent, queued or answered: one per
        declaration); None when there is none or it was rejected (then it may be resent)."""
        current = self.store.assessment(number)
        if current is not None and current["state"] != RatingState.REJECTED.value:
            return current
        return None

    def can_assess(self, number: str) -> bool:
        """The declaration's status (read now) allows an assessment."""
        decl = self.api.declaration(number) or {}
        return can_assess(str(decl.get("status") or ""), decl.get("channel"))

    def submit_assessment(self, payload: dict[str, Any]) -> str:
        """Record the assessment (replacing a rejected one) and mark the declaration; the
        caller checked :meth:`final_assessment` and :meth:`can_assess`. Returns the outbox id."""
        number = payload["declaration_number"]
        previous = self.store.assessment(number)
        outbox_id = self.record(ASSESSMENT, number, payload, replaces=previous["id"] if previous is not None else None)
        self.update_mark(number)
        return outbox_id

    def submit_reflection(self, payload: dict[str, Any]) -> str:
        number = payload["declaration_number"]
        outbox_id = self.record(REFLECTION, number, payload)
        self.update_mark(number)
        return outbox_id

    def case_feedback(self, submission_id: str, action: str, comment: str = "") -> tuple[str, dict[str, Any]] | None:
        """The enterprise's word on customs' answer to one of its cases — accept it, or reopen
        the case with a comment — as (declaration, payload) to :meth:`record`; None when the
        submission is unknown. Raises ``SubmissionInvalid`` (reopened without a reason, or
        too long)."""
        target = self.store.submission(submission_id)
        if target is None:
            return None
        return target["number"], validate_case_feedback({"submission_id": submission_id, "action": action,
                                                         **({"comment": comment} if comment.strip() else {})})

    def reconcile_intents(self) -> None:
        """A send interrupted between "intent" and "confirm" (the program died): if the
        outbox holds the item it is confirmed, otherwise the intent is dropped (the draft
        was kept, the user can send again)."""
        intents = self.store.intents()
        if not intents:
            return
        try:
            known = self.api.submission_states([i["id"] for i in intents])
        except Exception:  # noqa: BLE001 - no outbox: nothing can have been queued
            known = {}
        for intent in intents:
            if intent["id"] in known:
                self.store.confirm(intent["id"], intent["id"])
                self.update_mark(intent["number"])
            else:
                self.store.discard_intent(intent["id"])

    # ---- marks -------------------------------------------------------------------------------
    def answered_reflections(self, number: str | None = None) -> dict[str, int]:
        """Per declaration (every one, or this one): how many of its reflections customs answered."""
        out: dict[str, int] = {}
        for r in self.store.submissions(kind=REFLECTION, number=number):
            if r["state"] == RatingState.ANSWERED.value:
                out[r["number"]] = out.get(r["number"], 0) + 1
        return out

    def wanted_marks(self, number: str | None = None) -> dict[str, str | None]:
        """The mark each declaration this plugin sent something for should carry (every one,
        or this one)."""
        answered = self.answered_reflections(number)
        return {n: declaration_mark(state, stars, reflections, answered.get(n, 0))
                for n, (state, stars, reflections) in self.store.current_marks(number).items()}

    def update_mark(self, number: str) -> None:
        """Set the declaration's mark from what was sent for it (none: no mark)."""
        try:
            self.api.set_mark(number, self.wanted_marks(number).get(number))
        except Exception as exc:  # noqa: BLE001 - the submission itself is safe in the outbox
            self.api.logger.warning("cannot mark declaration %s: %s", number, exc)

    def resync_marks(self) -> int:
        """Make the declarations' marks match what this plugin sent (the declaration store
        may have been rebuilt, e.g. a new demo database); returns how many were fixed."""
        wanted = self.wanted_marks()
        if not wanted:
            return 0
        try:
            have = self.api.marks(list(wanted))
            fix = {n: m for n, m in wanted.items() if have.get(n) != m}
            if fix:
                self.api.set_marks(fix)
        except Exception as exc:  # noqa: BLE001 - no store in this run: nothing to show marks on
            self.api.logger.warning("cannot check the assessment marks: %s", exc)
            return 0
        return len(fix)

    # ---- states and other workstations' submissions -------------------------------------------
    def take_in(self, entries: Mapping[str, SubmissionEntry]) -> tuple[Changes, Changes]:
        """Entries the host announced: (what other workstations' submissions changed, what
        this plugin's own changed)."""
        mine = set(self.store.all_ids())
        others = {i: e for i, e in entries.items() if i not in mine}
        relevant = {i: e for i, e in entries.items() if i in mine}
        # sent by another workstation of the enterprise (or not a submission of this plugin)
        imported = self.import_entries(others) if others else Changes()
        return imported, self.apply_entries(relevant) if relevant else Changes()

    def refresh_states(self, ids: list[str] | None = None) -> Changes:
        """Read the outbox's states (a local read) of these submissions (default: those whose
        state can still change) and keep them."""
        wanted = list(ids) if ids is not None else self.store.open_ids()
        if not wanted:
            return Changes()
        try:
            states = self.api.submission_states(wanted)
        except Exception as exc:  # noqa: BLE001 - no outbox in this run
            self.api.logger.info("submission states unavailable: %s", exc)
            return Changes()
        return self.apply_entries(states)

    def apply_entries(self, states: Mapping[str, SubmissionEntry]) -> Changes:
        """Keep the outbox's entries of this plugin's submissions; an assessment refused because
        another workstation had assessed the declaration meanwhile is not an error: it stops
        being the declaration's assessment."""
        changed = self.store.apply_states(states)
        numbers = {c["number"] for c in changed}
        for sid, entry in states.items():
            if isinstance(entry, dict) and entry.get("code") == ALREADY_ASSESSED:
                number = self.store.supersede_elsewhere(sid)
                if number:
                    numbers.add(number)
        rejected = [c for c in changed if c["state"] == RatingState.REJECTED.value
                    and c.get("previous_state") != RatingState.REJECTED.value
                    and c.get("error_code") != ALREADY_ASSESSED]
        return Changes(changed, self._remark(numbers), rejected)

    def import_remote(self, ids: list[str] | None = None) -> Changes:
        """Take in what other workstations of the enterprise sent (all, or these ids): their
        declarations show as rated here, and their answers arrive here too."""
        try:
            entries = self.api.enterprise_submissions() if ids is None else self.api.submission_states(list(ids))
        except Exception as exc:  # noqa: BLE001 - no outbox or cache in this run
            self.api.logger.info("submissions of other workstations unavailable: %s", exc)
            return Changes()
        return self.import_entries(entries)

    def import_entries(self, entries: Mapping[str, SubmissionEntry]) -> Changes:
        changed = self.store.import_remote(entries)
        return Changes(changed, self._remark({c["number"] for c in changed}))

    def _remark(self, numbers: set[str]) -> list[str]:
        ordered = sorted(numbers)
        for number in ordered:
            self.update_mark(number)
        return ordered

    # ---- the results window --------------------------------------------------------------------
    def results(self) -> tuple[list[dict[str, Any]], dict[tuple[str, str], str]]:
        """The results window's rows — assessments and reflections, newest first, each with the
        enterprise's last word on customs' answer (``feedback``) — and the targets' names (from
        the catalog, else from the declarations' handling records)."""
        names = {key: str(v.get("name") or key[1]) for key, v in _catalog_index(self.catalog()).items()}
        feedback = self.store.feedback()
        rows = [dict(r, feedback=feedback.get(r["id"])) for r in self.store.submissions(include_superseded=False)
                if r["kind"] in (ASSESSMENT, REFLECTION)]
        for r in rows:
            if r["kind"] == ASSESSMENT and any((x.get("target_kind"), x.get("target_code")) not in names
                                               for x in r["payload"].get("ratings") or []):
                try:
                    for h in self.api.handling(r["number"]):
                        names.setdefault((h["kind"], h["code"]), h.get("name") or h["code"])
                except Exception:  # noqa: BLE001
                    pass
        return rows, names
