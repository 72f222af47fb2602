"""Each ring's signed release list and the installers it offers.

:class:`RingReleases` creates the repository, publishes an installer to a ring, promotes
the exact file tested in pilot to stable and withdraws a release (workstations running it
go back to the last good one). Every change rewrites the ring's release list
(``targets/<ring>/<sha256>.index.json``: ``{"ring", "releases", "withdrawn"}``), stores the
installers under their hash (``targets/<ring>/<sha256>.DeclarantDesk-<version>-setup.exe``)
and re-signs the ring, the snapshot and the timestamp.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Callable

from tuf.api.metadata import Metadata, TargetFile, Targets

from desktop.updates import versions
from desktop.updates.client import INDEX_NAME
from desktop.updates.policy import PILOT, RINGS, STABLE
from installer.embed import sha256_file
from installer.tuf_metadata import ALL_ROLES, ReleaseError, SignedMetadata, atomic_write, utc_now

INSTALLER_NAME = "DeclarantDesk-{version}-setup.exe"

RingChange = Callable[[Metadata, list[dict]], list[dict]]


def check_percent(value: float) -> float:
    """A share of a ring, above 0 and at most 100."""
    try:
        percent = float(value)
    except (TypeError, ValueError):
        raise ReleaseError(f"not a percentage: {value!r}") from None
    if not 0 < percent <= 100:
        raise ReleaseError(f"the percentage must be above 0 and at most 100 (got {value})")
    return percent


def _parse_version(version: str) -> versions.Version:
    try:
        return versions.parse(version)
    except versions.InvalidVersion as exc:
        raise ReleaseError(str(exc)) from None


class RingReleases(SignedMetadata):
    """The rings' release lists on top of the signed metadata."""

    def init(self) -> Path:
        """Create keys (when missing) and the first metadata; returns the trusted root file."""
        if (self.metadata_dir / "root.json").exists():
            raise ReleaseError(f"{self.dir} is already an update repository")
        signers = {role: self._create_key(role) for role in ALL_ROLES}
        with self._locked():
            self._write_root_and_targets(signers)
            for ring in (STABLE, PILOT):
                ring_md = Metadata(Targets(expires=self._expiry(ring)))
                self._write_index(ring_md, ring, [])
                self._write(ring, ring_md)
            self._snapshot_and_timestamp()
        return self.metadata_dir / "1.root.json"

    # -- the release lists ------------------------------------------------------------------
    def index(self, ring: str) -> dict:
        """The ring's signed release list: ``{"releases": [...], "withdrawn": [...]}``."""
        md = self.load(ring)
        index_path = f"{ring}/{INDEX_NAME}"
        info = md.signed.targets.get(index_path)
        if info is None:
            return {"releases": [], "withdrawn": []}
        data = json.loads((self.targets_dir / ring / f"{info.hashes['sha256']}.{INDEX_NAME}").read_text("utf-8"))
        return {"releases": list(data.get("releases", [])), "withdrawn": list(data.get("withdrawn", []))}

    def releases(self, ring: str) -> list[dict]:
        return self.index(ring)["releases"]

    def _write_index(self, ring_md: Metadata, ring: str, releases: list[dict],
                     withdrawn: list[dict] | None = None) -> None:
        releases = sorted(releases, key=lambda r: versions.parse(r["version"]))
        body = json.dumps({"ring": ring, "releases": releases, "withdrawn": withdrawn or []}, indent=2,
                          ensure_ascii=False).encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()
        atomic_write(self.targets_dir / ring / f"{digest}.{INDEX_NAME}", body)
        ring_md.signed.targets[f"{ring}/{INDEX_NAME}"] = TargetFile.from_data(f"{ring}/{INDEX_NAME}", body)

    def _store_target(self, ring: str, name: str, source: Path) -> TargetFile:
        target_path = f"{ring}/{name}"
        digest = sha256_file(source)
        destination = self.targets_dir / ring / f"{digest}.{name}"
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            tmp = destination.with_name(destination.name + ".part")
            shutil.copyfile(source, tmp)
            os.replace(tmp, destination)
        info = TargetFile.from_file(target_path, str(destination))
        if info.hashes["sha256"] != digest:
            raise ReleaseError(f"{source} changed while it was being published; nothing was published")
        return info

    def _update_ring(self, ring: str, change: RingChange,
                     withdrawn_change: Callable[[list[dict]], list[dict]] | None = None) -> None:
        """Apply ``change(ring_md, releases) -> releases`` (and ``withdrawn_change(withdrawn) ->
        withdrawn``) and publish the new ring state."""
        ring_md = self.load(ring)
        index = self.index(ring)
        releases = change(ring_md, index["releases"])
        withdrawn = withdrawn_change(index["withdrawn"]) if withdrawn_change else index["withdrawn"]
        self._write_index(ring_md, ring, releases, withdrawn)
        self._renew(ring_md, ring)
        self._write(ring, ring_md)
        self._snapshot_and_timestamp()

    def _check_not_withdrawn(self, ring: str, version: versions.Version) -> None:
        if any(versions.parse(w["version"]) == version for w in self.index(ring)["withdrawn"]):
            raise ReleaseError(f"{version} was withdrawn from {ring}; publish the fix under a new version number")

    # -- publishing -------------------------------------------------------------------------
    def publish(self, ring: str, installer: Path, version: str, notes: str = "", percent: float = 100) -> dict:
        if ring not in RINGS:
            raise ReleaseError(f"unknown ring {ring!r} (stable or pilot)")
        parsed = _parse_version(version)
        installer = Path(installer)
        if not installer.is_file():
            raise ReleaseError(f"{installer} is not a file")
        if ring == STABLE and parsed.is_prerelease:
            raise ReleaseError(f"{version} is a release candidate: publish it to pilot and promote it "
                               f"after the pilot (promote {version})")
        self._need_keys(ring)
        self._check_not_withdrawn(ring, parsed)
        entry = {"version": str(parsed), "target": f"{ring}/{INSTALLER_NAME.format(version=parsed)}",
                 "published": utc_now().isoformat(), "notes": notes}
        return self._add_release(ring, parsed, entry, installer, percent, f"{parsed} is already published in {ring}")

    def promote(self, version: str, source_ring: str = PILOT, target_ring: str = STABLE, percent: float = 100) -> dict:
        """Offer the exact file tested in ``source_ring`` to ``target_ring`` under the same version.

        The version stays what the build reports about itself (a ``2.1rc1`` build says
        ``2.1rc1`` in Help → About); renaming it would make installed clients see an update
        that never ends.
        """
        wanted = _parse_version(version)
        self._need_keys(target_ring)
        source = next((r for r in self.releases(source_ring) if versions.parse(r["version"]) == wanted), None)
        if source is None:
            raise ReleaseError(f"{wanted} is not published in {source_ring}")
        info = self.load(source_ring).signed.targets[source["target"]]
        stored = self.targets_dir / source_ring / f"{info.hashes['sha256']}.{Path(source['target']).name}"
        if not stored.is_file() or sha256_file(stored) != info.hashes["sha256"]:
            raise ReleaseError(f"the stored file for {wanted} ({stored}) is missing or altered; nothing promoted")
        self._check_not_withdrawn(target_ring, wanted)
        entry = {"version": str(wanted), "target": f"{target_ring}/{INSTALLER_NAME.format(version=wanted)}",
                 "published": utc_now().isoformat(), "notes": source.get("notes", ""),
                 "promoted_from": f"{source_ring} {wanted}"}
        return self._add_release(target_ring, wanted, entry, stored, percent, f"{wanted} is already in {target_ring}")

    def _add_release(self, ring: str, version: versions.Version, entry: dict, installer: Path, percent: float,
                     already: str) -> dict:
        """Store ``installer`` as ``entry["target"]`` and add ``entry`` (``version``) to the ring's
        list (in stable, offered to ``percent`` % of the ring); ``already``: the refusal when
        the version is listed there."""
        if ring == STABLE:
            entry["percent"] = check_percent(percent)
        name = Path(entry["target"]).name

        def change(ring_md: Metadata, releases: list[dict]) -> list[dict]:
            if any(versions.parse(r["version"]) == version for r in releases):
                raise ReleaseError(already)
            info = self._store_target(ring, name, installer)
            ring_md.signed.targets[info.path] = info
            return releases + [entry]

        with self._locked():
            self._update_ring(ring, change)
        return entry

    # -- withdrawing ------------------------------------------------------------------------
    def rollback_target(self, ring: str, version: versions.Version) -> str:
        """The version workstations go back to when ``version`` is withdrawn from ``ring``: the
        newest older release fully rolled out (a pilot workstation also sees stable)."""
        rings = (ring, STABLE) if ring == PILOT else (ring,)
        candidates = []
        for name in rings:
            index = self.index(name)
            gone = {versions.parse(w["version"]) for w in index["withdrawn"]}
            for r in index["releases"]:
                v = versions.parse(r["version"])
                if v < version and v not in gone and float(r.get("percent", 100)) >= 100 and not r.get("paused"):
                    candidates.append(v)
        return str(max(candidates)) if candidates else ""

    def withdraw(self, ring: str, version: str, reason: str = "") -> str:
        """Stop offering ``version``; workstations running it go back to the last good release
        (a signed, explicit downgrade). Returns that release's version ("" when there is none)."""
        wanted = versions.parse(version)
        self._need_keys(ring)
        back = self.rollback_target(ring, wanted)

        def change(ring_md: Metadata, releases: list[dict]) -> list[dict]:
            keep = [r for r in releases if versions.parse(r["version"]) != wanted]
            if len(keep) == len(releases):
                raise ReleaseError(f"{wanted} is not published in {ring}")
            for gone in releases:
                if gone not in keep:
                    ring_md.signed.targets.pop(gone["target"], None)
            return keep

        def withdrawn_change(withdrawn: list[dict]) -> list[dict]:
            return withdrawn + [{"version": str(wanted), "rollback_to": back, "withdrawn": utc_now().isoformat(),
                                 "reason": reason}]

        with self._locked():
            self._update_ring(ring, change, withdrawn_change)
        return back
