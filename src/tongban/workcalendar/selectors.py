"""Readers of the calendar. The calendar is public data: no scoping is needed."""

from __future__ import annotations

import time
from typing import Any

from tongban.workcalendar.clock import WorkCalendar
from tongban.workcalendar.models import CalendarDay, CalendarYear

# Each process keeps the calendar (a few dozen rows a year) for a minute; a change in this process drops it at
# once, other processes pick it up within CACHE_SECONDS. Deadline sweeps take a fresh one explicitly.
CACHE_SECONDS = 60.0
_cache: tuple[float, WorkCalendar] | None = None


def load_calendar() -> WorkCalendar:
    years = CalendarYear.objects.values_list("year", flat=True)
    exceptions = CalendarDay.objects.values_list("date", "is_workday")
    return WorkCalendar.build(years, exceptions)


def current_calendar() -> WorkCalendar:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > CACHE_SECONDS:
        _cache = (now, load_calendar())
    return _cache[1]


def forget_cached_calendar() -> None:
    global _cache
    _cache = None


def published_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("year"))


def exceptions_in_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def published_years_with_exceptions() -> list[dict[str, Any]]:
    by_year: dict[int, list[dict[str, Any]]] = {}
    for day in CalendarDay.objects.order_by("date"):
        by_year.setdefault(day.date.year, []).append({"date": day.date, "is_workday": day.is_workday, "name": day.name})
    return [
        {"year": year.year, "source": year.source, "exceptions": by_year.get(year.year, [])}
        for year in CalendarYear.objects.order_by("year")
    ]
