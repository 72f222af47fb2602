"""Catalog (ETag), declarations feed and answers, against the real server on loopback."""
from __future__ import annotations

import requests

from desktop.core.api import ApiClient
from desktop.core.cache import SyncCache
from desktop.core.session import Session
from domain.demo import DEMO_STAFF

from .support import USERNAME, reflection_payloads
from .test_faults_e2e import FixedPasswords, make_client


def signed_in_api(url):
    session = Session(url, username=USERNAME, passwords=FixedPasswords())
    api = ApiClient(url, token=session.token)
    assert session.reauthenticate(api=api)
    return session, api


def test_catalog_is_cached_with_its_etag(tmp_path, server):
    session, api = signed_in_api(server.url)
    cache = SyncCache(tmp_path / "cache.sqlite")
    assert cache.catalog() is None
    assert cache.refresh_catalog(api) is True
    catalog = cache.catalog()
    assert catalog["branches"] and catalog["officials"] and catalog["reasons"]["dissatisfied"]
    assert cache.get("catalog_etag")
    assert cache.refresh_catalog(api) is False  # 304: nothing downloaded again
    cache.close()
    # the network is down: the catalog is still there after a restart
    again = SyncCache(tmp_path / "cache.sqlite")
    assert again.catalog() == catalog
    again.close()
    api.close()


def test_declarations_feed_merges_into_the_local_list(tmp_path, server):
    from desktop.core.store import DeclarationStore

    session, api = signed_in_api(server.url)
    cache = SyncCache(tmp_path / "cache.sqlite")
    store = DeclarationStore(tmp_path / "declarations.db")
    merged = []

    def merge(items):
        merged.extend(items)
        return store.upsert_from_feed(items)

    changed = cache.pull_declarations(api, USERNAME, merge)
    assert len(changed) >= 1000  # the demo enterprise's declarations
    number = merged[0]["number"]
    # every column the list shows comes from the server, not only from demo data
    row = store.get(number)
    assert row["partner"] and row["invoice_value"] and row["office_code"] and row["type_code"]
    handled = store.handling(number)
    assert handled and {h["kind"] for h in handled} <= {"branch", "team", "stage", "official"}
    # the cursor is kept: the next pull only brings what changed since
    assert cache.cursor("declarations", USERNAME)
    assert cache.pull_declarations(api, USERNAME, merge) == []
    store.close()
    cache.close()
    api.close()


def test_answers_from_customs_reach_the_outbox(tmp_path, server):
    outbox, engine = make_client(tmp_path, server.url)
    item = outbox.submit("reflection", reflection_payloads(1)[0])
    assert engine.sync_once().sent == 1
    ref = outbox.get(item)["server_ref"]
    user, _name, _role, password = next(s for s in DEMO_STAFF if s[2] == "processor")
    token = requests.post(server.url + "/api/v1/auth/login", json={"username": user, "password": password},
                          timeout=10).json()["token"]
    r = requests.post(f"{server.url}/api/v1/inbox/{ref}/answer", timeout=10,
                      headers={"Authorization": f"Bearer {token}"},
                      json={"verified": True, "outcome": "Đã xác minh", "answer": "Chi cục đã chấn chỉnh quy trình."})
    assert r.status_code == 200, r.text
    cache = SyncCache(tmp_path / "cache.sqlite")
    changed = cache.poll_submissions(engine.api, USERNAME, outbox)
    assert item in changed
    state = outbox.states([item])[item]
    assert state["server_status"] == "answered" and state["verified"] is True
    assert state["answer"] == "Chi cục đã chấn chỉnh quy trình."
    cache.close()
