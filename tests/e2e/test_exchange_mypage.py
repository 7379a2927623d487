"""My page in a real browser: one provider down and one slow, the rest renders; accessible (axe, WCAG 2.1 AA)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from tests.e2e.conftest import axe_violations
from tongban.exchange.connectors.breaker import default_breaker
from tongban.exchange.demo import install_demo_catalog
from tongban.exchange.demo_server.server import start_in_thread
from tongban.exchange.tests.conftest import PAGE_BUDGET_MS
from tongban.identity.tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.e2e.test_exchange_pages"),
]


@pytest.fixture
def demo_systems(settings):
    settings.EXCHANGE_TIMEOUT_MS = PAGE_BUDGET_MS
    settings.EXCHANGE_CACHE_SECONDS = 0
    running = start_in_thread("127.0.0.1", 0)
    default_breaker().reset()
    install_demo_catalog(base_url=running.url)
    yield running
    running.stop()
    default_breaker().reset()


def _log_in(page, live_server, username: str) -> None:
    client = Client()
    client.force_login(UserFactory(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_my_page_shows_placeholders_for_a_dead_and_a_slow_provider(page, live_server, demo_systems):
    demo_systems.app.set_behaviour("medical_insurance/account", down=True)
    demo_systems.app.set_behaviour("traffic/violations", delay_ms=10_000)
    _log_in(page, live_server, "citizen")
    started = time.monotonic()
    page.goto("/my/data/records/")
    assert time.monotonic() - started < 5  # the slow provider would take 10 s
    records = page.locator("section[data-resource]")
    assert records.count() == 8
    assert page.locator("section[data-result='delivered']").count() == 6
    for code in ("medical_insurance.account", "traffic.violations"):
        placeholder = page.locator(f"section[data-resource='{code}'] .notice--warning")
        assert placeholder.is_visible()
    assert (
        "广州市天河区体育西路 101 号 1201 房"
        in page.locator("section[data-resource='population.household']").inner_text()
    )
    assert axe_violations(page) == []

    page.locator("a[href='/my/data/usage/']").first.click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 6  # the six delivered calls, nothing for the failed two
    assert axe_violations(page) == []
