"""Subscriptions and the "no subscription, no data" rule of exchange_fetch."""

from __future__ import annotations

import pytest
from oauth2_provider.models import Application

from tongban.common.models import AuditEvent
from tongban.common.public import Conflict, DomainError, PermissionDenied
from tongban.exchange import services
from tongban.exchange.connectors.inprocess import inprocess_app
from tongban.exchange.models import CallResult, ExchangeCall, ResourceField, Subscription
from tongban.exchange.public import SubscriptionRequired, exchange_fetch, subject_for_person
from tongban.exchange.tests.factories import (
    ConsumerFactory,
    DataResourceFactory,
    ResourceFieldFactory,
    SubscriptionFactory,
    UserFactory,
)
from tongban.identity.tests.factories import StaffAssignmentFactory

pytestmark = pytest.mark.django_db
PURPOSE = "入学登记核验户籍"


@pytest.fixture
def household():
    """population.household served in-process by the demo app, with one field of each sharing class."""
    resource = DataResourceFactory(code="population.household", path="population/household")
    ResourceFieldFactory(resource=resource, name="address", label="户籍地址")
    ResourceFieldFactory(resource=resource, name="household_size", label="户内人数", conditional=True)
    ResourceFieldFactory(resource=resource, name="ethnicity", label="民族", not_shared=True)
    return resource


@pytest.fixture
def steward(household):
    return StaffAssignmentFactory(department=household.provider).user


def test_consumer_without_subscription_is_refused_and_nothing_is_delivered(household, citizen):
    consumer = ConsumerFactory()
    before = inprocess_app().calls
    with pytest.raises(SubscriptionRequired) as refused:
        exchange_fetch(
            consumer=consumer.code, resource=household.code, subject=subject_for_person(citizen), purpose=PURPOSE
        )
    assert refused.value.status == 403
    assert refused.value.code == "subscription_required"
    assert consumer.code in refused.value.message and household.code in refused.value.message
    assert inprocess_app().calls == before  # the provider was never asked
    assert not ExchangeCall.objects.filter(result=CallResult.DELIVERED).exists()
    attempt = ExchangeCall.objects.get()
    assert (attempt.result, attempt.consumer_code, attempt.subject_key) == (
        CallResult.REFUSED, consumer.code, f"u:{citizen.public_id}"
    )  # fmt: skip


@pytest.mark.parametrize("state", ["requested", "refused", "revoked"])
def test_a_subscription_that_is_not_approved_shares_nothing(household, citizen, state):
    subscription = SubscriptionFactory(resource=household, **{state: True} if state != "requested" else {})
    with pytest.raises(SubscriptionRequired):
        exchange_fetch(
            consumer=subscription.consumer.code, resource=household.code, subject=subject_for_person(citizen),
            purpose=PURPOSE,
        )  # fmt: skip
    assert list(ExchangeCall.objects.values_list("result", flat=True)) == [CallResult.REFUSED]


def test_approved_subscription_delivers_only_shareable_fields_and_logs_the_call(household, citizen):
    subscription = SubscriptionFactory(resource=household, approved=True)
    delivery = exchange_fetch(
        consumer=subscription.consumer.code, resource=household.code, subject=subject_for_person(citizen),
        purpose=PURPOSE,
    )  # fmt: skip
    assert delivery.delivered
    assert delivery.data == {
        "address": "广州市天河区体育西路 101 号 1201 房"
    }  # conditional not requested, not_shared never
    call = ExchangeCall.objects.get()
    assert call.result == CallResult.DELIVERED
    assert call.subscription_id == subscription.pk
    assert call.purpose == PURPOSE
    assert call.provider_department_id == household.provider_id
    assert call.region_code == household.provider.region_id


def test_conditional_fields_flow_only_when_the_subscription_asked_for_them(household, citizen):
    subscription = SubscriptionFactory(resource=household, approved=True, fields=["household_size"])
    delivery = exchange_fetch(
        consumer=subscription.consumer.code, resource=household.code, subject=subject_for_person(citizen),
        purpose=PURPOSE,
    )  # fmt: skip
    assert delivery.data == {"address": "广州市天河区体育西路 101 号 1201 房", "household_size": 3}


def test_machine_caller_must_present_the_client_the_subscription_was_issued_to(household, citizen):
    subscription = SubscriptionFactory(resource=household, approved=True, client_id="client-a")
    args = {"consumer": subscription.consumer.code, "resource": household.code,
            "subject": subject_for_person(citizen), "purpose": PURPOSE}  # fmt: skip
    with pytest.raises(SubscriptionRequired):
        exchange_fetch(**args, client_id="client-b")
    assert exchange_fetch(**args, client_id="client-a").delivered
    assert sorted(ExchangeCall.objects.values_list("result", flat=True)) == [CallResult.DELIVERED, CallResult.REFUSED]


