import re
import unicodedata

import pytest
from hypothesis import example, given, settings, strategies as st

from domain.text import TextTooLong, clean_text, fold, nfc
from domain.validation import (
    InvalidPhone, InvalidTaxCode, is_valid_tax_code, make_tax_code, mask_phone,
    normalize_phone, normalize_tax_code, tax_check_digit,
)


def _check_by_hand(nine: str) -> int | None:
    weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
    s = sum(w * int(d) for w, d in zip(weights, nine))
    return None if s % 11 == 0 else 10 - s % 11


@pytest.mark.parametrize("nine", ["020012345", "010010107", "030144382", "999999999", "123456789"])
def test_check_digit_matches_formula(nine):
    assert tax_check_digit(nine) == _check_by_hand(nine)


def test_known_real_style_codes():
    code = make_tax_code("010010107")
    assert code is not None and is_valid_tax_code(code)
    assert normalize_tax_code(f"{code}-001") == f"{code}-001"
    assert normalize_tax_code(f" {code}001 ") == f"{code}-001"


@pytest.mark.parametrize("bad", ["", "123", "02001234570", "0200123458", "0200000000", "0200123457-000",
                                 "0200123457-01", "02001234a7"])
def test_invalid_tax_codes(bad):
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code(bad)


def test_every_wrong_check_digit_is_refused():
    code = make_tax_code("020012345")
    assert code is not None
    for d in "0123456789":
        candidate = code[:9] + d
        assert is_valid_tax_code(candidate) == (candidate == code)


def test_sum_divisible_by_eleven_has_no_check_digit():
    # find nine digits whose weighted sum is 0 mod 11
    for n in range(10**8, 10**8 + 2000):
        nine = f"{n:09d}"
        if _check_by_hand(nine) is None:
            assert make_tax_code(nine) is None
            assert not any(is_valid_tax_code(nine + d) for d in "0123456789")
            return
    pytest.fail("no example found")


@pytest.mark.parametrize("raw,expected", [
    ("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"), ("84912345678", "0912345678"),
    ("091.234.5678", "0912345678"), ("(035) 123-4567", "0351234567"),
])
def test_phone_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("bad", ["", "0212345678", "091234567", "09123456789", "+1 912 345 678", "abc"])
def test_phone_refused(bad):
    with pytest.raises(InvalidPhone):
        normalize_phone(bad)


def test_mask_phone_keeps_three_digits():
    assert mask_phone("0912345678") == "*******678"


def _clean_text_reference(value: str, multiline: bool) -> str:
    """clean_text's rules, step by step, for every text (no shortcut)."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = value.replace("\n", " ")
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value)
    return "\n".join(re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in value.split("\n")).strip()


_TRICKY = st.sampled_from([" ", "  ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u3000", "\u2003", "\x85", "\x00", "\x1f",
                           "\x7f", "\u200b", "\u00ad", "\ufeff", "e\u0301", "\u01b0", "\u1edd", "u\u031b\u0300", "Đ",
                           "\u2028", "\x0b", "\x1c"])


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.one_of(_TRICKY, st.sampled_from(["a", "Hải", "tờ khai", "ĐÃ"]), st.text(max_size=6)),
                      max_size=12), multiline=st.booleans())
@example(parts=["a", "  ", "b"], multiline=False)
def test_clean_text_follows_its_rules_for_any_text(parts, multiline):
    value = "".join(parts)
    assert clean_text(value, 10_000, multiline=multiline) == _clean_text_reference(value, multiline)


def test_nfc_and_clean_text():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    assert decomposed != "Nguyễn Thị Hương"
    assert nfc(decomposed) == "Nguyễn Thị Hương"
    assert clean_text("  a \t b\x00  ", 10) == "a b"
    assert clean_text("x\r\ny", 10, multiline=True) == "x\ny"
    with pytest.raises(TextTooLong):
        clean_text("ư" * 11, 10)
    assert clean_text(unicodedata.normalize("NFD", "ư" * 10), 10) == "ư" * 10


def test_fold_is_accent_insensitive():
    assert fold("Cảng Đình Vũ") == fold("cang dinh vu")
