"""The plugin's own translations (Qt Linguist).

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

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent
I18N_DIR = PLUGIN_DIR / "i18n"
LANGS = ("vi", "en")
PLUGIN_ID = "satisfaction"

_installed: dict[int, object] = {}


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"{PLUGIN_ID}_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"{PLUGIN_ID}_{lang}.qm"


def sources() -> list[Path]:
    return sorted(p for p in PLUGIN_DIR.rglob("*.py") if "__pycache__" not in p.parts)


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


def _tool(name: str) -> str:
    from desktop.i18n import qt_tool

    path = qt_tool(name.removeprefix("pyside6-"))
    if path is None:
        raise SystemExit(f"{name} was not found (it comes with PySide6)")
    return path


def lupdate(target: Path) -> None:
    subprocess.run([_tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete",
                    *map(str, sources()), "-ts", str(target)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def mark_numerus(ts: Path) -> None:
    """lupdate's Python parser does not always flag ``translate(ctx, "…%n…", None, n)`` as
    a plural message: every source with ``%n`` is made one (one form per language rule)."""
    tree = ET.parse(ts)
    changed = False
    for msg in tree.getroot().iter("message"):
        if "%n" not in (msg.findtext("source") or "") or msg.get("numerus") == "yes":
            continue
        msg.set("numerus", "yes")
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation", {"type": "unfinished"})
        if not tr.findall("numerusform"):
            form = ET.SubElement(tr, "numerusform")
            form.text, tr.text = tr.text, None
        changed = True
    if changed:
        ET.indent(tree, "    ")
        with open(ts, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(f, encoding="utf-8", xml_declaration=False)
            f.write(b"\n")


def keep_plural_translations(ts: Path, before: bytes) -> None:
    """lupdate reads ``translate(ctx, "…%n…", None, n)`` as a plain message, so every plural
    message comes back unfinished with one form: restore the finished translation that the
    catalogue held before, for the same context and source."""
    old: dict[tuple[str, str], ET.Element] = {}
    for ctx in ET.fromstring(before).iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if msg.get("numerus") == "yes" and tr is not None and tr.get("type") is None:
                old[(ctx.findtext("name") or "", msg.findtext("source") or "")] = tr
    tree = ET.parse(ts)
    changed = False
    for ctx in tree.getroot().iter("context"):
        for msg in ctx.iter("message"):
            key = (ctx.findtext("name") or "", msg.findtext("source") or "")
            tr = msg.find("translation")
            if msg.get("numerus") == "yes" and key in old and (tr is None or tr.get("type") == "unfinished"):
                if tr is not None:
                    msg.remove(tr)
                msg.append(old[key])
                changed = True
    if changed:
        ET.indent(tree, "    ")
        with open(ts, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(f, encoding="utf-8", xml_declaration=False)
            f.write(b"\n")


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) → the <message> element."""
    out: dict[tuple[str, str], ET.Element] = {}
    root = ET.parse(ts).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source") or "")] = msg
    return out


def unfinished(ts: Path) -> list[tuple[str, str]]:
    bad = []
    for key, msg in messages(ts).items():
        tr = msg.find("translation")
        if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
            bad.append(key)
            continue
        forms = tr.findall("numerusform")
        if (forms and not all((f.text or "").strip() for f in forms)) or (not forms and not (tr.text or "").strip()):
            bad.append(key)
    return bad


def problems() -> list[str]:
    """What is wrong with the committed translations (empty list = all good)."""
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        lupdate(fresh)
        wanted = set(messages(fresh))
        for lang in LANGS:
            ts = ts_path(lang)
            if not ts.exists():
                out.append(f"{ts.name} is missing")
                continue
            have = set(messages(ts))
            for ctx, src in sorted(wanted - have):
                out.append(f"{ts.name}: missing [{ctx}] {src!r}")
            for ctx, src in sorted(have - wanted):
                out.append(f"{ts.name}: no longer in the code [{ctx}] {src!r}")
            for ctx, src in unfinished(ts):
                out.append(f"{ts.name}: unfinished [{ctx}] {src!r}")
            for (ctx, src), msg in messages(ts).items():
                if "%n" in src and msg.get("numerus") != "yes":
                    out.append(f"{ts.name}: [{ctx}] {src!r} has %n but no plural forms (run: update)")
            qm = qm_path(lang)
            stale = qm_differences(ts, qm) if qm.exists() else ["missing"]
            if stale:
                out.append(f"{qm.name} is not up to date with {ts.name} (run: build): {stale[:3]}")
    return out


def qm_differences(ts: Path, qm: Path) -> list[str]:
    """Messages of ``ts`` that the built ``qm`` does not translate the same way.

    Compared through ``QTranslator`` rather than byte for byte, so that another
    ``lrelease`` version producing a different but equivalent file is not "stale"."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    if not translator.load(str(qm)):
        return [f"cannot load {qm.name}"]
    bad: list[str] = []
    for (ctx, src), msg in messages(ts).items():
        tr = msg.find("translation")
        forms = [f.text or "" for f in tr.findall("numerusform")] if tr is not None else []
        if forms:
            checks = [(1, forms[0])] + ([(2, forms[1])] if len(forms) > 1 else [])
        else:
            checks = [(-1, (tr.text or "") if tr is not None else "")]
        for n, want in checks:
            if translator.translate(ctx, src, None, n) != want:
                bad.append(f"[{ctx}] {src!r}")
                break
    return bad


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "update":
        for lang in LANGS:
            before = ts_path(lang).read_bytes() if ts_path(lang).exists() else None
            lupdate(ts_path(lang))
            mark_numerus(ts_path(lang))
            if before is not None:
                keep_plural_translations(ts_path(lang), before)
            print(ts_path(lang))
        return 0
    if cmd == "build":
        for lang in LANGS:
            lrelease(ts_path(lang), qm_path(lang))
            print(qm_path(lang))
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
