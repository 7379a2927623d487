"""Readers of the catalog. Public guides only ever show an item's current (published) version."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext as _

from tongban.catalog.models import Bundle, BundleStep, Item, ItemVersion, Material, ServiceObject, Theme
from tongban.common.public import NotFound, ProcessMemory, shaped_value_rows
from tongban.identity.public import Department


def published_items() -> QuerySet[Item]:
    return Item.objects.filter(current_version__status=ItemVersion.Status.PUBLISHED).select_related(
        "current_version", "department", "region"
    )


def items_browse(
    *, department: str | None = None, theme: str | None = None, service_object: str | None = None, q: str = ""
) -> QuerySet[Item]:
    items = published_items()
    if department:
        items = items.filter(department__code=department)
    if theme:
        items = items.filter(current_version__themes__name=theme)
    if service_object:
        items = items.filter(current_version__service_objects__name=service_object)
    if q:
        items = items.filter(Q(current_version__name__icontains=q) | Q(code=q))
    return items.order_by("department__name", "current_version__name", "code")


def item_get(*, code: str) -> Item:
    try:
        return published_items().get(code=code)
    except Item.DoesNotExist as exc:
        raise NotFound(_("No published item has the code %(code)s.") % {"code": code}, code="item_not_found") from exc


# Published versions never change (only drafts may), so a version read once — with its item, department,
# materials, themes and service objects — is kept in the process and reused: every application reads the
# item's current version, which took five queries and now takes one (which version is current, and its
# status). The key holds the row's id, status and publication time, so publishing, superseding or a
# re-created row is a different key; saves and deletes of catalog rows (and of departments, whose names a
# version shows) empty the cache at once, and entries older than _VERSION_TTL are read again regardless.
_VERSION_TTL = 300.0
_versions: ProcessMemory[tuple[Any, ...], tuple[float, ItemVersion]] = ProcessMemory(limit=2048)
forget_cached_versions = _versions.forget


for _model in (Item, ItemVersion, Material, Department):
    post_save.connect(forget_cached_versions, sender=_model, dispatch_uid=f"catalog-versions-{_model.__name__}")
    post_delete.connect(forget_cached_versions, sender=_model, dispatch_uid=f"catalog-versions-del-{_model.__name__}")
for _through in (ItemVersion.themes.through, ItemVersion.service_objects.through):
    m2m_changed.connect(forget_cached_versions, sender=_through, dispatch_uid=f"catalog-versions-{_through.__name__}")


def item_version(*, code: str, number: int | None = None) -> ItemVersion:
    """The current version, or version ``number`` (old versions stay readable)."""
    if number is None:  # the check behind every application: its SQL is composed once
        rows = shaped_value_rows(
            "catalog.current_version_key",
            lambda v: ItemVersion.objects.filter(
                item__code=v["code"],
                status=ItemVersion.Status.PUBLISHED,
                item__current_version__status=ItemVersion.Status.PUBLISHED,
            )[:2],
            {"code": code},
            ("pk", "status", "published_at"),
        )
        found = [(row["pk"], row["status"], row["published_at"]) for row in rows]
    else:
        keys = ItemVersion.objects.exclude(status=ItemVersion.Status.DRAFT).filter(item__code=code, number=number)
        found = list(keys.values_list("pk", "status", "published_at")[:2])
    if len(found) != 1:
        return _item_version(code=code, number=number)  # not found (or not one): the full path says which
    key = (code, number, *found[0])
    now = time.monotonic()
    cached = _versions.get(key)
    if cached is not None and now - cached[0] < _VERSION_TTL:
        return cached[1]
    version = _item_version(code=code, number=number)
    if version.pk == found[0][0] and version.status != ItemVersion.Status.DRAFT:
        _versions.remember(key, (now, version))
    return version


def _item_version(*, code: str, number: int | None) -> ItemVersion:
    versions = ItemVersion.objects.select_related("item__department", "item__region").prefetch_related(
        "materials", "themes", "service_objects"
    )
    try:
        if number is None:
            return versions.get(item=item_get(code=code).pk, status=ItemVersion.Status.PUBLISHED)
        return versions.exclude(status=ItemVersion.Status.DRAFT).get(item__code=code, number=number)
    except ItemVersion.DoesNotExist as exc:
        message = (
            _("Item %(code)s has no published version.")
            if number is None
            else _("Item %(code)s has no published version %(number)s.")
        )
        raise NotFound(message % {"code": code, "number": number}, code="version_not_found") from exc


def item_versions(*, code: str) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(item__code=code).exclude(status=ItemVersion.Status.DRAFT).order_by("-number")


def department_counts() -> list[tuple[str, str, str, int]]:
    """(code, name, region name, published items) for every department with items, by region then name."""
    rows = (
        published_items()
        .values("department__code", "department__name", "region__name")
        .annotate(n=Count("id"))
        .order_by("department__region__code", "department__name")
    )
    return [(r["department__code"], r["department__name"], r["region__name"], r["n"]) for r in rows]


def theme_counts() -> list[tuple[str, int]]:
    rows = (
        Theme.objects.filter(itemversion__status=ItemVersion.Status.PUBLISHED)
        .annotate(n=Count("itemversion"))
        .order_by("-n", "name")
    )
    return [(theme.name, theme.n) for theme in rows]


def service_object_counts() -> list[tuple[str, int]]:
    rows = (
        ServiceObject.objects.filter(itemversion__status=ItemVersion.Status.PUBLISHED)
        .annotate(n=Count("itemversion"))
        .order_by("-n", "name")
    )
    return [(obj.name, obj.n) for obj in rows]


def bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(is_published=True).order_by("name")


def bundle_get(*, slug: str) -> Bundle:
    steps = BundleStep.objects.select_related("item__current_version", "item__department").prefetch_related(
        "item__current_version__materials"
    )
    try:
        return bundles().prefetch_related(Prefetch("steps", queryset=steps)).get(slug=slug)
    except Bundle.DoesNotExist as exc:
        raise NotFound(f"bundle {slug}", code="bundle_not_found") from exc


@dataclass(frozen=True)
class BundleSaving:
    """What applying together saves: materials submitted and days waited, separately vs together."""

    materials_before: int
    materials_after: int
    days_before: int
    days_after: int
    visits_before: int
    visits_after: int
    shared_materials: list[str]


def _days(version: ItemVersion) -> int:
    days = version.promised_limit_days if version.promised_limit_days is not None else version.statutory_limit_days
    if days is None:
        return 0
    # A saving is an estimate, never a legal deadline: calendar days are counted as they are.
    return days


def bundle_saving(bundle: Bundle) -> BundleSaving:
    """Before: every item applied for one after another, each with its own materials and one visit.
    After: materials de-duplicated by name, stages in order with the items of a stage in parallel, one visit."""
    steps = list(bundle.steps.all())
    names: list[str] = []
    stages: dict[int, int] = {}
    for step in steps:
        version = step.item.current_version
        if version is None:
            continue
        names.extend(m.name for m in version.materials.all())
        stages[step.stage] = max(stages.get(step.stage, 0), _days(version))
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    days_before = sum(_days(s.item.current_version) for s in steps if s.item.current_version)
    days_after = bundle.promised_days if bundle.promised_days is not None else sum(stages.values())
    return BundleSaving(
        materials_before=len(names),
        materials_after=len(counts),
        days_before=days_before,
        days_after=min(days_after, days_before) if days_before else days_after,
        visits_before=len(steps),
        visits_after=1 if steps else 0,
        shared_materials=sorted(name for name, n in counts.items() if n > 1),
    )


def bundle_materials(bundle: Bundle) -> list[tuple[str, list[str]]]:
    """De-duplicated materials of a bundle: (material, names of the items that need it), in first-seen order."""
    seen: dict[str, list[str]] = {}
    for step in bundle.steps.all():
        version = step.item.current_version
        if version is None:
            continue
        for material in version.materials.all():
            seen.setdefault(material.name, []).append(version.name)
    return list(seen.items())
