"""ASGI middleware: request body size limit (413 before the body reaches the app), UTF-8
JSON only (415 otherwise), and security headers on every answer (a strict
Content-Security-Policy with the hashes of the page's own inline scripts and styles on HTML)."""
from __future__ import annotations

import base64
import hashlib
import json
import re

from .errors import error_body


class BodyLimit:
    def __init__(self, app, max_bytes: int) -> None:  # noqa: ANN001
        self.app = app
        self.max_bytes = max_bytes

    async def _too_large(self, send) -> None:  # noqa: ANN001
        body = json.dumps(error_body("payload_too_large",
                                     f"the request body is larger than {self.max_bytes} bytes; send smaller batches"
                                     )).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = None
        if length is not None:
            if length > self.max_bytes:
                return await self._too_large(send)
            return await self.app(scope, receive, send)
        # no length given (chunked): read it all, up to the limit, then replay it
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await self._too_large(send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        return await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive):  # noqa: ANN001, ANN202 - ASGI callables
    """An ASGI ``receive`` that hands the already-read body to the application once."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class JsonUtf8:
    """The API reads JSON in UTF-8 only (docs/API.md). A body sent with another media type or
    charset, or whose bytes are not UTF-8 (UTF-16 and UTF-32 among them: JSON readers guess
    those from the bytes, this server does not), answers 415 ``unsupported_media_type``."""

    METHODS = ("POST", "PUT", "PATCH", "DELETE")

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    @staticmethod
    async def _refuse(send, message: str) -> None:  # noqa: ANN001
        body = json.dumps(error_body("unsupported_media_type", message)).encode()
        await send({"type": "http.response.start", "status": 415,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if (scope["type"] != "http" or scope["method"] not in self.METHODS
                or not scope.get("path", "").startswith("/api/")):
            return await self.app(scope, receive, send)
        content_type = b""
        for name, value in scope.get("headers", ()):
            if name == b"content-type":
                content_type = value
        media, _, params = content_type.decode("latin-1").partition(";")
        media = media.strip().lower()
        charset = None
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip().strip('"').lower()
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            if media and not (media == "application/json" or (media.startswith("application/") and media.endswith("+json"))):
                return await self._refuse(send, f"the body must be JSON (Content-Type: application/json), not {media}")
            if charset not in (None, "utf-8", "utf8"):
                return await self._refuse(send, f"the body must be UTF-8 JSON, not {charset}")
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                return await self._refuse(send, "the body is not UTF-8: send JSON encoded in UTF-8")
            if b"\x00" in body:  # UTF-16/32 text of ASCII characters is valid UTF-8 with NUL bytes
                return await self._refuse(send, "the body is not UTF-8 JSON (NUL bytes: UTF-16 or UTF-32?): "
                                                "send JSON encoded in UTF-8")
        return await self.app(scope, _replay(body, receive), send)


_INLINE = re.compile(rb"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
# third-party sources a page of ours may load, by path prefix (the OpenAPI browser's assets)
_PAGE_SOURCES = {"/api/v1/docs": {"script-src": "https://cdn.jsdelivr.net", "style-src": "https://cdn.jsdelivr.net",
                                  "img-src": "https://fastapi.tiangolo.com"}}
API_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# the customs console (server/console): scripts and styles only from its own files (no
# inline script or style at all), forms posted only to itself
CONSOLE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def html_csp(html: bytes, path: str = "") -> str:
    """A strict Content-Security-Policy for one HTML page: nothing but the page's own inline
    ``<script>`` and ``<style>`` blocks (allowed by their SHA-256 hashes, never
    ``'unsafe-inline'``) and same-origin resources; no framing, no ``<base>``, no forms.
    The console's pages (``/console``) get :data:`CONSOLE_CSP`: no inline code, forms to itself."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, attrs, content in _INLINE.findall(html):
        if tag.lower() == b"script" and b"src=" in attrs.lower():
            continue
        digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
        hashes[tag.lower().decode()].append(f"'sha256-{digest}'")
    if path == "/console" or path.startswith("/console/"):
        return CONSOLE_CSP
    extra = next((v for prefix, v in _PAGE_SOURCES.items() if path.startswith(prefix)), {})
    parts = {
        "default-src": "'none'",
        "script-src": " ".join(["'self'", *hashes["script"], extra.get("script-src", "")]).strip(),
        "style-src": " ".join(["'self'", *hashes["style"], extra.get("style-src", "")]).strip(),
        "img-src": " ".join(["'self'", "data:", extra.get("img-src", "")]).strip(),
        "connect-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in parts.items())


HTML_HEADERS = [(b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin"),
                (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()")]


class SecurityHeaders:
    """On every answer: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy:
    no-referrer``; ``Cache-Control: no-store`` on API answers that do not set their own
    (tokens and personal data must not be cached) and a deny-all Content-Security-Policy on
    non-HTML answers. HTML answers get a strict Content-Security-Policy built from the page
    (:func:`html_csp`), ``X-Frame-Options: DENY`` and the cross-origin isolation headers."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        is_api = path.startswith("/api/")
        held: dict | None = None
        chunks: list[bytes] = []

        async def send_with_headers(message):  # noqa: ANN001
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", b"no-referrer"))
                if is_api and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                message = {**message, "headers": headers}
                if content_type.lower().startswith(b"text/html"):
                    held = message  # the policy depends on the page: wait for its body
                    return
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", API_CSP))
                await send(message)
                return
            if held is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(chunks)
                headers = [h for h in held["headers"] if h[0].lower() not in
                           {b"content-security-policy", b"referrer-policy", *(k for k, _ in HTML_HEADERS)}]
                headers += [(b"content-security-policy", html_csp(page, path).encode()), *HTML_HEADERS]
                await send({**held, "headers": headers})
                held = None
                await send({"type": "http.response.body", "body": page, "more_body": False})
                return
            await send(message)

        return await self.app(scope, receive, send_with_headers)
