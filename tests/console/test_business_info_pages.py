"""The console's enterprise information pages (``server/console/business_info.py``): who
may see and create what, CSRF on the forms, refused input shown again with what was typed,
plans and their progress (overdue with the clock moved), versions with account and
workstation, the difference between any two versions, exports, escaping, English."""
from __future__ import annotations

import csv
import io
import json
import re
from copy import deepcopy
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from domain.business_info import demo_last_version
from domain.demo import DEMO_ENTERPRISE, OTHER_ENTERPRISE
from domain.submissions import canonical_json
from server import business_info as service
from server.console import auth, business_info as pages, i18n
from server.schema import info_plans, info_requests, info_versions

HOME = "/console/business-info"
ENTERPRISE = f"{HOME}/enterprises/{DEMO_ENTERPRISE.tax_code}"
WS = "4f1c2a9e-7b3d-4c55-9a0e-1d2c3b4a5f60"
HOSTILE = '<script>alert("x")</script><b>đậm</b>'


def csrf_of(console, path: str = HOME) -> str:
    return console.csrf(console.client.get(path).text)


def plan_titles(app) -> list[str]:
    with app.state.db.read() as conn:
        return list(conn.execute(sa.select(info_plans.c.title).order_by(info_plans.c.id)).scalars())


def add_version(app, number: int, info: dict, *, account: str | None, workstation: str | None,
                received: datetime, reason: str = "changed") -> None:
    with app.state.db.write() as conn:
        conn.execute(sa.insert(info_versions).values(
            owner_tax_code=DEMO_ENTERPRISE.tax_code, number=number, submission_seq=None, schema_version=2,
            payload=canonical_json(info), reason=reason, source="submission", account=account,
            workstation=workstation, received_at=received))


@pytest.fixture(autouse=True)
def november(real_clock):
    """The console's clocks on 20 November 2026, 10:00 Vietnam time (the demo plan is due
    on 20 December)."""
    auth.set_clock(lambda: datetime(2026, 11, 20, 3, 0))


def plan_form(**kw) -> dict[str, str]:
    return {"title": "Thu thập bổ sung quý III", "year": "2026", "due_date": "2026-12-31", "scope": "list",
            "tax_codes": OTHER_ENTERPRISE.tax_code, **kw}


# ---- roles --------------------------------------------------------------------------------

def test_processor_has_no_access_and_no_menu_entry(console):
    console.signed_in("xuly")
    inbox = console.client.get("/console/inbox").text
    assert 'href="/console/business-info"' not in inbox
    for path in (HOME, ENTERPRISE, f"{HOME}/plans/1", f"{HOME}/exports/latest.csv"):
        r = console.client.get(path)
        assert r.status_code == 403, path
        assert "Vai trò của bạn không được xem thông tin doanh nghiệp." in r.text


def test_viewer_reads_but_sees_no_form_and_cannot_create(console, app):
    console.signed_in("baocao")
    page = console.client.get(HOME)
    assert page.status_code == 200 and 'href="/console/business-info"' in page.text
    assert service.DEMO_PLAN_TITLE in page.text
    assert 'id="new-plan"' not in page.text and 'id="new-request"' not in page.text
    assert console.client.get(ENTERPRISE).status_code == 200
    token = console.csrf(page.text)  # the sign-out form's token
    before = plan_titles(app)
    r = console.client.post(f"{HOME}/plans", data={"csrf": token, **plan_form()}, follow_redirects=False)
    assert r.status_code == 403
    r = console.client.post(f"{HOME}/requests", data={"csrf": token, "tax_code": OTHER_ENTERPRISE.tax_code,
                                                      "reason": "Kiểm tra"}, follow_redirects=False)
    assert r.status_code == 403
    assert plan_titles(app) == before


def test_supervisor_creates_a_plan_by_list(console, app):
    console.signed_in("giamsat")
    token = csrf_of(console)
    r = console.client.post(f"{HOME}/plans", data={"csrf": token, **plan_form()}, follow_redirects=False)
    assert r.status_code == 303
    page = console.client.get(r.headers["location"])
    assert page.status_code == 200
    assert "Đã lập kế hoạch: đã gửi 1 yêu cầu." in page.text
    assert re.findall(r'data-tax-code="(\d+)"', page.text) == [OTHER_ENTERPRISE.tax_code]
    with app.state.db.read() as conn:
        (p,) = [p for p in service.plans(conn) if p["title"] == "Thu thập bổ sung quý III"]
        assert p["progress"]["sent"] == 1 and p["due_date"] == "2026-12-31"


