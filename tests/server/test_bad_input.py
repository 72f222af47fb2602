"""Bad input never becomes a 5xx: one bad item of a batch is refused alone (per-item 422),
the API reads UTF-8 JSON only, and HTML answers carry a strict Content-Security-Policy."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import uuid

from hypothesis import HealthCheck, given, settings, strategies as st

from . import data
from .conftest import ENTERPRISE_A

BATCH = "/api/v1/submissions/batch"
INF = "__not_a_finite_number__"  # replaced by 1e400 in the JSON text (Python reads it as infinity)


def _send(api, items: list[dict]):
    """The batch as JSON text with ``\\uXXXX`` escapes, so lone surrogates travel as the
    JSON standard allows (a client library encoding to UTF-8 could not send them)."""
    text = json.dumps({"items": items}, ensure_ascii=True).replace(f'"{INF}"', "1e400")
    return api.post(BATCH, ENTERPRISE_A, content=text.encode("ascii"), headers={"Content-Type": "application/json"})


def _item(kind: str, payload: dict) -> dict:
    return {"id": str(uuid.uuid4()), "kind": kind, "schema": 1, "created_at": "2026-11-20T10:15:00+07:00",
            "payload": payload}


def test_a_lone_surrogate_refuses_only_its_item(api):
    decls = data.assessable(3)
    bad = data.assessment(decls[0], 5)
    bad["ratings"][0]["comment"] = "Rất tốt \ud800"
    items = [_item("assessment", data.assessment(decls[1], 5)), _item("assessment", bad),
             _item("reflection", data.reflection(decls[2], "Nội dung \udfff")),
             _item("business_info", dict(data.business_info(), fields={"T\ud83d": "x"})),
             _item("reflection", data.reflection(decls[2]))]
    r = _send(api, items)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["id"] for x in results] == [i["id"] for i in items]
    assert [x["status"] for x in results] == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    for x in results[1:4]:
        assert x["http_status"] == 422 and x["code"] == "invalid_content"
        assert "Unicode" in x["message"] and x["details"][0]["field"]
    assert results[1]["details"][0]["field"] == "ratings[0].comment"
    # sent again with the same id and a repaired body: accepted
    items[1]["payload"]["ratings"][0]["comment"] = "Rất tốt"
    again = _send(api, [items[1]]).json()["results"][0]
    assert again["status"] == "accepted", again


def _nest(depth: int, leaf):
    for _ in range(depth):
        leaf = [leaf]
    return leaf


bad_text = st.one_of(
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Cf", "Lo", "Nd", "Zs"]), min_size=1, max_size=12),
    st.sampled_from(["\ud800", "a\udfffb", "\udbff\udbff", "\x00", "\u202e", "\ufeff", "x" * 5000, "  ", ""]),
)
bad_values = st.one_of(
    bad_text,
    st.integers(min_value=-10**200, max_value=10**200),
    st.sampled_from([1e308, -1e308, 2**63, -2**63 - 1, 10**100, -0.0, 5e-324, INF]),
    st.builds(_nest, st.integers(20, 200), bad_text),
    st.sampled_from([None, True, False, [], {}, 0, 3.5, "", [[]], {"a": {"b": {}}}]),
    st.dictionaries(bad_text, bad_text, max_size=3),
    st.lists(bad_text, max_size=3),
)


@st.composite
def bad_items(draw) -> dict:
    """A valid item with one part replaced by something bad: a value, a field name or the
    payload's nesting."""
    decls = data.assessable(4)
    kind = draw(st.sampled_from(["assessment", "reflection", "business_info"]))
    d = draw(st.sampled_from(decls))
    payload = {"assessment": lambda: data.assessment(d, draw(st.integers(1, 5))),
               "reflection": lambda: data.reflection(d),
               "business_info": data.business_info}[kind]()
    payload = copy.deepcopy(payload)
    where = draw(st.sampled_from(["top", "new_key", "rating", "contact", "fields"]))
    value = draw(bad_values)
    if where == "top":
        payload[draw(st.sampled_from(sorted(payload)))] = value
    elif where == "new_key":
        payload[draw(bad_text)] = value
    elif where == "rating" and payload.get("ratings"):
        payload["ratings"][0][draw(st.sampled_from(["target_kind", "target_code", "stars", "reasons", "comment"]))] = value
    elif where == "contact":
        payload["contact"] = {"name": value, "phone": draw(bad_values)}
    else:
        payload["fields"] = {draw(bad_text): value}
    return _item(kind, payload)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example])
