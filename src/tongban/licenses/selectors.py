"""Scoped readers of the licenses context."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tongban.identity.public import User, staff_scope
from tongban.licenses import resolvers
from tongban.licenses.models import License, LicenseStatus, LicenseType, LicenseUse
from tongban.licenses.verify import verify_credential


def licenses_held_by(user: User) -> QuerySet[License]:
    """The holder's wallet: licenses issued to the user or to an enterprise the user leads."""
    return (
        License.objects.filter(Q(holder_user_id=user.pk) | Q(holder_enterprise__legal_representative_id=user.pk))
        .select_related("license_type", "license_type__issuing_department")
        .order_by("-issued_at", "-pk")
    )


def licenses_visible_to(user: User) -> QuerySet[License]:
    """Staff: licenses of the departments in their scope."""
    scope = staff_scope(user)
    qs = License.objects.select_related("license_type")
    if scope.everything:
        return qs
    return qs.filter(license_type__issuing_department_id__in=scope.department_ids)


def license_uses_for(license: License) -> QuerySet[LicenseUse]:
    return LicenseUse.objects.filter(license=license).order_by("-occurred_at", "-pk")


def license_types_replacing(material: str) -> list[LicenseType]:
    """License types that can replace a catalog material: ``material`` is the material's ``substitute_ref`` (a
    license type code) or a material name or code listed in a type's ``replaces_materials``."""
    return [
        t
        for t in LicenseType.objects.filter(is_active=True)
        if material == t.code or material in (t.replaces_materials or [])
    ]


def replaceable_material_keys() -> frozenset[str]:
    """Every material name or code some active license type can replace (one query; lets cases skip the look-up
    for the many materials no license replaces)."""
    keys: set[str] = set()
    for code, replaces in LicenseType.objects.filter(is_active=True).values_list("code", "replaces_materials"):
        keys.add(code)
        keys.update(str(name) for name in replaces or [])
    return frozenset(keys)


def license_types_for_item(item_code: str) -> list[LicenseType]:
    """License types an approved case of catalog item ``item_code`` produces (its result)."""
    return [
        t
        for t in LicenseType.objects.filter(is_active=True).select_related("issuing_department")
        if item_code in (t.issued_for_items or [])
    ]


def licenses_for_case(case_ref: str) -> QuerySet[License]:
    """Licenses issued as the result of the case numbered ``case_ref``."""
    return License.objects.filter(case_ref=case_ref).select_related("license_type").order_by("pk")


def license_valid_now(number: str) -> License | None:
    """The license numbered ``number`` when it is active, inside its validity period and verifies now; else None."""
    now = timezone.now()
    item = (
        License.objects.filter(number=number, status=LicenseStatus.ACTIVE, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .select_related("license_type")
        .first()
    )
    return item if item is not None and verify_database(item.credential)["valid"] else None


def license_for_material(*, holder: User, material: str, enterprise_id: int | None = None) -> License | None:
    """A valid license the holder (or the enterprise) holds that replaces ``material`` — newest first — or None.
    Valid means: active, inside its validity period and verifying now (signature and status)."""
    codes = [t.pk for t in license_types_replacing(material)]
    if not codes:
        return None
    now = timezone.now()
    held = (
        License.objects.filter(license_type_id__in=codes, status=LicenseStatus.ACTIVE, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .order_by("-issued_at", "-pk")
    )
    held = held.filter(holder_enterprise_id=enterprise_id) if enterprise_id else held.filter(holder_user_id=holder.pk)
    for item in held[:5]:
        if verify_database(item.credential)["valid"]:
            return item
    return None


def verify_database(document: Any) -> dict[str, Any]:
    """Verify with this deployment's keys and status lists (the web process)."""
    return verify_credential(document, keys=resolvers.database_keys, status=resolvers.database_status())


__all__ = [
    "license_for_material",
    "license_types_for_item",
    "license_types_replacing",
    "license_uses_for",
    "license_valid_now",
    "licenses_for_case",
    "licenses_held_by",
    "licenses_visible_to",
    "replaceable_material_keys",
    "verify_database",
]
