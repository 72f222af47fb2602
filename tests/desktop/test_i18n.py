"""Translations: every source string is in the catalogues, Vietnamese is finished, .qm fresh."""
from __future__ import annotations

import re
import unicodedata

import pytest

from desktop import i18n

from ..conftest import require_tool


@pytest.fixture(scope="module", autouse=True)
def tools():
    require_tool(i18n.qt_tool("lupdate") is not None and i18n.qt_tool("lrelease") is not None,
                 "lupdate and lrelease (PySide6)")


@pytest.mark.parametrize("cat", list(i18n.CATALOGUES.values()), ids=list(i18n.CATALOGUES))
def test_no_source_string_is_missing(cat):
    for lang in i18n.LANGUAGES:
        missing = i18n.missing_sources(lang, cat)
        assert not missing, f"run `python -m desktop.i18n update` and translate: {sorted(missing)[:10]}"


@pytest.mark.parametrize("cat", list(i18n.CATALOGUES.values()), ids=list(i18n.CATALOGUES))
def test_vietnamese_is_finished_and_nfc(cat):
    assert i18n.unfinished("vi", cat) == []
    for m in i18n.read_ts(cat.ts("vi")):
        assert m.translation == unicodedata.normalize("NFC", m.translation), m.source


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%[1-9n]")


@pytest.mark.parametrize("cat", list(i18n.CATALOGUES.values()), ids=list(i18n.CATALOGUES))
def test_vietnamese_keeps_every_placeholder(cat):
    for m in i18n.read_ts(cat.ts("vi")):
        for form in m.translation.split(" | "):
            assert sorted(set(_PLACEHOLDER.findall(form))) == sorted(set(_PLACEHOLDER.findall(m.source))), \
                (m.context, m.source, form)


def test_every_bundled_plugin_catalogue_is_checked():
    assert {"declarant_desk", "satisfaction", "business_info", "example"} <= set(i18n.CATALOGUES)


@pytest.mark.parametrize("cat", list(i18n.CATALOGUES.values()), ids=list(i18n.CATALOGUES))
def test_qm_files_are_up_to_date(cat):
    for lang in i18n.LANGUAGES:
        assert not i18n.stale_qm(lang, cat), f"run `python -m desktop.i18n build` ({cat.qm(lang).name})"


def test_the_check_catches_a_new_untranslated_string(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.py").write_text('from PySide6.QtCore import QCoreApplication\n'
                              'QCoreApplication.translate("Ctx", "A brand new string")\n', encoding="utf-8")
    cat = i18n.Catalogue("probe", (src,), tmp_path / "out")
    cat.out_dir.mkdir()
    for lang in i18n.LANGUAGES:
        i18n._empty_ts(cat.ts(lang), lang)
    problems = i18n.check(cat)
    assert any("missing [Ctx] 'A brand new string'" in p for p in problems)
    i18n.update(cat)
    problems = i18n.check(cat)
    assert any("unfinished [Ctx]" in p and "probe_vi.ts" in p for p in problems)
    assert not any("probe_en.ts: unfinished" in p for p in problems)  # English is its own source
    i18n.build(cat)
    assert not any(".qm" in p for p in i18n.check(cat))


def test_key_menu_words_have_correct_diacritics():
    vi = {(m.context, m.source): m.translation for m in i18n.read_ts(i18n.HOST.ts("vi"))}
    assert vi[("MainWindow", "&System")].replace("&", "") == "Hệ thống"
    assert vi[("MainWindow", "&Other operations")].replace("&", "") == "Nghiệp vụ khác"
    assert vi[("MainWindow", "&Help")].replace("&", "") == "Trợ giúp"
    assert vi[("MainWindow", "Open &log folder")].replace("&", "") == "Mở thư mục nhật ký"
    assert vi[("MainWindow", "&Plugins…")].replace("&", "") == "Danh sách tiện ích…"


def test_one_argument_wrappers_are_expanded_for_lupdate():
    src = '''from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("DeclarationList", text)


label = _t("Reg. date")
other = obj._t("not a wrapper call")
dynamic = _t(variable)
'''
    out = i18n.expand_wrappers(src)
    assert 'label = QCoreApplication.translate("DeclarationList", "Reg. date")' in out
    assert 'obj._t("not a wrapper call")' in out and "_t(variable)" in out
    assert "def _t(text: str)" in out
    assert i18n.expand_wrappers("x = _t('a')\n") == "x = _t('a')\n"  # no wrapper defined here


def test_update_keeps_finished_plural_translations(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.py").write_text('from PySide6.QtCore import QCoreApplication\n'
                              'def f(n):\n'
                              '    return QCoreApplication.translate("Ctx", "%n item(s) waiting", None, n)\n',
                              encoding="utf-8")
    cat = i18n.Catalogue("probe", (src,), tmp_path / "out")
    cat.out_dir.mkdir()
    forms = {"vi": ["%n mục đang chờ"], "en": ["%n item waiting", "%n items waiting"]}
    for lang in i18n.LANGUAGES:
        cat.ts(lang).write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            f'<TS version="2.1" language="{lang}"><context><name>Ctx</name><message numerus="yes">'
            '<source>%n item(s) waiting</source><translation>'
            + "".join(f"<numerusform>{f}</numerusform>" for f in forms[lang])
            + '</translation></message></context></TS>\n', encoding="utf-8")
    i18n.update(cat)
    for lang in i18n.LANGUAGES:
        msg = i18n.ts_messages(cat.ts(lang))[("Ctx", "%n item(s) waiting")]
        tr = msg.find("translation")
        assert msg.get("numerus") == "yes" and tr.get("type") is None, lang
        assert [f.text for f in tr.findall("numerusform")] == forms[lang]
    assert i18n.check(cat) == [p for p in i18n.check(cat) if ".qm" in p]  # nothing but the unbuilt .qm
