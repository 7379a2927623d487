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
    _load_bundle_results()
    citizen = User.objects.filter(username="citizen").first()
    if citizen is not None and not License.objects.filter(license_type=food, holder_user=citizen).exists():
        license_issue(
            license_type=food,
            holder=citizen,
            fields={"name": "演示小吃店", "address": "广州市天河区体育西路1号（演示）", "scope": "热食类食品制售"},
            case_ref="DEMO",
            actor=None,
        )


# The results of the 开饭店 bundle's four demo items (catalog ``bundles_demo``), each issued by its department
# when a case of the item is approved. The business license then replaces the 营业执照 material of later steps.
_SIGN_SCHEMA = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {
        "name": {"type": "string", "title": "经营者名称"},
        "address": {"type": "string", "title": "经营场所"},
        "sign_text": {"type": "string", "title": "招牌内容"},
    },
}
BUNDLE_RESULTS = [
    # code, name, department, schema, validity (years), number format, replaces, issued for
    ("DEMO-GA-YYZZ", "个体工商户营业执照（演示）", "DEMO-511602-SPJ", _SCHEMA, None, "GT{region}{year}{seq:08d}",
     ["营业执照"], ["DEMO-SC-0001"]),
    ("DEMO-GA-SPJY", "食品经营许可证（演示·广安）", "DEMO-511602-SPJ", _SCHEMA, 5, "JY{region}{year}{seq:06d}",
     ["食品经营许可证"], ["DEMO-SC-0002"]),
    ("DEMO-GA-XFJC", "公众聚集场所投入使用、营业前消防安全检查合格证（演示）", "DEMO-511602-XF", _SCHEMA, None,
     "XF{region}{year}{seq:06d}", ["消防安全检查合格证"], ["DEMO-SC-0003"]),
    ("DEMO-GA-ZPSZ", "户外招牌设置许可决定书（演示）", "DEMO-511602-ZJ", _SIGN_SCHEMA, 3, "ZP{region}{year}{seq:06d}",
     ["户外招牌设置许可"], ["DEMO-SC-0004"]),
]  # fmt: skip


def _load_bundle_results() -> None:
    for code, name, department_code, schema, years, number_format, replaces, items in BUNDLE_RESULTS:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            continue  # the demo catalog (which brings the departments) is not loaded
        LicenseType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "issuing_department": department,
                "holder_kind": HolderKind.PERSON,
                "field_schema": schema,
                "validity_years": years,
                "number_format": number_format,
                "replaces_materials": replaces,
                "issued_for_items": items,
            },
        )
