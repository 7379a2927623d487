"""What other contexts may use from catalog (事项目录). Import nothing else from this package.

Other contexts get plain frozen data, never catalog model instances: ``item_info`` for cases (the version a case
is submitted under, its materials and time limits), ``index_documents``/``bundle_entries`` for the search index,
and ``on_items_changed`` to hear about edits and imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from tongban.catalog import selectors
from tongban.catalog.hooks import on_items_changed
from tongban.catalog.importing import load
from tongban.catalog.models import Item, ItemVersion


@dataclass(frozen=True)
class MaterialInfo:
    position: int
    name: str
    requirement: str  # "required" | "conditional"
    original: str
    copies: int | None
    substitute: str  # "" (upload) | "e_license" | "shared_data" | "commitment"
    substitute_ref: str


@dataclass(frozen=True)
class ItemInfo:
    code: str
    name: str
    sub_item_name: str
    item_type: str
    department_id: int  # the implementing department (identity's Department), as the item names it
    department_code: str
    department_name: str
    region_code: str
    version_number: int
    statutory_limit_days: int | None  # None: no limit (or none published: see the text)
    statutory_limit_unit: str  # "working" | "natural"
    statutory_limit_text: str  # as published: "20(工作日)", "无" (no limit), "" (not published)
    promised_limit_days: int | None
    promised_limit_unit: str
    promised_limit_text: str
    is_immediate: bool
    online_depth: str
    place: str
    fees: str
    materials: tuple[MaterialInfo, ...]
    is_demo: bool
    form_schema: dict[str, Any] = field(default_factory=dict)  # JSON Schema of the application form ({}: none)
    form_ui: dict[str, Any] = field(default_factory=dict)
    commitment_text: str = ""  # non-empty: 告知承诺 — a signed commitment replaces the "commitment" materials
    postcheck_days: int | None = None


def _info(version: ItemVersion) -> ItemInfo:
    item = version.item
    return ItemInfo(
        code=item.code,
        name=version.name,
        sub_item_name=version.sub_item_name,
        item_type=version.item_type,
        department_id=item.department_id,
        department_code=item.department.code,
        department_name=item.department.name,
        region_code=item.region_id,
        version_number=version.number,
        statutory_limit_days=version.statutory_limit_days,
        statutory_limit_unit=version.statutory_limit_unit,
        statutory_limit_text=version.statutory_limit_text,
        promised_limit_days=version.promised_limit_days,
        promised_limit_unit=version.promised_limit_unit,
        promised_limit_text=version.promised_limit_text,
        is_immediate=version.is_immediate,
        online_depth=version.online_depth,
        place=version.place,
        fees=version.fees,
        materials=tuple(
            MaterialInfo(m.position, m.name, m.requirement, m.original, m.copies, m.substitute, m.substitute_ref)
            for m in version.materials.all()
        ),
        is_demo=item.is_demo,
        form_schema=version.form_schema or {},
        form_ui=version.form_ui or {},
        commitment_text=version.commitment_text,
        postcheck_days=version.postcheck_days,
    )


def item_info(*, code: str, version: int | None = None) -> ItemInfo:
    """The current version of item ``code`` (or an older published one); raises NotFound."""
    return _info(selectors.item_version(code=code, number=version))


def items_info(*, codes: list[str]) -> dict[str, ItemInfo]:
    """Current versions of several items at once (missing codes are left out)."""
    versions = (
        ItemVersion.objects.filter(item__code__in=codes, item__current_version__isnull=False)
        .filter(status=ItemVersion.Status.PUBLISHED)
        .select_related("item__department")
        .prefetch_related("materials")
    )
    return {v.item.code: _info(v) for v in versions}


@dataclass(frozen=True)
class IndexDocument:
    """What the search index needs of one item (current version)."""

    code: str
    name: str
    sub_item_name: str
    parent_name: str
    department: str
    item_type: str
    themes: tuple[str, ...]
    service_objects: tuple[str, ...]
    materials: tuple[str, ...]
    conditions: str


def index_documents(*, codes: list[str] | None = None) -> Iterator[IndexDocument]:
    items = Item.objects.filter(current_version__status=ItemVersion.Status.PUBLISHED)
    if codes is not None:
        items = items.filter(code__in=codes)
    versions = (
        ItemVersion.objects.filter(pk__in=items.values("current_version"))
        .select_related("item__department")
        .prefetch_related("materials")
        .order_by("item__code")
    )
    for version in versions.iterator(chunk_size=500):
        yield IndexDocument(
            code=version.item.code,
            name=version.name,
            sub_item_name=version.sub_item_name,
            parent_name=version.parent_name,
            department=version.item.department.name,
            item_type=version.get_item_type_display(),
            themes=tuple(version.theme_list),
            service_objects=tuple(version.service_object_list),
            materials=tuple(m.name for m in version.materials.all()),
            conditions=version.conditions,
        )


@dataclass(frozen=True)
class BundleEntry:
    slug: str
    name: str
    summary: str
    keywords: str
    item_codes: tuple[str, ...]


def theme_names(*, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` themes with the most published items (名称, count), "其他" left out."""
    return [(name, n) for name, n in selectors.theme_counts() if name != "其他"][:limit]


