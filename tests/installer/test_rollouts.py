"""Gradual rollouts, auto-pause, rollback of a withdrawn version, key rotation and a
file-share repository, against a throw-away signed repository on loopback."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path, PureWindowsPath

import pytest

from desktop.updates import policy, rollout
from desktop.updates.client import UpdateClient, UpdateError, share_path
from installer.release import ReleaseError, Repository, main as release_main


def ids(n: int, seed: str = "population") -> list[str]:
    return [hashlib.sha256(f"{seed}{i}".encode()).hexdigest()[:32] for i in range(n)]


def client_for(repo, tmp_path, install_id=None, current="2.0", ring="stable", name=None):
    return UpdateClient(repo.url, ring, tmp_path / "state" / (name or install_id or ring),
                        trusted_root=repo.trusted_root, current_version=current, install_id=install_id)


# ---- percentages ---------------------------------------------------------------------------------

def test_a_population_is_split_as_asked_and_only_grows():
    population = ids(20_000)
    previous: set[str] = set()
    for percent in (1, 5, 10, 25, 50, 75, 100):
        chosen = {i for i in population if rollout.selected(i, "2.1", percent)}
        share = len(chosen) / len(population) * 100
        assert abs(share - percent) < 1.0, (percent, share)
        assert previous <= chosen  # a workstation in at a lower percentage stays in
        previous = chosen
    # deterministic: the same answer every time; a different release picks other workstations
    assert [rollout.selected(i, "2.1", 10) for i in population[:500]] == \
        [rollout.selected(i, "2.1", 10) for i in population[:500]]
    first_21 = {i for i in population if rollout.selected(i, "2.1", 10)}
    first_22 = {i for i in population if rollout.selected(i, "2.2", 10)}
    assert len(first_21 & first_22) < len(first_21) * 0.2
    assert not rollout.selected(None, "2.1", 99.9) and rollout.selected(None, "2.1", 100)


def test_install_id_is_random_kept_and_replaced_when_damaged(tmp_path):
    first = rollout.install_id(tmp_path)
    assert len(first) == 32 and int(first, 16) >= 0
    assert rollout.install_id(tmp_path) == first
    assert rollout.install_id(tmp_path / "other") != first
    (tmp_path / rollout.INSTALL_ID_FILE).write_text("not an id")
    assert rollout.install_id(tmp_path) not in ("not an id", first)


def test_stable_client_follows_the_rollout_percentage(update_repo, fake_installer, tmp_path):
    update_repo.publish("stable", fake_installer("20.exe"), "2.0")
    update_repo.publish("stable", fake_installer("21.exe"), "2.1", percent=30)
    population = ids(40, "clients")
    offered_at_30 = set()
    for install_id in population:
        found = client_for(update_repo, tmp_path, install_id, current="2.0").check()
        expected = rollout.selected(install_id, "2.1", 30)
        assert (found is not None) == expected, install_id
        if found is not None:
            assert found.version == "2.1" and found.percent == 30
            offered_at_30.add(install_id)
    assert 0 < len(offered_at_30) < len(population)
    # an older workstation outside the rollout still gets the newest fully rolled-out release
    outside = next(i for i in population if i not in offered_at_30)
    older = client_for(update_repo, tmp_path, outside, current="1.9", name="older").check()
    assert older is not None and older.version == "2.0"
    # widening keeps everybody who was in
    update_repo.set_percent("2.1", 60)
    for install_id in offered_at_30:
        assert client_for(update_repo, tmp_path, install_id, current="2.0").check().version == "2.1"
    with pytest.raises(ReleaseError, match="does not shrink"):
        update_repo.set_percent("2.1", 20)
    update_repo.set_percent("2.1", 100)
    assert all(client_for(update_repo, tmp_path, i, current="2.0").check().version == "2.1" for i in population)


# ---- auto-pause ----------------------------------------------------------------------------------

def health(old_crashes: int, new_crashes: int, reports: int = 200) -> list[dict]:
    return [{"version": "2.0", "reports": 1000, "crashes": old_crashes},
            {"version": "2.1", "reports": reports, "crashes": new_crashes}]


def test_advance_widens_a_healthy_rollout_and_pauses_on_a_crash_rate_rise(update_repo, fake_installer, tmp_path):
    update_repo.publish("stable", fake_installer("20.exe"), "2.0")
    update_repo.publish("stable", fake_installer("21.exe"), "2.1", percent=5)
    done = update_repo.advance(health(old_crashes=10, new_crashes=3))  # 1.0 % vs 1.5 %: within 2 points
    assert done and "5 % -> 25 %" in done[0]
    assert update_repo.releases("stable")[-1]["percent"] == 25
    # too few reports on the new version: no verdict, it may widen
    assert "-> 50 %" in update_repo.advance(health(10, 5, reports=3))[0]
    # crash rate 10 % against 1 %: paused, the reason is kept in the signed release list
    done = update_repo.advance(health(old_crashes=10, new_crashes=20))
    assert "paused at 50 %" in done[0]
    entry = update_repo.releases("stable")[-1]
    assert entry["percent"] == 50 and "crash rate 10.0% on 2.1 against 1.0% on 2.0" in entry["paused"]
    # paused: no further widening, and workstations that do not have it yet are not offered it
    assert update_repo.advance(health(10, 20)) == []
    with pytest.raises(ReleaseError, match="paused"):
        update_repo.set_percent("2.1", 100)
    inside = next(i for i in ids(200, "p") if rollout.selected(i, "2.1", 50))
    assert client_for(update_repo, tmp_path, inside, current="2.0").check() is None
    # IT resumes: the rollout goes on from where it stopped
    update_repo.resume("2.1")
    assert client_for(update_repo, tmp_path, inside, current="2.0", name="again").check().version == "2.1"
    assert "50 % -> 100 %" in update_repo.advance(health(10, 3))[0]


def test_advance_command_reads_the_inventory_figures(update_repo, fake_installer, tmp_path, capsys):
    update_repo.publish("stable", fake_installer("20.exe"), "2.0")
    update_repo.publish("stable", fake_installer("21.exe"), "2.1", percent=10)
    figures = tmp_path / "versions.json"
    figures.write_text(json.dumps({"versions": health(5, 90)}))
    keys = str(update_repo.keys_dir)
    assert release_main(["advance", "--repo", str(update_repo.dir), "--keys", keys, "--health", str(figures)]) == 0
    assert "paused at 10 %" in capsys.readouterr().out
    assert release_main(["list", "--repo", str(update_repo.dir)]) == 0
    assert "PAUSED: crash rate 45.0% on 2.1" in capsys.readouterr().out
    assert release_main(["resume", "--repo", str(update_repo.dir), "--keys", keys, "2.1"]) == 0
    assert release_main(["rollout", "--repo", str(update_repo.dir), "--keys", keys, "2.1", "--percent", "40"]) == 0
    assert update_repo.releases("stable")[-1]["percent"] == 40


# ---- rollback of a withdrawn version ---------------------------------------------------------------

def test_withdrawn_version_sends_its_workstations_back_to_the_last_good_release(update_repo, fake_installer,
                                                                                 tmp_path, capsys):
    good = fake_installer("20.exe")
    update_repo.publish("stable", fake_installer("19.exe"), "1.9")
    update_repo.publish("stable", good, "2.0")
    update_repo.publish("stable", fake_installer("21.exe"), "2.1")
    on_21 = client_for(update_repo, tmp_path, current="2.1", name="on21")
    assert on_21.check() is None  # no downgrade while 2.1 is good
    keys = str(update_repo.keys_dir)
    assert release_main(["withdraw", "--repo", str(update_repo.dir), "--keys", keys, "--ring", "stable",
                         "--reason", "crashes at start", "2.1"]) == 0
    assert "go back to 2.0" in capsys.readouterr().out
    back = on_21.check()
    assert back is not None and back.version == "2.0" and back.downgrade
    assert on_21.download(back).read_bytes() == good.read_bytes()  # the signed 2.0 installer
    # workstations on other versions: never offered the withdrawn one, never downgraded
    assert client_for(update_repo, tmp_path, current="2.0", name="on20").check() is None
    older = client_for(update_repo, tmp_path, current="1.9", name="on19").check()
    assert older.version == "2.0" and not older.downgrade
    # the withdrawn number cannot come back; the fix gets a new number
    with pytest.raises(ReleaseError, match="withdrawn"):
        update_repo.publish("stable", fake_installer("21b.exe"), "2.1")
    update_repo.publish("stable", fake_installer("211.exe"), "2.1.1")
    fixed = on_21.check()
    assert fixed.version == "2.1.1" and not fixed.downgrade


def test_withdrawn_pilot_release_goes_back_to_stable(update_repo, fake_installer, tmp_path):
    update_repo.publish("stable", fake_installer("20.exe"), "2.0")
    update_repo.publish("pilot", fake_installer("rc.exe"), "2.1rc1")
    assert update_repo.withdraw("pilot", "2.1rc1") == "2.0"
    back = client_for(update_repo, tmp_path, current="2.1rc1", ring="pilot").check()
    assert (back.version, back.ring, back.downgrade) == ("2.0", "stable", True)


# ---- key rotation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["root", "targets", "snapshot", "timestamp", "stable", "pilot"])
def test_old_clients_keep_updating_across_a_key_rotation(update_repo, fake_installer, tmp_path, role, capsys):
    ring = "pilot" if role == "pilot" else "stable"
    update_repo.publish(ring, fake_installer("20.exe"), "2.0")
    existing = client_for(update_repo, tmp_path, current="1.0", ring=ring, name="existing")
    assert existing.check().version == "2.0"  # it now holds the metadata signed with the old keys
    old_key = (update_repo.keys_dir / f"{role}.pem").read_bytes()
    assert release_main(["rotate-key", "--repo", str(update_repo.dir), "--keys", str(update_repo.keys_dir),
                         role]) == 0
    assert "old key is kept" in capsys.readouterr().out
    assert (update_repo.keys_dir / f"{role}.pem").read_bytes() != old_key
    assert [p.read_bytes() for p in update_repo.keys_dir.glob(f"{role}.pem.retired-*")] == [old_key]
    fresh = Repository(update_repo.dir, update_repo.keys_dir)  # the new key from disk
    fresh.publish(ring, fake_installer("21.exe"), "2.1")
    # a workstation that updated before the rotation, and a new install shipping the old root
    assert existing.check().version == "2.1"
    found = client_for(update_repo, tmp_path, current="1.0", ring=ring, name="old-installer")
    assert found.check().version == "2.1"
    assert found.download(found.check()).read_bytes() == fake_installer("21.exe").read_bytes()


def test_metadata_signed_with_a_retired_key_is_refused(update_repo, fake_installer, tmp_path):
    update_repo.publish("stable", fake_installer("20.exe"), "2.0")
    client = client_for(update_repo, tmp_path, current="1.0")
    assert client.check().version == "2.0"
    retired = update_repo.rotate_key("stable")
    attacker = Repository(update_repo.dir, tmp_path / "stolen")
    (tmp_path / "stolen").mkdir()
    for role in ("snapshot", "timestamp"):
        (tmp_path / "stolen" / f"{role}.pem").write_bytes((update_repo.keys_dir / f"{role}.pem").read_bytes())
    (tmp_path / "stolen" / "stable.pem").write_bytes(retired.read_bytes())
    attacker.publish("stable", fake_installer("evil.exe"), "6.6")
    with pytest.raises(UpdateError) as info:
        client.check()
    assert info.value.kind == "signature"


# ---- a repository on a file share ---------------------------------------------------------------------

def test_file_share_repository(update_repo, fake_installer, tmp_path):
    build = fake_installer("21.exe")
    update_repo.publish("stable", build, "2.1")
    for location in (str(update_repo.dir), update_repo.dir.as_uri()):
        client = UpdateClient(location, "stable", tmp_path / "share-state" / str(len(location)),
                              trusted_root=update_repo.trusted_root, current_version="2.0")
        found = client.check()
        assert found is not None and found.version == "2.1"
        assert client.download(found).read_bytes() == build.read_bytes()
    # the share's copy altered: refused like over HTTP
    stored = next((update_repo.targets_dir / "stable").glob("*.DeclarantDesk-2.1-setup.exe"))
    stored.write_bytes(stored.read_bytes()[:-10] + b"0123456789")
    client = UpdateClient(update_repo.dir.as_uri(), "stable", tmp_path / "share-state" / "tampered",
                          trusted_root=update_repo.trusted_root, current_version="2.0")
    with pytest.raises(UpdateError) as info:
        client.download(client.check())
    assert info.value.kind == "tampered"


def test_file_share_locations_and_policy(tmp_path, monkeypatch):
    assert str(PureWindowsPath(str(share_path("file://fileserver/updates/dd")))) == r"\\fileserver\updates\dd"
    assert share_path(r"\\fileserver\updates\dd").as_posix().endswith("fileserver/updates/dd") or \
        str(share_path(r"\\fileserver\updates\dd")) == r"\\fileserver\updates\dd"
    assert share_path("file:///srv/dd%20updates") == Path("/srv/dd updates")
    for location in (r"\\fileserver\updates\dd", "file://fileserver/updates/dd", r"D:\dd-updates", "/srv/dd"):
        assert policy.is_file_share(location), location
    assert not policy.is_file_share("https://feedback.example/updates/")
    path = tmp_path / "policy.toml"
    path.write_text('[updates]\nurl = "\\\\\\\\fileserver\\\\updates\\\\dd"\n')
    monkeypatch.setenv(policy.POLICY_FILE_ENV, str(path))
    read = policy.read_policy()
    assert read.url == r"\\fileserver\updates\dd" and not read.problems
