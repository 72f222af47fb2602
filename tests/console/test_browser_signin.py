"""The console in headless Chromium against a real server on loopback: signing in with the
keyboard, accessibility of the sign-in page (axe-core), and the Secure cookie behind a TLS
proxy whose X-Forwarded-Proto the server trusts."""
from __future__ import annotations

import shutil
from typing import Iterator

import pytest
import requests

from server.embedded import RunningServer, start_server
from tests.console.browser import axe_violations
from tests.console.conftest import PASSWORDS


@pytest.fixture
def server(console_template, tmp_path) -> Iterator[RunningServer]:
    target = tmp_path / "server.db"
    shutil.copyfile(console_template, target)
    with start_server(f"sqlite:///{target}") as srv:
        yield srv


def test_sign_in_with_the_keyboard_and_no_serious_accessibility_problem(server, page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/console")
    page.wait_for_function("() => window.htmx !== undefined")  # htmx loaded under the page's CSP
    assert errors == []  # nothing refused by the Content-Security-Policy
    assert page.locator("html").get_attribute("lang") == "vi"
    assert axe_violations(page, server.url) == []
    page.keyboard.type("xuly")  # the username field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORDS["xuly"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/inbox**")
    cookie = next(c for c in page.context.cookies() if c["name"] == "dd_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]


def test_wrong_password_is_announced_and_page_stays_accessible(server, page):
    page.goto(f"{server.url}/console")
    page.fill("#username", "xuly")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert page.locator("#username").input_value() == "xuly"
    assert axe_violations(page, server.url) == []


def test_cookie_is_secure_behind_a_trusted_tls_proxy(server):
    s = requests.Session()
    tls = {"X-Forwarded-Proto": "https"}  # the server trusts its loopback proxy (uvicorn's default)
    form = s.get(f"{server.url}/console", headers=tls, timeout=10)
    token = form.text.split('name="csrf" value="')[1].split('"')[0]
    assert "secure" in form.headers["set-cookie"].lower()
    r = s.post(f"{server.url}/console/sign-in", headers=tls, timeout=10, allow_redirects=False,
               cookies={"dd_console_pre": token},
               data={"username": "xuly", "password": PASSWORDS["xuly"], "csrf": token})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "dd_console=" in cookie and "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    # the same server over plain HTTP: no Secure flag (the browser would never send it back)
    plain = requests.get(f"{server.url}/console", timeout=10)
    assert "secure" not in plain.headers["set-cookie"].lower()
