"""HTTP client of the desktop: one requests session per thread with the workstation's
network conventions (system proxy, OS certificate store, timeouts on every call) and a typed
wrapper around the feedback server's API (``docs/API.md``)."""
from .api import (  # noqa: F401
    ApiClient, ApiError, AuthRequired, BadAnswer, CatalogResult, LoginResult, Offline,
    RequestRejected, ServerBusy, TimedOut,
)
from .http import DEFAULT_TIMEOUT, HttpClient, make_session, system_proxies  # noqa: F401

__all__ = ["ApiClient", "ApiError", "AuthRequired", "BadAnswer", "CatalogResult", "LoginResult", "Offline",
           "RequestRejected", "ServerBusy", "TimedOut", "DEFAULT_TIMEOUT", "HttpClient", "make_session",
           "system_proxies"]
