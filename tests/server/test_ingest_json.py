"""The ingest's fast JSON (orjson) writes exactly what the standard library writes, and its
screen says "plainly fine" exactly when the standard library's check does: body hashes of
items stored before stay the same, and no bad item slips through."""
from __future__ import annotations

import json

from hypothesis import example, given, settings, strategies as st

from domain.submissions import canonical_json
from server import ingest

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

