"""Inventory: each workstation's report goes through the outbox exactly once; customs IT
reads versions per ring, workstations, last seen and crash/error rates (admin API)."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from desktop.core.outbox import Outbox, batch_body
from desktop.updates import inventory, rollout
from domain.demo import DEMO_ENTERPRISE
from server.app import create_app
from tests.server.conftest import ADMIN, PASSWORDS, PROCESSOR, settings_for, sqlite_template  # noqa: F401

PLUGINS = [{"id": "satisfaction", "version": "2.0.0", "state": "loaded", "runtime_errors": 2},
           {"id": "business_info", "version": "1.0.0", "state": "failed", "runtime_errors": 0}]


@pytest.fixture
def api(sqlite_template, tmp_path):  # noqa: F811
    target = tmp_path / "server.db"
    shutil.copyfile(sqlite_template, target)
    app = create_app(settings_for(f"sqlite:///{target}"))
    with TestClient(app, raise_server_exceptions=False) as client:
        def token(who: str) -> dict[str, str]:
            r = client.post("/api/v1/auth/login", json={"username": who, "password": PASSWORDS[who]})
            assert r.status_code == 200, r.text
            return {"Authorization": f"Bearer {r.json()['token']}"}

        client.token = token  # type: ignore[attr-defined]
        yield client
    app.state.db.dispose()


def test_report_content_is_small_and_not_personal(tmp_path):
    report = inventory.build_report(rollout.install_id(tmp_path), "2.1", "stable", PLUGINS, crashes=1,
                                    plugin_errors=3)
    assert set(report) == {"install_id", "host_version", "ring", "os_version", "plugins", "crashes", "plugin_errors"}
    assert report["plugins"] == [{"id": "satisfaction", "version": "2.0.0", "state": "loaded"},
                                 {"id": "business_info", "version": "1.0.0", "state": "failed"}]
    assert len(json.dumps(report)) < 1000
    assert inventory.plugin_error_count(PLUGINS) == 3  # two runtime errors and one failed plugin


def test_once_a_day_and_at_each_version_change_with_crash_counts(tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    data = tmp_path / "data"
    inventory.note_start(data)
    inventory.note_start(data)          # the previous run left its marker: one crash
    inventory.note_clean_exit(data, plugin_errors=2)
    day = date(2026, 12, 1)
    first = inventory.report_if_due(outbox, data, version="2.0", ring="stable", plugins=PLUGINS, today=day)
    assert first is not None
    assert inventory.report_if_due(outbox, data, version="2.0", ring="stable", plugins=PLUGINS, today=day) is None
    second = inventory.report_if_due(outbox, data, version="2.1", ring="stable", plugins=PLUGINS, today=day)
    third = inventory.report_if_due(outbox, data, version="2.1", ring="stable", plugins=PLUGINS,
                                    today=date(2026, 12, 2))
    assert len({first, second, third}) == 3
    payloads = {c.id: json.loads(c.wire)["payload"] for c in outbox.claim("t", limit=10)}
    assert payloads[first]["crashes"] == 1 and payloads[first]["plugin_errors"] == 2
    assert payloads[second]["crashes"] == 0 and payloads[second]["host_version"] == "2.1"


def test_a_report_remade_after_an_interrupted_start_is_the_same_item(tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    data = tmp_path / "data"
    day = date(2026, 12, 1)
    first = inventory.report_if_due(outbox, data, version="2.0", ring="stable", plugins=PLUGINS, today=day)
    (data / inventory.STATE_FILE).unlink()  # the state write was lost (crash right after queueing)
    inventory.note_start(data)
    inventory.note_start(data)  # and the crash is now counted: a different body, same day and version
    assert inventory.report_if_due(outbox, data, version="2.0", ring="stable", plugins=PLUGINS, today=day) == first
    assert outbox.waiting() == 1


def test_reports_arrive_exactly_once_and_the_console_api_shows_them(api, tmp_path):
    outbox = Outbox(tmp_path / "outbox.db")
    enterprise = api.token(DEMO_ENTERPRISE.tax_code)
    workstations = []
    for n, (version, ring, crashes) in enumerate([("2.0", "stable", 0), ("2.0", "stable", 1),
                                                   ("2.1", "pilot", 3)]):
        data = tmp_path / f"ws{n}"
        for _ in range(crashes):
            inventory.InventoryState(data).add(crashes=1)
        inventory.report_if_due(outbox, data, version=version, ring=ring, plugins=PLUGINS, today=date(2026, 12, 1))
        workstations.append(rollout.install_id(data))
    batch = outbox.claim("t", limit=10)
    body = json.loads(batch_body(batch))
    first = api.post("/api/v1/submissions/batch", headers=enterprise, json=body)
    assert first.status_code == 200, first.text
    assert [r["status"] for r in first.json()["results"]] == ["accepted"] * 3
    # the same batch again (an answer lost on the way back): duplicates, nothing stored twice
    again = api.post("/api/v1/submissions/batch", headers=enterprise, json=body)
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
    admin = api.token(ADMIN)
    r = api.get("/api/v1/inventory/versions", headers=admin)
    assert r.status_code == 200, r.text
    figures = r.json()
    stable = {e["version"]: e for e in figures["rings"]["stable"]}
    assert stable["2.0"]["workstations"] == 2 and stable["2.0"]["reports"] == 2
    assert stable["2.0"]["crashes"] == 1 and stable["2.0"]["crash_rate"] == 0.5
    assert stable["2.0"]["last_seen"]
    pilot = {e["version"]: e for e in figures["rings"]["pilot"]}
    assert pilot["2.1"]["crashes"] == 3 and pilot["2.1"]["workstations"] == 1
    assert {v["version"] for v in figures["versions"]} == {"2.0", "2.1"}
    listed = api.get("/api/v1/inventory/workstations", headers=admin, params={"version": "2.0"}).json()
    assert {w["install_id"] for w in listed["workstations"]} == set(workstations[:2])
    assert all(w["enterprise"] == DEMO_ENTERPRISE.tax_code for w in listed["workstations"])
    # customs IT only: enterprises and processors are refused
    assert api.get("/api/v1/inventory/versions", headers=enterprise).status_code == 403
    assert api.get("/api/v1/inventory/versions", headers=api.token(PROCESSOR)).status_code == 403
    # the figures feed the rollout's health check as they are
    from installer.release import load_health

    path = tmp_path / "versions.json"
    path.write_text(json.dumps(figures))
    assert {h["version"] for h in load_health(str(path))} == {"2.0", "2.1"}


def test_a_bad_report_is_refused_alone(api):
    enterprise = api.token(DEMO_ENTERPRISE.tax_code)
    items = [{"id": "9b0c3b2e-6c9e-4b7a-9d6f-0a1b2c3d4e5f", "kind": "inventory", "schema": 1,
              "payload": {"install_id": "not-hex", "host_version": "2.0", "ring": "stable", "os_version": "x",
                          "plugins": [], "crashes": 0, "plugin_errors": 0}}]
    r = api.post("/api/v1/submissions/batch", headers=enterprise, json={"items": items})
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["status"] == "rejected" and result["code"] == "validation_error"
    assert "install_id" in result["message"]
