"""Who someone is to a case: its applicant (or their authorised agent), or staff whose scope covers it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from tongban.cases.models import Case
from tongban.cases.workflow import Role
from tongban.identity.public import StaffRole, User, principals_for, staff_scope

_STAFF_ROLES = {
    StaffRole.WINDOW_CLERK: Role.WINDOW_CLERK,
    StaffRole.HANDLER: Role.HANDLER,
    StaffRole.REVIEWER: Role.REVIEWER,
    StaffRole.APPROVER: Role.APPROVER,
}


def region_covers(scope_code: str, code: str) -> bool:
    """GB/T 2260: 440000 covers 4401xx and 440103; 440100 covers 440103; a code covers itself."""
    significant = scope_code.rstrip("0")
    significant = significant + "0" * (len(significant) % 2)  # keep whole two-digit levels
    return code.startswith(significant)


def roles_on(case: Case, user: User | AnonymousUser) -> frozenset[Role]:
    if isinstance(user, AnonymousUser):
        return frozenset()
    roles: set[Role] = set()
    if user.pk == case.applicant_id or (
        case.applicant_id != user.pk and principals_for(user, case.item_code).filter(pk=case.applicant_id).exists()
    ):
        roles.add(Role.APPLICANT)
    if user.is_staff:
        scope = staff_scope(user)
        held = {_STAFF_ROLES[StaffRole(r)] for r in scope.roles if r in _STAFF_ROLES}
        if scope.everything or scope.covers_department(case.department_id):
            roles |= held
        elif Role.WINDOW_CLERK in held and any(region_covers(c, case.region_code) for c in scope.region_codes):
            roles.add(Role.WINDOW_CLERK)  # 全市通办: any service centre of the region takes any item
    return frozenset(roles)
