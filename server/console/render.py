"""Page rendering: one Jinja2 environment with autoescaping on every template, the
language of the request (cookie, Vietnamese by default) and the console's formats."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import i18n
from .auth import LANG_COOKIE, ConsoleUser

HERE = Path(__file__).resolve().parent
env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "")
    return lang if lang in i18n.LANGS else i18n.DEFAULT


def static(name: str) -> str:
    return f"/console/static/{name}"


def local_time(value: datetime | str | None, with_time: bool = True) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time (stored times are naive UTC)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(i18n.VN)
    return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


env.filters["local_time"] = local_time
env.globals["static"] = static


def render(request: Request, template: str, *, user: ConsoleUser | None = None, status: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    tr = i18n.translator(lang)
    ctx = {"lang": lang, "_": tr, "user": user, "title": "", "section": "", "unread_alerts": 0,
           "request_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
           "role_name": lambda r: tr(i18n.ROLE_NAMES.get(str(r), str(r))),
           "enum_name": lambda group, v: tr(i18n.ENUM_NAMES.get(group, {}).get(str(v), str(v))),
           **context}
    html = env.get_template(template).render(**ctx)
    response = HTMLResponse(html, status_code=status, headers=headers)
    response.headers["cache-control"] = "no-store"
    return response
