"""The console's workstation inventory (``/console/inventory``, customs IT = the admin
role), on the inventory service ``server.inventory`` (docs/INSTALLER.md): per ring the
versions in use with the workstations on each, their reports, crashes and plugin errors and
the rates per report, last seen; each workstation's latest report (filter by version and
ring). The rollout state of a release lives in the signed release lists of the update
repository (``installer/release.py``), which the inventory service does not expose."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import inventory as service
from . import auth, i18n
from .auth import ConsoleUser
from .pages import refusal
from .render import lang_of, render

router = APIRouter(prefix="/console/inventory", include_in_schema=False)

PERIODS = (7, 30, 90)
RING_NAMES = {"stable": "Stable ring", "pilot": "Pilot ring"}
HIGH_RATE = 0.05  # a crash or error rate above this is marked


@router.get("")
def inventory_page(request: Request, user: ConsoleUser = Depends(auth.current_user)) -> Response:
    if user.role != "admin":
        return refusal(request, 403, "Not allowed", "Only customs IT (administrators) may see the inventory.", user)
    lang = lang_of(request)
    tr = i18n.translator(lang)
    q = request.query_params
    try:
        days = int(q.get("days") or 30)
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    version = (q.get("version") or "")[:32] or None
    ring = q.get("ring") if q.get("ring") in service.RINGS else None
    now = auth.now()
    db = request.app.state.db
    figures = service.version_figures(db, days, now=now)
    stations = service.workstations(db, version=version, ring=ring, days=days, now=now)
    rollout = service.rollouts(getattr(request.app.state, "settings", None) and request.app.state.settings.updates_dir)

    def link(**kw: object) -> str:
        params = {"days": str(days), **{k: str(v) for k, v in kw.items() if v}}
        return "/console/inventory?" + urlencode(params)

    def pct(rate: float) -> str:
        text = f"{rate * 100:.1f}"
        return (text.replace(".", ",") + " %") if lang == "vi" else text + "%"

    return render(request, "inventory.html", user=user, title=tr("Inventory"), section="inventory",
                  figures=figures, stations=stations, days=days, periods=PERIODS, version=version, ring=ring,
                  ring_names=RING_NAMES, link=link, pct=pct, high=HIGH_RATE, rollout=rollout)
