"""Signed-in state: the token lives in memory only; the password comes from the keyring.

``Session`` is Qt-free and thread-safe. The network calls (``sign_in``,
``reauthenticate``) are made by the sync worker thread, never by the UI thread.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Protocol

from desktop.core.apitypes import AuthRequired, LoginResult

if TYPE_CHECKING:  # the client (and requests) is imported by the first sign-in, not at start-up
    from desktop.core.api import ApiClient

log = logging.getLogger(__name__)

KEYRING_SERVICE = "DeclarantDesk"


class PasswordSource(Protocol):
    def get_password(self, username: str) -> str | None: ...
    def set_password(self, username: str, password: str) -> bool: ...
    def delete_password(self, username: str) -> None: ...


class KeyringPasswords:
    """Passwords in the OS credential store (service ``DeclarantDesk``, the user name as
    account). Used when the host does not provide its own credentials object."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def get_password(self, username: str) -> str | None:
        import keyring

        try:
            return keyring.get_password(self.service, username)
        except Exception:
            log.warning("the credential store could not be read", exc_info=False)
            return None

    def set_password(self, username: str, password: str) -> bool:
        import keyring

        try:
            keyring.set_password(self.service, username, password)
            return True
        except Exception:
            log.warning("the credential store refused to keep the password", exc_info=False)
            return False

    def delete_password(self, username: str) -> None:
        import keyring

        try:
            keyring.delete_password(self.service, username)
        except Exception:
            pass


@dataclass(frozen=True)
class Identity:
    username: str
    role: str
    tax_code: str | None
    display_name: str
    expires_at: str


def _default_api(url: str) -> "ApiClient":
    from desktop.core.api import ApiClient

    return ApiClient(url)


class Session:
    def __init__(self, base_url: str, *, passwords: PasswordSource | None = None,
                 username: str | None = None,
                 api_factory: Callable[[str], ApiClient] | None = None) -> None:
        self.base_url = base_url
        self.passwords = passwords or KeyringPasswords()
        self.username = username
        self._api_factory = api_factory or _default_api
        self._lock = threading.Lock()
        self._token: str | None = None
        self.identity: Identity | None = None
        self.listeners: list[Callable[[bool], None]] = []

    # the token never leaves memory
    def token(self) -> str | None:
        with self._lock:
            return self._token

    @property
    def signed_in(self) -> bool:
        return self.token() is not None

    def _set(self, username: str, result: LoginResult | None) -> None:
        with self._lock:
            was = self._token is not None
            self._token = result.token if result else None
            self.identity = None if result is None else Identity(
                username, result.role, result.tax_code, result.display_name, result.expires_at)
            self.username = username
            now = self._token is not None
        if was != now:
            for cb in list(self.listeners):
                try:
                    cb(now)
                except Exception:
                    log.exception("a sign-in listener failed")

    def sign_in(self, username: str, password: str, *, remember: bool = False,
                api: ApiClient | None = None) -> Identity:
        """Log in (network: call from a worker). Raises AuthRequired on wrong credentials."""
        own = api is None
        api = api or self._api_factory(self.base_url)
        try:
            result = api.login(username, password)
        finally:
            if own:
                api.close()
        self._set(username, result)
        if remember:
            self.passwords.set_password(username, password)
        log.info("signed in as %s", username)
        assert self.identity is not None
        return self.identity

    def reauthenticate(self, api: ApiClient | None = None) -> bool:
        """Sign in again with the remembered password. False when there is none or it is
        refused (the user must be asked); network errors propagate to the caller."""
        with self._lock:
            self._token = None
        username = self.username
        if not username:
            return False
        password = self.passwords.get_password(username)
        if not password:
            return False
        try:
            self.sign_in(username, password, api=api)
        except AuthRequired:
            log.info("the remembered password of %s was refused", username)
            self._set(username, None)
            return False
        return True

    def invalidate(self) -> None:
        if self.username:
            self._set(self.username, None)
        else:
            with self._lock:
                self._token = None

    def sign_out(self, *, forget: bool = False, api: ApiClient | None = None) -> None:
        token = self.token()
        if token and api is not None:
            try:
                api.logout()
            except Exception:
                pass  # the token dies with the session anyway
        if forget and self.username:
            self.passwords.delete_password(self.username)
        self.invalidate()
