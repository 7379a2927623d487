"""Demo accounts, for `make run` only (refused in production by the demo registry)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tongban.common.public import DemoAccount
from tongban.identity.models import User

DEMO_PASSWORD = "Tongban-demo-2026"  # noqa: S105  # demo data for a local development server, printed on start

_DEMO_USERS = (
    # username, display name, is_staff, is_superuser, role
    ("citizen", "张三", False, False, gettext_noop("citizen")),
    ("clerk", "李窗口", True, False, gettext_noop("window clerk")),
    ("officer", "王承办", True, False, gettext_noop("case officer")),
    ("supervisor", "赵监督", True, False, gettext_noop("supervisor")),
    ("admin", "系统管理员", True, True, gettext_noop("administrator")),
)


def load() -> None:
    for username, name, is_staff, is_superuser, _role in _DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": name, "is_staff": is_staff, "is_superuser": is_superuser},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])


def accounts() -> list[DemoAccount]:
    where = {"citizen": "/", "administrator": "/admin/"}  # keyed by the untranslated role
    return [
        DemoAccount(role=_(role), login=username, password=DEMO_PASSWORD, where=where.get(role, "/workbench/"))
        for username, _name, _staff, _super, role in _DEMO_USERS
    ]
