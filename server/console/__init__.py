"""The customs web console (``/console``): server-rendered pages for customs staff
(docs/CONSOLE.md). ``install(app)`` adds its routes and its static files."""
from __future__ import annotations

import importlib.util
from pathlib import Path


def install(app) -> None:  # noqa: ANN001 - FastAPI
    from fastapi.staticfiles import StaticFiles

    from . import pages

    pages.install_handlers(app)
    app.include_router(pages.router)
    from . import reports as report_pages  # the satisfaction reports (server/console/reports.py)

    app.include_router(report_pages.router)
    from . import business_info as business_info_pages  # enterprise information (server/console/business_info.py)

    app.include_router(business_info_pages.router)
    from . import inventory as inventory_pages  # workstation inventory (server/console/inventory.py)

    app.include_router(inventory_pages.router)
    if importlib.util.find_spec("server.cases") is not None:  # the case service (server/cases.py)
        from . import cases_pages

        app.include_router(cases_pages.router)
    app.mount("/console/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")),
              name="console-static")
