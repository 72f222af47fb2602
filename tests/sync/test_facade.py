"""The outbox as HostApi sees it (``ctx.outbox``): a plugin may choose the item id."""
from __future__ import annotations

import uuid

from desktop.sync.integration import OutboxFacade
from desktop.core.outbox import Outbox


class _Service:
    def __init__(self) -> None:
        self.requests = 0

    def request_sync(self) -> None:
        self.requests += 1


def test_submit_with_a_chosen_id_requests_a_sync_and_is_idempotent(tmp_path):
    service = _Service()
    facade = OutboxFacade(Outbox(tmp_path / "outbox.db"), service)
    chosen = str(uuid.uuid4())
    assert facade.submit("reflection", {"content": "Chờ lâu"}, source="satisfaction", item_id=chosen) == chosen
    assert facade.submit("reflection", {"content": "Chờ lâu"}, source="satisfaction", item_id=chosen) == chosen
    assert facade.counts()["pending"] == 1 and service.requests == 2
    assert facade.states([chosen])[chosen]["source"] == "satisfaction"
    fresh = facade.submit("reflection", {"content": "Khác"})
    assert fresh != chosen and facade.counts()["pending"] == 2
