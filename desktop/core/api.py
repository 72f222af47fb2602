"""Typed wrapper around the feedback server's HTTP API v1 (``docs/API.md``).

Every failure surfaces as one of a few exceptions that the sync engine classifies:

* :class:`Offline` - no connection, connection reset, DNS failure, timeout;
* :class:`ServerBusy` - 408, 429 and 5xx, with the ``Retry-After`` delay when given;
* :class:`AuthRequired` - 401/403 on a whole request (sign in again);
* :class:`RequestRejected` - another whole-request 4xx (400, 404, 413, 422 ...);
* :class:`BadAnswer` - the server answered something that is not the promised JSON
  (truncated body, HTML from a proxy, missing fields).

A malformed answer never raises anything else, so it can never crash the caller or lose
queued items.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Sequence

import requests

from .apitypes import (  # noqa: F401 - the client's errors and results, importable from here as before
    AuthRequired, BadAnswer, CatalogResult, LoginResult, Offline, RequestRejected, ServerBusy, TimedOut,
)
from .http import HttpClient, make_session, parse_retry_after

log = logging.getLogger(__name__)


RESULT_STATUSES = ("accepted", "duplicate", "rejected")


def _error_fields(resp: requests.Response) -> tuple[str, str]:
    try:
        err = resp.json().get("error") or {}
        return str(err.get("code") or ""), str(err.get("message") or "")
    except Exception:
        return "", (resp.text or "")[:200]


class ApiClient:
    """One client per thread (a requests session is not shared between threads)."""

    def __init__(self, base_url: str, *, token: Callable[[], str | None] | None = None,
                 http: HttpClient | None = None, timeout: tuple[float, float] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token or (lambda: None)
        self.http = http or make_session(*(() if timeout is None else (timeout,)))
        self.timeout = timeout or self.http.default_timeout

    def close(self) -> None:
        self.http.close()

    # -- plumbing --------------------------------------------------------------------
    def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {}) or {}
        if auth:
            token = self._token()
            if not token:
                raise AuthRequired(401, "unauthorized", "not signed in")
            headers["Authorization"] = f"Bearer {token}"
        try:
            resp = self.http.request(method, self.base_url + path, headers=headers,
                                     timeout=kwargs.pop("timeout", self.timeout), **kwargs)
            resp.content  # read the whole body now: a reset mid-body is a connection error
        except requests.Timeout as exc:
            raise TimedOut(f"the server did not answer in time ({type(exc).__name__})") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise Offline(f"no connection to the server ({type(exc).__name__})") from None
        except requests.RequestException as exc:
            raise Offline(f"request failed ({type(exc).__name__})") from None
        status = resp.status_code
        if status in (408, 429) or 500 <= status <= 599:
            code, message = _error_fields(resp)
            raise ServerBusy(status, parse_retry_after(resp.headers.get("Retry-After")),
                             message and f"HTTP {status}: {message}")
        if status in (401, 403):
            code, message = _error_fields(resp)
            raise AuthRequired(status, code or "unauthorized", message)
        if 400 <= status <= 499:
            code, message = _error_fields(resp)
            raise RequestRejected(status, code or "bad_request", message)
        return resp

    @staticmethod
    def _json(resp: requests.Response) -> Any:
        try:
            return resp.json()
        except ValueError:
            raise BadAnswer(f"the server's answer is not valid JSON (HTTP {resp.status_code}, "
                            f"{len(resp.content)} bytes)") from None

    def _json_object(self, resp: requests.Response, *keys: str) -> dict[str, Any]:
        data = self._json(resp)
        if not isinstance(data, dict):
            raise BadAnswer("the server's answer is not a JSON object")
        missing = [k for k in keys if k not in data]
        if missing:
            raise BadAnswer(f"the server's answer lacks {', '.join(missing)}")
        return data

    # -- endpoints -------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self._json_object(self._request("GET", "/api/v1/health", auth=False), "ok")

    def login(self, username: str, password: str) -> LoginResult:
        resp = self._request("POST", "/api/v1/auth/login", auth=False,
                             json={"username": username, "password": password})
        data = self._json_object(resp, "token")
        if not isinstance(data["token"], str) or not data["token"]:
            raise BadAnswer("the server's sign-in answer has no token")
        return LoginResult(token=data["token"], expires_at=str(data.get("expires_at") or ""),
                           role=str(data.get("role") or ""), tax_code=data.get("tax_code"),
                           display_name=str(data.get("display_name") or ""))

    def logout(self) -> None:
        self._request("POST", "/api/v1/auth/logout")

    def catalog(self, etag: str | None = None) -> CatalogResult:
        headers = {"If-None-Match": etag} if etag else {}
        resp = self._request("GET", "/api/v1/catalog", headers=headers)
        if resp.status_code == 304:
            return CatalogResult(True, etag, None)
        data = self._json_object(resp)
        for key in ("branches", "teams", "stages", "officials", "reasons"):
            if key not in data:
                raise BadAnswer(f"the catalog lacks {key}")
        return CatalogResult(False, resp.headers.get("ETag"), data)

    def declarations(self, since: str | None = None, limit: int = 500) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        data = self._json_object(self._request("GET", "/api/v1/declarations", params=params), "items")
        if not isinstance(data["items"], list):
            raise BadAnswer("the declarations feed's items are not a list")
        return data

    def submissions(self, since: str | None = None) -> dict[str, Any]:
        params = {"since": since} if since else {}
        data = self._json_object(self._request("GET", "/api/v1/submissions", params=params), "items")
        if not isinstance(data["items"], list):
            raise BadAnswer("the submissions list's items are not a list")
        return data

    def post_batch(self, body: bytes, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Send an already serialised ``{"items": [...]}`` body; return one result per id.

        The results are checked against ``ids``: a result for an id that was not sent, a
        missing result or an unknown status is a :class:`BadAnswer`.
        """
        resp = self._request("POST", "/api/v1/submissions/batch", data=body,
                             headers={"Content-Type": "application/json; charset=utf-8"})
        data = self._json_object(resp, "results")
        results = data["results"]
        if not isinstance(results, list) or len(results) != len(ids):
            raise BadAnswer(f"the server answered {len(results) if isinstance(results, list) else 'no'} "
                            f"results for {len(ids)} items")
        for sent, res in zip(ids, results):
            if not isinstance(res, dict) or res.get("id") != sent or res.get("status") not in RESULT_STATUSES:
                raise BadAnswer("the server's results do not match the items sent")
        return results
