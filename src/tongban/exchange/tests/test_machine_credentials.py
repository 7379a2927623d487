"""A department system calls the exchange for real: a live server, the OAuth2 client-credentials grant at our
identity provider with ``requests``, a scope naming the resource, and the machine endpoint. No subscription,
no data: without an approved subscription issued to the client (or after a revoke) the call is refused in the
one error shape and logged as refused, never as delivered."""

from __future__ import annotations

import pytest
import requests
from django.conf import settings as django_settings
from django.utils.translation import gettext

from tongban.common.models import AuditEvent
from tongban.exchange.models import CallResult, DataResource, ExchangeCall
from tongban.exchange.selectors import usage_for_person
from tongban.exchange.services import (
    consumer_register,
    subscription_approve,
    subscription_request,
    subscription_revoke,
)
from tongban.exchange.subjects import subject_for_person
from tongban.identity.demo_data import DEMO_PERSONS
from tongban.identity.machine import machine_client_register
from tongban.identity.tests.factories import DepartmentFactory, PersonFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ZHANG = DEMO_PERSONS[0]
HOUSEHOLD = "population.household"
PURPOSE = "不动产登记：核验申请人户籍"
BASIS = "《不动产登记暂行条例》"


@pytest.fixture
def system(settings, live_server, catalog):
    """The 不动产登记 system of another department: a consumer, a machine client, a subscription approved by
    the population registry's own staff (公安)."""
    settings.PASSWORD_HASHERS = [*django_settings.PASSWORD_HASHERS, "tongban.identity.hashers.ClientSecretHasher"]
    admin = UserFactory(administrator=True)
    consumer = consumer_register(
        actor=admin, code="dept.bdc", name="不动产登记系统", department=DepartmentFactory(name="广州市不动产登记中心")
    )
    client = machine_client_register(actor=admin, name="不动产登记系统")
    subscription = subscription_request(
        actor=None,
        consumer=consumer,
        resource=catalog[HOUSEHOLD],
        purpose=PURPOSE,
        legal_basis="《不动产登记暂行条例》",
    )
    steward = StaffAssignmentFactory(department=catalog[HOUSEHOLD].provider).user
    subscription_approve(actor=steward, subscription_id=subscription.pk, client_id=client.client_id)
    person = PersonFactory(user__username="citizen", name=ZHANG.name, id_number=ZHANG.id_number, phone=ZHANG.phone)
    return {
        "url": live_server.url,
        "client": client,
        "subscription": subscription,
        "steward": steward,
        "person": person,
    }


def _token(system, scope):
    client = system["client"]
    return requests.post(
        f"{system['url']}/o/token/",
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )


def _fetch(system, token, resource=HOUSEHOLD, subject=ZHANG.id_number):
    return requests.post(
        f"{system['url']}/api/v1/exchange/machine/fetch",
        json={"resource": resource, "subject_kind": "person", "subject": subject, "purpose": PURPOSE},
        headers={"Authorization": f"Bearer {token}"} if token else {},
        timeout=10,
    )


def _calls(result):
    return ExchangeCall.objects.filter(consumer_code="dept.bdc", result=result)


def test_an_approved_subscriber_gets_a_scoped_token_and_the_data(system):
    granted = _token(system, f"exchange:{HOUSEHOLD}")
    assert granted.status_code == 200, granted.text
    body = granted.json()
    assert body["token_type"] == "Bearer" and body["scope"] == f"exchange:{HOUSEHOLD}"
    response = _fetch(system, body["access_token"])
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["result"], answer["data"]["household_number"]) == ("delivered", "440106-DEMO-0001")
    assert "ethnicity" not in answer["data"]  # not shared: dropped by the exchange
    call = _calls(CallResult.DELIVERED).get()
    person = system["person"].user
    assert call.subject_key == subject_for_person(person).log_key and call.purpose == PURPOSE
    assert ZHANG.id_number not in str(ExchangeCall.objects.values().get(id=call.id))
    assert [(u.consumer_name, u.consumer_department) for u in usage_for_person(person)] == [
        ("不动产登记系统", "广州市不动产登记中心")
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="identity.machine_client_registered").exists()