def bundle_entries() -> list[BundleEntry]:
    return [
        BundleEntry(b.slug, b.name, b.summary, b.keywords, tuple(s.item.code for s in b.steps.all()))
        for b in selectors.bundles().prefetch_related("steps__item")
    ]


@dataclass(frozen=True)
class BundleStepInfo:
    code: str
    stage: int  # steps with the same stage run in parallel; stages run in order
    position: int


@dataclass(frozen=True)
class BundleInfo:
    """A published bundle (一件事) as plain data, for cases to apply for it."""

    slug: str
    name: str
    summary: str
    event: str
    shared_fields: tuple[str, ...]
    promised_days: int | None
    is_demo: bool
    steps: tuple[BundleStepInfo, ...]


def bundle_info(*, slug: str) -> BundleInfo:
    """One published bundle and its steps in order (stage, position); raises NotFound."""
    bundle = selectors.bundle_get(slug=slug)
    return BundleInfo(
        slug=bundle.slug,
        name=bundle.name,
        summary=bundle.summary,
        event=bundle.event,
        shared_fields=tuple(str(f) for f in bundle.shared_fields or ()),
        promised_days=bundle.promised_days,
        is_demo=bundle.is_demo,
        steps=tuple(BundleStepInfo(s.item.code, s.stage, s.position) for s in bundle.steps.all()),
    )


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    department: str
    item_type: str
    promised_limit_days: int | None
    promised_limit_unit: str
    online_depth: str
    is_demo: bool


def items_list(
    *, department: str | None, theme: str | None, service_object: str | None, q: str, offset: int, limit: int
) -> tuple[int, list[ItemSummary]]:
    """A page of published items (browse filters as on the guide pages) and the total."""
    items = selectors.items_browse(department=department, theme=theme, service_object=service_object, q=q)
    rows = [
        ItemSummary(
            code=item.code,
            name=item.current_version.name,
            department=item.department.name,
            item_type=item.current_version.item_type,
            promised_limit_days=item.current_version.promised_limit_days,
            promised_limit_unit=item.current_version.promised_limit_unit,
            online_depth=item.current_version.online_depth,
            is_demo=item.is_demo,
        )
        for item in items[offset : offset + limit]
        if item.current_version is not None
    ]
    return items.count(), rows


def item_guide(*, code: str, version: int | None = None) -> dict[str, Any]:
    """Every field of one published version (the exchange record) plus its version facts; raises NotFound."""
    found = selectors.item_version(code=code, number=version)
    guide = load.record_of(found).as_dict()
    guide.update(
        version=found.number,
        status=found.status,
        published_at=found.published_at,
        statutory_limit_days=found.statutory_limit_days,
        statutory_limit_unit=found.statutory_limit_unit,
        promised_limit_days=found.promised_limit_days,
        promised_limit_unit=found.promised_limit_unit,
        region_code=found.item.region_id,
    )
    return guide


def item_version_list(*, code: str) -> list[dict[str, Any]]:
    selectors.item_get(code=code)
    return [
        {"number": v.number, "status": v.status, "published_at": v.published_at, "name": v.name}
        for v in selectors.item_versions(code=code)
    ]


def bundle_list() -> list[dict[str, Any]]:
    return [bundle_detail(slug=b.slug) for b in selectors.bundles()]


def bundle_detail(*, slug: str) -> dict[str, Any]:
    bundle = selectors.bundle_get(slug=slug)
    saving = selectors.bundle_saving(bundle)
    return {
        "slug": bundle.slug,
        "name": bundle.name,
        "event": bundle.event,
        "summary": bundle.summary,
        "is_demo": bundle.is_demo,
        "shared_fields": list(bundle.shared_fields),
        "steps": [
            {
                "code": s.item.code,
                "name": s.item.current_version.name if s.item.current_version else "",
                "stage": s.stage,
            }
            for s in bundle.steps.all()
        ],
        "materials": [{"name": name, "used_by": users} for name, users in selectors.bundle_materials(bundle)],
        "saving": asdict(saving),
    }


__all__ = [
    "BundleEntry",
    "BundleInfo",
    "BundleStepInfo",
    "IndexDocument",
    "ItemInfo",
    "ItemSummary",
    "MaterialInfo",
    "bundle_detail",
    "bundle_entries",
    "bundle_info",
    "bundle_list",
    "index_documents",
    "item_guide",
    "item_info",
    "item_version_list",
    "items_info",
    "items_list",
    "on_items_changed",
    "theme_names",
]
