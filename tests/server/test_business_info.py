"""Enterprise information collection on the server (SQLite and PostgreSQL): plans,
requests and their feed, versions never overwritten and tied to account and workstation,
differences, exports."""
from __future__ import annotations

import copy
import csv
import io
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from domain.business_info import diff, validate_v2
from server import business_info as bi
from server.schema import declarations, info_requests, info_versions

from . import data
from .conftest import ADMIN, ENTERPRISE_A, ENTERPRISE_B, PROCESSOR, VIEWER, item

BASE = "/api/v1/business-info"
SEEDED = 1  # versions of the demo enterprise in the demo world (server.business_info.seed_demo_collection)


def info(**over) -> dict:
    p = {
        "reason": "periodic", "workstation": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "identity": {"tax_code": ENTERPRISE_A, "name": "Công ty Hải Long", "address": "Số 5 Lê Hồng Phong, Hải Phòng",
                     "phone": "0225 3842 123", "email": "ketoan@hailong.vn", "representative": "Nguyễn Văn Hải"},
        "contact": {"name": "Trần Thị Bình", "position": "Kế toán", "phone": "0912345678"},
        "business_lines": ["4610"],
        "trade": {"hs_chapters": ["84"], "offices": ["03CE"], "turnover": "10-50"},
        "bank_accounts": [{"bank": "Vietcombank", "number": "0031000123456", "currency": "VND"}],
        "sites": [], "related_parties": [],
    }
    p.update(over)
    return p


def send(api, payload, who=ENTERPRISE_A, schema=2, id=None):
    r = api.batch(who, [item("business_info", payload, schema=schema, id=id)])
    assert r.status_code == 200, r.text
    return r.json()["results"][0]


def test_defects_are_refused_by_the_server(api):
    p = info()
    p["identity"]["email"] = "abc@"
    p["identity"]["representative"] = ""
    res = send(api, p)
    assert res["status"] == "rejected" and res["code"] == "validation_error"
    fields = {d["field"] for d in res["details"]}
    assert {"identity.email", "identity.representative"} <= fields
    legacy = dict(data.business_info(), email="abc@")
    res = send(api, legacy, schema=1)
    assert res["status"] == "rejected" and {d["field"] for d in res["details"]} == {"email"}
    assert send(api, dict(data.business_info(), phone="0225 3842 123"), schema=1)["status"] == "accepted"


def test_versions_are_kept_with_account_workstation_and_diff(api, app):
    first = send(api, info())
    assert first["status"] == "accepted"
    changed = info(reason="changed")
    changed["identity"]["email"] = "xnk@hailong.vn"
    changed["contact"]["phone"] = "0987654321"
    second = send(api, changed)
    assert second["status"] == "accepted"
    # the same item again is a duplicate, not a third version
    again_id = str(uuid.uuid4())
    send(api, info(reason="changed"), id=again_id)
    assert send(api, info(reason="changed"), id=again_id)["status"] == "duplicate"

    r = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/versions", PROCESSOR)
    assert r.status_code == 200, r.text
    seeded, items = r.json()["items"][:SEEDED], r.json()["items"][SEEDED:]
    assert [v["account"] for v in seeded] == [None]  # the demo's version, stored by the seed
    assert [v["number"] for v in items] == [SEEDED + 1, SEEDED + 2, SEEDED + 3]
    assert items[0]["account"] == ENTERPRISE_A and items[0]["workstation"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    assert items[1]["changes"] == 2
    assert items[1]["server_ref"] == second["server_ref"] and items[1]["reason"] == "changed"

    latest = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/latest", VIEWER).json()
    assert latest["number"] == SEEDED + 3 and latest["info"]["identity"]["phone"] == "02253842123"
    d = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/diff", VIEWER,
                params={"from": SEEDED + 1, "to": SEEDED + 2}).json()
    assert {(c["field"], c["before"], c["after"]) for c in d["changes"]} == {
        ("identity.email", "ketoan@hailong.vn", "xnk@hailong.vn"), ("contact.phone", "0912345678", "0987654321")}
    assert api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/diff", VIEWER, params={"from": 1, "to": 9}).status_code == 404
    # never overwritten nor deleted, whatever runs against the database
    db = app.state.db
    for stmt in (sa.update(info_versions).values(payload="{}"), sa.delete(info_versions)):
        with pytest.raises(sa.exc.DBAPIError):
            with db.write() as conn:
                conn.execute(stmt)
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(info_versions)).scalar() == SEEDED + 3


def test_schema_1_versions_are_read_and_compared(api):
    assert send(api, data.business_info(), schema=1)["status"] == "accepted"
    assert send(api, info())["status"] == "accepted"
    versions = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/versions", ADMIN).json()["items"]
    assert [v["schema"] for v in versions] == [2] * SEEDED + [1, 2]
    first = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/versions/{SEEDED + 1}", ADMIN).json()
    assert first["info"]["identity"]["email"] == "xnk@hailong.vn" and first["info"]["other"]
    d = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/diff", ADMIN, params={"from": SEEDED + 1, "to": SEEDED + 2}).json()
    assert "business_lines" in {c["field"] for c in d["changes"]}


