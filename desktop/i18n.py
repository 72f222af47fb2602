"""Translations: loading at start-up and the Qt Linguist tooling.

Source strings in code are English; ``resources/i18n/declarant_desk_vi.ts`` carries the
Vietnamese (the default language) and ``declarant_desk_en.ts`` the English catalogue
(translations equal to the source). ``.qm`` files are built from them and committed; a
test checks that they are complete and up to date.

    python -m desktop.i18n update   # pyside6-lupdate over desktop/ -> the .ts files
    python -m desktop.i18n build    # pyside6-lrelease -> the .qm files
    python -m desktop.i18n check    # exit 1 when a string is missing, unfinished or a .qm is stale
"""
from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the tooling modules load only when the tooling runs (start-up speed)
    import xml.etree.ElementTree as ET

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "desktop"
I18N_DIR = ROOT / "resources" / "i18n"
CATALOGUE = "declarant_desk"


@dataclass(frozen=True)
class Catalogue:
    """One translation catalogue: where its strings come from and where its files live."""
    name: str
    sources: tuple[Path, ...]
    out_dir: Path

    def ts(self, lang: str) -> Path:
        return self.out_dir / f"{self.name}_{lang}.ts"

    def qm(self, lang: str) -> Path:
        return self.out_dir / f"{self.name}_{lang}.qm"


HOST = Catalogue(CATALOGUE, (SOURCE_DIR,), I18N_DIR)


def plugin_catalogues(plugins_dir: Path = ROOT / "plugins") -> list[Catalogue]:
    """One catalogue per bundled plugin that ships an ``i18n/`` folder (``<id>_<lang>.ts``)."""
    return [Catalogue(d.name, (d,), d / "i18n") for d in sorted(plugins_dir.iterdir())
            if (d / "plugin.toml").is_file() and (d / "i18n").is_dir()] if plugins_dir.is_dir() else []


EXAMPLE = Catalogue("example", (ROOT / "plugins" / "example",), ROOT / "plugins" / "example" / "i18n")
CATALOGUES = {c.name: c for c in (HOST, *plugin_catalogues())}


def ts_path(lang: str, cat: Catalogue = HOST) -> Path:
    return cat.ts(lang)


def qm_path(lang: str, cat: Catalogue = HOST) -> Path:
    return cat.qm(lang)


# ---- loading -------------------------------------------------------------------------------------

