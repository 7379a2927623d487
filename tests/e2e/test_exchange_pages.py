"""My page (parallel fetch with per-provider timeouts), who used my data, usage statistics and subscription
decisions — through the pages and the API, with the full URL map.

This module is also the URL map of these tests (``urlpatterns`` below): the root map plus the exchange pages
and API router, until tongban.urls and tongban.api.api mount them. It lives outside ``tongban.exchange``
because the layers contract binds a context's tests too, and the map imports the entry points above it.
Once ``tongban.api.api`` registers the exchange router, the tests use it at /api/v1/exchange/.
"""

from __future__ import annotations

import re
import time

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse
from ninja import NinjaAPI
from oauth2_provider.models import Application

from tongban.api.api import UnicodeJSONRenderer, api
from tongban.api.routers.exchange import router
from tongban.common.public import DomainError
from tongban.exchange.demo_server.data import DEMO_ENTERPRISE_CODE
from tongban.exchange.models import CallResult, ExchangeCall
from tongban.exchange.public import exchange_fetch, subject_for_person
from tongban.exchange.services import PREFILL_CONSUMER, SubscriptionRequired
from tongban.exchange.tests.conftest import PAGE_BUDGET_MS, _clean_slate, catalog, citizen, demo_server, timeouts
from tongban.exchange.tests.factories import ConsumerFactory, ExchangeCallFactory, SubscriptionFactory, UserFactory
from tongban.identity.models import Enterprise
from tongban.identity.tests.factories import StaffAssignmentFactory
from tongban.urls import urlpatterns as root_patterns

__all__ = ["_clean_slate", "catalog", "citizen", "demo_server", "timeouts"]  # fixtures used here

MOUNTED = any(mounted is router for _prefix, mounted in api._routers)
API_PREFIX = "/api/v1/exchange" if MOUNTED else "/api/exchange-test/exchange"

_extra = []
if not MOUNTED:
    test_api = NinjaAPI(urls_namespace="exchange_test_api", renderer=UnicodeJSONRenderer(), docs_url=None)
    test_api.add_router("/exchange", router)

    @test_api.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return test_api.create_response(request, exc.as_payload(), status=exc.status)

    _extra.append(path("api/exchange-test/", test_api.urls))

