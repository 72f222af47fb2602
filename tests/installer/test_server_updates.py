"""End to end: the feedback server serves the update repository under /updates/."""
from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.updates.client import UpdateClient, UpdateError
from installer.release import Repository

from ..conftest import require_tool

try:
    from server import embedded
except ImportError as exc:  # the server extra is missing: a skip on a developer machine, a failure in CI
    embedded = None
    _missing = f"the server extra ({exc.name})"
else:
    _missing = ""


@pytest.fixture(autouse=True)
def _server_extra():
    require_tool(embedded is not None, _missing)


def test_server_hosts_rings_and_promotion(tmp_path, fake_installer):
    repo = Repository(tmp_path / "updates", tmp_path / "keys")
    repo.init()
    root = (repo.metadata_dir / "1.root.json").read_bytes()
    build = fake_installer("rc.exe")
    repo.publish("pilot", build, "2.1rc1")
    with embedded.start_server(f"sqlite:///{tmp_path / 'server.db'}", updates_dir=repo.dir) as srv:
        url = srv.url + "/updates/"
        stable = UpdateClient(url, "stable", tmp_path / "s", trusted_root=root, current_version="2.0")
        pilot = UpdateClient(url, "pilot", tmp_path / "p", trusted_root=root, current_version="2.0")
        assert stable.check() is None
        release = pilot.check()
        assert release is not None and release.version == "2.1rc1"
        assert pilot.download(release).read_bytes() == build.read_bytes()
        # promotion through the CLI, as customs IT does it
        proc = subprocess.run([sys.executable, "-m", "installer.release", "promote", "--repo", str(repo.dir),
                               "--keys", str(repo.keys_dir), "2.1rc1"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        found = stable.check()
        assert found is not None and (found.version, found.ring) == ("2.1rc1", "stable")
        assert stable.download(found).read_bytes() == build.read_bytes()
        # a file replaced on the server is refused
        stored = next((repo.targets_dir / "stable").glob("*.DeclarantDesk-2.1rc1-setup.exe"))
        stored.write_bytes(b"MZ" + b"evil" * (len(build.read_bytes()) // 4))
        fresh = UpdateClient(url, "stable", tmp_path / "s2", trusted_root=root, current_version="2.0")
        with pytest.raises(UpdateError) as info:
            fresh.download(fresh.check())
        assert info.value.kind == "tampered"
