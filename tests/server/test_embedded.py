"""The embedded server used by the desktop's --demo and by end-to-end tests."""
from __future__ import annotations

import socket

import httpx
import pytest

from domain.demo import DEMO_ENTERPRISE
from server.embedded import start_server


def test_starts_seeded_on_loopback_quietly_and_stops(tmp_path, capfd):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with start_server(url, seed_demo=True) as srv:
        assert srv.url == f"http://127.0.0.1:{srv.port}" and srv.port > 0
        r = httpx.post(srv.url + "/api/v1/auth/login", timeout=10,
                       json={"username": DEMO_ENTERPRISE.tax_code, "password": DEMO_ENTERPRISE.password})
        assert r.status_code == 200
        token = r.json()["token"]
        page = httpx.get(srv.url + "/api/v1/declarations", params={"limit": 1}, timeout=10,
                         headers={"Authorization": f"Bearer {token}"}).json()
        assert page["has_more"] is True
    assert not srv.running
    with pytest.raises(httpx.HTTPError):
        httpx.get(srv.url + "/api/v1/health", timeout=2)
    out, _err = capfd.readouterr()
    assert out == ""
    # a second start on the same file: already seeded, same data
    with start_server(url, seed_demo=True) as again:
        assert httpx.get(again.url + "/api/v1/health", timeout=10).json()["ok"] is True


def test_busy_port_is_an_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        with pytest.raises(OSError):
            start_server(f"sqlite:///{tmp_path / 'x.db'}", port=s.getsockname()[1])


def test_serves_the_update_repository(tmp_path):
    repo = tmp_path / "updates"
    (repo / "metadata").mkdir(parents=True)
    (repo / "metadata" / "timestamp.json").write_text('{"signed": {}}', encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    with start_server(f"sqlite:///{tmp_path / 'u.db'}", updates_dir=repo) as srv:
        r = httpx.get(srv.url + "/updates/metadata/timestamp.json", timeout=10)
        assert r.status_code == 200 and r.json() == {"signed": {}}
        missing = httpx.get(srv.url + "/updates/metadata/nope.json", timeout=10)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        escape = httpx.get(srv.url + "/updates/..%2Fsecret.txt", timeout=10)
        assert escape.status_code == 404 and "no" != escape.text
