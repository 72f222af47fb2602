"""Headless Chromium for the console's tests: Debian's ``/usr/bin/chromium`` driven by
Playwright for Python (no browser download), and axe-core (served by the server from the
npm registry's package) for accessibility checks.

A missing Chromium or Playwright skips on a developer machine and fails in CI.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.conftest import require_tool

CHROMIUM = Path(os.environ.get("DD_CHROMIUM", "/usr/bin/chromium"))
# the flags that keep Chromium quiet on a machine without a network (no background fetches)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage"]
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None, "Playwright for Python")
    require_tool(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    with sync_playwright() as pw:  # type: ignore[misc]
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def axe_violations(page: Any, base_url: str) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations on the page (axe-core)."""
    page.add_script_tag(url=f"{base_url}/console/static/vendor/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n.get("target") for n in v["nodes"]][:5]}
            for v in result["violations"] if v.get("impact") in SERIOUS]
