"""The Qt layer: the UI thread never waits for the network; the integration wires the
outbox, status bar, actions and window into a host window."""
from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QStatusBar

from desktop.core.cache import SyncCache
from desktop.core.outbox import Outbox
from desktop.sync.service import ServiceConfig, SyncService
from desktop.core.session import Session

from domain.errors import refusal_text

from .support import PASSWORD, USERNAME, reflection_payloads


class HangingServer:
    """Accepts connections, reads the request, never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.conns = []
        self.requests = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)
            self.requests += 1

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


class Passwords:
    def get_password(self, u):
        return PASSWORD if u == USERNAME else None

    def set_password(self, u, p):
        return True

    def delete_password(self, u):
        pass


def measure_stalls(qtbot, seconds: float, during=None) -> float:
    """Longest gap between 5 ms timer ticks on the UI thread, in milliseconds."""
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    worst = [0]

    def tick():
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now
        if during:
            during()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.wait(int(seconds * 1000))
    timer.stop()
    return float(worst[0])


def test_ui_stays_responsive_while_the_server_hangs(qtbot, tmp_path):
    hang = HangingServer()
    outbox = Outbox(tmp_path / "outbox.sqlite")
    session = Session(hang.url, username=USERNAME, passwords=Passwords())
    session._token = "token-of-a-signed-in-user"
    config = ServiceConfig(server_url=hang.url, data_dir=tmp_path, timeout=(1.0, 3.0), sync_interval_ms=200)
    service = SyncService(config, outbox, session, SyncCache(tmp_path / "cache.sqlite"))
    statuses = []
    service.status_changed.connect(statuses.append)
    payloads = reflection_payloads(200)
    ticks = [0]

    def submit_and_poke():
        ticks[0] += 1
        if ticks[0] % 4 == 0 and payloads:
            outbox.submit("reflection", payloads.pop())
            service.request_sync(force=True)

    try:
        service.start()
        worst = measure_stalls(qtbot, 2.5, during=submit_and_poke)
        qtbot.waitUntil(lambda: any(s["state"] == "offline" for s in statuses), timeout=10_000)
    finally:
        service.shutdown()
        hang.close()
    assert hang.requests >= 1  # the worker really was stuck on the hanging server
    offline = [s for s in statuses if s["state"] == "offline"][-1]
    assert "time" in offline["last_error"].lower()
    assert outbox.waiting() > 50  # everything submitted meanwhile is safely queued
    # a UI thread waiting for the network would stall for the whole 2.5 s window (the read
    # timeout is 3 s); the bound leaves room for a loaded machine's scheduling
    assert worst < 750, f"the UI thread stalled for {worst} ms"
    outbox.close()


def make_ctx(tmp_path, url, qtbot, *, demo_credentials=None):
    from desktop.hostapi import HostEvents
    from desktop.settings import Settings

    win = QMainWindow()
    qtbot.addWidget(win)
    bar = QStatusBar(win)
    win.setStatusBar(bar)
    system = QMenu(win)
    sign_in, sign_out = QAction("Sign in", win), QAction("Sign out", win)
    system.addAction(sign_in)
    system.addAction(sign_out)
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    paths = SimpleNamespace(data_dir=data, cache_dir=tmp_path / "cache", demo=False)
    return SimpleNamespace(
        app=None, main_window=win, status_bar=bar, menus={"system": system},
        actions={"sign_in": sign_in, "sign_out": sign_out}, settings=Settings(tmp_path / "settings.ini"),
        paths=paths, store_path=None, declaration_store=None, server_url=url, demo=False,
        demo_credentials=demo_credentials, demo_server=None, events=HostEvents(), shutdown_hooks=[],
        outbox=None, session=None, cache=None)


def test_integration_signs_in_sends_and_shows(qtbot, tmp_path, server, monkeypatch):
    from desktop.sync import integration
    from desktop.sync.widgets import SignInDialog

    asked = []

    def fake_ask(cls, parent, **kwargs):
        asked.append(kwargs)
        return (USERNAME, PASSWORD, True)

    monkeypatch.setattr(SignInDialog, "ask", classmethod(fake_ask))
    ctx = make_ctx(tmp_path, server.url, qtbot)
    signed = []
    changed = []
    ctx.events.signed_in_changed.connect(signed.append)
    ctx.events.submissions_changed.connect(changed.extend)
    integ = integration.install(ctx)
    try:
        assert ctx.outbox is not None and ctx.session is integ.session and ctx.cache is integ.cache
        # no password stored: the user is asked, then the sync resumes
        qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
        qtbot.waitUntil(lambda: True in signed, timeout=10_000)
        ids = [ctx.outbox.submit("reflection", p, source="satisfaction") for p in reflection_payloads(5)]
        qtbot.waitUntil(lambda: all(s["state"] == "sent" for s in ctx.outbox.states(ids).values()),
                        timeout=15_000)
        qtbot.waitUntil(lambda: set(ids) <= set(changed), timeout=5000)
        assert all(ctx.outbox.states(ids)[i]["server_ref"] for i in ids)
        assert set(ids) <= set(server.stored())
        qtbot.waitUntil(lambda: integ.status_widget.status.get("state") == "online", timeout=5000)
        assert integ.status_widget.status["waiting"] == 0
        assert ctx.actions["sign_out"].isEnabled()
        # the password was remembered in the credential store (keyring), not in a file
        from desktop import credentials
        assert credentials.get_password(USERNAME) == PASSWORD
        assert PASSWORD not in (tmp_path / "settings.ini").read_text("utf-8") if (tmp_path / "settings.ini").exists() else True
        integ.show_window()
        win = integ.window
        win.filter.setCurrentIndex([k for k, _ in win.FILTERS].index("sent"))
        shown = {r["id"] for r in win.model.rows}
        assert set(ids) <= shown
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_damaged_outbox_is_reported_with_its_new_place(qtbot, tmp_path):
    from desktop.sync import integration

    ctx = make_ctx(tmp_path, None, qtbot)
    (ctx.paths.data_dir / "outbox.sqlite").write_bytes(b"garbage" * 1000)
    integ = integration.install(ctx)
    try:
        assert integ.outbox.recovered_from is not None and integ.outbox.recovered_from.exists()
        qtbot.waitUntil(lambda: str(integ.outbox.recovered_from) in ctx.status_bar.currentMessage(), timeout=3000)
        # the fresh outbox works
        item = ctx.outbox.submit("reflection", reflection_payloads(1)[0])
        assert ctx.outbox.states([item])[item]["state"] == "pending"
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_status_widget_shows_state_count_and_last_error(qtbot):
    from desktop.sync.widgets import SyncStatusWidget

    w = SyncStatusWidget()
    qtbot.addWidget(w)
    w.update_status({"state": "offline", "waiting": 12, "failed": 2, "error_kind": "timeout",
                     "last_error": "the server did not answer in time (ReadTimeout)",
                     "next_attempt_at": time.time() + 30})
    assert "Offline" in w.state_label.text()
    assert "12" in w.count_label.text() and "2" in w.count_label.text()
    assert "did not answer in time" in w.error_label.text()
    assert "ReadTimeout" in w.error_label.toolTip()
    assert "Next attempt" in w.toolTip()
    w.update_status({"state": "syncing", "waiting": 3, "failed": 0, "last_error": None})
    assert "Syncing" in w.state_label.text() and w.error_label.text() == ""
    w.update_status({"state": "online", "waiting": 0, "failed": 0, "last_error": None})
    assert "Online" in w.state_label.text() and "0" in w.count_label.text()
    w.update_status({"state": "auth_required", "waiting": 1, "failed": 0, "last_error": None})
    assert "Sign-in needed" in w.state_label.text()
    with qtbot.waitSignal(w.clicked):
        w.button.click()


def test_outbox_window_lists_refusals_with_the_reason_and_sends_again(qtbot, tmp_path):
    from desktop.sync.widgets import OutboxWindow

    box = Outbox(tmp_path / "outbox.sqlite")
    ok, bad, waiting = (box.submit("reflection", p) for p in reflection_payloads(3))
    box.claim("me")
    box.apply_results("me", [
        {"id": ok, "status": "accepted", "http_status": 201, "server_ref": "R-000001"},
        {"id": bad, "status": "rejected", "http_status": 422, "code": "validation_error",
         "message": "declaration_number: this declaration cannot be assessed yet"},
        {"id": waiting, "status": "rejected", "http_status": 503, "message": "later"},
    ])
    win = OutboxWindow(box)
    qtbot.addWidget(win)
    win.show()
    keys = [k for k, _ in win.FILTERS]
    win.filter.setCurrentIndex(keys.index("failed"))
    assert [r["id"] for r in win.model.rows] == [bad]
    answer = win.model.index(0, win.model.column("answer"))
    assert win.model.data(answer) in (refusal_text("validation_error", "en"), refusal_text("validation_error", "vi"))
    detail = win.model.data(answer, Qt.ToolTipRole)  # the server's own words stay available
    assert "422" in detail and "cannot be assessed yet" in detail
    win.filter.setCurrentIndex(keys.index("waiting"))
    assert [r["id"] for r in win.model.rows] == [waiting]
    win.filter.setCurrentIndex(keys.index("sent"))
    assert win.model.data(win.model.index(0, win.model.column("server_ref"))) == "R-000001"
    win.filter.setCurrentIndex(keys.index("failed"))
    win.view.selectRow(0)
    with qtbot.waitSignal(win.sync_requested):
        win.retry_button.click()
    assert box.get(bad)["state"] == "pending"  # same id, same content, queued again
    assert win.model.rows == []
    box.close()


def test_wrong_password_asks_again_with_the_reason(qtbot, tmp_path, server, monkeypatch):
    from desktop.sync import integration
    from desktop.sync.widgets import SignInDialog

    answers = [(USERNAME, "wrong-password", False), (USERNAME, PASSWORD, False)]
    asked = []

    def fake_ask(cls, parent, **kwargs):
        asked.append(kwargs)
        return answers.pop(0) if answers else None

    monkeypatch.setattr(SignInDialog, "ask", classmethod(fake_ask))
    ctx = make_ctx(tmp_path, server.url, qtbot)
    signed = []
    ctx.events.signed_in_changed.connect(signed.append)
    integ = integration.install(ctx)
    try:
        qtbot.waitUntil(lambda: True in signed, timeout=15_000)
        assert len(asked) == 2
        assert "wrong" in asked[1]["message"]  # the second time the user is told why
        # not remembered: nothing was written to the credential store
        from desktop import credentials
        assert credentials.get_password(USERNAME) is None
        assert integ.session.signed_in
    finally:
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_items_sent_by_another_window_are_announced_here(qtbot, tmp_path, server):
    """Two copies of the program on one data dir: the one without the sender lock still
    tells its plugins when their items were sent by the other."""
    from desktop.core.api import ApiClient
    from desktop.core.engine import SyncEngine
    from desktop.core.lock import sender_lock_for

    outbox = Outbox(tmp_path / "outbox.sqlite")
    session = Session(server.url, username=USERNAME, passwords=Passwords())
    config = ServiceConfig(server_url=server.url, data_dir=tmp_path, sync_interval_ms=100)
    service = SyncService(config, outbox, session, SyncCache(tmp_path / "cache.sqlite"))
    changed = []
    service.changed.connect(changed.extend)
    other_lock = sender_lock_for(outbox.path)
    assert other_lock.acquire()  # "the other window" is sending
    try:
        service.start()
        ids = [outbox.submit("reflection", p) for p in reflection_payloads(3)]
        service.request_sync(force=True)
        qtbot.waitUntil(lambda: service.status.get("other_sender"), timeout=10_000)
        # the other window delivers them with its own engine
        other = Outbox(tmp_path / "outbox.sqlite")
        other_session = Session(server.url, username=USERNAME, passwords=Passwords())
        api = ApiClient(server.url, token=other_session.token)
        assert other_session.reauthenticate(api=api)

        class Held:  # the other window's engine runs under the lock this test holds
            def hold(self):
                import contextlib
                return contextlib.nullcontext(True)

        engine = SyncEngine(other, api, lock=Held(), session=other_session)
        assert engine.sync_once().sent == 3
        engine.close()
        qtbot.waitUntil(lambda: set(ids) <= set(changed), timeout=10_000)
    finally:
        other_lock.release()
        service.shutdown()
    assert all(s["state"] == "sent" for s in outbox.states(ids).values())
    outbox.close()


def test_texts_follow_a_language_switch(qtbot, tmp_path):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop.i18n import qm_path
    from desktop.sync import integration

    ctx = make_ctx(tmp_path, None, qtbot)
    integ = integration.install(ctx)
    translator = QTranslator()
    try:
        assert integ.sync_action.text() == "Sync now"
        integ.show_window()
        assert translator.load(str(qm_path("vi")))
        QCoreApplication.installTranslator(translator)
        ctx.events.language_changed.emit("vi")
        assert integ.sync_action.text() == "Đồng bộ ngay"
        assert integ.window is not None and integ.window.isVisible()
        assert integ.window.windowTitle() == "Hàng đợi gửi"
        assert "Chờ gửi" in integ.status_widget.count_label.text()
    finally:
        QCoreApplication.removeTranslator(translator)
        for hook in reversed(ctx.shutdown_hooks):
            hook()


def test_delivery_resumes_by_itself_when_the_connection_comes_back(qtbot, tmp_path, proxy):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    session = Session(proxy.url, username=USERNAME, passwords=Passwords())
    config = ServiceConfig(server_url=proxy.url, data_dir=tmp_path, timeout=(1.0, 5.0))
    service = SyncService(config, outbox, session, SyncCache(tmp_path / "cache.sqlite"))
    statuses = []
    service.status_changed.connect(statuses.append)
    proxy.refuse_connections()
    try:
        service.start()
        ids = [outbox.submit("reflection", p) for p in reflection_payloads(4)]
        service.request_sync()
        qtbot.waitUntil(lambda: bool(statuses) and statuses[-1]["state"] == "offline", timeout=10_000)
        assert statuses[-1]["next_attempt_at"] is not None
        proxy.accept_connections()  # the network is back; nobody presses anything
        qtbot.waitUntil(lambda: all(s["state"] == "sent" for s in outbox.states(ids).values()), timeout=20_000)
        # the status bar's last word arrives from the worker right after the items are marked sent
        qtbot.waitUntil(lambda: statuses[-1]["state"] == "online", timeout=10_000)
    finally:
        service.shutdown()
    assert statuses[-1]["state"] == "online" and statuses[-1]["waiting"] == 0
    outbox.close()
