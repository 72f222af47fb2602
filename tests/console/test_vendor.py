"""The console's JavaScript comes from the npm registry's packages, copied and served by the
server itself: the committed copies are exactly what the manifest and package.json say."""
from __future__ import annotations


from server.console import vendor


def test_vendored_files_match_the_manifest_and_package_json():
    assert vendor.check() == []


def test_a_changed_byte_is_noticed(tmp_path, monkeypatch):
    copy = tmp_path / "vendor"
    copy.mkdir()
    for f in vendor.VENDOR.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    monkeypatch.setattr(vendor, "VENDOR", copy)
    monkeypatch.setattr(vendor, "MANIFEST", copy / "MANIFEST.json")
    data = bytearray((copy / "htmx.min.js").read_bytes())
    data[100] ^= 1
    (copy / "htmx.min.js").write_bytes(bytes(data))
    assert any("htmx.min.js" in p for p in vendor.check())
