"""Schema-driven fuzzing of the enterprise-information API as customs staff and as an
enterprise: no answer is a server error, whatever is sent."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from .conftest import ENTERPRISE_A, PROCESSOR


@pytest.fixture
def bi_schema(app):
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app).include(path_regex="^/api/v1/business-info")


schema = schemathesis.pytest.from_fixture("bi_schema")


@schema.parametrize()
@settings(max_examples=int(os.environ.get("DD_FUZZ_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_business_info_api_has_no_server_error(case, api):
    who = ENTERPRISE_A if case.path.endswith("/requests") and case.method == "GET" else PROCESSOR
    case.call_and_validate(headers={**(case.headers or {}), **api.headers(who)}, checks=[not_a_server_error])
