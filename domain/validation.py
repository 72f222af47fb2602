"""Validation of identifiers a declarant types: tax codes (MST) and mobile phones."""
from __future__ import annotations

import re
import unicodedata

from .text import nfc

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


class InvalidTaxCode(ValueError):
    pass


class InvalidPhone(ValueError):
    pass


def tax_check_digit(first_nine: str) -> int | None:
    """Check digit for the first nine digits of a tax code, or None if none is valid."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise InvalidTaxCode("a tax code starts with nine digits")
    remainder = sum(w * int(d) for w, d in zip(TAX_WEIGHTS, first_nine)) % 11
    if remainder == 0:
        return None
    return 10 - remainder


def _is_separator(ch: str) -> bool:
    return ch in " .-" or unicodedata.category(ch) in ("Zs", "Pd")


def normalize_tax_code(value: str) -> str:
    """Return the canonical tax code (``XXXXXXXXXX`` or ``XXXXXXXXXX-YYY``) or raise.

    The rule (the same as python-stdnum's ``vn.mst`` for codes written with ASCII digits):

    * the text is first put in NFKC form, so full-width digits (``０２００…``, typed with some
      input methods) become ASCII digits; surrounding white space is ignored;
    * separators anywhere are ignored: spaces, dots and dashes (any Unicode dash or space);
    * what is left must be 10 ASCII digits, or 13 whose last three are the branch suffix
      (001 to 999); other digits (Arabic-Indic ``٠١٢``, Devanagari ...) are refused;
    * digits 3 to 9 are not all zero and the 10th is the MST check digit.

    The result only ever contains ASCII digits and, for a branch, one dash.
    """
    if not isinstance(value, str):
        raise InvalidTaxCode("a tax code is text")
    raw = "".join(ch for ch in unicodedata.normalize("NFKC", value).strip() if not _is_separator(ch))
    if not raw.isascii() or not raw.isdigit() or len(raw) not in (10, 13):
        raise InvalidTaxCode("a tax code has 10 digits, or 13 written XXXXXXXXXX-YYY")
    main, suffix = raw[:10], (raw[10:] or None)
    if main[2:9] == "0000000":
        raise InvalidTaxCode("digits 3 to 9 of a tax code cannot all be zero")
    check = tax_check_digit(main[:9])
    if check is None or check != int(main[9]):
        raise InvalidTaxCode("the check digit (10th digit) of the tax code is wrong")
    if suffix is not None and suffix == "000":
        raise InvalidTaxCode("a branch suffix runs from 001 to 999")
    return main if suffix is None else f"{main}-{suffix}"


def is_valid_tax_code(value: str) -> bool:
    try:
        normalize_tax_code(value)
    except InvalidTaxCode:
        return False
    return True


def make_tax_code(first_nine: str) -> str | None:
    """Complete nine digits into a valid tax code (None when no check digit exists)."""
    check = tax_check_digit(first_nine)
    return None if check is None else f"{first_nine}{check}"


_PHONE_RE = re.compile(r"^0[35789]\d{8}$")


def normalize_phone(value: str) -> str:
    """Return a Vietnamese mobile number as ten digits ``0xxxxxxxxx`` or raise.

    Accepts ``+84``/``84`` prefixes and spaces, dots, dashes and parentheses.
    """
    raw = re.sub(r"[\s.\-()]", "", nfc(value))
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not _PHONE_RE.match(raw):
        raise InvalidPhone("a mobile number has 10 digits and starts with 03, 05, 07, 08 or 09")
    return raw


def mask_phone(value: str) -> str:
    """Phone number safe for logs: only the last three digits are kept."""
    digits = re.sub(r"\D", "", value)
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


# ---- enterprise information: company phones and e-mail addresses ---------------------------

class InvalidEmail(ValueError):
    pass


# Fixed-line area codes in force since 2017 (Ministry of Information and Communications):
# Hanoi 24 and Ho Chi Minh City 28 have 8-digit subscriber numbers, the other provinces
# three-digit codes (2xx) with 7-digit numbers; either way 11 digits with the leading 0.
LANDLINE_AREA_CODES = frozenset({
    "24", "28",
    "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213", "214", "215", "216", "218",
    "219", "220", "221", "222", "225", "226", "227", "228", "229", "232", "233", "234", "235", "236", "237",
    "238", "239", "251", "252", "254", "255", "256", "257", "258", "259", "260", "261", "262", "263", "269",
    "270", "271", "272", "273", "274", "275", "276", "277", "290", "291", "292", "293", "294", "296", "297",
    "299",
})


def normalize_company_phone(value: str) -> str:
    """A company phone: a mobile (as :func:`normalize_phone`) or a landline, area code and
    number (``0225 3842 123``, ``(024) 3825 1234``, ``+84 225 3842123``), returned as digits
    with the leading 0 (``02253842123``). Raises :class:`InvalidPhone`."""
    try:
        return normalize_phone(value)
    except InvalidPhone:
        pass
    raw = re.sub(r"[\s.\-()]", "", nfc(value))
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 12:
        raw = "0" + raw[2:]
    if len(raw) == 11 and raw.isascii() and raw.isdigit() and raw.startswith("02"):
        code = raw[1:3] if raw[1:3] in ("24", "28") else raw[1:4]
        if code in LANDLINE_AREA_CODES:
            return raw
    raise InvalidPhone("a phone number is a mobile (10 digits starting with 03, 05, 07, 08 or 09) or a landline: "
                       "area code and number, 11 digits starting with 02")


def normalize_email(value: str) -> str:
    """A deliverable-looking e-mail address in normal form (``email-validator``: syntax,
    internationalised domains, no DNS lookup), or :class:`InvalidEmail`."""
    from email_validator import EmailNotValidError, validate_email

    text = nfc(value).strip()
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from None
    return info.normalized
