"""The only scoped readers of identity data. Every page and endpoint reads through one of these.

Staff scope is data: a staff member sees the departments they hold a role in and every department below
them in the tree (a city bureau sees its district offices); an administrator sees all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from tongban.identity import crypto
from tongban.identity.ids import mask_phone, mask_resident_id
from tongban.identity.models import (
    Authorisation,
    Department,
    Enterprise,
    EnterpriseAgent,
    LoginRecord,
    Person,
    StaffAssignment,
    StaffRole,
    User,
)


@dataclass(frozen=True)
class StaffScope:
    """What a staff member may see: department ids and region codes (both include everything below)."""

    department_ids: frozenset[int]
    region_codes: frozenset[str]
    roles: frozenset[str]
    everything: bool = False

    def covers_department(self, department_id: int | None) -> bool:
        return self.everything or department_id in self.department_ids


def is_administrator(user: User) -> bool:
    return (
        bool(user.is_superuser)
        or StaffAssignment.objects.filter(user_id=user.pk, role=StaffRole.ADMINISTRATOR).exists()
    )


def staff_scope(user: User) -> StaffScope:
    """The one staff scoping function: cases, catalog and supervision filter with it."""
    if not user.is_authenticated or not user.is_staff:
        return StaffScope(frozenset(), frozenset(), frozenset())
    # One query (it runs on every staff request): the roles held, and every department at or below the
    # departments they are held in, with its region — a recursive walk down the tree (UNION stops at cycles).
    held, departments = StaffAssignment._meta.db_table, Department._meta.db_table
    sql = f"""
        WITH RECURSIVE tree(id, region_id) AS (
            SELECT d.id, d.region_id FROM {departments} d
            WHERE d.id IN (SELECT department_id FROM {held} WHERE user_id = %s)
            UNION
            SELECT d.id, d.region_id FROM {departments} d JOIN tree ON d.parent_id = tree.id
        )
        SELECT id, region_id, NULL FROM tree
        UNION ALL
        SELECT NULL, NULL, role FROM {held} WHERE user_id = %s
    """  # noqa: S608  # table names are ours; the user id is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        rows = cursor.fetchall()
    roles = frozenset(str(role) for _dept, _region, role in rows if role is not None)
    if user.is_superuser or StaffRole.ADMINISTRATOR in roles:
        return StaffScope(frozenset(), frozenset(), roles | {StaffRole.ADMINISTRATOR}, everything=True)
    department_ids = frozenset(int(dept) for dept, _region, role in rows if role is None)
    regions = frozenset(str(region) for _dept, region, role in rows if role is None)
    return StaffScope(department_ids, regions, roles)


def departments_visible_to(user: User) -> QuerySet[Department]:
    scope = staff_scope(user)
    if scope.everything:
        return Department.objects.all()
    return Department.objects.filter(pk__in=scope.department_ids)


def staff_assignments_visible_to(user: User) -> QuerySet[StaffAssignment]:
    """Staff roles a staff member may read: those in their scope (administrators: all)."""
    scope = staff_scope(user)
    rows = StaffAssignment.objects.select_related("user", "department").order_by("department__name", "user__username")
    if scope.everything:
        return rows
    return rows.filter(department_id__in=scope.department_ids)


def person_for(user: User) -> Person | None:
    return Person.objects.filter(user_id=user.pk).first()


@dataclass(frozen=True)
class PersonView:
    user_id: int
    public_id: str
    name: str
    id_number: str
    phone: str
    real_name_level: int
    masked: bool


def person_view_for(viewer: User, person_user_id: int, *, unmask: bool = False) -> PersonView | None:
    """A person as ``viewer`` may see them: themselves, or a window clerk/administrator. Masked unless
    ``unmask`` and the viewer is the person themselves."""
    person = Person.objects.select_related("user").filter(user_id=person_user_id).first()
    if person is None:
        return None
    own = viewer.pk == person.user_id
    scope = staff_scope(viewer)
    if not own and not (scope.everything or StaffRole.WINDOW_CLERK in scope.roles):
        return None
    id_number, phone = crypto.decrypt(person.id_number_cipher), crypto.decrypt(person.phone_cipher)
    show = own and unmask
    return PersonView(
        user_id=person.user_id,
        public_id=str(person.user.public_id),
        name=person.name,
        id_number=id_number if show else mask_resident_id(id_number),
        phone=phone if show else mask_phone(phone),
        real_name_level=person.real_name_level,
        masked=not show,
    )


def login_history_for(user: User, *, limit: int = 20) -> list[LoginRecord]:
    return list(LoginRecord.objects.filter(user_id=user.pk).order_by("-at")[:limit])


def authorisations_given_by(user: User) -> QuerySet[Authorisation]:
    return Authorisation.objects.filter(principal_id=user.pk).select_related("agent").order_by("-created_at")


def authorisations_received_by(user: User) -> QuerySet[Authorisation]:
    return Authorisation.objects.filter(agent_id=user.pk).select_related("principal").order_by("-created_at")


def authorisation_visible_to(user: User, authorisation_id: int) -> Authorisation | None:
    return Authorisation.objects.filter(Q(principal_id=user.pk) | Q(agent_id=user.pk), pk=authorisation_id).first()


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user leads, or acts for under a live grant."""
    now = timezone.now()
    agent_of = EnterpriseAgent.objects.filter(agent_id=user.pk, revoked_at__isnull=True, expires_at__gt=now).values(
        "enterprise_id"
    )
    return Enterprise.objects.filter(Q(legal_representative_id=user.pk) | Q(pk__in=agent_of)).order_by("name")


def enterprise_led_by(user: User, enterprise_id: int) -> Enterprise | None:
    return Enterprise.objects.filter(pk=enterprise_id, legal_representative_id=user.pk).first()


def enterprise_agents_visible_to(user: User, enterprise: Enterprise) -> QuerySet[EnterpriseAgent]:
    if enterprise.legal_representative_id != user.pk:
        return EnterpriseAgent.objects.none()
    return EnterpriseAgent.objects.filter(enterprise=enterprise).select_related("agent").order_by("-granted_at")


def principals_for(agent: User, item_code: str) -> QuerySet[User]:
    """Persons who authorised ``agent`` for ``item_code`` right now (for 'apply on behalf of')."""
    now = timezone.now()
    ids = [
        a.principal_id
        for a in Authorisation.objects.filter(agent_id=agent.pk, revoked_at__isnull=True, expires_at__gt=now)
        if item_code in a.item_codes
    ]
    return User.objects.filter(pk__in=ids)


def checksum_overrides_visible_to(user: User) -> QuerySet[Enterprise]:
    """Enterprises whose credit code was accepted despite the GB 32100 checksum: administrators only."""
    if not user.is_authenticated or not is_administrator(user):
        return Enterprise.objects.none()
    rows = Enterprise.objects.exclude(checksum_override_reason="")
    return rows.select_related("legal_representative", "checksum_override_by").order_by("-created_at")
