"""Enterprise information: the Qt-free rules."""
from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime, timezone

from domain.demo import DEMO_ENTERPRISE
from plugins.business_info.core import LocalState, build_payload, form_values_from_payload, reminder_due

GOOD = {"tax_code": DEMO_ENTERPRISE.tax_code, "name": DEMO_ENTERPRISE.name, "address": DEMO_ENTERPRISE.address,
        "phone": "+84 912 345 678", "email": "xnk@hailong.vn", "representative": "Phạm Văn Long",
        "main_business": "Xuất nhập khẩu linh kiện điện tử", "employees": "1.250",
        "charter_capital": "15.000.000.000", "usual_office": "03CE", "reason": "changed"}


def test_good_values_make_a_normalised_payload():
    built = build_payload(dict(GOOD, name=unicodedata.normalize("NFD", GOOD["name"])))
    assert built.errors == []
    p = built.payload
    assert p["phone"] == "0912345678"
    assert p["name"] == DEMO_ENTERPRISE.name  # NFC
    assert p["fields"] == {"main_business": "Xuất nhập khẩu linh kiện điện tử", "employees": "1250",
                           "charter_capital": "15000000000", "usual_office": "03CE"}
    assert p["reason"] == "changed"


def test_each_bad_field_is_reported_by_name():
    bad = dict(GOOD, tax_code="0200123458", phone="12345", email="not an address", reason="", employees="nhiều",
               name=" ")
    built = build_payload(bad)
    assert built.payload is None
    fields = {e.field for e in built.errors}
    assert {"tax_code", "phone", "email", "reason", "fields.employees", "name"} <= fields


def test_empty_optional_fields_are_left_out():
    built = build_payload({k: GOOD[k] for k in ("tax_code", "name", "address", "reason")})
    assert built.errors == [] and built.payload["fields"] == {} and built.payload["phone"] == ""


def test_reminder_rule():
    assert reminder_due(None, date(2026, 11, 20))
    sent = datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert not reminder_due(sent, date(2026, 11, 20), 180)
    assert reminder_due(sent, date(2026, 11, 28), 180)
    assert reminder_due(sent, date(2026, 6, 2), 1)


def test_local_state_round_trip_and_damaged_file_kept(tmp_path):
    state = LocalState(tmp_path)
    assert state.draft() is None and state.last_sent() is None and state.last_sent_at() is None
    state.save_draft({"name": "Công ty A"})
    assert state.draft() == {"name": "Công ty A"}
    payload = build_payload(GOOD).payload
    state.record_sent("id-1", payload, datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc))
    assert state.draft() is None  # the draft became the sent information
    assert state.last_sent()["payload"] == payload
    assert state.last_sent_at() == datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
    assert form_values_from_payload(payload)["employees"] == "1250"
    (tmp_path / "last_sent.json").write_text("{not json", "utf-8")
    assert state.last_sent() is None
    assert (tmp_path / "last_sent.json.damaged").read_text("utf-8") == "{not json"
