"""Batch ingest: per-item results, the shared rules, idempotency, one final assessment."""
from __future__ import annotations

import gc
import json
import unicodedata

import sqlalchemy as sa

from server.app import GC_THRESHOLDS
from server.schema import ratings, submissions

from . import data
from .conftest import ENTERPRISE_A, VIEWER, item


def _one(api, it, who=ENTERPRISE_A):
    r = api.batch(who, [it])
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    assert res["id"] == it["id"]
    return res


def _counts(app):
    with app.state.db.read() as conn:
        return (conn.execute(sa.select(sa.func.count()).select_from(submissions)).scalar(),
                conn.execute(sa.select(sa.func.count()).select_from(ratings)).scalar())


def _report_total(api):
    return api.get("/api/v1/reports/satisfaction", VIEWER).json()["total"]


def test_accepts_each_kind_with_a_server_ref(api):
    d1, = data.assessable(1)
    res = _one(api, item("assessment", data.assessment(d1)))
    assert (res["status"], res["http_status"]) == ("accepted", 201)
    assert res["server_ref"].startswith("A-") and res["received_at"].endswith("+07:00")
    res = _one(api, item("reflection", data.reflection(data.with_status("channeled"))))
    assert res["status"] == "accepted" and res["server_ref"].startswith("R-")
    res = _one(api, item("business_info", data.business_info()))
    assert res["status"] == "accepted" and res["server_ref"].startswith("B-")


def test_results_keep_the_order_of_items(api):
    decls = data.assessable(5)
    items = [item("assessment", data.assessment(d)) for d in decls]
    items.insert(2, item("assessment", {"declaration_number": "123"}))
    res = api.batch(ENTERPRISE_A, items).json()["results"]
    assert [r["id"] for r in res] == [i["id"] for i in items]
    assert [r["status"] for r in res] == ["accepted", "accepted", "rejected", "accepted", "accepted", "accepted"]


def test_replay_returns_the_original_result_and_changes_no_count(api, app):
    d, = data.assessable(1)
    it = item("assessment", data.assessment(d, 2))
    first = _one(api, it)
    before, total = _counts(app), _report_total(api)
    for _ in range(3):
        again = _one(api, it)
        assert again["status"] == "duplicate" and again["http_status"] == 200
        assert (again["server_ref"], again["received_at"]) == (first["server_ref"], first["received_at"])
    assert _counts(app) == before and _report_total(api) == total
    # also the inbox holds it once
    inbox = api.get("/api/v1/inbox", "xuly", params={"limit": 500}).json()["items"]
    assert [x["server_ref"] for x in inbox].count(first["server_ref"]) == 1


def test_replay_in_another_unicode_form_or_case_is_the_same_body(api):
    d = data.with_status("channeled")
    p = data.reflection(d, "Thủ tục kéo dài ở khâu kiểm tra hồ sơ")
    it = item("reflection", p)
    first = _one(api, it)
    nfd = dict(p, content=unicodedata.normalize("NFD", p["content"]) + "  ")
    again = _one(api, dict(it, id=it["id"].upper(), payload=nfd))
    assert again["status"] == "duplicate" and again["server_ref"] == first["server_ref"]


def test_same_id_with_another_body_is_422_conflict(api, app):
    a, b = data.assessable(2)
    it = item("assessment", data.assessment(a, 5))
    _one(api, it)
    before = _counts(app)
    res = _one(api, dict(it, payload=data.assessment(a, 4)))
    assert (res["status"], res["http_status"], res["code"]) == ("rejected", 422, "id_conflict")
    res = _one(api, dict(it, payload=data.assessment(b, 5)))
    assert res["http_status"] == 422 and res["code"] == "id_conflict"
    assert _counts(app) == before


def test_same_id_twice_in_one_batch(api, app):
    a, b = data.assessable(2)
    it = item("assessment", data.assessment(a))
    res = api.batch(ENTERPRISE_A, [it, dict(it), dict(it, payload=data.assessment(b))]).json()["results"]
    assert [r["status"] for r in res] == ["accepted", "duplicate", "rejected"]
    assert res[1]["server_ref"] == res[0]["server_ref"]
    assert res[2]["http_status"] == 422 and res[2]["code"] == "id_conflict"
    assert _counts(app)[0] == 1 + _seeded(app)


