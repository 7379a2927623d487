"""The four demo bundles (一件事): 开饭店, 新生儿出生, 退休, 企业开办.

The real Guang'an list names these services but publishes no materials or time limits, so each step is a
**demo item** (``is_demo``, code ``DEMO-…``) with a full guide written for the demo; ``source.stands_for``
names the real item it illustrates. Bundles are ordinary data, editable in the admin afterwards.
"""

from __future__ import annotations

from typing import Any

from tongban.catalog import services
from tongban.catalog.importing.records import ItemRecord, MaterialRecord
from tongban.catalog.models import ItemType, OnlineDepth

REGION = [["510000", "四川省", 1], ["511600", "广安市", 2], ["511602", "广安区", 3]]
ID = "居民身份证"

# code, name, department (code, name), type, days (statutory, promised), online depth, materials, stands for
DEMO_ITEMS: list[tuple[str, str, tuple[str, str], str, tuple[str, str], str, list[str], str]] = [
    ("DEMO-SC-0001", "个体工商户设立登记（营业执照）", ("DEMO-511602-SPJ", "区行政审批局（演示）"), ItemType.LICENSING,
     ("15(工作日)", "1(工作日)"), OnlineDepth.FULLY_ONLINE, [ID, "个体工商户设立登记申请书", "经营场所使用证明"],
     "511A0074300005-511602000000-000-115113016823646795-1-00"),
    ("DEMO-SC-0002", "食品经营许可核发（餐饮服务）", ("DEMO-511602-SPJ", "区行政审批局（演示）"), ItemType.LICENSING,
     ("20(工作日)", "10(工作日)"), OnlineDepth.AT_MOST_ONCE,
     [ID, "食品经营许可申请书", "营业执照", "经营场所使用证明", "食品安全管理制度", "主要设备设施布局图"],
     "511A0005200004-511602000000-000-115113016823646795-1-00"),
    ("DEMO-SC-0003", "公众聚集场所投入使用、营业前消防安全检查", ("DEMO-511602-XF", "区消防救援大队（演示）"),
     ItemType.OTHER_POWER, ("10(工作日)", "7(工作日)"), OnlineDepth.AT_MOST_ONCE,
     [ID, "营业执照", "经营场所使用证明", "消防安全检查申报表", "消防安全制度"],
     "511A0021300001-511602000000-000-11511300MB1A21304N-1-00"),
    ("DEMO-SC-0004", "设置户外招牌和广告审批", ("DEMO-511602-ZJ", "区综合行政执法局（演示）"), ItemType.LICENSING,
     ("20(工作日)", "5(工作日)"), OnlineDepth.AT_MOST_ONCE,
     [ID, "营业执照", "经营场所使用证明", "户外招牌设计效果图"],
     "511A0188100003-511602000000-000-115113016823646795-1-00"),
    ("DEMO-SC-0101", "《出生医学证明》首次签发", ("DEMO-511602-WJ", "区卫生健康局（演示）"), ItemType.PUBLIC_SERVICE,
     ("无", "1(工作日)"), OnlineDepth.AT_MOST_ONCE, ["父母居民身份证", "住院分娩记录", "结婚证"],
     "512023377001-511602000000-000-11511301008778490F-1-00"),
    ("DEMO-SC-0102", "新生儿出生登记（上户口）", ("DEMO-511602-GA", "区公安分局（演示）"), ItemType.CONFIRMATION,
     ("无", "1(工作日)"), OnlineDepth.FULLY_ONLINE, ["出生医学证明", "父母居民身份证", "居民户口簿", "结婚证"],
     "511F09014002-511602000000-000-11511300008778693M-1-00"),
    ("DEMO-SC-0103", "城乡居民医疗保险参保登记（新生儿）", ("DEMO-511602-YB", "区医疗保障局（演示）"),
     ItemType.PUBLIC_SERVICE, ("无", "1(工作日)"), OnlineDepth.FULLY_ONLINE, ["居民户口簿", "出生医学证明"],
     "512036001003-511602000000-000-11511301MB15537661-1-00"),
    ("DEMO-SC-0104", "社会保障卡申领（新生儿）", ("DEMO-511602-RS", "区人力资源和社会保障局（演示）"),
     ItemType.PUBLIC_SERVICE, ("无", "5(工作日)"), OnlineDepth.FULLY_ONLINE, ["居民户口簿", "出生医学证明", "免冠照片"],
     "512B0070200003-511602000000-000-1151130108778239R-1-00"),
    ("DEMO-SC-0201", "企业职工基本养老保险正常退休申请", ("DEMO-511602-RS", "区人力资源和社会保障局（演示）"),
     ItemType.CONFIRMATION, ("20(工作日)", "10(工作日)"), OnlineDepth.AT_MOST_ONCE,
     [ID, "退休申请表", "个人档案", "社会保障卡"], "51201400600001-511602000000-000-12511301452260997J-1-00"),
    ("DEMO-SC-0202", "基本养老金领取及银行账户登记", ("DEMO-511602-RS", "区人力资源和社会保障局（演示）"),
     ItemType.BENEFIT, ("无", "5(工作日)"), OnlineDepth.FULLY_ONLINE, [ID, "社会保障卡", "银行账户信息"], ""),
    ("DEMO-SC-0203", "退休人员医疗保险待遇变更", ("DEMO-511602-YB", "区医疗保障局（演示）"), ItemType.PUBLIC_SERVICE,
     ("无", "3(工作日)"), OnlineDepth.FULLY_ONLINE, [ID, "退休审批表", "社会保障卡"], ""),
    ("DEMO-SC-0301", "公司设立登记", ("DEMO-511602-SPJ", "区行政审批局（演示）"), ItemType.LICENSING,
     ("15(工作日)", "1(工作日)"), OnlineDepth.FULLY_ONLINE,
     ["公司登记（备案）申请书", "公司章程", "股东主体资格证明", "法定代表人居民身份证", "住所使用证明"],
     "511A0064100070-511602000000-000-115113016823646795-1-00"),
    ("DEMO-SC-0302", "公章刻制备案", ("DEMO-511602-GA", "区公安分局（演示）"), ItemType.OTHER_POWER,
     ("无", "1(工作日)"), OnlineDepth.FULLY_ONLINE, ["营业执照", "法定代表人居民身份证"], ""),
    ("DEMO-SC-0303", "首次申领发票", ("DEMO-511602-SW", "广安区税务局（演示）"), ItemType.PUBLIC_SERVICE,
     ("无", "1(工作日)"), OnlineDepth.FULLY_ONLINE, ["营业执照", "法定代表人居民身份证", "发票领用申请表"],
     "51203001100005-511602000000-000-11511301MB1549994W-1-00"),
    ("DEMO-SC-0304", "单位社会保险和医疗保险参保登记", ("DEMO-511602-RS", "区人力资源和社会保障局（演示）"),
     ItemType.PUBLIC_SERVICE, ("无", "1(工作日)"), OnlineDepth.FULLY_ONLINE,
     ["营业执照", "法定代表人居民身份证", "单位参保登记表"], "512036001001-511602000000-000-11511301MB15537661-1-00"),
]  # fmt: skip

