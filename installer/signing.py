"""Authenticode signing of the installer with ``osslsigncode`` (optional).

Either a PKCS#12 file (``--sign-pkcs12``) or a certificate chain and key in PEM
(``--sign-cert`` / ``--sign-key``). The password comes from the environment variable
``DECLARANT_DESK_SIGN_PASSWORD`` (never from the command line, never logged). A timestamp
server (``--timestamp-url``) keeps signatures valid after the certificate expires.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PASSWORD_ENV = "DECLARANT_DESK_SIGN_PASSWORD"


@dataclass
class SigningConfig:
    pkcs12: Path | None = None
    cert: Path | None = None
    key: Path | None = None
    timestamp_url: str | None = None
    description: str = "Declarant Desk"

    @property
    def configured(self) -> bool:
        return self.pkcs12 is not None or (self.cert is not None and self.key is not None)


def _tool() -> str:
    tool = shutil.which("osslsigncode")
    if tool is None:
        raise FileNotFoundError("osslsigncode is not installed (Debian package osslsigncode)")
    return tool


def sign(path: Path, config: SigningConfig) -> Path:
    """Sign ``path`` in place (through a temporary file)."""
    if not config.configured:
        raise ValueError("no signing key configured")
    signed = path.with_name(path.name + ".signed")
    args = [_tool(), "sign", "-h", "sha256", "-n", config.description]
    if config.pkcs12 is not None:
        args += ["-pkcs12", str(config.pkcs12)]
    else:
        args += ["-certs", str(config.cert), "-key", str(config.key)]
    password = os.environ.get(PASSWORD_ENV)
    if password:
        args += ["-readpass", "/dev/stdin"]
    if config.timestamp_url:
        args += ["-ts", config.timestamp_url]
    args += ["-in", str(path), "-out", str(signed)]
    proc = subprocess.run(args, input=(password or ""), capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        signed.unlink(missing_ok=True)
        raise RuntimeError(f"osslsigncode sign failed: {proc.stderr.strip() or proc.stdout.strip()}")
    os.replace(signed, path)
    return path


def shell_command(config: SigningConfig, target: str = "%1") -> str:
    """A POSIX shell command that signs ``target`` in place (for NSIS ``!uninstfinalize``).

    The password is piped from the environment variable by the shell that runs the
    command; it never appears on a command line or in a file.
    """
    def dq(arg: str) -> str:  # double-quoted for sh, without single quotes (NSIS wraps the command in them)
        return '"' + "".join("\\" + ch if ch in '"\\$`' else ch for ch in arg) + '"'

    if not config.configured:
        raise ValueError("no signing key configured")
    args = [_tool(), "sign", "-h", "sha256", "-n", config.description]
    if config.pkcs12 is not None:
        args += ["-pkcs12", str(Path(config.pkcs12).resolve())]
    else:
        args += ["-certs", str(Path(config.cert).resolve()), "-key", str(Path(config.key).resolve())]
    if config.timestamp_url:
        args += ["-ts", config.timestamp_url]
    quoted = " ".join(dq(a) for a in args)
    signed = f'"{target}.signed"'
    command = f'{quoted} -in "{target}" -out {signed} && mv -f {signed} "{target}"'
    if os.environ.get(PASSWORD_ENV):
        command = f'printf %s "${PASSWORD_ENV}" | {quoted} -readpass /dev/stdin -in "{target}" -out {signed} ' \
                  f'&& mv -f {signed} "{target}"'
    return command


def verify(path: Path, ca_file: Path | None = None) -> str:
    args = [_tool(), "verify", "-ignore-crl", "-in", str(path)]
    if ca_file is not None:
        args += ["-CAfile", str(ca_file)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"signature of {path.name} does not verify:\n{output[-2000:]}")
    return output
