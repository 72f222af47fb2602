"""The plugin loader: manifests before code, isolation of failing plugins, enable/disable."""
from __future__ import annotations

import sys

import pytest

from desktop.plugin_host import (
    DISABLED, DUPLICATE, FAILED, INCOMPATIBLE, INVALID, LOADED, ManifestError, parse_manifest,
    version_in_range,
)

from .shell_helpers import app_context, plugin_dir


@pytest.mark.parametrize("version, spec, ok", [
    ("1.0", ">=1.0,<2.0", True), ("1.5", ">=1.0,<2.0", True), ("2.0", ">=1.0,<2.0", False),
    ("1.0", ">=2.0", False), ("1.0", "1.0", True), ("1.0", "==1", True), ("1.0", "!=1.0", False),
    ("1.2", "~=1.1", True), ("2.0", "~=1.1", False), ("1.0", ">1.0", False), ("1.0.1", ">1.0", True),
])
def test_version_ranges(version, spec, ok):
    assert version_in_range(version, spec) is ok


@pytest.mark.parametrize("spec", ["", ">=one", "=>1.0", ">=1.0;<2"])
def test_malformed_ranges(spec):
    with pytest.raises(ManifestError):
        version_in_range("1.0", spec)


GOOD = {"id": "p1", "name": "Tên", "version": "1.0", "host_api": ">=1.0,<2.0", "entry": "plugin:create"}


def test_manifest_fields():
    m = parse_manifest(dict(GOOD, name_en="Name", enabled_by_default=False))
    assert (m.id, m.display_name("vi"), m.display_name("en"), m.enabled_by_default) == ("p1", "Tên", "Name", False)
    for field in ("id", "name", "version", "host_api", "entry"):
        with pytest.raises(ManifestError, match=field):
            parse_manifest({k: v for k, v in GOOD.items() if k != field})
    with pytest.raises(ManifestError):
        parse_manifest(dict(GOOD, entry="no_colon"))
    with pytest.raises(ManifestError):
        parse_manifest(dict(GOOD, id="Bad-Id"))
    with pytest.raises(ManifestError):
        parse_manifest(dict(GOOD, enabled_by_default="yes"))
    with pytest.raises(ManifestError):
        parse_manifest(GOOD, folder_name="other")


def test_manifest_text_is_nfc():
    m = parse_manifest(dict(GOOD, name="Ti\u00ea\u0300n i\u0301ch"))  # decomposed input
    import unicodedata
    assert m.name == unicodedata.normalize("NFC", "Ti\u00ea\u0300n i\u0301ch")


def test_loader_isolates_every_kind_of_broken_plugin(qapp, tmp_path):
    folder = plugin_dir(tmp_path, "raises_at_import", "wrong_api", "missing_fields", "bad_toml",
                        "wrong_folder", "raises_in_create", "faulty_callbacks", "off_by_default")
    with app_context(extra_dirs=[folder], bundled=False) as ctx:
        recs = {r.id: r for r in ctx.plugin_host.all_records()}
        assert recs["raises_at_import"].state == FAILED
        assert "broken on purpose at import" in recs["raises_at_import"].error
        assert recs["raises_at_import"].errors[0].details  # the traceback is kept
        # manifests are read first: these plugins' code (which asserts) was never imported
        assert recs["wrong_api"].state == INCOMPATIBLE and ">=2.0" in recs["wrong_api"].error
        assert recs["missing_fields"].state == INVALID
        assert "version" in recs["missing_fields"].error and "entry" in recs["missing_fields"].error
        assert recs["bad_toml"].state == INVALID and "TOML" in recs["bad_toml"].error
        assert recs["wrong_folder"].state == INVALID
        assert not any(n.endswith(("wrong_api.plugin", "missing_fields.plugin")) for n in sys.modules)
        # a plugin raising in its entry callable: state failed and its half-made action is gone
        assert recs["raises_in_create"].state == FAILED
        names = [a.objectName() for a in ctx.menus["other"].actions()]
        assert "half.action" not in names
        # the healthy plugin is loaded, the off-by-default one disabled
        assert recs["faulty_callbacks"].state == LOADED and "faulty.action" in names
        assert recs["off_by_default"].state == DISABLED and "optional.action" not in names
        # the host keeps working
        assert ctx.main_window.menuBar().actions()
        assert {p["id"] for p in ctx.plugin_host.summary()} >= set(recs)
        problems = {r.id for r in ctx.plugin_host.problems()}
        assert problems == {"raises_at_import", "wrong_api", "missing_fields", "bad_toml", "wrong_folder",
                            "raises_in_create"}


