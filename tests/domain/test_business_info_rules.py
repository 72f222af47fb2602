"""Enterprise information rules (``domain.business_info``, the schema-1 validator and the
company phone and e-mail rules), without Qt."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings, strategies as st

from domain.business_info import (
    HS_CHAPTERS, REASONS, TURNOVER_RANGES, as_v2, diff, flatten, upgrade_v1, validate_v2, vsic_codes,
)
from domain.demo import DEMO_ENTERPRISE
from domain.submissions import SubmissionInvalid, validate_business_info
from domain.validation import (
    LANDLINE_AREA_CODES, InvalidEmail, InvalidPhone, normalize_company_phone, normalize_email,
)


def full_payload(**over) -> dict:
    p = {
        "reason": "periodic",
        "identity": {"tax_code": DEMO_ENTERPRISE.tax_code, "name": "Công ty TNHH Thương mại Hải An",
                     "address": "Số 5 Lê Hồng Phong, Ngô Quyền, Hải Phòng", "phone": "0225 3842 123",
                     "email": "ketoan@haian.vn", "representative": "Nguyễn Văn An"},
        "contact": {"name": "Trần Thị Bình", "position": "Kế toán", "phone": "0912 345 678", "email": ""},
        "business_lines": ["4610", "5210"],
        "trade": {"hs_chapters": ["84", "8"], "offices": ["03CE"], "turnover": "10-50"},
        "bank_accounts": [{"bank": "Vietcombank", "number": "0031 000 123456", "currency": "vnd"}],
        "sites": [{"kind": "warehouse", "address": "Lô 5, KCN Đình Vũ"}],
        "related_parties": [{"name": "Hai An Holdings", "country": "sg", "relation": "parent"}],
    }
    p.update(over)
    return p


def errors_of(payload, schema=2) -> dict[str, str]:
    with pytest.raises(SubmissionInvalid) as info:
        validate_business_info(payload, schema=schema)
    return {e.field: e.message for e in info.value.errors}


# ---- the defects -------------------------------------------------------------------------

@pytest.mark.parametrize("schema", [1, 2])
def test_an_unfinished_email_address_is_refused(schema):
    if schema == 1:
        payload = {"tax_code": DEMO_ENTERPRISE.tax_code, "name": "X", "address": "Y", "email": "abc@",
                   "representative": "Z", "reason": "changed"}
        assert "email" in errors_of(payload, 1)
    else:
        p = full_payload()
        p["identity"]["email"] = "abc@"
        assert "identity.email" in errors_of(p)


@pytest.mark.parametrize("schema", [1, 2])
def test_a_landline_is_a_valid_company_phone(schema):
    if schema == 1:
        out = validate_business_info({"tax_code": DEMO_ENTERPRISE.tax_code, "name": "X", "address": "Y",
                                      "phone": "0225 3842 123", "representative": "Z", "reason": "changed"})
        assert out["phone"] == "02253842123"
    else:
        assert validate_v2(full_payload())["identity"]["phone"] == "02253842123"


@pytest.mark.parametrize("schema", [1, 2])
def test_an_empty_legal_representative_is_refused(schema):
    if schema == 1:
        errors = errors_of({"tax_code": DEMO_ENTERPRISE.tax_code, "name": "X", "address": "Y",
                            "representative": "  ", "reason": "changed"}, 1)
        assert errors["representative"] == "is required"
    else:
        p = full_payload()
        p["identity"]["representative"] = " "
        assert errors_of(p)["identity.representative"] == "is required"


# ---- phones and e-mail addresses ---------------------------------------------------------------

@pytest.mark.parametrize("typed,expected", [
    ("0225 3842 123", "02253842123"), ("(024) 3825 1234", "02438251234"), ("+84 28 3829 5555", "02838295555"),
    ("84 225 3842123", "02253842123"), ("0912.345.678", "0912345678"), ("+84 912 345 678", "0912345678"),
])
def test_company_phones(typed, expected):
    assert normalize_company_phone(typed) == expected


@pytest.mark.parametrize("bad", ["0225 384 212", "0217 3842 123", "0125 3842 123", "02253842123 4", "abc", "",
                                 "0225 3842 12３"])
def test_bad_company_phones(bad):
    with pytest.raises(InvalidPhone):
        normalize_company_phone(bad)


@given(code=st.sampled_from(sorted(LANDLINE_AREA_CODES)), number=st.integers(0, 10**8 - 1))
def test_every_area_code_with_a_number_of_the_right_length_is_accepted(code, number):
    digits = f"{number:0{10 - len(code)}d}"[-(10 - len(code)):]
    assert normalize_company_phone(f"0{code} {digits}") == f"0{code}{digits}"


@given(st.text(alphabet="0123456789 ", max_size=14))
def test_any_accepted_phone_is_a_mobile_or_a_known_landline(text):
    try:
        phone = normalize_company_phone(text)
    except InvalidPhone:
        return
    assert phone.isdigit() and phone[0] == "0"
    if len(phone) == 10:
        assert phone[1] in "35789"
    else:
        assert len(phone) == 11 and (phone[1:3] in LANDLINE_AREA_CODES or phone[1:4] in LANDLINE_AREA_CODES)


@pytest.mark.parametrize("bad", ["abc@", "@example.com", "a b@example.com", "ketoan@haian", "ketoan@@haian.vn",
                                 "ketoan@haian..vn", "ketoan", ""])
def test_bad_email_addresses(bad):
    with pytest.raises(InvalidEmail):
        normalize_email(bad)


def test_email_addresses_are_normalised():
    assert normalize_email(" KeToan@HaiAn.VN ") == "KeToan@haian.vn"


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_an_accepted_email_has_one_at_sign_and_a_dotted_domain(text):
    try:
        email = normalize_email(text)
    except InvalidEmail:
        return
    local, _, domain = email.rpartition("@")
    assert local and "." in domain and " " not in email


# ---- schema 2 ------------------------------------------------------------------------------

def test_full_payload_is_normalised():
    out = validate_v2(full_payload(request_id="0B6F1D1C-8E0A-4B3E-9C55-7C2B8F1B2A10"))
    assert out["trade"]["hs_chapters"] == ["84", "08"]  # the order the enterprise gave
    assert validate_v2(full_payload(trade={"offices": ["03CE", "03CC"], "turnover": "1-10"}))["trade"]["offices"] == [
        "03CC", "03CE"]  # a set: in one order
    assert out["bank_accounts"] == [{"bank": "Vietcombank", "number": "0031000123456", "currency": "VND"}]
    assert out["related_parties"][0]["country"] == "SG"
    assert out["request_id"] == "0b6f1d1c-8e0a-4b3e-9c55-7c2b8f1b2a10"
    assert validate_v2(out) == out  # idempotent


def test_what_customs_requires():
    errors = errors_of({"reason": "changed"})
    for field in ("identity.tax_code", "identity.name", "identity.address", "identity.phone", "identity.email",
                  "identity.representative", "contact.name", "contact.phone", "business_lines",
                  "trade.turnover"):
        assert errors.get(field) == "is required", field


@pytest.mark.parametrize("change,field", [
    ({"business_lines": ["9999"]}, "business_lines"),
    ({"trade": {"hs_chapters": ["77"], "turnover": "10-50"}}, "trade.hs_chapters"),
    ({"trade": {"offices": ["XXXX"], "turnover": "10-50"}}, "trade.offices"),
    ({"trade": {"turnover": "huge"}}, "trade.turnover"),
    ({"bank_accounts": [{"bank": "A", "number": "12"}]}, "bank_accounts[0].number"),
    ({"bank_accounts": [{"bank": "A", "number": "1234", "currency": "dong"}]}, "bank_accounts[0].currency"),
    ({"bank_accounts": [{"bank": "A", "number": "1234"}, {"bank": "B", "number": "1234"}]}, "bank_accounts"),
    ({"sites": [{"kind": "shop", "address": "x"}]}, "sites[0].kind"),
    ({"sites": [{"kind": "warehouse", "address": ""}]}, "sites[0].address"),
    ({"related_parties": [{"name": "X", "relation": "parent", "tax_code": "0200000000"}]}, "related_parties[0].tax_code"),
    ({"related_parties": [{"name": "X", "relation": "cousin"}]}, "related_parties[0].relation"),
    ({"request_id": "not-a-uuid"}, "request_id"),
    ({"reason": "because"}, "reason"),
    ({"sites": [{}] * 31}, "sites"),
])
def test_bad_input_is_refused_with_the_field(change, field):
    assert field in errors_of(full_payload(**change))


def test_vsic_and_hs_data():
    codes = vsic_codes()
    assert codes["4610"][0].startswith("Đại lý") and len(codes) > 50
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert len(HS_CHAPTERS) == 96 and "77" not in HS_CHAPTERS


# ---- versions and differences -----------------------------------------------------------------

def test_diff_field_by_field_and_row_by_row():
    old = validate_v2(full_payload())
    new = copy.deepcopy(old)
    new["identity"]["email"] = "xnk@haian.vn"
    new["contact"]["phone"] = "0987654321"
    new["sites"].append({"kind": "production", "address": "KCN Tràng Duệ"})
    new["bank_accounts"][0]["bank"] = "Vietcombank Hải Phòng"
    changes = {c.field: (c.before, c.after) for c in diff(old, new)}
    assert changes == {
        "identity.email": ("ketoan@haian.vn", "xnk@haian.vn"),
        "contact.phone": ("0912345678", "0987654321"),
        "sites[production:kcn tràng duệ]": (None, "production · KCN Tràng Duệ"),
        "bank_accounts[0031000123456]": ("Vietcombank · 0031000123456 · VND",
                                         "Vietcombank Hải Phòng · 0031000123456 · VND"),
    }
    assert [c.section for c in diff(old, new)] == ["identity", "contact", "bank_accounts", "sites"]
    assert diff(old, old) == []
    assert diff(old, {**old, "reason": "changed", "workstation": "abcdef12"}) == []


def test_schema_1_versions_compare_with_schema_2():
    v1 = validate_business_info({"tax_code": DEMO_ENTERPRISE.tax_code, "name": "Công ty Hải An", "address": "Y",
                                 "representative": "Nguyễn Văn An", "reason": "first_time",
                                 "fields": {"employees": "40"}})
    old = as_v2(1, v1)
    assert old == upgrade_v1(v1) and old["reason"] == "first_time"
    new = validate_v2(full_payload())
    fields = {c.field for c in diff(old, new)}
    assert {"identity.name", "identity.email", "business_lines", "other.employees"} <= fields
    assert "identity.tax_code" not in fields


payload_strategy = st.builds(
    lambda email, lines, turnover, reason: full_payload(
        identity={**full_payload()["identity"], "email": email}, business_lines=lines,
        trade={"turnover": turnover}, reason=reason),
    st.sampled_from(["a@b.vn", "ketoan@haian.vn", "x.y@z.com.vn"]),
    st.lists(st.sampled_from(sorted(vsic_codes())), min_size=1, max_size=4, unique=True),
    st.sampled_from(TURNOVER_RANGES), st.sampled_from(REASONS))


@given(payload_strategy, payload_strategy)
def test_diff_properties(a, b):
    a, b = validate_v2(a), validate_v2(b)
    forward = diff(a, b)
    backward = diff(b, a)
    assert {c.field for c in forward} == {c.field for c in backward}
    assert all((c.before, c.after) == (r.after, r.before)
               for c in forward for r in backward if r.field == c.field)
    assert not diff(a, a)
    changed = {c.field for c in forward}
    fa, fb = flatten(a), flatten(b)
    assert changed == {k for k in set(fa) | set(fb) if fa.get(k, "") != fb.get(k, "")}