def install(lang: str) -> list:
    """Install the program's and Qt's own translators for ``lang``; returns them."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English,
                               QLocale.Country.Vietnam if lang == "vi" else QLocale.Country.UnitedStates))
    installed = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(f"qtbase_{lang}", qt_dir), (f"{CATALOGUE}_{lang}", str(I18N_DIR))]
    for name, directory in candidates:
        tr = QTranslator()
        if tr.load(name, directory):
            QCoreApplication.installTranslator(tr)
            installed.append(tr)
        elif name.startswith(CATALOGUE) and lang != "en":
            log.warning("translation %s not found in %s: showing English", name, directory)
    return installed


# ---- tooling -------------------------------------------------------------------------------------

def qt_tool(name: str) -> str | None:
    """Path of a Qt Linguist tool (``lupdate``, ``lrelease``), or None when it is not installed.

    The binaries ship inside the PySide6 package, so they are found there first: the
    ``pyside6-*`` wrappers live in the environment's scripts folder, which need not be on PATH.
    """
    import shutil

    try:
        import PySide6

        base = Path(PySide6.__file__).parent
        for candidate in (base / name, base / f"{name}.exe"):
            if candidate.is_file():
                return str(candidate)
    except ImportError:
        pass
    for candidate in (Path(sys.executable).with_name(f"pyside6-{name}"),
                      Path(sys.executable).with_name(f"pyside6-{name}.exe")):
        if candidate.is_file():
            return str(candidate)
    return shutil.which(f"pyside6-{name}")


def _tool(name: str) -> str:
    exe = qt_tool(name)
    if exe is None:
        raise FileNotFoundError(f"{name} not found (it comes with PySide6)")
    return exe


def source_files(cat: Catalogue = HOST) -> list[Path]:
    return sorted(p for d in cat.sources for p in d.rglob("*.py") if "__pycache__" not in p.parts)


# A module-level wrapper such as
#     def _t(text: str) -> str:
#         return QCoreApplication.translate("DeclarationList", text)
# hides its strings from lupdate; such calls are expanded before lupdate reads the file.
_WRAPPER_PATTERN = (
    r"^def\s+(?P<name>\w+)\(\s*(?P<arg>\w+)\s*(?::\s*str)?\s*\)\s*(?:->\s*str\s*)?:\s*\n"
    r"(?:\s*(?:\"\"\"[^\n]*\"\"\"|#[^\n]*)\n)*"
    r"\s+return\s+(?:QCoreApplication\.)?translate\(\s*(?P<q>[\"'])(?P<ctx>[^\"']+)(?P=q)\s*,\s*(?P=arg)\s*\)\s*$")


def expand_wrappers(text: str) -> str:
    """Rewrite calls of one-argument translation wrappers into ``translate("Ctx", …)``."""
    for m in re.compile(_WRAPPER_PATTERN, re.MULTILINE).finditer(text):
        name, ctx = m.group("name"), m.group("ctx")
        text = re.sub(rf"(?<![\w.]){re.escape(name)}\(\s*(?=[rbuRBU]?[\"'])",
                      f'QCoreApplication.translate("{ctx}", ', text)
    return text


def _prepared_sources(sources: list[Path], tmp: Path) -> list[str]:
    out = []
    for i, src in enumerate(sources):
        try:
            text = src.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        expanded = expand_wrappers(text)
        if expanded == text:
            out.append(str(src))
        else:
            copy = tmp / f"{i:04d}_{src.name}"
            copy.write_text(expanded, "utf-8")
            out.append(str(copy))
    return out


def run_lupdate(ts_file: Path, sources: list[Path]) -> None:
    """Refresh ``ts_file`` from the sources (keeps existing translations, drops obsolete)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        listing = tmp / "sources.lst"
        listing.write_text("\n".join(_prepared_sources(list(sources), tmp)), "utf-8")
        subprocess.run([_tool("lupdate"), "-no-obsolete", "-locations", "none", f"@{listing}", "-ts", str(ts_file)],
                       check=True, capture_output=True, text=True)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    import subprocess

    subprocess.run([_tool("lrelease"), str(ts_file), "-qm", str(qm_file)], check=True,
                   capture_output=True, text=True)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    unfinished: bool


def read_ts(path: Path) -> list[Message]:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    out = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            kind = tr.get("type") if tr is not None else "unfinished"
            if tr is not None and msg.get("numerus") == "yes":
                forms = [f.text or "" for f in tr.iter("numerusform")]
                text = " | ".join(forms)
                done = bool(forms) and all(f.strip() for f in forms)
            else:
                text = (tr.text or "") if tr is not None else ""
                done = True
            out.append(Message(name, msg.findtext("source") or "", text, kind == "unfinished" or not done))
    return out


