"""Factories for the catalog. ItemVersionFactory has a trait per lifecycle state (draft, published, superseded)."""

from __future__ import annotations

import factory

from tongban.catalog.models import Bundle, BundleStep, Item, ItemType, ItemVersion, Material
from tongban.identity.models import Department, Region


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "511602"
    name = "广安区"
    level = Region.Level.DISTRICT


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:017d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    region = factory.SubFactory(RegionFactory)


class ItemFactory(factory.django.DjangoModelFactory[Item]):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"TEST-{n:06d}")
    basic_code = factory.LazyAttribute(lambda o: o.code)
    department = factory.SubFactory(DepartmentFactory)
    region = factory.LazyAttribute(lambda o: o.department.region)
    source_format = "tongban"


class ItemVersionFactory(factory.django.DjangoModelFactory[ItemVersion]):
    class Meta:
        model = ItemVersion
        skip_postgeneration_save = True

    item = factory.SubFactory(ItemFactory)
    number = 1
    status = ItemVersion.Status.DRAFT
    name = factory.Sequence(lambda n: f"测试事项{n}")
    item_type = ItemType.PUBLIC_SERVICE
    statutory_limit_text = "20(工作日)"
    statutory_limit_days = 20
    promised_limit_text = "5(工作日)"
    promised_limit_days = 5

    class Params:
        draft = factory.Trait(status=ItemVersion.Status.DRAFT)
        published = factory.Trait(status=ItemVersion.Status.PUBLISHED)
        superseded = factory.Trait(status=ItemVersion.Status.SUPERSEDED)

    @factory.post_generation
    def make_current(self, create, extracted, **kwargs):
        if create and self.status == ItemVersion.Status.PUBLISHED:
            self.item.current_version = self
            self.item.save(update_fields=["current_version"])


class MaterialFactory(factory.django.DjangoModelFactory[Material]):
    class Meta:
        model = Material

    version = factory.SubFactory(ItemVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"材料{n}")


class BundleFactory(factory.django.DjangoModelFactory[Bundle]):
    class Meta:
        model = Bundle

    slug = factory.Sequence(lambda n: f"bundle-{n}")
    name = factory.Sequence(lambda n: f"一件事{n}")
    event = Bundle.Event.LIFE


class BundleStepFactory(factory.django.DjangoModelFactory[BundleStep]):
    class Meta:
        model = BundleStep

    bundle = factory.SubFactory(BundleFactory)
    item = factory.SubFactory(ItemFactory)
    stage = 1
