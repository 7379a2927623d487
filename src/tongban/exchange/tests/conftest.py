"""Exchange fixtures: the demo department-systems server on a free port (one per test session), the demo
catalog pointed at it, and a clean slate (behaviour, circuit breaker, cache) for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from tongban.exchange.connectors.breaker import default_breaker
from tongban.exchange.demo import install_demo_catalog
from tongban.exchange.demo_server.server import RunningServer, start_in_thread
from tongban.exchange.models import DataResource
from tongban.exchange.tests.factories import UserFactory


@pytest.fixture(scope="session")
def demo_server() -> Iterator[RunningServer]:
    running = start_in_thread("127.0.0.1", 0)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _clean_slate(request: pytest.FixtureRequest) -> Iterator[None]:
    default_breaker().reset()
    cache.clear()
    yield
    if "demo_server" in request.fixturenames:
        request.getfixturevalue("demo_server").app.reset()
    default_breaker().reset()


# The page budget in tests: short, so a slow provider costs a test one second, yet long enough that a down
# provider's three tries (about 0.25 s with the back-off) finish inside it on a busy two-core machine. With
# 500 ms, a CI run once spent 320 ms before the calls started and reported the down provider as timed out.
PAGE_BUDGET_MS = 1000


@pytest.fixture
def timeouts(settings):
    settings.EXCHANGE_TIMEOUT_MS = PAGE_BUDGET_MS
    return settings


@pytest.fixture
def catalog(db, demo_server, timeouts) -> dict[str, DataResource]:
    """The demo catalog (12 resources, platform consumers subscribed) served by the demo server over HTTP."""
    return install_demo_catalog(base_url=demo_server.url)


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen")
