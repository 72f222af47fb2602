"""Text normalisation: every piece of free text is NFC before it is stored or compared.

Windows keyboards (Telex/VNI input methods) can produce decomposed (NFD) Vietnamese
diacritics; two strings that look the same must compare equal.
"""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")


def nfc(value: str) -> str:
    """Return ``value`` in Unicode normal form C."""
    return unicodedata.normalize("NFC", value)


class TextTooLong(ValueError):
    def __init__(self, length: int, limit: int):
        super().__init__(f"text is {length} characters long; the limit is {limit}")
        self.length = length
        self.limit = limit


def clean_text(value: str, max_len: int, *, multiline: bool = False) -> str:
    """NFC-normalise, drop control characters, collapse runs of spaces, strip.

    Raises :class:`TextTooLong` (never truncates silently: the user must see it).
    """
    if not (value.isprintable() and "  " not in value and value == value.strip()
            and unicodedata.is_normalized("NFC", value)):
        # Printable text has no control character, line break, tab or no-break space (and
        # no whitespace but the space): with no run of spaces and no space at an end, and
        # in NFC, there is nothing to change. That is most text; the rest is cleaned here.
        value = nfc(value)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if not multiline:
            value = value.replace("\n", " ")
        value = _CONTROL.sub("", value)
        value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n")).strip()
    if len(value) > max_len:
        raise TextTooLong(len(value), max_len)
    return value


def fold(value: str) -> str:
    """Accent- and case-insensitive key for searching ("Đình Vũ" ~ "dinh vu")."""
    value = nfc(value).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
