"""End to end in headless Chromium against a real server on loopback (the seeded demo
database with the console's test world, the case service's clock placed on known days):
a processor takes a case, inserts a template, answers with an outcome and sees the audit
trail; a supervisor assigns and sees an overdue case escalated. axe-core on the inbox and
case pages; the Vietnamese screenshots in docs/screenshots/."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from server import cases
from server.console import auth
from server.embedded import RunningServer, start_server
from tests.console import world
from tests.console.browser import axe_violations
from tests.console.conftest import PASSWORDS, at_local

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TEMPLATE = "Kính gửi {doanh_nghiep}: Chi cục đã kiểm tra phản ánh về tờ khai {so_to_khai}."


@pytest.fixture
def server(console_template, tmp_path) -> Iterator[RunningServer]:
    target = tmp_path / "server.db"
    shutil.copyfile(console_template, target)
    with start_server(f"sqlite:///{target}") as srv:
        with srv.db.write() as conn:
            lead = cases.staff_for(conn, _user_id(conn, "giamsat"))
            cases.save_template(conn, lead, world.BRANCH_A, "Trả lời đã kiểm tra", TEMPLATE)
        yield srv


def _user_id(conn, username: str) -> int:
    import sqlalchemy as sa

    from server.schema import users

    return conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar_one()


def case_clock(local: str) -> None:
    t = at_local(local)
    auth.set_case_clock(lambda: t)


def sign_in(page, server, username: str) -> None:
    page.goto(f"{server.url}/console")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url("**/console/inbox**")


def test_processor_takes_inserts_a_template_answers_and_sees_the_trail(server, page, case_ids):
    case_clock("2026-05-01 16:00")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server, "xuly")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert axe_violations(page, server.url) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console_inbox.png"), full_page=False)

    case_id = case_ids[world.BRANCH_A][1]
    page.click(f'a[href="/console/cases/{case_id}"]')
    page.wait_for_url(f"**/console/cases/{case_id}")
    assert axe_violations(page, server.url) == []
    page.get_by_role("button", name="Nhận xử lý").click()  # htmx: only the case's part of the page is replaced
    page.get_by_role("button", name="Bắt đầu xác minh").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")
    page.get_by_role("button", name="Bắt đầu xác minh").click()
    page.wait_for_selector("#answer-text")
    page.select_option("#template-pick", label="Trả lời đã kiểm tra")
    page.get_by_role("button", name="Chèn", exact=True).click()
    page.wait_for_function("() => document.querySelector('#answer-text').value.startsWith('Kính gửi')")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'answer-text'")
    filled = page.locator("#answer-text").input_value()
    assert "{so_to_khai}" not in filled and "{doanh_nghiep}" not in filled
    page.fill("#answer-text", filled + " Đã nhắc nhở công chức liên quan.")  # edited before sending
    page.fill("#note-text", "Đã gọi điện xác minh với doanh nghiệp.")
    page.get_by_role("button", name="Thêm ghi chú").click()
    page.locator("ol.trail", has_text="Đã gọi điện xác minh với doanh nghiệp.").wait_for()
    # an answer needs an outcome: the browser's own check keeps the form from being sent
    page.fill("#answer-text", filled + " Đã nhắc nhở công chức liên quan.")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.wait_for_timeout(300)
    assert page.locator("#answer-h").count() == 0
    page.check("input[name=outcome][value=partly]")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.locator("#answer-h").wait_for()
    trail = page.locator("ol.trail").inner_text()
    for entry in ("tiếp nhận hồ sơ", "nhận xử lý", "bắt đầu xác minh", "ghi chú nội bộ", "đã trả lời"):
        assert entry in trail, entry
    assert "Đã nhắc nhở công chức liên quan." in page.locator("#case-main").inner_text()
    assert page.locator("form[action$='/take'], form[action$='/answer']").count() == 0
    assert errors == []


def test_case_page_screenshot_and_accessibility(server, page, case_ids):
    case_clock("2026-05-04 09:00")
    sign_in(page, server, "giamsat")
    page.goto(f"{server.url}/console/cases/{case_ids[world.BRANCH_A][0]}")
    assert axe_violations(page, server.url) == []
    assert page.locator("#enterprise-comment").inner_text().startswith('Chậm trễ <script>alert("xss")</script>')
    page.screenshot(path=str(SCREENSHOTS / "console_case.png"), full_page=False)


def test_supervisor_assigns_and_sees_the_overdue_case_escalated(server, page, case_ids):
    case_id = case_ids[world.BRANCH_A][2]
    case_clock("2026-05-01 16:00")  # a holiday: the deadline is Monday 4/5 10:00
    sign_in(page, server, "giamsat")
    assert page.locator(f"#escalated-cases a[href='/console/cases/{case_id}']").count() == 0
    case_clock("2026-05-04 10:30")
    page.reload()
    row = page.locator(f"#escalated-cases tr:has(a[href='/console/cases/{case_id}'])")
    assert world.ACK_DUE_LOCAL in row.inner_text() and "quá hạn" in row.inner_text()
    assert axe_violations(page, server.url) == []
    row.locator("a").click()
    page.select_option("#assign-owner", label="Nguyễn Thu Hà")
    page.get_by_role("button", name="Giao việc").click()
    page.wait_for_selector("#case-main .tag.assigned")
    assert "Nguyễn Thu Hà" in page.locator("dl.facts").first.inner_text()
    assert "giao cho: Nguyễn Thu Hà" in page.locator("ol.trail").inner_text()
