"""The API client's errors and result types (see :mod:`desktop.core.api`), without the HTTP
library: the sync engine, the session and the cache classify failures with them, and
``requests`` is imported only by the thread that first talks to the server."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ApiError", "AuthRequired", "BadAnswer", "CatalogResult", "LoginResult", "Offline", "RequestRejected",
           "ServerBusy", "TimedOut"]


class ApiError(Exception):
    """Base class of every error of the API client."""


class Offline(ApiError):
    """The server could not be reached or did not answer in time."""


class TimedOut(Offline):
    """The server did not answer within the timeout."""


class ServerBusy(ApiError):
    def __init__(self, status: int, retry_after: float | None, message: str = "") -> None:
        super().__init__(message or f"the server is busy or in trouble (HTTP {status})")
        self.status = status
        self.retry_after = retry_after


class AuthRequired(ApiError):
    def __init__(self, status: int, code: str = "unauthorized", message: str = "") -> None:
        super().__init__(message or f"sign-in required (HTTP {status} {code})")
        self.status = status
        self.code = code


class RequestRejected(ApiError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class BadAnswer(ApiError):
    """The answer is not what the contract promises (non-JSON, truncated, wrong shape)."""


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: str
    role: str
    tax_code: str | None
    display_name: str


@dataclass(frozen=True)
class CatalogResult:
    not_modified: bool
    etag: str | None
    catalog: dict[str, Any] | None
