"""Credentials live only in a secure OS store; insecure backends are refused, never a file."""
from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError

from desktop import credentials

TAX = "0200123457"


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_round_trip_in_secure_store(memory_keyring):
    result = credentials.save_password(TAX, "pw-1")
    assert result.stored and bool(result)
    assert memory_keyring.get_password("DeclarantDesk", TAX) == "pw-1"
    assert credentials.get_password(TAX) == "pw-1"
    assert credentials.delete_password(TAX) is True
    assert credentials.get_password(TAX) is None
    assert credentials.delete_password(TAX) is False


def test_tax_code_is_normalised_as_user_name(memory_keyring):
    credentials.save_password(" 0200123457 ", "pw")
    assert memory_keyring.get_password("DeclarantDesk", TAX) == "pw"


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_insecure_backends_are_refused(use_backend, backend, isolated_user_dirs):
    use_backend(backend)
    status = credentials.backend_status()
    assert not status.secure and "not be remembered" in status.reason
    result = credentials.save_password(TAX, "never-on-disk")
    assert not result.stored and result.reason == status.reason
    assert credentials.get_password(TAX) is None
    # nothing was written anywhere under the user's directories
    for f in isolated_user_dirs.rglob("*"):
        if f.is_file():
            assert b"never-on-disk" not in f.read_bytes()


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt.file.PlaintextKeyring (same module and class name)."""
    priority = 1

    def __init__(self):
        super().__init__()
        self.saved = {}

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_plaintext_backend_is_refused(use_backend):
    backend = PlaintextKeyring()
    use_backend(backend)
    assert not credentials.save_password(TAX, "pw").stored
    assert backend.saved == {}


def test_chainer_without_secure_backend_is_refused(use_backend, monkeypatch):
    ch = chainer.ChainerBackend()
    monkeypatch.setattr(type(ch), "backends", property(lambda self: [fail.Keyring(), PlaintextKeyring()]))
    use_backend(ch)
    assert not credentials.backend_status().secure
    assert not credentials.save_password(TAX, "pw").stored


def test_chainer_with_a_secure_backend_is_accepted(use_backend, monkeypatch, memory_keyring):
    ch = chainer.ChainerBackend()
    monkeypatch.setattr(type(ch), "backends", property(lambda self: [memory_keyring]))
    use_backend(ch)
    assert credentials.backend_status().secure


class Refusing(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        raise KeyringError("locked")

    def set_password(self, service, username, password):
        raise KeyringError("user cancelled the unlock prompt")

    def delete_password(self, service, username):
        raise KeyringError("locked")


def test_store_errors_become_a_clear_refusal(use_backend):
    use_backend(Refusing())
    result = credentials.save_password(TAX, "pw")
    assert not result.stored and "will not be remembered" in result.reason
    assert credentials.get_password(TAX) is None
    assert credentials.delete_password(TAX) is False


def test_empty_password_is_not_stored(memory_keyring):
    assert not credentials.save_password(TAX, "").stored
    assert memory_keyring.get_password("DeclarantDesk", TAX) is None
