from __future__ import annotations

import pytest

from tests.conftest import require_tool

from .support import real_server_available, running_server


@pytest.fixture
def server(tmp_path):
    require_tool(real_server_available(), "the feedback server (server.embedded)")
    with running_server(tmp_path) as handle:
        yield handle


@pytest.fixture
def proxy(server):
    from urllib.parse import urlparse

    from .faultproxy import FaultProxy

    u = urlparse(server.url)
    p = FaultProxy(u.hostname, u.port, stall_seconds=2.0, retry_after=1)
    yield p
    p.close()
