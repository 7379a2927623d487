"""Factories for identity. Traits give one account per role the foundation knows about."""

from __future__ import annotations

import factory

from tongban.identity.models import User


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
