"""A tiny stand-in for the feedback server (login, idempotent batch ingest, submissions).

Only for developing the sync tests where the real server is absent: the tests use it when
``DD_SYNC_FAKE_SERVER=1`` is set. It follows ``docs/API.md`` for what the client relies on:
same id + same body → duplicate with the original ref; same id + other body → 422 conflict.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from domain.demo import DEMO_ENTERPRISE
from domain.submissions import (
    SubmissionInvalid, canonical_json, validate_assessment, validate_business_info, validate_reflection,
)

VALIDATORS = {"assessment": validate_assessment, "reflection": validate_reflection,
              "business_info": validate_business_info}


class FakeServer:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.tokens: set[str] = set()
        self.lock = threading.Lock()
        conn = sqlite3.connect(db_path)
        conn.execute("CREATE TABLE IF NOT EXISTS submissions (client_id TEXT PRIMARY KEY, kind TEXT, schema INTEGER, "
                     "payload TEXT, body TEXT, server_ref TEXT, received_at TEXT)")
        conn.commit()
        conn.close()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, body, headers=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return json.loads(self.rfile.read(n) or b"{}")

            def _authorised(self):
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer ") or auth[7:] not in fake.tokens:
                    self._send(401, {"error": {"code": "token_expired", "message": "sign in again"}})
                    return False
                return True

            def do_GET(self):
                if self.path.startswith("/api/v1/health"):
                    return self._send(200, {"ok": True, "version": "fake", "database": "sqlite"})
                if not self._authorised():
                    return
                if self.path.startswith("/api/v1/submissions"):
                    return self._send(200, {"items": [], "next_cursor": None, "has_more": False})
                self._send(404, {"error": {"code": "not_found", "message": self.path}})

            def do_POST(self):
                if self.path == "/api/v1/auth/login":
                    b = self._body()
                    if b.get("username") == DEMO_ENTERPRISE.tax_code and b.get("password") == DEMO_ENTERPRISE.password:
                        token = uuid.uuid4().hex
                        fake.tokens.add(token)
                        return self._send(200, {"token": token, "expires_at": "", "role": "enterprise",
                                                "tax_code": DEMO_ENTERPRISE.tax_code, "display_name": "x"})
                    return self._send(401, {"error": {"code": "unauthorized", "message": "wrong credentials"}})
                if self.path != "/api/v1/submissions/batch":
                    return self._send(404, {"error": {"code": "not_found", "message": self.path}})
                if not self._authorised():
                    return
                try:
                    items = self._body()["items"]
                except Exception:
                    return self._send(400, {"error": {"code": "bad_request", "message": "bad JSON"}})
                self._send(200, {"results": fake.ingest(items)})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def ingest(self, items):
        results = []
        with self.lock:
            conn = sqlite3.connect(self.db_path)
            try:
                for it in items:
                    body = canonical_json({"kind": it.get("kind"), "schema": it.get("schema"),
                                           "payload": it.get("payload")})
                    row = conn.execute("SELECT body, server_ref, received_at FROM submissions WHERE client_id=?",
                                       (it["id"],)).fetchone()
                    if row:
                        if row[0] == body:
                            results.append({"id": it["id"], "status": "duplicate", "http_status": 200,
                                            "server_ref": row[1], "received_at": row[2]})
                        else:
                            results.append({"id": it["id"], "status": "rejected", "http_status": 422,
                                            "code": "conflict", "message": "same id, different content"})
                        continue
                    try:
                        VALIDATORS[it["kind"]](it["payload"])
                    except (SubmissionInvalid, KeyError) as exc:
                        results.append({"id": it["id"], "status": "rejected", "http_status": 422,
                                        "code": "validation_error", "message": str(exc)})
                        continue
                    n = conn.execute("SELECT count(*) FROM submissions").fetchone()[0] + 1
                    ref, now = f"A-{n:06d}", datetime.now(timezone.utc).isoformat()
                    conn.execute("INSERT INTO submissions VALUES (?,?,?,?,?,?,?)",
                                 (it["id"], it["kind"], it["schema"], json.dumps(it["payload"]), body, ref, now))
                    results.append({"id": it["id"], "status": "accepted", "http_status": 201,
                                    "server_ref": ref, "received_at": now})
                conn.commit()
            finally:
                conn.close()
        return results

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