def fill_english(path: Path) -> None:
    """In the English catalogue every translation is its source text (finished)."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(path)
    for msg in tree.getroot().iter("message"):
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation")
        if msg.get("numerus") == "yes":
            continue
        tr.text = msg.findtext("source") or ""
        tr.attrib.pop("type", None)
    _write_ts(tree, path)


def _write_ts(tree: "ET.ElementTree", path: Path) -> None:
    import xml.etree.ElementTree as ET

    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _empty_ts(path: Path, lang: str) -> None:
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    f'<TS version="2.1" language="{lang}"></TS>\n', encoding="utf-8")


def ts_messages(path: Path) -> "dict[tuple[str, str], ET.Element]":
    """(context, source) → the ``<message>`` element of a catalogue."""
    import xml.etree.ElementTree as ET

    out: dict[tuple[str, str], ET.Element] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source") or "")] = msg
    return out


def _has_plurals(ts_bytes: bytes | None) -> bool:
    return ts_bytes is not None and b'numerus="yes"' in ts_bytes


def mark_numerus(ts: Path) -> None:
    """lupdate's Python parser does not always flag ``translate(ctx, "…%n…", None, n)`` as
    a plural message: every source with ``%n`` is made one (one form per language rule)."""
    import xml.etree.ElementTree as ET

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
        _write_ts(tree, ts)


def keep_plural_translations(ts: Path, before: bytes) -> None:
    """lupdate reads ``translate(ctx, "…%n…", None, n)`` as a plain message, so a plural
    message comes back unfinished or plain: restore the finished plural translation that the
    catalogue held before (``before``, its bytes), for the same context and source."""
    import xml.etree.ElementTree as ET

    old: dict[tuple[str, str], ET.Element] = {}
    for ctx in ET.fromstring(before).iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if msg.get("numerus") == "yes" and tr is not None and tr.get("type") is None:
                old[(ctx.findtext("name") or "", msg.findtext("source") or "")] = tr
    if not old:
        return
    tree = ET.parse(ts)
    changed = False
    for ctx in tree.getroot().iter("context"):
        for msg in ctx.iter("message"):
            key = (ctx.findtext("name") or "", msg.findtext("source") or "")
            tr = msg.find("translation")
            lost = msg.get("numerus") != "yes" or tr is None or tr.get("type") == "unfinished"
            if key in old and lost:
                if tr is not None:
                    msg.remove(tr)
                msg.set("numerus", "yes")
                msg.append(old[key])
                changed = True
    if changed:
        ET.indent(tree, "    ")
        _write_ts(tree, ts)


def update(cat: Catalogue = HOST) -> None:
    """Refresh the catalogues from the code. Finished plural translations are kept; in a
    catalogue that uses plural messages, every new ``%n`` source becomes one."""
    cat.out_dir.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = cat.ts(lang)
        if not ts.exists():
            _empty_ts(ts, lang)
        before = ts.read_bytes()
        run_lupdate(ts, source_files(cat))
        if _has_plurals(before):
            mark_numerus(ts)
        keep_plural_translations(ts, before)
        if lang == "en":
            fill_english(ts)
        print(f"updated {_show(ts)}")


def qm_differences(ts: Path, qm: Path) -> list[str]:
    """Messages of ``ts`` that the built ``qm`` does not translate the same way.

    Compared through ``QTranslator`` rather than byte for byte, so that another
    ``lrelease`` version producing a different but equivalent file is not "stale"."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    if not translator.load(str(qm)):
        return [f"cannot load {qm.name}"]
    bad: list[str] = []
    for (ctx, src), msg in ts_messages(ts).items():
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


def build(cat: Catalogue = HOST) -> None:
    for lang in LANGUAGES:
        run_lrelease(cat.ts(lang), cat.qm(lang))
        print(f"built {_show(cat.qm(lang))}")


def found_in_code(cat: Catalogue = HOST, lang: str = "vi") -> set[tuple[str, str]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        _empty_ts(fresh, lang)
        run_lupdate(fresh, source_files(cat))
        return {(m.context, m.source) for m in read_ts(fresh)}


def missing_sources(lang: str = "vi", cat: Catalogue = HOST) -> set[tuple[str, str]]:
    """Strings lupdate finds in the code that the committed ``.ts`` lacks."""
    committed = {(m.context, m.source) for m in read_ts(cat.ts(lang))}
    return found_in_code(cat, lang) - committed


def unfinished(lang: str = "vi", cat: Catalogue = HOST) -> list[Message]:
    return [m for m in read_ts(cat.ts(lang)) if m.unfinished or not m.translation.strip()]


def stale_qm(lang: str, cat: Catalogue = HOST) -> bool:
    """True when the committed ``.qm`` differs from what lrelease builds from the ``.ts``."""
    if not cat.qm(lang).exists():
        return True
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "built.qm"
        run_lrelease(cat.ts(lang), built)
        return built.read_bytes() != cat.qm(lang).read_bytes()


def check(cat: Catalogue = HOST) -> list[str]:
    problems = []
    for lang in LANGUAGES:
        ts = cat.ts(lang)
        if not ts.exists():
            problems.append(f"{ts.name} is missing")
            continue
        for ctx, src in sorted(missing_sources(lang, cat)):
            problems.append(f"{ts.name}: missing [{ctx}] {src!r}")
        for m in unfinished(lang, cat):
            problems.append(f"{ts.name}: unfinished [{m.context}] {m.source!r}")
        if stale_qm(lang, cat):
            problems.append(f"{cat.qm(lang).name} is missing or out of date (run: python -m desktop.i18n build)")
    return problems


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m desktop.i18n", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=("update", "build", "check"))
    p.add_argument("--catalogue", choices=sorted(CATALOGUES), action="append",
                   help="only this catalogue (default: all)")
    args = p.parse_args(argv)
    cats = [CATALOGUES[n] for n in (args.catalogue or sorted(CATALOGUES))]
    if args.command == "update":
        for cat in cats:
            update(cat)
    elif args.command == "build":
        for cat in cats:
            build(cat)
    else:
        problems = [line for cat in cats for line in check(cat)]
        for line in problems:
            print(line)
        if problems:
            return 1
        print("translations are complete and up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
