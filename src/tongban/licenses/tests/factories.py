"""Factories for the licenses context: a license type per holder kind, staff of its issuing department."""

from __future__ import annotations

from typing import Any

import factory

from tongban.identity.models import StaffRole, User
from tongban.identity.tests.factories import DepartmentFactory, StaffAssignmentFactory, UserFactory
from tongban.licenses.models import HolderKind, LicenseType

FIELD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {
        "name": {"type": "string", "title": "名称", "maxLength": 100},
        "address": {"type": "string", "title": "住所"},
        "scope": {"type": "string", "title": "经营范围"},
        "capital": {"type": "integer", "title": "注册资本（万元）"},
    },
}


class LicenseTypeFactory(factory.django.DjangoModelFactory[LicenseType]):
    class Meta:
        model = LicenseType

    code = factory.Sequence(lambda n: f"LT{n:03d}")
    name = factory.Sequence(lambda n: f"食品经营许可证{n}")
    issuing_department = factory.SubFactory(DepartmentFactory)
    holder_kind = HolderKind.PERSON
    field_schema = FIELD_SCHEMA
    validity_years = 5
    replaces_materials = ["食品经营许可证", "MAT-FOOD"]

    class Params:
        enterprise = factory.Trait(holder_kind=HolderKind.ENTERPRISE)
        permanent = factory.Trait(validity_years=None)


def staff_of(license_type: LicenseType) -> User:
    assignment = StaffAssignmentFactory(department=license_type.issuing_department, role=StaffRole.APPROVER)
    user: User = assignment.user
    return user


def holder() -> User:
    user: User = UserFactory()
    return user


FIELDS = {"name": "张三小吃店", "address": "广州市天河区体育西路1号", "scope": "热食类食品制售", "capital": 50}
