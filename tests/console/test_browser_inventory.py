"""The inventory page in headless Chromium against a real server on loopback: workstation
reports arrive through the JSON API as the desktop sends them; customs IT reads the versions
per ring, the rates and the workstations on a version; axe-core finds no serious or critical
problem.

``DD_CONSOLE_SCREENSHOTS=<dir>`` also saves the page there (docs/screenshots/console_inventory.png)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import requests

from server.embedded import start_server
from tests.console.browser import axe_violations
from tests.console.conftest import PASSWORDS
from tests.console.inventory_data import B, C, EXPECTED, HOSTILE_OS, send_reports


@pytest.fixture
def server(console_template, tmp_path):
    target = tmp_path / "server.db"
    shutil.copyfile(console_template, target)
    with start_server(f"sqlite:///{target}") as srv:
        yield srv


def test_inventory_in_chromium_with_reports_from_the_api(server, page):
    base = server.url

    def token(who: str) -> dict[str, str]:
        r = requests.post(f"{base}/api/v1/auth/login", json={"username": who, "password": PASSWORDS[who]}, timeout=10)
        r.raise_for_status()
        return {"Authorization": f"Bearer {r.json()['token']}"}

    send_reports(lambda path, **kw: requests.post(base + path, timeout=10, **kw), token)
    page.goto(f"{base}/console")
    page.fill("#username", "quantri")
    page.fill("#password", PASSWORDS["quantri"])
    page.click("button[type=submit]")
    page.wait_for_url("**/console/**")
    page.click("nav >> text=Kiểm kê máy trạm")
    page.wait_for_selector("#ring-stable")
    cols = ("workstations", "reports", "crashes", "crash_rate", "plugin_errors", "error_rate")
    for ring, versions in EXPECTED.items():
        shown = page.evaluate("""([id, cols]) => Object.fromEntries([...document.querySelectorAll('#' + id + ' tbody tr')]
            .map(tr => [tr.dataset.version, cols.map(c => tr.querySelector(`td[data-col=${c}]`).innerText)]))""",
                              [f"ring-{ring}", list(cols)])
        assert {v: tuple(c) for v, c in shown.items()} == versions
    assert HOSTILE_OS in page.locator("#workstation-list").inner_text()  # shown as text, not run
    assert axe_violations(page, base) == []
    shots = os.environ.get("DD_CONSOLE_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / "console_inventory.png"), full_page=True)
    # the workstations on a version, from its link
    page.click("#ring-stable >> text=2.1")
    page.wait_for_selector("h2#h-workstations >> text=Máy trạm dùng phiên bản 2.1")
    installs = page.eval_on_selector_all("#workstation-list tbody tr", "rows => rows.map(r => r.dataset.install)")
    assert sorted(installs) == [B, C]
