"""Factories for identity, with a trait per state (levels, roles, grant states)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tongban.identity import crypto
from tongban.identity.ids import resident_id_check_char
from tongban.identity.models import (
    Authorisation,
    Department,
    Enterprise,
    EnterpriseAgent,
    Person,
    RealNameLevel,
    Region,
    StaffAssignment,
    StaffRole,
    User,
)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("correct-horse-battery")

    class Params:
        staff = factory.Trait(is_staff=True)
        administrator = factory.Trait(is_staff=True, is_superuser=True)


def demo_id_number(n: int) -> str:
    """A valid-checksum resident ID (Beijing 朝阳区, born 1990-01-01, sequence from ``n``)."""
    first17 = f"11010519900101{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def demo_phone(n: int) -> str:
    return f"139{n % 100_000_000:08d}"


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    """``id_number`` and ``phone`` are plain-text parameters; the row holds them encrypted and hashed."""

    class Meta:
        model = Person
        exclude = ("id_number", "phone")

    name = factory.Faker("name", locale="zh_CN")
    user = factory.SubFactory(UserFactory, first_name=factory.SelfAttribute("..name"))
    id_number = factory.Sequence(demo_id_number)
    phone = factory.Sequence(demo_phone)
    id_number_cipher = factory.LazyAttribute(lambda o: crypto.encrypt(o.id_number))
    id_number_hash = factory.LazyAttribute(lambda o: crypto.lookup_hash("id", o.id_number))
    phone_cipher = factory.LazyAttribute(lambda o: crypto.encrypt(o.phone))
    phone_hash = factory.LazyAttribute(lambda o: crypto.lookup_hash("phone", o.phone))
    real_name_level = RealNameLevel.L1

    class Params:
        l2 = factory.Trait(real_name_level=RealNameLevel.L2)
        l3 = factory.Trait(real_name_level=RealNameLevel.L3)


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"44{n % 10000:04d}")
    name = factory.Sequence(lambda n: f"区{n}")
    level = Region.Level.DISTRICT


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"TEST-DEPT-{n}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    region = factory.SubFactory(RegionFactory)


class StaffAssignmentFactory(factory.django.DjangoModelFactory[StaffAssignment]):
    class Meta:
        model = StaffAssignment

    user = factory.SubFactory(UserFactory, staff=True)
    department = factory.SubFactory(DepartmentFactory)
    role = StaffRole.HANDLER

    class Params:
        clerk = factory.Trait(role=StaffRole.WINDOW_CLERK)
        administrator = factory.Trait(role=StaffRole.ADMINISTRATOR)


class EnterpriseFactory(factory.django.DjangoModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    credit_code = factory.Iterator(
        ["91110000600037341L", "91350100M000100Y43", "914403001922038216", "91330000704202479R"]
    )
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    legal_representative = factory.LazyAttribute(lambda o: PersonFactory(l2=True).user)


def _in(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


class AuthorisationFactory(factory.django.DjangoModelFactory[Authorisation]):
    class Meta:
        model = Authorisation

    principal = factory.LazyAttribute(lambda o: PersonFactory().user)
    agent = factory.LazyAttribute(lambda o: PersonFactory().user)
    item_codes = factory.LazyFunction(lambda: ["ITEM-001"])
    expires_at = factory.LazyFunction(lambda: _in(30))

    class Params:
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: _in(-1)))
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))


class EnterpriseAgentFactory(factory.django.DjangoModelFactory[EnterpriseAgent]):
    class Meta:
        model = EnterpriseAgent

    enterprise = factory.SubFactory(EnterpriseFactory)
    agent = factory.LazyAttribute(lambda o: PersonFactory().user)
    all_items = True
    expires_at = factory.LazyFunction(lambda: _in(30))
    granted_by = factory.LazyAttribute(lambda o: o.enterprise.legal_representative)

    class Params:
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))
