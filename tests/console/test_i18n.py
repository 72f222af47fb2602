"""Every text of the console's templates and code has a Vietnamese translation, in NFC."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from server.console import i18n

CONSOLE = Path(i18n.__file__).resolve().parent
# _("..."), _('...'), tr("...") and the refusal titles and messages passed to refusal()
_CALLS = re.compile(r"""\b(?:_|tr)\(\s*(?P<q>["'])(?P<text>(?:(?!(?P=q)).)+)(?P=q)""")
_REFUSALS = re.compile(r"""refusal\([^,]+,\s*\d+,\s*"(?P<title>[^"]+)",\s*"(?P<message>[^"]+)\"""")
_GENERAL = re.compile(r"""general = \("(?P<a>[^"]+)" if .*?\n\s+else "(?P<b>[^"]+)"\)""")


def used_texts() -> set[str]:
    texts: set[str] = set()
    for path in [*CONSOLE.glob("templates/*.html"), *CONSOLE.glob("*.py")]:
        source = path.read_text("utf-8")
        texts.update(m.group("text") for m in _CALLS.finditer(source))
        for m in _REFUSALS.finditer(source):
            texts.update((m.group("title"), m.group("message")))
        for m in _GENERAL.finditer(source):
            texts.update((m.group("a"), m.group("b")))
    texts.update(i18n.ROLE_NAMES.values())
    for names in i18n.ENUM_NAMES.values():
        texts.update(names.values())
    return texts


def test_every_console_text_has_a_vietnamese_translation():
    texts = used_texts()
    assert len(texts) > 80  # the scan found the templates' texts
    missing = sorted(t for t in texts if t not in i18n.VI)
    assert missing == []


def test_vietnamese_texts_are_nfc_and_keep_their_placeholders():
    for english, vietnamese in i18n.VI.items():
        assert unicodedata.is_normalized("NFC", vietnamese), english
        assert vietnamese.strip() and vietnamese != english, english
        assert set(re.findall(r"\{\w+\}", english)) == set(re.findall(r"\{\w+\}", vietnamese)), english


def test_translator_formats_after_translating():
    assert i18n.translator("vi")("{n} unread", n=3) == "3 chưa đọc"
    assert i18n.translator("en")("{n} unread", n=3) == "3 unread"