# slug, name, event, summary, keywords, shared fields, steps (code, stage)
DEMO_BUNDLES: list[tuple[str, str, str, str, str, list[str], list[tuple[str, int]]]] = [
    ("kai-fandian", "开饭店", "business",
     "开一家饭店要办的营业执照、食品经营许可、消防检查和招牌审批，一次申请、并联办理。",
     "开饭店 开餐馆 开餐厅 开饭馆 饭店 餐馆 餐厅 饭馆 小吃店 餐饮店",
     ["经营者姓名", "身份证号码", "经营场所地址", "联系电话"],
     [("DEMO-SC-0001", 1), ("DEMO-SC-0002", 2), ("DEMO-SC-0003", 2), ("DEMO-SC-0004", 2)]),
    ("xinshenger-chusheng", "新生儿出生", "life",
     "宝宝出生后的出生医学证明、落户、医保参保和社保卡，一次办好。",
     "新生儿 生孩子 生小孩 宝宝出生 孩子出生 生娃 出生 上户口",
     ["父亲身份证号码", "母亲身份证号码", "新生儿姓名", "出生日期"],
     [("DEMO-SC-0101", 1), ("DEMO-SC-0102", 2), ("DEMO-SC-0103", 3), ("DEMO-SC-0104", 3)]),
    ("tuixiu", "退休", "life", "办理退休、领取养老金和变更医保待遇，一次申请。",
     "退休 办退休 领养老金 养老金", ["身份证号码", "社会保障卡号", "银行账户"],
     [("DEMO-SC-0201", 1), ("DEMO-SC-0202", 2), ("DEMO-SC-0203", 2)]),
    ("qiye-kaiban", "企业开办", "business", "注册公司、刻章、领发票、参保登记一次办好。",
     "企业开办 开公司 注册公司 成立公司 办公司 开办企业", ["企业名称", "统一社会信用代码", "法定代表人", "住所"],
     [("DEMO-SC-0301", 1), ("DEMO-SC-0302", 2), ("DEMO-SC-0303", 2), ("DEMO-SC-0304", 2)]),
]  # fmt: skip


