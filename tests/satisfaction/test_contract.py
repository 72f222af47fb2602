"""Contract: payloads built from forms are what the server accepts.

Two levels: the server's request model (``server.models.BatchIn``), and a real server on
loopback seeded with the demo world, which runs the shared rules with the declaration's
status, channel and handling records."""
from __future__ import annotations

import uuid

import pytest
import requests

from domain.demo import DEMO_ENTERPRISE, build_catalog, handling_for, iter_declarations
from domain.submissions import canonical_json
from plugins.satisfaction.core import AssessmentForm, ReflectionForm

CATALOG = build_catalog()


def declarations(status: str, count: int = 3):
    out = []
    for d in iter_declarations():
        if d.status == status and d.channel:
            handling = [{"kind": t.kind, "code": t.code, "name": t.name}
                        for t in handling_for(d.number, d.office_code, d.channel, d.status, CATALOG)]
            out.append(({"number": d.number, "status": d.status, "channel": d.channel}, handling))
            if len(out) == count:
                break
    return out


def assessment_payloads() -> list[dict]:
    payloads = []
    for i, (decl, handling) in enumerate(declarations("cleared", 2) + declarations("released", 1)
                                         + declarations("preservation", 1)):
        form = AssessmentForm.for_declaration(decl, handling)
        for j, t in enumerate(form.targets):
            stars = (5, 4, 3, 2, 1)[(i + j) % 5] if i % 2 else 5
            t.set_stars(stars)
            t.set_reason("D06" if stars <= 2 else "S04", True)
            if j == 0:
                t.comment = "Ý kiến  thêm\nvề cán bộ"
        if form.any_low():
            form.detail = "Phải chờ lâu, không được hướng dẫn"
            form.contact_name = "Nguyễn Thị Hoa"
            form.contact_phone = "+84 (98) 765-4321"
        payloads.append(form.to_payload())
    return payloads


def reflection_payload() -> dict:
    decl, handling = declarations("channeled", 1)[0]
    form = ReflectionForm.for_declaration(decl, handling)
    form.name, form.phone, form.content = "Trần Văn Nam", "0987 654 321", "Chưa được tiếp nhận hồ sơ"
    form.selected = {form.targets[-1].key}
    return form.to_payload()


def batch(items: list[tuple[str, dict]]) -> dict:
    return {"items": [{"id": str(uuid.uuid4()), "kind": kind, "schema": 1, "created_at": "2026-11-20T10:00:00+07:00",
                       "payload": payload} for kind, payload in items]}


def test_payloads_fit_the_servers_request_model():
    from server.models import BatchIn

    body = batch([("assessment", p) for p in assessment_payloads()] + [("reflection", reflection_payload())])
    parsed = BatchIn.model_validate(body)
    assert len(parsed.items) == len(body["items"])
    for item, sent in zip(parsed.items, body["items"]):
        assert item.payload == sent["payload"] and item.schema_ == 1


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    from server.embedded import start_server

    db = tmp_path_factory.mktemp("server") / "server.db"
    with start_server(f"sqlite:///{db}", seed_demo=True) as srv:
        yield srv


def login(url: str) -> dict[str, str]:
    r = requests.post(f"{url}/api/v1/auth/login", json={"username": DEMO_ENTERPRISE.tax_code,
                                                         "password": DEMO_ENTERPRISE.password}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_a_real_server_accepts_every_payload_built_from_forms(demo_server):
    headers = login(demo_server.url)
    items = [("assessment", p) for p in assessment_payloads()] + [("reflection", reflection_payload())]
    body = batch(items)
    r = requests.post(f"{demo_server.url}/api/v1/submissions/batch", json=body, headers=headers, timeout=20)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["accepted"] * len(items), results
    # the server stored exactly what the form produced (it normalises nothing further)
    r = requests.post(f"{demo_server.url}/api/v1/submissions/batch", json=body, headers=headers, timeout=20)
    assert [x["status"] for x in r.json()["results"]] == ["duplicate"] * len(items)
    # a second final assessment of one declaration is refused, as the plugin expects
    again = batch([("assessment", items[0][1])])
    r = requests.post(f"{demo_server.url}/api/v1/submissions/batch", json=again, headers=headers, timeout=20)
    assert r.json()["results"][0]["http_status"] == 409
    assert canonical_json(items[0][1])  # canonical form exists for every payload (idempotency key body)
