"""The assessment plugin's rules, without Qt."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS, STATUSES
from domain.demo import build_catalog, handling_for, iter_declarations
from domain.submissions import MAX_COMMENT, MAX_DETAIL, validate_assessment
from plugins.satisfaction.core import (
    AssessmentForm, FormInvalid, Mark, RatingState, ReflectionForm, is_unrated_in_window, rating_state,
    reminder_window, should_remind, star_string, state_from_outbox, targets_from_handling,
)
from plugins.satisfaction.screenshots import demo_catalog

CATALOG = build_catalog()


def demo_declaration(status="cleared", channel=2):
    d = next(d for d in iter_declarations(count=400) if d.status == status and d.channel == channel)
    handling = [{"kind": t.kind, "code": t.code, "name": t.name}
                for t in handling_for(d.number, d.office_code, d.channel, d.status, CATALOG)]
    return {"number": d.number, "status": d.status, "channel": d.channel,
            "registered_at": d.registered_at.isoformat(),
            "cleared_at": d.cleared_at.isoformat() if d.cleared_at else None}, handling


def filled_form(stars=5):
    decl, handling = demo_declaration()
    form = AssessmentForm.for_declaration(decl, handling, demo_catalog())
    for t in form.targets:
        t.set_stars(stars)
        t.set_reason("S02" if stars > 2 else "D02", True)
    return form


# ---- eligibility and states -----------------------------------------------------------

@pytest.mark.parametrize("status,channel,expected", [
    ("new", None, RatingState.NOT_ELIGIBLE),
    ("channeled", 1, RatingState.NOT_ELIGIBLE),
    ("released", 1, RatingState.UNRATED),
    ("preservation", 3, RatingState.UNRATED),
    ("cleared", 2, RatingState.UNRATED),
    ("cancelled", 1, RatingState.NOT_ELIGIBLE),
    ("cleared", None, RatingState.NOT_ELIGIBLE),
])
def test_eligibility_per_status(status, channel, expected):
    assert status in STATUSES
    assert rating_state(status, channel, None) is expected


def test_mark_round_trip_and_state():
    m = Mark(RatingState.SENT, 2, 3)
    assert Mark.decode(m.encode()) == m
    assert m.encode() == "sent:2:r3"
    assert Mark.decode("queued:5") == Mark(RatingState.QUEUED, 5, 0)
    assert Mark.decode("garbage") is None and Mark.decode("") is None and Mark.decode("unrated:3") is None
    assert rating_state("cleared", 1, "answered:1") is RatingState.ANSWERED
    assert star_string(4) == "★★★★☆" and star_string(0) == "☆☆☆☆☆"


@pytest.mark.parametrize("entry,expected", [
    (None, RatingState.QUEUED),
    ({"state": "pending"}, RatingState.QUEUED),
    ({"state": "sending"}, RatingState.QUEUED),
    ({"state": "sent", "server_ref": "A-1"}, RatingState.SENT),
    ({"state": "sent", "server_ref": "A-1", "server_status": "in_review"}, RatingState.SENT),
    ({"state": "sent", "server_status": "answered", "answer": "Đã xác minh"}, RatingState.ANSWERED),
    ({"state": "failed", "code": "validation_error", "message": "bad"}, RatingState.REJECTED),
])
def test_outbox_states_map_to_rating_states(entry, expected):
    assert state_from_outbox(entry) is expected


# ---- the form model -------------------------------------------------------------------

def test_targets_listed_officials_first_with_catalog_details():
    decl, handling = demo_declaration(channel=2)
    targets = targets_from_handling(handling + handling[:1], demo_catalog())  # duplicate ignored
    kinds = [t.kind for t in targets]
    assert kinds == sorted(kinds, key=["official", "team", "stage", "branch"].index)
    assert kinds.count("official") == 2 and kinds.count("branch") == 1
    assert len(targets) == len(handling)
    official = targets[0]
    assert official.detail.startswith("Đội")  # its team, from the catalog


def test_complete_form_gives_the_payload_the_shared_rules_accept():
    form = filled_form(5)
    payload = form.to_payload()
    decl_handling = form.handled_by()
    assert validate_assessment(payload, status=form.status, channel=form.channel, handled_by=decl_handling) == payload
    assert {(r["target_kind"], r["target_code"]) for r in payload["ratings"]} == set(decl_handling)
    assert all(r["stars"] == 5 and r["reasons"] == ["S02"] for r in payload["ratings"])
    assert "contact" not in payload and "detail" not in payload


def test_every_target_needs_stars_and_a_reason():
    form = filled_form(4)
    form.targets[1].set_stars(0)
    form.targets[2].reasons.clear()
    with pytest.raises(FormInvalid) as err:
        form.to_payload()
    codes = {(p.field, p.code) for p in err.value.problems}
    assert codes == {("ratings[1].stars", "stars_missing"), ("ratings[2].reasons", "reasons_missing")}


def test_low_rating_requires_detail_and_contact_and_normalises_phone():
    form = filled_form(5)
    form.targets[0].set_stars(2)
    assert form.targets[0].reasons == []  # S02 no longer applies to 2 stars
    form.targets[0].set_reason("D02", True)
    with pytest.raises(FormInvalid) as err:
        form.to_payload()
    fields = {p.field: p.code for p in err.value.problems}
    assert fields == {"detail": "required", "contact.name": "required", "contact.phone": "required"}
    form.detail = "Chờ kiểm tra hồ sơ quá lâu"
    form.contact_name = "Phạm Thị Lan"
    form.contact_phone = "0912 34 56"
    with pytest.raises(FormInvalid) as err:
        form.to_payload()
    assert [(p.field, p.code) for p in err.value.problems] == [("contact.phone", "phone_invalid")]
    form.contact_phone = "+84 912.345.678"
    payload = form.to_payload()
    assert payload["contact"] == {"name": "Phạm Thị Lan", "phone": "0912345678"}
    assert payload["ratings"][0]["stars"] == 2 and payload["ratings"][0]["reasons"] == ["D02"]


def test_reasons_switch_lists_and_keep_what_applies():
    t = filled_form(5).targets[0]
    t.set_reason("S01", True)
    t.set_stars(3)
    assert t.reasons == ["S02", "S01"]  # still satisfied list
    t.set_stars(1)
    assert t.reasons == []
    with pytest.raises(ValueError):
        t.set_reason("S01", True)
    t.set_reason("D05", True)
    t.set_stars(2)
    assert t.reasons == ["D05"]
    assert set(SATISFIED_REASONS).isdisjoint(DISSATISFIED_REASONS)


def test_text_is_nfc_and_lengths_are_enforced():
    form = filled_form(1)
    nfd_name = unicodedata.normalize("NFD", "Phạm Thị Lan")
    assert nfd_name != "Phạm Thị Lan"
    form.contact_name = nfd_name
    form.contact_phone = "0912345678"
    form.detail = unicodedata.normalize("NFD", "Thái độ chưa tốt")
    form.targets[0].comment = "x" * (MAX_COMMENT + 1)
    with pytest.raises(FormInvalid) as err:
        form.to_payload()
    (p,) = err.value.problems
    assert (p.field, p.code, p.limit, p.length) == ("ratings[0].comment", "too_long", MAX_COMMENT, MAX_COMMENT + 1)
    form.targets[0].comment = ""
    form.detail = "y" * (MAX_DETAIL + 5)
    with pytest.raises(FormInvalid):
        form.to_payload()
    form.detail = unicodedata.normalize("NFD", "Thái độ chưa tốt")
    payload = form.to_payload()
    assert payload["contact"]["name"] == "Phạm Thị Lan"
    assert payload["detail"] == "Thái độ chưa tốt"


def test_ineligible_declaration_cannot_be_assessed():
    decl, handling = demo_declaration(status="cleared")
    decl = dict(decl, status="channeled")
    form = AssessmentForm.for_declaration(decl, handling)
    for t in form.targets:
        t.set_stars(5)
        t.set_reason("S01", True)
    with pytest.raises(FormInvalid) as err:
        form.to_payload()
    assert [p.code for p in err.value.problems] == ["not_eligible"]


def test_draft_round_trip_keeps_everything_and_drops_stale_targets():
    form = filled_form(2)
    form.detail = "Chậm"
    form.contact_name = "Lan"
    form.contact_phone = "0912345678"
    form.targets[0].comment = "Ghi chú"
    draft = form.to_draft()
    decl, handling = demo_declaration()
    fresh = AssessmentForm.for_declaration(decl, handling, demo_catalog())
    assert fresh.apply_draft(draft)
    assert fresh.to_draft() == draft
    # a target that no longer handled the declaration is dropped; a bad reason is dropped
    draft["ratings"].append({"kind": "official", "code": "99XX0000", "stars": 5, "reasons": ["S01"], "comment": ""})
    draft["ratings"][1]["reasons"] = ["S01", "D02"]
    again = AssessmentForm.for_declaration(decl, handling, demo_catalog())
    again.apply_draft(draft)
    assert len(again.targets) == len(handling)
    assert again.targets[1].reasons == ["D02"]
    assert not AssessmentForm.for_declaration(decl, handling).apply_draft({"declaration_number": "309999999990"})


def test_from_payload_shows_what_was_sent():
    form = filled_form(4)
    payload = form.to_payload()
    decl, handling = demo_declaration()
    shown = AssessmentForm.from_payload(decl, handling, payload)
    assert shown.to_payload() == payload


# ---- reflections ------------------------------------------------------------------------

def test_reflection_allowed_from_channel_on_and_validated():
    decl, handling = demo_declaration(status="cleared")
    form = ReflectionForm.for_declaration(dict(decl, status="channeled"), handling)
    form.name, form.phone, form.content = "Lan", "84912345678", "  Chờ   lâu  "
    form.selected = {form.targets[0].key}
    payload = form.to_payload()
    assert payload["phone"] == "0912345678" and payload["content"] == "Chờ lâu"
    assert payload["targets"] == [{"target_kind": form.targets[0].kind, "target_code": form.targets[0].code}]
    form.status = "new"
    form.channel = None
    with pytest.raises(FormInvalid) as err:
        form.to_payload()
    assert [p.code for p in err.value.problems] == ["not_eligible_reflection"]
    empty = ReflectionForm.for_declaration(decl, handling)
    with pytest.raises(FormInvalid) as err:
        empty.to_payload()
    assert {p.field for p in err.value.problems} == {"name", "phone", "content"}
    restored = ReflectionForm.for_declaration(decl, handling)
    form.status, form.channel = decl["status"], decl["channel"]
    assert restored.apply_draft(form.to_draft()) and restored.to_payload() == form.to_payload()


# ---- the reminder rule ------------------------------------------------------------------

def test_reminder_rule():
    today = date(2026, 11, 20)
    assert reminder_window(today, 30) == (date(2026, 10, 22), today)
    assert should_remind(3, today, None)
    assert should_remind(3, today, "2026-11-19")
    assert not should_remind(3, today, "2026-11-20")
    assert not should_remind(0, today, None)


def test_unrated_in_window_matches_status_mark_and_date():
    today = date(2026, 11, 20)
    base = {"number": "101234567890", "status": "cleared", "channel": 1,
            "cleared_at": datetime(2026, 11, 1, 9).isoformat()}
    assert is_unrated_in_window(base, None, today, 30)
    assert not is_unrated_in_window(base, "queued:5", today, 30)
    assert not is_unrated_in_window(dict(base, status="channeled"), None, today, 30)
    assert not is_unrated_in_window(dict(base, cleared_at="2026-09-01T10:00:00"), None, today, 30)
    assert not is_unrated_in_window(base, None, today, 10)


def test_reflections_and_rejections_still_count_as_unrated():
    today = date(2026, 11, 20)
    base = {"number": "101234567890", "status": "released", "channel": 2, "cleared_at": "2026-11-19T10:00:00"}
    assert rating_state("released", 2, "reflected:0:r2") is RatingState.UNRATED
    assert rating_state("channeled", 2, "reflected:0:r1") is RatingState.NOT_ELIGIBLE
    assert Mark.decode("reflected:0:r2") == Mark(RatingState.REFLECTED, 0, 2)
    assert is_unrated_in_window(base, "reflected:0:r2", today, 30)
    assert is_unrated_in_window(base, "rejected:1", today, 30)
    assert not is_unrated_in_window(base, "answered:1:r1", today, 30)