urlpatterns = [
    path("my/data/", include("tongban.exchange.urls")),
    path("workbench/exchange/", include("tongban.exchange.staff_urls")),
    *_extra,
    *root_patterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
PERSON_RESOURCES = {
    "population.household", "enterprise.roles", "social_insurance.pension", "medical_insurance.account",
    "housing_fund.account", "tax.individual", "traffic.violations", "utility.bills",
}  # fmt: skip


def _sections(response) -> dict[str, str]:
    found = re.findall(r'<section [^>]*data-resource="([^"]+)" data-result="([^"]+)"', response.content.decode())
    return dict(found)


def test_my_page_renders_everything_else_when_one_provider_is_down_and_one_slow(client, catalog, citizen, demo_server):
    demo_server.app.set_behaviour("housing_fund/account", down=True)
    demo_server.app.set_behaviour("tax/individual", delay_ms=10_000)
    client.force_login(citizen)
    started = time.monotonic()
    response = client.get(reverse("exchange:my_records"))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    results = _sections(response)
    assert set(results) == PERSON_RESOURCES
    assert results.pop("housing_fund.account") == CallResult.UNAVAILABLE
    assert results.pop("tax.individual") == CallResult.TIMEOUT
    assert set(results.values()) == {CallResult.DELIVERED}
    assert elapsed < PAGE_BUDGET_MS / 1000 + 1.5  # the provider budget, with a generous margin; the slow one takes 10 s
    page = response.content.decode()
    assert page.count("notice--warning") == 2  # the friendly placeholder, twice
    assert "广州市天河区体育西路 101 号 1201 房" in page  # household address rendered
    assert "民族" not in page  # a field that is not shared never reaches the page
    logged = dict(ExchangeCall.objects.values_list("resource_code", "result"))
    assert logged["tax.individual"] == CallResult.TIMEOUT and logged["housing_fund.account"] == CallResult.UNAVAILABLE


def test_my_page_reuses_recent_records_without_calling_providers_again(client, catalog, citizen, demo_server):
    client.force_login(citizen)
    client.get(reverse("exchange:my_records"))
    calls, logged = demo_server.app.calls, ExchangeCall.objects.count()
    response = client.get(reverse("exchange:my_records"))
    assert set(_sections(response).values()) == {CallResult.DELIVERED}
    assert (demo_server.app.calls, ExchangeCall.objects.count()) == (calls, logged)
    assert response.content.decode().count('data-cached="true"') == len(PERSON_RESOURCES)


def test_every_delivered_call_appears_in_the_holders_who_used_my_data(client, catalog, citizen):
    department_system = SubscriptionFactory(resource=catalog["social_insurance.pension"], approved=True)
    exchange_fetch(
        consumer=department_system.consumer.code, resource="social_insurance.pension",
        subject=subject_for_person(citizen), purpose="核定退休待遇",
    )  # fmt: skip
    with pytest.raises(SubscriptionRequired) as refusal:
        exchange_fetch(
            consumer=ConsumerFactory().code, resource="tax.individual", subject=subject_for_person(citizen),
            purpose="无订阅的调用",
        )  # fmt: skip
    assert refusal.value.code == "subscription_required"
    client.force_login(citizen)
    client.get(reverse("exchange:my_records"))
    delivered = ExchangeCall.objects.filter(subject_key=f"u:{citizen.public_id}", result=CallResult.DELIVERED)
    assert delivered.count() == 9  # eight on my page + the department system's one

    response = client.get(reverse("exchange:my_usage"))
    page = response.content.decode()
    assert page.count("<tr data-resource=") == delivered.count()
    assert "核定退休待遇" in page and department_system.consumer.department.name in page
    assert "无订阅的调用" not in page  # a refused attempt delivered nothing

    api = client.get(f"{API_PREFIX}/me/usage")
    assert api.status_code == 200
    assert sorted(r["resource_code"] for r in api.json()) == sorted(delivered.values_list("resource_code", flat=True))


def test_a_person_never_sees_anyone_elses_usage(client, catalog, citizen):
    ExchangeCallFactory(subject_key=f"u:{citizen.public_id}", purpose="张三的")
    other = UserFactory(username="citizen2")
    ExchangeCallFactory(subject_key=f"u:{other.public_id}", purpose="李四的")
    client.force_login(other)
    assert [r["purpose"] for r in client.get(f"{API_PREFIX}/me/usage").json()] == ["李四的"]
    assert "张三的" not in client.get(reverse("exchange:my_usage")).content.decode()


def test_enterprise_page_and_usage_are_for_its_legal_representative_only(client, catalog, citizen):
    Enterprise.objects.create(
        credit_code=DEMO_ENTERPRISE_CODE, name="通办演示餐饮有限公司", legal_representative=citizen
    )
    client.force_login(citizen)
    response = client.get(reverse("exchange:my_records"), {"enterprise": DEMO_ENTERPRISE_CODE})
    assert _sections(response) == {
        "enterprise.registry": "delivered", "social_insurance.enterprise": "delivered", "tax.enterprise": "delivered"
    }  # fmt: skip
    assert "citizen2" not in response.content.decode()  # the staff list is not shared
    usage = client.get(f"{API_PREFIX}/me/usage", {"enterprise": DEMO_ENTERPRISE_CODE}).json()
    assert {r["resource_code"] for r in usage} == {
        "enterprise.registry",
        "social_insurance.enterprise",
        "tax.enterprise",
    }

    client.force_login(UserFactory(username="citizen2"))
    assert client.get(reverse("exchange:my_records"), {"enterprise": DEMO_ENTERPRISE_CODE}).status_code == 404
    assert client.get(f"{API_PREFIX}/me/usage", {"enterprise": DEMO_ENTERPRISE_CODE}).status_code == 404


def test_my_records_api_reports_each_provider(client, catalog, citizen, demo_server):
    demo_server.app.set_behaviour("utility/bills", down=True)
    client.force_login(citizen)
    body = client.get(f"{API_PREFIX}/me/records").json()
    by_code = {r["resource_code"]: r for r in body}
    assert set(by_code) == PERSON_RESOURCES
    assert by_code["utility.bills"]["result"] == "unavailable" and by_code["utility.bills"]["data"] is None
    assert by_code["traffic.violations"]["data"]["licence_points_left"] == 10


def test_pages_need_a_login(client, catalog):
    for name in ("exchange:my_records", "exchange:my_usage", "exchange_staff:statistics"):
        assert client.get(reverse(name)).status_code == 302
    assert client.get(f"{API_PREFIX}/me/usage").status_code == 401


@pytest.fixture
def traffic(catalog):
    """Calls provided by the traffic police and by the tax bureau, some failed."""
    jj, sw = catalog["traffic.violations"].provider, catalog["tax.individual"].provider
    for _ in range(3):
        ExchangeCallFactory(resource_code="traffic.violations", provider_department_id=jj.pk, latency_ms=20)
    ExchangeCallFactory(
        resource_code="traffic.violations", provider_department_id=jj.pk, result="timeout", latency_ms=500
    )
    ExchangeCallFactory(resource_code="tax.individual", provider_department_id=sw.pk, latency_ms=40)
    return jj, sw


def test_department_staff_see_only_their_departments_statistics(client, traffic):
    jj, _sw = traffic
    staff = StaffAssignmentFactory(department=jj).user
    client.force_login(staff)
    stats = client.get(f"{API_PREFIX}/statistics").json()
    assert stats == [
        {"resource_code": "traffic.violations", "consumer_code": "dept.system", "result": "delivered", "calls": 3,
         "avg_latency_ms": 20.0, "max_latency_ms": 20},
        {"resource_code": "traffic.violations", "consumer_code": "dept.system", "result": "timeout", "calls": 1,
         "avg_latency_ms": 500.0, "max_latency_ms": 500},
    ]  # fmt: skip
    page = client.get(reverse("exchange_staff:statistics"))
    assert page.status_code == 200 and "tax.individual" not in page.content.decode()


def test_administrator_sees_all_statistics_and_citizens_none(client, traffic, citizen):
    client.force_login(UserFactory(administrator=True))
    assert {s["resource_code"] for s in client.get(f"{API_PREFIX}/statistics").json()} == {
        "traffic.violations", "tax.individual"
    }  # fmt: skip
    client.force_login(citizen)
    assert client.get(f"{API_PREFIX}/statistics").status_code == 403
    assert client.get(reverse("exchange_staff:statistics")).status_code == 403


@override_settings(EXCHANGE_CACHE_SECONDS=0)
def test_prefill_consumer_is_subscribed_in_the_demo_catalog(catalog, citizen):
    delivery = exchange_fetch(
        consumer=PREFILL_CONSUMER, resource="population.household", subject=subject_for_person(citizen),
        purpose="申报表单预填",
    )  # fmt: skip
    assert delivery.delivered and delivery.provider_name == "广州市公安局（演示）" and delivery.fetched_at is not None


def test_provider_staff_decide_subscriptions_over_the_api(client, catalog):
    pension = catalog["social_insurance.pension"]
    pending = SubscriptionFactory(resource=pension)
    other = SubscriptionFactory(resource=catalog["tax.individual"])
    steward = StaffAssignmentFactory(department=pension.provider).user
    client.force_login(steward)
    listed = {s["id"] for s in client.get(f"{API_PREFIX}/subscriptions").json()}
    assert pending.pk in listed and other.pk not in listed
    url = f"{API_PREFIX}/subscriptions/{pending.pk}/approve"
    unknown = client.post(url, {"client_id": "no-such-client"}, content_type="application/json")
    assert unknown.status_code == 400 and "client_id" in unknown.json()["fields"]  # a registered client only
    Application.objects.create(
        name="rs-system", client_id="rs-system", client_type=Application.CLIENT_CONFIDENTIAL, hash_client_secret=False,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )  # fmt: skip  # the consumer system's machine client (identity API: POST /identity/machine-clients)
    body = client.post(url, {"client_id": "rs-system", "note": "依法"}, content_type="application/json").json()
    assert (body["status"], body["client_id"]) == ("approved", "rs-system")
    refused = client.post(
        f"{API_PREFIX}/subscriptions/{other.pk}/refuse", {"note": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    other.refresh_from_db()
    assert other.status == "requested"  # the refusal did not happen
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
