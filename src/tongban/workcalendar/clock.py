"""The legal clock: pure functions over a :class:`WorkCalendar`. They never read the clock or the database.

Counting rule (the one the State Council's arrangement and the 行政许可法 use): "N working days after D"
does not count D itself; the due date is the N-th working day after it. A date in a year whose schedule is
not published is counted by the Monday–Friday rule **and flagged provisional**; :func:`is_workday`, which has
no way to flag, raises :class:`ScheduleNotPublished` instead.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from django.utils.translation import gettext as _

from tongban.common.public import DomainError


class ScheduleNotPublished(DomainError):
    code = "schedule_not_published"

    def __init__(self, year: int):
        super().__init__(_("The holiday schedule for %(year)s has not been published yet.") % {"year": year})
        self.year = year


class Due(NamedTuple):
    due: date
    provisional: bool


class Count(NamedTuple):
    days: int
    provisional: bool


@dataclass(frozen=True)
class WorkCalendar:
    """Published years, and the dates in them that break the weekday rule (True = make-up working day)."""

    published_years: frozenset[int]
    exceptions: dict[date, bool] = field(default_factory=dict, hash=False)

    @classmethod
    def build(cls, years: Iterable[int], exceptions: Iterable[tuple[date, bool]]) -> WorkCalendar:
        return cls(frozenset(years), dict(exceptions))

    def is_published(self, year: int) -> bool:
        return year in self.published_years

    def _rule(self, day: date) -> bool:
        return self.exceptions.get(day, day.weekday() < 5)

    @cached_property
    def _year_workdays(self) -> dict[int, list[int]]:
        return {}

    def workday_ordinals(self, year: int) -> list[int]:
        """Sorted ordinals of the working days of ``year`` (cached; provisional years by the weekday rule)."""
        cached = self._year_workdays.get(year)
        if cached is None:
            first = date(year, 1, 1)
            days = (first + timedelta(n) for n in range((date(year + 1, 1, 1) - first).days))
            cached = [d.toordinal() for d in days if self._rule(d)]
            self._year_workdays[year] = cached
        return cached


def is_workday(day: date, calendar: WorkCalendar) -> bool:
    if not calendar.is_published(day.year):
        raise ScheduleNotPublished(day.year)
    return calendar._rule(day)


def add_working_days(start: date, days: int, calendar: WorkCalendar) -> Due:
    """The ``days``-th working day after ``start`` (``start`` not counted); negative counts go backwards.

    ``days == 0`` answers ``start`` itself. Provisional when any year the count passes through is unpublished.
    """
    if days == 0:
        return Due(start, not calendar.is_published(start.year))
    step = 1 if days > 0 else -1
    remaining, year, provisional = abs(days), start.year, False
    ordinal = start.toordinal()
    while True:
        provisional = provisional or not calendar.is_published(year)
        workdays = calendar.workday_ordinals(year)
        if step > 0:
            index = bisect_right(workdays, ordinal)
            available = len(workdays) - index
            if remaining <= available:
                return Due(date.fromordinal(workdays[index + remaining - 1]), provisional)
        else:
            index = bisect_left(workdays, ordinal)
            available = index
            if remaining <= available:
                return Due(date.fromordinal(workdays[index - remaining]), provisional)
        remaining -= available
        year += step
        ordinal = date(year, 1, 1).toordinal() - 1 if step > 0 else date(year + 1, 1, 1).toordinal()


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> Count:
    """The signed count that undoes :func:`add_working_days`: ``between(d, add(d, n).due) == n`` for every n.

    Forwards it counts the working days in (start, end]; backwards, minus those in [end, start).
    Provisional when an unpublished year is crossed.
    """
    if end < start:
        count = _count_in(end - timedelta(days=1), start - timedelta(days=1), calendar)
        return Count(-count.days, count.provisional)
    return _count_in(start, end, calendar)


def _count_in(start: date, end: date, calendar: WorkCalendar) -> Count:
    """Working days in (start, end], start <= end."""
    total, provisional = 0, False
    for year in range(start.year, end.year + 1):
        provisional = provisional or not calendar.is_published(year)
        workdays = calendar.workday_ordinals(year)
        total += bisect_right(workdays, end.toordinal()) - bisect_right(workdays, start.toordinal())
    return Count(total, provisional)


def remaining_working_days(today: date, due: date, calendar: WorkCalendar) -> Count:
    """Working days left until ``due`` counted from ``today``: 0 on the due date; when overdue, minus the working
    days that have passed since it (so the first working day after the due date is -1)."""
    if today <= due:
        return _count_in(today, due, calendar)
    late = _count_in(due, today, calendar)
    return Count(-late.days, late.provisional)
