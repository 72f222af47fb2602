"""A fault-injecting HTTP proxy for the sync tests (loopback only).

It sits between the desktop client and the real server and, per request, either forwards
it faithfully or injects one fault:

* ``refuse``           - the proxy stops listening: connection refused (see :meth:`refuse_connections`)
* ``reset_request``    - reads part of the request, then resets the connection (RST)
* ``reset_after_commit`` - forwards the request, waits for the server's full answer
                         (the server has committed), then resets instead of answering
* ``http500``          - answers 500 without forwarding
* ``http503_seconds``  - answers 503 with ``Retry-After: <n>`` (seconds)
* ``http503_date``     - answers 503 with ``Retry-After: <HTTP-date>``
* ``http429``          - answers 429 with ``Retry-After: <n>``
* ``stall``            - reads the request, then says nothing for longer than the client's timeout
* ``stall_after_commit`` - forwards, lets the server commit, then stalls (client times out)
* ``truncated_json``   - forwards, then answers 200 with the JSON body cut in half
                         (a consistent Content-Length: the body itself is broken)
* ``cut_body``         - forwards, then closes the connection in the middle of the body

Faults come from a queue (``schedule``) or at random (``chaos(rate)``); only requests whose
path starts with ``fault_prefix`` are faulted. ``counts`` records what was injected.
"""
from __future__ import annotations

import json
import random
import socket
import struct
import threading
import time
from collections import Counter, deque
from email.utils import formatdate

FAULTS = ("reset_request", "reset_after_commit", "http500", "http503_seconds", "http503_date", "http429",
          "stall", "stall_after_commit", "truncated_json", "cut_body")


def _rst(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer sees a connection reset."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _read_request(conn: socket.socket) -> tuple[bytes, bytes, str] | None:
    """Read one HTTP request: (head, body, path). None when the client closed."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    path = lines[0].split(b" ")[1].decode("latin-1") if len(lines[0].split(b" ")) > 1 else "/"
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = rest
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head, body[:length], path


def _simple_response(status: int, reason: str, body: bytes, extra: dict[str, str] | None = None) -> bytes:
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"}
    headers.update(extra or {})
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + body


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, fault_prefix: str = "/api/v1/submissions/batch",
                 stall_seconds: float = 3.0, retry_after: int = 1, seed: int = 1) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.fault_prefix = fault_prefix
        self.stall_seconds = stall_seconds
        self.retry_after = retry_after
        self.schedule: deque[str] = deque()
        self.rate = 0.0
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.forwarded = 0
        self.sent_ids: Counter[str] = Counter()  # ids of batch items that reached the server
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self.port = 0
        self._listen()
        self._threads: list[threading.Thread] = []

    # -- control -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, *faults: str) -> None:
        for f in faults:
            assert f in FAULTS, f
        with self._lock:
            self.schedule.extend(faults)

    def chaos(self, rate: float) -> None:
        """Inject a random fault into this share of the faultable requests."""
        self.rate = rate

    def clear(self) -> None:
        with self._lock:
            self.schedule.clear()
            self.rate = 0.0

    def refuse_connections(self) -> None:
        """Stop listening: new connections are refused until :meth:`accept_connections`."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            listener.close()
            self.counts["refuse"] += 1

    def accept_connections(self) -> None:
        if self._listener is None:
            self._listen(self.port)

    def close(self) -> None:
        self._stop.set()
        self.refuse_connections()

    # -- machinery ---------------------------------------------------------------------
    def _listen(self, port: int = 0) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(64)
        self.port = sock.getsockname()[1]
        self._listener = sock
        t = threading.Thread(target=self._accept_loop, args=(sock,), daemon=True, name="faultproxy-accept")
        t.start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True, name="faultproxy-conn").start()

    def _next_fault(self, path: str) -> str | None:
        if not path.startswith(self.fault_prefix):
            return None
        with self._lock:
            if self.schedule:
                return self.schedule.popleft()
            if self.rate and self.rng.random() < self.rate:
                return self.rng.choice(FAULTS)
        return None

    def _forward(self, head: bytes, body: bytes) -> bytes:
        lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
        lines.append(b"Connection: close")
        up = socket.create_connection(self.upstream, timeout=60)
        try:
            up.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            up.close()
        with self._lock:
            self.forwarded += 1
        return b"".join(chunks)

    def _record_ids(self, path: str, body: bytes) -> None:
        if not path.startswith("/api/v1/submissions/batch"):
            return
        try:
            ids = [it["id"] for it in json.loads(body)["items"]]
        except (ValueError, KeyError, TypeError):
            return
        with self._lock:
            self.sent_ids.update(ids)

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            while True:
                # peek at the first bytes to decide a reset in the middle of the request
                req = _read_request(conn)
                if req is None:
                    conn.close()
                    return
                head, body, path = req
                fault = self._next_fault(path)
                if fault:
                    with self._lock:
                        self.counts[fault] += 1
                if fault == "reset_request":
                    _rst(conn)
                    return
                if fault == "http500":
                    conn.sendall(_simple_response(500, "Internal Server Error",
                                                  b'{"error":{"code":"internal","message":"injected"}}'))
                    conn.close()
                    return
                if fault in ("http503_seconds", "http503_date", "http429"):
                    value = (formatdate(time.time() + self.retry_after, usegmt=True)
                             if fault == "http503_date" else str(self.retry_after))
                    status, reason = (429, "Too Many Requests") if fault == "http429" else (503, "Service Unavailable")
                    conn.sendall(_simple_response(status, reason,
                                                  b'{"error":{"code":"rate_limited","message":"injected"}}',
                                                  {"Retry-After": value}))
                    conn.close()
                    return
                if fault == "stall":
                    time.sleep(self.stall_seconds)
                    _rst(conn)
                    return
                self._record_ids(path, body)
                response = self._forward(head, body)
                if fault == "reset_after_commit":
                    _rst(conn)
                    return
                if fault == "stall_after_commit":
                    time.sleep(self.stall_seconds)
                    _rst(conn)
                    return
                if fault == "truncated_json":
                    rhead, _, rbody = response.partition(b"\r\n\r\n")
                    cut = rbody[: max(1, len(rbody) // 2)]
                    lines = [ln for ln in rhead.split(b"\r\n")
                             if not ln.lower().startswith((b"content-length:", b"transfer-encoding:",
                                                           b"connection:"))]
                    lines[0] = b"HTTP/1.1 200 OK"
                    lines += [b"Content-Length: " + str(len(cut)).encode(), b"Connection: close"]
                    conn.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + cut)
                    conn.close()
                    return
                if fault == "cut_body":
                    rhead, _, rbody = response.partition(b"\r\n\r\n")
                    conn.sendall(rhead + b"\r\n\r\n" + rbody[: len(rbody) // 2])
                    _rst(conn)
                    return
                rhead, sep, rbody = response.partition(b"\r\n\r\n")
                lines = [ln for ln in rhead.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
                conn.sendall(b"\r\n".join(lines + [b"Connection: close"]) + sep + rbody)
                conn.close()  # one request per connection
                return
        except OSError:
            try:
                conn.close()
            except OSError:
                pass
