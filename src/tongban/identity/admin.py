from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tongban.identity.models import Department, Region, User

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
