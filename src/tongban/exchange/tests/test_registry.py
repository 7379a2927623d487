"""Real-name level 2 goes through the exchange: a logged call the person sees under "who used my data"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from tongban.common.public import DomainError
from tongban.exchange.models import CallResult, ExchangeCall, Subscription
from tongban.exchange.registry import IDENTITY_CONSUMER, IDENTITY_PURPOSE, IDENTITY_RESOURCE
from tongban.exchange.selectors import usage_for_person
from tongban.exchange.subjects import subject_for_person
from tongban.identity.demo_data import DEMO_PERSONS
from tongban.identity.models import IdentityEvent, RealNameLevel
from tongban.identity.services import person_confirm_by_registry
from tongban.identity.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
WANG = DEMO_PERSONS[2]  # in the demo population registry, no demo account
MISMATCH = gettext(
    "The population registry does not hold a person with exactly this name and ID number, so your identity stays "
    "at its present level. Check the name and ID number on your account; if they are right, have your identity "
    "confirmed at a service window."
)


@pytest.fixture
def through_exchange(settings, catalog):
    settings.IDENTITY_POPULATION_REGISTRY = "tongban.exchange.registry.ExchangePopulationRegistry"
    return catalog


def _calls(user):
    return ExchangeCall.objects.filter(subject_key=subject_for_person(user).log_key, resource_code=IDENTITY_RESOURCE)


def test_level_two_is_an_exchange_call_the_person_sees_under_who_used_my_data(through_exchange):
    person = PersonFactory(name=WANG.name, id_number=WANG.id_number, phone=WANG.phone)
    assert person_confirm_by_registry(user=person.user) == RealNameLevel.L2
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.L2
    call = _calls(person.user).get()
    assert (call.consumer_code, call.result, call.purpose) == (
        IDENTITY_CONSUMER,
        CallResult.DELIVERED,
        IDENTITY_PURPOSE,
    )
    stored = str(ExchangeCall.objects.values().get(id=call.id))
    assert WANG.id_number not in stored and WANG.name not in stored  # asked by ID number, never logged by it
    [usage] = usage_for_person(person.user)
    assert (usage.resource_code, usage.purpose, usage.provider_department) == (
        IDENTITY_RESOURCE, IDENTITY_PURPOSE, "广州市公安局（演示）"
    )  # fmt: skip
    client = Client()
    client.force_login(person.user)
    page = client.get(reverse("exchange:my_usage")).content.decode()
    assert IDENTITY_PURPOSE in page and "人口库身份核验" in page
    # Already L2: the registry is not asked again.
    assert client.post("/api/v1/identity/me/real-name/registry").json() == {"real_name_level": 2}
    assert _calls(person.user).count() == 1


def test_a_wrong_name_refuses_level_two_with_a_clear_message(through_exchange):
    person = PersonFactory(name="王六", id_number=WANG.id_number, phone=WANG.phone)
    with pytest.raises(DomainError) as refusal:
        person_confirm_by_registry(user=person.user)
    assert (refusal.value.code, refusal.value.message) == ("registry_mismatch", MISMATCH)
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.L1
    assert IdentityEvent.objects.filter(subject_user=person.user, action="registry_check_failed").exists()
    assert _calls(person.user).get().result == CallResult.DELIVERED  # the registry was asked: the person sees it

    client = Client()
    client.force_login(person.user)
    response = client.post(reverse("identity:account"), {"action": "raise_level"}, follow=True)
    assert MISMATCH in response.content.decode()
    api = client.post("/api/v1/identity/me/real-name/registry")
    assert api.status_code == 400
    assert (api.json()["code"], api.json()["message"]) == ("registry_mismatch", MISMATCH)
    assert _calls(person.user).count() == 3  # page and API asked again, each call logged


def test_an_id_number_the_registry_does_not_hold_refuses_level_two(through_exchange):
    person = PersonFactory(name=WANG.name, id_number="110105199001010010")
    with pytest.raises(DomainError) as refusal:
        person_confirm_by_registry(user=person.user)
    assert refusal.value.code == "registry_mismatch"
    assert _calls(person.user).get().result == CallResult.NOT_FOUND


def test_without_a_subscription_or_with_the_registry_down_no_verdict_is_given(through_exchange, demo_server):
    person = PersonFactory(name=WANG.name, id_number=WANG.id_number, phone=WANG.phone)
    demo_server.app.set_behaviour("population/identity", down=True)
    with pytest.raises(DomainError) as down:
        person_confirm_by_registry(user=person.user)
    assert down.value.code == "registry_unavailable"
    assert down.value.message == gettext(
        "The population registry cannot be reached just now. Please try again in a few minutes."
    )
    demo_server.app.reset()
    Subscription.objects.filter(consumer__code=IDENTITY_CONSUMER).update(status=Subscription.Status.REVOKED)
    with pytest.raises(DomainError) as unsubscribed:
        person_confirm_by_registry(user=person.user)
    assert unsubscribed.value.code == "registry_unavailable"
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.L1
    assert list(_calls(person.user).order_by("called_at").values_list("result", flat=True)) == [
        CallResult.UNAVAILABLE, CallResult.REFUSED
    ]  # fmt: skip


def test_the_demo_population_registry_holds_exactly_identitys_demo_persons():
    from tongban.exchange.demo_server.data import POPULATION_IDENTITY

    assert {p.id_number: {"name": p.name, "status": "正常"} for p in DEMO_PERSONS} == POPULATION_IDENTITY
