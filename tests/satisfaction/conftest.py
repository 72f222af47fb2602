"""Fixtures of the assessment plugin's tests: the real program context on demo data."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

from domain.demo import DEMO_END

DEMO_TODAY = DEMO_END.date()
DEMO_DECLARATIONS = 3000


@pytest.fixture(scope="session")
def demo_store_file(tmp_path_factory) -> Path:
    """A declarations database with the demo world (built once per test session)."""
    from desktop.demo_data import write_demo

    db = tmp_path_factory.mktemp("demo-store") / "declarations.db"
    write_demo(db, count=DEMO_DECLARATIONS)
    return db


def copy_store(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        s = Path(str(src) + suffix)
        if s.exists():
            shutil.copyfile(s, Path(str(dest) + suffix))


@contextmanager
def program(data_dir: Path, demo_store: Path | None, *, argv: list[str] | None = None,
            services: bool = True, server_url: str | None = None, today: date = DEMO_TODAY) -> Iterator[Any]:
    """The real program (AppContext, main window, services, plugin host) on ``data_dir``.

    Returns the context; ``ctx.satisfaction`` is the loaded plugin instance."""
    from desktop.app import create_context
    from desktop.paths import resolve
    from desktop.settings import Settings

    paths = resolve(data_dir).ensure()
    if demo_store is not None and not paths.store_path.exists():
        copy_store(demo_store, paths.store_path)
    if server_url:
        Settings(paths.settings_file).set_server_url(server_url)
    ctx = create_context(["--data-dir", str(data_dir), *(argv or [])], services=services,
                         plugin_host_kwargs={"entry_points": False})
    try:
        record = next(r for r in ctx.plugin_host.all_records() if r.id == "satisfaction")
        assert record.state == "loaded", (record.state, getattr(record, "error", None))
        plugin = record.instance
        plugin.today = today
        ctx.satisfaction = plugin
        yield ctx
    finally:
        ctx.shutdown()
        ctx.main_window.close()
        ctx.main_window.deleteLater()


def demo_enterprise_signs_in(data_dir: Path) -> None:
    """The program on ``data_dir`` signs in as the demo enterprise (its saved password and
    its tax code as the sync user)."""
    from desktop import credentials
    from desktop.paths import resolve
    from desktop.settings import Settings
    from domain.demo import DEMO_ENTERPRISE

    assert credentials.save_password(DEMO_ENTERPRISE.tax_code, DEMO_ENTERPRISE.password)
    settings = Settings(resolve(data_dir).ensure().settings_file)
    settings.namespace("sync").set("username", DEMO_ENTERPRISE.tax_code)
    settings.sync()


def rate_all_five_and_send(qtbot, dialog: Any) -> None:
    """Give every target of the assessment form 5★ and its first reason by keyboard, "Ghi", "Gửi"."""
    from PySide6.QtCore import Qt

    for row in dialog.form_page.rows:
        row.stars.setFocus()
        qtbot.keyClick(row.stars, Qt.Key.Key_5)
        row.reasons.setFocus()
        qtbot.keyClick(row.reasons, Qt.Key.Key_Space)
    assert dialog.record()
    qtbot.mouseClick(dialog.summary_page.send_button, Qt.MouseButton.LeftButton)


def find_declaration(ctx: Any, *, status: str = "cleared", channel: int | None = None,
                     min_targets: int = 1, skip: int = 0) -> str:
    """A declaration of the context's store with this status/channel and handling records."""
    store = ctx.declaration_store
    rows = store.conn.execute(
        "SELECT number, status, channel FROM declarations WHERE status = ? ORDER BY registered_at DESC",
        (status,)).fetchall()
    found = 0
    for number, _status, ch in rows:
        if channel is not None and ch != channel:
            continue
        if len(store.handling(number)) >= min_targets:
            if found == skip:
                return number
            found += 1
    raise AssertionError(f"no {status} declaration with channel {channel}")


UNRATED_TITLE = "Tờ khai chưa đánh giá"


def settle(qtbot, view, title: str | None = None, timeout: int = 20000) -> None:
    """Wait until the list has run its last query to the end (and shows ``title``'s view)."""
    model = view.table.model()

    def done() -> bool:
        return (not view._query_timer.isActive() and not model.busy and model.complete
                and (title is None or model.filter().title == title))

    qtbot.waitUntil(done, timeout=timeout)
