"""Translations of the plugin (Vietnamese default, English) and the screenshots command."""
from __future__ import annotations

import html
import re

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QGroupBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QTableWidget, QTextBrowser, QWidget,
)

from plugins.satisfaction import translations
from plugins.satisfaction.translations import messages, ts_path


def test_catalogues_cover_every_string_and_are_built():
    """lupdate over the plugin's code into a temp file, compared with the committed .ts;
    no unfinished Vietnamese message; the .qm are what lrelease makes of the .ts."""
    assert translations.problems() == []


def test_vietnamese_has_diacritics_and_mnemonics():
    vi = {k: m.find("translation") for k, m in messages(ts_path("vi")).items()}
    text = lambda ctx, src: vi[(ctx, src)].text  # noqa: E731
    assert text("AssessmentDialog", "&Record") == "&Ghi"
    assert text("AssessmentDialog", "&Send") == "&Gửi"
    assert text("AssessmentDialog", "&Edit") == "&Sửa"
    assert text("UnratedWarning", "&View") == "&Xem"
    assert text("UnratedWarning", "&Later") == "Để &sau"
    assert text("SatisfactionPlugin", "Service-quality assessment") == "Đánh giá sự hài lòng"
    import unicodedata
    for (ctx, src), tr in vi.items():
        forms = [f.text or "" for f in tr.findall("numerusform")] or [tr.text or ""]
        for f in forms:
            assert unicodedata.is_normalized("NFC", f), (ctx, src)
            assert f.count("%1") == src.count("%1") and ("%n" in f) == ("%n" in src), (ctx, src, f)


def _english_sources() -> set[str]:
    """Source strings whose Vietnamese differs (so seeing one in the Vietnamese UI = untranslated)."""
    out = set()
    for (ctx, src), msg in messages(ts_path("vi")).items():
        tr = msg.find("translation")
        if tr.findall("numerusform"):
            continue
        if (tr.text or "") != src and len(src) >= 4:
            out.add(src.replace("&", ""))
    return out


def _visible_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root) and w is not root:
            continue
        if isinstance(w, QLabel):
            texts.append(re.sub(r"<[^>]+>", " ", html.unescape(w.text())))
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, (QLineEdit, QPlainTextEdit)):
            texts.append(w.placeholderText())
        elif isinstance(w, QListWidget):
            texts += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QTextBrowser):
            texts.append(w.toPlainText())
        elif isinstance(w, QTableWidget):
            texts += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount())]
        texts += [w.toolTip(), w.accessibleName()]
    return [t.replace("&", "") for t in texts if t]


@pytest.fixture
def dialogs_in(qapp):
    installed = []

    def make(lang: str) -> list[QWidget]:
        from plugins.satisfaction.screenshots import demo_catalog, demo_declaration
        from plugins.satisfaction.core import AssessmentForm, ReflectionForm
        from plugins.satisfaction.widgets.answers import AnswersWindow
        from plugins.satisfaction.widgets.form import AssessmentDialog
        from plugins.satisfaction.widgets.notice import Notice
        from plugins.satisfaction.widgets.reflection import ReflectionDialog
        from plugins.satisfaction.widgets.warning import UnratedWarning

        installed.append(translations.install_translator(qapp, lang))
        decl, handling = demo_declaration()
        form = AssessmentForm.for_declaration(decl, handling, demo_catalog())
        form_dialog = AssessmentDialog(form, decl, lang=lang)
        form_dialog.record()  # problems shown
        for t in form.targets:
            t.set_stars(2)
            t.set_reason("D01", True)
        form.detail, form.contact_name, form.contact_phone = "Chậm", "Lan", "0912345678"
        summary = AssessmentDialog(form, decl, lang=lang)
        assert summary.record()
        sent = AssessmentDialog(form, decl, lang=lang, sent={"state": "rejected", "payload": form.to_payload(),
                                                              "error_message": "x"})
        rform = ReflectionForm.for_declaration(decl, handling)
        reflection = ReflectionDialog(rform, decl, lang=lang)
        reflection.send()  # problems shown
        answers = AnswersWindow(lang=lang)
        answers.set_rows([])
        return [form_dialog, summary, sent, UnratedWarning(3, 30, closed_number=decl["number"]), reflection, answers,
                Notice("x", "y", action="z")]

    yield make
    for t in installed:
        if t is not None:
            qapp.removeTranslator(t)


def test_no_untranslated_visible_string_in_vietnamese(qtbot, dialogs_in):
    english = _english_sources()
    assert len(english) > 100
    for dialog in dialogs_in("vi"):
        qtbot.addWidget(dialog)
        dialog.show()
        for text in _visible_texts(dialog):
            for src in english:
                assert src not in text, f"{type(dialog).__name__}: untranslated {src!r} in {text!r}"


def test_english_is_english(qtbot, dialogs_in):
    dialogs = dialogs_in("en")
    for d in dialogs:
        qtbot.addWidget(d)
    form = dialogs[0]
    assert form.form_page.record_button.text() == "&Record"
    assert dialogs[3].view_button.text() == "&View" and dialogs[3].later_button.text() == "&Later"
    assert "3 declarations have not been rated yet." in dialogs[3].message_text()
    # domain labels come in English too
    assert form.form_page.rows[0].kind_label.text() == "Official"


def test_screenshots_command_writes_every_dialog(tmp_path, qapp):
    from plugins.satisfaction.screenshots import render

    for lang in ("vi", "en"):
        written = render(tmp_path / lang, lang)
        assert sorted(p.name for p in written) == ["answers.png", "form.png", "reflection.png", "summary.png",
                                                   "warning.png"]
        for p in written:
            img = QImage(str(p))
            assert not img.isNull() and img.width() > 300 and img.height() > 100, p
            # not a blank image: many distinct colours (text, stars, frames)
            colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
            assert len(colours) > 8, p
    QApplication.processEvents()


def test_every_translate_call_in_the_code_is_in_the_catalogue():
    """lupdate misses some calls (e.g. inside f-strings); the AST does not."""
    import ast

    wanted: set[tuple[str, str]] = set()
    dynamic: list[str] = []
    for path in translations.sources():
        if path.name == "translations.py":  # the tooling itself (QTranslator.translate over the catalogue)
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "translate" or len(node.args) < 2:
                continue
            ctx, src = node.args[0], node.args[1]
            if isinstance(ctx, ast.Constant) and isinstance(src, ast.Constant):
                wanted.add((ctx.value, src.value))
            elif path.name != "common.py" or not isinstance(ctx, ast.Name):  # the helper's own body
                dynamic.append(f"{path.name}:{node.lineno}")
    assert not dynamic, f"translate() with a non-literal context or text: {dynamic}"
    have = set(messages(ts_path("vi")))
    assert wanted and wanted <= have, sorted(wanted - have)


def test_a_stale_qm_is_detected(tmp_path):
    ts = ts_path("vi")
    changed = tmp_path / "changed_vi.ts"
    changed.write_text(ts.read_text(encoding="utf-8").replace(
        "<translation>&amp;Ghi</translation>", "<translation>&amp;Ghi lại</translation>"), encoding="utf-8")
    translations.lrelease(changed, tmp_path / "changed_vi.qm")
    assert translations.qm_differences(ts, tmp_path / "changed_vi.qm") == ["[AssessmentDialog] '&Record'"]
    assert translations.qm_differences(ts, translations.qm_path("vi")) == []
