"""A small 一件事 for tests: three items in three departments, stage 1 (a licence) then stage 2 in parallel.

- 开店登记 (stage 1): 身份证, 登记申请书; its e-licence "营业执照" replaces that material elsewhere.
- 经营许可 (stage 2): 身份证, 营业执照 (from stage 1), 管理制度 (告知承诺 may replace it); own field "area".
- 招牌审批 (stage 2): 身份证, 效果图.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tongban.cases import services
from tongban.cases.models import Case, Stage
from tongban.cases.tests.factories import Office, office
from tongban.catalog.models import ItemVersion
from tongban.catalog.tests.factories import BundleFactory, BundleStepFactory, MaterialFactory
from tongban.identity.public import User
from tongban.identity.tests.factories import UserFactory
from tongban.licenses.public import LicenseType
from tongban.licenses.tests.isolation import BUSINESS_LICENSE_FIELDS

SHOP = {
    "name": {"type": "string", "title": "经营者名称", "maxLength": 50},
    "address": {"type": "string", "title": "经营场所", "maxLength": 100},
}
COMMITMENT = "本人承诺管理制度已建立并落实，如有虚假愿承担法律责任。"


@dataclass
class Setup:
    slug: str
    register: Office
    permit: Office
    sign: Office

    @property
    def offices(self) -> list[Office]:
        return [self.register, self.permit, self.sign]


def desk_with(name: str, materials: list[tuple[str, str]], properties: dict[str, Any], **version: Any) -> Office:
    schema = {"type": "object", "required": list(properties), "properties": properties}
    desk = office(materials=0, form_schema=schema, name=name, **version)
    item_version = ItemVersion.objects.get(item__code=desk.item_code)
    for position, (material, substitute) in enumerate(materials, start=1):
        MaterialFactory(version=item_version, position=position, name=material, substitute=substitute)
    return desk


def small_bundle(*, with_license: bool = True) -> Setup:
    register = desk_with("开店登记", [("身份证", ""), ("登记申请书", "")], SHOP, statutory=15, promised=1)
    permit = desk_with(
        "经营许可",
        [("身份证", ""), ("营业执照", "e_license"), ("管理制度", "commitment")],
        {**SHOP, "area": {"type": "number", "title": "面积", "minimum": 1}},
        statutory=20,
        promised=10,
        commitment_text=COMMITMENT,
        postcheck_days=5,
    )
    sign = desk_with("招牌审批", [("身份证", ""), ("效果图", "")], SHOP, statutory=20, promised=5)
    bundle = BundleFactory(slug="kai-dian", name="开店")
    for position, (desk, stage) in enumerate([(register, 1), (permit, 2), (sign, 2)]):
        BundleStepFactory(bundle=bundle, item=ItemVersion.objects.get(item__code=desk.item_code).item, stage=stage,
                          position=position)  # fmt: skip
    if with_license:
        LicenseType.objects.create(
            code="T-YYZZ",
            name="营业执照（测试）",
            issuing_department=register.department,
            holder_kind="person",
            field_schema=BUSINESS_LICENSE_FIELDS,
            replaces_materials=["营业执照"],
            issued_for_items=[register.item_code],
        )
        LicenseType.objects.create(
            code="T-XKZ",
            name="经营许可证（测试）",
            issuing_department=permit.department,
            holder_kind="person",
            field_schema=BUSINESS_LICENSE_FIELDS,
            replaces_materials=["经营许可证"],
            issued_for_items=[permit.item_code],
        )
    return Setup(bundle.slug, register, permit, sign)


def approve_through(case_id: int, desk: Office) -> Any:
    """Accept (if submitted), forward twice and approve, as the department's officers."""
    case = Case.objects.get(pk=case_id)
    if case.stage == Stage.SUBMITTED:
        services.case_accept(case_id=case_id, actor=desk.handler)
    services.case_forward(case_id=case_id, actor=desk.handler)
    services.case_forward(case_id=case_id, actor=desk.reviewer)
    return services.case_approve(case_id=case_id, actor=desk.approver)


def applicant() -> User:
    return UserFactory(first_name="三", last_name="张")
