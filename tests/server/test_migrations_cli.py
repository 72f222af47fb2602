"""Migrations, the start-up schema check, the command line and the demo seed."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from domain.demo import DEMO_COUNT, DEMO_ENTERPRISE
from server.app import SchemaError, prepare_database
from server.db import Database
from server.migrate import head_revision, schema_state, upgrade
from server.schema import declarations, handling, metadata, ratings, submissions, users
from server.seed import OTHER_COUNT, SEED_KEY, seed_demo


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _env() -> dict[str, str]:
    return {**os.environ, "DD_SERVER_ARGON2": "low", "PYTHONPATH": ROOT}


def _cli(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args], input=stdin, capture_output=True, text=True,
                          env=_env(), cwd=ROOT, timeout=timeout)


def _counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        with db.read() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                    for t in (users, declarations, handling, submissions, ratings)}
    finally:
        db.dispose()


def test_migrations_create_exactly_the_tables(empty_db_url):
    db = Database(empty_db_url)
    try:
        assert upgrade(db.engine).up_to_date
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        # and back down to nothing, then up again
        from alembic import command

        from server.migrate import alembic_config
        with db.engine.connect() as conn:
            command.downgrade(alembic_config(conn), "base")
            conn.commit()
        assert schema_state(db.engine).current is None
        with db.engine.connect() as conn:
            assert "submissions" not in sa.inspect(conn).get_table_names()
        assert upgrade(db.engine).current == head_revision()
    finally:
        db.dispose()


def test_schema_check_at_start(empty_db_url, backend):
    db = Database(empty_db_url)
    try:
        if backend == "sqlite":  # the embedded default migrates itself
            assert prepare_database(db) == head_revision()
        else:  # production: migrations are explicit
            with pytest.raises(SchemaError, match="python -m server migrate"):
                prepare_database(db)
            upgrade(db.engine)
            assert prepare_database(db) == head_revision()
        with db.write() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'zz99'"))
        with pytest.raises(SchemaError, match="newer"):
            prepare_database(db)
    finally:
        db.dispose()


def test_cli_migrate_seed_and_create_user(empty_db_url, backend):
    if backend == "postgresql":  # refuses to serve an unmigrated database
        r = _cli("serve", "--db", empty_db_url, "--port", "1", timeout=60)
        assert r.returncode == 2 and "python -m server migrate" in r.stderr
    r = _cli("migrate", "--db", empty_db_url)
    assert r.returncode == 0, r.stderr
    assert head_revision() in r.stdout and "secret" not in r.stdout
    r = _cli("seed-demo", "--db", empty_db_url)
    assert r.returncode == 0, r.stderr
    first = _counts(empty_db_url)
    assert first["declarations"] == DEMO_COUNT + OTHER_COUNT
    r = _cli("seed-demo", "--db", empty_db_url)
    assert r.returncode == 0 and "nothing changed" in r.stdout
    assert _counts(empty_db_url) == first
    r = _cli("create-user", "--db", empty_db_url, "--username", "0100109106", "--role", "enterprise",
             "--display-name", "Công ty Sông Hồng", "--password-stdin", stdin="mat-khau-rat-dai\n")
    assert r.returncode == 0, r.stderr
    assert "mat-khau" not in r.stdout + r.stderr
    r = _cli("create-user", "--db", empty_db_url, "--username", "0100109107", "--role", "enterprise",
             "--display-name", "X", "--password-stdin", stdin="mat-khau-rat-dai\n")
    assert r.returncode == 2 and "check digit" in r.stderr
    assert _counts(empty_db_url)["users"] == first["users"] + 1


def test_seed_is_idempotent_even_without_its_mark(db_url):
    before = _counts(db_url)
    db = Database(db_url)
    try:
        with db.write() as conn:
            conn.execute(sa.text("DELETE FROM meta WHERE key = :k"), {"k": SEED_KEY})
        assert seed_demo(db, argon2_profile="low") is True
        assert seed_demo(db, argon2_profile="low") is False
        with db.read() as conn:
            demo_rated = conn.execute(sa.select(sa.func.count()).select_from(submissions)
                                      .where(submissions.c.owner_tax_code == DEMO_ENTERPRISE.tax_code)).scalar()
            catalog_version = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'catalog_version'")).scalar()
    finally:
        db.dispose()
    assert _counts(db_url) == before
    assert demo_rated == 0  # the demo user's declarations are all unrated at first
    assert catalog_version == "1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serve_runs_and_stops(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "server", "serve", "--db", url, "--port", str(port)],
                            env=_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert r.json() == {"ok": True, "version": r.json()["version"], "database": "sqlite"}
    finally:
        proc.terminate()
        proc.wait(20)
