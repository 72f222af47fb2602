"""Signed updates and rings against a loopback TUF repository."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.updates import policy, versions
from desktop.updates.client import UpdateClient, UpdateError
from installer.release import ReleaseError, Repository, main as release_main


def client_for(repo, ring, tmp_path, current="2.0", name=None):
    return UpdateClient(repo.url, ring, tmp_path / "state" / (name or ring), trusted_root=repo.trusted_root,
                        current_version=current)


def test_versions_order_release_candidates_before_finals():
    order = ["1.9", "2.0", "2.1a1", "2.1b2", "2.1rc1", "2.1rc2", "2.1", "2.1.1", "2.10"]
    parsed = [versions.parse(v) for v in order]
    assert parsed == sorted(parsed)
    assert versions.parse("2.1") == versions.parse("2.1.0")
    assert versions.parse("2.1rc1").is_prerelease and not versions.parse("2.1").is_prerelease
    assert str(versions.parse("2.1-RC.1")) == "2.1rc1"
    assert versions.windows_file_version("2.1rc1") == "2.1.0.201"
    assert versions.windows_file_version("2.1") == "2.1.0.1000"
    with pytest.raises(versions.InvalidVersion):
        versions.parse("latest")


def test_stable_client_does_not_see_pilot_release_and_pilot_client_does(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    stable = client_for(update_repo, "stable", tmp_path)
    pilot = client_for(update_repo, "pilot", tmp_path)
    assert stable.check() is None
    assert stable.releases() == []
    found = pilot.check()
    assert found is not None and found.version == "2.1rc1" and found.ring == "pilot"
    assert found.target == "pilot/DeclarantDesk-2.1rc1-setup.exe"


def test_promotion_makes_the_stable_client_see_the_same_file(update_repo, fake_installer, tmp_path):
    build = fake_installer("rc.exe")
    update_repo.publish("pilot", build, "2.1rc1")
    stable = client_for(update_repo, "stable", tmp_path)
    assert stable.check() is None
    update_repo.promote("2.1rc1")
    found = stable.check()
    assert found is not None and (found.version, found.ring) == ("2.1rc1", "stable")
    path = stable.download(found)
    assert path.read_bytes() == build.read_bytes()
    assert not list(path.parent.glob("*.part"))
    # the running version is not offered again
    assert client_for(update_repo, "stable", tmp_path, current="2.1rc1", name="after").check() is None


def test_pilot_client_takes_the_newest_of_both_rings(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("a.exe"), "2.1rc1")
    update_repo.promote("2.1rc1")
    update_repo.publish("stable", fake_installer("b.exe"), "2.1.1")
    pilot = client_for(update_repo, "pilot", tmp_path)
    assert pilot.check().version == "2.1.1"
    update_repo.publish("pilot", fake_installer("c.exe"), "2.2rc1")
    assert client_for(update_repo, "pilot", tmp_path, name="p2").check().version == "2.2rc1"
    assert client_for(update_repo, "stable", tmp_path).check().version == "2.1.1"
    assert client_for(update_repo, "stable", tmp_path, current="2.1.1", name="s2").check() is None


def test_tampered_installer_is_refused_and_not_kept(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    stored = next((update_repo.targets_dir / "pilot").glob("*.DeclarantDesk-2.1rc1-setup.exe"))
    data = bytearray(stored.read_bytes())
    data[100] ^= 0xFF  # same length, different content
    stored.write_bytes(bytes(data))
    pilot = client_for(update_repo, "pilot", tmp_path)
    release = pilot.check()
    with pytest.raises(UpdateError) as info:
        pilot.download(release)
    assert info.value.kind == "tampered"
    assert "does not match its signed" in info.value.message
    assert not any(pilot.download_dir.glob("*")), "a refused download must not be left behind"


def test_truncated_installer_is_refused(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    stored = next((update_repo.targets_dir / "pilot").glob("*.DeclarantDesk-2.1rc1-setup.exe"))
    stored.write_bytes(stored.read_bytes()[:-10])
    pilot = client_for(update_repo, "pilot", tmp_path)
    with pytest.raises(UpdateError) as info:
        pilot.download(pilot.check())
    assert info.value.kind == "tampered"
    assert not any(pilot.download_dir.glob("*"))


def test_oversized_installer_is_refused(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    stored = next((update_repo.targets_dir / "pilot").glob("*.DeclarantDesk-2.1rc1-setup.exe"))
    stored.write_bytes(stored.read_bytes() + b"appended payload" * 100)
    pilot = client_for(update_repo, "pilot", tmp_path)
    with pytest.raises(UpdateError) as info:
        pilot.download(pilot.check())
    assert info.value.kind == "tampered"
    assert not any(pilot.download_dir.glob("*"))


def test_expired_metadata_is_refused_with_a_clear_message(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    stale = Repository(update_repo.dir, update_repo.keys_dir, expiry_days={"timestamp": -1})
    stale.refresh(within_days=0)
    pilot = client_for(update_repo, "pilot", tmp_path)
    with pytest.raises(UpdateError) as info:
        pilot.check()
    assert info.value.kind == "expired"
    assert "expired" in info.value.message and "re-sign" in info.value.message


def test_metadata_changed_without_the_key_is_refused(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    # an attacker edits the pilot role to point to another file, keeping the old signature
    meta = update_repo.metadata_dir
    latest = max(meta.glob("*.pilot.json"), key=lambda p: int(p.name.split(".")[0]))
    doc = json.loads(latest.read_text())
    for info in doc["signed"]["targets"].values():
        info["length"] += 1
    latest.write_text(json.dumps(doc))
    pilot = client_for(update_repo, "pilot", tmp_path)
    with pytest.raises(UpdateError) as info:
        pilot.check()
    assert info.value.kind == "signature"


def test_unreachable_server_is_reported_as_offline(update_repo, tmp_path):
    client = UpdateClient("http://127.0.0.1:9/updates/", "stable", tmp_path / "s", trusted_root=update_repo.trusted_root,
                          current_version="2.0")
    with pytest.raises(UpdateError) as info:
        client.check()
    assert info.value.kind == "offline"


def test_release_rules(update_repo, fake_installer, tmp_path):
    with pytest.raises(ReleaseError, match="release candidate"):
        update_repo.publish("stable", fake_installer("x.exe"), "2.1rc1")
    update_repo.publish("pilot", fake_installer("x.exe"), "2.1rc1")
    with pytest.raises(ReleaseError, match="already published"):
        update_repo.publish("pilot", fake_installer("y.exe"), "2.1rc1")
    with pytest.raises(ReleaseError, match="not published in pilot"):
        update_repo.promote("2.2rc1")
    # promoting needs the stable key; without it nothing changes
    keys = tmp_path / "pilot-only-keys"
    keys.mkdir()
    for role in ("pilot", "snapshot", "timestamp"):
        (keys / f"{role}.pem").write_bytes((update_repo.keys_dir / f"{role}.pem").read_bytes())
    with pytest.raises(ReleaseError, match="stable signing key"):
        Repository(update_repo.dir, keys).promote("2.1rc1")
    assert update_repo.releases("stable") == []
    update_repo.withdraw("pilot", "2.1rc1")
    assert client_for(update_repo, "pilot", tmp_path).check() is None


def test_release_cli_end_to_end(tmp_path, fake_installer, capsys):
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    assert release_main(["init", "--repo", str(repo), "--keys", str(keys)]) == 0
    assert oct((keys / "root.pem").stat().st_mode & 0o777) == "0o600"
    build = fake_installer("b.exe")
    assert release_main(["publish", "--repo", str(repo), "--keys", str(keys), "--ring", "pilot",
                         "--version", "2.1rc1", str(build)]) == 0
    assert release_main(["promote", "--repo", str(repo), "--keys", str(keys), "2.1rc1"]) == 0
    assert release_main(["publish", "--repo", str(repo), "--keys", str(keys), "--ring", "stable",
                         "--version", "3.0rc1", str(build)]) == 1
    assert release_main(["list", "--repo", str(repo)]) == 0
    out = capsys.readouterr()
    assert "promoted from pilot 2.1rc1" in out.out
    assert "release candidate" in out.err
    # the CLI runs as a module too
    proc = subprocess.run([sys.executable, "-m", "installer.release", "list", "--repo", str(repo)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "2.1rc1" in proc.stdout


def test_policy_file_sets_the_ring(tmp_path, monkeypatch):
    path = tmp_path / "policy.toml"
    monkeypatch.setenv(policy.POLICY_FILE_ENV, str(path))
    assert policy.current_ring() == "stable"
    assert "default" in policy.describe()
    path.write_text('[updates]\nring = "Pilot"\nurl = "https://feedback.example/updates/"\ncheck = false\n')
    p = policy.read_policy()
    assert (p.ring, p.url, p.check, p.source) == ("pilot", "https://feedback.example/updates/", False, str(path))
    assert policy.current_ring() == "pilot"
    text = policy.describe()
    assert "pilot" in text and str(path) in text
    path.write_text('[updates]\nring = "beta"\nurl = "ftp://x"\n')
    p = policy.read_policy()
    assert p.ring == "stable" and p.url is None and len(p.problems) == 2
    assert "unknown update ring" in policy.describe()
    path.write_bytes(b"\xff\xfe not toml")
    assert policy.read_policy().ring == "stable"


def test_refresh_renews_metadata_close_to_expiry(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    short = Repository(update_repo.dir, update_repo.keys_dir, expiry_days={"pilot": 3})
    short.refresh(within_days=1000)  # re-sign everything; pilot now expires in 3 days
    renewed = Repository(update_repo.dir, update_repo.keys_dir).refresh(within_days=14)
    assert "pilot" in renewed and "stable" not in renewed
    assert (update_repo.load("pilot").signed.expires - update_repo.load("timestamp").signed.expires).days > 100
    assert client_for(update_repo, "pilot", tmp_path).check().version == "2.1rc1"


class _FakeWinreg:
    """Just enough of ``winreg`` to read the policy keys."""

    HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER = "HKLM", "HKCU"

    def __init__(self, hives):
        self.hives = hives

    def OpenKey(self, hive, path):  # noqa: N802 - winreg's name
        assert path == policy.REGISTRY_KEY
        if hive not in self.hives:
            raise FileNotFoundError(path)
        values = self.hives[hive]

        class Key:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        key = Key()
        key.values = values
        return key

    def QueryValueEx(self, key, name):  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name], 1


def test_windows_policy_prefers_hklm_and_falls_back_to_hkcu(monkeypatch):
    monkeypatch.delenv(policy.POLICY_FILE_ENV, raising=False)
    monkeypatch.setattr(policy.sys, "platform", "win32")
    fake = _FakeWinreg({"HKLM": {"UpdateRing": "stable", "UpdateCheck": 0},
                        "HKCU": {"UpdateRing": "pilot", "UpdateUrl": "https://hq.example/updates/"}})
    monkeypatch.setitem(sys.modules, "winreg", fake)
    p = policy.read_policy()
    assert (p.ring, p.url, p.check) == ("stable", "https://hq.example/updates/", False)
    assert p.source.startswith("HKLM\\")
    fake.hives.pop("HKLM")
    p = policy.read_policy()
    assert (p.ring, p.check) == ("pilot", True) and p.source.startswith("HKCU\\")
    fake.hives.clear()
    assert policy.read_policy().ring == "stable" and policy.read_policy().source == ""


def test_release_withdrawn_after_the_check_is_not_downloaded(update_repo, fake_installer, tmp_path):
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    pilot = client_for(update_repo, "pilot", tmp_path)
    release = pilot.check()
    update_repo.withdraw("pilot", "2.1rc1")
    with pytest.raises(UpdateError) as info:
        pilot.download(release)
    assert info.value.kind == "invalid" and "no longer offered" in info.value.message
