"""Keyboard access: within one menu or one form, no two Alt+letter mnemonics collide."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from .shell_helpers import app_context

_MNEMONIC = re.compile(r"&([^&\s])")


def letters(texts):
    out = []
    for text in texts:
        m = _MNEMONIC.search(text.replace("&&", ""))
        if m:
            out.append(m.group(1).casefold())
    return out


def clashes(texts):
    return {k: n for k, n in Counter(letters(texts)).items() if n > 1}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_menus_and_filter_bar_have_distinct_mnemonics(qapp, tmp_path, lang):
    with app_context(argv=["--data-dir", str(tmp_path / "d"), "--lang", lang], services=True) as ctx:
        win = ctx.main_window
        bar = [a.text() for a in win.menuBar().actions()]
        assert len(letters(bar)) == len(bar), bar  # every top-level menu is reachable by Alt+letter
        assert clashes(bar) == {}, bar
        for menu in win.findChildren(QMenu):
            texts = [a.text() for a in menu.actions() if not a.isSeparator()]
            assert clashes(texts) == {}, (menu.title(), texts)
        view = win.list_view
        texts = [w.text() for w in view.findChildren(QLabel) + view.findChildren(QAbstractButton)
                 if w.isVisibleTo(view)]
        assert len(letters(texts)) >= 7, texts
        assert clashes(texts) == {}, texts
