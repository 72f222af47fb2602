"""The tax-code rule of ``domain.validation`` against python-stdnum's ``vn.mst``, and the
digits that may be stored (ASCII only)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from stdnum.vn import mst

from domain.validation import InvalidTaxCode, is_valid_tax_code, make_tax_code, normalize_tax_code

VALID = "0200123457"


@pytest.mark.parametrize("raw,expected", [
    ("0312-945656", "0312945656"),
    ("0312945656-", "0312945656"),
    ("03.12.94.56.56", "0312945656"),
    (" 0312 945 656 ", "0312945656"),
    ("0312945656 - 001", "0312945656-001"),
    ("031294565-6001", "0312945656-001"),
    ("0312945656\u2013001", "0312945656-001"),  # en dash
    ("\uff10\uff12\uff10\uff10\uff11\uff12\uff13\uff14\uff15\uff17", VALID),  # full-width digits (NFKC)
])
def test_separators_anywhere_and_full_width_digits(raw, expected):
    assert normalize_tax_code(raw) == expected
    assert normalize_tax_code(raw).isascii()


@pytest.mark.parametrize("look_alike", [
    "\u0660\u0662\u0660\u0660\u0661\u0662\u0663\u0664\u0665\u0667",  # Arabic-Indic digits
    "\u06f0\u06f2\u06f0\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f7",  # extended Arabic-Indic
    "\u0966\u0968\u0966\u0966\u0967\u0968\u0969\u096a\u096b\u096d",  # Devanagari
    "02001234\u0665\u0667",
    "\U0001d7ce\U0001d7d0\U0001d7ce\U0001d7ce\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3\U0001d7d5",
])
def test_other_digits_are_refused_or_become_ascii(look_alike):
    try:
        code = normalize_tax_code(look_alike)
    except InvalidTaxCode:
        return
    assert code == VALID  # only NFKC-compatible digits (mathematical digits) may pass, as ASCII


def test_arabic_indic_digits_are_refused():
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code("\u0660\u0662\u0660\u0660\u0661\u0662\u0663\u0664\u0665\u0667")


def test_non_text_is_refused():
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code(200123457)  # type: ignore[arg-type]


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@st.composite
def written_codes(draw) -> str:
    """Tax codes as people write them: mostly valid ones, some with a wrong check digit or
    suffix, some with a digit too many or too few, with separators anywhere."""
    nine = draw(nine_digits)
    check = make_tax_code(nine)
    digits = check if (check is not None and draw(st.booleans())) else nine + draw(st.sampled_from("0123456789"))
    if draw(st.booleans()):
        digits += draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    digits += draw(st.text(alphabet="0123456789", max_size=1)) if draw(st.integers(0, 9)) == 0 else ""
    if draw(st.integers(0, 9)) == 0:
        digits = digits[:-1]
    out = []
    for d in digits:
        out.append(draw(st.text(alphabet=" -.", max_size=2)) if draw(st.integers(0, 4)) == 0 else "")
        out.append(d)
    out.append(draw(st.text(alphabet=" -.", max_size=2)))
    return "".join(out)


@settings(max_examples=2000, deadline=None)
@given(written_codes())
def test_agrees_with_python_stdnum(raw):
    ours = is_valid_tax_code(raw)
    assert ours == mst.is_valid(raw), raw
    if ours:
        assert normalize_tax_code(raw) == mst.format(raw)
        assert normalize_tax_code(raw) == normalize_tax_code(mst.compact(raw))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_only_ascii_digits_are_ever_returned(raw):
    try:
        code = normalize_tax_code(raw)
    except InvalidTaxCode:
        return
    assert code.isascii() and code.replace("-", "").isdigit()
    assert len(code) in (10, 14)
