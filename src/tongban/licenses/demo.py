"""Demo data: two license types of the demo market-regulation bureau, and one license in the citizen's wallet."""

from __future__ import annotations

from django.db import transaction

from tongban.identity.public import Department, User
from tongban.licenses.models import HolderKind, License, LicenseType
from tongban.licenses.services import license_issue

_SCHEMA = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {
        "name": {"type": "string", "title": "经营者名称"},
        "address": {"type": "string", "title": "经营场所"},
        "scope": {"type": "string", "title": "经营项目"},
    },
}


@transaction.atomic
def load() -> None:
    bureau = Department.objects.filter(code="DEMO-440106-SCJG").first()
    if bureau is None:
        return
    food, _created = LicenseType.objects.get_or_create(
        code="DEMO-SPJY",
        defaults={
            "name": "食品经营许可证（演示）",
            "issuing_department": bureau,
            "holder_kind": HolderKind.PERSON,
            "field_schema": _SCHEMA,
            "validity_years": 5,
            "number_format": "JY{region}{year}{seq:06d}",
            "replaces_materials": ["食品经营许可证", "DEMO-SPJY"],
        },
    )
    LicenseType.objects.get_or_create(
        code="DEMO-YYZZ",
        defaults={
            "name": "营业执照（演示）",
            "issuing_department": bureau,
            "holder_kind": HolderKind.ENTERPRISE,
            "field_schema": _SCHEMA,
            "validity_years": None,
            "number_format": "YYZZ{region}{year}{seq:08d}",
            "replaces_materials": ["营业执照", "DEMO-YYZZ"],
        },
    )
    citizen = User.objects.filter(username="citizen").first()
    if citizen is not None and not License.objects.filter(license_type=food, holder_user=citizen).exists():
        license_issue(
            license_type=food,
            holder=citizen,
            fields={"name": "演示小吃店", "address": "广州市天河区体育西路1号（演示）", "scope": "热食类食品制售"},
            case_ref="DEMO",
            actor=None,
        )
