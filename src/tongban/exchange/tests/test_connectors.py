"""The HTTP JSON connector against the demo server: records, timeouts, retries with backoff, circuit breaker."""

from __future__ import annotations

import time

import pytest

from tongban.exchange.connectors.base import (
    CircuitOpen,
    ConnectorRequest,
    ProviderTimeout,
    ProviderUnavailable,
    RecordNotFound,
)
from tongban.exchange.connectors.breaker import CircuitBreaker
from tongban.exchange.connectors.http import HttpJsonConnector
from tongban.exchange.connectors.inprocess import InProcessConnector, set_inprocess_app
from tongban.exchange.connectors.registry import connector_names, get_connector, register_connector
from tongban.exchange.demo_server.app import DemoDepartmentSystems


def _request(url: str, path: str = "population/household", ref: str = "citizen", timeout_s: float = 0.5):
    return ConnectorRequest(
        resource_code=path.replace("/", "."), base_url=url, path=path, subject_kind="person", subject_ref=ref,
        consumer_code="platform.test", purpose="测试 purpose", timeout_s=timeout_s,
    )  # fmt: skip


@pytest.fixture
def connector():
    return HttpJsonConnector(breaker=CircuitBreaker(failures=3, cooldown_s=0.3))


def test_fetches_a_record_over_http(demo_server, connector):
    data = connector.fetch(_request(demo_server.url))
    assert data["household_number"] == "440106-DEMO-0001"


def test_unknown_subject_is_not_found_and_does_not_trip_the_breaker(demo_server, connector):
    for _ in range(5):
        with pytest.raises(RecordNotFound):
            connector.fetch(_request(demo_server.url, ref="no-such-person"))
    assert not connector.breaker.is_open(demo_server.url + "/population/household")


def test_slow_provider_times_out_within_the_budget(demo_server, connector):
    demo_server.app.set_behaviour("tax/individual", delay_ms=5000)
    started = time.monotonic()
    with pytest.raises(ProviderTimeout):
        connector.fetch(_request(demo_server.url, "tax/individual", timeout_s=0.3))
    assert time.monotonic() - started < 1.5  # budget 0.3 s; generous margin for a busy machine


def test_down_provider_is_retried_with_backoff_then_reported_unavailable(demo_server, connector):
    demo_server.app.set_behaviour("housing_fund/account", down=True)
    before = demo_server.app.calls
    with pytest.raises(ProviderUnavailable):
        connector.fetch(_request(demo_server.url, "housing_fund/account", timeout_s=2.0))
    assert demo_server.app.calls - before == 3  # first try + two retries (50 ms, 150 ms apart)


def test_no_retry_when_the_budget_cannot_hold_one(demo_server, connector):
    demo_server.app.set_behaviour("housing_fund/account", down=True)
    before = demo_server.app.calls
    with pytest.raises(ProviderUnavailable):
        connector.fetch(_request(demo_server.url, "housing_fund/account", timeout_s=0.06))
    assert demo_server.app.calls - before == 1


def test_circuit_opens_after_failures_fails_fast_then_half_opens(demo_server, connector):
    demo_server.app.set_behaviour("medical_insurance/account", down=True)
    request = _request(demo_server.url, "medical_insurance/account", timeout_s=0.06)
    for _ in range(3):
        with pytest.raises(ProviderUnavailable):
            connector.fetch(request)
    before = demo_server.app.calls
    with pytest.raises(CircuitOpen):
        connector.fetch(request)
    assert demo_server.app.calls == before  # open: the provider is not bothered
    demo_server.app.reset()  # the provider recovers
    time.sleep(0.35)  # past the cooldown: one trial call goes through and closes the circuit
    assert connector.fetch(request)["scheme"] == "职工医保"
    assert not connector.breaker.is_open(demo_server.url + "/medical_insurance/account")


def test_connection_refused_is_unavailable(connector):
    with pytest.raises(ProviderUnavailable):
        connector.fetch(_request("http://127.0.0.1:9", timeout_s=0.2))


def test_inprocess_connector_runs_the_demo_app_without_a_socket():
    app = DemoDepartmentSystems()
    set_inprocess_app(app)
    try:
        connector = InProcessConnector()
        assert connector.fetch(_request("", "traffic/violations"))["licence_points_left"] == 10
        app.set_behaviour("traffic/violations", down=True)
        with pytest.raises(ProviderUnavailable):
            connector.fetch(_request("", "traffic/violations"))
    finally:
        set_inprocess_app(DemoDepartmentSystems())


def test_connectors_are_plugins():
    assert {"http", "inprocess"} <= set(connector_names())
    register_connector("test-null", InProcessConnector)
    assert isinstance(get_connector("test-null"), InProcessConnector)
    with pytest.raises(LookupError):
        get_connector("smoke-signals")
