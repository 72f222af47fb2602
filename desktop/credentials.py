"""Passwords in the OS credential store (Windows Credential Manager) through keyring.

Service name ``DeclarantDesk``, the enterprise's tax code as the user name. When only an
insecure or failing backend exists (keyring's ``fail``/``null`` backends, the plaintext
files of ``keyrings.alt``, a chainer without any secure backend) nothing is stored and the
caller gets the reason, so the UI can say "your password will not be remembered on this
computer". There is never a plaintext fallback.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from domain.validation import InvalidTaxCode, normalize_tax_code

SERVICE = "DeclarantDesk"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackendStatus:
    secure: bool
    name: str
    reason: str = ""


@dataclass(frozen=True)
class StoreResult:
    stored: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.stored


translate = QCoreApplication.translate


_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _is_secure(backend) -> bool:
    cls = type(backend)
    module = cls.__module__ or ""
    if any(module == m or module.startswith(m + ".") for m in _INSECURE_MODULES):
        return False
    if "plaintext" in cls.__name__.lower():
        return False
    if module.startswith("keyring.backends.chainer"):
        return any(_is_secure(b) for b in getattr(backend, "backends", ()))
    try:
        if float(getattr(cls, "priority", 1)) <= 0:
            return False
    except Exception:
        pass
    return True


def backend_status() -> BackendStatus:
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # keyring missing or misconfigured
        return BackendStatus(False, "none", translate("Credentials", "No credential store is available on this computer (%1).")
                             .replace("%1", type(exc).__name__))
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if not _is_secure(backend):
        return BackendStatus(False, name, translate("Credentials", 
            "This computer has no secure credential store: your password will not be "
            "remembered on this computer and you will be asked for it each time."))
    return BackendStatus(True, name)


def _user(tax_code: str) -> str:
    try:
        return normalize_tax_code(tax_code)
    except InvalidTaxCode:
        # staff accounts use plain logins; keep them as typed (trimmed)
        return tax_code.strip()


def save_password(tax_code: str, password: str) -> StoreResult:
    """Remember ``password`` for ``tax_code`` in the OS store, or say why not."""
    if not password:
        return StoreResult(False, translate("Credentials", "The password is empty."))
    status = backend_status()
    if not status.secure:
        log.warning("the secret was not stored (insecure credential backend %s)", status.name)
        return StoreResult(False, status.reason)
    import keyring

    try:
        keyring.set_password(SERVICE, _user(tax_code), password)
    except Exception as exc:
        log.warning("the credential store refused the password: %s", type(exc).__name__)
        return StoreResult(False, translate("Credentials", "The credential store refused to save the password: your "
                                      "password will not be remembered on this computer."))
    return StoreResult(True)


def get_password(tax_code: str) -> str | None:
    if not backend_status().secure:
        return None
    import keyring

    try:
        return keyring.get_password(SERVICE, _user(tax_code))
    except Exception as exc:
        log.warning("could not read from the credential store: %s", type(exc).__name__)
        return None


def delete_password(tax_code: str) -> bool:
    """Forget the password; True when one was removed."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        keyring.delete_password(SERVICE, _user(tax_code))
        return True
    except PasswordDeleteError:
        return False
    except Exception as exc:
        log.warning("could not delete from the credential store: %s", type(exc).__name__)
        return False
