"""Who may call what: enterprise A vs B, each staff role, no token, expired token."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.schema import sessions
from server.timeutil import utcnow

from . import data
from .conftest import ADMIN, ENTERPRISE_A, ENTERPRISE_B, PROCESSOR, VIEWER, item

WHO = {"A": ENTERPRISE_A, "B": ENTERPRISE_B, "processor": PROCESSOR, "viewer": VIEWER, "admin": ADMIN, "none": None}

# endpoint -> expected status per caller (200 family means allowed)
MATRIX = {
    ("GET", "/api/v1/catalog"): dict(A=200, B=200, processor=200, viewer=200, admin=200, none=401),
    ("GET", "/api/v1/declarations"): dict(A=200, B=200, processor=200, viewer=200, admin=200, none=401),
    ("GET", "/api/v1/submissions"): dict(A=200, B=200, processor=403, viewer=403, admin=403, none=401),
    ("POST", "/api/v1/submissions/batch"): dict(A=200, B=200, processor=403, viewer=403, admin=403, none=401),
    ("GET", "/api/v1/inbox"): dict(A=403, B=403, processor=200, viewer=403, admin=200, none=401),
    ("GET", "/api/v1/reports/satisfaction"): dict(A=403, B=403, processor=200, viewer=200, admin=200, none=401),
    ("GET", "/api/v1/users"): dict(A=403, B=403, processor=403, viewer=403, admin=200, none=401),
    ("PUT", "/api/v1/catalog"): dict(A=403, B=403, processor=403, viewer=403, admin=200, none=401),
    ("POST", "/api/v1/auth/logout"): dict(A=204, B=204, processor=204, viewer=204, admin=204, none=401),
}


def _body(method: str, path: str, caller: str):
    if path.endswith("/batch"):
        d = data.assessable(1, "A" if caller != "B" else "B")[0] if caller != "B" else data.with_status("channeled", "B")
        if caller == "B":
            return {"items": [item("reflection", data.reflection(d))]}
        return {"items": [item("assessment", data.assessment(d))]}
    if path == "/api/v1/catalog" and method == "PUT":
        return {"targets": [{"kind": "stage", "code": "TN", "name": "Tiếp nhận, đăng ký tờ khai"}]}
    return None


@pytest.mark.parametrize("endpoint", list(MATRIX), ids=lambda e: f"{e[0]} {e[1]}")
def test_role_matrix(api, endpoint):
    method, path = endpoint
    for caller, expected in MATRIX[endpoint].items():
        body = _body(method, path, caller)
        r = api.client.request(method, path, headers=api.headers(WHO[caller]), json=body)
        assert r.status_code == expected, f"{caller}: {r.status_code} {r.text[:300]}"
        if expected >= 400:
            assert r.json()["error"]["code"] == ("unauthorized" if expected == 401 else "forbidden")
        api.tokens.pop(WHO[caller], None) if path.endswith("logout") else None


@pytest.mark.parametrize("method,path", [(m, p) for m, p in MATRIX if not p.endswith("logout")])
def test_expired_token_everywhere(api, app, method, path):
    token = api.login(ADMIN)
    with app.state.db.write() as conn:
        conn.execute(sa.update(sessions).values(expires_at=utcnow() - timedelta(minutes=1)))
    r = api.client.request(method, path, headers={"Authorization": f"Bearer {token}"}, json={})
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"


def test_enterprise_sees_only_its_declarations(api):
    for who, own, other in (("A", data.demo_declarations(), data.other_declarations()),
                            ("B", data.other_declarations(), data.demo_declarations())):
        numbers, cursor = set(), None
        while True:
            params = {"limit": 1000, **({"since": cursor} if cursor else {})}
            page = api.get("/api/v1/declarations", WHO[who], params=params).json()
            numbers |= {d["number"] for d in page["items"]}
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        assert numbers == {d.number for d in own}
        assert not numbers & {d.number for d in other}


def test_enterprise_cannot_submit_for_another_enterprise(api):
    theirs = data.assessable(1, "B")[0]
    res = api.batch(ENTERPRISE_A, [item("assessment", data.assessment(theirs))]).json()["results"][0]
    assert (res["status"], res["http_status"], res["code"]) == ("rejected", 403, "declaration_not_yours")
    info = api.batch(ENTERPRISE_A, [item("business_info", data.business_info(ENTERPRISE_B))]).json()["results"][0]
    assert (info["http_status"], info["code"]) == (403, "not_own_tax_code")


def test_enterprise_sees_only_its_submissions(api):
    mine = data.assessable(1)[0]
    assert api.batch(ENTERPRISE_A, [item("assessment", data.assessment(mine))]).json()["results"][0]["status"] == "accepted"
    a = api.get("/api/v1/submissions", ENTERPRISE_A).json()["items"]
    b = api.get("/api/v1/submissions", ENTERPRISE_B).json()["items"]
    assert [x["declaration_number"] for x in a] == [mine.number]
    assert mine.number not in {x["declaration_number"] for x in b}
    assert len(b) > 100  # B's seeded history


def test_staff_roles_on_processing(api):
    ref = api.get("/api/v1/inbox", PROCESSOR).json()["items"][0]["server_ref"]
    body = {"verified": True, "outcome": "Đã xác minh", "answer": "Đã nhắc nhở công chức."}
    for who, expected in (("viewer", 403), ("admin", 403), ("A", 403), ("none", 401), ("processor", 200)):
        r = api.post(f"/api/v1/inbox/{ref}/answer", WHO[who], json=body)
        assert r.status_code == expected, (who, r.text)
