"""The demo prints where its customs console is and how the demo staff sign in."""
from __future__ import annotations

from desktop import demo
from domain.demo import DEMO_STAFF


def test_demo_start_prints_the_console_address_and_staff_sign_ins(capsys):
    demo.announce_console("http://127.0.0.1:8765")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8765/console" in out
    for login, _name, role, password in DEMO_STAFF:
        assert f"{login} / {password}" in out and role in out