def test_callbacks_that_raise_are_caught_and_reported(qapp, qtbot, tmp_path):
    folder = plugin_dir(tmp_path, "faulty_callbacks")
    with app_context(extra_dirs=[folder], bundled=False) as ctx:
        rec = ctx.plugin_host.records["faulty_callbacks"]
        action = next(a for a in ctx.menus["other"].actions() if a.objectName() == "faulty.action")
        action.trigger()  # raises ValueError inside: must not propagate
        assert rec.errors[-1].where.startswith("menu action")
        assert "menu callback failed on purpose" in rec.errors[-1].message
        assert "Lỗi trong hàm gọi lại" in ctx.status_bar.currentMessage()  # the user is told (vi)
        ctx.plugin_host.run_startup_prompts()
        assert rec.errors[-1].where == "startup prompt" and "KeyError" in rec.errors[-1].message
        handle = rec.instance.fail_in_background()
        qtbot.waitUntil(lambda: handle.done, timeout=5000)
        assert "ZeroDivisionError" in rec.errors[-1].message
        assert rec.state == LOADED
        before = len(rec.errors)
    # leaving the context ran the teardown, which raised: recorded, shutdown completed
    assert len(rec.errors) == before + 1 and rec.errors[-1].where == "teardown"
    assert rec.state == "stopped"


def test_disabled_in_settings_and_enabled_on_request(qapp, tmp_path):
    folder = plugin_dir(tmp_path, "faulty_callbacks", "off_by_default")
    data = tmp_path / "data"
    with app_context(argv=["--data-dir", str(data)], extra_dirs=[folder], bundled=False) as ctx:
        ctx.settings.set_plugin_enabled("faulty_callbacks", False)
        ctx.settings.set_plugin_enabled("off_by_default", True)
    with app_context(argv=["--data-dir", str(data)], extra_dirs=[folder], bundled=False) as ctx:
        recs = ctx.plugin_host.records
        assert recs["faulty_callbacks"].state == DISABLED
        assert recs["off_by_default"].state == LOADED
        names = [a.objectName() for a in ctx.menus["other"].actions()]
        assert "faulty.action" not in names and "optional.action" in names


def test_duplicate_ids_are_reported(qapp, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = plugin_dir(tmp_path / "a", "off_by_default")
    b = plugin_dir(tmp_path / "b", "off_by_default")
    with app_context(extra_dirs=[a, b], bundled=False) as ctx:
        dups = [r for r in ctx.plugin_host.all_records() if r.state == DUPLICATE]
        assert len(dups) == 1 and "đã được nạp từ" in dups[0].error  # Vietnamese, the default language


def test_user_plugins_folder_is_scanned(qapp, tmp_path):
    data = tmp_path / "data"
    import shutil

    from .shell_helpers import FIXTURES
    shutil.copytree(FIXTURES / "faulty_callbacks", data / "plugins" / "faulty_callbacks")
    with app_context(argv=["--data-dir", str(data)], bundled=False) as ctx:
        rec = ctx.plugin_host.records["faulty_callbacks"]
        assert rec.source == "user" and rec.state == LOADED


def test_bundled_example_plugin_is_found(qapp):
    with app_context() as ctx:
        rec = ctx.plugin_host.records["example"]
        assert rec.source == "bundled" and rec.manifest.name == "Ví dụ tiện ích"


def test_entry_point_plugins_read_the_manifest_before_import(qapp, monkeypatch):
    from importlib.metadata import EntryPoint

    from desktop.app import create_context
    from desktop.plugin_host import ENTRY_POINT_GROUP

    from .shell_helpers import FIXTURES

    monkeypatch.syspath_prepend(str(FIXTURES.parent / "site"))
    monkeypatch.delitem(sys.modules, "dd_ep_plugin", raising=False)
    monkeypatch.delitem(sys.modules, "dd_ep_plugin.plugin", raising=False)
    eps = [EntryPoint(name="ep_plugin", value="dd_ep_plugin.plugin:create", group=ENTRY_POINT_GROUP)]
    monkeypatch.setattr("importlib.metadata.entry_points",
                        lambda group=None, **kw: eps if group == ENTRY_POINT_GROUP else [])
    ctx = create_context([], services=False, plugins=False)
    try:
        from desktop.plugin_host import PluginHost

        host = PluginHost(ctx, bundled_dir=None)
        host.discover()
        rec = host.records["ep_plugin"]
        assert rec.source == "entry point" and rec.manifest.version == "3.1.4"
        assert "dd_ep_plugin" not in sys.modules  # manifest read without importing the package
        host.load(rec)
        assert rec.state == LOADED and "dd_ep_plugin.plugin" in sys.modules
        assert any(a.objectName() == "ep_plugin.action" for a in ctx.menus["other"].actions())
        host.teardown_all()
    finally:
        ctx.shutdown()
        ctx.main_window.close()
