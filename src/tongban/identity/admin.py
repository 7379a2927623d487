from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from tongban.identity.models import (
    Department,
    Enterprise,
    IdentityEvent,
    Person,
    Region,
    SmsOutbox,
    StaffAssignment,
    User,
)

admin.site.register(User, UserAdmin)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ("name", "code", "region", "parent", "is_service_centre", "is_active")
    search_fields = ("code", "name")
    list_filter = ("is_service_centre", "is_active")
    autocomplete_fields = ("region", "parent")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    # ID number and phone stay out of the admin: they are encrypted, and staff read them masked via selectors.
    list_display = ("user", "name", "real_name_level", "created_at")
    fields = ("user", "name", "real_name_level", "level_changed_at")
    readonly_fields = fields
    list_filter = ("real_name_level",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin[StaffAssignment]):
    list_display = ("user", "department", "role", "assigned_at")
    list_filter = ("role",)
    autocomplete_fields = ("department",)
    raw_id_fields = ("user", "assigned_by")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = ("name", "credit_code", "legal_representative", "created_at")
    search_fields = ("credit_code", "name")
    readonly_fields = ("checksum_override_reason", "checksum_override_by")
    raw_id_fields = ("legal_representative",)


@admin.register(SmsOutbox)
class SmsOutboxAdmin(admin.ModelAdmin[SmsOutbox]):
    """In dev, where the one-time codes can be read (the phone itself is never shown)."""

    list_display = ("pk", "created_at", "sent_at", "body")
    fields = ("created_at", "sent_at", "body")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(IdentityEvent)
class IdentityEventAdmin(admin.ModelAdmin[IdentityEvent]):
    list_display = ("at", "action", "actor", "subject_user", "subject_enterprise")
    list_filter = ("action",)
    readonly_fields = ("at", "action", "actor", "subject_user", "subject_enterprise", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: IdentityEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: IdentityEvent | None = None) -> bool:
        return False
