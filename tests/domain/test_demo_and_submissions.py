import pytest

from domain.codes import can_assess, can_reflect
from domain.demo import (
    DEMO_ENTERPRISE, OTHER_ENTERPRISE, build_catalog, handling_for, iter_declarations,
)
from domain.submissions import SubmissionInvalid, validate_assessment, validate_reflection
from domain.validation import is_valid_tax_code


def test_demo_enterprises_have_valid_tax_codes():
    assert is_valid_tax_code(DEMO_ENTERPRISE.tax_code)
    assert is_valid_tax_code(OTHER_ENTERPRISE.tax_code)


def test_declarations_are_deterministic_prefixes_and_unique():
    a = list(iter_declarations(seed=7, count=500))
    b = list(iter_declarations(seed=7, count=200))
    assert a[:200] == b
    assert len({d.number for d in a}) == 500
    assert all(len(d.number) == 12 and d.number[:2] in ("10", "30") for d in a)
    assert list(iter_declarations(seed=8, count=5)) != a[:5]


def test_handling_records_follow_channel_and_status():
    cat = build_catalog()
    keys = cat.by_key()
    for d in iter_declarations(count=300):
        handled = handling_for(d.number, d.office_code, d.channel, d.status, cat)
        if d.status in ("new", "cancelled"):
            assert handled == []
            continue
        kinds = [t.kind for t in handled]
        assert kinds.count("branch") == 1 and handled[0].code == d.office_code
        assert kinds.count("official") == (1 if d.channel == 1 else 2)
        assert all((t.kind, t.code) in keys for t in handled)
        assert handled == handling_for(d.number, d.office_code, d.channel, d.status, cat)


def _payload(stars=5, **extra):
    return {"declaration_number": "101272581640",
            "ratings": [{"target_kind": "branch", "target_code": "03TG", "stars": stars,
                         "reasons": ["S01"] if stars > 2 else ["D02"]}], **extra}


def test_assessment_eligibility():
    assert can_assess("cleared", 1) and can_assess("released", 3) and can_assess("preservation", 2)
    assert not can_assess("channeled", 1) and not can_assess("cancelled", 1) and not can_assess("cleared", None)
    assert can_reflect("channeled", 2) and not can_reflect("new", None)
    with pytest.raises(SubmissionInvalid):
        validate_assessment(_payload(), status="channeled", channel=1)


def test_low_rating_needs_detail_and_contact():
    with pytest.raises(SubmissionInvalid) as err:
        validate_assessment(_payload(stars=1))
    fields = {e.field for e in err.value.errors}
    assert {"detail", "contact"} <= fields
    ok = validate_assessment(_payload(stars=1, detail="Chậm", contact={"name": "Lan", "phone": "+84 912 345 678"}))
    assert ok["contact"]["phone"] == "0912345678"


def test_targets_must_have_handled_the_declaration():
    with pytest.raises(SubmissionInvalid):
        validate_assessment(_payload(), handled_by=[("branch", "03CC")])
    assert validate_assessment(_payload(), handled_by=[("branch", "03TG")])["ratings"][0]["stars"] == 5


@pytest.mark.parametrize("stars", [0, 6, "5", 4.5, True])
def test_stars_range(stars):
    p = _payload()
    p["ratings"][0]["stars"] = stars
    with pytest.raises(SubmissionInvalid):
        validate_assessment(p)


def test_reasons_must_match_level():
    p = _payload(stars=5)
    p["ratings"][0]["reasons"] = ["D01"]
    with pytest.raises(SubmissionInvalid):
        validate_assessment(p)


def test_reflection_requires_name_phone_content():
    with pytest.raises(SubmissionInvalid) as err:
        validate_reflection({"declaration_number": "101272581640"})
    assert {e.field for e in err.value.errors} == {"name", "phone", "content"}
    r = validate_reflection({"declaration_number": "101272581640", "name": " Lan ", "phone": "0912345678",
                             "content": "Chờ lâu"}, status="channeled", channel=2)
    assert r["name"] == "Lan"
