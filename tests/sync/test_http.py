"""Network conventions: system proxy, TLS verification always on, timeouts on every call,
clear errors for malformed answers. Loopback only."""
from __future__ import annotations

import datetime
import socket
import ssl
import threading

import pytest

from desktop.core.api import ApiClient, AuthRequired, BadAnswer, Offline, RequestRejected, ServerBusy
from desktop.core.http import DEFAULT_TIMEOUT, HttpClient


class OneShotServer:
    """Answers every connection with a fixed raw HTTP response and records requests."""

    def __init__(self, response: bytes, tls: ssl.SSLContext | None = None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.response = response
        self.tls = tls
        self.requests: list[bytes] = []
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                if self.tls is not None:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                data = conn.recv(65536)
                self.requests.append(data)
                conn.sendall(self.response)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def close(self):
        self.sock.close()


def respond(status: str, body: bytes, headers: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{headers}\r\n").encode() + body


def test_every_call_has_a_timeout_and_tls_cannot_be_disabled(monkeypatch):
    http = HttpClient()
    seen = {}

    def fake_send(self, request, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr("requests.Session.send", fake_send)
    with pytest.raises(RuntimeError):
        http.get("http://127.0.0.1:9/")
    assert seen["timeout"] == DEFAULT_TIMEOUT
    assert seen["verify"] not in (False, None, "")  # True, or a CA bundle path from the environment
    with pytest.raises(ValueError):
        http.get("https://127.0.0.1:9/", verify=False)
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    with pytest.raises(RuntimeError):
        http.get("https://127.0.0.1:9/")
    assert seen["verify"] is not False
    assert http.trust_env is True


def test_os_certificate_store_is_used():
    http = HttpClient()
    assert http.uses_os_trust_store
    adapter = http.get_adapter("https://example.invalid/")
    import truststore

    assert isinstance(adapter._context, truststore.SSLContext)


def test_system_proxy_is_honoured(monkeypatch):
    proxy = OneShotServer(respond("200 OK", b'{"ok": true}'))
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv("NO_PROXY", "")
        api = ApiClient("http://feedback.customs.invalid", timeout=(2, 2))
        assert api.health() == {"ok": True}
        first_line = proxy.requests[0].split(b"\r\n")[0]
        assert first_line == b"GET http://feedback.customs.invalid/api/v1/health HTTP/1.1"
    finally:
        proxy.close()


def test_untrusted_certificate_is_refused(tmp_path):
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    # a self-signed certificate no trust store knows (like a proxy nobody installed)
    pkey = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(pkey.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(pkey, hashes.SHA256()))
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    key.write_bytes(pkey.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server = OneShotServer(respond("200 OK", b'{"ok": true}'), tls=ctx)
    try:
        api = ApiClient(f"https://127.0.0.1:{server.port}", timeout=(2, 2))
        with pytest.raises(Offline):
            api.health()
    finally:
        server.close()


@pytest.mark.parametrize("raw, error", [
    (respond("200 OK", b'{"results": [{"id": "a", "status": "acce'), BadAnswer),  # truncated JSON
    (respond("200 OK", b"<html>proxy login</html>"), BadAnswer),
    (respond("200 OK", b'{"results": []}'), BadAnswer),  # wrong count
    (respond("200 OK", b'{"results": [{"id": "other", "status": "accepted"}]}'), BadAnswer),
    (respond("200 OK", b'{"results": [{"id": "a", "status": "maybe"}]}'), BadAnswer),
    (respond("200 OK", b'[1, 2]'), BadAnswer),
    (respond("503 Service Unavailable", b"{}", "Retry-After: 7\r\n"), ServerBusy),
    (respond("429 Too Many Requests", b"{}", "Retry-After: Wed, 21 Oct 2099 07:28:00 GMT\r\n"), ServerBusy),
    (respond("408 Request Timeout", b""), ServerBusy),
    (respond("502 Bad Gateway", b"<html>"), ServerBusy),
    (respond("401 Unauthorized", b'{"error": {"code": "token_expired", "message": "expired"}}'), AuthRequired),
    (respond("403 Forbidden", b'{"error": {"code": "forbidden", "message": "no"}}'), AuthRequired),
    (respond("413 Payload Too Large", b'{"error": {"code": "payload_too_large", "message": "big"}}'),
     RequestRejected),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"results\"", Offline),  # connection cut mid-body
])
def test_answers_are_classified(raw, error):
    server = OneShotServer(raw)
    try:
        api = ApiClient(f"http://127.0.0.1:{server.port}", token=lambda: "t", timeout=(2, 2))
        with pytest.raises(error) as info:
            api.post_batch(b'{"items": []}', ["a"])
        if error is ServerBusy and b"Retry-After: 7" in raw:
            assert info.value.retry_after == 7.0
        if error is ServerBusy and b"2099" in raw:
            assert info.value.retry_after > 86400
        if error is AuthRequired:
            assert info.value.code in ("token_expired", "forbidden")
    finally:
        server.close()


def test_connection_refused_is_offline():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    api = ApiClient(f"http://127.0.0.1:{port}", token=lambda: "t", timeout=(1, 1))
    with pytest.raises(Offline):
        api.post_batch(b"{}", ["a"])


def test_not_signed_in_needs_no_network():
    api = ApiClient("http://127.0.0.1:9", token=lambda: None)
    with pytest.raises(AuthRequired):
        api.submissions()
