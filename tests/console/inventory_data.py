"""Workstation reports for the console's inventory tests, sent through the JSON API
(``POST /api/v1/submissions/batch`` with an enterprise's token), as the desktop sends them."""
from __future__ import annotations

import time
import uuid
from typing import Any, Callable

from domain.demo import DEMO_ENTERPRISE, OTHER_ENTERPRISE

HOSTILE_OS = 'Windows 11 <script>alert("os")</script>'
A, B, C, D = ("a" * 32, "b" * 32, "c" * 32, "d" * 32)
PLUGINS = [{"id": "satisfaction", "version": "2.0.0", "state": "loaded"},
           {"id": "business_info", "version": "2.0.0", "state": "failed"}]
# (enterprise, install id, version, ring, os, crashes, plugin errors), in the order sent
REPORTS = (
    (DEMO_ENTERPRISE.tax_code, A, "2.0", "stable", "Windows 10 22H2", 0, 0),
    (DEMO_ENTERPRISE.tax_code, A, "2.0", "stable", "Windows 10 22H2", 1, 0),
    (OTHER_ENTERPRISE.tax_code, B, "2.0", "stable", "Windows 11 23H2", 0, 0),
    (OTHER_ENTERPRISE.tax_code, B, "2.1", "stable", "Windows 11 23H2", 0, 0),  # B moves to 2.1
    (OTHER_ENTERPRISE.tax_code, C, "2.1", "stable", "Windows 11 23H2", 2, 1),
    (DEMO_ENTERPRISE.tax_code, D, "2.2rc1", "pilot", HOSTILE_OS, 0, 3),
)
# what the page must show: ring -> version -> (workstations, reports, crashes, crash %, errors, error %)
EXPECTED = {
    "stable": {"2.1": ("2", "2", "2", "100,0 %", "1", "50,0 %"), "2.0": ("1", "3", "1", "33,3 %", "0", "0,0 %")},
    "pilot": {"2.2rc1": ("1", "1", "0", "0,0 %", "3", "300,0 %")},
}


def send_reports(post: Callable[..., Any], token: Callable[[str], dict[str, str]]) -> None:
    """``post(path, headers=, json=)``; ``token(login)`` the headers of an API session.
    One batch per report, a moment apart (a workstation's latest report is its newest)."""
    headers = {who: token(who) for who in {r[0] for r in REPORTS}}
    for owner, install, version, ring, os_version, crashes, errors in REPORTS:
        item = {"id": str(uuid.uuid4()), "kind": "inventory", "schema": 1, "payload": {
            "install_id": install, "host_version": version, "ring": ring, "os_version": os_version,
            "plugins": PLUGINS, "crashes": crashes, "plugin_errors": errors}}
        r = post("/api/v1/submissions/batch", headers=headers[owner], json={"items": [item]})
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["status"] == "accepted", r.text
        time.sleep(0.02)
