# ruff: noqa: E501  (demo data tables read best one record per line)
"""Consistent demo records. Persons are keyed by the demo account's username (see exchange.subjects), the
enterprise by its unified social credit code: 张三 (``citizen``) lives at the address his utility bills go
to, is the legal representative of the demo restaurant company, and 李四 (``citizen2``) works there, so the
enterprise's social insurance lists one insured employee whose pension record shows the same employer.

Resident ID numbers and phones are deliberately absent from the records: a provider record names the person
by their key. The one exception is how the population registry's identity check (``population/identity``,
real-name level 2) is asked: by resident ID number, as a real 人口库 is — the number travels in the request
header only; the answer holds the registered name and status. Its demo persons are identity's demo persons
(``tongban.identity.demo_data``; a test keeps the two in step), 王五 among them, who has no demo account.
"""

from __future__ import annotations

from typing import Any

DEMO_ENTERPRISE_CODE = "91440106MA5DEM001M"  # GB 32100 checksum-valid; the same demo company as identity's
DEMO_ENTERPRISE_NAME = "通办演示餐饮有限公司"
_ADDRESS_ZHANG = "广州市天河区体育西路 101 号 1201 房"
_ADDRESS_LI = "广州市天河区天河北路 233 号 806 房"

PERSONS: dict[str, dict[str, dict[str, Any]]] = {
    "population/household": {
        "citizen": {
            "household_number": "440106-DEMO-0001", "relation_to_head": "户主", "household_size": 3,
            "address": _ADDRESS_ZHANG, "registration_authority": "广州市公安局天河区分局（演示）",
            "registered_since": "2012-06-01", "ethnicity": "汉族",
        },
        "citizen2": {
            "household_number": "440106-DEMO-0002", "relation_to_head": "户主", "household_size": 1,
            "address": _ADDRESS_LI, "registration_authority": "广州市公安局天河区分局（演示）",
            "registered_since": "2016-03-15", "ethnicity": "汉族",
        },
    },
    "enterprise/roles": {
        "citizen": {
            "enterprises": [{"credit_code": DEMO_ENTERPRISE_CODE, "name": DEMO_ENTERPRISE_NAME, "role": "法定代表人"}]
        },
        "citizen2": {"enterprises": []},
    },
    "social_insurance/pension": {
        "citizen": {
            "insured": True, "employer": "广州示例科技有限公司", "contribution_months": 162,
            "monthly_base_yuan": 12000, "status": "正常参保", "last_paid_month": "2026-10",
        },
        "citizen2": {
            "insured": True, "employer": DEMO_ENTERPRISE_NAME, "contribution_months": 58,
            "monthly_base_yuan": 7500, "status": "正常参保", "last_paid_month": "2026-10",
        },
    },
    "medical_insurance/account": {
        "citizen": {"insured": True, "scheme": "职工医保", "personal_account_balance_yuan": 8421.5, "designated_hospital": "广州市第一人民医院"},
        "citizen2": {"insured": True, "scheme": "职工医保", "personal_account_balance_yuan": 2310.0, "designated_hospital": "天河区人民医院"},
    },
    "housing_fund/account": {
        "citizen": {"account_status": "正常", "balance_yuan": 95230.0, "monthly_deposit_yuan": 2880, "employer": "广州示例科技有限公司"},
        "citizen2": {"account_status": "正常", "balance_yuan": 21800.0, "monthly_deposit_yuan": 1200, "employer": DEMO_ENTERPRISE_NAME},
    },
    "tax/individual": {
        "citizen": {"year": 2025, "income_yuan": 186000, "tax_paid_yuan": 9840, "refund_due_yuan": 320},
        "citizen2": {"year": 2025, "income_yuan": 90000, "tax_paid_yuan": 1180, "refund_due_yuan": 0},
    },
    "traffic/violations": {
        "citizen": {
            "vehicle": "粤A·D3M01", "open_violations": [
                {"date": "2026-09-12", "place": "天河路与体育西路交叉口", "act": "不按导向车道行驶", "fine_yuan": 100, "points": 2}
            ], "licence_points_left": 10,
        },
        "citizen2": {"vehicle": None, "open_violations": [], "licence_points_left": 12},
    },
    "utility/bills": {
        "citizen": {
            "address": _ADDRESS_ZHANG,
            "bills": [
                {"kind": "electricity", "month": "2026-10", "amount_yuan": 286.4, "paid": True},
                {"kind": "water", "month": "2026-10", "amount_yuan": 58.2, "paid": True},
                {"kind": "gas", "month": "2026-10", "amount_yuan": 72.0, "paid": False},
            ],
        },
        "citizen2": {
            "address": _ADDRESS_LI,
            "bills": [{"kind": "electricity", "month": "2026-10", "amount_yuan": 120.3, "paid": True}],
        },
    },
}  # fmt: skip

# The population registry's identity check, keyed by resident ID number (demo numbers: sequence 99x).
POPULATION_IDENTITY: dict[str, dict[str, Any]] = {
    "110105198503159996": {"name": "张三", "status": "正常"},
    "440106199007089981": {"name": "李四", "status": "正常"},
    "511602197801229971": {"name": "王五", "status": "正常"},
}
PERSONS["population/identity"] = POPULATION_IDENTITY

ENTERPRISES: dict[str, dict[str, dict[str, Any]]] = {
    "enterprise/registry": {
        DEMO_ENTERPRISE_CODE: {
            "name": DEMO_ENTERPRISE_NAME, "type": "有限责任公司（自然人投资或控股）", "legal_representative": "citizen",
            "registered_capital_wan_yuan": 100, "established": "2021-04-08", "status": "存续",
            "address": "广州市天河区体育东路 88 号首层", "business_scope": "餐饮服务；食品销售",
        }
    },
    "tax/enterprise": {
        DEMO_ENTERPRISE_CODE: {"credit_rating": "B", "year": 2025, "vat_paid_yuan": 53200, "income_tax_paid_yuan": 18800, "arrears": False}
    },
    "social_insurance/enterprise": {
        DEMO_ENTERPRISE_CODE: {"insured_employees": 1, "employees": ["citizen2"], "arrears": False, "last_paid_month": "2026-10"}
    },
    "utility/bills": {
        DEMO_ENTERPRISE_CODE: {
            "address": "广州市天河区体育东路 88 号首层",
            "bills": [{"kind": "electricity", "month": "2026-10", "amount_yuan": 3120.0, "paid": True}],
        }
    },
}  # fmt: skip


def record(path: str, kind: str, ref: str) -> dict[str, Any] | None:
    table = (ENTERPRISES if kind == "enterprise" else PERSONS).get(path.strip("/"))
    return None if table is None else table.get(ref)


def known_paths() -> set[str]:
    return set(PERSONS) | set(ENTERPRISES)