def _seeded(app):
    with app.state.db.read() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(submissions)
                            .where(submissions.c.owner_tax_code != ENTERPRISE_A)).scalar()


def test_one_final_assessment_per_declaration(api, app):
    d, = data.assessable(1)
    first = _one(api, item("assessment", data.assessment(d, 5)))
    res = _one(api, item("assessment", data.assessment(d, 4)))
    assert (res["status"], res["http_status"], res["code"]) == ("rejected", 409, "already_assessed")
    assert first["server_ref"] in res["message"] and res["server_ref"] == first["server_ref"]
    # also within one batch
    e, = data.assessable(2)[1:]
    res = api.batch(ENTERPRISE_A, [item("assessment", data.assessment(e, 5)),
                                   item("assessment", data.assessment(e, 3))]).json()["results"]
    assert [(r["status"], r["http_status"]) for r in res] == [("accepted", 201), ("rejected", 409)]


def test_unknown_declaration_is_404(api):
    d, = data.assessable(1)
    p = dict(data.assessment(d), declaration_number="109999999990")
    res = _one(api, item("assessment", p))
    assert (res["http_status"], res["code"]) == (404, "declaration_unknown")


def test_eligibility_by_status(api):
    channeled, new = data.with_status("channeled"), data.with_status("new")
    # during the procedure: a reflection, not the final assessment
    res = _one(api, item("assessment", {"declaration_number": channeled.number, "ratings": [
        {"target_kind": "branch", "target_code": channeled.office_code, "stars": 5, "reasons": ["S01"]}]}))
    assert (res["http_status"], res["code"]) == (422, "validation_error")
    assert any(e["field"] == "declaration_number" for e in res["details"])
    assert _one(api, item("reflection", data.reflection(channeled)))["status"] == "accepted"
    # before a channel: nothing
    res = _one(api, item("reflection", {"declaration_number": new.number, "name": "A", "phone": "0912345678",
                                        "content": "x", "targets": []}))
    assert (res["http_status"], res["code"]) == (422, "validation_error")
    cancelled = data.with_status("cancelled")
    res = _one(api, item("assessment", data.assessment(data.assessable(1)[0]) | {"declaration_number": cancelled.number}))
    assert res["http_status"] == 422


def test_only_targets_that_handled_the_declaration(api):
    d, = data.assessable(1)
    p = data.assessment(d)
    p["ratings"].append({"target_kind": "official", "target_code": "03PJ9999", "stars": 5, "reasons": ["S01"]})
    res = _one(api, item("assessment", p))
    assert res["http_status"] == 422 and "did not handle" in res["message"]


def test_stars_reasons_detail_and_contact(api):
    d, = data.assessable(1)
    t = data.targets(d)[0]
    for stars in (0, 6, "5", 2.5, True):
        p = {"declaration_number": d.number,
             "ratings": [{"target_kind": t.kind, "target_code": t.code, "stars": stars, "reasons": ["S01"]}]}
        assert _one(api, item("assessment", p))["http_status"] == 422, stars
    low = {"declaration_number": d.number,
           "ratings": [{"target_kind": t.kind, "target_code": t.code, "stars": 1, "reasons": ["D01"]}]}
    res = _one(api, item("assessment", low))
    fields = {e["field"] for e in res["details"]}
    assert res["http_status"] == 422 and {"detail", "contact"} <= fields
    wrong_reason = dict(low, detail="x", contact={"name": "Lan", "phone": "0912345678"})
    wrong_reason["ratings"] = [dict(low["ratings"][0], reasons=["S01"])]
    assert _one(api, item("assessment", wrong_reason))["http_status"] == 422
    bad_phone = dict(low, detail="x", contact={"name": "Lan", "phone": "12345"})
    assert _one(api, item("assessment", bad_phone))["http_status"] == 422
    ok = dict(low, detail="Chậm", contact={"name": "Lan", "phone": "+84 912.345.678"})
    assert _one(api, item("assessment", ok))["status"] == "accepted"


