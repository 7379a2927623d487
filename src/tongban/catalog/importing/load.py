"""Writing imported records into the catalog, in batches (the real catalogs are thousands of rows).

Per batch: unchanged records (same content hash as the current version) are skipped; new and changed ones get a
new published version, the previous one is marked superseded, and one audit row per item is appended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from tongban.catalog.importing.records import ItemRecord, MaterialRecord, parse_limit
from tongban.catalog.models import CatalogChange, Item, ItemVersion, Material, ServiceObject, Theme
from tongban.identity.public import Department, Region, User, department_ensure, region_ensure

VERSION_FIELDS = [
    "name",
    "sub_item_name",
    "parent_name",
    "item_type",
    "legal_basis",
    "conditions",
    "statutory_limit_text",
    "promised_limit_text",
    "is_immediate",
    "fees",
    "online_depth",
    "visits",
    "online_url",
    "place",
    "consult_phone",
    "complaint_phone",
    "faq",
    "form_schema",
    "form_ui",
    "stage_overrides",
    "commitment_text",
    "postcheck_days",
    "source",
]
MATERIAL_FIELDS = tuple(MaterialRecord.__dataclass_fields__)


@dataclass
class LoadStats:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    changed_codes: list[str] = field(default_factory=list)


class _Lookups:
    """Per-run caches so a batch costs a handful of queries, not one per row."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        self.departments: dict[str, Department] = {}
        self.themes = {theme.name: theme.pk for theme in Theme.objects.all()}
        self.objects = {obj.name: obj.pk for obj in ServiceObject.objects.all()}

    def region(self, path: list[list[Any]]) -> Region:
        key = "/".join(str(level[0]) for level in path)
        if key not in self.regions:
            self.regions[key] = region_ensure(path)
        return self.regions[key]

    def department(self, record: ItemRecord) -> Department:
        if record.department_code not in self.departments:
            region = self.region(record.region_path)
            self.departments[record.department_code] = department_ensure(
                code=record.department_code, name=record.department_name, region=region
            )
        return self.departments[record.department_code]

    def theme(self, name: str) -> int:
        if name not in self.themes:
            self.themes[name] = Theme.objects.get_or_create(name=name)[0].pk
        return self.themes[name]

    def service_object(self, name: str) -> int:
        if name not in self.objects:
            self.objects[name] = ServiceObject.objects.get_or_create(name=name)[0].pk
        return self.objects[name]


def _version_from(
    record: ItemRecord, *, item: Item, number: int, digest: str, now: Any, actor: User | None
) -> ItemVersion:
    statutory_days, statutory_unit = parse_limit(record.statutory_limit_text)
    promised_days, promised_unit = parse_limit(record.promised_limit_text)
    version = ItemVersion(
        item=item,
        number=number,
        status=ItemVersion.Status.PUBLISHED,
        statutory_limit_days=statutory_days,
        statutory_limit_unit=statutory_unit,
        promised_limit_days=promised_days,
        promised_limit_unit=promised_unit,
        content_hash=digest,
        service_object_list=list(record.service_objects),
        theme_list=list(record.themes),
        created_by=actor,
        published_at=now,
        published_by=actor,
    )
    for name in VERSION_FIELDS:
        setattr(version, name, getattr(record, name))
    return version


