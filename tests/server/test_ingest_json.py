"""The ingest's fast JSON (orjson) writes exactly what the standard library writes, and its
screen says "plainly fine" exactly when the standard library's check does: body hashes of
items stored before stay the same, and no bad item slips through."""
from __future__ import annotations

import json

from fastapi.routing import APIRoute
from hypothesis import example, given, settings, strategies as st

from domain.submissions import canonical_json
from server import ingest, jsonbody

from . import data
from .conftest import ENTERPRISE_A, item

_text = st.one_of(st.text(max_size=8), st.sampled_from(["Thời gian", "\ud800", "a\udfffb", "\x00\n\x7f\u2028", "😀", "1.5",
                                                        "e5", "null", "{[", "-0"]))
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=-2**70, max_value=2**70),
                     st.floats(), st.sampled_from([1e-05, 1e16, 1e15, -0.0, 0.1, 5e-324, 1.7976931348623157e308]),
                     _text)
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(_text, inner, max_size=4),
    st.dictionaries(st.integers(-5, 5), inner, max_size=2)), max_leaves=16)


def _nest(depth: int):
    value = "deep"
    for _ in range(depth):
        value = [value]
    return value


def _canonical_reference(value):
    try:
        return ("ok", canonical_json(value))
    except (ValueError, TypeError, RecursionError) as exc:
        return ("error", type(exc))


def _plainly_fine_reference(payload) -> bool:
    """The screen's check with the standard library alone."""
    try:
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (ValueError, TypeError, RecursionError):
        return False
    if isinstance(payload, dict) and text.count("{") + text.count("[") <= ingest.MAX_DEPTH:
        return True
    level, depth = [payload], 0
    while level:
        if depth >= ingest.MAX_DEPTH and any(level):
            return False
        level = [v for c in level for v in (c.values() if isinstance(c, dict) else c) if isinstance(v, (dict, list))]
        depth += 1
    return True


@settings(max_examples=500, deadline=None)
@given(value=_values)
@example(value={"b": 1e-05, "a": "x"})
@example(value={"b": [1, 2**64], "a": "\ud800"})
@example(value={"n": 12.0, "t": "Hải"})
def test_canonical_text_is_the_standard_librarys(value):
    ref = _canonical_reference(value)
    if ref[0] == "ok":
        assert ingest.canonical_text(value) == ref[1]


@settings(max_examples=500, deadline=None)
@given(payload=st.dictionaries(_text, _values, max_size=5))  # the API reads an object (models.BatchItemIn)
@example(payload={"x": float("inf")})
@example(payload={"x": float("nan"), "y": None})
@example(payload={"x": "\ud800"})
@example(payload={"x": _nest(40)})
def test_the_screens_fast_check_agrees_with_the_standard_library(payload):
    assert ingest._plainly_fine(payload) == _plainly_fine_reference(payload)



# ---- request bodies (server/jsonbody.py) ---------------------------------------------------------

def _typed(value):
    """``value`` with every number tagged by its type (1 == 1.0 == True in Python)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and value != value:
        return ("nan",)
    return (type(value).__name__, value)


def _read(loader, body: bytes):
    try:
        return ("ok", _typed(loader(body)))
    except (ValueError, RecursionError) as exc:
        return ("error", type(exc))


_documents = st.one_of(
    st.builds(lambda v, ascii_: json.dumps(v, ensure_ascii=ascii_), _values, st.booleans()).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([b'{"a":1,"a":2}', b"[1e400]", b"[-0]", b"[-0.0]", b"[18446744073709551616]",
                     b"[-9223372036854775809]", b'["\\ud800"]', b"[NaN]", b"\xef\xbb\xbf[1]", b" [1] ",
                     b'{"t":"12345678901234567890"}', b"[-9223372036854775808, 9999999999999999999]", b"[1,]", b"", b"[" * 2000 + b"]" * 2000]))


@settings(max_examples=500, deadline=None)
@given(body=_documents)
def test_a_request_body_reads_as_the_standard_library_reads_it(body):
    assert _read(jsonbody.loads, body) == _read(json.loads, body)


def _api_routes(routes):
    """Every route of the application, through the routers included in others."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)


def test_every_api_route_reads_its_body_through_the_fast_reader(app, api, monkeypatch):
    routes = [r for r in _api_routes(app.router.routes) if r.include_in_schema]  # the API, not the console's pages
    assert len(routes) > 50 and {r.path for r in routes} >= {"/submissions/batch", "/auth/login", "/alerts"}
    assert [r.path for r in routes if not isinstance(r, jsonbody.JsonRoute)] == []
    calls = []
    monkeypatch.setattr(jsonbody, "loads", lambda body: calls.append(body) or json.loads(body))
    r = api.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert r.status_code == 401 and len(calls) == 1
    r = api.batch(ENTERPRISE_A, [item("reflection", data.reflection(data.assessable(1)[0]))])
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted" and len(calls) == 3
