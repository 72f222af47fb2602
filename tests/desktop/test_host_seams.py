"""Seams between the host's parts: a failed plugin's column is taken out again, the
command line dispatches from ``desktop.__main__``, the list placeholder offers the whole
list interface."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from desktop.main_window import ListView, PlaceholderList
from desktop.plugin_host import FAILED

from .shell_helpers import app_context

ROOT = Path(__file__).resolve().parents[2]

HALF_COLUMN = '''
from desktop.plugin_api import ColumnSpec


def create(api):
    api.add_column(ColumnSpec(key="half.column", header="Half", value=lambda row: "x"))
    raise RuntimeError("entry callable failed on purpose")
'''


def test_a_plugin_that_fails_to_start_leaves_no_column(qapp, tmp_path):
    folder = tmp_path / "plugins" / "half_column"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "plugin.py").write_text(HALF_COLUMN)
    (folder / "plugin.toml").write_text('id = "half_column"\nname = "Half"\nversion = "0.1"\n'
                                        'host_api = ">=1.1,<2.0"\nentry = "plugin:create"\n')
    with app_context(argv=["--data-dir", str(tmp_path / "d")], extra_dirs=[folder.parent], bundled=False,
                     enable=()) as ctx:
        assert ctx.plugin_host.records["half_column"].state == FAILED
        assert "half.column" not in [c.key for c in ctx.main_window.list_view.model.columns()]


def test_the_placeholder_list_has_the_whole_list_interface(qapp):
    members = [n for n in vars(ListView) if not n.startswith("_")]
    placeholder = PlaceholderList("no store")
    assert [n for n in members if not callable(getattr(placeholder, n, None))] == []
    placeholder.add_column(type("Spec", (), {"key": "k"})())
    assert placeholder.remove_column("k") and not placeholder.remove_column("k")
    placeholder.deleteLater()


def test_the_command_line_dispatches_the_self_test(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "DECLARANT_DESK_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "desktop", "--self-test", "--data-dir", str(tmp_path / "d")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["list"] == "DeclarationListView" and "store" in result


def test_store_emptiness_is_answered_without_counting(tmp_path):
    from desktop.core.store import DeclarationStore
    from domain.demo import iter_declarations

    store = DeclarationStore(tmp_path / "d.db")
    assert store.is_empty()
    store.insert_many(iter_declarations(count=3))
    assert not store.is_empty() and store.count() == 3
    store.close()


def test_prefetched_entry_points_are_taken_once(monkeypatch):
    import importlib.metadata

    from desktop import plugin_host

    calls = []
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group: calls.append(group) or [f"ep-{len(calls)}"])
    plugin_host.prefetch_entry_points()
    assert plugin_host.take_prefetched_entry_points() == ["ep-1"]
    assert plugin_host.take_prefetched_entry_points() == ["ep-2"]  # read again: nothing stale is kept
    assert calls == [plugin_host.ENTRY_POINT_GROUP] * 2