def load_batch(
    records: list[ItemRecord], *, lookups: _Lookups, actor: User | None, action: str, stats: LoadStats
) -> None:
    """Write one batch in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        existing = {
            item.code: item
            for item in Item.objects.filter(code__in=[r.code for r in records]).select_related("current_version")
        }
        numbers = dict(
            ItemVersion.objects.filter(item__in=existing.values()).values_list("item_id").annotate(top=Max("number"))
        )
        new_items: list[Item] = []
        todo: list[tuple[ItemRecord, str, Item]] = []
        for record in records:
            digest = record.content_hash()
            item = existing.get(record.code)
            if item is not None and item.current_version is not None and item.current_version.content_hash == digest:
                stats.unchanged += 1
                continue
            department = lookups.department(record)
            if item is None:
                item = Item(code=record.code)
                new_items.append(item)
            item.basic_code = record.basic_code
            item.region_id = department.region_id
            item.department = department
            item.source_format = record.source_format
            item.is_demo = record.is_demo
            todo.append((record, digest, item))
        Item.objects.bulk_create(new_items)
        new_codes = {item.code for item in new_items}

        versions = []
        for record, digest, item in todo:
            number = numbers.get(item.pk, 0) + 1
            versions.append(_version_from(record, item=item, number=number, digest=digest, now=now, actor=actor))
        ItemVersion.objects.bulk_create(versions)

        materials, theme_links, object_links = [], [], []
        for (record, _digest, _item), version in zip(todo, versions, strict=True):
            for position, material in enumerate(record.materials, start=1):
                materials.append(
                    Material(version=version, position=position, **{f: getattr(material, f) for f in MATERIAL_FIELDS})
                )
            for theme in dict.fromkeys(record.themes):
                theme_links.append(ItemVersion.themes.through(itemversion_id=version.pk, theme_id=lookups.theme(theme)))
            for obj in dict.fromkeys(record.service_objects):
                object_links.append(
                    ItemVersion.service_objects.through(
                        itemversion_id=version.pk, serviceobject_id=lookups.service_object(obj)
                    )
                )
        Material.objects.bulk_create(materials)
        ItemVersion.themes.through.objects.bulk_create(theme_links)
        ItemVersion.service_objects.through.objects.bulk_create(object_links)

        previous = [item.current_version_id for _r, _d, item in todo if item.current_version_id]
        ItemVersion.objects.filter(pk__in=previous).update(status=ItemVersion.Status.SUPERSEDED)
        changed_items = []
        for (_record, _digest, item), version in zip(todo, versions, strict=True):
            item.current_version = version
            changed_items.append(item)
        # One parameterised UPDATE per item: Django's bulk_update builds CASE expressions that cost seconds here.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Item._meta.db_table} SET current_version_id = %s, basic_code = %s, region_id = %s, "  # noqa: S608  # table name from the model, values bound
                "department_id = %s, source_format = %s, is_demo = %s WHERE id = %s",
                [
                    (i.current_version_id, i.basic_code, i.region_id, i.department_id, i.source_format, i.is_demo, i.pk)
                    for i in changed_items
                ],
            )
        CatalogChange.objects.bulk_create(
            CatalogChange(
                actor=actor,
                action=f"{action}_created" if item.code in new_codes else f"{action}_changed",
                item_code=item.code,
                version_number=version.number,
            )
            for (_record, _digest, item), version in zip(todo, versions, strict=True)
        )
        stats.created += len(new_codes)
        stats.changed += len(todo) - len(new_codes)
        stats.changed_codes.extend(item.code for _r, _d, item in todo)


def load(
    records: Iterable[ItemRecord],
    *,
    actor: User | None,
    action: str = "import",
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> LoadStats:
    stats = LoadStats()
    lookups = _Lookups()
    batch: list[ItemRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) >= batch_size:
            load_batch(batch, lookups=lookups, actor=actor, action=action, stats=stats)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        load_batch(batch, lookups=lookups, actor=actor, action=action, stats=stats)
        if progress:
            progress(len(batch))
    return stats


def record_of(version: ItemVersion) -> ItemRecord:
    """The exchange record of one version: what export writes and what the lossless test compares."""
    item = version.item
    path: list[list[Any]] = []
    region: Region | None = item.region
    while region is not None:
        path.insert(0, [region.code, region.name, region.level])
        region = region.parent
    return ItemRecord(
        code=item.code,
        basic_code=item.basic_code,
        region_path=path,
        department_code=item.department.code,
        department_name=item.department.name,
        service_objects=list(version.service_object_list),
        themes=list(version.theme_list),
        materials=[MaterialRecord(**{f: getattr(m, f) for f in MATERIAL_FIELDS}) for m in version.materials.all()],
        source_format=item.source_format,
        is_demo=item.is_demo,
        **{name: getattr(version, name) for name in VERSION_FIELDS},
    )
