"""Property tests: the plugin's own checks agree with the shared rules the server runs."""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.codes import DISSATISFIED_REASONS, SATISFIED_REASONS
from domain.submissions import SubmissionInvalid, validate_assessment
from plugins.satisfaction.core import AssessmentForm, FormInvalid
from plugins.satisfaction.screenshots import demo_catalog

from .test_core import demo_declaration

DECL, HANDLING = demo_declaration(channel=3)
PHONES = ["0912345678", "+84 912 345 678", "84912345678", "091234567", "0212345678", "", "  ", "09x2345678",
          "(+84) 98.765.4321"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", "  ", "Chậm", unicodedata.normalize("NFD", "Thái độ chưa tốt"), "x" * 1201, "y" * 2001, "a\r\nb"])


@st.composite
def forms(draw):
    form = AssessmentForm.for_declaration(DECL, HANDLING, demo_catalog())
    for t in form.targets:
        t.set_stars(draw(st.integers(1, 5)))
        pool = sorted(DISSATISFIED_REASONS if t.stars <= 2 else SATISFIED_REASONS)
        for code in draw(st.lists(st.sampled_from(pool), max_size=3)):
            t.set_reason(code, True)
        t.comment = draw(TEXT)
    form.detail = draw(TEXT)
    form.contact_name = draw(TEXT)
    form.contact_phone = draw(st.sampled_from(PHONES))
    return form


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_plugin_checks_equal_the_shared_rules_for_complete_forms(form):
    shared_ok = True
    try:
        normalised = validate_assessment(form.raw_payload(), status=form.status, channel=form.channel,
                                         handled_by=form.handled_by())
    except SubmissionInvalid:
        shared_ok = False
    assert (form.problems() == []) == shared_ok
    if shared_ok:
        payload = form.to_payload()
        assert payload == normalised
        # what is shown and sent is stable: validating it again changes nothing
        assert validate_assessment(payload, status=form.status, channel=form.channel,
                                   handled_by=form.handled_by()) == payload
        assert all(unicodedata.is_normalized("NFC", r.get("comment", "")) for r in payload["ratings"])
    else:
        try:
            form.to_payload()
        except FormInvalid as exc:
            assert exc.problems and all(p.code != "rule" for p in exc.problems)
        else:
            raise AssertionError("to_payload() accepted what the shared rules refuse")


@st.composite
def reflections(draw):
    from plugins.satisfaction.core import ReflectionForm

    decl, handling = demo_declaration(status="cleared")
    status = draw(st.sampled_from(["new", "channeled", "released", "cleared", "cancelled"]))
    form = ReflectionForm.for_declaration(dict(decl, status=status), handling)
    form.name, form.content = draw(TEXT), draw(TEXT)
    form.phone = draw(st.sampled_from(PHONES))
    form.selected = set(draw(st.lists(st.sampled_from([t.key for t in form.targets]), max_size=3)))
    return form


@settings(max_examples=200, deadline=None)
@given(reflections())
def test_reflection_checks_equal_the_shared_rules(form):
    from domain.submissions import validate_reflection

    try:
        expected = validate_reflection(form.raw_payload(), status=form.status, channel=form.channel,
                                       handled_by=[t.key for t in form.targets])
    except SubmissionInvalid:
        expected = None
    assert (form.problems() == []) == (expected is not None)
    if expected is not None:
        assert form.to_payload() == expected