def test_free_text_is_nfc_and_length_limited(api, app):
    d = data.with_status("channeled")
    decomposed = unicodedata.normalize("NFD", "Phản ánh: thủ tục chậm")
    it = item("reflection", data.reflection(d, decomposed))
    assert _one(api, it)["status"] == "accepted"
    with app.state.db.read() as conn:
        stored = json.loads(conn.execute(sa.select(submissions.c.payload)
                                         .where(submissions.c.client_id == it["id"])).scalar_one())
    assert stored["content"] == unicodedata.normalize("NFC", decomposed)
    assert stored["phone"] == "0912345678"
    res = _one(api, item("reflection", data.reflection(d, "x" * 2001)))
    assert res["http_status"] == 422 and "too long" in res["message"]


def test_unsupported_schema_version(api):
    d, = data.assessable(1)
    res = _one(api, item("assessment", data.assessment(d), schema=2))
    assert (res["http_status"], res["code"]) == (422, "schema_unsupported")


def test_business_info_for_own_branch_code(api):
    res = _one(api, item("business_info", data.business_info(ENTERPRISE_A + "-001")))
    assert res["status"] == "accepted"
    bad = data.business_info()
    bad["tax_code"] = "0200123458"
    assert _one(api, item("business_info", bad))["http_status"] == 422


def test_whole_request_errors_store_nothing(api, app):
    before = _counts(app)
    d, = data.assessable(1)
    good = item("assessment", data.assessment(d))
    # more than 500 items
    r = api.batch(ENTERPRISE_A, [good] + [item("reflection", {}) for _ in range(500)])
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    # a malformed id anywhere
    r = api.batch(ENTERPRISE_A, [good, dict(good, id="not-a-uuid")])
    assert r.status_code == 422
    # an empty batch, an unknown kind
    assert api.batch(ENTERPRISE_A, []).status_code == 422
    assert api.batch(ENTERPRISE_A, [dict(good, kind="complaint")]).status_code == 422
    # too large
    big = json.dumps({"items": [dict(good, payload={"pad": "x" * (2 * 1024 * 1024)})]}).encode()
    r = api.post("/api/v1/submissions/batch", ENTERPRISE_A, content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    # not JSON
    r = api.post("/api/v1/submissions/batch", ENTERPRISE_A, content=b'{"items": [', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    assert _counts(app) == before


def test_chunked_body_over_the_limit_is_413(api):
    def gen():
        yield b'{"items": ['
        for _ in range(300):
            yield b'"' + b"x" * 10_000 + b'",'
        yield b"1]}"

    r = api.post("/api/v1/submissions/batch", ENTERPRISE_A, content=gen(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_status_and_answer_reach_the_enterprise(api):
    d, = data.assessable(1)
    res = _one(api, item("assessment", data.assessment(d, 1)))
    ref = res["server_ref"]
    page = api.get("/api/v1/submissions", ENTERPRISE_A).json()
    cursor = page["next_cursor"]
    (mine,) = [x for x in page["items"] if x["server_ref"] == ref]
    assert mine["state"] == "received" and mine["answer"] is None
    assert api.post(f"/api/v1/inbox/{ref}/review", "xuly").json()["state"] == "in_review"
    r = api.post(f"/api/v1/inbox/{ref}/answer", "xuly", json={
        "verified": True, "outcome": "Phản ánh đúng", "answer": "Chi cục đã chấn chỉnh, xin cảm ơn doanh nghiệp."})
    assert r.status_code == 200 and r.json()["state"] == "answered"
    changed = api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": cursor}).json()
    (mine,) = changed["items"]
    assert mine["server_ref"] == ref and mine["state"] == "answered" and mine["verified"] is True
    assert mine["answer"].startswith("Chi cục") and mine["answered_at"]
    # nothing new after that
    again = api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": changed["next_cursor"]}).json()
    assert again["items"] == [] and again["has_more"] is False


def test_a_full_batch_runs_without_the_cyclic_collector(api):
    """With the server's collector thresholds a 500-item batch frees its containers before
    any collection: the collector does not run inside the request (at a threshold of
    20,000 it ran once or twice per batch, scanning every live container of the request)."""
    items = [item("assessment", data.assessment(d, 1 + i % 5, n_targets=3)) for i, d in enumerate(data.assessable(500))]
    runs: list[int] = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    gc.collect()  # the allocation count starts from zero
    gc.callbacks.append(count)
    try:
        r = api.batch(ENTERPRISE_A, items)
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*before)
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["accepted"] * 500
    assert runs == []
