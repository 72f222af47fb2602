"""The enterprise's word on customs' answer: accept it, or reopen the case once with a comment."""
from __future__ import annotations

import pytest

from domain.submissions import SubmissionInvalid, validate_case_feedback

SID = "6F1D3C1E-8B0E-4A53-9A57-2D0C6A0D2020"


def test_accept_needs_no_comment_and_ids_are_lower_case():
    assert validate_case_feedback({"submission_id": SID, "action": "accept"}) == {
        "submission_id": SID.lower(), "action": "accept"}


def test_reopen_needs_a_comment_in_normal_form():
    with pytest.raises(SubmissionInvalid) as err:
        validate_case_feedback({"submission_id": SID, "action": "reopen", "comment": "   "})
    assert [e.field for e in err.value.errors] == ["comment"]
    out = validate_case_feedback({"submission_id": SID, "action": "reopen",
                                  "comment": "Cu\u0301ng chưa được giải quyết  "})
    assert out["comment"] == "Cúng chưa được giải quyết"


@pytest.mark.parametrize("payload, field", [
    ({"submission_id": "x", "action": "accept"}, "submission_id"),
    ({"submission_id": SID, "action": "escalate"}, "action"),
    ({"submission_id": SID, "action": "reopen", "comment": "x" * 2001}, "comment"),
])
def test_refusals_name_the_field(payload, field):
    with pytest.raises(SubmissionInvalid) as err:
        validate_case_feedback(payload)
    assert field in [e.field for e in err.value.errors]
