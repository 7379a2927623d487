"""API endpoints of the catalog context. Thin: parse, call the context's public services/selectors, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tongban.catalog.public import bundle_detail, bundle_list, item_guide, item_version_list, items_list

router = Router(tags=["catalog"])


class ItemFilters(Schema):
    department: str | None = Field(None, description="department code")
    theme: str | None = None
    object: str | None = Field(None, description="service object, e.g. 自然人")
    q: str = Field("", max_length=100, description="part of the item name, or an exact code")
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=200)


class ItemRow(Schema):
    code: str
    name: str
    department: str
    item_type: str
    promised_limit_days: int | None
    promised_limit_unit: str
    online_depth: str
    is_demo: bool


class ItemPage(Schema):
    count: int
    items: list[ItemRow]


class Material(Schema):
    name: str
    legal_basis: str
    media: str
    copies: int | None
    original: str
    requirement: str
    notes: str
    substitute: str
    substitute_ref: str


class ItemGuide(Schema):
    code: str
    basic_code: str
    version: int
    status: str
    published_at: datetime | None
    name: str
    sub_item_name: str
    parent_name: str
    item_type: str
    region_code: str
    department_code: str
    department_name: str
    service_objects: list[str]
    themes: list[str]
    legal_basis: str
    conditions: str
    statutory_limit_text: str
    statutory_limit_days: int | None
    statutory_limit_unit: str
    promised_limit_text: str
    promised_limit_days: int | None
    promised_limit_unit: str
    is_immediate: bool
    fees: str
    online_depth: str
    visits: int | None
    online_url: str
    place: str
    consult_phone: str
    complaint_phone: str
    faq: list[Any]
    form_schema: dict[str, Any]
    form_ui: dict[str, Any]
    stage_overrides: list[Any]
    materials: list[Material]
    source: dict[str, Any]
    source_format: str
    is_demo: bool


class VersionRow(Schema):
    number: int
    status: str
    published_at: datetime | None
    name: str


class BundleStep(Schema):
    code: str
    name: str
    stage: int


class BundleMaterial(Schema):
    name: str
    used_by: list[str]


class Saving(Schema):
    materials_before: int
    materials_after: int
    days_before: int
    days_after: int
    visits_before: int
    visits_after: int
    shared_materials: list[str]


class Bundle(Schema):
    slug: str
    name: str
    event: str
    summary: str
    is_demo: bool
    shared_fields: list[str]
    steps: list[BundleStep]
    materials: list[BundleMaterial]
    saving: Saving


@router.get("/items", response=ItemPage, summary="List published items")
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    count, rows = items_list(
        department=filters.department,
        theme=filters.theme,
        service_object=filters.object,
        q=filters.q,
        offset=filters.offset,
        limit=filters.limit,
    )
    return {"count": count, "items": rows}


@router.get("/items/{code}", response=ItemGuide, summary="The current guide of an item")
def get_item(request: HttpRequest, code: str) -> dict[str, Any]:
    return item_guide(code=code)


@router.get("/items/{code}/versions", response=list[VersionRow], summary="Published versions of an item")
def get_versions(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return item_version_list(code=code)


@router.get("/items/{code}/versions/{number}", response=ItemGuide, summary="One version of an item's guide")
def get_version(request: HttpRequest, code: str, number: int) -> dict[str, Any]:
    return item_guide(code=code, version=number)


@router.get("/bundles", response=list[Bundle], summary="Bundles (一件事) with their saving")
def list_bundles(request: HttpRequest) -> list[dict[str, Any]]:
    return bundle_list()


@router.get("/bundles/{slug}", response=Bundle, summary="One bundle (一件事)")
def get_bundle(request: HttpRequest, slug: str) -> dict[str, Any]:
    return bundle_detail(slug=slug)
