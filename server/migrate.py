"""Schema migrations (Alembic, shipped inside the package).

* ``upgrade(engine)`` brings the database to the newest schema. On PostgreSQL it runs under
  an advisory lock, so several instances started at once never race.
* ``schema_state(engine)`` tells whether the database is current, outdated or newer than
  this server.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ADVISORY_LOCK_ID = 0x0DD5E2E7  # an arbitrary constant shared by every server instance


def alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def known(self) -> bool:
        if self.current is None:
            return True
        script = ScriptDirectory.from_config(alembic_config())
        return any(r.revision == self.current for r in script.walk_revisions())


def schema_state(engine: sa.Engine) -> SchemaState:
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return SchemaState(current, head_revision())


def upgrade(engine: sa.Engine, revision: str = "head") -> SchemaState:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_LOCK_ID})
            conn.commit()
        try:
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_LOCK_ID})
                conn.commit()
    return schema_state(engine)
