"""The assessment tracker without Qt: recording through the host's outbox, the states it
reports, other workstations' submissions, the marks — against a small stand-in for the host."""
from __future__ import annotations

import logging
from typing import Any

import pytest

from domain.submissions import SubmissionInvalid
from plugins.satisfaction.core import Mark, RatingState
from plugins.satisfaction.screenshots import demo_catalog
from plugins.satisfaction.store import PluginStore
from plugins.satisfaction.tracker import AssessmentTracker, declaration_mark

from .test_core import demo_declaration, filled_form


class FakeHost:
    """What the tracker uses of ``HostApi``: declarations, the catalog, an outbox whose
    entries a test moves on, other workstations' submissions, and the marks."""

    def __init__(self, *declarations: tuple[dict[str, Any], list[dict[str, Any]]]):
        self.logger = logging.getLogger("plugins.satisfaction.test")
        self.declarations = {d["number"]: d for d, _ in declarations}
        self.handlings = {d["number"]: h for d, h in declarations}
        self.outbox: dict[str, dict[str, Any]] = {}
        self.remote: dict[str, dict[str, Any]] = {}
        self.mark_values: dict[str, str] = {}
        self.refuse: Exception | None = None

    def declaration(self, number: str) -> dict[str, Any] | None:
        return self.declarations.get(number)

    def handling(self, number: str) -> list[dict[str, Any]]:
        return list(self.handlings.get(number, []))

    def catalog(self) -> dict[str, Any]:
        return demo_catalog()

    def submit(self, kind: str, payload: dict[str, Any], *, schema: int = 1, item_id: str | None = None) -> str:
        if self.refuse is not None:
            raise self.refuse
        assert item_id and schema == 1
        self.outbox[item_id] = {"id": item_id, "kind": kind, "origin": "local", "state": "pending",
                                "payload": payload}
        return item_id

    def submission_states(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        known = {**self.outbox, **self.remote}
        return {i: known[i] for i in ids if i in known}

    def enterprise_submissions(self) -> dict[str, dict[str, Any]]:
        return dict(self.remote)

    def set_mark(self, number: str, value: str | None) -> None:
        self.set_marks({number: value})

    def set_marks(self, marks: dict[str, str | None]) -> None:
        for number, value in marks.items():
            if value is None:
                self.mark_values.pop(number, None)
            else:
                self.mark_values[number] = value

    def marks(self, numbers: list[str]) -> dict[str, str]:
        return {n: self.mark_values[n] for n in numbers if n in self.mark_values}


@pytest.fixture
def decl():
    return demo_declaration()


@pytest.fixture
def host(decl):
    return FakeHost(decl)


@pytest.fixture
def tracker(host, tmp_path):
    store = PluginStore(tmp_path / "satisfaction.sqlite")
    yield AssessmentTracker(host, store)
    store.close()


def assessment(stars: int = 4, lowest: int | None = None) -> dict[str, Any]:
    form = filled_form(stars)
    if lowest is not None:
        form.targets[0].set_stars(lowest)
        form.targets[0].set_reason("S02", True)
    return form.to_payload()


def reflection(number: str) -> dict[str, Any]:
    return {"declaration_number": number, "name": "Trần Văn Nam", "phone": "0987654321",
            "content": "Hồ sơ chưa được tiếp nhận", "targets": []}


@pytest.mark.parametrize("facts,mark", [
    ((None, 0, 0, 0), None),
    (("queued", 2, 0, 0), "queued:2"),
    (("answered", 5, 1, 0), "answered:5:r1"),
    (("sent", 4, 1, 1), "sent:4:r1:a1"),
    ((None, 0, 2, 1), "reflected:0:r2:a1"),
    ((None, 0, 1, 3), "reflected:0:r1:a1"),  # never more answered than sent
    (("rejected", 1, 0, 2), "rejected:1"),  # answers without reflections: nothing to say
])
def test_the_mark_of_a_declaration(facts, mark):
    assert declaration_mark(*facts) == mark
    if mark is not None:
        assert Mark.decode(mark).encode() == mark


def test_an_assessment_is_recorded_in_two_steps_and_marks_the_declaration(tracker, host):
    payload = assessment(5, lowest=3)
    number = payload["declaration_number"]
    tracker.save_draft(number, "assessment", {"declaration_number": number, "detail": "x"})
    assert tracker.final_assessment(number) is None and tracker.can_assess(number)

    outbox_id = tracker.submit_assessment(payload)
    assert host.outbox[outbox_id]["payload"] == payload
    assert tracker.final_assessment(number)["id"] == outbox_id
    assert tracker.store.load_draft(number, "assessment") is None
    assert host.mark_values == {number: "queued:3"}

    host.outbox[outbox_id].update(state="sent", server_ref="A-1")
    changes = tracker.refresh_states()
    assert [r["id"] for r in changes.rows] == [outbox_id] and changes.numbers == [number]
    assert not changes.rejected and not changes.new_answers
    assert host.mark_values == {number: "sent:3"}


def test_nothing_is_recorded_when_the_outbox_refuses(tracker, host):
    payload = assessment()
    number = payload["declaration_number"]
    tracker.save_draft(number, "assessment", {"declaration_number": number, "detail": "x"})
    host.refuse = RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        tracker.submit_assessment(payload)
    assert tracker.store.assessment(number) is None and tracker.store.intents() == []
    assert tracker.store.load_draft(number, "assessment") == {"declaration_number": number, "detail": "x"}
    assert host.mark_values == {}


def test_the_last_contact_fills_the_next_form(tracker, host, decl):
    declaration, _ = decl
    form, sent = tracker.assessment_form(declaration)
    assert sent is None and (form.contact_name, form.contact_phone) == ("", "")
    tracker.submit_reflection(reflection(declaration["number"]))
    assert tracker.last_contact() == ("Trần Văn Nam", "0987654321")
    form, _ = tracker.assessment_form(declaration)
    assert (form.contact_name, form.contact_phone) == ("Trần Văn Nam", "0987654321")
    assert tracker.reflection_form(declaration).name == "Trần Văn Nam"


def test_the_form_follows_what_was_sent(tracker, host, decl):
    declaration, _ = decl
    channeled = dict(declaration, number="101000000001", status="channeled")
    host.declarations[channeled["number"]] = channeled
    assert tracker.assessment_form(channeled) == (None, None)  # not yet: nothing to open

    outbox_id = tracker.submit_assessment(assessment(4))
    form, sent = tracker.assessment_form(declaration)
    assert sent["id"] == outbox_id and all(t.stars == 4 for t in form.targets)

    host.outbox[outbox_id].update(state="failed", code="validation_error", message="bad")
    changes = tracker.refresh_states()
    assert [r["id"] for r in changes.rejected] == [outbox_id]
    assert tracker.final_assessment(declaration["number"]) is None  # may be corrected and resent
    tracker.save_draft(declaration["number"], "assessment",
                       {"declaration_number": declaration["number"], "detail": "Sửa lại"})
    form, sent = tracker.assessment_form(declaration)
    assert sent["state"] == "rejected" and form.detail == "Sửa lại" and all(t.stars == 4 for t in form.targets)

    again = tracker.submit_assessment(assessment(5))
    assert tracker.store.submission(outbox_id)["superseded_by"] == again
    assert host.mark_values[declaration["number"]] == "queued:5"


def test_answered_reflections_are_counted_in_the_mark(tracker, host, decl):
    number = decl[0]["number"]
    first = tracker.submit_reflection(reflection(number))
    tracker.submit_reflection(reflection(number))
    assert host.mark_values == {number: "reflected:0:r2"}
    host.outbox[first].update(state="sent", server_status="answered", answer="Đã hướng dẫn")
    changes = tracker.refresh_states()
    assert [r["id"] for r in changes.new_answers] == [first]
    assert tracker.answered_reflections() == {number: 1}
    assert host.mark_values == {number: "reflected:0:r2:a1"}


def test_a_send_interrupted_by_a_crash_is_reconciled(tracker, host, decl):
    number = decl[0]["number"]
    payload = assessment()
    tracker.store.record_intent("in-outbox", number, "assessment", payload)
    host.outbox["in-outbox"] = {"id": "in-outbox", "kind": "assessment", "origin": "local", "state": "pending"}
    tracker.store.record_intent("lost", "101000000002", "assessment", payload)
    tracker.reconcile_intents()
    assert tracker.store.intents() == []
    assert tracker.store.assessment(number)["id"] == "in-outbox"
    assert tracker.store.assessment("101000000002") is None
    assert host.mark_values == {number: "queued:4"}


def test_other_workstations_settle_the_declaration(tracker, host, decl):
    number = decl[0]["number"]
    mine = tracker.submit_assessment(assessment(4))
    remote = {"id": "r-1", "kind": "assessment", "origin": "remote", "state": "sent", "declaration_number": number,
              "server_ref": "A-9", "payload": assessment(5)}
    imported, applied = tracker.take_in({"r-1": remote})
    assert [r["id"] for r in imported.rows] == ["r-1"] and imported.numbers == [number] and not applied.rows
    assert tracker.store.submission(mine)["superseded_by"] == "r-1"
    assert host.mark_values == {number: "sent:5"}

    # the duplicate sent from here is refused as "already assessed": not an error to correct
    host.outbox[mine].update(state="failed", code="already_assessed")
    imported, applied = tracker.take_in({mine: host.outbox[mine]})
    assert not imported.rows and not applied.rejected
    assert tracker.final_assessment(number)["id"] == "r-1"

    host.remote["r-2"] = dict(remote, id="r-2", kind="reflection", payload=reflection(number))
    assert [r["id"] for r in tracker.import_remote().rows] == ["r-2"]
    assert host.mark_values == {number: "sent:5:r1"}


def test_marks_lost_by_the_host_are_restored(tracker, host, decl):
    number = decl[0]["number"]
    tracker.submit_assessment(assessment(4))
    assert tracker.resync_marks() == 0
    host.mark_values.clear()  # e.g. a rebuilt declarations database
    assert tracker.resync_marks() == 1 and host.mark_values == {number: "queued:4"}


def test_case_feedback_and_the_results_window(tracker, host, decl):
    number = decl[0]["number"]
    sid = tracker.submit_assessment(assessment(4))
    assert tracker.case_feedback("unknown", "accept") is None
    with pytest.raises(SubmissionInvalid):
        tracker.case_feedback(sid, "reopen", "  ")
    target, payload = tracker.case_feedback(sid, "reopen", "Chưa được giải quyết")
    assert target == number and payload["comment"] == "Chưa được giải quyết"
    feedback_id = tracker.record("case_feedback", target, payload)
    assert host.outbox[feedback_id]["kind"] == "case_feedback"
    assert host.mark_values == {number: "queued:4"}  # the word on an answer does not mark

    rows, names = tracker.results()
    assert [(r["id"], r["feedback"]["id"]) for r in rows] == [(sid, feedback_id)]
    assert all(names[(r["target_kind"], r["target_code"])] for r in rows[0]["payload"]["ratings"])
    assert RatingState(rows[0]["state"]) is RatingState.QUEUED
