"""The update repository's signed TUF metadata and the keys that sign it.

:class:`SignedMetadata` is what every release command stands on: the signing keys
(``KEYS/<role>.pem``, one ed25519 key a role), reading and writing the versioned metadata
files (``metadata/N.<role>.json``: consistent snapshots), the publication lock, the new
snapshot and timestamp that follow every change, re-signing before expiry and replacing a
role's key without stranding the workstations that trust the old one.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import DelegatedRole, Delegations, MetaFile, Metadata, Root, Snapshot, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

from desktop.updates.policy import PILOT, RINGS, STABLE

TOP_ROLES = ("root", "targets", "snapshot", "timestamp")
ALL_ROLES = TOP_ROLES + RINGS
DEFAULT_EXPIRY_DAYS = {"root": 365, "targets": 365, STABLE: 120, PILOT: 120, "snapshot": 30, "timestamp": 7}


class ReleaseError(Exception):
    """A publishing problem with a clear message (nothing was changed)."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one."""
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


class SignedMetadata:
    """The repository folder's metadata and the keys given on the command line."""

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

    def _need_keys(self, ring: str) -> None:
        """Fail before changing anything when a key a ring change signs with is missing."""
        for role in (ring, "snapshot", "timestamp"):
            self.signer(role)

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
        return utc_now() + timedelta(days=self.expiry_days[role])

    def _renew(self, md: Metadata, role: str) -> None:
        """The next version of ``role``'s metadata, with a fresh expiry."""
        md.signed.version += 1
        md.signed.expires = self._expiry(role)

    def load(self, role: str) -> Metadata:
        path = self.metadata_dir / f"{role}.json"
        if not path.exists():
            raise ReleaseError(f"{self.dir} is not an update repository (no {role}.json); run init first")
        return Metadata.from_file(str(path))

    def _write(self, role: str, md: Metadata) -> None:
        md.signatures.clear()  # signed anew by the role's key (a renewed root too)
        md.sign(self.signer(role), append=True)
        data = md.to_bytes(self._serializer)
        if role != "timestamp":
            atomic_write(self.metadata_dir / f"{md.signed.version}.{role}.json", data)
        atomic_write(self.metadata_dir / f"{role}.json", data)

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

    def _write_root_and_targets(self, signers: dict[str, CryptoSigner]) -> None:
        """The first root (naming the top roles' keys) and targets (delegating ``<ring>/*``
        to each ring's key)."""
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

    def _next_version(self, role: str, first: Callable[[], Snapshot | Timestamp]) -> Metadata:
        """The stored ``role`` metadata as its next version, or ``first()`` when there is none."""
        path = self.metadata_dir / f"{role}.json"
        if not path.exists():
            return Metadata(first())
        md = Metadata.from_file(str(path))
        md.signed.version += 1
        return md

    def _snapshot_and_timestamp(self) -> None:
        snapshot_md = self._next_version("snapshot", Snapshot)
        snapshot = snapshot_md.signed
        for role in ("targets", STABLE, PILOT):
            snapshot.meta[f"{role}.json"] = MetaFile(version=self.load(role).signed.version)
        snapshot.expires = self._expiry("snapshot")
        self._write("snapshot", snapshot_md)
        timestamp_md = self._next_version("timestamp", Timestamp)
        timestamp_md.signed.snapshot_meta = MetaFile(version=snapshot.version)
        timestamp_md.signed.expires = self._expiry("timestamp")
        self._write("timestamp", timestamp_md)

    # -- upkeep -----------------------------------------------------------------------------
    def refresh(self, within_days: float = 14) -> list[str]:
        """Re-sign timestamp and snapshot, and any role expiring within ``within_days``."""
        renewed = []
        with self._locked():
            horizon = utc_now() + timedelta(days=within_days)
            for role in ("root", "targets", STABLE, PILOT):
                md = self.load(role)
                if md.signed.expires <= horizon:
                    self._renew(md, role)
                    self._write(role, md)
                    renewed.append(role)
            self._snapshot_and_timestamp()
        return renewed + ["snapshot", "timestamp"]

    def metadata_expiry(self) -> dict[str, dict]:
        """Each role's metadata version and expiry (ISO 8601)."""
        out = {}
        for role in ALL_ROLES:
            md = self.load(role)
            out[role] = {"version": md.signed.version, "expires": md.signed.expires.isoformat()}
        return out

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
                self._rotate_in_root(role, old, new)
            else:
                self._rotate_delegation(role, old, new)
            self._snapshot_and_timestamp()
            return self._replace_key_file(role, pending)

    def _rotate_in_root(self, role: str, old: CryptoSigner, new: CryptoSigner) -> None:
        """A new root naming ``new`` for a top role (the old root key vouches for a new root key)."""
        root_md = self.load("root")
        root = root_md.signed
        root.revoke_key(old.public_key.keyid, role)
        root.add_key(new.public_key, role)
        self._renew(root_md, "root")
        root_md.signatures.clear()
        self._signers[role] = new
        root_md.sign(self.signer("root"), append=True)
        if role == "root":
            root_md.sign(old, append=True)  # the old root vouches for the new one
        data = root_md.to_bytes(self._serializer)
        atomic_write(self.metadata_dir / f"{root.version}.root.json", data)
        atomic_write(self.metadata_dir / "root.json", data)
        if role == "targets":
            self._resign("targets")

    def _rotate_delegation(self, ring: str, old: CryptoSigner, new: CryptoSigner) -> None:
        """New targets metadata delegating ``ring`` to ``new``, and the ring re-signed with it."""
        targets_md = self.load("targets")
        delegations = targets_md.signed.delegations
        delegations.keys.pop(old.public_key.keyid, None)
        delegations.keys[new.public_key.keyid] = new.public_key
        delegations.roles[ring].keyids = [new.public_key.keyid]
        self._renew(targets_md, "targets")
        self._write("targets", targets_md)
        self._signers[ring] = new
        self._resign(ring)

    def _resign(self, role: str) -> None:
        md = self.load(role)
        self._renew(md, role)
        self._write(role, md)

    def _replace_key_file(self, role: str, pending: Path) -> Path:
        path = self.key_path(role)
        stamp = utc_now().strftime('%Y%m%dT%H%M%S')
        retired = path.with_name(f"{path.name}.retired-{stamp}")
        n = 1
        while retired.exists():
            n += 1
            retired = path.with_name(f"{path.name}.retired-{stamp}-{n}")
        os.replace(path, retired)
        os.replace(pending, path)
        return retired
