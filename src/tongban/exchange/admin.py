"""Catalog administration of data resources, consumers and subscriptions. The call log is read in the
statistics page and the API (its composite key keeps it out of the admin)."""

from django.contrib import admin

from tongban.exchange.models import Consumer, DataResource, ResourceField, Subscription


class ResourceFieldInline(admin.TabularInline[ResourceField, DataResource]):
    model = ResourceField
    extra = 0


@admin.register(DataResource)
class DataResourceAdmin(admin.ModelAdmin[DataResource]):
    list_display = ("code", "name", "provider", "subject_kind", "update_frequency", "is_active")
    list_filter = ("subject_kind", "is_active")
    search_fields = ("code", "name")
    inlines = [ResourceFieldInline]


@admin.register(Consumer)
class ConsumerAdmin(admin.ModelAdmin[Consumer]):
    list_display = ("code", "name", "department", "is_active")
    search_fields = ("code", "name")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ("consumer", "resource", "status", "client_id", "requested_at", "decided_at")
    list_filter = ("status",)
    # Decisions go through the services (audited); the admin only reads them.
    readonly_fields = ("status", "decided_by", "decided_at", "decision_note", "client_id")