def test_a_plan_sends_requests_that_the_enterprise_fetches_and_fulfils(api, app):
    due = (date.today() + timedelta(days=30)).isoformat()
    r = api.post(f"{BASE}/plans", PROCESSOR, json={"title": "Thu thập định kỳ 2026", "year": 2026, "due_date": due,
                                                   "tax_codes": [ENTERPRISE_A, ENTERPRISE_B]})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["progress"] == {"sent": 2, "fulfilled": 0, "pending": 2, "overdue": 0}
    feed = api.get(f"{BASE}/requests", ENTERPRISE_A).json()
    assert [(i["plan_title"], i["state"]) for i in feed["items"]] == [(bi.DEMO_PLAN_TITLE, "pending"),
                                                                      ("Thu thập định kỳ 2026", "pending")]
    assert (feed["items"][1]["kind"], feed["items"][1]["due_date"]) == ("periodic", due)
    cursor = feed["next_cursor"]
    assert api.get(f"{BASE}/requests", ENTERPRISE_A, params={"since": cursor}).json()["items"] == []
    rid = feed["items"][1]["id"]
    assert send(api, info(request_id=rid))["status"] == "accepted"
    # the changes of state come on the feed after the cursor (a version answers every open request)
    after = api.get(f"{BASE}/requests", ENTERPRISE_A, params={"since": cursor}).json()["items"]
    assert {(i["id"], i["state"]) for i in after} == {(rid, "fulfilled"), (feed["items"][0]["id"], "fulfilled")}
    progress = api.get(f"{BASE}/plans/{plan['id']}", VIEWER).json()["progress"]
    assert progress == {"sent": 2, "fulfilled": 1, "pending": 1, "overdue": 0}
    listed = api.get(f"{BASE}/plans", VIEWER, params={"year": 2026}).json()["items"]
    assert listed[0]["id"] == plan["id"] and listed[0]["progress"]["fulfilled"] == 1
    # enterprises see only their own requests; staff cannot use the enterprise feed
    assert all(i["tax_code"] == ENTERPRISE_B for i in api.get(f"{BASE}/requests", ENTERPRISE_B).json()["items"])
    assert api.get(f"{BASE}/requests", PROCESSOR).status_code == 403


def test_overdue_requests_and_branch_plans(api, app):
    with app.state.db.read() as conn:
        office = conn.execute(sa.select(declarations.c.office_code)
                              .where(declarations.c.owner_tax_code == ENTERPRISE_A).limit(1)).scalar_one()
    past = (date.today() - timedelta(days=3)).isoformat()
    r = api.post(f"{BASE}/plans", ADMIN, json={"title": "Theo chi cục", "year": 2026, "due_date": past,
                                               "branch": office})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert ENTERPRISE_A in {q["tax_code"] for q in plan["requests"]}
    assert plan["progress"]["overdue"] == plan["progress"]["sent"] >= 1
    mine = [i for i in api.get(f"{BASE}/requests", ENTERPRISE_A).json()["items"] if i["plan_id"] == plan["id"]]
    assert mine[0]["overdue"] is True


def test_ad_hoc_and_first_time_requests(api):
    r = api.post(f"{BASE}/requests", PROCESSOR, json={"tax_code": ENTERPRISE_A, "kind": "ad_hoc"})
    assert r.status_code == 422
    r = api.post(f"{BASE}/requests", PROCESSOR, json={"tax_code": ENTERPRISE_A, "reason": "Kiểm tra sau thông quan",
                                                      "due_date": "2026-12-31"})
    assert r.status_code == 201 and r.json()["kind"] == "ad_hoc" and r.json()["reason"] == "Kiểm tra sau thông quan"
    ft = api.post(f"{BASE}/requests", PROCESSOR, json={"tax_code": ENTERPRISE_A, "kind": "first_time",
                                                       "office_code": "03CE"}).json()
    again = api.post(f"{BASE}/requests", PROCESSOR, json={"tax_code": ENTERPRISE_A, "kind": "first_time",
                                                          "office_code": "03CE"}).json()
    assert ft["id"] == again["id"]
    listed = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/requests", VIEWER).json()["items"]
    assert {i["kind"] for i in listed} == {"ad_hoc", "first_time", "periodic"}
    # a version answers every open request made before it
    assert send(api, info(reason="requested"))["status"] == "accepted"
    assert {i["state"] for i in api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/requests", VIEWER).json()["items"]} == {
        "fulfilled"}


