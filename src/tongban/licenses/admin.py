from django.contrib import admin

from tongban.licenses.models import License, LicenseType, LicenseUse, SigningKey, StatusList


@admin.register(LicenseType)
class LicenseTypeAdmin(admin.ModelAdmin[LicenseType]):
    list_display = ["code", "name", "issuing_department", "holder_kind", "validity_years", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["next_seq"]


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin[License]):
    """Read-only: licenses change only through the services (issue, revoke, suspend, reinstate)."""

    list_display = ["number", "license_type", "status", "issued_at", "valid_until"]
    list_filter = ["status", "license_type"]
    search_fields = ["number", "case_ref"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin[SigningKey]):
    list_display = ["key_id", "algorithm", "is_active", "created_at", "retired_at"]
    exclude = ["private_key_encrypted"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(LicenseUse)
admin.site.register(StatusList)
