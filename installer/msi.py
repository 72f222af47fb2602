"""Optional per-user MSI (for IT tools that prefer MSI), built with ``wixl`` (Debian msitools).

The MSI installs the same layout as the NSIS installer into
``%LOCALAPPDATA%\\Programs\\DeclarantDesk\\app-<version>\\`` (``InstallScope="perUser"``, no
elevation), with a Start Menu shortcut, an Add/Remove Programs entry and a major upgrade
that replaces the previous version. Windows Installer rolls back a failed installation, so
the previous version stays. Silent: ``msiexec /i DeclarantDesk-<version>.msi /qn``.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import quoteattr

from desktop.updates import versions

UPGRADE_CODE = "6F1B8C1E-3D2A-4E5B-9C7D-2A4F6B8D0E13"
APP_KEY = r"Software\DeclarantDesk"


def msi_version(text: str) -> str:
    """MSI ProductVersion (major.minor.build): ``2.1rc1`` → ``2.1.201``, ``2.1`` → ``2.1.1000``."""
    version = versions.parse(text)
    major, minor, patch = (list(version.release) + [0, 0])[:3]
    build = 1000 if not version.is_prerelease else version.phase * 100 + min(version.serial, 99)
    if major > 255 or minor > 255 or patch > 31:
        raise ValueError(f"{text} cannot be expressed as an MSI version")
    return f"{major}.{minor}.{patch * 2000 + build}"


def _id(prefix: str, path: str) -> str:
    return prefix + hashlib.sha1(path.encode("utf-8")).hexdigest()[:24]


def render(version: str, payload: Path, publisher: str = "Declarant Desk") -> str:
    payload = Path(payload).resolve()
    version_dir = f"app-{version}"
    lines: list[str] = []
    components: list[str] = []

    def directory(path: Path, indent: str) -> None:
        rel = path.relative_to(payload).as_posix()
        files = sorted(p for p in path.iterdir() if p.is_file())
        if files or path == payload:
            comp = _id("c", rel or ".")
            components.append(comp)
            lines.append(f'{indent}<Component Id="{comp}" Guid="*">')
            lines.append(f'{indent}  <RegistryValue Root="HKCU" Key="{APP_KEY}\\Components" Name="{comp}" '
                         f'Type="integer" Value="1" KeyPath="yes"/>')
            lines.append(f'{indent}  <RemoveFolder Id="{_id("r", rel or ".")}" On="uninstall"/>')
            for file in files:
                frel = file.relative_to(payload).as_posix()
                lines.append(f'{indent}  <File Id="{_id("f", frel)}" Name={quoteattr(file.name)} '
                             f'Source={quoteattr(frel)}/>')
            lines.append(f"{indent}</Component>")
        for sub in sorted(p for p in path.iterdir() if p.is_dir()):
            srel = sub.relative_to(payload).as_posix()
            lines.append(f'{indent}<Directory Id="{_id("d", srel)}" Name={quoteattr(sub.name)}>')
            directory(sub, indent + "  ")
            lines.append(f"{indent}</Directory>")

    directory(payload, " " * 12)
    refs = "\n".join(f'      <ComponentRef Id="{c}"/>' for c in components)
    body = "\n".join(lines)
    pub = quoteattr(publisher)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Declarant Desk" Language="1033" Codepage="65001" Version="{msi_version(version)}"
           Manufacturer={pub} UpgradeCode="{UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perUser"
             Description="Declarant Desk {version}" Manufacturer={pub}/>
    <Media Id="1" Cabinet="app.cab" EmbedCab="yes"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of Declarant Desk is already installed."/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Property Id="ARPNOREPAIR" Value="1"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="LocalAppDataFolder">
        <Directory Id="ProgramsDir" Name="Programs">
          <Directory Id="INSTALLDIR" Name="DeclarantDesk">
            <Directory Id="VERSIONDIR" Name="{version_dir}">
{body}
            </Directory>
            <Component Id="cProgramsDir" Guid="*">
              <RegistryValue Root="HKCU" Key="{APP_KEY}" Name="InstallLocation" Type="string" Value="[INSTALLDIR]"
                             KeyPath="yes"/>
              <RegistryValue Root="HKCU" Key="{APP_KEY}" Name="CurrentVersion" Type="string" Value="{version}"/>
              <RemoveFolder Id="rInstallDir" On="uninstall"/>
            </Component>
          </Directory>
        </Directory>
      </Directory>
      <Directory Id="ProgramMenuFolder">
        <Component Id="cShortcut" Guid="*">
          <Shortcut Id="sMenu" Name="Declarant Desk" Description="Declarant Desk {version}"
                    Target="[VERSIONDIR]runtime\\pythonw.exe" Arguments="-m desktop" WorkingDirectory="VERSIONDIR"/>
          <RegistryValue Root="HKCU" Key="{APP_KEY}" Name="Shortcut" Type="integer" Value="1" KeyPath="yes"/>
        </Component>
      </Directory>
    </Directory>
    <Feature Id="Main" Level="1">
{refs}
      <ComponentRef Id="cProgramsDir"/>
      <ComponentRef Id="cShortcut"/>
    </Feature>
  </Product>
</Wix>
"""


def wixl_path() -> str | None:
    return shutil.which("wixl")


def build(version: str, payload: Path, outfile: Path, work_dir: Path, publisher: str = "Declarant Desk") -> Path:
    tool = wixl_path()
    if tool is None:
        raise FileNotFoundError("wixl is not installed (Debian package wixl)")
    work_dir.mkdir(parents=True, exist_ok=True)
    outfile.parent.mkdir(parents=True, exist_ok=True)
    source = work_dir / "declarant-desk.wxs"
    source.write_text(render(version, payload, publisher), encoding="utf-8")
    # File sources are relative to the payload (wixl resolves them from the working directory)
    proc = subprocess.run([tool, "-a", "x64", "-o", str(outfile.resolve()), str(source.resolve())],
                          capture_output=True, text=True, timeout=3600, cwd=str(Path(payload).resolve()))
    if proc.returncode != 0:
        raise RuntimeError(f"wixl failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    if not is_msi(outfile):
        raise RuntimeError(f"{outfile} is not an MSI (OLE compound) file")
    return outfile


def is_msi(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
