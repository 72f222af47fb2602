"""``GET /dashboard``: a small read-only page for customs (aggregates only, no personal data)."""
from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from domain.codes import RATING_LEVELS

from . import __version__, reports
from .deps import DbDep
from .enums import ReportGrouping

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Đánh giá sự hài lòng — Declarant Desk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,"Segoe UI",sans-serif;margin:2rem;color:#1d2733}}
h1{{font-size:1.4rem}} .big{{font-size:2.6rem;font-weight:700;color:#2e7d32}}
.cards{{display:flex;gap:1.5rem;flex-wrap:wrap}} .card{{border:1px solid #d0d7de;border-radius:6px;padding:1rem 1.4rem;min-width:12rem}}
table{{border-collapse:collapse;margin-top:1rem}} th,td{{border-bottom:1px solid #e5e8eb;padding:.35rem .8rem;text-align:right}}
th:first-child,td:first-child{{text-align:left}} footer{{margin-top:2rem;color:#687684;font-size:.85rem}}
</style></head><body>
<h1>Đánh giá sự hài lòng của doanh nghiệp khi làm thủ tục hải quan</h1>
<div class="cards">
<div class="card"><div>Hài lòng trở lên</div><div class="big">{percent}</div><div>{satisfied} / {total} lượt đánh giá</div></div>
<div class="card"><div>Số phiếu đánh giá</div><div class="big">{assessments}</div></div>
<div class="card"><div>Chờ xử lý (phản ánh, 1–2★)</div><div class="big">{open}</div><div>Đã trả lời: {answered}</div></div>
</div>
<table><tr><th>Mức độ</th><th>Số lượt</th></tr>{levels}</table>
<table><tr><th>Chi cục</th><th>Số lượt</th><th>Hài lòng trở lên</th></tr>{branches}</table>
<footer>Declarant Desk server {version} · API: <a href="/api/v1/docs">/api/v1/docs</a></footer>
</body></html>"""


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


@router.get("/", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard")


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(db: DbDep) -> HTMLResponse:
    with db.read() as conn:
        rep = reports.satisfaction(conn, date_from=None, date_to=None, group_by=ReportGrouping.BRANCH)
        inbox = reports.inbox_counts(conn)
    levels = "".join(f"<tr><td>{s}★ {escape(RATING_LEVELS[s].vi)}</td><td>{rep['by_level'][str(s)]}</td></tr>"
                     for s in (5, 4, 3, 2, 1))
    branches = "".join(f"<tr><td>{escape(g['code'])} — {escape(g['name'])}</td><td>{g['total']}</td>"
                       f"<td>{_pct(g['percent_satisfied'])}</td></tr>" for g in rep["groups"])
    html = _PAGE.format(percent=_pct(rep["percent_satisfied"]), satisfied=rep["satisfied_or_above"],
                        total=rep["total"], assessments=rep["assessments"], open=inbox["open"],
                        answered=inbox["answered"], levels=levels, branches=branches, version=escape(__version__))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
