"""Publish builds to the signed update repository and promote them between rings.

The repository is a static folder (served by ``python -m server serve --updates-dir DIR``
under ``/updates/``, or by any web server) holding The Update Framework metadata::

    DIR/metadata/1.root.json, timestamp.json, N.snapshot.json, N.targets.json,
                 N.stable.json, N.pilot.json         (versioned: consistent snapshots)
    DIR/targets/<ring>/<sha256>.index.json           (the ring's release list)
    DIR/targets/<ring>/<sha256>.DeclarantDesk-<version>-setup.exe

Roles and keys (one ed25519 key each, ``KEYS/<role>.pem``, never committed): ``root``,
``targets`` (delegates ``stable/*`` → role ``stable`` and ``pilot/*`` → role ``pilot``),
``stable``, ``pilot``, ``snapshot``, ``timestamp``. Publishing to pilot needs the pilot,
snapshot and timestamp keys; promoting needs the stable key too, so the stable key can be
kept by whoever signs off a pilot.

Usage::

    python -m installer.release init    --repo DIR --keys KEYS
    python -m installer.release publish --repo DIR --keys KEYS --ring pilot FILE --version 2.1rc1
    python -m installer.release promote --repo DIR --keys KEYS 2.1rc1
    python -m installer.release list    --repo DIR
    python -m installer.release refresh --repo DIR --keys KEYS   (re-sign before expiry)
    python -m installer.release withdraw --repo DIR --keys KEYS --ring pilot 2.1rc1
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import (
    DelegatedRole, Delegations, Key, MetaFile, Metadata, Role, Root, Snapshot, TargetFile, Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from desktop.updates import versions
from desktop.updates.client import INDEX_NAME
from desktop.updates.policy import PILOT, RINGS, STABLE
from installer.embed import sha256_file

TOP_ROLES = ("root", "targets", "snapshot", "timestamp")
ALL_ROLES = TOP_ROLES + RINGS
DEFAULT_EXPIRY_DAYS = {"root": 365, "targets": 365, STABLE: 120, PILOT: 120, "snapshot": 30, "timestamp": 7}
INSTALLER_NAME = "DeclarantDesk-{version}-setup.exe"
DEFAULT_STEPS = (5.0, 25.0, 50.0, 100.0)
DEFAULT_MARGIN = 0.02       # crash rate: crashes per workstation report (about one a day)
DEFAULT_MIN_REPORTS = 20


def _check_percent(value: float) -> float:
    try:
        percent = float(value)
    except (TypeError, ValueError):
        raise ReleaseError(f"not a percentage: {value!r}") from None
    if not 0 < percent <= 100:
        raise ReleaseError(f"the percentage must be above 0 and at most 100 (got {value})")
    return percent


class ReleaseError(Exception):
    """A publishing problem with a clear message (nothing was changed)."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class Repository:
    """The update repository on disk plus the keys given on the command line."""

    def __init__(self, repo_dir: Path, keys_dir: Path | None = None,
                 expiry_days: dict[str, float] | None = None) -> None:
        self.dir = Path(repo_dir)
        self.metadata_dir = self.dir / "metadata"
        self.targets_dir = self.dir / "targets"
        self.keys_dir = Path(keys_dir) if keys_dir else None
        self.expiry_days = {**DEFAULT_EXPIRY_DAYS, **(expiry_days or {})}
        self._signers: dict[str, CryptoSigner] = {}
        self._serializer = JSONSerializer(compact=False)

    # -- keys -------------------------------------------------------------------------------
    def key_path(self, role: str) -> Path:
        if self.keys_dir is None:
            raise ReleaseError("this command needs --keys DIR (the folder with the signing keys)")
        return self.keys_dir / f"{role}.pem"

    def signer(self, role: str) -> CryptoSigner:
        if role not in self._signers:
            path = self.key_path(role)
            try:
                pem = path.read_bytes()
            except FileNotFoundError:
                raise ReleaseError(f"the {role} signing key {path} is missing") from None
            from cryptography.hazmat.primitives.serialization import load_pem_private_key

            passphrase = os.environ.get("DECLARANT_DESK_KEY_PASSPHRASE")
            try:
                private = load_pem_private_key(pem, password=passphrase.encode() if passphrase else None)
            except (ValueError, TypeError) as exc:
                raise ReleaseError(f"the {role} signing key {path} cannot be read: {exc}") from None
            self._signers[role] = CryptoSigner(private)
        return self._signers[role]

    def _create_key(self, role: str) -> CryptoSigner:
        path = self.key_path(role)
        if path.exists():
            return self.signer(role)
        signer = CryptoSigner.generate_ed25519()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(signer.private_bytes)
        self._signers[role] = signer
        return signer

    # -- metadata I/O -----------------------------------------------------------------------
    def _expiry(self, role: str) -> datetime:
        return _utc_now() + timedelta(days=self.expiry_days[role])

    def load(self, role: str) -> Metadata:
        path = self.metadata_dir / f"{role}.json"
        if not path.exists():
            raise ReleaseError(f"{self.dir} is not an update repository (no {role}.json); run init first")
        return Metadata.from_file(str(path))

    def _write(self, role: str, md: Metadata, signer_role: str | None = None) -> None:
        md.signatures.clear()
        md.sign(self.signer(signer_role or role), append=True)
        data = md.to_bytes(self._serializer)
        if role != "timestamp":
            _atomic_write(self.metadata_dir / f"{md.signed.version}.{role}.json", data)
        _atomic_write(self.metadata_dir / f"{role}.json", data)

    @contextlib.contextmanager
    def _locked(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        lock = self.dir / ".publish.lock"
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise ReleaseError(f"another publication is running ({lock} exists; remove it if it is stale)") from None
        try:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            yield
        finally:
            lock.unlink(missing_ok=True)

    # -- commands ---------------------------------------------------------------------------
    def init(self) -> Path:
        """Create keys (when missing) and the first metadata; returns the trusted root file."""
        if (self.metadata_dir / "root.json").exists():
            raise ReleaseError(f"{self.dir} is already an update repository")
        signers = {role: self._create_key(role) for role in ALL_ROLES}
        with self._locked():
            root = Root(expires=self._expiry("root"), consistent_snapshot=True)
            for role in TOP_ROLES:
                root.add_key(signers[role].public_key, role)
            targets = Targets(expires=self._expiry("targets"))
            targets.delegations = Delegations(keys={}, roles={})
            for ring in (STABLE, PILOT):
                key = signers[ring].public_key
                targets.delegations.keys[key.keyid] = key
                targets.delegations.roles[ring] = DelegatedRole(
                    name=ring, keyids=[key.keyid], threshold=1, terminating=True, paths=[f"{ring}/*"])
            self._write("root", Metadata(root))
            self._write("targets", Metadata(targets))
            for ring in (STABLE, PILOT):
                ring_md = Metadata(Targets(expires=self._expiry(ring)))
                self._write_index(ring_md, ring, [])
                self._write(ring, ring_md)
            self._snapshot_and_timestamp()
        return self.metadata_dir / "1.root.json"

    def _snapshot_and_timestamp(self) -> None:
        path = self.metadata_dir / "snapshot.json"
        if path.exists():
            snapshot_md = Metadata.from_file(str(path))
            snapshot_md.signed.version += 1
        else:
            snapshot_md = Metadata(Snapshot())
        snapshot = snapshot_md.signed
        for role in ("targets", STABLE, PILOT):
            snapshot.meta[f"{role}.json"] = MetaFile(version=self.load(role).signed.version)
        snapshot.expires = self._expiry("snapshot")
        self._write("snapshot", snapshot_md)
        path = self.metadata_dir / "timestamp.json"
        if path.exists():
            timestamp_md = Metadata.from_file(str(path))
            timestamp_md.signed.version += 1
        else:
            timestamp_md = Metadata(Timestamp())
        timestamp_md.signed.snapshot_meta = MetaFile(version=snapshot.version)
        timestamp_md.signed.expires = self._expiry("timestamp")
        self._write("timestamp", timestamp_md)

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
        _atomic_write(self.targets_dir / ring / f"{digest}.{INDEX_NAME}", body)
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

    def _update_ring(self, ring: str, change, withdrawn_change=None) -> None:
        """Apply ``change(ring_md, releases) -> releases`` (and ``withdrawn_change(withdrawn) ->
        withdrawn``) and publish the new ring state."""
        ring_md = self.load(ring)
        index = self.index(ring)
        releases = change(ring_md, index["releases"])
        withdrawn = withdrawn_change(index["withdrawn"]) if withdrawn_change else index["withdrawn"]
        self._write_index(ring_md, ring, releases, withdrawn)
        ring_md.signed.version += 1
        ring_md.signed.expires = self._expiry(ring)
        self._write(ring, ring_md)
        self._snapshot_and_timestamp()

    def _check_not_withdrawn(self, ring: str, version: versions.Version) -> None:
        if any(versions.parse(w["version"]) == version for w in self.index(ring)["withdrawn"]):
            raise ReleaseError(f"{version} was withdrawn from {ring}; publish the fix under a new version number")

    def publish(self, ring: str, installer: Path, version: str, notes: str = "", percent: float = 100) -> dict:
        if ring not in RINGS:
            raise ReleaseError(f"unknown ring {ring!r} (stable or pilot)")
        try:
            parsed = versions.parse(version)
        except versions.InvalidVersion as exc:
            raise ReleaseError(str(exc)) from None
        installer = Path(installer)
        if not installer.is_file():
            raise ReleaseError(f"{installer} is not a file")
        if ring == STABLE and parsed.is_prerelease:
            raise ReleaseError(f"{version} is a release candidate: publish it to pilot and promote it "
                               f"after the pilot (promote {version})")
        for role in (ring, "snapshot", "timestamp"):
            self.signer(role)  # fail before changing anything when a key is missing
        self._check_not_withdrawn(ring, parsed)
        name = INSTALLER_NAME.format(version=parsed)
        entry = {"version": str(parsed), "target": f"{ring}/{name}", "published": _utc_now().isoformat(),
                 "notes": notes}
        if ring == STABLE:
            entry["percent"] = _check_percent(percent)

        def change(ring_md: Metadata, releases: list[dict]) -> list[dict]:
            if any(versions.parse(r["version"]) == parsed for r in releases):
                raise ReleaseError(f"{parsed} is already published in {ring}")
            info = self._store_target(ring, name, installer)
            ring_md.signed.targets[info.path] = info
            return releases + [entry]

        with self._locked():
            self._update_ring(ring, change)
        return entry

    def promote(self, version: str, source_ring: str = PILOT, target_ring: str = STABLE, percent: float = 100) -> dict:
        """Offer the exact file tested in ``source_ring`` to ``target_ring`` under the same version.

        The version stays what the build reports about itself (a ``2.1rc1`` build says
        ``2.1rc1`` in Help → About); renaming it would make installed clients see an update
        that never ends.
        """
        try:
            wanted = versions.parse(version)
        except versions.InvalidVersion as exc:
            raise ReleaseError(str(exc)) from None
        final = wanted
        for role in (target_ring, "snapshot", "timestamp"):
            self.signer(role)
        source = next((r for r in self.releases(source_ring) if versions.parse(r["version"]) == wanted), None)
        if source is None:
            raise ReleaseError(f"{wanted} is not published in {source_ring}")
        info = self.load(source_ring).signed.targets[source["target"]]
        stored = self.targets_dir / source_ring / f"{info.hashes['sha256']}.{Path(source['target']).name}"
        if not stored.is_file() or sha256_file(stored) != info.hashes["sha256"]:
            raise ReleaseError(f"the stored file for {wanted} ({stored}) is missing or altered; nothing promoted")
        name = INSTALLER_NAME.format(version=final)
        self._check_not_withdrawn(target_ring, final)
        entry = {"version": str(final), "target": f"{target_ring}/{name}", "published": _utc_now().isoformat(),
                 "notes": source.get("notes", ""), "promoted_from": f"{source_ring} {wanted}"}
        if target_ring == STABLE:
            entry["percent"] = _check_percent(percent)

        def change(ring_md: Metadata, releases: list[dict]) -> list[dict]:
            if any(versions.parse(r["version"]) == final for r in releases):
                raise ReleaseError(f"{final} is already in {target_ring}")
            new_info = self._store_target(target_ring, name, stored)
            ring_md.signed.targets[new_info.path] = new_info
            return releases + [entry]

        with self._locked():
            self._update_ring(target_ring, change)
        return entry

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
        for role in (ring, "snapshot", "timestamp"):
            self.signer(role)
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
            return withdrawn + [{"version": str(wanted), "rollback_to": back, "withdrawn": _utc_now().isoformat(),
                                 "reason": reason}]

        with self._locked():
            self._update_ring(ring, change, withdrawn_change)
        return back

    # -- gradual rollout ------------------------------------------------------------------------
    def _change_stable_entry(self, version: str, edit) -> dict:
        wanted = versions.parse(version)
        for role in (STABLE, "snapshot", "timestamp"):
            self.signer(role)
        found: dict = {}

        def change(ring_md: Metadata, releases: list[dict]) -> list[dict]:
            for entry in releases:
                if versions.parse(entry["version"]) == wanted:
                    edit(entry)
                    found.update(entry)
                    return releases
            raise ReleaseError(f"{wanted} is not published in stable")

        with self._locked():
            self._update_ring(STABLE, change)
        return found

    def set_percent(self, version: str, percent: float) -> dict:
        """Offer a stable release to ``percent`` % of the stable ring (the set of workstations
        only grows: a lower percentage is refused; withdraw instead)."""
        percent = _check_percent(percent)

        def edit(entry: dict) -> None:
            if entry.get("paused"):
                raise ReleaseError(f"the rollout of {entry['version']} is paused ({entry['paused']}); "
                                   "resume or withdraw it first")
            if percent < float(entry.get("percent", 100)):
                raise ReleaseError(f"{entry['version']} already reaches {entry.get('percent', 100)} %; a rollout "
                                   "does not shrink (withdraw the version to take it back)")
            entry["percent"] = percent

        return self._change_stable_entry(version, edit)

    def pause(self, version: str, reason: str) -> dict:
        def edit(entry: dict) -> None:
            entry["paused"] = reason or "paused by customs IT"
            entry["paused_at"] = _utc_now().isoformat()

        return self._change_stable_entry(version, edit)

    def resume(self, version: str) -> dict:
        def edit(entry: dict) -> None:
            if not entry.get("paused"):
                raise ReleaseError(f"the rollout of {entry['version']} is not paused")
            entry.pop("paused", None)
            entry.pop("paused_at", None)

        return self._change_stable_entry(version, edit)

    def advance(self, health: list[dict], steps: tuple[float, ...] = DEFAULT_STEPS,
                margin: float = DEFAULT_MARGIN, min_reports: int = DEFAULT_MIN_REPORTS) -> list[str]:
        """One step of every stable rollout below 100 %, after a health check.

        ``health`` is the inventory's per-version figures (``GET /api/v1/inventory/versions``):
        a rollout whose crash rate exceeds the previous version's by more than ``margin``
        is paused with the reason instead of widened. Returns what was done, one line each."""
        from desktop.updates.rollout import health_verdict

        done = []
        releases = sorted(self.releases(STABLE), key=lambda r: versions.parse(r["version"]))
        for i, entry in enumerate(releases):
            percent = float(entry.get("percent", 100))
            if percent >= 100 or entry.get("paused"):
                continue
            previous = next((r["version"] for r in reversed(releases[:i]) if float(r.get("percent", 100)) >= 100),
                            None)
            verdict = health_verdict(health, entry["version"], previous, margin=margin, min_reports=min_reports)
            if verdict["pause"]:
                self.pause(entry["version"], verdict["reason"])
                done.append(f"{entry['version']}: paused at {percent:g} %: {verdict['reason']}")
                continue
            following = next((s for s in steps if s > percent), 100.0)
            self.set_percent(entry["version"], following)
            done.append(f"{entry['version']}: {percent:g} % -> {following:g} % ({verdict['reason']})")
        return done

    # -- key rotation ---------------------------------------------------------------------------
    def rotate_key(self, role: str) -> Path:
        """Replace ``role``'s signing key; clients that trust the old root keep updating.

        root: the new root (version + 1) is signed by the old and the new root key, so a client
        holding the old root accepts it. targets, snapshot, timestamp: the new root names the new
        key. pilot, stable: the targets role delegates to the new key. The old key file is kept
        as ``<role>.pem.retired-<time>`` (destroy it once every workstation has updated)."""
        if role not in ALL_ROLES:
            raise ReleaseError(f"unknown role {role!r} ({', '.join(ALL_ROLES)})")
        for needed in {role, "root" if role in TOP_ROLES else "targets", "snapshot", "timestamp"}:
            self.signer(needed)
        old = self.signer(role)
        new = CryptoSigner.generate_ed25519()
        pending = self.key_path(role).with_name(f"{role}.pem.new")
        fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # saved before any metadata names it
        with os.fdopen(fd, "wb") as handle:
            handle.write(new.private_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        with self._locked():
            if role in TOP_ROLES:
                root_md = self.load("root")
                root = root_md.signed
                root.revoke_key(old.public_key.keyid, role)
                root.add_key(new.public_key, role)
                root.version += 1
                root.expires = self._expiry("root")
                root_md.signatures.clear()
                self._signers[role] = new
                root_md.sign(self.signer("root"), append=True)
                if role == "root":
                    root_md.sign(old, append=True)  # the old root vouches for the new one
                data = root_md.to_bytes(self._serializer)
                _atomic_write(self.metadata_dir / f"{root.version}.root.json", data)
                _atomic_write(self.metadata_dir / "root.json", data)
                if role == "targets":
                    self._resign("targets")
            else:
                targets_md = self.load("targets")
                delegations = targets_md.signed.delegations
                delegations.keys.pop(old.public_key.keyid, None)
                delegations.keys[new.public_key.keyid] = new.public_key
                delegations.roles[role].keyids = [new.public_key.keyid]
                targets_md.signed.version += 1
                targets_md.signed.expires = self._expiry("targets")
                self._write("targets", targets_md)
                self._signers[role] = new
                self._resign(role)
            self._snapshot_and_timestamp()
            return self._replace_key_file(role, pending)

    def _resign(self, role: str) -> None:
        md = self.load(role)
        md.signed.version += 1
        md.signed.expires = self._expiry(role)
        self._write(role, md)

    def _replace_key_file(self, role: str, pending: Path) -> Path:
        path = self.key_path(role)
        stamp = _utc_now().strftime('%Y%m%dT%H%M%S')
        retired = path.with_name(f"{path.name}.retired-{stamp}")
        n = 1
        while retired.exists():
            n += 1
            retired = path.with_name(f"{path.name}.retired-{stamp}-{n}")
        os.replace(path, retired)
        os.replace(pending, path)
        return retired

    def refresh(self, within_days: float = 14) -> list[str]:
        """Re-sign timestamp and snapshot, and any role expiring within ``within_days``."""
        renewed = []
        with self._locked():
            horizon = _utc_now() + timedelta(days=within_days)
            for role in ("root", "targets", STABLE, PILOT):
                md = self.load(role)
                if md.signed.expires <= horizon:
                    md.signed.version += 1
                    md.signed.expires = self._expiry(role)
                    if role == "root":
                        md.signatures.clear()
                    self._write(role, md)
                    renewed.append(role)
            self._snapshot_and_timestamp()
        return renewed + ["snapshot", "timestamp"]

    def summary(self) -> dict:
        out = {"repository": str(self.dir), "metadata": {}, "rings": {}}
        for role in ALL_ROLES:
            md = self.load(role)
            out["metadata"][role] = {"version": md.signed.version, "expires": md.signed.expires.isoformat()}
        out["withdrawn"] = {}
        for ring in RINGS:
            index = self.index(ring)
            out["rings"][ring] = index["releases"]
            out["withdrawn"][ring] = index["withdrawn"]
        return out


def load_health(source: str) -> list[dict]:
    """Per-version figures from a JSON file or the inventory API (``{"versions": [...]}`` or a list)."""
    if source.startswith(("https://", "http://")):
        import requests

        token = os.environ.get("DECLARANT_DESK_ADMIN_TOKEN", "")
        try:
            response = requests.get(source, headers={"Authorization": f"Bearer {token}"} if token else {},
                                    timeout=(10, 60))
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ReleaseError(f"the inventory cannot be read from {source}: {exc}") from None
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReleaseError(f"{source} cannot be read: {exc}") from None
    items = data.get("versions", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ReleaseError(f"{source} holds no per-version figures")
    return [item for item in items if isinstance(item, dict)]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m installer.release", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, keys=True):
        p.add_argument("--repo", required=True, type=Path, help="the update repository folder")
        if keys:
            p.add_argument("--keys", required=True, type=Path,
                           help="folder with the signing keys <role>.pem (keep it off the server; "
                                "DECLARANT_DESK_KEY_PASSPHRASE unlocks encrypted keys)")

    common(sub.add_parser("init", help="create the keys (if missing) and an empty repository"))
    p = sub.add_parser("publish", help="publish an installer to a ring")
    common(p)
    p.add_argument("--ring", required=True, choices=RINGS)
    p.add_argument("--version", required=True, help="e.g. 2.1rc1 (pilot) or 2.1 (stable)")
    p.add_argument("--notes", default="", help="short release notes shown to the user")
    p.add_argument("installer", type=Path, help="the signed setup .exe from build_installer.py")
    p.add_argument("--percent", type=float, default=100,
                   help="stable only: offer it to this share of the stable ring first (default 100)")
    p = sub.add_parser("promote", help="promote a pilot release to stable")
    common(p)
    p.add_argument("version", help="the pilot version, e.g. 2.1rc1")
    p.add_argument("--percent", type=float, default=100,
                   help="offer it to this share of the stable ring first (gradual rollout; default 100)")
    p = sub.add_parser("withdraw", help="stop offering a release; workstations running it go back to the "
                                        "last good release")
    common(p)
    p.add_argument("--ring", required=True, choices=RINGS)
    p.add_argument("--reason", default="", help="why (kept in the signed release list)")
    p.add_argument("version")
    p = sub.add_parser("rollout", help="widen a stable release to a larger share of the stable ring")
    common(p)
    p.add_argument("version")
    p.add_argument("--percent", type=float, required=True)
    p = sub.add_parser("pause", help="stop widening a stable rollout (no further workstation receives it)")
    common(p)
    p.add_argument("version")
    p.add_argument("--reason", default="paused by customs IT")
    p = sub.add_parser("resume", help="resume a paused stable rollout")
    common(p)
    p.add_argument("version")
    p = sub.add_parser("advance", help="scheduled step: widen each healthy stable rollout, pause one whose "
                                       "crash rate rose (run daily)")
    common(p)
    p.add_argument("--health", required=True,
                   help="the inventory's per-version figures: a JSON file, or the server's "
                        "https://…/api/v1/inventory/versions (bearer token in $DECLARANT_DESK_ADMIN_TOKEN)")
    p.add_argument("--steps", default=",".join(f"{s:g}" for s in DEFAULT_STEPS),
                   help="rollout steps in percent (default %(default)s)")
    p.add_argument("--margin", type=float, default=DEFAULT_MARGIN,
                   help="pause when the crash rate (crashes per report) exceeds the previous version's by more "
                        "than this (default %(default)s)")
    p.add_argument("--min-reports", type=int, default=DEFAULT_MIN_REPORTS,
                   help="reports needed on the new version before judging it (default %(default)s)")
    p = sub.add_parser("rotate-key", help="replace one role's signing key (clients keep updating)")
    common(p)
    p.add_argument("role", choices=ALL_ROLES)
    p = sub.add_parser("refresh", help="re-sign timestamp/snapshot and roles near expiry (run weekly)")
    common(p)
    p.add_argument("--within-days", type=float, default=14)
    common(sub.add_parser("list", help="show the releases of each ring and metadata expiry"), keys=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    repo = Repository(args.repo, getattr(args, "keys", None))
    try:
        if args.command == "init":
            root = repo.init()
            print(f"update repository created in {args.repo}")
            print(f"trusted root for the installer: {root}  (build_installer.py --update-root {root})")
        elif args.command == "publish":
            entry = repo.publish(args.ring, args.installer, args.version, args.notes, percent=args.percent)
            print(f"published {entry['version']} to {args.ring} as {entry['target']}")
        elif args.command == "promote":
            entry = repo.promote(args.version, percent=args.percent)
            print(f"promoted {args.version} to stable as {entry['version']} ({entry['target']}, "
                  f"{entry['percent']:g} % of the stable ring)")
        elif args.command == "withdraw":
            back = repo.withdraw(args.ring, args.version, args.reason)
            print(f"withdrew {args.version} from {args.ring}; workstations running it go back to "
                  f"{back or '(no earlier release: they keep it until a new release)'}")
        elif args.command == "rollout":
            entry = repo.set_percent(args.version, args.percent)
            print(f"{entry['version']} is offered to {entry['percent']:g} % of the stable ring")
        elif args.command == "pause":
            repo.pause(args.version, args.reason)
            print(f"the rollout of {args.version} is paused: {args.reason}")
        elif args.command == "resume":
            repo.resume(args.version)
            print(f"the rollout of {args.version} resumes")
        elif args.command == "advance":
            steps = tuple(sorted(float(x) for x in args.steps.split(",") if x.strip()))
            done = repo.advance(load_health(args.health), steps, args.margin, args.min_reports)
            print("\n".join(done) if done else "no stable rollout below 100 %")
        elif args.command == "rotate-key":
            retired = repo.rotate_key(args.role)
            print(f"the {args.role} key was replaced; the old key is kept as {retired} "
                  "(destroy it once every workstation has updated)")
        elif args.command == "refresh":
            print("re-signed: " + ", ".join(repo.refresh(args.within_days)))
        elif args.command == "list":
            summary = repo.summary()
            for ring, releases in summary["rings"].items():
                print(f"{ring}:")
                for r in releases or [{"version": "(none)", "target": "", "published": ""}]:
                    extra = f"  promoted from {r['promoted_from']}" if r.get("promoted_from") else ""
                    if ring == STABLE and r.get("target"):
                        extra += f"  {float(r.get('percent', 100)):g} %"
                    if r.get("paused"):
                        extra += f"  PAUSED: {r['paused']}"
                    print(f"  {r['version']:<12} {r['published']:<26} {r['target']}{extra}")
                for w in summary["withdrawn"][ring]:
                    print(f"  {w['version']:<12} withdrawn {w.get('withdrawn', '')}; back to "
                          f"{w.get('rollback_to') or '(none)'}  {w.get('reason', '')}")
            print("metadata expiry:")
            for role, info in summary["metadata"].items():
                print(f"  {role:<10} v{info['version']:<5} expires {info['expires']}")
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
