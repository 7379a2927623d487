from django.contrib import admin
from django.http import HttpRequest

from tongban.common.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is appended by services and never edited by hand."""

    list_display = ("occurred_at", "action", "object_type", "object_id", "actor_label")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "request_id")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
