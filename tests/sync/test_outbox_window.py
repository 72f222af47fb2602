"""The "Hàng đợi gửi" window and the start-up messages: declaration numbers, local date and
time, errors in the user's language, damaged and pruned items, an empty outbox file, a full disk."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator

from desktop.core.outbox import DiskFull, Outbox
from desktop.sync.widgets import OutboxWindow, SyncStatusWidget
from domain.errors import refusal_text

from .support import reflection_payloads
from .test_ui import make_ctx


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _window(qtbot, box: Outbox, show: str = "all") -> OutboxWindow:
    win = OutboxWindow(box)
    qtbot.addWidget(win)
    win.show()
    keys = [k for k, _ in win.FILTERS]
    win.filter.setCurrentIndex(keys.index(show))
    win.reload()
    return win


def _cell(win: OutboxWindow, row: int, column: str, role=Qt.DisplayRole):
    return win.model.data(win.model.index(row, win.model.column(column)), role)


@pytest.fixture
def vietnamese():
    from desktop.i18n import qm_path

    translator = QTranslator()
    assert translator.load(str(qm_path("vi")))
    QCoreApplication.installTranslator(translator)
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))  # as desktop.i18n.install
    yield
    QLocale.setDefault(before)
    QCoreApplication.removeTranslator(translator)


def test_declaration_number_and_full_local_times(qtbot, tmp_path):
    clock = Clock()
    box = Outbox(tmp_path / "outbox.sqlite", clock=clock)
    payload = reflection_payloads(1)[0]
    item = box.submit("reflection", payload)
    box.conn.execute("UPDATE items SET created_at='2026-11-23T07:05:09+00:00'")
    box.claim("S")
    box.apply_results("S", [{"id": item, "status": "accepted", "http_status": 201, "server_ref": "R-7"}])
    win = _window(qtbot, box)
    try:
        headers = [win.model.headerData(i, Qt.Horizontal) for i in range(win.model.columnCount())]
        assert "Declaration" in headers
        assert _cell(win, 0, "number") == payload["declaration_number"]
        local = datetime(2026, 11, 23, 7, 5, 9, tzinfo=timezone.utc).astimezone()
        assert _cell(win, 0, "created") == local.strftime("%d/%m/%Y %H:%M:%S")
        assert _cell(win, 0, "sent") == datetime.fromtimestamp(clock.t).strftime("%d/%m/%Y %H:%M:%S")
    finally:
        box.close()


def test_errors_are_sentences_and_the_exception_is_only_in_the_tooltip(qtbot, tmp_path):
    box = Outbox(tmp_path / "outbox.sqlite")
    item = box.submit("reflection", reflection_payloads(1)[0])
    box.claim("S")
    box.release("S", [item], "no connection to the server (ConnectionError)", "offline")
    win = _window(qtbot, box, "waiting")
    try:
        shown = _cell(win, 0, "answer")
        assert shown == "Not sent yet: no connection to the server"
        assert "ConnectionError" in _cell(win, 0, "answer", Qt.ToolTipRole)
    finally:
        box.close()


def test_a_vietnamese_user_reads_vietnamese_only(qtbot, tmp_path, vietnamese):
    box = Outbox(tmp_path / "outbox.sqlite")
    waiting, refused = (box.submit("reflection", p) for p in reflection_payloads(2))
    box.claim("S")
    box.apply_results("S", [{"id": refused, "status": "rejected", "http_status": 404, "code": "declaration_unknown",
                             "message": "the declaration 101272581640 is not known to customs"}])
    box.release("S", [waiting], "the server did not answer in time (ReadTimeout)", "timeout")
    win = _window(qtbot, box)
    try:
        texts = {r["id"]: _cell(win, i, "answer") for i, r in enumerate(win.model.rows)}
        assert texts[waiting].startswith("Chưa gửi được: ") and "ReadTimeout" not in texts[waiting]
        assert "server" not in texts[waiting]
        assert texts[refused] == refusal_text("declaration_unknown", "vi")
        assert "ReadTimeout" in _cell(win, [r["id"] for r in win.model.rows].index(waiting), "answer",
                                      Qt.ToolTipRole)
        assert "Tờ khai" in [win.model.headerData(i, Qt.Horizontal) for i in range(win.model.columnCount())]
    finally:
        box.close()


def test_damaged_items_are_listed_with_what_can_be_recovered(qtbot, tmp_path):
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path)
    payloads = reflection_payloads(5)
    ids = [box.submit("reflection", p) for p in payloads]
    box.close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE items SET payload=CAST(replace(payload, 'Phản', x'50e1ba') AS TEXT) WHERE id=?", (ids[2],))
    raw.commit()
    raw.close()
    box = Outbox(path)
    win = _window(qtbot, box, "damaged")
    try:
        assert [r["id"] for r in win.model.rows] == [ids[2]]
        assert _cell(win, 0, "state") == "Damaged"
        assert _cell(win, 0, "number") == payloads[2]["declaration_number"]
        assert _cell(win, 0, "kind") == "Reflection" and _cell(win, 0, "created")
        assert "will not be sent" in _cell(win, 0, "answer")
        assert "Damaged: 1" in win.summary.text()
        win.filter.setCurrentIndex([k for k, _ in win.FILTERS].index("all"))
        assert len(win.model.rows) == 5
        win.view.selectAll()
        win.retry_selected()  # "Send again" never touches a damaged item
        assert box.damaged_count() == 1
    finally:
        box.close()


def test_a_pruned_item_is_shown_with_its_history(qtbot, tmp_path):
    clock = Clock()
    box = Outbox(tmp_path / "outbox.sqlite", clock=clock, retention_days=30)
    payload = reflection_payloads(1)[0]
    item = box.submit("reflection", payload)
    box.claim("S")
    box.apply_results("S", [{"id": item, "status": "accepted", "http_status": 201, "server_ref": "R-9"}])
    box.update_server_status([{"id": item, "state": "answered", "answer": "Đã tiếp thu.",
                               "answered_at": "2026-12-01T02:00:00Z"}])
    clock.t += 40 * 86400
    assert box.prune() == 1
    win = _window(qtbot, box, "sent")
    try:
        assert _cell(win, 0, "number") == payload["declaration_number"]
        assert _cell(win, 0, "server_ref") == "R-9"
        assert "Đã tiếp thu." in _cell(win, 0, "answer")
        assert "Content removed" in _cell(win, 0, "answer", Qt.ToolTipRole)
    finally:
        box.close()


def test_an_empty_outbox_file_is_reported_with_its_new_place(qtbot, tmp_path):
    from desktop.sync import integration

    ctx = make_ctx(tmp_path, None, qtbot)
    (Path(ctx.paths.data_dir) / "outbox.sqlite").write_bytes(b"")
    integ = integration.install(ctx)
    try:
        moved = integ.outbox.recovered_from
        assert moved is not None and moved.exists()
        qtbot.waitUntil(lambda: str(moved) in ctx.status_bar.currentMessage(), timeout=3000)
        assert "empty" in ctx.status_bar.currentMessage()
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_damaged_items_found_at_start_are_reported(qtbot, tmp_path):
    from desktop.sync import integration

    ctx = make_ctx(tmp_path, None, qtbot)
    path = Path(ctx.paths.data_dir) / "outbox.sqlite"
    box = Outbox(path)
    box.submit("reflection", reflection_payloads(1)[0])
    box.close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE items SET payload='{broken'")
    raw.commit()
    raw.close()
    integ = integration.install(ctx)
    try:
        qtbot.waitUntil(lambda: "damaged" in ctx.status_bar.currentMessage(), timeout=3000)
        assert integ.outbox.damaged_count() == 1
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_retention_comes_from_the_settings(qtbot, tmp_path):
    from desktop.sync import integration

    ctx = make_ctx(tmp_path, None, qtbot)
    ctx.settings.set_outbox_retention_days(7)
    integ = integration.install(ctx)
    try:
        assert integ.outbox.retention_days == 7
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_a_full_disk_during_sync_is_told_in_words(qtbot, tmp_path):
    from desktop.sync.service import ServiceConfig, _Worker
    from desktop.core.engine import SyncStatus

    class FullEngine:
        paused = False
        status = SyncStatus(waiting=3)

        def sync_once(self, force=False):
            raise DiskFull()

    worker = _Worker(ServiceConfig(server_url="http://127.0.0.1:9", data_dir=tmp_path), None, None, None)
    worker.engine = FullEngine()
    seen = []
    worker.status.connect(seen.append)
    worker.sync(True)
    assert seen and seen[-1]["error_kind"] == "disk_full" and seen[-1]["waiting"] == 3
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.update_status({**seen[-1], "state": "offline"})
    assert "disk is full" in widget.error_label.text()
