"""Screenshots of the plugin's dialogs, to look at the UI without running the program.

    python -m plugins.satisfaction.screenshots OUTDIR [--lang vi|en]

writes ``form.png`` (a partly filled form with a problem shown), ``summary.png`` (the
read-only summary after "Ghi"), ``warning.png`` (the unrated warning), ``reflection.png``
and ``answers.png``. Runs offscreen; uses the demo world of ``domain.demo``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from domain.codes import Status
from domain.demo import DEMO_END, build_catalog, handling_for, iter_declarations


def demo_declaration(*, status: str = Status.CLEARED.value, channel: int | None = 3) -> tuple[dict[str, Any], list[dict]]:
    """A demo declaration (dict as the host's store gives it) and its handling records."""
    cat = build_catalog()
    d = next(d for d in iter_declarations() if d.status == status and (channel is None or d.channel == channel))
    handling = [{"kind": t.kind, "code": t.code, "name": t.name}
                for t in handling_for(d.number, d.office_code, d.channel, d.status, cat)]
    decl = {"number": d.number, "status": d.status, "channel": d.channel, "type_code": d.type_code,
            "office_code": d.office_code, "registered_at": d.registered_at.isoformat(),
            "cleared_at": d.cleared_at.isoformat() if d.cleared_at else None, "partner": d.partner}
    return decl, handling


def demo_catalog() -> dict[str, Any]:
    cat = build_catalog()
    return {
        "version": "demo",
        "branches": [{"code": t.code, "name": t.name} for t in cat.branches],
        "teams": [{"code": t.code, "name": t.name, "branch": t.parent} for t in cat.teams],
        "stages": [{"code": t.code, "name": t.name} for t in cat.stages],
        "officials": [{"code": t.code, "name": t.name, "team": t.parent} for t in cat.officials],
    }


def _grab(widget, path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))


def _sample_form(lang: str):
    """The demo declaration and an assessment of it: the first official 2★ (with a comment
    but no reason yet), the others 4–5★ with two reasons each."""
    from .core import AssessmentForm

    decl, handling = demo_declaration()
    form = AssessmentForm.for_declaration(decl, handling, demo_catalog())
    for t, stars in zip(form.targets, (2, 4, 5, 5, 4, 5, 5, 4, 5)):
        t.set_stars(stars)
    form.targets[0].comment = "Chờ kiểm tra thực tế gần 2 ngày" if lang == "vi" else "Waited almost 2 days for inspection"
    for t in form.targets[1:]:
        t.set_reason("S02", True)
        t.set_reason("S01", True)
    return decl, form


def _assessment_pages(outdir: Path, lang: str, decl: dict[str, Any], form) -> list[Path]:
    """``form.png`` (what is still missing listed after "Ghi") and ``summary.png`` (the form
    completed: the summary of what will be sent)."""
    from .widgets.form import AssessmentDialog

    dialog = AssessmentDialog(form, decl, lang=lang)
    dialog.resize(1100, 820)
    dialog.record()  # shows what is still missing (a reason for the 2-star official, the detail and contact)
    _grab(dialog, outdir / "form.png")

    form.targets[0].set_reason("D02", True)
    form.detail = ("Hồ sơ đầy đủ nhưng phải chờ kiểm tra thực tế gần hai ngày, không được thông báo lý do."
                   if lang == "vi" else "Complete file but almost two days of waiting for inspection, no reason given.")
    form.contact_name = "Phạm Thị Lan"
    form.contact_phone = "+84 912 345 678"
    dialog.close()
    dialog = AssessmentDialog(form, decl, lang=lang)
    dialog.resize(1100, 620)
    if not dialog.record():
        raise SystemExit("the sample form did not validate: " + "; ".join(dialog.form_page.problem_texts()))
    _grab(dialog, outdir / "summary.png")
    dialog.close()
    return [outdir / "form.png", outdir / "summary.png"]


def _reflection_form(lang: str):
    from .core import ReflectionForm

    rdecl, rhandling = demo_declaration(status=Status.CHANNELED.value, channel=None)
    rform = ReflectionForm.for_declaration(rdecl, rhandling, demo_catalog())
    rform.name = "Phạm Thị Lan"
    rform.phone = "0912 345 678"
    rform.content = ("Đã nộp đủ hồ sơ từ sáng nhưng chưa được tiếp nhận, xin được hướng dẫn."
                     if lang == "vi" else "The full file was filed this morning but not yet accepted; please advise.")
    rform.selected = {rform.targets[0].key}
    return rdecl, rform


def _answers_rows(lang: str, decl: dict[str, Any], form, rdecl: dict[str, Any], rform) -> list[dict[str, Any]]:
    """The results window's rows: the assessment answered, the reflection queued."""
    when = DEMO_END.isoformat() + "+07:00"
    return [
        {"id": "1", "kind": "assessment", "number": decl["number"], "created_at": when, "state": "answered",
         "server_ref": "A-000123", "server_state": "answered", "verified": True, "outcome": "Đã xác minh",
         "answer": "Chi cục đã kiểm tra và nhắc nhở công chức; xin cảm ơn doanh nghiệp." if lang == "vi"
         else "The branch verified it and reminded the official; thank you.",
         "answered_at": when, "answer_seen": False, "payload": form.to_payload()},
        {"id": "2", "kind": "reflection", "number": rdecl["number"], "created_at": when, "state": "queued",
         "server_ref": None, "server_state": None, "answer": None, "answer_seen": False, "payload": rform.to_payload()},
    ]


def render(outdir: Path, lang: str = "vi") -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from .translations import install_translator
    from .widgets.answers import AnswersWindow
    from .widgets.reflection import ReflectionDialog
    from .widgets.warning import UnratedWarning

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translator(app, lang)
    outdir.mkdir(parents=True, exist_ok=True)

    decl, form = _sample_form(lang)
    written = _assessment_pages(outdir, lang, decl, form)
    rdecl, rform = _reflection_form(lang)

    def answers() -> AnswersWindow:
        window = AnswersWindow(lang=lang)
        window.set_rows(_answers_rows(lang, decl, form, rdecl, rform), {t.key: t.name for t in form.targets})
        return window

    for name, make in (("warning.png", lambda: UnratedWarning(12, 30, closed_number=decl["number"])),
                       ("reflection.png", lambda: ReflectionDialog(rform, rdecl, lang=lang)),
                       ("answers.png", answers)):
        widget = make()  # each made just before its picture: only one window open at a time
        _grab(widget, outdir / name)
        written.append(outdir / name)
        widget.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in render(args.outdir, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