def test_no_subscription_no_scope_no_data(system):
    # The token endpoint grants no scope the client has no approved subscription for.
    refused = _token(system, "exchange:tax.individual")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
    assert _token(system, "openid").status_code == 400  # user scopes are not for machines
    token = _token(system, f"exchange:{HOUSEHOLD}").json()["access_token"]
    # A resource the token does not name: a clear 403 in the one error shape, logged as refused.
    other = _fetch(system, token, resource="tax.individual")
    assert other.status_code == 403
    assert other.json()["code"] == "subscription_required" and set(other.json()) == {"code", "message", "fields"}
    assert other.json()["message"] == gettext(
        "%(consumer)s has no approved subscription to %(resource)s for this client, or the token does not carry "
        "the scope %(scope)s: no data was shared."
    ) % {"consumer": "dept.bdc", "resource": "tax.individual", "scope": "exchange:tax.individual"}
    assert _calls(CallResult.REFUSED).filter(resource_code="tax.individual").count() == 1
    assert not _calls(CallResult.DELIVERED).exists()
    # No token, or a made-up one: 401 in the same shape, nothing logged.
    for bad in ("", "not-a-token"):
        unauthenticated = _fetch(system, bad)
        assert unauthenticated.status_code == 401 and unauthenticated.json()["code"] == "unauthenticated"
    assert ExchangeCall.objects.count() == 1


def test_after_a_revoke_even_a_token_issued_before_gets_nothing(system):
    token = _token(system, f"exchange:{HOUSEHOLD}").json()["access_token"]
    assert _fetch(system, token).status_code == 200
    subscription_revoke(actor=system["steward"], subscription_id=system["subscription"].pk, note="用途已完成")
    refused = _fetch(system, token)
    assert refused.status_code == 403 and refused.json()["code"] == "subscription_required"
    assert _calls(CallResult.DELIVERED).count() == 1 and _calls(CallResult.REFUSED).count() == 1
    assert _token(system, f"exchange:{HOUSEHOLD}").json()["error"] == "invalid_scope"  # and no new token
    assert len(usage_for_person(system["person"].user)) == 1  # a refusal is not a use of the data


def test_a_person_unknown_to_the_platform_is_not_found_only_for_a_subscriber(system):
    token = _token(system, f"exchange:{HOUSEHOLD}").json()["access_token"]
    unknown = _fetch(system, token, subject="110105199001010010")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    other = _fetch(system, token, resource="tax.individual", subject="110105199001010010")
    assert other.status_code == 403  # a non-subscriber learns nothing about who is registered


def test_approving_with_a_client_id_that_does_not_exist_is_refused(system, catalog):
    from tongban.common.public import DomainError
    from tongban.exchange.models import Consumer

    consumer, resource = Consumer.objects.get(code="dept.bdc"), DataResource.objects.get(code="tax.individual")
    pending = subscription_request(actor=None, consumer=consumer, resource=resource, purpose=PURPOSE, legal_basis=BASIS)
    steward = StaffAssignmentFactory(department=catalog["tax.individual"].provider).user
    with pytest.raises(DomainError) as refusal:
        subscription_approve(actor=steward, subscription_id=pending.pk, client_id="no-such-client")
    assert "client_id" in refusal.value.fields


def test_administrators_register_machine_clients_over_the_api(settings, client):
    settings.PASSWORD_HASHERS = [*django_settings.PASSWORD_HASHERS, "tongban.identity.hashers.ClientSecretHasher"]
    client.force_login(PersonFactory().user)
    refused = client.post("/api/v1/identity/machine-clients", {"name": "公积金系统"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    client.force_login(UserFactory(administrator=True))
    created = client.post("/api/v1/identity/machine-clients", {"name": "公积金系统"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    from oauth2_provider.models import Application

    stored = Application.objects.get(client_id=body["client_id"])
    assert stored.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS
    assert body["client_secret"] not in stored.client_secret  # kept hashed
