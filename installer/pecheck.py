"""Check that every DLL/PYD of a Windows layout finds the DLLs it imports.

Trimming Qt must never remove a library that a kept module links against; this reads the
PE import tables (no Windows needed) and reports imports that are neither in the layout
nor part of Windows itself.
"""
from __future__ import annotations

import struct
from pathlib import Path

# provided by Windows (or the Universal CRT that ships with it)
SYSTEM_PREFIXES = ("api-ms-win-", "ext-ms-")
SYSTEM_DLLS = {
    "kernel32.dll", "user32.dll", "gdi32.dll", "advapi32.dll", "shell32.dll", "ole32.dll", "oleaut32.dll",
    "ws2_32.dll", "crypt32.dll", "secur32.dll", "winmm.dll", "imm32.dll", "shlwapi.dll", "comdlg32.dll",
    "comctl32.dll", "uxtheme.dll", "dwmapi.dll", "version.dll", "netapi32.dll", "userenv.dll", "winspool.drv",
    "dwrite.dll", "d2d1.dll", "d3d11.dll", "d3d12.dll", "dxgi.dll", "d3d9.dll", "dcomp.dll", "opengl32.dll",
    "mpr.dll", "iphlpapi.dll", "dnsapi.dll", "wtsapi32.dll", "setupapi.dll", "shcore.dll", "bcrypt.dll",
    "ncrypt.dll", "rpcrt4.dll", "authz.dll", "wintrust.dll", "cfgmgr32.dll", "powrprof.dll", "hid.dll",
    "msvcrt.dll", "ntdll.dll", "psapi.dll", "dbghelp.dll", "usp10.dll", "msimg32.dll", "propsys.dll",
    "ucrtbase.dll", "normaliz.dll", "winhttp.dll", "wininet.dll", "credui.dll", "cabinet.dll", "msi.dll",
    "rpcrt4.dll", "combase.dll", "runtimeobject.dll", "d3dcompiler_47.dll", "wevtapi.dll", "dwmapi.dll",
    "windowscodecs.dll", "mf.dll", "mfplat.dll", "mfreadwrite.dll", "evr.dll", "winusb.dll", "bthprops.cpl",
    "oleacc.dll", "urlmon.dll", "wlanapi.dll", "ntdsapi.dll", "fwpuclnt.dll", "wldap32.dll", "dhcpcsvc.dll",
    "sspicli.dll", "nsi.dll", "kernelbase.dll", "wsock32.dll", "mswsock.dll", "icu.dll", "d3d10_1.dll",
    "icuuc.dll", "icuin.dll", "bcryptprimitives.dll", "mscms.dll", "uiautomationcore.dll",
}


def _rva_to_offset(sections: list[tuple[int, int, int, int]], rva: int) -> int | None:
    for virtual_address, virtual_size, raw_pointer, raw_size in sections:
        if virtual_address <= rva < virtual_address + max(virtual_size, raw_size):
            return rva - virtual_address + raw_pointer
    return None


def imports(path: Path) -> list[str]:
    data = path.read_bytes()
    if data[:2] != b"MZ":
        raise ValueError(f"{path} is not a PE file")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise ValueError(f"{path} is not a PE file")
    sections_count = struct.unpack_from("<H", data, pe + 6)[0]
    optional_size = struct.unpack_from("<H", data, pe + 20)[0]
    optional = pe + 24
    magic = struct.unpack_from("<H", data, optional)[0]
    directories = optional + (112 if magic == 0x20B else 96)
    import_rva, _import_size = struct.unpack_from("<II", data, directories + 8)
    sections = []
    table = optional + optional_size
    for i in range(sections_count):
        vsize, vaddr, rsize, rptr = struct.unpack_from("<IIII", data, table + i * 40 + 8)
        sections.append((vaddr, vsize, rptr, rsize))
    names: list[str] = []
    offset = _rva_to_offset(sections, import_rva) if import_rva else None
    while offset is not None and offset + 20 <= len(data):
        entry = struct.unpack_from("<IIIII", data, offset)
        if not any(entry):
            break
        name_offset = _rva_to_offset(sections, entry[3])
        if name_offset is not None:
            end = data.index(b"\0", name_offset)
            names.append(data[name_offset:end].decode("ascii", "replace"))
        offset += 20
    return names


def missing_imports(root: Path) -> dict[str, list[str]]:
    """``{binary: [missing DLL, …]}`` for every .dll/.pyd under ``root``."""
    binaries = [p for p in root.rglob("*") if p.suffix.lower() in (".dll", ".pyd") and p.is_file()]
    present = {p.name.lower() for p in binaries}
    problems: dict[str, list[str]] = {}
    for binary in binaries:
        try:
            wanted = imports(binary)
        except (ValueError, struct.error):
            continue
        missing = [name for name in wanted
                   if name.lower() not in present and name.lower() not in SYSTEM_DLLS
                   and not name.lower().startswith(SYSTEM_PREFIXES)]
        if missing:
            problems[str(binary.relative_to(root))] = missing
    return problems
