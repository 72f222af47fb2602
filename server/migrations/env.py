"""Alembic environment: the server passes an open connection in ``config.attributes``."""
from __future__ import annotations

from alembic import context

from server.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through server.migrate
    raise RuntimeError("run migrations with `python -m server migrate --db URL`")

context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
with context.begin_transaction():
    context.run_migrations()
