"""Server test fixtures: every API test runs against SQLite and PostgreSQL.

A seeded template database is built once per session for each backend (SQLite: a file
that is copied per test; PostgreSQL: a throw-away cluster and ``CREATE DATABASE ...
TEMPLATE``), so every test starts from the same demo world and tests never see each
other's rows.
"""
from __future__ import annotations

import itertools
import shutil
import uuid
from dataclasses import dataclass
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from domain.demo import DEMO_ENTERPRISE, DEMO_STAFF, OTHER_ENTERPRISE
from server.app import create_app
from server.config import Settings
from server.db import Database
from server.migrate import upgrade
from server.seed import seed_demo
from tests.conftest import require_tool
from tests.server.pgcluster import PgCluster, find_bin_dir

PASSWORDS = {DEMO_ENTERPRISE.tax_code: DEMO_ENTERPRISE.password,
             OTHER_ENTERPRISE.tax_code: OTHER_ENTERPRISE.password,
             **{login: password for login, _n, _r, password in DEMO_STAFF}}
ENTERPRISE_A = DEMO_ENTERPRISE.tax_code
ENTERPRISE_B = OTHER_ENTERPRISE.tax_code
PROCESSOR, VIEWER, ADMIN = "xuly", "baocao", "quantri"
_counter = itertools.count()


def settings_for(url: str, **kw: Any) -> Settings:
    return Settings(db_url=url, argon2_profile="low", **kw)


def _seed(url: str) -> None:
    db = Database(url)
    try:
        upgrade(db.engine)
        seed_demo(db, argon2_profile="low")
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bin_dir = find_bin_dir()
    require_tool(bin_dir is not None, "PostgreSQL (initdb, pg_ctl)")
    cluster = PgCluster(bin_dir)
    try:
        cluster.start()
    except Exception as exc:  # noqa: BLE001
        cluster.stop()
        require_tool(False, f"a PostgreSQL cluster ({exc})")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sqlite-template") / "seeded.db"
    _seed(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def pg_template(pg_cluster: PgCluster) -> str:
    pg_cluster.create_database("dd_template")
    _seed(pg_cluster.url("dd_template"))
    return "dd_template"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request, tmp_path) -> Iterator[str]:
    """A fresh copy of the seeded demo database on the current backend."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "server.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    template = request.getfixturevalue("pg_template")
    name = f"dd_test_{next(_counter)}"
    url = cluster.create_database(name, template=template)
    yield url
    cluster.drop_database(name)


@pytest.fixture
def empty_db_url(backend: str, request, tmp_path) -> Iterator[str]:
    """A fresh, empty database (no schema) on the current backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    name = f"dd_empty_{next(_counter)}"
    url = cluster.create_database(name)
    yield url
    cluster.drop_database(name)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return settings_for(db_url)


@pytest.fixture
def app(settings: Settings):
    application = create_app(settings)
    yield application
    application.state.db.dispose()


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]

    def login(self, username: str, password: str | None = None) -> str:
        r = self.client.post("/api/v1/auth/login", json={"username": username,
                                                         "password": password or PASSWORDS[username]})
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def headers(self, who: str | None) -> dict[str, str]:
        if who is None:
            return {}
        if who not in self.tokens:
            self.tokens[who] = self.login(who)
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, path: str, who: str | None = None, **kw: Any):
        return self.client.get(path, headers={**self.headers(who), **kw.pop("headers", {})}, **kw)

    def post(self, path: str, who: str | None = None, **kw: Any):
        return self.client.post(path, headers={**self.headers(who), **kw.pop("headers", {})}, **kw)

    def put(self, path: str, who: str | None = None, **kw: Any):
        return self.client.put(path, headers={**self.headers(who), **kw.pop("headers", {})}, **kw)

    def batch(self, who: str, items: list[dict[str, Any]]):
        return self.post("/api/v1/submissions/batch", who, json={"items": items})


@pytest.fixture
def api(app) -> Iterator[Api]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, {})


def item(kind: str, payload: dict[str, Any], *, id: str | None = None, schema: int = 1) -> dict[str, Any]:
    return {"id": id or str(uuid.uuid4()), "kind": kind, "schema": schema,
            "created_at": "2026-11-20T10:15:00+07:00", "payload": payload}