@given(items=st.lists(bad_items(), min_size=1, max_size=4), position=st.integers(0, 4))
def test_no_bad_item_makes_the_batch_fail(api, items, position):
    good = _item("reflection", data.reflection(data.assessable(4)[0]))
    items = list(items)
    items.insert(min(position, len(items)), good)
    r = _send(api, items)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["id"] for x in results] == [i["id"] for i in items]
    for x in results:
        assert x["status"] in ("accepted", "duplicate", "rejected")
        assert x["http_status"] < 500, x
        if x["status"] == "rejected":
            assert x["code"] and x["message"]
    assert next(x for x in results if x["id"] == good["id"])["status"] == "accepted"


def test_lists_and_objects_where_a_code_belongs_refuse_only_their_item(api):
    """A value that cannot be looked up in a table of codes (a list, an object, a number
    where a list belongs) is a validation error of its item, not a failed batch."""
    decls = data.assessable(6)

    def assessment(i: int, where: str, value) -> dict:
        payload = copy.deepcopy(data.assessment(decls[i], 5))
        payload["ratings"][0][where] = value
        return _item("assessment", payload)

    def reflection(change) -> dict:
        payload = copy.deepcopy(data.reflection(decls[5]))
        change(payload)
        return _item("reflection", payload)

    bad = [assessment(0, "target_kind", ["official"]), assessment(1, "target_kind", {"a": 1}),
           assessment(2, "reasons", [["S05"]]), assessment(3, "reasons", [{"code": "S05"}]),
           reflection(lambda p: p.update(targets=[{"target_kind": ["team"], "target_code": "x"}])),
           reflection(lambda p: p.update(targets=[{"target_kind": "team", "target_code": ["x"]}])),
           reflection(lambda p: p.update(targets=5))]
    good = _item("assessment", data.assessment(decls[4], 5))
    r = _send(api, [*bad, good])
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    for item, x in zip(bad, results):
        assert (x["status"], x["http_status"], x["code"]) == ("rejected", 422, "validation_error"), (item, x)
    assert results[-1]["status"] == "accepted", results[-1]


def test_unreadable_nesting_is_a_400_not_a_5xx(api):
    deep = "[" * 100_000 + "]" * 100_000
    body = f'{{"items":[{{"id":"{uuid.uuid4()}","kind":"reflection","schema":1,"payload":{{"x":{deep}}}}}]}}'
    r = api.post(BATCH, ENTERPRISE_A, content=body.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


# ---- UTF-8 JSON only -----------------------------------------------------------------------------

def test_only_utf8_json_is_read(api):
    body = json.dumps({"items": [_item("reflection", data.reflection(data.assessable(1)[0]))]}, ensure_ascii=False)
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        r = api.post(BATCH, ENTERPRISE_A, content=body.encode(encoding), headers={"Content-Type": "application/json"})
        assert r.status_code == 415, (encoding, r.text)
        assert r.json()["error"]["code"] == "unsupported_media_type" and "UTF-8" in r.json()["error"]["message"]
    for content_type in ("application/json; charset=utf-16", "application/json; charset=latin-1", "text/plain"):
        r = api.post(BATCH, ENTERPRISE_A, content=body.encode(), headers={"Content-Type": content_type})
        assert r.status_code == 415, (content_type, r.text)
    r = api.post("/api/v1/auth/login", content='{"username":"a","password":"b"}'.encode("utf-16"),
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 415
    r = api.post(BATCH, ENTERPRISE_A, content=body.encode(), headers={"Content-Type": "application/json; charset=UTF-8"})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted"


# ---- security headers on HTML -----------------------------------------------------------------

def _csp(r) -> dict[str, list[str]]:
    policy = r.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _inline_hashes(html: str, tag: str) -> list[str]:
    blocks = re.findall(rf"<{tag}\b([^>]*)>(.*?)</{tag}>", html, re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for attrs, body in blocks if "src=" not in attrs]


def test_html_answers_carry_a_strict_policy(api):
    for path in ("/dashboard", "/api/v1/docs"):
        r = api.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        csp = _csp(r)
        assert csp["default-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
        assert "'unsafe-inline'" not in r.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in r.headers["Content-Security-Policy"]
        for tag, directive in (("style", "style-src"), ("script", "script-src")):
            for digest in _inline_hashes(r.text, tag):
                assert digest in csp[directive], (path, tag)
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["X-Frame-Options"] == "DENY"
    assert _inline_hashes(api.get("/dashboard").text, "style")  # the dashboard's style is hashed, not inline-allowed


def test_api_answers_forbid_everything_active(api):
    r = api.get("/api/v1/health")
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert r.headers["Cache-Control"] == "no-store" and r.headers["X-Content-Type-Options"] == "nosniff"
