"""The satisfaction dashboard in headless Chromium against a real server on loopback, over
randomised data: the figures on the page equal the truth computed here from the raw
ratings; drill-down branch → team → officials; a change of period; an official below k
ratings hidden; an export downloaded from the page matches the page; charts drawn under
the page's CSP; no serious accessibility problem.

``DD_REPORT_SCREENSHOTS=<dir>`` also saves the dashboard in Vietnamese and English there
(docs/screenshots/console_reports_{vi,en}.png)."""
from __future__ import annotations

import csv
import io
import os
import random
import shutil
from datetime import datetime
from pathlib import Path
from typing import Iterator

import pytest

from server.db import Database
from server.embedded import RunningServer, start_server
from tests.console.browser import axe_violations
from tests.console.conftest import PASSWORDS
from tests.console.test_reports import ALL, give_branches
from tests.server.report_data import add_declarations, items_for, levels, percent, raw_ratings, send


@pytest.fixture
def report_server(console_template, tmp_path) -> Iterator[tuple[RunningServer, list[dict]]]:
    target = tmp_path / "server.db"
    shutil.copyfile(console_template, target)
    url = f"sqlite:///{target}"
    db = Database(url)
    try:
        seed = random.randrange(10**6)
        rng = random.Random(seed)
        numbers = add_declarations(db, 200, rng, start=6_000_000)
        send(db, items_for(db, numbers, rng, datetime(2025, 11, 1), 150))
        for login in ("baocao", "quantri"):
            give_branches(db, login, ALL)
        with db.read() as conn:
            rows = raw_ratings(conn)
    finally:
        db.dispose()
    with start_server(url) as srv:
        yield srv, rows


def _sign_in(page, base: str, login: str, lang: str = "vi") -> None:  # noqa: ANN001
    page.goto(f"{base}/console")
    if lang == "en":
        page.click("text=English")
    page.fill("#username", login)
    page.fill("#password", PASSWORDS[login])
    page.click("button[type=submit]")
    page.wait_for_url("**/console/**")


def _num(page, selector: str) -> str:  # noqa: ANN001
    return page.locator(selector).get_attribute("data-value")


def _table(page, table: str) -> dict[str, dict[str, str]]:  # noqa: ANN001
    return page.evaluate("""(id) => Object.fromEntries([...document.querySelectorAll('#' + id + ' tbody tr[data-key]')]
        .map(tr => [tr.dataset.key, Object.fromEntries([...tr.querySelectorAll('td[data-col]')]
            .map(td => [td.dataset.col, td.dataset.value]).concat(tr.dataset.hidden ? [['hidden', '1']] : []))]))""",
                         table)


def test_dashboard_figures_drill_down_period_and_export(report_server, page, tmp_path):
    server, rows = report_server
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, server.url, "baocao")
    page.goto(f"{server.url}/console/reports?from=2025-11&to=2026-03")
    page.wait_for_selector("body[data-charts=ready]")
    assert errors == []  # Chart.js ran under the page's Content-Security-Policy
    assert page.locator("#chart-levels").bounding_box()["height"] > 100
    period = [r for r in rows if "2025-11" <= r["month"] <= "2026-03"]
    assert int(_num(page, "#headline-total")) == len(period)
    assert float(_num(page, "#headline-percent")) == percent(period)
    assert [int(page.locator(f"#levels-table td[data-level='{s}']").get_attribute("data-value"))
            for s in (5, 4, 3, 2, 1)] == [levels(period)[s] for s in (5, 4, 3, 2, 1)]
    for code, cols in _table(page, "breakdown").items():
        assert int(cols["total"]) == sum(1 for r in period if r["branch"] == code)
    for code, cols in _table(page, "stages").items():
        assert int(cols["total"]) == sum(1 for r in period if r["kind"] == "stage" and r["code"] == code)
    assert axe_violations(page, server.url) == []

    # the export of this view, downloaded from the page, matches the page
    with page.expect_download() as info:
        page.click("#export-view-csv")
    path = tmp_path / "view.csv"
    info.value.save_as(path)
    exported = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    by_branch = {r[1]: r for r in exported[1:] if r[0] == "Chi cục"}
    shown = _table(page, "breakdown")
    assert set(by_branch) == set(shown)
    for code, cols in shown.items():
        assert [int(x) for x in by_branch[code][3:9]] == [int(cols[c]) for c in ("total", "l5", "l4", "l3", "l2", "l1")]
        assert float(by_branch[code][10]) == float(cols["percent"])

    # drill-down: a branch, then one of its teams, then its officials (those below k hidden)
    branch = "03CC"
    page.click(f"#breakdown tr[data-key='{branch}'] th a")
    page.wait_for_url(f"**branch={branch}**")
    teams = _table(page, "breakdown")
    team = max(teams, key=lambda t: int(teams[t]["total"]))
    assert int(teams[team]["total"]) == sum(1 for r in period if r["kind"] == "team" and r["code"] == team
                                            and r["branch"] == branch)
    page.click(f"#breakdown tr[data-key='{team}'] th a")
    page.wait_for_url(f"**team={team}**")
    officials = _table(page, "breakdown")
    assert officials
    for code, cols in officials.items():
        n = sum(1 for r in period if r["kind"] == "official" and r["code"] == code and r["branch"] == branch)
        if n < 5:
            assert cols == {"hidden": "1"}
            assert "chưa đủ dữ liệu" in page.locator(f"#breakdown tr[data-key='{code}']").inner_text()
        else:
            assert int(cols["total"]) == n

    # another period, chosen in the form
    page.goto(f"{server.url}/console/reports")
    page.fill("#r-from", "2026-01")
    page.fill("#r-to", "2026-02")
    page.select_option("#r-trend", "week")
    page.click("#report-filters button[type=submit]")
    page.wait_for_url("**from=2026-01**")
    page.wait_for_selector("body[data-charts=ready]")
    period = [r for r in rows if "2026-01" <= r["month"] <= "2026-02"]
    assert int(_num(page, "#headline-total")) == len(period)
    weeks = page.evaluate("() => [...document.querySelectorAll('#trend-table tbody tr')].map(tr => tr.dataset.key)")
    assert weeks == sorted({_monday(r["day"]) for r in period})

    shots = os.environ.get("DD_REPORT_SCREENSHOTS")
    if shots:
        _screenshots(page, server.url, Path(shots))


def _monday(day: str) -> str:
    from datetime import date, timedelta
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def _screenshots(page, base: str, folder: Path) -> None:  # noqa: ANN001
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("vi", "en"):
        page.goto(f"{base}/console/lang/{lang}?next=/console/reports")
        page.goto(f"{base}/console/reports?from=2025-11&to=2026-03")
        page.wait_for_selector("body[data-charts=ready]")
        page.screenshot(path=str(folder / f"console_reports_{lang}.png"), full_page=True)
