"""Factories for the exchange, with a trait per subscription state."""

from __future__ import annotations

import uuid

import factory
from django.utils import timezone

from tongban.exchange.models import (
    CallResult,
    Consumer,
    DataResource,
    ExchangeCall,
    ResourceField,
    SubjectKind,
    Subscription,
)
from tongban.identity.tests.factories import DepartmentFactory, UserFactory

__all__ = ["DepartmentFactory", "UserFactory"]


class DataResourceFactory(factory.django.DjangoModelFactory[DataResource]):
    class Meta:
        model = DataResource
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test.resource{n}")
    name = factory.Sequence(lambda n: f"测试资源{n}")
    provider = factory.SubFactory(DepartmentFactory)
    subject_kind = SubjectKind.PERSON
    path = "population/household"
    connector = "inprocess"


class ResourceFieldFactory(factory.django.DjangoModelFactory[ResourceField]):
    class Meta:
        model = ResourceField

    resource = factory.SubFactory(DataResourceFactory)
    name = factory.Sequence(lambda n: f"field{n}")
    label = factory.Sequence(lambda n: f"字段{n}")
    sharing = ResourceField.Sharing.UNCONDITIONAL

    class Params:
        conditional = factory.Trait(sharing=ResourceField.Sharing.CONDITIONAL)
        not_shared = factory.Trait(sharing=ResourceField.Sharing.NOT_SHARED)


class ConsumerFactory(factory.django.DjangoModelFactory[Consumer]):
    class Meta:
        model = Consumer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept.system{n}")
    name = factory.Sequence(lambda n: f"部门系统{n}")
    department = factory.SubFactory(DepartmentFactory)


class SubscriptionFactory(factory.django.DjangoModelFactory[Subscription]):
    """Requested by default; traits: ``approved``, ``refused``, ``revoked``."""

    class Meta:
        model = Subscription

    consumer = factory.SubFactory(ConsumerFactory)
    resource = factory.SubFactory(DataResourceFactory)
    purpose = "办理入学登记时核验户籍"
    legal_basis = "《义务教育法》第十二条"
    status = Subscription.Status.REQUESTED

    class Params:
        approved = factory.Trait(status=Subscription.Status.APPROVED, decided_at=factory.LazyFunction(timezone.now))
        refused = factory.Trait(
            status=Subscription.Status.REFUSED, decided_at=factory.LazyFunction(timezone.now), decision_note="无依据"
        )
        revoked = factory.Trait(status=Subscription.Status.REVOKED, decided_at=factory.LazyFunction(timezone.now))


class ExchangeCallFactory(factory.django.DjangoModelFactory[ExchangeCall]):
    class Meta:
        model = ExchangeCall

    called_at = factory.LazyFunction(timezone.now)
    id = factory.LazyFunction(uuid.uuid4)
    consumer_code = "dept.system"
    resource_code = "population.household"
    subject_kind = SubjectKind.PERSON
    subject_key = factory.LazyFunction(lambda: f"u:{uuid.uuid4()}")
    purpose = "测试"
    result = CallResult.DELIVERED
    latency_ms = 12
