"""Catalog with ETag, the declarations feed, the processing inbox and the reports."""
from __future__ import annotations

import pytest

from domain.demo import build_catalog

from . import data
from .conftest import ADMIN, ENTERPRISE_A, ENTERPRISE_B, PROCESSOR, VIEWER, item


def test_catalog_matches_the_demo_world_and_honours_etag(api):
    r = api.get("/api/v1/catalog", ENTERPRISE_A)
    assert r.status_code == 200
    cat, etag = r.json(), r.headers["ETag"]
    assert etag == f'"{cat["version"]}"'
    demo = build_catalog()
    assert {b["code"] for b in cat["branches"]} == {t.code for t in demo.branches}
    assert {(o["code"], o["team"]) for o in cat["officials"]} == {(t.code, t.parent) for t in demo.officials}
    assert {s["code"] for s in cat["stages"]} == {t.code for t in demo.stages}
    assert [x["code"] for x in cat["reasons"]["dissatisfied"]][:2] == ["D01", "D02"]
    assert api.get("/api/v1/catalog", ENTERPRISE_A, headers={"If-None-Match": etag}).status_code == 304
    assert api.get("/api/v1/catalog", ENTERPRISE_A, headers={"If-None-Match": '"c-0"'}).status_code == 200


def test_catalog_change_bumps_the_version(api):
    old = api.get("/api/v1/catalog", ENTERPRISE_A).headers["ETag"]
    same = api.put("/api/v1/catalog", ADMIN, json={"targets": [
        {"kind": "stage", "code": "TN", "name": "Tiếp nhận, đăng ký tờ khai"}]})
    assert same.status_code == 200 and same.headers["ETag"] == old  # nothing changed
    r = api.put("/api/v1/catalog", ADMIN, json={"targets": [
        {"kind": "official", "code": "03CC9001", "name": "Ngô Thị Yến", "parent": "03CC-TT"}]})
    assert r.status_code == 200
    new = r.headers["ETag"]
    assert new != old
    r = api.get("/api/v1/catalog", ENTERPRISE_A, headers={"If-None-Match": old})
    assert r.status_code == 200 and "03CC9001" in {o["code"] for o in r.json()["officials"]}
    bad = api.put("/api/v1/catalog", ADMIN, json={"targets": [
        {"kind": "official", "code": "03CC9002", "name": "X", "parent": "NO-TEAM"}]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"


def _read_whole_feed(api) -> str:
    seen, cursor, pages = [], None, 0
    while True:
        page = api.get("/api/v1/declarations", ENTERPRISE_A,
                       params={"limit": 700, **({"since": cursor} if cursor else {})}).json()
        seen += page["items"]
        cursor, pages = page["next_cursor"], pages + 1
        if not page["has_more"]:
            break
    assert pages == 5 and len(seen) == len({d["number"] for d in seen}) == len(data.demo_declarations())
    by_number = {d["number"]: d for d in seen}
    for d in data.assessable(20):
        got = by_number[d.number]
        assert got["status"] == d.status and got["channel"] == d.channel and got["office_code"] == d.office_code
        assert [(h["kind"], h["code"]) for h in got["handling"]] == [(t.kind, t.code) for t in data.targets(d)]
        assert all(h["name"] for h in got["handling"])
    # nothing new since the last cursor
    assert api.get("/api/v1/declarations", ENTERPRISE_A, params={"since": cursor}).json()["items"] == []
    return cursor


def test_declarations_feed_pages_and_handling(api):
    assert _read_whole_feed(api)


def test_declarations_feed_is_incremental(api):
    cursor = _read_whole_feed(api)
    d = data.with_status("channeled")
    t = data.targets(d)
    body = {"owner_tax_code": ENTERPRISE_A, "office_code": d.office_code, "type_code": d.type_code,
            "registered_at": d.registered_at.isoformat(), "status": "released", "channel": d.channel,
            "cleared_at": "2026-11-21T09:00:00+07:00",
            "handling": [{"kind": x.kind, "code": x.code} for x in t]}
    r = api.put(f"/api/v1/declarations/{d.number}", ADMIN, json=body)
    assert r.status_code == 200, r.text
    page = api.get("/api/v1/declarations", ENTERPRISE_A, params={"since": cursor}).json()
    assert [x["number"] for x in page["items"]] == [d.number]
    assert page["items"][0]["status"] == "released"
    # and now it can be assessed
    assert api.batch(ENTERPRISE_A, [item("assessment", data.assessment(d))]).json()["results"][0]["status"] == "accepted"
    bad = dict(body, handling=[{"kind": "official", "code": "ZZ0000"}])
    assert api.put(f"/api/v1/declarations/{d.number}", ADMIN, json=bad).status_code == 422
    assert api.put(f"/api/v1/declarations/{d.number}", PROCESSOR, json=body).status_code == 403


def test_bad_cursor_is_400(api):
    for cursor in ("garbage", "WyJ4Il0", "eyJhIjoxfQ"):
        r = api.get("/api/v1/declarations", ENTERPRISE_A, params={"since": cursor})
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    assert api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": "???"}).status_code == 400


def test_staff_reads_one_enterprise_declarations(api):
    page = api.get("/api/v1/declarations", VIEWER, params={"tax_code": ENTERPRISE_B, "limit": 1000}).json()
    assert len(page["items"]) == len(data.other_declarations())


def test_inbox_holds_reflections_and_low_ratings_only(api):
    a, b = data.assessable(2)
    low = api.batch(ENTERPRISE_A, [item("assessment", data.assessment(a, 2))]).json()["results"][0]["server_ref"]
    high = api.batch(ENTERPRISE_A, [item("assessment", data.assessment(b, 5))]).json()["results"][0]["server_ref"]
    refl = api.batch(ENTERPRISE_A, [item("reflection", data.reflection(data.with_status("channeled")))]
                     ).json()["results"][0]["server_ref"]
    refs, cursor = {}, None
    while True:
        page = api.get("/api/v1/inbox", PROCESSOR, params={"state": "all", "limit": 200,
                                                           **({"since": cursor} if cursor else {})}).json()
        refs.update({x["server_ref"]: x for x in page["items"]})
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert low in refs and refl in refs and high not in refs
    assert refs[low]["lowest_stars"] == 2 and refs[low]["tax_code"] == ENTERPRISE_A
    assert refs[low]["payload"]["contact"]["phone"] == "0912345678"
    assert all(x["kind"] == "reflection" or x["lowest_stars"] <= 2 for x in refs.values())
    open_before = api.get("/api/v1/inbox", PROCESSOR).json()["total_open"]
    api.post(f"/api/v1/inbox/{low}/answer", PROCESSOR, json={"verified": False, "outcome": "Không xác minh được",
                                                             "answer": "Đã kiểm tra, thủ tục đúng thời hạn."})
    assert api.get("/api/v1/inbox", PROCESSOR).json()["total_open"] == open_before - 1
    answered = api.get("/api/v1/inbox", PROCESSOR, params={"state": "answered", "limit": 500}).json()["items"]
    assert low in {x["server_ref"] for x in answered}
    assert api.post(f"/api/v1/inbox/{high}/answer", PROCESSOR,
                    json={"verified": True, "outcome": "x", "answer": "y"}).status_code == 404
    assert api.post("/api/v1/inbox/Q-12/answer", PROCESSOR,
                    json={"verified": True, "outcome": "x", "answer": "y"}).status_code == 404
    assert api.post(f"/api/v1/inbox/{refl}/answer", PROCESSOR,
                    json={"verified": True, "outcome": "", "answer": "y"}).status_code == 422


def test_seeded_report_shows_the_pilot_like_figure(api):
    rep = api.get("/api/v1/reports/satisfaction", VIEWER).json()
    assert rep["total"] > 1000 and rep["assessments"] > 200
    assert 97.0 <= rep["percent_satisfied"] <= 99.5
    assert sum(rep["by_level"].values()) == rep["total"]
    assert rep["satisfied_or_above"] == rep["by_level"]["5"] + rep["by_level"]["4"]
    assert rep["percent_satisfied"] == round(100 * rep["satisfied_or_above"] / rep["total"], 1)


@pytest.mark.parametrize("group_by", ["branch", "team", "stage", "official", "month"])
def test_report_groups_add_up(api, group_by):
    total = api.get("/api/v1/reports/satisfaction", VIEWER).json()
    rep = api.get("/api/v1/reports/satisfaction", VIEWER, params={"group_by": group_by}).json()
    assert rep["groups"] and all(g["kind"] == group_by for g in rep["groups"])
    assert all(g["total"] == sum(g["by_level"].values()) for g in rep["groups"])
    if group_by in ("branch", "month"):
        assert sum(g["total"] for g in rep["groups"]) == total["total"]
    else:
        assert sum(g["total"] for g in rep["groups"]) < total["total"]
    if group_by == "branch":
        assert {g["code"] for g in rep["groups"]} <= {b.code for b in build_catalog().branches}


def test_report_counts_new_ratings_by_period_and_branch(api):
    d, = data.assessable(1)
    base = api.get("/api/v1/reports/satisfaction", VIEWER, params={"branch": d.office_code}).json()
    res = api.batch(ENTERPRISE_A, [item("assessment", data.assessment(d, 1, n_targets=3))]).json()["results"][0]
    day = res["received_at"][:10]
    after = api.get("/api/v1/reports/satisfaction", VIEWER, params={"branch": d.office_code}).json()
    assert after["total"] == base["total"] + 3 and after["by_level"]["1"] == base["by_level"]["1"] + 3
    today = api.get("/api/v1/reports/satisfaction", VIEWER, params={"from": day, "to": day}).json()
    assert today["total"] >= 3 and today["by_level"]["1"] >= 3
    future = api.get("/api/v1/reports/satisfaction", VIEWER, params={"from": "2099-01-01"}).json()
    assert future["total"] == 0 and future["percent_satisfied"] is None
    bad = api.get("/api/v1/reports/satisfaction", VIEWER, params={"from": "2026-02-01", "to": "2026-01-01"})
    assert bad.status_code == 422
    assert api.get("/api/v1/reports/satisfaction", VIEWER, params={"from": "yesterday"}).status_code == 422


def test_dashboard_page(api):
    r = api.client.get("/dashboard")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Hài lòng trở lên" in r.text and "%" in r.text
    assert ENTERPRISE_A not in r.text and "09045" not in r.text  # aggregates only


def test_out_of_range_references_and_cursors(api):
    """Found by the OpenAPI fuzz run: numbers beyond the 32-bit sequence are 404/400, not 5xx."""
    assert api.post("/api/v1/inbox/R-624904847815/review", PROCESSOR).status_code == 404
    assert api.get("/api/v1/inbox/A-99999999999", PROCESSOR).status_code == 404
    assert api.get("/api/v1/inbox", PROCESSOR, params={"since": "99999999999"}).status_code == 400
    import base64
    cursor = base64.urlsafe_b64encode(b'["2026-01-01T00:00:00", 99999999999]').decode().rstrip("=")
    assert api.get("/api/v1/submissions", ENTERPRISE_A, params={"since": cursor}).status_code == 400
