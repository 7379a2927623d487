"""Demo accounts, for `make run` only (refused in production by the demo registry).

Demo persons have valid-checksum resident IDs with the unusual sequence 99x and phones 138 0013 800x
(``demo_data.py``); the demo population registry knows them, so they can reach level L2.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tongban.common.public import DemoAccount
from tongban.identity import crypto
from tongban.identity.demo_data import DEMO_ENTERPRISE_CODE, DEMO_PERSONS
from tongban.identity.models import (
    Authorisation,
    Department,
    Enterprise,
    EnterpriseAgent,
    Person,
    RealNameLevel,
    Region,
    StaffAssignment,
    StaffRole,
    User,
)

DEMO_PASSWORD = "Tongban-demo-2026"  # noqa: S105  # demo data for a local development server, printed on start

_DEMO_USERS = (
    # username, display name, is_staff, is_superuser, role
    ("citizen", "张三", False, False, gettext_noop("citizen")),
    ("citizen2", "李四", False, False, gettext_noop("citizen")),
    ("clerk", "李窗口", True, False, gettext_noop("window clerk")),
    ("officer", "王承办", True, False, gettext_noop("case officer")),
    ("supervisor", "赵监督", True, False, gettext_noop("supervisor")),
    ("admin", "系统管理员", True, True, gettext_noop("administrator")),
)
_STAFF_ROLES = {
    "clerk": [StaffRole.WINDOW_CLERK],
    "officer": [StaffRole.HANDLER, StaffRole.REVIEWER, StaffRole.APPROVER],
    "supervisor": [StaffRole.SUPERVISOR],
    "admin": [StaffRole.ADMINISTRATOR],
}


def _demo_departments() -> dict[str, Department]:
    """A service centre and a bureau in 广州市天河区 (real region codes; demo department codes)."""
    parent = None
    for code, name, level in (("440000", "广东省", 1), ("440100", "广州市", 2), ("440106", "天河区", 3)):
        parent, _created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
    centre, _created = Department.objects.get_or_create(
        code="DEMO-440106-ZWFW",
        defaults={"name": "天河区政务服务中心（演示）", "region": parent, "is_service_centre": True},
    )
    bureau, _created = Department.objects.get_or_create(
        code="DEMO-440106-SCJG", defaults={"name": "天河区市场监督管理局（演示）", "region": parent}
    )
    return {"clerk": centre, "officer": bureau, "supervisor": centre, "admin": centre}


@transaction.atomic
def load() -> None:
    for username, name, is_staff, is_superuser, _role in _DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": name, "is_staff": is_staff, "is_superuser": is_superuser},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    users = {user.username: user for user in User.objects.filter(username__in=[row[0] for row in _DEMO_USERS])}
    for person in DEMO_PERSONS:
        if person.username in users:
            Person.objects.get_or_create(
                user=users[person.username],
                defaults={
                    "name": person.name,
                    "id_number_cipher": crypto.encrypt(person.id_number),
                    "id_number_hash": crypto.lookup_hash("id", person.id_number),
                    "phone_cipher": crypto.encrypt(person.phone),
                    "phone_hash": crypto.lookup_hash("phone", person.phone),
                    "real_name_level": RealNameLevel.L2,
                    "level_changed_at": timezone.now(),
                },
            )
    departments = _demo_departments()
    for username, roles in _STAFF_ROLES.items():
        for role in roles:
            StaffAssignment.objects.get_or_create(user=users[username], department=departments[username], role=role)
    enterprise, _created = Enterprise.objects.get_or_create(
        credit_code=DEMO_ENTERPRISE_CODE,
        defaults={"name": "通办演示餐饮有限公司", "legal_representative": users["citizen"]},
    )
    expires = timezone.now() + datetime.timedelta(days=365)
    EnterpriseAgent.objects.get_or_create(
        enterprise=enterprise,
        agent=users["citizen2"],
        defaults={"all_items": True, "expires_at": expires, "granted_by": users["citizen"]},
    )
    Authorisation.objects.get_or_create(
        principal=users["citizen"],
        agent=users["citizen2"],
        defaults={"item_codes": ["DEMO-ITEM-001"], "expires_at": expires},
    )


def accounts() -> list[DemoAccount]:
    where = {"citizen": "/", "administrator": "/admin/"}  # keyed by the untranslated role
    return [
        DemoAccount(role=_(role), login=username, password=DEMO_PASSWORD, where=where.get(role, "/workbench/"))
        for username, _name, _staff, _super, role in _DEMO_USERS
    ]
