# ruff: noqa: E501  (demo data tables read best one record per line)
"""Demo exchange catalog: eight provider departments of 广州市 (demo codes), their resources served by the demo
department-systems server, and the platform's own consumers (my page, prefill, real-name verification) with
approved subscriptions.

``install_demo_catalog`` is idempotent; the demo loader, tests and the benchmark use it.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction

from tongban.exchange.models import Consumer, DataResource, ResourceField, SubjectKind, Subscription
from tongban.exchange.registry import IDENTITY_CONSUMER, IDENTITY_PURPOSE, IDENTITY_RESOURCE
from tongban.exchange.services import MYPAGE_CONSUMER, MYPAGE_PURPOSE, PREFILL_CONSUMER
from tongban.identity.public import Department, Region

U, C, N = ResourceField.Sharing.UNCONDITIONAL, ResourceField.Sharing.CONDITIONAL, ResourceField.Sharing.NOT_SHARED

PROVIDERS = {
    "ga": ("DEMO-440100-GA", "广州市公安局（演示）"),
    "scjg": ("DEMO-440100-SCJG", "广州市市场监督管理局（演示）"),
    "rs": ("DEMO-440100-RS", "广州市人力资源和社会保障局（演示）"),
    "yb": ("DEMO-440100-YB", "广州市医疗保障局（演示）"),
    "gjj": ("DEMO-440100-GJJ", "广州住房公积金管理中心（演示）"),
    "sw": ("DEMO-440100-SW", "国家税务总局广州市税务局（演示）"),
    "jj": ("DEMO-440100-JJ", "广州市公安局交通警察支队（演示）"),
    "gy": ("DEMO-440100-GY", "广州市公用事业服务中心（演示）"),
}


class DemoResource(NamedTuple):
    code: str
    name: str
    provider: str
    kind: str
    fields: tuple[tuple[str, str, str, bool], ...]


P, E = SubjectKind.PERSON, SubjectKind.ENTERPRISE
DEMO_RESOURCES: tuple[DemoResource, ...] = (
    DemoResource("population.household", "户籍信息", "ga", P, (
        ("household_number", "户号", U, True), ("relation_to_head", "与户主关系", U, True),
        ("household_size", "户内人数", U, True), ("address", "户籍地址", U, True),
        ("registration_authority", "登记机关", U, False), ("registered_since", "登记日期", U, True),
        ("ethnicity", "民族", N, True),
    )),
    # Asked by resident ID number (see exchange.registry): real-name level 2 only, never on "my page" or in forms.
    DemoResource("population.identity", "人口库身份核验", "ga", P, (
        ("name", "登记姓名", C, True), ("status", "户籍状态", U, False),
    )),
    DemoResource("enterprise.roles", "企业任职信息", "scjg", P, (("enterprises", "担任法定代表人的企业", U, True),)),
    DemoResource("social_insurance.pension", "养老保险", "rs", P, (
        ("insured", "是否参保", U, True), ("employer", "参保单位", U, True), ("status", "参保状态", U, True),
        ("contribution_months", "累计缴费月数", U, True), ("monthly_base_yuan", "缴费基数（元）", C, True),
        ("last_paid_month", "最近缴费月份", U, True),
    )),
    DemoResource("medical_insurance.account", "医疗保险", "yb", P, (
        ("insured", "是否参保", U, True), ("scheme", "险种", U, True),
        ("personal_account_balance_yuan", "个人账户余额（元）", U, True), ("designated_hospital", "定点医院", U, True),
    )),
    DemoResource("housing_fund.account", "住房公积金", "gjj", P, (
        ("account_status", "账户状态", U, True), ("balance_yuan", "余额（元）", U, True),
        ("monthly_deposit_yuan", "月缴存额（元）", U, True), ("employer", "缴存单位", U, True),
    )),
    DemoResource("tax.individual", "个人所得税", "sw", P, (
        ("year", "年度", U, False), ("income_yuan", "收入（元）", U, True), ("tax_paid_yuan", "已缴税额（元）", U, True),
        ("refund_due_yuan", "应退税额（元）", U, True),
    )),
    DemoResource("traffic.violations", "交通违法", "jj", P, (
        ("vehicle", "车辆号牌", U, True), ("open_violations", "未处理违法", U, True),
        ("licence_points_left", "驾驶证剩余分值", U, True),
    )),
    DemoResource("utility.bills", "水电燃气账单", "gy", P, (("address", "用户地址", U, True), ("bills", "账单", U, True))),
    DemoResource("enterprise.registry", "企业登记信息", "scjg", E, (
        ("name", "企业名称", U, False), ("type", "企业类型", U, False),
        ("legal_representative", "法定代表人", U, True), ("registered_capital_wan_yuan", "注册资本（万元）", U, False),
        ("established", "成立日期", U, False), ("status", "登记状态", U, False), ("address", "住所", U, False),
        ("business_scope", "经营范围", U, False),
    )),
    DemoResource("tax.enterprise", "企业纳税信息", "sw", E, (
        ("credit_rating", "纳税信用等级", U, False), ("year", "年度", U, False), ("vat_paid_yuan", "增值税（元）", U, False),
        ("income_tax_paid_yuan", "企业所得税（元）", U, False), ("arrears", "是否欠税", U, False),
    )),
    DemoResource("social_insurance.enterprise", "单位参保信息", "rs", E, (
        ("insured_employees", "参保职工人数", U, False), ("arrears", "是否欠费", U, False),
        ("last_paid_month", "最近缴费月份", U, False), ("employees", "参保职工", N, True),
    )),
)  # fmt: skip


def _region() -> Region:
    parent = None
    for code, name, level in (("440000", "广东省", 1), ("440100", "广州市", 2)):
        parent, _created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
    assert parent is not None  # noqa: S101  # the loop ran
    return parent


@transaction.atomic
def install_demo_catalog(*, base_url: str = "", connector: str = "http") -> dict[str, DataResource]:
    """Departments, resources and the platform consumers with approved subscriptions (idempotent)."""
    region = _region()
    departments = {
        key: Department.objects.get_or_create(code=code, defaults={"name": name, "region": region})[0]
        for key, (code, name) in PROVIDERS.items()
    }
    resources = {}
    for spec in DEMO_RESOURCES:
        resource, _created = DataResource.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name, "provider": departments[spec.provider], "subject_kind": spec.kind,
                "path": spec.code.replace(".", "/"), "base_url": base_url, "connector": connector,
            },
        )  # fmt: skip
        for name, label, sharing, personal in spec.fields:
            ResourceField.objects.update_or_create(
                resource=resource, name=name, defaults={"label": label, "sharing": sharing, "personal": personal}
            )
        resources[spec.code] = resource
    mypage, _c = Consumer.objects.get_or_create(code=MYPAGE_CONSUMER, defaults={"name": "通办·市民主页"})
    prefill, _c = Consumer.objects.get_or_create(code=PREFILL_CONSUMER, defaults={"name": "通办·申报预填"})
    identity, _c = Consumer.objects.get_or_create(code=IDENTITY_CONSUMER, defaults={"name": "通办·实名认证"})
    _approved(
        identity,
        resources[IDENTITY_RESOURCE],
        IDENTITY_PURPOSE,
        "《网络安全法》第二十四条（网络运营者要求用户提供真实身份信息）；《居民身份证法》",
        fields=["name"],
    )
    for resource in resources.values():
        if resource.code == IDENTITY_RESOURCE:
            continue
        _approved(
            mypage,
            resource,
            MYPAGE_PURPOSE,
            "《中华人民共和国个人信息保护法》第四十五条（个人查阅、复制其个人信息的权利）",
        )
        _approved(
            prefill,
            resource,
            "办事申报表单预填与材料免提交",
            "《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》（国发〔2018〕27号）",
        )
    return resources


def _approved(
    consumer: Consumer, resource: DataResource, purpose: str, basis: str, *, fields: list[str] | None = None
) -> None:
    live = Subscription.objects.filter(
        consumer=consumer, resource=resource, status__in=[Subscription.Status.REQUESTED, Subscription.Status.APPROVED]
    )
    if not live.exists():
        Subscription.objects.create(
            consumer=consumer, resource=resource, purpose=purpose, legal_basis=basis,
            status=Subscription.Status.APPROVED, fields=fields or [],
        )  # fmt: skip


def load() -> None:
    install_demo_catalog()
