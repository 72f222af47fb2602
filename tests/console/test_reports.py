"""The console's satisfaction reports: figures equal to the raw ratings, branch scoping,
protection of raters (no enterprise identity for a viewer or a processor in any page or
export; officials below k ratings not shown), exports and the public indicator pack."""
from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from datetime import datetime

import pytest
import sqlalchemy as sa

from domain.demo import DEMO_ENTERPRISE, OTHER_ENTERPRISE
from server import reports
from server.db import Database
from server.schema import declarations, staff_branches, users
from tests.server.report_data import OWNER, add_declarations, items_for, levels, percent, raw_ratings, send

ALL = ("03CC", "03CE", "03EE", "03TG", "03NK", "03PA", "03PJ", "03PL", "03CD")
PERIOD = {"from": "2022-01", "to": "2026-12"}


def give_branches(db: Database, username: str, branches) -> None:  # noqa: ANN001
    with db.write() as conn:
        uid = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar_one()
        conn.execute(sa.delete(staff_branches).where(staff_branches.c.user_id == uid))
        conn.execute(sa.insert(staff_branches), [{"user_id": uid, "branch_code": b} for b in branches])


@pytest.fixture
def world(app):
    """The demo seed plus randomised assessments (with comments) of another enterprise."""
    db = app.state.db
    rng = random.Random(20260501)
    numbers = add_declarations(db, 150, rng, start=5_000_000)
    send(db, items_for(db, numbers, rng, datetime(2026, 1, 1), 120, comment="Bình luận riêng tư của doanh nghiệp"))
    for login in ("xuly", "baocao", "quantri"):
        give_branches(db, login, ALL)
    return db


def truth(db: Database, **match) -> list[dict]:  # noqa: ANN003
    with db.read() as conn:
        rows = raw_ratings(conn)
    return [r for r in rows if all(r[k] == v if not callable(v) else v(r[k]) for k, v in match.items())]


def _value(html: str, ident: str) -> str:
    m = re.search(rf'id="{ident}"[^>]*data-value="([^"]*)"', html)
    assert m, ident
    return m.group(1)


