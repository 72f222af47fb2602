"""The FastAPI application and the start-up schema check."""
from __future__ import annotations

import gc
import logging
import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import __version__, errors
from .config import Settings
from .db import Database, describe_url
from .middleware import BodyLimit, JsonUtf8, SecurityHeaders
from .migrate import schema_state, upgrade
from .security import HashGate

log = logging.getLogger("server")


class SchemaError(RuntimeError):
    pass


def prepare_database(db: Database, *, migrate: bool | None = None) -> str:
    """Make sure the schema is current. SQLite (or ``migrate=True``): upgrade now.
    PostgreSQL: refuse with a clear message; ``python -m server migrate`` is explicit there."""
    state = schema_state(db.engine)
    if not state.known:
        raise SchemaError(f"the database {describe_url(db.url)} has schema revision {state.current}, newer than "
                          f"this server knows ({state.head}); upgrade the server")
    if state.up_to_date:
        return state.head
    if migrate if migrate is not None else db.dialect == "sqlite":
        return upgrade(db.engine).current or ""
    raise SchemaError(
        f"the database {describe_url(db.url)} has schema revision {state.current or 'none'}, this server needs "
        f"{state.head}: run `python -m server migrate --db URL` first")


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    db = db or Database(settings.db_url)
    app = FastAPI(
        title="Declarant Desk — customs feedback server",
        version=__version__,
        description="Service-quality assessment of customs procedures: catalog, declarations feed, "
                    "idempotent batch ingest, processing and reports. Contract: docs/API.md.",
        openapi_url="/api/v1/openapi.json", docs_url="/api/v1/docs", redoc_url=None,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.hash_gate = HashGate(settings.login_hash_memory_mib, settings.argon2_profile)
    errors.install(app)
    from .api import router

    app.include_router(router)
    from .inventory import router as inventory_router  # noqa: E402 - workstation inventory (admin)
    app.include_router(inventory_router)
    from .business_info import install as install_business_info  # enterprise information collection
    install_business_info(app)
    if settings.dashboard:
        from .dashboard import router as dashboard_router

        app.include_router(dashboard_router)
    from .console import install as install_console  # the customs console (/console, docs/CONSOLE.md)

    install_console(app)
    from .alerts import install as install_alerts  # case deadlines and alert e-mails, off the request path

    install_alerts(app)
    if settings.updates_dir is not None:
        if not settings.updates_dir.is_dir():
            raise SchemaError(f"the updates directory {settings.updates_dir} does not exist")
        app.mount("/updates", StaticFiles(directory=str(settings.updates_dir)), name="updates")
    app.add_middleware(JsonUtf8)  # inside the size limit: it reads whole bodies
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)

    return app


# The cyclic collector's thresholds in server processes of our own (``tune_gc``). A batch of
# 500 items allocates hundreds of thousands of short-lived containers and keeps under 60,000
# of them alive at its peak (the body, the request model, the normalised payloads, the rows).
# With Python's default (700) the collector ran hundreds of times per request; with 20,000,
# once or twice, scanning the request's live containers each time (~12 ms, about 8 % of the
# server's CPU per item). Above the peak, a request's containers are freed before any
# collection sees them; cyclic garbage still goes within 100,000 allocations.
GC_THRESHOLDS = (100_000, 50, 100)


def tune_gc() -> None:
    """Collect less often (``GC_THRESHOLDS``), and keep the objects made at start-up out of
    the collector's way. Only in server processes of our own."""
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()


def app_from_env() -> FastAPI:
    """uvicorn factory used by ``serve`` (each worker process builds its own app)."""
    settings = Settings.from_env(os.environ.get("DD_SERVER_DB"))
    db = Database(settings.db_url)
    prepare_database(db, migrate=False)
    app = create_app(settings, db)
    tune_gc()
    return app
