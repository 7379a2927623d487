"""Whatever a client sends to any operation of our OpenAPI, the answer is never a server error (product rule 2).

schemathesis generates requests from ``/api/v1/openapi.json`` — valid ones and ones that break the schema — and
sends them to the WSGI application, signed in as a citizen and as an officer (with a CSRF token, so writes get
past the check and reach validation and the services). A 5xx anywhere fails the test with the request that caused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tongban.cases.tests.factories import citizen, office
from tongban.identity.public import StaffRole
from tongban.identity.tests.factories import StaffAssignmentFactory
from tongban.wsgi import application

TOKEN = "fuzzcsrftoken0123456789abcdefghi"


@pytest.fixture
def wsgi_keeps_the_connection() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's database connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def api_schema(db: None, wsgi_keeps_the_connection: None) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def accounts(db: None, wsgi_keeps_the_connection: None) -> dict[str, Any]:
    """A citizen, and an officer who handles and supervises a department with a published item."""
    desk = office()
    StaffAssignmentFactory(user=desk.handler, department=desk.department, role=StaffRole.SUPERVISOR)
    return {"citizen": citizen(), "officer": desk.handler}


@pytest.mark.parametrize("who", ["citizen", "officer"])
def test_no_request_gets_a_server_error(api_schema: Any, accounts: dict[str, Any], who: str) -> None:
    client = Client()
    client.force_login(accounts[who])
    signed_in = {
        "headers": {"X-CSRFToken": TOKEN},
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": TOKEN},
    }
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def call(case: Any) -> None:
            case.call_and_validate(**signed_in, checks=[not_a_server_error])

        try:
            call()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert operations > 50
    assert not failures, "\n\n".join(failures)
