"""The customs web console (``/console``): server-rendered pages for customs staff
(docs/CONSOLE.md). ``install(app)`` adds its routes and its static files."""
from __future__ import annotations

from pathlib import Path


def install(app) -> None:  # noqa: ANN001 - FastAPI
    from fastapi.staticfiles import StaticFiles

    from . import cases_pages, pages

    pages.install_handlers(app)
    app.include_router(pages.router)
    app.include_router(cases_pages.router)
    app.mount("/console/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")),
              name="console-static")
