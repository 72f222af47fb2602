"""Enterprise information: the plugin's Qt-free rules (schema 2, local files, requests)."""
from __future__ import annotations

import json
import unicodedata
from datetime import date

from domain.demo import DEMO_ENTERPRISE
from plugins.business_info.core import (
    LocalState, build_payload, changes, empty_values, is_overdue, latest_version, pending_requests,
    values_from_payload,
)


def good_values() -> dict:
    v = empty_values()
    v["reason"] = "changed"
    v["identity"].update(tax_code=DEMO_ENTERPRISE.tax_code, name=DEMO_ENTERPRISE.name, address=DEMO_ENTERPRISE.address,
                         phone="0225 3842 123", email="xnk@hailong.vn", representative="Phạm Văn Long")
    v["contact"].update(name="Trần Thị Bình", phone="+84 912 345 678")
    v["business_lines"] = ["4610", "5210"]
    v["trade"].update(hs_chapters="84, 85", offices=["03CE"], turnover="10-50")
    v["bank_accounts"] = [{"bank": "Vietcombank", "number": "0031 000 123456", "currency": "VND"}]
    v["sites"] = [{"kind": "warehouse", "address": "Lô 5, KCN Đình Vũ", "phone": ""}]
    return v


GOOD = good_values()


def test_good_values_make_a_normalised_payload():
    v = good_values()
    v["identity"]["name"] = unicodedata.normalize("NFD", v["identity"]["name"])
    built = build_payload(v, "0123456789abcdef0123456789abcdef")
    assert built.errors == []
    p = built.payload
    assert p["identity"]["phone"] == "02253842123" and p["contact"]["phone"] == "0912345678"
    assert p["identity"]["name"] == DEMO_ENTERPRISE.name  # NFC
    assert p["trade"]["hs_chapters"] == ["84", "85"] and p["workstation"] == "0123456789abcdef0123456789abcdef"
    assert "request_id" not in p


def test_the_defects_are_reported_by_field():
    v = good_values()
    v["identity"].update(email="abc@", representative="", phone="0212")
    fields = {e.field for e in build_payload(v).errors}
    assert fields == {"identity.email", "identity.representative", "identity.phone"}


def test_prefill_from_a_version_and_changes():
    sent = build_payload(GOOD).payload
    values = values_from_payload(sent)
    assert values["identity"]["email"] == "xnk@hailong.vn" and values["reason"] == ""
    values["identity"]["email"] = "ketoan@hailong.vn"
    values["reason"] = "changed"
    again = build_payload(values).payload
    assert [(c.field, c.before, c.after) for c in changes(sent, again)] == [
        ("identity.email", "xnk@hailong.vn", "ketoan@hailong.vn")]
    # a schema-1 version pre-fills identity
    old = values_from_payload({"tax_code": DEMO_ENTERPRISE.tax_code, "name": "X", "address": "Y", "phone": "",
                               "email": "", "representative": "Z", "reason": "changed", "fields": {}}, 1)
    assert old["identity"]["representative"] == "Z" and old["business_lines"] == []


def test_requests_pending_and_overdue():
    reqs = [{"id": "a", "state": "pending", "due_date": "2026-12-31"},
            {"id": "b", "state": "pending", "due_date": "2026-11-01"},
            {"id": "c", "state": "fulfilled", "due_date": "2026-10-01"},
            {"id": "d", "state": "pending", "due_date": None}]
    assert [r["id"] for r in pending_requests(reqs)] == ["b", "a", "d"]
    assert [r["id"] for r in pending_requests(reqs, answered=["b"])] == ["a", "d"]
    today = date(2026, 11, 30)
    assert [is_overdue(r, today) for r in reqs] == [False, True, False, False]


def test_local_state_drafts_sending_and_last(tmp_path):
    st = LocalState(tmp_path)
    assert st.draft() is None and st.last_sent() is None
    st.save_draft(GOOD)
    assert st.draft()["identity"]["email"] == "xnk@hailong.vn"
    ws = st.workstation()
    assert len(ws) == 32 and st.workstation() == ws
    payload = build_payload(GOOD).payload
    item_id = st.begin_send(payload)
    assert st.sending() == {"id": item_id, "payload": payload}
    st.record_sent(item_id, payload)
    assert st.sending() is None and st.draft() is None and st.last_sent()["schema"] == 2
    (tmp_path / "draft.json").write_text("{not json", "utf-8")
    assert st.draft() is None and len(list(tmp_path.glob("draft.damaged-*.json"))) == 1
    (tmp_path / "draft.json").write_text("{still not json", "utf-8")  # a second damaged draft is kept too
    assert st.draft() is None and len(list(tmp_path.glob("draft.damaged-*.json"))) == 2
    # a draft of the earlier form is not offered to the new one
    (tmp_path / "draft.json").write_text(json.dumps({"name": "x"}), "utf-8")
    assert st.draft() is None


def test_latest_version_from_this_or_another_workstation():
    mine = {"sent_at": "2026-11-20T03:00:00+00:00", "schema": 2, "payload": {"identity": {"name": "mine"}}}
    other = {"kind": "business_info", "received_at": "2026-11-25T10:00:00+07:00",
             "payload": {"identity": {"name": "other"}}}
    older = {"kind": "business_info", "received_at": "2026-11-01T10:00:00+07:00", "payload": {"name": "v1"}}
    assert latest_version(mine, [older])[1]["identity"]["name"] == "mine"
    assert latest_version(mine, [other, older])[1]["identity"]["name"] == "other"
    assert latest_version(None, [older]) == (1, {"name": "v1"})
    assert latest_version(None, [{"kind": "assessment", "payload": {}}]) is None