def test_unknown_subject_is_logged_as_no_record(household):
    subscription = SubscriptionFactory(resource=household, approved=True)
    stranger = UserFactory(username="nobody-here")
    delivery = exchange_fetch(
        consumer=subscription.consumer.code, resource=household.code, subject=subject_for_person(stranger),
        purpose=PURPOSE,
    )  # fmt: skip
    assert (delivery.result, delivery.data) == (CallResult.NOT_FOUND, None)
    assert ExchangeCall.objects.get().result == CallResult.NOT_FOUND


def test_every_call_states_a_purpose(household, citizen):
    subscription = SubscriptionFactory(resource=household, approved=True)
    with pytest.raises(DomainError) as error:
        exchange_fetch(
            consumer=subscription.consumer.code, resource=household.code, subject=subject_for_person(citizen),
            purpose="  ",
        )  # fmt: skip
    assert "purpose" in error.value.fields
    assert not ExchangeCall.objects.exists()


def test_subscription_lifecycle_is_decided_by_the_provider_and_audited(household, steward):
    Application.objects.create(
        name="c1", client_id="c1", client_type=Application.CLIENT_CONFIDENTIAL, hash_client_secret=False,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )  # fmt: skip  # the consumer system's machine client
    consumer = ConsumerFactory()
    requester = UserFactory(staff=True)
    subscription = services.subscription_request(
        actor=requester, consumer=consumer, resource=household, purpose=PURPOSE, legal_basis="《义务教育法》第十二条",
        fields=["household_size"],
    )  # fmt: skip
    assert subscription.status == Subscription.Status.REQUESTED
    with pytest.raises(Conflict):
        services.subscription_request(
            actor=requester, consumer=consumer, resource=household, purpose=PURPOSE, legal_basis="x"
        )
    outsider = StaffAssignmentFactory().user  # staff of another department
    with pytest.raises(PermissionDenied):
        services.subscription_approve(actor=outsider, subscription_id=subscription.pk, client_id="c1")
    approved = services.subscription_approve(actor=steward, subscription_id=subscription.pk, client_id="c1")
    assert (approved.status, approved.client_id, approved.decided_by) == ("approved", "c1", steward)
    with pytest.raises(Conflict):
        services.subscription_refuse(actor=steward, subscription_id=subscription.pk, note="晚了")
    revoked = services.subscription_revoke(actor=steward, subscription_id=subscription.pk, note="用途结束")
    assert revoked.status == Subscription.Status.REVOKED
    actions = list(
        AuditEvent.objects.filter(object_type="exchange.subscription", object_id=str(subscription.pk))
        .order_by("occurred_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "exchange.subscription_requested", "exchange.subscription_approved", "exchange.subscription_revoked"
    ]  # fmt: skip


def test_a_request_needs_purpose_legal_basis_and_only_conditional_fields(household):
    with pytest.raises(DomainError) as error:
        services.subscription_request(
            actor=None, consumer=ConsumerFactory(), resource=household, purpose="", legal_basis="",
            fields=["ethnicity", "address"],
        )  # fmt: skip
    assert set(error.value.fields) == {"purpose", "legal_basis", "fields"}
    assert not Subscription.objects.exists()


def test_refusal_needs_a_reason(household, steward):
    subscription = SubscriptionFactory(resource=household)
    with pytest.raises(DomainError):
        services.subscription_refuse(actor=steward, subscription_id=subscription.pk, note="")
    refused = services.subscription_refuse(actor=steward, subscription_id=subscription.pk, note="用途与资源无关")
    assert refused.status == Subscription.Status.REFUSED


def test_only_the_provider_publishes_its_resources(household):
    provider = household.provider
    fields = [services.FieldSpec("bills", "账单", ResourceField.Sharing.UNCONDITIONAL, personal=True)]
    kwargs = {"provider": provider, "code": "utility.test", "name": "账单", "subject_kind": "person",
              "path": "utility/bills", "fields": fields}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.resource_publish(actor=UserFactory(), **kwargs)
    steward = StaffAssignmentFactory(department=provider).user
    resource = services.resource_publish(actor=steward, **kwargs)
    assert list(resource.fields.values_list("name", "personal")) == [("bills", True)]
    assert AuditEvent.objects.filter(action="exchange.resource_published", object_id=str(resource.pk)).exists()
