"""requests sessions that follow the conventions of Windows workstations.

* **System proxy**: ``trust_env=True``. requests asks ``urllib.request.getproxies()`` and
  ``proxy_bypass()``, which read ``HTTP(S)_PROXY``/``NO_PROXY`` and, on Windows, the
  Internet Settings of the registry (the proxy configured in the control panel).
* **TLS verification always on**, against the OS certificate store through ``truststore``
  (so a corporate TLS-inspection root installed by IT is trusted); if truststore cannot be
  used the certifi bundle is the fallback. ``verify=False`` is refused.
* **A timeout on every call**: a (connect, read) pair is applied when a caller gives none.
"""
from __future__ import annotations

import email.utils
import logging
import ssl
import time
import urllib.request
from typing import Any, Callable

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
USER_AGENT = "DeclarantDesk/0.1"


def system_proxies() -> dict[str, str]:
    """The proxies the operating system advertises (environment or Windows registry)."""
    try:
        return dict(urllib.request.getproxies())
    except Exception:  # a broken registry entry must not stop the program
        log.warning("could not read the system proxy settings", exc_info=True)
        return {}


def _os_trust_context() -> ssl.SSLContext | None:
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except Exception:  # pragma: no cover - depends on the platform
        log.warning("the OS certificate store cannot be used; falling back to the certifi bundle",
                    exc_info=True)
        return None


class _TrustStoreAdapter(HTTPAdapter):
    def __init__(self, context: ssl.SSLContext | None, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any):
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)


class HttpClient(requests.Session):
    """A session with a default timeout and TLS verification that cannot be switched off."""

    def __init__(self, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self.default_timeout = timeout
        self.trust_env = True
        self.verify = True
        self.headers["User-Agent"] = USER_AGENT
        context = _os_trust_context()
        self.uses_os_trust_store = context is not None
        adapter = _TrustStoreAdapter(context, pool_connections=4, pool_maxsize=4, max_retries=0)
        self.mount("https://", adapter)
        self.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=4, max_retries=0))

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        if kwargs.get("verify") is False:
            raise ValueError("TLS verification cannot be turned off")
        return super().request(method, url, *args, **kwargs)

    def merge_environment_settings(self, url, proxies, stream, verify, cert):  # type: ignore[override]
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        # REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE may name a bundle; they may never disable checks
        if settings.get("verify") is False:
            settings["verify"] = True
        return settings


def make_session(timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> HttpClient:
    return HttpClient(timeout)


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    Returns None when the header is absent or unreadable; never a negative number.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unreadable
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT
        import datetime as _dt
        when = when.replace(tzinfo=_dt.timezone.utc)
    return max(0.0, when.timestamp() - now())
