"""Which shared resource proves which material (两个免于提交). Catalog materials name a resource code in
``Material.substitute_ref``; cases fetches it through :func:`exchange_fetch` with the prefill consumer."""

from __future__ import annotations

from tongban.exchange.models import DataResource

MATERIAL_RESOURCES: dict[str, str] = {
    "population.household": "户口簿 / 户籍证明 (household register)",
    "enterprise.registry": "营业执照信息 / 企业登记信息 (enterprise registration)",
    "enterprise.roles": "企业任职信息 (legal representative of …)",
    "social_insurance.pension": "养老保险参保证明 (pension insurance record)",
    "social_insurance.enterprise": "单位参保证明 (employer's social insurance)",
    "medical_insurance.account": "医疗保险参保证明 (medical insurance record)",
    "housing_fund.account": "住房公积金缴存证明 (housing fund deposit record)",
    "tax.individual": "个人所得税纳税记录 (individual income tax record)",
    "tax.enterprise": "企业纳税证明 (enterprise tax record)",
    "traffic.violations": "交通违法记录 (traffic violations)",
    "utility.bills": "水电燃气缴费记录 (utility bills, proof of address)",
}


def resource_proves(code: str) -> bool:
    return DataResource.objects.filter(code=code, is_active=True).exists()