@pytest.mark.parametrize("body,status", [
    ({"title": "x", "year": 2026, "due_date": "2026-12-31"}, 422),
    ({"title": "x", "year": 2026, "due_date": "2026-12-31", "tax_codes": ["0200000000"]}, 422),
    ({"title": "x", "year": 2026, "due_date": "2026-12-31", "tax_codes": ["0100109106"]}, 422),  # no account
    ({"title": "x", "year": 2026, "due_date": "2026-12-31", "branch": "ZZZZ"}, 422),
    ({"title": "", "year": 2026, "due_date": "2026-12-31", "tax_codes": [ENTERPRISE_A]}, 422),
    ({"title": "x", "year": 2026, "due_date": "31/12/2026", "tax_codes": [ENTERPRISE_A]}, 422),
])
def test_bad_plans_are_refused(api, body, status):
    assert api.post(f"{BASE}/plans", PROCESSOR, json=body).status_code == status


def test_who_may_do_what(api):
    body = {"title": "x", "year": 2026, "due_date": "2026-12-31", "tax_codes": [ENTERPRISE_A]}
    assert api.post(f"{BASE}/plans", VIEWER, json=body).status_code == 403
    assert api.post(f"{BASE}/plans", ENTERPRISE_A, json=body).status_code == 403
    assert api.get(f"{BASE}/plans", ENTERPRISE_A).status_code == 403
    assert api.get(f"{BASE}/enterprises/{ENTERPRISE_B}/versions", ENTERPRISE_A).status_code == 403
    assert api.get(f"{BASE}/plans").status_code == 401


def test_exports(api):
    send(api, info())
    changed = info(reason="changed")
    changed["identity"]["email"] = "cmd@hailong.vn"
    changed["identity"]["name"] = "=HYPERLINK(\"x\")"
    send(api, changed)
    r = api.get(f"{BASE}/exports/latest.csv", VIEWER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Phiên bản", "Ngày nhận", "Lý do", "Mã số thuế"]
    row = next(x for x in rows[1:] if x[3] == ENTERPRISE_A)
    assert row[0] == str(SEEDED + 2) and row[4] == "'=HYPERLINK(\"x\")"  # never a formula
    today = bi.today_vn().isoformat()  # the period is in Vietnam days
    r = api.get(f"{BASE}/exports/changes.xlsx", VIEWER, params={"from": today, "to": today})
    assert r.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:5] == ["Mã số thuế", "Phiên bản", "Ngày nhận", "Lý do", "Trường"]
    fields = {(v[1], v[4]) for v in values[1:]}
    assert {(SEEDED + 2, "identity.email"), (SEEDED + 2, "identity.name"), (SEEDED + 1, "identity.email")} <= fields
    assert api.get(f"{BASE}/exports/changes.csv", VIEWER, params={"from": today, "to": "2000-01-01"}).status_code == 422
    assert api.get(f"{BASE}/exports/latest.pdf", VIEWER).status_code in (404, 422)
    for start, end in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")):
        assert api.get(f"{BASE}/exports/changes.csv", VIEWER, params={"from": start, "to": end}).status_code == 422


def test_service_functions_without_http(app):
    """What the console calls: the same functions, on a connection."""
    db = app.state.db
    with db.write() as conn:
        plan = bi.create_plan(conn, title="Kế hoạch", year=2026, due_date=date(2026, 12, 31),
                              tax_codes=[ENTERPRISE_A], created_by=None)
    with db.read() as conn:
        assert bi.plans(conn)[0]["id"] == plan["id"]
        assert plan["id"] in {r["plan_id"] for r in bi.requests_of(conn, ENTERPRISE_A)}
        assert [v["number"] for v in bi.versions(conn, ENTERPRISE_A)] == list(range(1, SEEDED + 1))
        header, rows = bi.latest_table(conn)
        assert header and isinstance(rows, list)
    old = validate_v2(info())
    new = copy.deepcopy(old)
    new["trade"]["turnover"] = "50-200"
    assert [c.field for c in diff(old, new)] == ["trade.turnover"]
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(info_requests)
                            .where(info_requests.c.plan_id == plan["id"])).scalar() == 1


def test_the_demo_world_has_a_pending_periodic_request_and_last_years_version(api):
    items = api.get(f"{BASE}/requests", ENTERPRISE_A).json()["items"]
    assert [(i["kind"], i["state"], i["plan_title"]) for i in items] == [("periodic", "pending", bi.DEMO_PLAN_TITLE)]
    (plan,) = api.get(f"{BASE}/plans", VIEWER).json()["items"]
    assert plan["progress"]["sent"] == 2 and plan["progress"]["fulfilled"] == 0
    latest = api.get(f"{BASE}/enterprises/{ENTERPRISE_A}/latest", VIEWER).json()
    assert latest["number"] == 1 and latest["received_at"].startswith("2025-12-15")
    assert latest["source"] == "import" and latest["server_ref"] is None and latest["account"] is None
