"""TUF fetchers for the update client: a folder or file share, and HTTP on the program's
client (system proxy, OS trust store, timeouts).

Kept apart from :mod:`desktop.updates.client` so that TUF, securesystemslib and
cryptography are imported when the program checks for updates, not when it starts."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import requests
from tuf.api import exceptions as tuf_exceptions
from tuf.ngclient.fetcher import FetcherInterface

from desktop.updates.client import FILE_SHARE_BASE_URL


class FileShareFetcher(FetcherInterface):
    """TUF fetcher for a repository copied to a folder or file share (no server needed).

    URLs below ``BASE_URL`` map to files below the share folder; nothing outside it is read.
    The same signatures, lengths and hashes are checked as over HTTP."""

    BASE_URL = FILE_SHARE_BASE_URL

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _fetch(self, url: str) -> Iterator[bytes]:
        if not url.startswith(self.BASE_URL):
            raise tuf_exceptions.DownloadError(f"{url} is outside the update share")
        from urllib.parse import unquote

        relative = unquote(url[len(self.BASE_URL):])
        if not relative or ".." in relative.split("/") or "\\" in relative:
            raise tuf_exceptions.DownloadError(f"invalid path {relative!r}")
        path = self.folder.joinpath(*relative.split("/"))
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            raise tuf_exceptions.DownloadHTTPError(f"{path} does not exist", 404) from None
        except OSError as exc:
            raise tuf_exceptions.DownloadError(f"{path}: {exc}") from exc
        return self._chunks(handle)

    @staticmethod
    def _chunks(handle) -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(64 * 1024):
                yield chunk


class HttpFetcher(FetcherInterface):
    """TUF fetcher on the program's HTTP client: system proxy, OS trust store, timeouts."""

    def __init__(self, timeout: tuple[float, float] = (10.0, 60.0)) -> None:
        from desktop.core.http import HttpClient

        self._session = HttpClient(timeout=timeout)

    def _fetch(self, url: str) -> Iterator[bytes]:
        try:
            response = self._session.get(url, stream=True)
        except requests.Timeout as exc:
            raise tuf_exceptions.SlowRetrievalError(str(exc)) from exc
        if response.status_code >= 400:
            response.close()
            raise tuf_exceptions.DownloadHTTPError(f"HTTP {response.status_code} for {url}",
                                                   response.status_code)
        return self._chunks(response)

    @staticmethod
    def _chunks(response) -> Iterator[bytes]:
        try:
            yield from response.iter_content(64 * 1024)
        except requests.Timeout as exc:
            raise tuf_exceptions.SlowRetrievalError(str(exc)) from exc
        finally:
            response.close()
