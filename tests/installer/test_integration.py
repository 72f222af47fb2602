"""The update service in the program: worker threads, the question, install success/failure."""
from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMainWindow, QMenu, QStatusBar

from desktop.updates import integration
from desktop.updates.client import UpdateClient
from desktop.updates.integration import UpdateDialog, UpdateService


@pytest.fixture
def ctx(qtbot, tmp_path, qapp):
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = QStatusBar(window)
    window.setStatusBar(bar)
    help_menu = QMenu("Help", window)
    paths = SimpleNamespace(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", config_dir=tmp_path / "cfg")
    return SimpleNamespace(app=qapp, main_window=window, status_bar=bar, menus={"help": help_menu},
                           shutdown_hooks=[], paths=paths, updates=None)


def make_service(ctx, repo, ring, *, runner, threads: list):
    def factory():
        client = UpdateClient(repo.url, ring, ctx.paths.cache_dir / "updates", trusted_root=repo.trusted_root,
                              current_version="0.1.0")
        original = client.check

        def check():
            threads.append(threading.current_thread())
            return original()

        client.check = check
        return client

    return UpdateService(ctx, client_factory=factory, runner=runner)


def test_install_adds_the_menu_action_and_the_shutdown_hook(ctx, monkeypatch, tmp_path):
    monkeypatch.setenv("DECLARANT_DESK_POLICY_FILE", str(tmp_path / "none.toml"))
    service = integration.install(ctx, start=False)
    assert ctx.updates is service
    assert any(a.objectName() == "action_check_updates" for a in ctx.menus["help"].actions())
    assert service.shutdown in ctx.shutdown_hooks
    # no repository configured: a manual check explains why instead of failing
    shown = []
    monkeypatch.setattr(UpdateDialog, "inform", classmethod(lambda cls, parent, title, text, error=False:
                                                            shown.append(text)))
    assert service.check(interactive=True) is False
    assert shown and "No update repository" in shown[0]
    service.shutdown()


def test_check_runs_in_a_worker_and_shows_a_non_modal_notice(ctx, qtbot, update_repo, fake_installer, monkeypatch):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    threads = []
    asked = []
    monkeypatch.setattr(UpdateDialog, "ask", classmethod(lambda cls, *a: asked.append(a) or False))
    service = make_service(ctx, update_repo, "pilot", runner=lambda p: 0, threads=threads)
    ui_threads = []
    original_notice = service._show_notice
    monkeypatch.setattr(service, "_show_notice",
                        lambda release: (ui_threads.append(threading.current_thread()), original_notice(release)))
    with qtbot.waitSignal(service.update_available, timeout=20000) as blocker:
        assert service.check(interactive=False)
    assert blocker.args[0].version == "2.1rc1"
    assert threads and threads[0] is not threading.main_thread()
    assert ui_threads == [threading.main_thread()], "results must come back to the UI thread"
    assert service.notice is not None and "2.1rc1" in service.notice.text()
    assert asked == [], "an automatic check must not interrupt the user"
    service.shutdown()


def test_stable_workstation_gets_no_notice_for_a_pilot_release(ctx, qtbot, update_repo, fake_installer):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    service = make_service(ctx, update_repo, "stable", runner=lambda p: 0, threads=[])
    with qtbot.waitSignal(service.state_changed, timeout=20000, check_params_cb=lambda s: s == "idle"):
        service.check(interactive=False)
    assert service.available is None and service.notice is None
    service.shutdown()


def test_accepted_update_is_downloaded_verified_and_run_off_the_ui_thread(ctx, qtbot, update_repo, fake_installer,
                                                                          monkeypatch):
    build = fake_installer("rc.exe")
    update_repo.publish("pilot", build, "2.1rc1")
    ran = []

    def runner(path: Path) -> int:
        ran.append((path.read_bytes(), threading.current_thread()))
        return 0

    monkeypatch.setattr(UpdateDialog, "ask", classmethod(lambda cls, parent, release, current: True))
    service = make_service(ctx, update_repo, "pilot", runner=runner, threads=[])
    with qtbot.waitSignal(service.installed, timeout=30000) as blocker:
        service.check(interactive=True)
    assert blocker.args == ["2.1rc1"]
    assert ran[0][0] == build.read_bytes()
    assert ran[0][1] is not threading.main_thread()
    assert service.available is None
    service.shutdown()


def test_failed_installer_keeps_the_current_version_and_says_so(ctx, qtbot, update_repo, fake_installer, monkeypatch):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    shown = []
    monkeypatch.setattr(UpdateDialog, "ask", classmethod(lambda cls, parent, release, current: True))
    monkeypatch.setattr(UpdateDialog, "inform", classmethod(lambda cls, parent, title, text, error=False:
                                                            shown.append((title, text, error))))
    service = make_service(ctx, update_repo, "pilot", runner=lambda p: 2, threads=[])
    with qtbot.waitSignal(service.install_failed, timeout=30000) as blocker:
        service.check(interactive=True)
    assert "code 2" in blocker.args[0] and "0.1.0 stays installed" in blocker.args[0]
    assert shown and shown[-1][2] is True
    assert service.available is not None and service.available.version == "2.1rc1"
    service.shutdown()


def test_declined_update_is_remembered_and_not_asked_again_automatically(ctx, qtbot, update_repo, fake_installer,
                                                                         monkeypatch):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    asked = []
    monkeypatch.setattr(UpdateDialog, "ask", classmethod(lambda cls, *a: asked.append(a) or False))
    service = make_service(ctx, update_repo, "pilot", runner=lambda p: 0, threads=[])
    with qtbot.waitSignal(service.update_available, timeout=20000):
        service.check(interactive=True)
    assert len(asked) == 1
    assert service._load_state()["postponed"] == "2.1rc1"
    with qtbot.waitSignal(service.update_available, timeout=20000):
        service.check(interactive=False)
    assert len(asked) == 1
    service.shutdown()


def test_tampered_repository_is_reported_not_installed(ctx, qtbot, update_repo, fake_installer, monkeypatch):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    stored = next((update_repo.targets_dir / "pilot").glob("*.DeclarantDesk-2.1rc1-setup.exe"))
    stored.write_bytes(stored.read_bytes().replace(b"MZ", b"ZM", 1))
    ran = []
    monkeypatch.setattr(UpdateDialog, "ask", classmethod(lambda cls, parent, release, current: True))
    monkeypatch.setattr(UpdateDialog, "inform", classmethod(lambda cls, *a, **k: None))
    service = make_service(ctx, update_repo, "pilot", runner=lambda p: ran.append(p) or 0, threads=[])
    with qtbot.waitSignal(service.install_failed, timeout=30000) as blocker:
        service.check(interactive=True)
    assert "does not match its signed" in blocker.args[0]
    assert ran == []
    service.shutdown()


def test_old_version_folders_are_removed_but_the_previous_one_stays(tmp_path):
    root = tmp_path / "DeclarantDesk"
    for name in ("app-1.9", "app-2.0", "app-2.1rc1", "app-2.1", "app-2.2rc1", "app-2.1.new", "other"):
        (root / name / "runtime").mkdir(parents=True)
    removed = integration.remove_old_versions("2.1", root=root, running=root / "app-2.1")
    assert sorted(p.name for p in removed) == ["app-1.9", "app-2.0"]
    left = sorted(p.name for p in root.iterdir())
    assert left == ["app-2.1", "app-2.1.new", "app-2.1rc1", "app-2.2rc1", "other"]
    # a running older version is never removed
    removed = integration.remove_old_versions("2.2rc1", root=root, running=root / "app-2.1rc1")
    assert removed == [] and (root / "app-2.1rc1").exists()


def test_production_wiring_from_policy_and_bundled_root(ctx, qtbot, update_repo, fake_installer, monkeypatch,
                                                        tmp_path):
    """install(ctx) → policy file (ring, URL) + the root shipped in update-config → a signed update."""
    from desktop.updates import policy

    bundle = tmp_path / "update-config"
    bundle.mkdir()
    (bundle / "root.json").write_bytes(update_repo.trusted_root)
    monkeypatch.setattr(policy, "BUNDLED_CONFIG_DIR", bundle)
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(f'[updates]\nring = "pilot"\nurl = "{update_repo.url}"\n')
    monkeypatch.setenv(policy.POLICY_FILE_ENV, str(policy_file))
    build = fake_installer("rc.exe")
    update_repo.publish("pilot", build, "9.0rc1")
    ran = []
    monkeypatch.setattr(UpdateDialog, "ask", classmethod(lambda cls, parent, release, current: True))
    service = integration.install(ctx, start=False)
    service.runner = lambda path: ran.append(path.read_bytes()) or 0
    assert service.disabled_reason() == ""
    assert "pilot" in service.describe()
    with qtbot.waitSignal(service.installed, timeout=30000) as blocker:
        assert service.check(interactive=True)
    assert blocker.args == ["9.0rc1"] and ran == [build.read_bytes()]
    # the trusted metadata and the download live in the per-user cache, not in the program folder
    assert (ctx.paths.cache_dir / "updates" / "metadata" / "root.json").exists()
    service.shutdown()


def test_update_question_in_vietnamese(qapp, monkeypatch):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop import i18n
    from desktop.updates.client import Release

    translators = i18n.install("vi")
    shown = {}

    def fake_exec(box, choose="Cài đặt ngay"):
        shown["text"] = box.text()
        shown["buttons"] = [b.text() for b in box.buttons()]
        next(b for b in box.buttons() if b.text() == choose).click()
        return 0

    try:
        monkeypatch.setattr(QMessageBox, "exec", fake_exec)
        release = Release("2.1rc1", "pilot", "pilot/DeclarantDesk-2.1rc1-setup.exe", 10, "0" * 64)
        assert UpdateDialog.ask(None, release, "2.0") is True
        assert shown["text"] == "Có phiên bản mới 2.1rc1 (bạn đang dùng 2.0). Cài đặt ngay?"
        assert sorted(shown["buttons"]) == ["Cài đặt ngay", "Để sau"]
        monkeypatch.setattr(QMessageBox, "exec", lambda box: fake_exec(box, "Để sau"))
        assert UpdateDialog.ask(None, release, "2.0") is False
    finally:
        for tr in translators:
            QCoreApplication.removeTranslator(tr)
