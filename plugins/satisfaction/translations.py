"""The plugin's own translations (Qt Linguist), kept with the host's toolchain
(:mod:`desktop.i18n`).

Source strings are English, in the code; ``i18n/satisfaction_vi.ts`` (Vietnamese, the
default language) and ``i18n/satisfaction_en.ts`` (plural forms of English) are their
translations, built to ``.qm`` with ``pyside6-lrelease``. The host installs the ``.qm``
of the current language; :func:`install_translator` does the same for standalone use
(screenshots, tests).

    python -m plugins.satisfaction.translations update   # refresh the .ts from the code
    python -m plugins.satisfaction.translations build    # .ts -> .qm
    python -m plugins.satisfaction.translations check    # exit 1 if stale or unfinished
"""
from __future__ import annotations

import sys
from pathlib import Path

from desktop import i18n
from desktop.i18n import keep_plural_translations, mark_numerus, qm_differences  # noqa: F401 - the tool's API
from desktop.i18n import run_lrelease as lrelease
from desktop.i18n import ts_messages as messages

PLUGIN_DIR = Path(__file__).resolve().parent
I18N_DIR = PLUGIN_DIR / "i18n"
LANGS = i18n.LANGUAGES
PLUGIN_ID = "satisfaction"
CATALOGUE = i18n.Catalogue(PLUGIN_ID, (PLUGIN_DIR,), I18N_DIR)

_installed: dict[int, object] = {}


def ts_path(lang: str) -> Path:
    return CATALOGUE.ts(lang)


def qm_path(lang: str) -> Path:
    return CATALOGUE.qm(lang)


def sources() -> list[Path]:
    return i18n.source_files(CATALOGUE)


def install_translator(app, lang: str):
    """Load the plugin's catalogue for ``lang`` into ``app`` (once per app); returns it."""
    from PySide6.QtCore import QTranslator

    key = id(app)
    old = _installed.pop(key, None)
    if old is not None:
        app.removeTranslator(old)
    translator = QTranslator(app)
    if qm_path(lang).exists() and translator.load(str(qm_path(lang))):
        app.installTranslator(translator)
        _installed[key] = translator
        return translator
    return None


def problems() -> list[str]:
    """What is wrong with the committed translations (empty list = all good): the host's
    checks, and strings no longer in the code, ``%n`` without plural forms, a ``.qm`` that
    does not translate as its ``.ts`` says."""
    out: list[str] = []
    wanted = i18n.found_in_code(CATALOGUE)
    for lang in LANGS:
        ts = ts_path(lang)
        if not ts.exists():
            out.append(f"{ts.name} is missing")
            continue
        have = messages(ts)
        for ctx, src in sorted(wanted - set(have)):
            out.append(f"{ts.name}: missing [{ctx}] {src!r}")
        for ctx, src in sorted(set(have) - wanted):
            out.append(f"{ts.name}: no longer in the code [{ctx}] {src!r}")
        for m in i18n.unfinished(lang, CATALOGUE):
            out.append(f"{ts.name}: unfinished [{m.context}] {m.source!r}")
        for (ctx, src), msg in have.items():
            if "%n" in src and msg.get("numerus") != "yes":
                out.append(f"{ts.name}: [{ctx}] {src!r} has %n but no plural forms (run: update)")
        qm = qm_path(lang)
        stale = qm_differences(ts, qm) if qm.exists() else ["missing"]
        if stale:
            out.append(f"{qm.name} is not up to date with {ts.name} (run: build): {stale[:3]}")
    return out


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "update":
        i18n.update(CATALOGUE)
        return 0
    if cmd == "build":
        i18n.build(CATALOGUE)
        return 0
    if cmd == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
