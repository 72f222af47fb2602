"""End to end, in headless Chromium and the desktop program: an administrator creates a
collection plan in the console; the program (demo mode, with its loopback server) fetches the
request with its feeds and announces it with its due date; the declarant updates two fields
and sends; the console shows the plan fulfilled, the new version tied to the account and
the workstation, and the two fields highlighted in the difference. axe-core finds no serious
or critical problem on the pages.

``DD_CONSOLE_SCREENSHOTS=<dir>`` also saves the enterprise's page there
(docs/screenshots/console_business_info.png)."""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from domain.demo import DEMO_END, DEMO_ENTERPRISE, DEMO_STAFF
from server.console import auth
from tests.business_info.test_e2e import demo_program
from tests.console.browser import axe_violations

TITLE = "Cập nhật thông tin trước kiểm tra sau thông quan"
DUE = (DEMO_END.date() + timedelta(days=15))  # earlier than the demo's yearly plan


def sign_in(page, base: str, login: str) -> None:  # noqa: ANN001
    password = next(p for name, _n, _r, p in DEMO_STAFF if name == login)
    page.goto(f"{base}/console")
    page.fill("#username", login)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/**")


def test_plan_from_the_console_to_the_desktop_and_back(qtbot, tmp_path, page, real_clock):
    # the console's deadline clock on the demo's "today" (the program's too, in demo mode);
    # sessions keep the real time, as the API's sign-ins of the program do
    auth.set_case_clock(lambda: datetime.combine(DEMO_END.date(), datetime.min.time()) + timedelta(hours=3))
    with demo_program(tmp_path / "data") as ctx:
        assert ctx.demo_server is not None and ctx.demo_server.wait_started(60), ctx.demo_server.error
        base = ctx.demo_server.url
        plugin = ctx.plugin_host.records["business_info"].instance
        ctx.show()

        # customs: a plan for the demo enterprise, created in the console
        sign_in(page, base, "quantri")
        page.click("nav >> text=Thông tin doanh nghiệp")
        page.wait_for_selector("#new-plan")
        assert axe_violations(page, base) == []
        page.fill("#p-title", TITLE)
        page.fill("#p-year", str(DUE.year))
        page.fill("#p-due", DUE.isoformat())
        page.fill("#p-codes", DEMO_ENTERPRISE.tax_code)
        page.click("#new-plan button[type=submit]")
        page.wait_for_selector("#plan-requests")
        assert page.locator("h1").inner_text() == TITLE
        assert "Đã gửi 1, đã cung cấp 0, chưa cung cấp 1, quá hạn 0" in page.locator("#plan-progress").inner_text()
        plan_url = page.url
        assert axe_violations(page, base) == []

        # the desktop: the request arrives with the feeds and is announced, the most urgent first
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: any(r.get("plan_title") == TITLE for r in plugin.requests()), timeout=60000)
        qtbot.waitUntil(lambda: DUE.strftime("%d/%m/%Y") in ctx.status_bar.currentMessage(), timeout=15000)
        assert "Nghiệp vụ khác → Cung cấp thông tin doanh nghiệp" in ctx.status_bar.currentMessage()
        assert "(2 yêu cầu)" in plugin.action.text()

        plugin.action.trigger()
        dlg = plugin.dialog
        assert dlg.request_table.item(0, 1).text() == DUE.strftime("%d/%m/%Y")
        dlg.edits["identity.email"].setText("ketoan@hailong.vn")
        dlg.edits["contact.phone"].setText("0987 654 321")
        qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
        assert dlg.changed_fields() == ["identity.email", "contact.phone"]
        qtbot.mouseClick(dlg.send_button, Qt.MouseButton.LeftButton)
        item_id = plugin.state.last_sent()["id"]
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: ctx.outbox.states([item_id])[item_id]["state"] == "sent", timeout=60000)
        workstation = plugin.state.workstation()

        # customs: the plan fulfilled, the new version and its difference
        page.goto(plan_url)
        assert "Đã gửi 1, đã cung cấp 1, chưa cung cấp 0, quá hạn 0" in page.locator("#plan-progress").inner_text()
        page.click(f"#plan-requests >> text={DEMO_ENTERPRISE.tax_code}")
        page.wait_for_selector("#diff-table")
        newest = page.locator("#versions tbody tr").first
        assert newest.get_attribute("data-version") == "2"
        cells = newest.locator("td").all_inner_texts()
        assert cells[3] == DEMO_ENTERPRISE.tax_code and cells[4] == workstation
        assert "Thu thập định kỳ" in cells[2]
        assert page.locator("h2#h-diff").inner_text() == "Khác biệt từ phiên bản 1 đến phiên bản 2"
        changed = page.locator("#diff-table tbody tr:not(.same)")
        assert [changed.nth(i).get_attribute("data-field") for i in range(changed.count())] == [
            "identity.email", "contact.phone"]
        assert changed.nth(0).locator("td.after ins").inner_text() == "ketoan@hailong.vn"
        assert changed.nth(0).locator("td.before del").inner_text() == "xnk@hailong.vn"
        assert changed.nth(1).locator("td.after").inner_text() == "0987654321"
        # highlighted: the changed rows have a background of their own
        colours = page.evaluate("""() => [...document.querySelectorAll('#diff-table tbody tr')].map(
            tr => [tr.dataset.state, getComputedStyle(tr.querySelector('td')).backgroundColor])""")
        same = {c for s, c in colours if s == "same"}
        assert {c for s, c in colours if s == "changed"}.isdisjoint(same)
        assert axe_violations(page, base) == []
        shots = os.environ.get("DD_CONSOLE_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.locator("#diff").scroll_into_view_if_needed()
            page.screenshot(path=str(Path(shots) / "console_business_info.png"), full_page=True)

        # the desktop hears that both requests are fulfilled
        ctx.outbox.service.request_sync(force=True)
        qtbot.waitUntil(lambda: all(r["state"] == "fulfilled" for r in plugin.requests()), timeout=60000)
        assert plugin.pending() == []
