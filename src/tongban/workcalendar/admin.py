"""Administrators correct the calendar here; every save goes through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tongban.workcalendar import services
from tongban.workcalendar.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    """Years are loaded from the official file with `tongban calendar load`, not typed in."""

    list_display = ("year", "source", "loaded_at")
    readonly_fields = ("year", "source", "loaded_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday", "name")
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        services.calendar_day_set(day=obj.date, is_workday=obj.is_workday, name=obj.name, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.calendar_day_remove(day=obj.date, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for day in queryset:
            services.calendar_day_remove(day=day.date, actor=request.user)
