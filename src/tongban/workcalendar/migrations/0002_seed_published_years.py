"""Seed the calendar with the official schedules shipped in workcalendar/data (2024–2026)."""

from django.db import migrations

from tongban.workcalendar.schedules import bundled_schedules


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    for schedule in bundled_schedules():
        if CalendarYear.objects.filter(year=schedule.year).exists():
            continue
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, is_workday=is_workday, name=name) for day, is_workday, name in schedule.days
        )
        CalendarYear.objects.create(year=schedule.year, source=schedule.source[:500])


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
