"""Every update string has a Vietnamese translation with the same placeholders."""
from __future__ import annotations

import re
import unicodedata

from desktop import i18n
from desktop.updates.i18n import build_fragment

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_every_update_string_is_translated_with_the_same_placeholders():
    found = build_fragment.sources_in_code()
    assert found, "lupdate found no update strings"
    assert found <= set(build_fragment.VI), sorted(found - set(build_fragment.VI))
    for (context, source), text in build_fragment.VI.items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (context, source)
        assert text == unicodedata.normalize("NFC", text)


def test_host_catalogue_carries_the_update_translations():
    catalogue = {(m.context, m.source): m for m in i18n.read_ts(i18n.ts_path("vi"))}
    for key, text in build_fragment.VI.items():
        assert key in catalogue, key
        assert catalogue[key].translation == text and not catalogue[key].unfinished
