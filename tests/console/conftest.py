"""Console test fixtures: a seeded SQLite database built once per session and copied per
test, the app with the console, and a client that signs in through the console's form."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from domain.demo import DEMO_ENTERPRISE, DEMO_STAFF, OTHER_ENTERPRISE
from server.app import create_app
from server.config import Settings
from server.console import auth
from server.db import Database
from server.migrate import upgrade
from server.seed import seed_demo
from tests.console import world
from tests.console.browser import browser, page  # noqa: F401 - fixtures

PASSWORDS = {DEMO_ENTERPRISE.tax_code: DEMO_ENTERPRISE.password,
             OTHER_ENTERPRISE.tax_code: OTHER_ENTERPRISE.password,
             **{login: password for login, _n, _r, password in DEMO_STAFF}, **world.PASSWORDS}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')




@pytest.fixture(scope="session")
def world_template(tmp_path_factory) -> tuple[str, dict[str, list[int]]]:
    """The seeded demo database with the console's test world (``tests/console/world.py``)."""
    path = tmp_path_factory.mktemp("console-template") / "seeded.db"
    db = Database(f"sqlite:///{path}")
    try:
        upgrade(db.engine)
        seed_demo(db, argon2_profile="low")
        case_ids = world.build(db)
    finally:
        db.dispose()
    return str(path), case_ids


@pytest.fixture(scope="session")
def console_template(world_template) -> str:
    return world_template[0]


@pytest.fixture(scope="session")
def case_ids(world_template) -> dict[str, list[int]]:
    return world_template[1]


@pytest.fixture
def db_url(console_template, tmp_path) -> str:
    target = tmp_path / "server.db"
    shutil.copyfile(console_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings(db_url=db_url, argon2_profile="low")


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.db.dispose()


@pytest.fixture(autouse=True)
def real_clock(monkeypatch):
    # the console's clock is moved by the tests; the deadline worker would use the real one
    monkeypatch.setenv("DD_SERVER_ALERT_INTERVAL", "0")
    yield
    auth.set_clock(None)


def at_local(text: str):
    """A naive UTC time from a Vietnam local time 'YYYY-MM-DD HH:MM'."""
    from datetime import datetime

    return world.utc(datetime.fromisoformat(text).replace(tzinfo=world.VN))


@dataclass
class Console:
    client: TestClient

    def csrf(self, html: str) -> str:
        found = _CSRF.search(html)
        assert found, "no CSRF field in the page"
        return found.group(1)

    def sign_in(self, username: str, password: str | None = None, **kw: Any):
        page = self.client.get("/console", follow_redirects=False)
        if page.status_code == 303:  # signed in already: sign in again (another tab's form)
            self.client.cookies.set(auth.PRE_COOKIE, "form-token-of-another-tab", path="/console")
            token = "form-token-of-another-tab"
        else:
            token = self.csrf(page.text)
        return self.client.post("/console/sign-in", data={
            "username": username, "password": password if password is not None else PASSWORDS[username],
            "csrf": token, **kw}, follow_redirects=False)

    def signed_in(self, username: str) -> str:
        r = self.sign_in(username)
        assert r.status_code == 303, r.text
        return r.headers["location"]


@pytest.fixture
def console(app) -> Iterator[Console]:
    with TestClient(app, raise_server_exceptions=False, base_url="http://testserver") as client:
        yield Console(client)


@pytest.fixture
def make_console(app):
    clients: list[TestClient] = []

    def make(base_url: str = "http://testserver") -> Console:
        c = TestClient(app, raise_server_exceptions=False, base_url=base_url)
        c.__enter__()
        clients.append(c)
        return Console(c)
    yield make
    for c in clients:
        c.__exit__(None, None, None)