def test_admin_creates_a_plan_by_branch(console, app):
    console.signed_in("quantri")
    r = console.client.post(f"{HOME}/plans", data={"csrf": csrf_of(console), **plan_form(
        title="Chi cục 03CC", scope="branch", branch="03CC", tax_codes="")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    plan_id = int(r.headers["location"].split("/")[-1].split("?")[0])
    with app.state.db.read() as conn:
        expected = sorted(conn.execute(sa.select(info_requests.c.owner_tax_code)
                                       .where(info_requests.c.plan_id == plan_id)).scalars())
    assert expected and DEMO_ENTERPRISE.tax_code in expected
    page = console.client.get(r.headers["location"]).text
    assert sorted(re.findall(r'data-tax-code="(\d+)"', page)) == expected
    assert "03CC" in page


# ---- CSRF ----------------------------------------------------------------------------------

def test_forms_without_or_with_a_wrong_csrf_token_are_refused(console, app):
    console.signed_in("quantri")
    before = plan_titles(app)
    for token in (None, "0" * 64):
        extra = {} if token is None else {"csrf": token}
        r = console.client.post(f"{HOME}/plans", data={**extra, **plan_form()}, follow_redirects=False)
        assert r.status_code == 403
        assert "Biểu mẫu đã hết hạn" in r.text
        r = console.client.post(f"{HOME}/requests", data={**extra, "tax_code": OTHER_ENTERPRISE.tax_code,
                                                          "reason": "Kiểm tra sau thông quan"},
                                follow_redirects=False)
        assert r.status_code == 403
    assert plan_titles(app) == before
    with app.state.db.read() as conn:
        assert [r["kind"] for r in service.requests_of(conn, OTHER_ENTERPRISE.tax_code)] == ["periodic"]
    # the header form (htmx) is accepted like the field
    page = console.client.get(HOME).text
    r = console.client.post(f"{HOME}/plans", data=plan_form(), headers={"X-CSRF-Token": console.csrf(page)},
                            follow_redirects=False)
    assert r.status_code == 303


# ---- refused input keeps what was typed ------------------------------------------------------

def test_refused_plan_is_shown_again_with_the_input_and_the_reason(console, app):
    console.signed_in("quantri")
    token = csrf_of(console)
    before = plan_titles(app)
    r = console.client.post(f"{HOME}/plans", data={"csrf": token, **plan_form(
        title="Kế hoạch có mã sai", tax_codes=f"{OTHER_ENTERPRISE.tax_code}\n0312345678\n12ab")})
    assert r.status_code == 422
    assert 'id="plan-error"' in r.text and "12ab" in r.text
    assert 'value="Kế hoạch có mã sai"' in r.text
    assert f"{OTHER_ENTERPRISE.tax_code}\n0312345678\n12ab</textarea>" in r.text
    r = console.client.post(f"{HOME}/plans", data={"csrf": token, **plan_form(due_date="2020-01-01")})
    assert r.status_code == 422 and "Hạn cung cấp đã qua." in r.text
    r = console.client.post(f"{HOME}/plans", data={"csrf": token, **plan_form(scope="branch", branch="")})
    assert r.status_code == 422 and "Hãy chọn chi cục." in r.text
    r = console.client.post(f"{HOME}/plans", data={"csrf": token, **plan_form(tax_codes=" \n ")})
    assert r.status_code == 422 and "mỗi dòng một mã" in r.text
    assert plan_titles(app) == before


def test_ad_hoc_request_needs_a_reason_and_is_listed_escaped(console, app):
    console.signed_in("giamsat")
    token = csrf_of(console)
    r = console.client.post(f"{HOME}/requests", data={"csrf": token, "tax_code": OTHER_ENTERPRISE.tax_code,
                                                      "reason": "  ", "due_date": ""})
    assert r.status_code == 422 and "Yêu cầu đột xuất phải có lý do." in r.text
    assert f'value="{OTHER_ENTERPRISE.tax_code}"' in r.text
    r = console.client.post(f"{HOME}/requests", data={"csrf": token, "tax_code": "0399999997",
                                                      "reason": "Kiểm tra"})
    assert r.status_code == 422 and "0399999997" in r.text and 'id="request-error"' in r.text
    r = console.client.post(f"{HOME}/requests", data={"csrf": token, "tax_code": OTHER_ENTERPRISE.tax_code,
                                                      "reason": HOSTILE, "due_date": "2026-12-20"},
                            follow_redirects=False)
    assert r.status_code == 303
    page = console.client.get(r.headers["location"])
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<b>đậm" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;đậm&lt;/b&gt;" in page.text
    assert "Đột xuất" in page.text and "20/12/2026" in page.text
    with app.state.db.read() as conn:
        (made,) = [r for r in service.requests_of(conn, OTHER_ENTERPRISE.tax_code) if r["kind"] == "ad_hoc"]
    assert made["kind"] == "ad_hoc" and made["reason"] == HOSTILE


def test_plan_title_is_escaped(console):
    console.signed_in("quantri")
    r = console.client.post(f"{HOME}/plans", data={"csrf": csrf_of(console), **plan_form(title=HOSTILE)})
    assert r.status_code == 200  # followed to the plan's page
    for text in (r.text, console.client.get(HOME).text):
        assert "<script>alert" not in text and "&lt;script&gt;" in text


# ---- progress ---------------------------------------------------------------------------------

def test_progress_counts_fulfilled_and_overdue(console, app):
    console.signed_in("quantri")
    row = re.compile(r'<tr data-plan="(\d+)"( class="overdue")?>.*?data-col="sent">(\d+)<.*?'
                     r'data-col="fulfilled">(\d+)<.*?data-col="pending">(\d+)<.*?data-col="overdue">(\d+)<', re.S)
    rows = {m.group(1): m.groups()[1:] for m in row.finditer(console.client.get(HOME).text)}
    with app.state.db.read() as conn:
        (demo,) = [p for p in service.plans(conn) if p["title"] == service.DEMO_PLAN_TITLE]
    assert rows[str(demo["id"])] == (None, "2", "0", "2", "0")
    # the demo enterprise answers; then the due date passes for the other one
    info = demo_last_version()
    info["identity"]["email"] = "ketoan@hailong.vn"
    received = datetime(2026, 11, 25, 3, 0)
    with app.state.db.write() as conn:
        conn.execute(sa.update(info_requests).where(info_requests.c.owner_tax_code == DEMO_ENTERPRISE.tax_code)
                     .values(fulfilled_at=received))
    due = datetime.fromisoformat(demo["due_date"])
    auth.set_case_clock(lambda: due + timedelta(days=2))
    page = console.client.get(HOME).text
    rows = {m.group(1): m.groups()[1:] for m in row.finditer(page)}
    assert rows[str(demo["id"])] == (' class="overdue"', "2", "1", "1", "1")
    plan_page = console.client.get(f"{HOME}/plans/{demo['id']}").text
    assert "Đã gửi 2, đã cung cấp 1, chưa cung cấp 1, quá hạn 1" in plan_page


# ---- versions and differences -----------------------------------------------------------------

def _three_versions(app) -> None:
    v2 = deepcopy(demo_last_version())
    v2["identity"]["email"] = "ketoan@hailong.vn"
    v2["contact"]["phone"] = "0987654321"
    add_version(app, 2, v2, account=DEMO_ENTERPRISE.tax_code, workstation=WS, received=datetime(2026, 3, 2, 2, 15))
    v3 = deepcopy(v2)
    v3["bank_accounts"] = v3["bank_accounts"][:1]
    v3["identity"]["representative"] = HOSTILE
    add_version(app, 3, v3, account=DEMO_ENTERPRISE.tax_code, workstation=WS, received=datetime(2026, 6, 1, 8, 0),
                reason="requested")


def _diff_states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-field="([^"]+)" data-state="([^"]+)"', html))


def test_versions_with_account_workstation_and_the_latest_diff(console, app):
    _three_versions(app)
    console.signed_in("baocao")
    page = console.client.get(ENTERPRISE).text
    versions = re.findall(r'<tr data-version="(\d+)">', page)
    assert versions == ["3", "2", "1"]
    assert page.count(WS) == 2 and "02/03/2026 09:15" in page and "01/06/2026 15:00" in page
    assert "Nhập từ lần thu thập trước" in page and "Theo yêu cầu của hải quan" in page
    # the latest information is version 3, shown escaped
    assert "phiên bản 3" in page and "&lt;script&gt;" in page and "<script>alert" not in page
    # by default the last two versions are compared
    states = _diff_states(page)
    changed = {f: s for f, s in states.items() if s != "same"}
    assert changed["identity.representative"] == "changed"
    assert [s for f, s in changed.items() if f.startswith("bank_accounts[")] == ["removed"]
    assert "identity.email" in states and states["identity.email"] == "same"
    assert "2 trường thông tin thay đổi." in page
    assert '<tr class="changed" data-field="identity.representative"' in page


def test_diff_between_any_two_versions(console, app):
    _three_versions(app)
    console.signed_in("quantri")
    page = console.client.get(ENTERPRISE, params={"from": 1, "to": 2}).text
    changed = {f: s for f, s in _diff_states(page).items() if s != "same"}
    assert changed == {"identity.email": "changed", "contact.phone": "changed"}
    assert "<del>xnk@hailong.vn</del>" in page and "<ins>ketoan@hailong.vn</ins>" in page
    page = console.client.get(ENTERPRISE, params={"from": 1, "to": 3}).text
    with app.state.db.read() as conn:
        expected = {c["field"] for c in service.diff_versions(conn, DEMO_ENTERPRISE.tax_code, 1, 3)["changes"]}
    assert {f for f, s in _diff_states(page).items() if s != "same"} == expected and len(expected) == 4
    assert console.client.get(ENTERPRISE, params={"from": 1, "to": 9}).status_code == 404
    assert console.client.get(f"{HOME}/enterprises/12ab").status_code == 404
    assert console.client.get(f"{HOME}/plans/999999").status_code == 404


def test_search_box_opens_the_enterprise(console):
    console.signed_in("baocao")
    r = console.client.get(f"{HOME}/enterprise", params={"tax_code": f" {DEMO_ENTERPRISE.tax_code} "},
                           follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == ENTERPRISE


# ---- exports ------------------------------------------------------------------------------

def test_exports_are_downloads_of_the_service_tables(console, app):
    _three_versions(app)
    console.signed_in("baocao")
    r = console.client.get(f"{HOME}/exports/latest.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="thong-tin-doanh-nghiep.csv"'
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    (demo,) = [row for row in rows[1:] if row[3] == DEMO_ENTERPRISE.tax_code]
    assert demo[0] == "3" and WS in demo
    assert HOSTILE in demo  # not a formula: kept as it is
    r = console.client.get(f"{HOME}/exports/changes.xlsx", params={"from": "2026-03-01", "to": "2026-03-31"})
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [(v[4], v[5], v[6]) for v in values[1:]] == [
        ("identity.email", "xnk@hailong.vn", "ketoan@hailong.vn"), ("contact.phone", "0912345678", "0987654321")]
    for bad in ({"from": "2026-03-31", "to": "2026-03-01"}, {"from": "2024-01-01", "to": "2026-01-01"},
                {"from": "x", "to": "2026-01-01"}, {}):
        assert console.client.get(f"{HOME}/exports/changes.csv", params=bad).status_code == 422, bad
    assert console.client.get(f"{HOME}/exports/latest.pdf").status_code == 404


# ---- language ---------------------------------------------------------------------------------

def test_english_pages(console, app):
    _three_versions(app)
    console.signed_in("quantri")
    console.client.get("/console/lang/en", params={"next": HOME})
    page = console.client.get(HOME).text
    assert '<html lang="en">' in page and "Collection plans" in page and "New collection plan" in page
    assert "Kế hoạch thu thập thông tin" not in page
    page = console.client.get(ENTERPRISE).text
    assert "Latest information" in page and "Legal representative" in page and "Requested by customs" in page
    assert "2 fields changed." in page and "Người đại diện" not in page


def test_every_name_of_the_pages_is_translated():
    names = [*pages.FIELD_NAMES.values(), *pages.SECTION_NAMES.values(), *pages.REASON_NAMES.values(),
             *pages.KIND_NAMES.values(), *pages.SOURCE_NAMES.values(), "changed", "added", "removed"]
    assert [n for n in names if n not in i18n.VI] == []
    tr = i18n.translator("vi")
    assert pages.field_label("sites[warehouse:lô 5]", tr) == "Cơ sở sản xuất, kho bãi"
    assert pages.field_label("other.employees", tr) == "Khác: employees"
    assert json.dumps(tr("Version {n}", n=2), ensure_ascii=False) == '"Phiên bản 2"'


def test_the_pages_own_texts_are_not_shadowed_by_other_pages_translations():
    """The console's catalogue keeps the first translation of a text: the pages' texts mean
    the same there."""
    from server.console import bi_i18n

    assert {k: i18n.VI[k] for k in bi_i18n.VI if i18n.VI[k] != bi_i18n.VI[k]} == {}
