"""The update client: signed metadata through The Update Framework (python-tuf ngclient).

Repository design (see docs/INSTALLER.md): the top-level ``targets`` role delegates
``stable/*`` to the role **stable** and ``pilot/*`` to the role **pilot**, each with its own
key. Each ring publishes ``<ring>/index.json`` (the list of releases) and the installers
``<ring>/DeclarantDesk-<version>-setup.exe``. Both the index and the installer are TUF
targets: their length and sha256 are signed, so a tampered, truncated, replayed or expired
file is refused. A stable workstation only ever asks for ``stable/*`` targets and cannot see
a pilot release; a pilot workstation reads both rings and takes the newest.

This module has no Qt; :mod:`desktop.updates.integration` runs it in a worker thread.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from desktop.updates import rollout, versions
from desktop.updates.policy import PILOT, RINGS, STABLE, is_file_share

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

INDEX_NAME = "index.json"
MAX_INDEX_BYTES = 1_000_000
FILE_SHARE_BASE_URL = "file-share://repository/"  # the URL prefix TUF sees for a repository on a file share


class UpdateError(Exception):
    """An update problem with a message fit for the user (the working version stays)."""

    def __init__(self, message: str, *, kind: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind  # "offline", "expired", "signature", "tampered", "invalid", "error"


@dataclass(frozen=True)
class Release:
    version: str
    ring: str
    target: str          # TUF target path, e.g. "pilot/DeclarantDesk-2.1rc1-setup.exe"
    length: int
    sha256: str
    published: str = ""
    notes: str = ""
    percent: float = 100.0   # share of the stable ring offered the release (gradual rollout)
    paused: str = ""         # why IT (or the health check) paused its rollout
    downgrade: bool = False  # going back from a withdrawn version to this one

    @property
    def parsed(self) -> versions.Version:
        return versions.parse(self.version)


def rings_visible_to(ring: str) -> tuple[str, ...]:
    """A pilot workstation also receives stable releases; a stable one never sees pilot."""
    return (STABLE, PILOT) if ring == PILOT else (STABLE,)


def share_path(location: str) -> Path:
    """The local or UNC folder of a file-share repository location."""
    from urllib.parse import unquote, urlsplit

    text = location.strip()
    if text.lower().startswith("file:"):
        parts = urlsplit(text)
        path = unquote(parts.path)
        if parts.netloc and parts.netloc.lower() != "localhost":
            path = f"//{parts.netloc}{path}"          # file://server/share/dd -> \\server\share\dd
        elif re.match(r"^/[A-Za-z]:", path):
            path = path[1:]                          # file:///D:/dd -> D:/dd
        text = path
    if os.name == "nt":
        text = text.replace("/", "\\")
    return Path(text)


def translate_error(exc: BaseException) -> UpdateError:
    """Map TUF and network failures to one clear message each."""
    from tuf.api import exceptions as tx  # imported when an update check fails, not at start-up

    if isinstance(exc, UpdateError):
        return exc
    if isinstance(exc, tx.ExpiredMetadataError):
        return UpdateError(translate("UpdateClient", "The signed update information has expired ({detail}). Customs IT must re-sign the update repository; no update was installed.").format(detail=exc),
                           kind="expired")
    if isinstance(exc, (tx.LengthOrHashMismatchError, tx.DownloadLengthMismatchError)):
        return UpdateError(translate("UpdateClient", "A downloaded update file does not match its signed length or hash and was discarded ({detail}). The installed version is unchanged.").format(detail=exc),
                           kind="tampered")
    if isinstance(exc, (tx.UnsignedMetadataError, tx.BadVersionNumberError)):
        return UpdateError(translate("UpdateClient", "The update information failed its signature check ({detail}); it was refused. The installed version is unchanged.").format(detail=exc),
                           kind="signature")
    if isinstance(exc, tx.RepositoryError):
        return UpdateError(translate("UpdateClient", "The update repository sent invalid information ({detail}); it was refused.").format(detail=exc), kind="signature")
    if isinstance(exc, tx.DownloadError):
        return UpdateError(translate("UpdateClient", "The update server cannot be reached ({detail}). The program will try again later.").format(detail=exc), kind="offline")
    if isinstance(exc, OSError):
        return UpdateError(translate("UpdateClient", "The update could not be stored on this computer ({detail}).").format(detail=exc),
                           kind="error")
    return UpdateError(translate("UpdateClient", "Checking for updates failed: {detail}").format(detail=exc), kind="error")


class UpdateClient:
    """Check one ring of a TUF update repository and download verified installers.

    ``repo_url`` is the repository root (its ``metadata/`` and ``targets/`` folders);
    ``state_dir`` keeps the trusted metadata and downloads (under platformdirs, never in
    the install folder); ``trusted_root`` is the root metadata shipped with the program,
    used on first run only (afterwards the cached, possibly rotated, root is used).
    """

    def __init__(self, repo_url: str, ring: str, state_dir: Path, *, trusted_root: bytes | None,
                 current_version: str, fetcher=None, install_id: str | None = None) -> None:
        if ring not in RINGS:
            raise ValueError(f"unknown ring {ring!r}")
        self._share: Path | None = None  # a file-share repository's folder (its fetcher is made on first use)
        if is_file_share(repo_url):
            if fetcher is None:
                self._share = share_path(repo_url)
            repo_url = FILE_SHARE_BASE_URL
        self.repo_url = repo_url.rstrip("/") + "/"
        self.install_id = install_id
        self.withdrawn: dict[str, str] = {}   # withdrawn version -> the version to go back to
        self.ring = ring
        self.state_dir = Path(state_dir)
        self.metadata_dir = self.state_dir / "metadata"
        self.download_dir = self.state_dir / "downloads"
        self.trusted_root = trusted_root
        self.current_version = current_version
        self._fetcher = fetcher
        self._updater = None

    # -- TUF plumbing -------------------------------------------------------------------
    def _new_updater(self):
        from tuf.ngclient import Updater, UpdaterConfig

        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        cached = self.metadata_dir / "root.json"
        bootstrap = None
        if not cached.exists():
            if self.trusted_root is None:
                raise UpdateError(translate("UpdateClient", "No trusted update root is installed; updates are off."), kind="invalid")
            bootstrap = self.trusted_root
        config = UpdaterConfig(app_user_agent="DeclarantDesk-updater")
        return Updater(
            metadata_dir=str(self.metadata_dir),
            metadata_base_url=self.repo_url + "metadata/",
            target_base_url=self.repo_url + "targets/",
            target_dir=str(self.download_dir),
            fetcher=self._make_fetcher(),
            config=config,
            bootstrap=bootstrap,
        )

    def _make_fetcher(self):
        """The fetcher given, else one for the file share or HTTP (the update library is
        imported here, on the checking thread, not when the client is made)."""
        if self._fetcher is not None:
            return self._fetcher
        from desktop.updates.fetchers import FileShareFetcher, HttpFetcher

        return FileShareFetcher(self._share) if self._share is not None else HttpFetcher()

    def _refresh(self):
        self._updater = self._new_updater()
        self._updater.refresh()
        return self._updater

    def _read_index(self, updater, ring: str) -> list[Release]:
        info = updater.get_targetinfo(f"{ring}/{INDEX_NAME}")
        if info is None:
            return []
        if info.length > MAX_INDEX_BYTES:
            raise UpdateError(translate("UpdateClient", "The {ring} release list is too large; it was refused.").format(ring=ring),
                              kind="invalid")
        path = self.state_dir / "indexes" / f"{ring}-{INDEX_NAME}"
        path.parent.mkdir(parents=True, exist_ok=True)
        updater.download_target(info, filepath=str(path))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["releases"]
            if not isinstance(entries, list):
                raise TypeError("releases is not a list")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise UpdateError(translate("UpdateClient", "The {ring} release list is not valid ({detail}).").format(ring=ring, detail=exc),
                              kind="invalid") from exc
        for item in data.get("withdrawn", []) if isinstance(data.get("withdrawn", []), list) else []:
            try:
                gone = str(versions.parse(item["version"]))
                back = str(versions.parse(item["rollback_to"])) if item.get("rollback_to") else ""
            except (KeyError, TypeError, ValueError):
                continue
            self.withdrawn[gone] = back
        releases = []
        for entry in entries:
            try:
                target = str(entry["target"])
                if not target.startswith(f"{ring}/"):
                    raise ValueError(f"target {target!r} is outside the {ring} ring")
                version = str(versions.parse(entry["version"]))
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("ignoring an invalid %s release entry: %s", ring, exc)
                continue
            targetinfo = updater.get_targetinfo(target)
            if targetinfo is None:  # listed but not signed: ignore it
                log.warning("release %s is listed in %s but is not a signed target", target, ring)
                continue
            releases.append(Release(version=version, ring=ring, target=target, length=targetinfo.length,
                                    sha256=targetinfo.hashes.get("sha256", ""),
                                    published=str(entry.get("published", "")),
                                    notes=str(entry.get("notes", ""))[:2000],
                                    percent=_percent(entry.get("percent", 100)),
                                    paused=str(entry.get("paused") or "")[:500]))
        return releases

    # -- public API ------------------------------------------------------------------------
    def releases(self) -> list[Release]:
        """All releases visible to this workstation's ring, oldest first (raises UpdateError)."""
        try:
            updater = self._refresh()
            self.withdrawn = {}
            found: list[Release] = []
            for ring in rings_visible_to(self.ring):
                found.extend(self._read_index(updater, ring))
        except Exception as exc:
            raise translate_error(exc) from exc
        return sorted(found, key=lambda r: (r.parsed, r.ring == STABLE))

    def offered(self, release: Release) -> bool:
        """Whether this workstation is offered ``release`` (pilot: always; stable: by rollout)."""
        if release.version in self.withdrawn:
            return False
        if release.ring == PILOT or release.percent >= 100:
            return True
        if release.paused:
            return False  # a paused rollout reaches no further workstation
        return rollout.selected(self.install_id, release.version, release.percent)

    def check(self) -> Release | None:
        """What to install: the newest offered release newer than the running version; else,
        when IT withdrew the running version, the signed release to go back to
        (``downgrade=True``: a downgrade only ever happens from a withdrawn version); or ``None``."""
        try:
            current = versions.parse(self.current_version)
        except versions.InvalidVersion:
            current = versions.parse("0")
        found = self.releases()
        newer = [r for r in found if r.parsed > current and self.offered(r)]
        if newer:  # a fix published after a withdrawal: forward, not back
            return newer[-1]
        back = self.withdrawn.get(str(current))
        if back:
            target = [r for r in found if r.version == back]
            if target:
                return replace(target[-1], downgrade=True)
            log.warning("version %s is withdrawn but %s is not offered to this ring", current, back)
        return None

    def download(self, release: Release) -> Path:
        """Download ``release`` and verify it against the signed metadata (raises UpdateError).

        The file is written to a temporary name and renamed only once verified; a previous
        verified download of the same file is reused.
        """
        try:
            updater = self._refresh()  # fresh, signed metadata right before downloading
            info = updater.get_targetinfo(release.target)
            if info is None:
                raise UpdateError(translate("UpdateClient", "Release {version} is no longer offered by the update repository.")
                                  .format(version=release.version), kind="invalid")
            self.download_dir.mkdir(parents=True, exist_ok=True)
            final = self.download_dir / Path(release.target).name
            cached = updater.find_cached_target(info, str(final))
            if cached:
                return Path(cached)
            partial = final.with_name(final.name + ".part")
            try:
                updater.download_target(info, filepath=str(partial))
                os.replace(partial, final)
            finally:
                if partial.exists():
                    partial.unlink()
            return final
        except Exception as exc:
            raise translate_error(exc) from exc

    def clean_downloads(self, keep: Path | None = None) -> None:
        """Remove old downloaded installers (never anything outside the download folder)."""
        if not self.download_dir.is_dir():
            return
        for item in self.download_dir.iterdir():
            if keep is not None and item.resolve() == Path(keep).resolve():
                continue
            if item.is_file():
                item.unlink(missing_ok=True)
            elif item.is_dir():
                shutil.rmtree(item, ignore_errors=True)


def _percent(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 100.0
    return 100.0 if number != number else min(100.0, max(0.0, number))


def utc_now_text() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
