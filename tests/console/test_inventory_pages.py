"""The console's workstation inventory (``server/console/inventory.py``): customs IT (the
admin role) only; versions per ring with workstations, reports, crash and error rates and
last seen, from reports sent through the JSON API; the workstations on a version; an
operating system name with HTML shown as text; English."""
from __future__ import annotations

import re

import pytest

from tests.console.conftest import PASSWORDS
from tests.console.inventory_data import A, B, C, D, EXPECTED, HOSTILE_OS, send_reports

PAGE = "/console/inventory"


@pytest.fixture
def reported(console):
    def token(who: str) -> dict[str, str]:
        r = console.client.post("/api/v1/auth/login", json={"username": who, "password": PASSWORDS[who]})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    send_reports(console.client.post, token)
    return console


def ring_rows(html: str, ring: str) -> dict[str, tuple[str, ...]]:
    table = html.split(f'id="ring-{ring}"', 1)[1].split("</table>", 1)[0]
    cols = ("workstations", "reports", "crashes", "crash_rate", "plugin_errors", "error_rate")
    out = {}
    for version, body in re.findall(r'<tr data-version="([^"]+)">(.*?)</tr>', table, re.S):
        cells = dict(re.findall(r'data-col="(\w+)"[^>]*>([^<]*)<', body))
        out[version] = tuple(cells[c] for c in cols)
    return out


@pytest.mark.parametrize("login", ["xuly", "baocao", "giamsat"])
def test_only_administrators_see_the_inventory(console, login):
    console.signed_in(login)
    assert 'href="/console/inventory"' not in console.client.get("/console/inbox").text
    r = console.client.get(PAGE)
    assert r.status_code == 403
    assert "Chỉ bộ phận công nghệ thông tin hải quan (quản trị viên) được xem kiểm kê máy trạm." in r.text


def test_versions_per_ring_with_rates_and_workstations(reported):
    console = reported
    console.signed_in("quantri")
    page = console.client.get(PAGE)
    assert page.status_code == 200 and 'href="/console/inventory" aria-current="page"' in page.text
    for ring, versions in EXPECTED.items():
        assert ring_rows(page.text, ring) == versions
    assert list(ring_rows(page.text, "stable")) == ["2.1", "2.0"]  # newest first
    assert "rate-high" in page.text
    # every workstation once, with its latest version; the hostile OS name as text
    installs = re.findall(r'<tr data-install="(\w+)">', page.text)
    assert sorted(installs) == [A, B, C, D]
    assert "<script>alert" not in page.text and "Windows 11 &lt;script&gt;alert(&#34;os&#34;)&lt;/script&gt;" in page.text
    assert HOSTILE_OS not in page.text
    assert "business_info 2.0.0 (failed)" in page.text
    # the workstations on one version
    on = console.client.get(PAGE, params={"version": "2.1", "ring": "stable"}).text
    assert sorted(re.findall(r'<tr data-install="(\w+)">', on)) == [B, C]
    assert "Máy trạm dùng phiên bản 2.1" in on
    # a period without reports, and nonsense parameters fall back to the defaults
    assert console.client.get(PAGE, params={"days": "abc", "ring": "<x>"}).status_code == 200


def test_empty_inventory_and_english(console):
    console.signed_in("quantri")
    page = console.client.get(PAGE).text
    assert "Không có máy trạm nào báo cáo trong kỳ." in page
    console.client.get("/console/lang/en", params={"next": PAGE})
    page = console.client.get(PAGE).text
    assert '<html lang="en">' in page and "Stable ring" in page and "Pilot ring" in page
    assert "No workstation reported in the period." in page and "Nhóm cập nhật" not in page


def test_rollouts_of_the_served_update_repository(console, tmp_path):
    """The percentage reached, a paused rollout with its reason, a withdrawn version: what
    customs IT steered with ``python -m installer.release`` shows on the inventory page."""
    import dataclasses

    from installer.release import Repository

    repo = Repository(tmp_path / "updates", tmp_path / "keys")
    repo.init()
    build = tmp_path / "setup.exe"
    build.write_bytes(b"MZ fake installer" * 100)
    repo.publish("stable", build, "2.0")
    repo.publish("pilot", build, "2.1")
    repo.promote("2.1", percent=25)
    repo.pause("2.1", "tỷ lệ lỗi <b>tăng</b> 3 điểm")
    repo.publish("pilot", build, "2.2")
    repo.withdraw("pilot", "2.2", "lỗi khi khởi động")
    app = console.client.app
    app.state.settings = dataclasses.replace(app.state.settings, updates_dir=repo.dir)
    console.signed_in("quantri")
    html = console.client.get(PAGE).text
    table = html.split('id="rollouts"', 1)[1].split("</table>", 1)[0]
    rows = dict(re.findall(r'<tr data-ring="stable" data-version="([^"]+)">(.*?)</tr>', table, re.S))
    assert "25,0 %" in rows["2.1"] and "Tạm dừng" in rows["2.1"]
    assert "tỷ lệ lỗi &lt;b&gt;tăng&lt;/b&gt; 3 điểm" in rows["2.1"]  # the reason, as text
    assert "Đã cung cấp cho tất cả" in rows["2.0"]
    assert re.search(r'data-ring="pilot" data-version="2.2">.*?Đã thu hồi', table, re.S)
    # no repository served: no section
    app.state.settings = dataclasses.replace(app.state.settings, updates_dir=None)
    assert 'id="rollouts"' not in console.client.get(PAGE).text
