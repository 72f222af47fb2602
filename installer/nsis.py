"""Render ``template.nsi`` and compile it with ``makensis`` (Debian package ``nsis``)."""
from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

from desktop.updates.versions import windows_file_version

TEMPLATE = Path(__file__).resolve().parent / "template.nsi"
PUBLISHER = "Declarant Desk"
NSIS_SIGNATURE = b"\xef\xbe\xad\xdeNullsoftInst"


def _nsis_string(value: str) -> str:
    """Escape a value for a double-quoted NSIS string."""
    if any(ch in value for ch in "\r\n"):
        raise ValueError(f"line breaks are not allowed in installer settings: {value!r}")
    return value.replace("$", "$$").replace('"', '$\\"')


def render(version: str, payload: Path, outfile: Path, publisher: str = PUBLISHER,
           uninstaller_finalize: str | None = None) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {
        "VERSION": version,
        "FILEVERSION": windows_file_version(version),
        "PUBLISHER": publisher,
        "PAYLOAD": str(Path(payload).resolve()),
        "OUTFILE": str(Path(outfile).resolve()),
    }
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", _nsis_string(value))
    if "@@" in text:
        raise ValueError("the NSIS template has an unknown placeholder")
    if uninstaller_finalize:
        # makensis runs this on the uninstaller before embedding it (e.g. to sign it)
        if "'" in uninstaller_finalize or "\n" in uninstaller_finalize:
            raise ValueError("the uninstaller finalize command cannot contain ' or line breaks")
        # "= 0": makensis stops when the command fails instead of embedding an unsigned uninstaller
        # (makensis passes the text to the shell as it is: "$VAR" stays a shell variable)
        if "${" in uninstaller_finalize:
            raise ValueError("the uninstaller finalize command cannot contain ${ (an NSIS define)")
        line = "!uninstfinalize '" + uninstaller_finalize + "' = 0\n"
        text = text.replace("Unicode true\n", "Unicode true\n" + line, 1)
    return text


def makensis_path() -> str | None:
    return shutil.which("makensis")


def compile_script(script: Path, verbosity: int = 2) -> None:
    tool = makensis_path()
    if tool is None:
        raise FileNotFoundError("makensis is not installed (Debian package nsis)")
    proc = subprocess.run([tool, f"-V{verbosity}", "-INPUTCHARSET", "UTF8", str(script)], capture_output=True,
                          text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"makensis failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")


def build(version: str, payload: Path, outfile: Path, work_dir: Path, publisher: str = PUBLISHER,
          uninstaller_finalize: str | None = None) -> Path:
    work_dir.mkdir(parents=True, exist_ok=True)
    outfile.parent.mkdir(parents=True, exist_ok=True)
    script = work_dir / "declarant-desk.nsi"
    script.write_text(render(version, payload, outfile, publisher, uninstaller_finalize), encoding="utf-8")
    compile_script(script)
    if not is_nullsoft_installer(outfile):
        raise RuntimeError(f"{outfile} is not a Nullsoft installer")
    return outfile


def is_pe(data: bytes) -> bool:
    if len(data) < 64 or data[:2] != b"MZ":
        return False
    offset = struct.unpack_from("<I", data, 0x3C)[0]
    return data[offset:offset + 4] == b"PE\0\0"


def is_nullsoft_installer(path: Path) -> bool:
    """A PE executable carrying the NSIS first header (``0xDEADBEEF`` + ``NullsoftInst``)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if not is_pe(head):
            return False
        handle.seek(0)
        chunk_size = 1 << 20
        tail = b""
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                return False
            if NSIS_SIGNATURE in tail + chunk:
                return True
            tail = chunk[-len(NSIS_SIGNATURE):]
