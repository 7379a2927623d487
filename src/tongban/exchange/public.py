"""What other contexts may use from exchange (数据共享交换). Import nothing else from this package.

For cases (prefill, 免提交) and identity (real-name L2):
- ``subject_for_person(user)`` / ``subject_for_enterprise(credit_code)`` → a :class:`Subject`;
- ``exchange_fetch(consumer=PREFILL_CONSUMER, resource="population.household", subject=…, purpose=…)`` →
  a :class:`Delivery` (``delivered``, ``data``, ``fetched_at``, ``provider_name`` for "source and time"), or
  :class:`SubscriptionRequired` raised without an approved subscription;
- ``MATERIAL_RESOURCES``: which resource code proves which kind of material (catalog ``Material.substitute_ref``);
- ``resource_proves(code)`` tells whether a resource code exists and is active;
- ``machine_fetch(client_id=…, scopes=…, …)``: a department system's call with a client-credentials token.
"""

from tongban.exchange.models import CallResult, SubjectKind
from tongban.exchange.proofs import MATERIAL_RESOURCES, resource_proves
from tongban.exchange.selectors import (
    UsageRow,
    UsageStat,
    enterprise_codes_led_by,
    resources_catalog,
    subscriptions_visible_to,
    usage_for_enterprise,
    usage_for_person,
    usage_statistics_for,
)
from tongban.exchange.services import (
    MYPAGE_CONSUMER,
    PREFILL_CONSUMER,
    Delivery,
    SubscriptionRequired,
    exchange_fetch,
    exchange_fetch_many,
    machine_fetch,
    machine_scope,
    my_records,
    subscription_approve,
    subscription_refuse,
    subscription_request,
    subscription_revoke,
)
from tongban.exchange.subjects import Subject, SubjectResolver, subject_for_enterprise, subject_for_person

__all__ = [
    "MATERIAL_RESOURCES",
    "MYPAGE_CONSUMER",
    "PREFILL_CONSUMER",
    "CallResult",
    "Delivery",
    "Subject",
    "SubjectKind",
    "SubjectResolver",
    "SubscriptionRequired",
    "UsageRow",
    "UsageStat",
    "enterprise_codes_led_by",
    "exchange_fetch",
    "exchange_fetch_many",
    "machine_fetch",
    "machine_scope",
    "my_records",
    "resource_proves",
    "resources_catalog",
    "subject_for_enterprise",
    "subject_for_person",
    "subscription_approve",
    "subscription_refuse",
    "subscription_request",
    "subscription_revoke",
    "subscriptions_visible_to",
    "usage_for_enterprise",
    "usage_for_person",
    "usage_statistics_for",
]