# How the demo materials are satisfied without the applicant: a held e-license, or shared data (免提交).
SUBSTITUTES: dict[str, tuple[str, str]] = {
    "营业执照": ("e_license", "DEMO-GA-YYZZ"),
    "居民户口簿": ("shared_data", "population.household"),
}
# 告知承诺: the fire-safety check before opening is a commitment-approval item (as it is in law since 2020).
COMMITMENTS: dict[str, tuple[str, list[str]]] = {
    "DEMO-SC-0003": (
        "本人承诺：经营场所已按国家工程建设消防技术标准施工，消防设施完好有效，消防安全制度已建立并落实；"
        "所填信息和提交材料真实、准确。如有虚假，愿承担撤销许可、记入信用记录等法律责任。",
        ["消防安全制度"],
    ),
}

_SHOP: dict[str, dict[str, Any]] = {
    "name": {"type": "string", "title": "经营者名称（店名）", "maxLength": 100},
    "operator": {"type": "string", "title": "经营者姓名", "x-prefill": "identity.name", "maxLength": 50},
    "address": {"type": "string", "title": "经营场所地址", "maxLength": 200},
    "phone": {"type": "string", "title": "联系电话", "format": "phone"},
}
_FAMILY: dict[str, dict[str, Any]] = {
    "parent_name": {"type": "string", "title": "申请人（父/母）姓名", "x-prefill": "identity.name", "maxLength": 50},
    "household_address": {"type": "string", "title": "户籍地址", "x-prefill": "population.household.address"},
    "child_name": {"type": "string", "title": "新生儿姓名", "maxLength": 50},
    "birth_date": {"type": "string", "title": "出生日期", "format": "date"},
}


def _schema(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


FORMS: dict[str, dict[str, Any]] = {
    "DEMO-SC-0001": _schema(["name", "operator", "address", "phone", "scope"], **_SHOP,
                            scope={"type": "string", "title": "经营范围", "maxLength": 200}),
    "DEMO-SC-0002": _schema(["name", "operator", "address", "phone", "scope"], **_SHOP,
                            scope={"type": "string", "title": "经营项目", "enum": ["热食类食品制售", "冷食类食品制售",
                                                                             "糕点类食品制售", "自制饮品制售"]}),
    "DEMO-SC-0003": _schema(["name", "operator", "address", "phone", "area"], **_SHOP,
                            area={"type": "number", "title": "营业面积（平方米）", "minimum": 1, "maximum": 100000}),
    "DEMO-SC-0004": _schema(["name", "operator", "address", "sign_text"], **_SHOP,
                            sign_text={"type": "string", "title": "招牌内容", "maxLength": 50}),
    "DEMO-SC-0102": _schema(["parent_name", "household_address", "child_name", "birth_date"], **_FAMILY),
}  # fmt: skip


def _material(code: str, name: str) -> MaterialRecord:
    substitute, ref = SUBSTITUTES.get(name, ("", ""))
    if name in COMMITMENTS.get(code, ("", []))[1]:
        substitute, ref = "commitment", ""
    return MaterialRecord(
        name=name,
        copies=1,
        original="original" if "身份证" in name else "copy",
        substitute=substitute,
        substitute_ref=ref,
    )


def _record(entry: tuple[str, str, tuple[str, str], str, tuple[str, str], str, list[str], str]) -> ItemRecord:
    code, name, (dept_code, dept_name), item_type, (statutory, promised), depth, materials, stands_for = entry
    source: dict[str, Any] = {"demo": True}
    if stands_for:
        source["stands_for"] = stands_for
    return ItemRecord(
        code=code,
        basic_code=code,
        region_path=[list(level) for level in REGION],
        department_code=dept_code,
        department_name=dept_name,
        name=name,
        item_type=item_type,
        service_objects=["自然人"] if code[9] in "12" else ["企业法人", "自然人"],  # life events: citizens
        themes=["一件事"],
        statutory_limit_text=statutory,
        promised_limit_text=promised,
        online_depth=depth,
        visits=0 if depth == OnlineDepth.FULLY_ONLINE else 1,
        place="广安区政务服务中心（演示）",
        consult_phone="12345",
        complaint_phone="12345",
        materials=[_material(code, m) for m in materials],
        form_schema=FORMS.get(code, {}),
        commitment_text=COMMITMENTS.get(code, ("", []))[0],
        source=source,
        source_format="tongban",
        is_demo=True,
    )


def load() -> None:
    services.items_load(records=[_record(entry) for entry in DEMO_ITEMS], actor=None)
    for slug, name, event, summary, keywords, fields, steps in DEMO_BUNDLES:
        services.bundle_upsert(
            slug=slug,
            name=name,
            event=event,
            summary=summary,
            keywords=keywords,
            shared_fields=fields,
            steps=steps,
            is_demo=True,
            actor=None,
        )