def _rows(html: str, table: str) -> dict[str, dict[str, str]]:
    """``data-key`` row -> {column: data-value} of a report table."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    out = {}
    for key, row in re.findall(r'<tr data-key="([^"]+)"[^>]*>(.*?)</tr>', body, re.S):
        out[key] = dict(re.findall(r'data-col="(\w+)" data-value="([^"]*)"', row))
        if "not-enough" in row:
            out[key]["hidden"] = "1"
    return out


def test_figures_equal_the_raw_ratings_and_drill_down(console, world):
    console.signed_in("baocao")
    html = console.client.get("/console/reports", params=PERIOD).text
    every = truth(world)
    assert int(_value(html, "headline-total")) == len(every)
    assert float(_value(html, "headline-percent")) == percent(every)
    assert int(_value(html, "headline-assessments")) == len({r["seq"] for r in every})
    branches = _rows(html, "breakdown")
    for code, cols in branches.items():
        mine = [r for r in every if r["branch"] == code]
        assert int(cols["total"]) == len(mine)
        assert [int(cols[f"l{s}"]) for s in (5, 4, 3, 2, 1)] == [levels(mine)[s] for s in (5, 4, 3, 2, 1)]
    assert set(branches) == {r["branch"] for r in every}
    # a branch -> its teams -> the officials of a team; filters: export flow, channel 3
    q = {**PERIOD, "branch": "03CC", "flow": "E", "channel": "3"}
    html = console.client.get("/console/reports", params=q).text
    sub = [r for r in every if r["branch"] == "03CC" and r["flow"] == "E" and r["channel"] == 3]
    assert int(_value(html, "headline-total")) == len(sub)
    teams = _rows(html, "breakdown")
    assert {k: int(v["total"]) for k, v in teams.items()} == \
        {c: sum(1 for r in sub if r["kind"] == "team" and r["code"] == c) for c in {r["code"] for r in sub if r["kind"] == "team"}}
    team = next(iter(teams))
    html = console.client.get("/console/reports", params={**q, "team": team}).text
    officials = _rows(html, "breakdown")
    with world.read() as conn:
        members = set(reports.team_officials(conn, team))
    for code, cols in officials.items():
        n = sum(1 for r in sub if r["kind"] == "official" and r["code"] == code)
        assert code in members
        assert (cols.get("hidden") == "1") == (n < 5)
        if n >= 5:
            assert int(cols["total"]) == n
    # the trend by week and a stage
    html = console.client.get("/console/reports", params={"from": "2026-01", "to": "2026-04", "trend": "week",
                                                          "stage": "TN"}).text
    sub = [r for r in every if "2026-01" <= r["month"] <= "2026-04" and r["kind"] == "stage" and r["code"] == "TN"]
    assert int(_value(html, "headline-total")) == len(sub)
    assert int(_value(html, "headline-assessments")) == len(sub)


def test_every_figure_links_to_its_ratings(console, world):
    console.signed_in("baocao")
    html = console.client.get("/console/reports", params={**PERIOD, "branch": "03CE"}).text
    links = re.findall(r'href="(/console/reports/ratings\?[^"]+)"', html)
    assert len(links) > 10
    for link in links[:25]:
        page = console.client.get(link.replace("&amp;", "&"))
        assert page.status_code == 200, link
        total = int(_value(page.text, "list-total"))
        shown = page.text.split('id="ratings"', 1)[1].count("<tr>") - 1  # minus the header
        assert shown == min(total, 50), link


def test_a_viewer_never_receives_an_enterprise_identity(console, world):
    with world.read() as conn:
        numbers = set(conn.execute(sa.select(declarations.c.number)).scalars())
    secrets = {OWNER, DEMO_ENTERPRISE.tax_code, OTHER_ENTERPRISE.tax_code, "Bình luận riêng tư", "Vũ Liên Hệ Riêng",
               "0912345678"}
    for login in ("baocao", "xuly"):
        console.signed_in(login)
        bodies = [console.client.get("/console/reports", params=PERIOD).text]
        for page in (1, 2, 3):
            bodies.append(console.client.get("/console/reports/ratings", params={**PERIOD, "page": page}).text)
        bodies.append(console.client.get("/console/reports/ratings", params={**PERIOD, "stars": "1,2"}).text)
        for path in ("export.csv", "ratings.csv", "public.csv", "public.json"):
            bodies.append(console.client.get(f"/console/reports/{path}", params=PERIOD).content.decode("utf-8-sig"))
        for path in ("export.xlsx", "ratings.xlsx"):
            with zipfile.ZipFile(io.BytesIO(console.client.get(f"/console/reports/{path}", params=PERIOD).content)) as z:
                bodies.append("".join(z.read(n).decode("utf-8") for n in z.namelist()))
        text = "\n".join(bodies)
        found = set(re.findall(r"\b\d{12}\b", text)) & numbers
        assert found == set(), login
        assert [s for s in secrets if s in text] == [], login
    # the administrator's list does name the declaration and show the comment
    console.signed_in("quantri")
    page = console.client.get("/console/reports/ratings", params={**PERIOD, "stars": "1,2"}).text
    assert set(re.findall(r"\b\d{12}\b", page)) & numbers
    assert "Bình luận riêng tư" in page


def test_branch_scoping_applies_to_reports_and_exports(console, world):
    give_branches(world, "baocao", ("03CE",))
    console.signed_in("baocao")
    assert console.client.get("/console/reports", params={**PERIOD, "branch": "03CC"}).status_code == 403
    assert console.client.get("/console/reports/ratings.csv", params={**PERIOD, "branch": "03CC"}).status_code == 403
    assert console.client.get("/console/reports/ratings", params={**PERIOD, "kind": "branch",
                                                                  "code": "03CC"}).status_code == 403
    html = console.client.get("/console/reports", params=PERIOD).text
    mine = truth(world, branch="03CE")
    assert int(_value(html, "headline-total")) == len(mine)
    assert set(_rows(html, "breakdown")) == {"03CE"}
    rows = list(csv.reader(io.StringIO(console.client.get("/console/reports/ratings.csv",
                                                          params=PERIOD).content.decode("utf-8-sig"))))
    assert len(rows) - 1 == len(mine) and {r[1] for r in rows[1:]} == {"03CE"}


def test_officials_below_k_are_not_shown_in_pages_lists_or_exports(console, world):
    every = truth(world, month=lambda m: m == "2026-02")
    counts: dict[tuple[str, str], int] = {}
    for r in every:
        if r["kind"] == "official":
            counts[(r["branch"], r["code"])] = counts.get((r["branch"], r["code"]), 0) + 1
    (branch, few), n = min(counts.items(), key=lambda kv: kv[1])
    assert n < 5
    with world.read() as conn:
        team = conn.execute(sa.text("SELECT parent FROM catalog_targets WHERE kind='official' AND code=:c"),
                            {"c": few}).scalar_one()
    q = {"from": "2026-02", "to": "2026-02", "branch": branch, "team": team}
    console.signed_in("baocao")
    html = console.client.get("/console/reports", params=q).text
    row = _rows(html, "breakdown")[few]
    assert row == {"hidden": "1"} and "chưa đủ dữ liệu" in html
    assert console.client.get("/console/reports/ratings", params={**q, "kind": "official", "code": few}).status_code == 403
    exported = list(csv.reader(io.StringIO(console.client.get("/console/reports/export.csv",
                                                              params=q).content.decode("utf-8-sig"))))
    line = next(r for r in exported if r[1] == few)
    assert line[3:] == [""] * 8
    raw = console.client.get("/console/reports/ratings.csv", params={"from": "2026-02", "to": "2026-02"}).content
    assert few.encode() not in raw
    # the administrator lowers k to 1: the official's figures appear
    console.signed_in("quantri")
    html = console.client.get("/console/reports", params=q).text
    csrf = console.csrf(html)
    assert console.client.post("/console/reports/settings", data={"k": "1", "csrf": csrf},
                               follow_redirects=False).status_code == 303
    row = _rows(console.client.get("/console/reports", params=q).text, "breakdown")[few]
    assert int(row["total"]) == n
    # a viewer may not change k
    console.signed_in("baocao")
    html = console.client.get("/console/reports", params=q).text
    r = console.client.post("/console/reports/settings", data={"k": "9", "csrf": console.csrf(html)})
    assert r.status_code == 403


def test_xlsx_has_typed_columns_and_nfc_text(console, world):
    import openpyxl

    console.signed_in("baocao")
    raw = console.client.get("/console/reports/ratings.xlsx", params={"from": "2026-01", "to": "2026-04"})
    ws = openpyxl.load_workbook(io.BytesIO(raw.content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Ngày" and len(rows) - 1 == len(truth(world, month=lambda m: "2026-01" <= m <= "2026-04"))
    assert all(isinstance(r[0], datetime) and isinstance(r[8], int) for r in rows[1:])
    view = console.client.get("/console/reports/export.xlsx", params=PERIOD)
    rows = list(openpyxl.load_workbook(io.BytesIO(view.content), read_only=True).active.iter_rows(values_only=True))
    total = rows[1]
    assert isinstance(total[3], int) and isinstance(total[10], float)
    import unicodedata
    assert all(unicodedata.is_normalized("NFC", c) for r in rows for c in r if isinstance(c, str))


def test_public_pack_suppresses_small_cells(console, world):
    console.signed_in("baocao")
    body = json.loads(console.client.get("/console/reports/public.json", params=PERIOD).content)
    every = truth(world)
    assert body["min_cell"] == 5 and body["rows"]
    for row in body["rows"]:
        mine = [r for r in every if r["month"] == row["month"] and r["branch"] == row["branch"]]
        assert set(row) == {"month", "branch", "branch_name", "ratings", "levels", "percent_satisfied", "suppressed"}
        if len(mine) < 5:
            assert row["suppressed"] and row["ratings"] is None and set(row["levels"].values()) == {None}
            continue
        assert row["ratings"] == len(mine) and row["percent_satisfied"] == percent(mine)
        hidden = [s for s, v in row["levels"].items() if v is None]
        assert len(hidden) != 1  # a single hidden cell would follow from the total
        for s, v in row["levels"].items():
            real = levels(mine)[int(s)]
            if v is not None:
                assert v == real
            if 0 < real < 5:
                assert v is None


def test_bad_filters_get_a_clear_page(console, world):
    console.signed_in("baocao")
    for q in ({"from": "2026-13"}, {"from": "2026-05", "to": "2026-01"}, {"channel": "7"}, {"flow": "X"}):
        r = console.client.get("/console/reports", params=q)
        assert r.status_code == 422 and "Bộ lọc của báo cáo không hợp lệ" in r.text


def test_case_handling_figures_are_on_the_dashboard(console, world):
    from server import cases

    console.signed_in("baocao")
    html = console.client.get("/console/reports", params=PERIOD).text
    assert 'id="case-figures"' in html
    shown = set(re.findall(r'<tr data-key="([^"]+)"><th scope="row">', html.split('id="case-figures"', 1)[1]
                           .split("</table>", 1)[0]))
    with world.read() as conn:
        expected = {f["branch"] for f in cases.report_figures(conn, branches=None, branch=None,
                                                              day_from=f"{PERIOD['from']}-01",
                                                              day_to=f"{PERIOD['to']}-28")}
    assert shown == expected and shown
