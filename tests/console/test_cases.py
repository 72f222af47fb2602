"""The console's case pages over HTTP: what each role and branch sees and may do, CSRF on
every action, escaping of what enterprises wrote, deadlines over holidays and a weekend."""
from __future__ import annotations

import re

import pytest

from server.console import auth
from tests.console import world
from tests.console.conftest import at_local

BEFORE_DEADLINE = "2026-05-01 16:00"  # a holiday: the case received on 29/4 is not late yet
AFTER_DEADLINE = "2026-05-04 10:30"  # Monday: the acknowledgement deadline (10:00) has passed


@pytest.fixture
def clock():
    def set_to(local: str) -> None:
        t = at_local(local)
        auth.set_case_clock(lambda: t)  # the case service's "now"; sessions keep the real time
    set_to(BEFORE_DEADLINE)
    return set_to


def row_of(html: str, case_id: int) -> str:
    """The inbox table row of a case ('' when not listed)."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S):
        if f'href="/console/cases/{case_id}"' in row:
            return row
    return ""


def escalated_part(html: str) -> str:
    return html.split('id="escalated-cases"')[1].split("</table>")[0] if 'id="escalated-cases"' in html else ""


def _csrf(console) -> str:
    return auth.csrf_for(console.client.cookies.get(auth.COOKIE))


def _post(console, path: str, data: dict | None = None, htmx: bool = False, csrf: bool = True):
    body = dict(data or {})
    if csrf:
        body["csrf"] = _csrf(console)
    headers = {"HX-Request": "true"} if htmx else {}
    return console.client.post(path, data=body, headers=headers, follow_redirects=False)


def test_inbox_lists_the_branch_cases_with_their_deadline_in_vietnamese(console, case_ids, clock):
    console.signed_in("xuly")
    r = console.client.get("/console/inbox")
    assert r.status_code == 200 and '<html lang="vi">' in r.text
    for case_id in case_ids[world.BRANCH_A]:
        assert f'href="/console/cases/{case_id}"' in r.text
    for case_id in case_ids[world.BRANCH_B]:
        assert f'href="/console/cases/{case_id}"' not in r.text
    assert "Hộp việc" in r.text and "Hạn xử lý" in r.text
    for case_id in case_ids[world.BRANCH_A]:
        row = row_of(r.text, case_id)
        # received 29/4: one working day later, over 30/4, 1/5 and a weekend; not late on 1/5
        assert world.ACK_DUE_LOCAL in row and "overdue" not in row and "quá hạn" not in row


def test_inbox_filters(console, case_ids, clock):
    console.signed_in("xuly")
    r = console.client.get("/console/inbox", params={"state": "answered"})
    assert r.status_code == 200
    assert not any(f'href="/console/cases/{i}"' in r.text for i in case_ids[world.BRANCH_A])
    r = console.client.get("/console/inbox", params={"state": "new", "level": "1", "kind": "assessment",
                                                     "branch": world.BRANCH_A})
    assert all(f'href="/console/cases/{i}"' in r.text for i in case_ids[world.BRANCH_A])
    r = console.client.get("/console/inbox", params={"branch": world.BRANCH_B})  # not one of hers
    assert not any(f'href="/console/cases/{i}"' in r.text for i in case_ids[world.BRANCH_B])


def test_supervisor_sees_overdue_cases_escalated_apart(console, case_ids, clock):
    console.signed_in("giamsat")
    escalated = escalated_part(console.client.get("/console/inbox").text)
    assert not any(row_of(escalated, case_id) for case_id in case_ids[world.BRANCH_A])
    clock(AFTER_DEADLINE)
    escalated = escalated_part(console.client.get("/console/inbox").text)
    for case_id in case_ids[world.BRANCH_A]:
        row = row_of(escalated, case_id)
        assert "quá hạn" in row and world.ACK_DUE_LOCAL in row
    # a processor's inbox has no escalated list, but shows the overdue cases as such
    console.signed_in("xuly")
    page = console.client.get("/console/inbox").text
    assert 'id="escalated-cases"' not in page
    assert all('class="overdue"' in row_of(page, case_id) for case_id in case_ids[world.BRANCH_A])


def test_enterprise_comment_with_html_and_script_is_shown_as_text(console, case_ids, clock):
    console.signed_in("xuly")
    r = console.client.get(f"/console/cases/{case_ids[world.BRANCH_A][0]}")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<b>in đậm</b>" not in r.text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;&lt;b&gt;in đậm&lt;/b&gt; &amp; &#34;trích dẫn&#34;" in r.text


def test_case_page_shows_records_ratings_contact_and_deadlines(console, case_ids, clock):
    console.signed_in("xuly")
    text = console.client.get(f"/console/cases/{case_ids[world.BRANCH_A][1]}").text
    for expected in ("Ý kiến của doanh nghiệp", "Quá trình xử lý tờ khai", "Vũ Thị Hồng", "0904567123", "0200123457",
                     world.ACK_DUE_LOCAL, "08/05/2026 10:0", "Nhật ký xử lý", "tiếp nhận hồ sơ", "★☆☆☆☆"):
        assert expected in text, expected


def test_viewer_sees_no_action_and_every_action_is_refused(console, case_ids, clock):
    case_id = case_ids[world.BRANCH_A][0]
    console.signed_in("baocao")
    text = console.client.get(f"/console/cases/{case_id}").text
    assert "Thao tác" not in text and "/take" not in text and "/answer" not in text
    # a viewer monitors: the enterprise's identity and contact are not shown
    assert "Vũ Thị Hồng" not in text and "0200123457" not in text and "Hải Long" not in text
    for action, data in (("take", {}), ("review", {}), ("note", {"text": "x"}), ("close", {}),
                         ("answer", {"outcome": "partly", "text": "x"}), ("assign", {"owner_id": "3"})):
        r = _post(console, f"/console/cases/{case_id}/{action}", data)
        assert r.status_code == 403, action
        assert "Vai trò của bạn không được thực hiện thao tác này." in r.text


def test_other_branch_case_is_not_found_to_see_or_to_act(console, case_ids, clock):
    other = case_ids[world.BRANCH_B][0]
    console.signed_in("xuly")
    r = console.client.get(f"/console/cases/{other}")
    assert r.status_code == 404 and "thuộc chi cục khác" in r.text
    for action in ("take", "review", "close"):
        assert _post(console, f"/console/cases/{other}/{action}").status_code == 404, action
    assert _post(console, f"/console/cases/{other}/note", {"text": "x"}).status_code == 404
    # the same case is there for its own branch's processor
    console.signed_in("xulyb")
    assert console.client.get(f"/console/cases/{other}").status_code == 200


def test_actions_without_a_valid_csrf_token_are_refused(console, case_ids, clock):
    case_id = case_ids[world.BRANCH_A][2]
    console.signed_in("xuly")
    r = _post(console, f"/console/cases/{case_id}/take", csrf=False)
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.text
    r = _post(console, f"/console/cases/{case_id}/take", {"csrf": "0" * 64}, csrf=False)
    assert r.status_code == 403
    r = console.client.post(f"/console/cases/{case_id}/take", headers={"HX-Request": "true", "X-CSRF-Token": "bad"})
    assert r.status_code == 403 and r.headers["hx-retarget"] == "#flash"
    # another session's token does not fit this session
    other = auth.csrf_for("another-session-token")
    assert _post(console, f"/console/cases/{case_id}/take", {"csrf": other}, csrf=False).status_code == 403
    assert "Nhận xử lý" in console.client.get(f"/console/cases/{case_id}").text  # still untaken
    # with the header (htmx) it goes through
    r = console.client.post(f"/console/cases/{case_id}/take",
                            headers={"HX-Request": "true", "X-CSRF-Token": _csrf(console)})
    assert r.status_code == 200 and 'id="case-main"' in r.text and "Bắt đầu xác minh" in r.text


def test_processor_handles_a_case_from_take_to_answer(console, case_ids, clock):
    case_id = case_ids[world.BRANCH_A][1]
    console.signed_in("xuly")
    assert _post(console, f"/console/cases/{case_id}/take").status_code == 303
    r = _post(console, f"/console/cases/{case_id}/review", htmx=True)
    assert r.status_code == 200 and "Gửi câu trả lời" in r.text and "<html" not in r.text  # a partial
    r = _post(console, f"/console/cases/{case_id}/note", {"text": "Đã gọi điện cho doanh nghiệp."}, htmx=True)
    assert "Đã gọi điện cho doanh nghiệp." in r.text
    # both an outcome and a text are required
    r = _post(console, f"/console/cases/{case_id}/answer", {"outcome": "", "text": "Trả lời"}, htmx=True)
    assert r.status_code == 422 and "cần có cả kết quả và nội dung" in r.text
    r = _post(console, f"/console/cases/{case_id}/answer", {"outcome": "partly", "text": ""})
    assert r.status_code == 422
    r = _post(console, f"/console/cases/{case_id}/answer",
              {"outcome": "partly", "text": "Chi cục đã kiểm tra và chấn chỉnh."}, htmx=True)
    assert r.status_code == 200 and "Đã trả lời" in r.text and "Có cơ sở một phần" in r.text
    # a processor does not close (the supervisor does)
    assert "/close" not in r.text
    assert _post(console, f"/console/cases/{case_id}/close").status_code == 403
    console.signed_in("giamsat")
    assert _post(console, f"/console/cases/{case_id}/close").status_code == 303
    text = console.client.get(f"/console/cases/{case_id}").text
    assert "Đã đóng" in text and "đóng hồ sơ" in text


def test_a_conflicting_action_gets_a_clear_message(console, case_ids, clock):
    case_id = case_ids[world.BRANCH_A][2]
    console.signed_in("xuly")
    _post(console, f"/console/cases/{case_id}/take")
    r = _post(console, f"/console/cases/{case_id}/answer", {"outcome": "partly", "text": "x"})
    assert r.status_code == 409 and "Hồ sơ vừa được thay đổi" in r.text


def test_supervisor_assigns_and_keeps_templates(console, case_ids, clock):
    case_id = case_ids[world.BRANCH_A][0]
    console.signed_in("giamsat")
    text = console.client.get(f"/console/cases/{case_id}").text
    owners = dict((name, int(uid)) for uid, name in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', text))
    assert "Nguyễn Thu Hà" in owners and "Đỗ Văn Bình" not in owners  # branch B's processor is not offered
    r = _post(console, f"/console/cases/{case_id}/assign", {"owner_id": owners["Nguyễn Thu Hà"]}, htmx=True)
    assert r.status_code == 200 and "Nguyễn Thu Hà" in r.text and "Đã giao" in r.text
    r = _post(console, "/console/templates", {"branch": world.BRANCH_A, "name": "Cảm ơn",
                                              "body": "Kính gửi {doanh_nghiep}, về tờ khai {so_to_khai}: ..."})
    assert r.status_code == 303
    assert "Cảm ơn" in console.client.get("/console/templates").text
    # a processor has no templates page
    console.signed_in("xuly")
    assert console.client.get("/console/templates").status_code == 403


def test_admin_keeps_holidays_and_targets(console, clock):
    console.signed_in("xuly")
    assert console.client.get("/console/calendar").status_code == 403
    assert _post(console, "/console/calendar/targets",
                 {"ack_days": "2", "answer_days": "5", "warn_hours": "24"}).status_code == 403
    console.signed_in("quantri")
    page = console.client.get("/console/calendar").text
    assert "2026-04-30 Ngày Giải phóng miền Nam" in page
    assert _post(console, "/console/calendar/targets",
                 {"ack_days": "2", "answer_days": "6", "warn_hours": "12"}).status_code == 303
    assert 'name="answer_days" type="number" min="0" max="60" required value="6"' in \
        console.client.get("/console/calendar").text
    r = _post(console, "/console/calendar/holidays", {"holidays": "2026-13-01 Sai"})
    assert r.status_code == 422 and "2026-13-01 Sai" in r.text  # the input is kept


def test_alerts_badge_and_list(app, console, case_ids, clock):
    from server import cases

    with app.state.db.write() as conn:
        cases.check_deadlines(conn, now=at_local(AFTER_DEADLINE))
    console.signed_in("giamsat")
    page = console.client.get("/console/inbox").text
    badge = re.search(r'<span class="badge"[^>]*>(\d+)</span>', page)
    assert badge and int(badge.group(1)) >= len(case_ids[world.BRANCH_A])
    alerts = console.client.get("/console/alerts").text
    assert "Đã quá hạn" in alerts
    assert _post(console, "/console/alerts/read").status_code == 303
    assert 'class="badge"' not in console.client.get("/console/inbox").text


def test_everything_reads_in_english_when_chosen(console, case_ids, clock):
    console.signed_in("giamsat")
    console.client.get("/console/lang/en", params={"next": "/console/inbox"})
    for path in ("/console/inbox", f"/console/cases/{case_ids[world.BRANCH_A][0]}", "/console/templates",
                 "/console/alerts"):
        text = console.client.get(path).text
        assert '<html lang="en">' in text, path
        for vietnamese in ("Hộp việc", "Thao tác", "Đăng xuất", "Nhật ký xử lý", "Ý kiến của doanh nghiệp",
                           "Mẫu trả lời", "Thông báo"):
            assert vietnamese not in text, (path, vietnamese)


def test_staff_without_a_branch_are_told_why_the_inbox_is_empty(console, clock):
    console.signed_in("quantri")
    assert "chưa được phân công chi cục" not in console.client.get("/console/inbox").text
    from server.accounts import create_user
    with console.client.app.state.db.write() as conn:
        create_user(conn, username="moi", password="demo-moi-2020", role="processor", display_name="Cán bộ mới",
                    argon2_profile="low")
    console.sign_in("moi", "demo-moi-2020")
    assert "chưa được phân công chi cục" in console.client.get("/console/inbox").text
