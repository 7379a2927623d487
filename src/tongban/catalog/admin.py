"""Catalog editors work here. Items change only through versions: "create draft" copies the current version,
drafts are edited, "publish" makes a draft current. Every save is audited in CatalogChange."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.catalog import services
from tongban.catalog.models import (
    Bundle,
    BundleStep,
    CatalogChange,
    Item,
    ItemVersion,
    Material,
    ServiceObject,
    Theme,
)
from tongban.common.public import DomainError
from tongban.identity.public import User


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class VersionInline(admin.TabularInline[ItemVersion, Item]):
    model = ItemVersion
    fields = ("number", "status", "name", "published_at", "published_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("code", "current_name", "department", "source_format", "is_demo")
    list_filter = ("source_format", "is_demo")
    search_fields = ("code", "current_version__name", "department__name")
    list_select_related = ("current_version", "department")
    readonly_fields = ("code", "basic_code", "region", "department", "source_format", "is_demo", "current_version")
    inlines = [VersionInline]
    actions = ["create_draft"]

    @admin.display(description=_("name"))
    def current_name(self, obj: Item) -> str:
        return obj.current_version.name if obj.current_version else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items come from an import or from services; versions carry the content

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Create a draft version to edit"))
    def create_draft(self, request: HttpRequest, queryset: QuerySet[Item]) -> None:
        for item in queryset:
            draft = services.item_draft_create(item=item, actor=_actor(request))
            self.message_user(
                request, _("Draft version %(n)s of %(code)s is open.") % {"n": draft.number, "code": item.code}
            )


class MaterialInline(admin.TabularInline[Material, ItemVersion]):
    model = Material
    extra = 0
    fields = ("position", "name", "requirement", "original", "copies", "media", "substitute", "substitute_ref", "notes")

    def _draft(self, obj: Any) -> bool:
        return obj is not None and obj.status == ItemVersion.Status.DRAFT

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin[ItemVersion]):
    list_display = ("item", "number", "status", "name", "published_at")
    list_filter = ("status", "item_type")
    search_fields = ("item__code", "name")
    list_select_related = ("item",)
    readonly_fields = (
        "item", "number", "status", "statutory_limit_days", "statutory_limit_unit", "promised_limit_days",
        "promised_limit_unit", "content_hash", "created_at", "created_by", "published_at", "published_by",
        "service_object_list", "theme_list", "source",
    )  # fmt: skip
    filter_horizontal = ("themes", "service_objects")
    inlines = [MaterialInline]
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != ItemVersion.Status.DRAFT:
            return False  # published and superseded versions are history: readable, never edited
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ItemVersion, form: ModelForm[ItemVersion], change: bool) -> None:
        super().save_model(request, obj, form, change)
        try:
            services.version_edited(version=obj, actor=_actor(request), fields=list(form.changed_data))
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ItemVersion]) -> None:
        for version in queryset:
            try:
                services.item_version_publish(version=version, actor=_actor(request))
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", level=messages.ERROR)
            else:
                self.message_user(request, _("Published %(version)s.") % {"version": version})


class BundleStepInline(admin.TabularInline[BundleStep, Bundle]):
    model = BundleStep
    extra = 0
    raw_id_fields = ("item",)
    fields = ("item", "stage", "position", "note")


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin[Bundle]):
    list_display = ("name", "slug", "event", "is_demo", "is_published")
    inlines = [BundleStepInline]
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Bundle, form: ModelForm[Bundle], change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.bundle_changed(bundle=obj, actor=_actor(request), created=not change, fields=list(form.changed_data))


@admin.register(CatalogChange)
class CatalogChangeAdmin(admin.ModelAdmin[CatalogChange]):
    list_display = ("at", "actor", "action", "item_code", "version_number", "bundle_slug")
    list_filter = ("action",)
    search_fields = ("item_code", "bundle_slug")
    readonly_fields = ("at", "actor", "action", "item_code", "version_number", "bundle_slug", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Theme)
admin.site.register(ServiceObject)
